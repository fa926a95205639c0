import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "./args-iam";
import { AutoscalingMetric, ContainerSecurityContext, Lifecycle, PlacementArgs, Probe } from "./args-placement";

export * from "./args-iam";
export * from "./args-placement";

// Every type here is also the multi-language schema (inferred by @pulumi/pulumi's component
// provider analyzer): only interfaces, enums as `as const` objects (the analyzer's supported form;
// TypeScript users still pass the plain strings), arrays, string-keyed maps and `pulumi.Input`s of
// those. Defaults are in the doc comments and applied in `resolve.ts`.

/** How Druid pods reach S3. */
export const S3AccessMode = { Irsa: "irsa", PodIdentity: "podIdentity", StaticKeys: "staticKeys" } as const;
/** How Druid pods reach S3. */
export type S3AccessMode = (typeof S3AccessMode)[keyof typeof S3AccessMode];

/** Kubernetes Service type of the Router (web console and SQL endpoint). */
export const RouterServiceType = { ClusterIP: "ClusterIP", NodePort: "NodePort", LoadBalancer: "LoadBalancer" } as const;
/** Kubernetes Service type of the Router (web console and SQL endpoint). */
export type RouterServiceType = (typeof RouterServiceType)[keyof typeof RouterServiceType];

/** Where Historicals keep their segment cache. */
export const HistoricalStorage = { Persistent: "persistent", Ephemeral: "ephemeral" } as const;
/** Where Historicals keep their segment cache. */
export type HistoricalStorage = (typeof HistoricalStorage)[keyof typeof HistoricalStorage];

/** Which process runs ingestion tasks. */
export const IngestionWorker = { MiddleManager: "middleManager", Indexer: "indexer", KubernetesJobs: "kubernetesJobs" } as const;
/** Which process runs ingestion tasks. */
export type IngestionWorker = (typeof IngestionWorker)[keyof typeof IngestionWorker];

/** How Druid processes find each other and elect the Coordinator and Overlord leaders. */
export const Coordination = { ZooKeeper: "zookeeper", Kubernetes: "kubernetes" } as const;
/** How Druid processes find each other and elect the Coordinator and Overlord leaders. */
export type Coordination = (typeof Coordination)[keyof typeof Coordination];

/** Which metrics emitter Druid uses. */
export const MetricsEmitter = { Prometheus: "prometheus", Logging: "logging", None: "none" } as const;
/** Which metrics emitter Druid uses. */
export type MetricsEmitter = (typeof MetricsEmitter)[keyof typeof MetricsEmitter];

/** How the Coordinator and Overlord check the metadata store's TLS. */
export const MetadataSslMode = { Require: "require", VerifyFull: "verify-full" } as const;
/** How the Coordinator and Overlord check the metadata store's TLS. */
export type MetadataSslMode = (typeof MetadataSslMode)[keyof typeof MetadataSslMode];

/** What happens to a StatefulSet's volumes when it is deleted or scaled down. */
export const VolumeRetention = { Retain: "Retain", Delete: "Delete" } as const;
/** What happens to a StatefulSet's volumes when it is deleted or scaled down. */
export type VolumeRetention = (typeof VolumeRetention)[keyof typeof VolumeRetention];

/**
 * Container resources of one Druid or ZooKeeper pod: `cpu` and `memory` are the limits, and the
 * requests unless `cpuRequest`/`memoryRequest` are given (requests equal to limits: Guaranteed QoS).
 * Druid's heap, direct memory and thread pools are always sized from the limits.
 */
export interface Resources {
    /** CPU cores, as a Kubernetes quantity ("2", "500m"): the limit. Druid's thread pools are derived from it. */
    cpu: string;
    /** Memory, as a Kubernetes quantity ("8Gi"): the limit. Heap and direct memory are derived from it. */
    memory: string;
    /**
     * CPU request, at most `cpu` (Druid services and sidecars only; the pod is then Burstable QoS).
     * Default: `cpu`.
     */
    cpuRequest?: string;
    /**
     * Memory request, at most `memory` (Druid services and sidecars only). Below the limit the node
     * may be overcommitted: the JVM still takes the heap and direct memory sized from the limit, so
     * the pod can be OOM-killed or evicted under node memory pressure. Default: `memory`.
     */
    memoryRequest?: string;
}

/** Scheduling options shared by every workload. */
export interface Scheduling {
    /** Node selector labels for the pods. Default: none. */
    nodeSelector?: { [key: string]: string };
    /** Tolerations for the pods. Default: none. */
    tolerations?: Toleration[];
}

/** A Kubernetes toleration. */
export interface Toleration {
    /** Taint key. */
    key?: string;
    /** "Equal" or "Exists". Default "Equal". */
    operator?: string;
    /** Taint value. */
    value?: string;
    /** "NoSchedule", "PreferNoSchedule" or "NoExecute". Default: all effects. */
    effect?: string;
}

/**
 * A volume of a pod: only the sources Pod Security "restricted" allows (configMap, secret,
 * emptyDir, persistentVolumeClaim, csi), one per volume.
 */
export interface Volume {
    /** Volume name (a DNS label), unique in the pod and not one of the component's own volumes. */
    name: string;
    /** A ConfigMap's keys as files. */
    configMap?: k8s.types.input.core.v1.ConfigMapVolumeSource;
    /** A Secret's keys as files. */
    secret?: k8s.types.input.core.v1.SecretVolumeSource;
    /** Scratch space that lives as long as the pod. */
    emptyDir?: k8s.types.input.core.v1.EmptyDirVolumeSource;
    /** An existing claim (ReadWriteMany or ReadOnlyMany for a workload with several pods). */
    persistentVolumeClaim?: k8s.types.input.core.v1.PersistentVolumeClaimVolumeSource;
    /** A CSI inline volume (e.g. the Secrets Store CSI driver). */
    csi?: k8s.types.input.core.v1.CSIVolumeSource;
}

/** A container port of a sidecar. */
export interface ContainerPort {
    /** Port name (an IANA service name, at most 15 characters). Default: none. */
    name?: string;
    /** Port number, 1-65535, not one of the Druid container's ports. */
    containerPort: number;
    /** "TCP" (default), "UDP" or "SCTP". */
    protocol?: string;
}

/**
 * A sidecar or init container, the common subset of a Kubernetes container (the schema analyzer
 * cannot type `k8s.types.input.core.v1.Container`: its probes hold int-or-string ports). It runs
 * with the pod's security context and the "restricted" container security context the component
 * gives every container (non-root, read-only root filesystem, no capabilities). For anything else,
 * see "Customising the Kubernetes objects" in the README (Pulumi transforms).
 */
export interface Container {
    /** Container name (a DNS label), unique in the pod and not "druid". */
    name: string;
    /** Image, with its tag or digest. */
    image: string;
    /** Entrypoint. Default: the image's. */
    command?: string[];
    /** Arguments. Default: the image's. */
    args?: string[];
    /** Environment variables. Default: none. */
    env?: k8s.types.input.core.v1.EnvVar[];
    /** Ports (sidecars only). Default: none. */
    ports?: ContainerPort[];
    /** CPU and memory, as requests and limits. Default: none (the pod is then no longer Guaranteed QoS). */
    resources?: Resources;
    /** Mounts of the pod's volumes: this service's `volumes`, or the component's `tmp`, `var` and data volume. Default: none. */
    volumeMounts?: k8s.types.input.core.v1.VolumeMount[];
    /** Readiness probe (sidecars only). Default: none. */
    readinessProbe?: Probe;
    /** Liveness probe (sidecars only). Default: none. */
    livenessProbe?: Probe;
    /** Startup probe (sidecars only). Default: none. */
    startupProbe?: Probe;
    /** postStart and preStop hooks (sidecars only). Default: none. */
    lifecycle?: Lifecycle;
    /** Security context laid over the component's "restricted" one; what Pod Security "restricted" refuses is refused. Default: the component's. */
    securityContext?: ContainerSecurityContext;
}

/** What a platform team adds to one service's pods, and where they run. */
export interface PodExtrasArgs extends PlacementArgs {
    /** Pod priority class of this service's pods. Default: `kubernetes.priorityClassName`. */
    priorityClassName?: string;
    /** Extra environment variables of the Druid container (not a name the component sets). Default: none. */
    env?: k8s.types.input.core.v1.EnvVar[];
    /** Extra volumes of the pods (mount them with `volumeMounts` or in a sidecar). Default: none. */
    volumes?: Volume[];
    /** Extra mounts in the Druid container, of this service's `volumes` (not over the component's own paths). Default: none. */
    volumeMounts?: k8s.types.input.core.v1.VolumeMount[];
    /** Containers running beside Druid in every pod. Default: none. */
    sidecars?: Container[];
    /** Containers run to completion before Druid starts. Default: none. */
    initContainers?: Container[];
}

/** One Druid service (Coordinator, Overlord, Broker, Router). */
export interface DruidServiceSettings extends PodExtrasArgs {
    /** Number of pods. Defaults: Coordinator 1, Overlord 1, Broker 2, Router 2. */
    replicas?: number;
    /** CPU and memory. Defaults: Coordinator 2/4Gi, Overlord 1/2Gi, Broker 2/8Gi, Router 1/1Gi. */
    resources?: Resources;
    /** Extra or overriding `runtime.properties` entries for this service. Default: none. */
    properties?: { [key: string]: string };
    /** Extra JVM flags appended to `jvm.config`. Default: none. */
    jvmOptions?: string[];
    /** Node selector and tolerations. Default: none. */
    scheduling?: Scheduling;
}

/** One Historical tier: its own StatefulSet, `druid.server.tier` and priority. */
export interface HistoricalTier extends PodExtrasArgs {
    /** Tier name, used in resource names (a DNS label, e.g. "hot"). */
    name: string;
    /** Number of Historical pods in this tier. Default 2. */
    replicas?: number;
    /** CPU and memory of each Historical. Default 4 CPU / 16Gi. */
    resources?: Resources;
    /**
     * Size of each pod's segment-cache volume ("100Gi"); the cache's maxSize is derived from it.
     * Required. Raising it grows the claims in place (their StorageClass needs `allowVolumeExpansion`)
     * without replacing the StatefulSet; a smaller size is refused (a claim cannot shrink).
     */
    volumeSize: string;
    /** Storage class of the segment-cache volume. Default: the cluster's default class. Cannot change once the tier exists (add a new tier instead). */
    storageClass?: string;
    /** Druid tier (`druid.server.tier`). Default: "_default_tier" for the tier named "default" (where Druid's default load rule puts segments), otherwise `name`. */
    druidTier?: string;
    /** `druid.server.priority` of the tier (higher is queried first). Default 0. */
    priority?: number;
    /** Extra or overriding `runtime.properties` entries. Default: none. */
    properties?: { [key: string]: string };
    /** Extra JVM flags. Default: none. */
    jvmOptions?: string[];
    /** Node selector and tolerations. Default: none. */
    scheduling?: Scheduling;
}

/** MiddleManagers (with Peons), Indexers, or Kubernetes Jobs: what runs ingestion tasks. The pod extras (`env`, `volumes`, `sidecars`, ...) apply to MiddleManager and Indexer pods, not to task Jobs. */
export interface Ingestion extends PodExtrasArgs {
    /**
     * "middleManager" (default: a forked Peon JVM per task), "indexer" (tasks as threads in one JVM) or
     * "kubernetesJobs" (experimental in Druid: the Overlord runs each task as a Kubernetes Job, no
     * MiddleManager; size the task pods with `taskResources`, bound them with `taskCapacity`; not with
     * `tls`: the Overlord calls task pods at their pod IP, which no certificate names).
     */
    worker?: IngestionWorker;
    /** Number of pods. Default 2. */
    replicas?: number;
    /** CPU and memory of each pod, Peons included. Default 4 CPU / 16Gi. */
    resources?: Resources;
    /** Task slots per pod (`druid.worker.capacity`). Default: start-druid's rule, min(CPU cores, memory / 2GiB), at least 1. */
    workerCapacity?: number;
    /** Size of the task-storage volume of each pod. Default "50Gi". Can grow (claims expanded in place), never shrink. */
    volumeSize?: string;
    /** Storage class of the task-storage volume. Default: the cluster's default class. Cannot change once the workers exist. */
    storageClass?: string;
    /** Extra or overriding `runtime.properties` entries. Default: none. */
    properties?: { [key: string]: string };
    /**
     * Extra JVM flags of the MiddleManager (or Indexer) process itself; Peons get `peonJvmOptions`.
     * -Xmx, -Xms and -XX:MaxDirectMemorySize replace the derived sizes and count in the memory check.
     * Default: none.
     */
    jvmOptions?: string[];
    /**
     * Extra JVM flags of every Peon (MiddleManager only), appended to `druid.indexer.runner.javaOptsArray`.
     * -Xmx, -Xms and -XX:MaxDirectMemorySize replace the derived Peon sizes and count in the memory
     * check (task slots x Peon memory must fit the pod). Default: none.
     */
    peonJvmOptions?: string[];
    /** Node selector and tolerations. Default: none. */
    scheduling?: Scheduling;
    /**
     * Before a pod stops (rollout, node drain), how long it waits for its running tasks after it
     * stopped taking new ones (`POST /druid/worker/v1/disable`), in seconds. Tasks still running then
     * are stopped; restorable ones (streaming ingestion) resume when the pod is back. The pod's
     * termination grace period is this plus Druid's own stop time. Default 900; 0 skips the wait.
     */
    drainTimeoutSeconds?: number;
    /** "kubernetesJobs" only: CPU and memory of each task pod (Peon heap and buffers are derived from it). Default 1 CPU / 2Gi. */
    taskResources?: Resources;
    /** "kubernetesJobs" only: most task Jobs running at once (`druid.indexer.runner.capacity`). Default 4. */
    taskCapacity?: number;
    /** "kubernetesJobs" only: scratch space of each task pod (an emptyDir, requested as ephemeral storage). Default "10Gi". */
    taskStorageSize?: string;
}

/** A HorizontalPodAutoscaler for a stateless query service. */
export interface Autoscaling {
    /** Fewest pods; at least 2, so the PodDisruptionBudget (one unavailable) always leaves one serving. */
    minReplicas: number;
    /** Most pods. */
    maxReplicas: number;
    /** Average CPU utilization to aim for, in percent of the request. Default 70 (when `metrics` is not given). */
    targetCpuUtilizationPercent?: number;
    /**
     * The metrics to scale on (autoscaling/v2 MetricSpec: CPU or memory of the pods, a per-pod
     * custom metric, an external metric), replacing the CPU target; not with
     * `targetCpuUtilizationPercent`. Default: CPU at `targetCpuUtilizationPercent`.
     */
    metrics?: AutoscalingMetric[];
}

/** The Brokers. */
export interface Broker extends DruidServiceSettings {
    /** Scale the Brokers with a HorizontalPodAutoscaler instead of a fixed `replicas`. Default: none. */
    autoscaling?: Autoscaling;
}

/** The Router: web console, management proxy and SQL endpoint. */
export interface Router extends DruidServiceSettings {
    /** Scale the Routers with a HorizontalPodAutoscaler instead of a fixed `replicas`. Default: none. */
    autoscaling?: Autoscaling;
    /** Kubernetes Service type. Default "ClusterIP". "LoadBalancer" requires auth to be enabled. */
    serviceType?: RouterServiceType;
    /** Annotations on the Router Service (e.g. for an internal AWS load balancer). Default: none. */
    serviceAnnotations?: { [key: string]: string };
    /** An Ingress for the console. Default: none. Requires auth to be enabled. */
    ingress?: Ingress;
}

/** An Ingress in front of the Router. */
export interface Ingress {
    /** Host name served. */
    host: pulumi.Input<string>;
    /** Ingress class. Default: the cluster's default class. */
    className?: pulumi.Input<string>;
    /** Secret holding the TLS certificate for the host. Default: no TLS on the Ingress. */
    tlsSecretName?: pulumi.Input<string>;
    /** Annotations on the Ingress. Default: none. */
    annotations?: { [key: string]: string };
}

/** Master services: Coordinator and Overlord. */
export interface Master {
    /** Run the Overlord inside the Coordinator process (`druid.coordinator.asOverlord.enabled`). Default false. */
    combined?: boolean;
    /** The Coordinator (or combined Coordinator-Overlord). */
    coordinator?: DruidServiceSettings;
    /** The Overlord; ignored when `combined` is true. */
    overlord?: DruidServiceSettings;
}

/** Query services: Broker and Router. */
export interface Query {
    /** Brokers. */
    broker?: Broker;
    /** Routers. */
    router?: Router;
}

/** Data services: Historical tiers and ingestion workers. */
export interface Data {
    /** Historical tiers. Default: one tier "_default_tier" named "default", 2 replicas, 4 CPU/16Gi, 100Gi volume. */
    historicalTiers?: HistoricalTier[];
    /** Segment cache on PVCs ("persistent", default) or on emptyDir ("ephemeral": cheaper, reloads from deep storage after a restart). */
    historicalStorage?: HistoricalStorage;
    /** In-memory (Caffeine) query cache per Historical, as a quantity ("512Mi"). Default: none (cache off). */
    historicalCacheSize?: string;
    /** MiddleManagers or Indexers. */
    ingestion?: Ingestion;
}

/** Deep storage: the S3 bucket that holds every segment, task logs and durable query results. */
export interface DeepStorageSettings {
    /** Use this existing bucket instead of creating one (another resource's output, e.g. `bucket.bucket`, is accepted). Default: a new bucket. */
    existingBucketName?: pulumi.Input<string>;
    /** Key prefix under which Druid writes (segments, task logs and MSQ durable storage each get a sub-prefix). Default "druid". */
    prefix?: string;
    /** AWS region of the bucket. Default: the AWS provider's region. */
    region?: pulumi.Input<string>;
    /** KMS key ARN for SSE-KMS (another resource's output, e.g. `key.arn`, is accepted). Default: SSE-S3 (AES256). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Keep object versions. Default true. */
    versioning?: boolean;
    /**
     * Days a task log is kept. Druid's Overlord deletes older task logs and their tasks' rows in the
     * metadata store (`druid.indexer.logs.kill.*`); on a bucket the component creates, an S3
     * lifecycle rule expires them after the same number of days (and their old versions a day
     * later), as a backstop. Default 30; 0 keeps them forever (both off).
     */
    taskLogRetentionDays?: number;
    /**
     * Days S3 keeps an object's old (noncurrent) versions under the segment and MSQ
     * durable-storage prefixes (and the task-log prefix when `taskLogRetentionDays` is 0; otherwise
     * old task-log versions go after a day) before deleting them; delete markers left with no
     * version behind them are removed. With versioning on, a killed segment stays recoverable from its old version this
     * long. Only on a bucket the component creates (an existing bucket's lifecycle is yours).
     * Default 30; 0 keeps old versions forever.
     */
    noncurrentVersionExpirationDays?: number;
    /**
     * Permanently delete unused segments (from deep storage and the metadata store) with the
     * Coordinator's kill duty (`druid.coordinator.kill.*`). Dangerous: only when asked by name with
     * `enabled: true`. Default: off (`druid.coordinator.kill.on=false`).
     */
    killUnusedSegments?: UnusedSegmentKill;
    /** Allow `pulumi destroy` to delete a non-empty bucket. Default false. */
    forceDestroy?: boolean;
    /** Leave the bucket in AWS when it is removed from the stack. Default true. */
    retainOnDelete?: boolean;
    /** How pods get S3 credentials. Default "irsa". "staticKeys" creates an IAM user and access key stored in a Kubernetes Secret. */
    accessMode?: S3AccessMode;
    /** ARN of the EKS cluster's IAM OIDC provider (required for "irsa"). */
    oidcProviderArn?: pulumi.Input<string>;
    /** Issuer URL of the EKS cluster's OIDC provider, with or without "https://" (required for "irsa"). */
    oidcProviderUrl?: pulumi.Input<string>;
    /** EKS cluster name (required for "podIdentity"). */
    eksClusterName?: pulumi.Input<string>;
    /**
     * More IAM statements for the Druid pods (reading the team's ingestion sources: S3 input buckets,
     * Kinesis streams, MSK topics), an inline policy of their role (or, with "staticKeys", of their
     * IAM user) beside the deep-storage policy. Default: none.
     */
    extraPolicyStatements?: PolicyStatement[];
    /**
     * ARNs of IAM managed policies attached to the pods' role (or, with "staticKeys", their IAM user),
     * at most 25 for a role and 20 for a user (AWS's default quota is 10 for both). Another resource's output, e.g.
     * `policy.arn`, is accepted. Default: none.
     */
    managedPolicyArns?: pulumi.Input<string>[];
}

/** The Coordinator's kill of unused segments: what is deleted for good, and when. */
export interface UnusedSegmentKill {
    /** Turn the kill on. Required, so that deleting data is always asked for by name. */
    enabled: boolean;
    /**
     * Keep unused segments whose time interval ended less than this many days ago
     * (`druid.coordinator.kill.durationToRetain`). Required when `enabled`; 0 makes every unused
     * segment eligible, whatever its interval.
     */
    durationToRetainDays?: number;
    /** Days a segment must have been unused before it is killed (`druid.coordinator.kill.bufferPeriod`). Default 30, at least 1. */
    bufferPeriodDays?: number;
    /** Segments deleted per kill task (`druid.coordinator.kill.maxSegments`). Default 100. */
    maxSegments?: number;
}

/** A PostgreSQL server the user already runs. */
export interface ExistingPostgres {
    /** Host name. */
    host: pulumi.Input<string>;
    /** Port. Default 5432. */
    port?: pulumi.Input<number>;
    /** Database name. Default "druid". */
    database?: pulumi.Input<string>;
    /** User name. Default "druid". */
    user?: pulumi.Input<string>;
    /** Password (a secret). */
    password: pulumi.Input<string>;
}

/**
 * The CA certificate(s) that sign the metadata store's server certificate (for RDS, AWS's regional
 * or global bundle, e.g. `global-bundle.pem`), in PEM. Give exactly one of `pem`, `secretName` or
 * `configMapName`.
 */
export interface MetadataCaCertificate {
    /** The PEM text itself; the component stores it in a ConfigMap. */
    pem?: pulumi.Input<string>;
    /** An existing Secret in the cluster's namespace that holds the PEM under `key`. */
    secretName?: string;
    /** An existing ConfigMap in the cluster's namespace that holds the PEM under `key`. */
    configMapName?: string;
    /** Key of the PEM in the Secret or ConfigMap. Default "ca.pem". */
    key?: string;
}

/** Metadata storage: an RDS PostgreSQL instance, or an existing PostgreSQL server. */
export interface MetadataStoreSettings {
    /** Use this PostgreSQL server instead of creating RDS. Default: create RDS. */
    existing?: ExistingPostgres;
    /** VPC of the RDS instance (required when creating RDS). */
    vpcId?: pulumi.Input<string>;
    /** Private subnet ids for the DB subnet group, at least two AZs (required when creating RDS). */
    subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups allowed to connect on 5432 (the Kubernetes nodes' or pods' group). */
    allowedSecurityGroupIds?: pulumi.Input<string>[];
    /** CIDR blocks allowed to connect on 5432, one security group rule each (so the list itself is known at plan time; each entry may be an output). Never 0.0.0.0/0. */
    allowedCidrBlocks?: pulumi.Input<string>[];
    /** PostgreSQL major version, 16 or 17, or a full version such as "17.4". Default "17". */
    engineVersion?: string;
    /** Instance class. Default "db.t4g.medium". */
    instanceClass?: string;
    /** Allocated storage in GiB (gp3). Default 50. */
    allocatedStorageGb?: number;
    /** Storage autoscaling ceiling in GiB. Default 200. */
    maxAllocatedStorageGb?: number;
    /** Standby in a second AZ. Default false. */
    multiAz?: boolean;
    /** Days of automated backups, 1-35. Default 7. */
    backupRetentionDays?: number;
    /** RDS deletion protection. Default true. */
    deletionProtection?: boolean;
    /** Skip the final snapshot on delete. Default false; only when asked by name. */
    skipFinalSnapshot?: boolean;
    /** Database name. Default "druid". */
    databaseName?: pulumi.Input<string>;
    /** Master user name. Default "druid". */
    username?: pulumi.Input<string>;
    /** Leave the instance in AWS when it is removed from the stack. Default true. */
    retainOnDelete?: boolean;
    /**
     * Days Druid keeps audit records, terminated supervisors' records, and the rules and
     * datasource records of datasources that are gone, before the Coordinator deletes them
     * (`druid.coordinator.kill.{audit,supervisor,rule,datasource}.*`; compaction configurations of
     * such datasources are deleted too). Applies to an existing server as well. Default 90
     * (Druid's own default, now written down); 0 keeps them forever.
     */
    recordRetentionDays?: number;
    /**
     * TLS check of the connection (pgJDBC `sslmode`): "require" (default) encrypts but accepts any
     * server certificate; "verify-full" also checks the certificate against `caCertificate` and the
     * host name, so a man in the middle is refused. Applies to RDS and to an existing server.
     */
    sslMode?: MetadataSslMode;
    /** The CA bundle that signs the server's certificate; required with sslMode "verify-full", refused otherwise. */
    caCertificate?: MetadataCaCertificate;
}

/** ZooKeeper: an ensemble on Kubernetes, or an external one. */
export interface ZooKeeper {
    /** Use this connect string ("host:2181,host2:2181") instead of running an ensemble. Default: run one. */
    externalConnectString?: string;
    /** Ensemble size, odd. Default 3. */
    replicas?: number;
    /** ZooKeeper image. Default "zookeeper:3.8.6". */
    image?: string;
    /** CPU and memory of each server. Default 500m / 1Gi. */
    resources?: Resources;
    /** Data volume size. Default "10Gi". */
    volumeSize?: string;
    /** Storage class of the data volume. Default: the cluster's default class. */
    storageClass?: pulumi.Input<string>;
    /** Node selector and tolerations. Default: none. */
    scheduling?: Scheduling;
}

/** Druid authentication and authorization (druid-basic-security, metadata-store backed). */
export interface Auth {
    /** Turn auth on. Default true. With false, a LoadBalancer Router or an Ingress is refused. */
    enabled?: boolean;
    /** Admin password (secret). Default: generated. */
    adminPassword?: pulumi.Input<string>;
    /** Internal-client (escalator) password (secret). Default: generated. */
    internalClientPassword?: pulumi.Input<string>;
    /**
     * Generation of the two passwords above. Druid sets `admin`'s and `druid_system`'s passwords
     * only when it creates those users, so the component records the passwords' salted hashes at
     * creation and refuses a later change. To rotate a password: change it in Druid first
     * (`POST /druid-ext/basic-security/authentication/db/MetadataStoreAuthenticator/users/{admin|druid_system}/credentials`),
     * then give the new password here and raise this number by one: the new generation records
     * the new hashes and rolls every Druid pod. Default 0.
     */
    passwordGeneration?: number;
}

/** Kind of the cert-manager issuer. */
export const CertManagerIssuerKind = { Issuer: "Issuer", ClusterIssuer: "ClusterIssuer" } as const;
/** Kind of the cert-manager issuer. */
export type CertManagerIssuerKind = (typeof CertManagerIssuerKind)[keyof typeof CertManagerIssuerKind];

/**
 * Leader election of the Coordinators and Overlords with coordination "kubernetes" (Druid's
 * `druid.discovery.k8s.leaseDuration`, `renewDeadline`, `retryPeriod`, K8sDiscoveryConfig). Druid
 * does not release the lock when a leader stops, so a failover waits until the lease expires.
 */
export interface LeaderElection {
    /** How long a leader's lease lasts without renewal, in seconds: the longest a failover waits. Default 15 with highAvailability, else Druid's 60. */
    leaseDurationSeconds?: number;
    /** How long the leader keeps trying to renew before it gives up leadership, in seconds; less than the lease. Default 10 with highAvailability, else Druid's 17. */
    renewDeadlineSeconds?: number;
    /** Seconds between two attempts to acquire or renew the lock; less than the renew deadline. Default 2 with highAvailability, else Druid's 5. */
    retryPeriodSeconds?: number;
}

/** TLS for every Druid service: Druid then serves on its TLS ports only. Give `secretName` or `certManagerIssuer`. */
export interface Tls {
    /** An existing Secret with a PKCS12 keystore, truststore and their password (the shape of cert-manager's `keystores.pkcs12`). */
    secretName?: string;
    /** Key of the keystore in the Secret. Default "keystore.p12". */
    keystoreKey?: string;
    /** Key of the truststore in the Secret. Default "truststore.p12". */
    truststoreKey?: string;
    /** Key of the keystore/truststore password in the Secret. Default "password". */
    passwordKey?: string;
    /** A cert-manager issuer: the component creates the Certificate (DNS names of every Druid Service and pod) and its keystore password. */
    certManagerIssuer?: string;
    /** Kind of `certManagerIssuer`. Default "Issuer". */
    certManagerIssuerKind?: CertManagerIssuerKind;
    /**
     * Alias of the key entry in the keystore (`druid.server.https.certAlias`). Default: "1" with
     * `certManagerIssuer` (cert-manager's PKCS12 keystore); with `secretName`, none, so Druid uses
     * the keystore's only key.
     */
    certAlias?: string;
}

/** NetworkPolicies. */
export interface NetworkPolicy {
    /** Create NetworkPolicies. Default true. */
    enabled?: boolean;
    /** Namespaces (by name) allowed to reach the Router. Default: none besides the cluster's own. */
    routerAllowedNamespaces?: string[];
    /** CIDR blocks allowed to reach the Router (e.g. the load balancer's subnets); one NetworkPolicy peer each, so the list is known at plan time, its entries may be outputs. Default: none. */
    routerAllowedCidrs?: pulumi.Input<string>[];
    /** Also open the Broker to the Router's allowed sources (direct SQL / native queries). Default false. */
    brokerDirectAccess?: boolean;
}

/** Metrics. */
export interface Metrics {
    /** Emitter. Default "prometheus" (exporter strategy, scrape annotations); "logging" logs metrics; "none" emits nothing. */
    emitter?: MetricsEmitter;
    /** Port of the Prometheus exporter in every Druid pod. Default 9000. */
    prometheusPort?: number;
    /** Create a Prometheus Operator ServiceMonitor. Default false. */
    serviceMonitor?: boolean;
    /** Create a Prometheus Operator PrometheusRule with the cluster's alerts (needs the "prometheus" emitter). Default false. */
    alerts?: boolean;
    /** Thresholds of the alerts. Defaults: see each field. */
    alertThresholds?: AlertThresholds;
    /** Labels on the PrometheusRule (e.g. the `release` label your Prometheus's `ruleSelector` matches). Default: none. */
    ruleLabels?: { [key: string]: string };
    /** Create a Grafana dashboard ConfigMap (label `grafana_dashboard: "1"`, for the Grafana sidecar; needs the "prometheus" emitter). Default false. */
    dashboards?: boolean;
}

/** When the alerts of `metrics.alerts` fire. */
export interface AlertThresholds {
    /** Minutes a Druid service may have fewer pods reporting than planned (none: critical) before an alert. Default 5. */
    serviceDownMinutes?: number;
    /** Minutes segments may stay unavailable (not loaded anywhere) before an alert. Default 10. */
    segmentsUnavailableMinutes?: number;
    /** Minutes segments may stay under-replicated before an alert. Default 30. */
    underReplicatedMinutes?: number;
    /** Minutes a Historical's segment load queue may stay non-empty without shrinking before an alert. Default 15. */
    loadQueueStuckMinutes?: number;
    /** Minutes tasks may stay pending (waiting for a slot or a lock) before an alert. Default 15. */
    pendingTasksMinutes?: number;
    /** Failed tasks within an hour that fire an alert. Default 1. */
    failedTasksPerHour?: number;
    /** Minutes every task slot may stay busy before an alert. Default 30. */
    taskSlotsFullMinutes?: number;
    /** Share of Broker queries that fail, over 10 minutes, that fires an alert (0-1). Default 0.05. */
    queryFailureRatio?: number;
    /** 95th percentile of Broker query time, in seconds, over 10 minutes, that fires an alert. Default 10. */
    queryP95Seconds?: number;
    /** Share of the JVM heap in use, sustained 15 minutes, that fires an alert (0-1). Default 0.9. */
    heapUsedRatio?: number;
    /** Share of the direct memory left beyond the processing buffers that may be used, sustained 15 minutes, before an alert (0-1). Default 0.9. */
    directMemoryHeadroomRatio?: number;
}

/** Druid's retention rule types (docs/operations/rule-configuration.md). */
export const RetentionRuleType = {
    LoadForever: "loadForever", LoadByInterval: "loadByInterval", LoadByPeriod: "loadByPeriod",
    DropForever: "dropForever", DropByInterval: "dropByInterval", DropByPeriod: "dropByPeriod", DropBeforeByPeriod: "dropBeforeByPeriod",
    BroadcastForever: "broadcastForever", BroadcastByInterval: "broadcastByInterval", BroadcastByPeriod: "broadcastByPeriod",
} as const;
/** Druid's retention rule types (docs/operations/rule-configuration.md). */
export type RetentionRuleType = (typeof RetentionRuleType)[keyof typeof RetentionRuleType];

/**
 * One retention rule, as Druid's rules API takes it (docs/operations/rule-configuration.md). The
 * Coordinator matches each segment with the first rule of the list that applies.
 */
export interface RetentionRule {
    /** Rule type: "loadForever", "loadByInterval", "loadByPeriod", "dropForever", "dropByInterval", "dropByPeriod", "dropBeforeByPeriod", "broadcastForever", "broadcastByInterval" or "broadcastByPeriod". */
    type: RetentionRuleType;
    /**
     * Load rules only (required for them): replicas of each segment per Druid tier, keyed by the
     * tier's `druidTier` ("_default_tier" for the tier named "default"). A count may not exceed the
     * tier's `replicas` (Druid puts at most one replica on a Historical). `{}` keeps the matched
     * segments in deep storage only (query from deep storage).
     */
    tieredReplicants?: { [tier: string]: number };
    /** ISO-8601 period ("P30D", "P1M") of the "...ByPeriod" rules; required for them. */
    period?: string;
    /** ISO-8601 interval ("2024-01-01/2025-01-01") of the "...ByInterval" rules; required for them. */
    interval?: string;
    /** "loadByPeriod", "dropByPeriod", "broadcastByPeriod": also match segments in the future. Default true (Druid's default). */
    includeFuture?: boolean;
}

/** Automatic compaction of one datasource (docs/data-management/automatic-compaction.md). */
export interface Compaction {
    /** Leave the most recent data alone, as an ISO-8601 period (`skipOffsetFromLatest`). Default: Druid's, "P1D". */
    skipOffsetFromLatest?: string;
    /** Priority of the compaction tasks (`taskPriority`). Default: Druid's, 25. */
    taskPriority?: number;
    /** Most segment bytes one compaction task reads (`inputSegmentSizeBytes`). Default: Druid's, 100 TB. */
    inputSegmentSizeBytes?: number;
    /** Segment granularity of the compacted segments (`granularitySpec.segmentGranularity`: "HOUR", "DAY", "MONTH", ...). Default: keep the segments' granularity. */
    segmentGranularity?: string;
    /** Rows per compacted segment (`tuningConfig.partitionsSpec`, dynamic partitioning). Default: Druid's, 5000000. */
    maxRowsPerSegment?: number;
    /**
     * Any other field of Druid's compaction configuration (`tuningConfig`, `taskContext`,
     * `dimensionsSpec`, `ioConfig`, ...), as the text of a JSON object
     * (`JSON.stringify({ tuningConfig: {...} })`), merged into the request body (objects one level
     * deep: `tuningConfig` and `granularitySpec` keep the typed fields above). Default: none.
     */
    spec?: string;
}

/** Coordinator dynamic configuration (docs/configuration/index.md, "Dynamic configuration"): only the fields given are changed. */
export interface CoordinatorDynamicConfig {
    /** Let the Coordinator compute its loading and balancing limits (`smartSegmentLoading`). Default: Druid's, true; set false to use `maxSegmentsToMove` and `replicationThrottleLimit`. */
    smartSegmentLoading?: boolean;
    /** Segments moved per tier at a time (`maxSegmentsToMove`); needs smartSegmentLoading false. Default: Druid's, 100. */
    maxSegmentsToMove?: number;
    /** Replicas assigned per tier in one Coordinator run (`replicationThrottleLimit`); needs smartSegmentLoading false. Default: Druid's, 500. */
    replicationThrottleLimit?: number;
    /** Datasources whose unused segments the Coordinator's kill duty deletes (`killDataSourceWhitelist`); refused unless `deepStorage.killUnusedSegments` turns the kill on. Default: Druid's, none. */
    killDataSourceWhitelist?: string[];
    /** Pause every Coordinator duty (`pauseCoordination`). Default: Druid's, false. */
    pauseCoordination?: boolean;
    /** Any other dynamic configuration field, as the text of a JSON object (`JSON.stringify({ maxKillTaskSlots: 2 })`: `decommissioningNodes`, `maxKillTaskSlots`, ...). Default: none. */
    extra?: string;
}

/**
 * Retention rules, compaction and dynamic configuration as code: applied inside the cluster by a
 * Kubernetes Job after the Coordinator (and Overlord) are up, once per change.
 */
export interface DataManagement {
    /**
     * Default rules of every datasource (Druid's `_default` rules). Default: Druid's own
     * (`loadForever` with 2 replicas on "_default_tier"), left as they are; required when no
     * Historical tier is "_default_tier".
     */
    defaultRules?: RetentionRule[];
    /**
     * Rules per datasource, replacing that datasource's rules in Druid. `[]` hands the datasource
     * back to the default rules. A datasource removed from this map keeps its last rules in Druid.
     * Default: none.
     */
    rules?: { [dataSource: string]: RetentionRule[] };
    /** Automatic compaction per datasource. A datasource removed from this map keeps its compaction in Druid. Default: none. */
    compaction?: { [dataSource: string]: Compaction };
    /** Coordinator dynamic configuration; only the fields given are set. Default: none (Druid's). */
    coordinatorDynamicConfig?: CoordinatorDynamicConfig;
    /**
     * Overlord worker select strategy (`selectStrategy` of the Overlord dynamic configuration), as
     * the text of a JSON object, e.g. `JSON.stringify({ type: "fillCapacity" })`; the whole worker
     * configuration is replaced with it. Refused with worker "kubernetesJobs", which has no workers
     * to select. Default: none (Druid's "equalDistribution").
     */
    workerSelectStrategy?: string;
    /** Seconds the applier Job keeps retrying until the Coordinator answers. Default 600. */
    applyTimeoutSeconds?: number;
}

/** What a platform team adds to every Kubernetes object and pod of the cluster. */
export interface Kubernetes {
    /** Labels on every Kubernetes object the component creates (not the component's own keys; selectors are never changed). Default: none. */
    labels?: { [key: string]: string };
    /** Annotations on every Kubernetes object the component creates. Default: none. */
    annotations?: { [key: string]: string };
    /** Labels on every pod (Druid, ZooKeeper, task and applier pods). Default: none. */
    podLabels?: { [key: string]: string };
    /** Annotations on every pod. Default: none. */
    podAnnotations?: { [key: string]: string };
    /** Secrets (of type kubernetes.io/dockerconfigjson, in the cluster's namespace) every pod pulls its images with. Default: none. */
    imagePullSecrets?: string[];
    /** Pod priority class of every pod; a service's own `priorityClassName` wins. Default: none. */
    priorityClassName?: string;
}

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
