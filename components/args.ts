import * as pulumi from "@pulumi/pulumi";
import { Container, ContainerPort, Kubernetes, Resources, Scheduling, Toleration, Volume, VolumeRetention } from "./args-kubernetes";
import { Autoscaling, Broker, Data, DruidServiceSettings, HistoricalTier, Ingestion, Ingress, Master, Query, Router } from "./args-services";
import { DeepStorageSettings, ExistingPostgres, MetadataCaCertificate, MetadataStoreSettings, UnusedSegmentKill } from "./args-storage";
import { Coordination, LeaderElection, ZooKeeper } from "./args-coordination";
import { Auth, NetworkPolicy, Tls } from "./args-security";
import { AlertThresholds, Metrics } from "./args-monitoring";
import { Compaction, CoordinatorDynamicConfig, DataManagement, RetentionRule } from "./args-data-management";
import { Access } from "./args-access";

export * from "./args-iam";
export * from "./args-placement";
export * from "./args-kubernetes";
export * from "./args-services";
export * from "./args-storage";
export * from "./args-coordination";
export * from "./args-security";
export * from "./args-monitoring";
export * from "./args-data-management";
export * from "./args-access";

// The public arguments: DruidClusterArgs here, the types of each part of the cluster in the
// args-*.ts files beside it (re-exported above, so the public API is this one module). Every type
// here and there is also the multi-language schema (inferred by @pulumi/pulumi's component
// provider analyzer, which follows the imports; scripts/schema-quality.ts reads the type
// descriptions from components/args*.ts): only interfaces, enums as `as const` objects (the
// analyzer's supported form; TypeScript users still pass the plain strings), arrays, string-keyed
// maps and `pulumi.Input`s of those. Defaults are in the doc comments and applied in `resolve.ts`.

/** Arguments of a DruidCluster. */
export interface DruidClusterArgs {
    /**
     * Druid release ("37.0.0"), the tag of the `apache/druid` image (or of `image`, which must be built
     * from that release). Supported: 35.0.x, 36.0.x and 37.0.x (a patch release such as "37.0.1" uses
     * its line's facts); any other version is refused (docs/versions.md). Default "37.0.0".
     */
    druidVersion?: string;
    /** Image repository. Default "apache/druid". */
    image?: string;
    /**
     * Kubernetes namespace; may be another resource's output (e.g. a Namespace's `metadata.name`),
     * checked when it resolves. A namespace named here is used as it is: the component neither
     * creates nor deletes it unless `createNamespace` is true. Default: a namespace named after the
     * cluster, which the component creates and owns.
     */
    namespace?: pulumi.Input<string>;
    /**
     * Create (and own: `pulumi destroy` deletes it, with everything in it) the namespace, with Pod
     * Security "restricted" labels. Default: true when `namespace` is not given, false when it is
     * (the named namespace must exist).
     */
    createNamespace?: boolean;
    /** Extensions loaded besides the defaults (S3, PostgreSQL, DataSketches, Kafka indexing, basic security, Prometheus; the multi-stage query engine is core in every supported release). Default: none. */
    extraExtensions?: string[];
    /** Extra or overriding `common.runtime.properties` entries. Default: none. */
    commonProperties?: { [key: string]: string };
    /** Deep storage (S3). */
    deepStorage: DeepStorageSettings;
    /** Metadata storage (PostgreSQL). */
    metadataStore: MetadataStoreSettings;
    /**
     * "zookeeper" (default): discovery and leader election through ZooKeeper. "kubernetes"
     * (experimental in Druid): through the Kubernetes API (`druid-kubernetes-extensions`), no
     * ZooKeeper at all; the component then grants the Druid service account a namespaced Role.
     */
    coordination?: Coordination;
    /**
     * Leader-election timing with coordination "kubernetes" (refused with "zookeeper"). Default:
     * 15 / 10 / 2 seconds with highAvailability, Druid's 60 / 17 / 5 otherwise.
     */
    leaderElection?: LeaderElection;
    /** ZooKeeper. Default: a 3-server ensemble. Not allowed with coordination "kubernetes". */
    zookeeper?: ZooKeeper;
    /** Master services. */
    master?: Master;
    /** Query services. */
    query?: Query;
    /** Data services. */
    data?: Data;
    /** Authentication. Default: on. */
    auth?: Auth;
    /** TLS. Default: off. Not with `data.ingestion.worker` "kubernetesJobs" (use "indexer" or "middleManager"). */
    tls?: Tls;
    /** NetworkPolicies. Default: on. */
    networkPolicies?: NetworkPolicy;
    /** Metrics. Default: Prometheus exporter. */
    metrics?: Metrics;
    /** Name of the Kubernetes service account of Druid pods (the one the S3 role trusts). Default "druid". */
    serviceAccountName?: string;
    /** What happens to StatefulSet volumes on delete / scale down. Default "Retain". */
    volumeRetention?: VolumeRetention;
    /**
     * High-availability profile: two Coordinators and two Overlords (Druid elects a leader of each),
     * at least two Brokers and Routers, masters on different nodes (required anti-affinity) with a
     * PodDisruptionBudget that keeps one of each serving through a node drain, RDS Multi-AZ on a
     * non-burstable class (default "db.m7g.large"; a "db.t*" class is refused) and a 5-server
     * ZooKeeper ensemble. Explicit replica counts at or above these minimums win; below, they are
     * refused. Default false.
     */
    highAvailability?: boolean;
    /**
     * Mark the bucket and the RDS instance `protect`ed, so an args change that would replace them
     * (or a destroy) fails loudly instead of leaving Druid on an empty bucket or database. Default
     * true; set false (and `pulumi up`) before `pulumi destroy`.
     */
    protectStorage?: boolean;
    /** Retention rules, compaction and dynamic configuration, applied by a Job inside the cluster. Default: none (Druid's defaults; required when no Historical tier is "_default_tier"). */
    dataManagement?: DataManagement;
    /**
     * Authorization as code: roles, their permissions, users and LDAP groups mapped to roles,
     * applied by a Job inside the cluster through Druid's basic-security API (docs/security.md,
     * "Access control as code"). Needs auth enabled. Default: none (only Druid's `admin` and
     * `druid_system`, which have every permission).
     */
    access?: Access;
    /**
     * AWS tags on every AWS resource the component creates that takes tags (bucket, IAM role or
     * user, RDS instance, subnet and parameter groups, security group and its rules, Pod Identity
     * association), merged with the component's own tag `druid.apache.org/cluster`. The AWS
     * provider's `defaultTags` is the alternative for every resource of a stack. Default: none.
     */
    tags?: { [key: string]: pulumi.Input<string> };
    /** Labels, annotations, image pull secrets and priority class for every Kubernetes object and pod. Default: none. */
    kubernetes?: Kubernetes;
}

// The names up to 0.1.0 (`…Args`). The schema type names are the interface names, and the generated
// Python, Go, .NET and Java SDKs append `Args` to input types (`DeepStorageArgs` became
// `DeepStorageArgsArgs`). Kept for TypeScript programs; to be removed in a later major version.
/** @deprecated use {@link Resources} */
export type ResourcesArgs = Resources;
/** @deprecated use {@link Scheduling} */
export type SchedulingArgs = Scheduling;
/** @deprecated use {@link Toleration} */
export type TolerationArgs = Toleration;
/** @deprecated use {@link Volume} */
export type VolumeArgs = Volume;
/** @deprecated use {@link ContainerPort} */
export type ContainerPortArgs = ContainerPort;
/** @deprecated use {@link Container} */
export type ContainerArgs = Container;
/** @deprecated use {@link DruidServiceSettings} */
export type DruidServiceArgs = DruidServiceSettings;
/** @deprecated use {@link HistoricalTier} */
export type HistoricalTierArgs = HistoricalTier;
/** @deprecated use {@link Ingestion} */
export type IngestionArgs = Ingestion;
/** @deprecated use {@link Autoscaling} */
export type AutoscalingArgs = Autoscaling;
/** @deprecated use {@link Broker} */
export type BrokerArgs = Broker;
/** @deprecated use {@link Router} */
export type RouterArgs = Router;
/** @deprecated use {@link Ingress} */
export type IngressArgs = Ingress;
/** @deprecated use {@link Master} */
export type MasterArgs = Master;
/** @deprecated use {@link Query} */
export type QueryArgs = Query;
/** @deprecated use {@link Data} */
export type DataArgs = Data;
/** @deprecated use {@link DeepStorageSettings} */
export type DeepStorageArgs = DeepStorageSettings;
/** @deprecated use {@link UnusedSegmentKill} */
export type UnusedSegmentKillArgs = UnusedSegmentKill;
/** @deprecated use {@link ExistingPostgres} */
export type ExistingPostgresArgs = ExistingPostgres;
/** @deprecated use {@link MetadataCaCertificate} */
export type MetadataCaCertificateArgs = MetadataCaCertificate;
/** @deprecated use {@link MetadataStoreSettings} */
export type MetadataStoreArgs = MetadataStoreSettings;
/** @deprecated use {@link ZooKeeper} */
export type ZooKeeperArgs = ZooKeeper;
/** @deprecated use {@link Auth} */
export type AuthArgs = Auth;
/** @deprecated use {@link Tls} */
export type TlsArgs = Tls;
/** @deprecated use {@link NetworkPolicy} */
export type NetworkPolicyArgs = NetworkPolicy;
/** @deprecated use {@link Metrics} */
export type MetricsArgs = Metrics;
/** @deprecated use {@link AlertThresholds} */
export type AlertThresholdsArgs = AlertThresholds;
/** @deprecated use {@link RetentionRule} */
export type RetentionRuleArgs = RetentionRule;
/** @deprecated use {@link Compaction} */
export type CompactionArgs = Compaction;
/** @deprecated use {@link CoordinatorDynamicConfig} */
export type CoordinatorDynamicConfigArgs = CoordinatorDynamicConfig;
/** @deprecated use {@link DataManagement} */
export type DataManagementArgs = DataManagement;
/** @deprecated use {@link Kubernetes} */
export type KubernetesArgs = Kubernetes;
