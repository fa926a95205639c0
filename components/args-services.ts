import * as pulumi from "@pulumi/pulumi";
import { AutoscalingMetric } from "./args-placement";
import { PodExtrasArgs, Resources, Scheduling } from "./args-kubernetes";

// The Druid services, re-exported by args.ts: the master (Coordinator, Overlord), query (Broker,
// Router, with its Ingress and autoscaling) and data (Historical tiers, ingestion workers) services.
// Checked and sized in resolve.ts.

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
    /** Number of Historical pods in this tier (with `zones`: in each zone). Default 2. */
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
    /**
     * Load the segment cache lazily when a Historical restarts (`druid.segmentCache.lazyLoadOnStart`):
     * it reads only each cached segment's metadata and announces it, and the first query of each
     * segment pays the rest of the load. An operator measured 3.23 ms a segment instead of 15.3 ms,
     * about 4 minutes instead of over 20 for 85,000 segments (apache/druid#18687, #18446), at the cost
     * of slower first queries after a restart. The start-up budget (startup probe) and the rollout
     * timeout shrink with it: 900 s a pod instead of 3600 s (docs/operations.md, "Restart time").
     * Not with `historicalStorage: "ephemeral"` (an emptyDir cache is empty after a restart) nor with
     * Druid's SegmentStatsMonitor (which refuses it). Default false (Druid's default).
     */
    lazyLoadOnStart?: boolean;
    /**
     * Threads that load the cached segments when a Historical starts
     * (`druid.segmentCache.numBootstrapThreads`, 1 to 256). More threads shorten an eager restart
     * while using more CPU and disk bandwidth during it; the start-up budget stays what
     * `lazyLoadOnStart` makes it. Default: Druid's, `druid.segmentCache.numLoadingThreads`, itself
     * max(1, available processors / 6) — one thread below 12 CPUs.
     */
    bootstrapThreads?: number;
    /** Extra or overriding `runtime.properties` entries. Default: none. */
    properties?: { [key: string]: string };
    /** Extra JVM flags. Default: none. */
    jvmOptions?: string[];
    /** Node selector and tolerations. Default: none. */
    scheduling?: Scheduling;
    /**
     * Make the tier zone-aware (docs/zones.md): one StatefulSet and one Druid tier
     * (`<druidTier>-<zone>`) per zone, each pinned to its zone (`topology.kubernetes.io/zone`) and
     * restarted one zone at a time. At least 2 distinct zones, each a node zone label value such
     * as "eu-west-1a" (a DNS label). `replicas` then counts the Historicals of EACH zone, and rules
     * written against this tier give each zone an equal share of the replicas. Default: none (one
     * StatefulSet whose pods spread over the zones the scheduler chooses).
     */
    zones?: string[];
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
    /** Number of pods (with `zones`: in each zone). Default 2. */
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
    /**
     * Run the MiddleManagers or Indexers zone by zone (docs/zones.md): one StatefulSet per zone,
     * pinned to it (`topology.kubernetes.io/zone`) and restarted one zone at a time while the other
     * zones take new tasks. At least 2 distinct zones (node zone label values such as "eu-west-1a").
     * `replicas` then counts the pods of EACH zone. They stay one Druid worker category. Not with
     * worker "kubernetesJobs". Default: none (one StatefulSet).
     */
    zones?: string[];
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
    /**
     * Zone-local Brokers: the `name` of a zone-aware Historical tier (one with `zones`). The Brokers
     * then run as one Deployment per zone of that tier, pinned to its zone, each preferring that
     * zone's Historicals (`druid.broker.select.tier=preferred`) and falling back to the other zones'
     * when its own has too few. `replicas` and `autoscaling` then count the Brokers of each zone.
     * Every zone's Brokers announce the same Druid service, so the Router spreads queries over all
     * of them (docs/zones.md, "Brokers"). Default: none (one Broker Deployment, querying every tier
     * by priority).
     */
    preferZoneOf?: string;
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
    /**
     * Image of the zone-wave Jobs that roll zone-aware tiers and workers one zone at a time
     * (docs/zones.md, "Zone waves"): it needs `curl` and a POSIX shell with awk, sed, grep and
     * timeout (curlimages/curl has them). The Jobs call the Kubernetes API with a scoped token and
     * verify the API server's certificate against the namespace's `kube-root-ca.crt`. Mirror it to
     * your registry and give that reference here. The Druid image also works where the API server
     * accepts its busybox's TLS (no certificate verification, SHA-1 signatures: Kubernetes 1.35 and
     * later refuse it, Go 1.25's default): give the Druid image's reference to use it. Default
     * "curlimages/curl:8.16.0".
     */
    zoneWaveImage?: string;
}
