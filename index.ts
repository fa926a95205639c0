// Public API of pulumi-druid.
export { DruidCluster } from "./components/druid-cluster";
export * from "./components/args";
export { DruidArgumentError, DruidArgumentErrors, DruidSizingError } from "./components/core/errors";
export { DeepStorage, DeepStoragePlan } from "./components/aws/deep-storage";
export { MetadataStore, MetadataStorePlan, RdsPlan } from "./components/aws/metadata-store";
export { ZooKeeperEnsemble, ZooKeeperPlan } from "./components/k8s/zookeeper";
export { DruidService, DruidServiceInputs } from "./components/k8s/druid-service";
export { resolveCluster, ClusterPlan, ServicePlan } from "./components/plan/resolve";
export { rollingUpdateOrder } from "./components/plan/rolling-order";
export * as config from "./components/config";
