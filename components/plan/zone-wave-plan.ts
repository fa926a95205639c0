import { coordinatorPeriodSeconds } from "./layout";

// Zone-aware workloads and their rollout in zone waves (issue #25): the contract between the plan
// (resolve-zones: one ServicePlan per zone of a zone-aware Historical tier or ingestion worker group,
// each a StatefulSet with `updateStrategy: OnDelete`) and the builder of the wave Jobs
// (parts/zone-waves.ts), which restart one zone at a time, the next only after the previous zone
// serves again.

/** The node label that names a node's zone (Kubernetes well-known labels: topology.kubernetes.io/zone). */
export const zoneLabel = "topology.kubernetes.io/zone";

/** Labels the zone-aware objects carry, so that scripts, tests and models find them in a render. */
export const zoneWaveLabels = {
    /** On a zone's StatefulSet and its pods: the zone they are pinned to. */
    zone: "druid.apache.org/zone",
    /** On a wave Job: the key of the group it rolls (`ZoneWaveGroup.key`). */
    waveGroup: "druid.apache.org/zone-wave",
} as const;

/** One zone of a zone-aware group: its own StatefulSet, its own Druid tier (Historicals). */
export interface ZoneWave {
    /** The zone, e.g. "eu-west-1a" (value of the node label `zoneLabel`). */
    zone: string;
    /** Key of the zone's ServicePlan (`ServicePlan.key`), hence of its StatefulSet. */
    serviceKey: string;
    /** Pods of this zone. */
    replicas: number;
    /** Historicals: the zone's Druid tier (`druid.server.tier`); the wave is done when the Coordinator has loaded it. Undefined for ingestion workers. */
    druidTier?: string;
}

/** A zone-aware group: a Historical tier split by zone, or the MiddleManagers/Indexers split by zone. */
export interface ZoneWaveGroup {
    /** Unique key used in names: "historical-hot", "middlemanager", "indexer". */
    key: string;
    kind: "historical" | "middleManager" | "indexer";
    /** The logical tier name the user's rules use (Historicals); undefined for ingestion workers. */
    logicalTier?: string;
    /** Zones in wave order (the order the user listed them). */
    waves: ZoneWave[];
    /** Seconds one wave may take before it is declared failed: stop (grace) + start (startup budget) + loading its segments. */
    waveTimeoutSeconds: number;
    /**
     * Image (with tag) of this group's wave Jobs. Default: the Druid image, whose busybox TLS verifies
     * no certificate and is refused by API servers that accept no SHA-1 signature in TLS 1.2
     * (docs/zones.md "Trust"); an image with curl and a POSIX shell with grep, sed, tr, tee, timeout, wget
     * and base64 (e.g. curlimages/curl) makes the Job verify the API server against the namespace's CA bundle.
     */
    jobImage?: string;
}

/**
 * The wave Jobs' default image (`data.zoneWaveImage`): curl verifies the API server's certificate,
 * and its TLS offers SHA-256 signatures, which a Kubernetes 1.35+ API server (Go 1.25, GODEBUG
 * tlssha1=0 by default: golang/go#72883; Kubernetes' go.work pins `godebug default=go1.25` and later)
 * requires where the Druid image's busybox offers only SHA-1 (config/zone-wave.ts). The official
 * image of the curl project (github.com/curl/curl-container), Alpine-based (busybox sh, awk, sed,
 * timeout); this tag is in use in public repositories' manifests (docker.io/curlimages/curl:8.16.0).
 */
export const defaultZoneWaveImage = "curlimages/curl:8.16.0";

/**
 * Seconds a wave waits, once a zone's Historicals are Ready, before the Coordinator's load status
 * counts: three Coordinator runs (as the tier gate's minAgeSeconds, k8s/druid-service.ts), so the
 * counts come from a run that saw the restarted servers.
 */
export const zoneWaveSettleSeconds = 3 * coordinatorPeriodSeconds;
