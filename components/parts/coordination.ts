import * as pulumi from "@pulumi/pulumi";
import { ServiceAccounts } from "../k8s/service-accounts";
import { ZooKeeperEnsemble, zooKeeperConnectString, zooKeeperMetricsPort } from "../k8s/zookeeper";
import { ClusterPlan } from "../plan/resolve";
import { mapInput } from "../core/validate-input";
import { Parent } from "./parent";

/** How Druid's processes find each other, and what must be ready before any of them starts. */
export interface Coordination {
    /** ZooKeeper connect string (the component's ensemble or the external one); undefined with coordination "kubernetes". */
    zkConnect: string | pulumi.Output<string> | undefined;
    /** Druid waits for ZooKeeper's quorum (its readiness), or for the Role its processes call the Kubernetes API with. */
    ready: pulumi.Resource[];
}

/** The coordination: Kubernetes (nothing to create), an external ZooKeeper, or the component's ensemble (k8s/zookeeper.ts). */
export function createCoordination(name: string,
    plan: Pick<ClusterPlan, "coordination" | "zookeeper" | "namespace" | "volumeRetention" | "metrics">,
    namespace: pulumi.Input<string>, accounts: ServiceAccounts, parent: Parent): Coordination {
    // The namespace's name in host names and URLs: plain, or (another resource's output) an Output.
    const namespaceName = plan.namespace;
    // Druid waits for ZooKeeper's quorum (its readiness), or for the Role its processes call the
    // Kubernetes API with, before anything of Druid is created or rolled.
    const ready: pulumi.Resource[] = [...accounts.rbac];
    if (plan.coordination === "kubernetes") return { zkConnect: undefined, ready };
    if (plan.zookeeper.external !== undefined) return { zkConnect: plan.zookeeper.external, ready };
    const ensemble = new ZooKeeperEnsemble(`${name}-zookeeper`, {
        cluster: name,
        namespace,
        namespaceName,
        replicas: plan.zookeeper.replicas,
        image: plan.zookeeper.image,
        resources: plan.zookeeper.resources,
        volumeSize: plan.zookeeper.volumeSize,
        storageClass: plan.zookeeper.storageClass,
        scheduling: plan.zookeeper.scheduling,
        volumeRetention: plan.volumeRetention,
        heapMiB: plan.zookeeper.heapMiB,
        metricsPort: plan.metrics.emitter === "prometheus" ? zooKeeperMetricsPort : undefined,
    }, parent);
    ready.push(ensemble.statefulSet);
    // A plain string from the same naming function as the ensemble's objects, so Druid's
    // configuration need not wait for the ZooKeeper Services to be created.
    const zkConnect = mapInput(namespaceName, (ns) => zooKeeperConnectString(name, ns, plan.zookeeper.replicas));
    return { zkConnect, ready };
}
