// Data management, re-exported by args.ts: retention rules, automatic compaction and the
// Coordinator's dynamic configuration, applied by a Job inside the cluster. Checked in
// resolve-data-management.ts; applied by k8s/config-applier.ts.

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
