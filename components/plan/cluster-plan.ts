import * as pulumi from "@pulumi/pulumi";
import { AccessPlan } from "./access-plan";
import { AutoscalingMetric, DruidClusterArgs, HistoricalStorage, MetadataSslMode, MetricsEmitter, Resources, RouterServiceType, Scheduling, VolumeRetention } from "../args";
import { AlertThresholds } from "./monitoring-plan";
import { DeepStoragePlan, MetadataStorePlan } from "./storage-plan";
import { ServicePlacement } from "./placement-plan";
import { PropertyMap } from "../core/properties";
import { RetentionConfig } from "./retention-plan";
import { TaskPodTuning } from "./task-pod-tuning";
import { KubernetesCoordinationPlan } from "./resolve-kubernetes-coordination";
import { ServiceKind, Tuning } from "./tuning";
import { DataManagementPlan } from "./data-management-plan";
import { CustomizationPlan, PodExtras } from "./resolve-customization";
import { ZoneWaveGroup } from "./zone-wave-plan";
import { SegmentCachePlan } from "./resolve-segment-cache";
import { LdapAuthPlan, OidcAuthPlan } from "./resolve-auth";

// The plan's types: what resolveCluster (resolve.ts) returns for the generators and builders.

/** One Druid workload, resolved: what the tier builder turns into Kubernetes objects. */
export interface ServicePlan {
    /** Unique key, used in resource and object names: "coordinator", "historical-hot", ... */
    key: string;
    kind: ServiceKind;
    /** Label for errors and notes. */
    label: string;
    replicas: number;
    resources: Resources;
    tuning: Tuning;
    properties: PropertyMap;
    jvmOptions: string[];
    /** MiddleManager: flags of every Peon (`data.ingestion.peonJvmOptions`). */
    peonJvmOptions?: string[];
    scheduling?: Scheduling;
    /** StatefulSet with a volume (Historical, MiddleManager, Indexer). */
    /** `argument`: the path of the arguments that own the volume (for resize errors, volume-resize.ts). */
    volume?: { size: string; storageClass?: string; ephemeral: boolean; argument: string };
    tier?: { name: string; priority: number };
    /** Historical: how the segment cache loads at start (`lazyLoadOnStart`, `bootstrapThreads`). */
    segmentCache?: SegmentCachePlan;
    /** HorizontalPodAutoscaler (Broker, Router). */
    autoscaling?: { minReplicas: number; maxReplicas: number; targetCpuUtilizationPercent: number; metrics?: AutoscalingMetric[] };
    /** Connects to the metadata store: Coordinator and Overlord only. */
    usesMetadataStore: boolean;
    /** MiddleManager/Indexer: seconds the preStop hook waits for running tasks. */
    drainSeconds?: number;
    combinedWithOverlord?: boolean;
    /** High-availability master (Coordinator, Overlord): replicas on different nodes, required. */
    spreadAcrossNodes?: boolean;
    /**
     * Zone-aware groups (resolve-zones.ts): the zone this workload is pinned to (a value of the node
     * label `topology.kubernetes.io/zone`); its pods and StatefulSet carry it as `zoneWaveLabels.zone`.
     * Undefined: not zone-aware.
     */
    zone?: string;
    /** With `zone`: the key of the zone-aware group it belongs to ("historical-hot", "middlemanager", "broker"), whose arguments it comes from. */
    zoneGroup?: string;
    /**
     * A zone-local Broker (resolve-zone-brokers.ts): the Druid tier of its zone's Historicals, which
     * it prefers (`druid.broker.select.tier=preferred`, `druid.broker.select.tier.preferred.tier`).
     */
    preferredTier?: string;
    /**
     * The StatefulSet's update strategy. "OnDelete" for a zone's StatefulSet: a change to its pod
     * template replaces no pod by itself; the zone-wave Jobs delete a whole zone's pods at once.
     * Undefined: "RollingUpdate".
     */
    updateStrategy?: "RollingUpdate" | "OnDelete";
}

/** How the Coordinator and Overlord verify the metadata store's TLS, and where the CA bundle comes from. */
export interface MetadataTlsPlan {
    sslMode: MetadataSslMode;
    /** verify-full only: the bundle's source and its key there. */
    ca?: { source: "pem"; pem: pulumi.Input<string>; key: string } | { source: "secret" | "configMap"; name: string; key: string };
}

/** TLS settings after validation: where the keystore, truststore and password come from. */
export interface TlsPlan {
    secretName: string;
    keystoreKey: string;
    truststoreKey: string;
    /** Secret and key holding the keystore/truststore password. */
    passwordSecretName: string;
    passwordKey: string;
    /** `druid.server.https.certAlias`; undefined lets Jetty use the keystore's only key. */
    certAlias?: string;
    certManager?: { issuer: string; kind: "Issuer" | "ClusterIssuer" };
}

/** Task pods of `data.ingestion.worker: "kubernetesJobs"`: what the Overlord's pod template is built from. */
export interface TaskPodsPlan {
    /**
     * The release's peon.sh ignores jvm.config (config/druid-versions.ts `peonSh.readsJvmConfig`): the
     * task pod template gives the JVM its flags through JAVA_OPTS, the only variable peon.sh passes on.
     */
    javaOptsFromEnv: boolean;
    /** `druid.indexer.runner.capacity`. */
    capacity: number;
    resources: Resources;
    tuning: TaskPodTuning;
    /** The Peon's runtime.properties overrides (`data.ingestion.properties`). */
    properties: PropertyMap;
    jvmOptions: string[];
    scheduling?: Scheduling;
    /** Size of the task's scratch emptyDir. */
    storageSize: string;
}

/** Everything DruidCluster needs, validated, with defaults applied. */
export interface ClusterPlan {
    name: string;
    /** Plain when given plain (or defaulted); another resource's output is checked when it resolves. */
    namespace: string | pulumi.Output<string>;
    createNamespace: boolean;
    druidVersion: string;
    image: string;
    extensions: string[];
    commonProperties: PropertyMap;
    serviceAccountName: string;
    /** The Overlord's own service account (`<name>-overlord`) when it runs tasks as Jobs; undefined: it uses `serviceAccountName`. */
    overlordServiceAccountName?: string;
    volumeRetention: VolumeRetention;
    deepStorage: Omit<DeepStoragePlan, "namespace" | "serviceAccountName" | "overlordServiceAccountName">;
    metadataStore: MetadataStorePlan;
    zookeeper: {
        external?: string; replicas: number; image: string; resources: Resources; volumeSize: string; storageClass?: pulumi.Input<string>; scheduling?: Scheduling;
        /** Heap in MiB (the image's ZK_SERVER_HEAP). */
        heapMiB: number;
    };
    services: ServicePlan[];
    router: { serviceType: RouterServiceType; serviceAnnotations: Record<string, string>; ingress?: NonNullable<NonNullable<DruidClusterArgs["query"]>["router"]>["ingress"] };
    auth: {
        enabled: boolean; adminPassword?: pulumi.Input<string>; internalClientPassword?: pulumi.Input<string>;
        /** Generation of the recorded passwords (password-record.ts). */
        passwordGeneration: number;
        /** `auth.ldap`, checked; undefined: no LDAP authenticator/authorizer. */
        ldap?: LdapAuthPlan;
        /** `auth.oidc`, checked; undefined: no pac4j authenticator. */
        oidc?: OidcAuthPlan;
    };
    /** What Druid deletes, and when (config/retention.ts); the S3 side is in deepStorage. */
    retention: RetentionConfig;
    tls?: TlsPlan;
    network: { enabled: boolean; routerAllowedNamespaces: string[]; routerAllowedCidrs: pulumi.Input<string>[]; brokerDirectAccess: boolean };
    metrics: {
        emitter: MetricsEmitter; prometheusPort: number; serviceMonitor: boolean;
        alerts: boolean; dashboards: boolean; thresholds: AlertThresholds; ruleLabels: Record<string, string>;
    };
    historicalStorage: HistoricalStorage;
    /** Retention rules, compaction and dynamic configuration the applier Job sets; undefined: no Job. */
    dataManagement?: DataManagementPlan;
    /** Zone-aware Historical tiers and ingestion workers, in the order of the arguments (resolve-zones.ts), each rolled one zone at a time by the wave Jobs (parts/zone-waves.ts); [] when none. */
    zoneWaves: ZoneWaveGroup[];
    /** Roles, users and LDAP group mappings the access Job applies (resolve-access.ts); undefined: no Job. */
    access?: AccessPlan;
    /** Druid tiers that no rule of the component loads anything onto (they stay empty unless rules set elsewhere name them). */
    tiersWithoutRules: string[];
    /** Discovery and leader election: ZooKeeper or the Kubernetes API. */
    coordination: "zookeeper" | "kubernetes";
    /** Identifier and leader-election timing of coordination "kubernetes"; undefined with ZooKeeper. */
    kubernetes?: KubernetesCoordinationPlan;
    /** Tasks as Kubernetes Jobs (no MiddleManager/Indexer in `services`). */
    taskPods?: TaskPodsPlan;
    highAvailability: boolean;
    metadataTls: MetadataTlsPlan;
    /** AWS tags, labels, annotations, pull secrets and priority class for everything (resolve-customization.ts). */
    customization: CustomizationPlan;
    /** Each service's pod extras (env, volumes, mounts, sidecars, init containers, priority class), by service key. */
    podExtras: Record<string, PodExtras>;
    /** Each service's requests, affinity, topology spread and disruption budget, by service key (resolve-placement.ts). */
    placement: Record<string, ServicePlacement>;
}

/** Minimum replicas of the high-availability profile (`highAvailability: true`). */
export const haMinimums = { coordinator: 2, overlord: 2, broker: 2, router: 2, zookeeper: 5 } as const;

/** RDS instance class of the high-availability profile when none is given: a non-burstable Graviton class. */
export const haDefaultInstanceClass = "db.m7g.large";

export const defaultDruidVersion = "37.0.0";
