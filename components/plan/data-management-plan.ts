// What the plan decides of `dataManagement` (rules, compaction, dynamic configuration) and the
// requests the applier POSTs; config/data-management.ts writes their bodies.

/** Rule types whose body carries `tieredReplicants`. */
export const loadRuleTypes = ["loadForever", "loadByInterval", "loadByPeriod"] as const;

/** Rule types with a `period`. */
export const periodRuleTypes = ["loadByPeriod", "dropByPeriod", "dropBeforeByPeriod", "broadcastByPeriod"] as const;

/** Rule types with an `interval`. */
export const intervalRuleTypes = ["loadByInterval", "dropByInterval", "broadcastByInterval"] as const;

/** Rule types with `includeFuture` (dropBeforeByPeriod has none). */
export const includeFutureRuleTypes = ["loadByPeriod", "dropByPeriod", "broadcastByPeriod"] as const;

/** Every rule type of Druid's Rule interface (server/.../coordinator/rules/Rule.java @JsonSubTypes). */
export const ruleTypes = [
    "loadForever", "loadByInterval", "loadByPeriod",
    "dropForever", "dropByInterval", "dropByPeriod", "dropBeforeByPeriod",
    "broadcastForever", "broadcastByInterval", "broadcastByPeriod",
] as const;

export type RuleType = (typeof ruleTypes)[number];

/** A validated rule: tier keys are Druid tiers. */
export interface RulePlan {
    type: RuleType;
    tieredReplicants?: Record<string, number>;
    period?: string;
    interval?: string;
    includeFuture?: boolean;
}

/** A validated compaction configuration of one datasource. */
export interface CompactionPlan {
    skipOffsetFromLatest?: string;
    taskPriority?: number;
    inputSegmentSizeBytes?: number;
    segmentGranularity?: string;
    maxRowsPerSegment?: number;
    spec: Record<string, unknown>;
}

/** What the applier sets, validated (resolve-data-management.ts). */
export interface DataManagementPlan {
    /** Druid's `_default` rules; undefined leaves them as Druid has them. */
    defaultRules?: RulePlan[];
    /** Rules per datasource, sorted by datasource. */
    rules: [string, RulePlan[]][];
    /** Compaction per datasource, sorted by datasource. */
    compaction: [string, CompactionPlan][];
    /** Coordinator dynamic configuration fields to set; undefined sets none. */
    coordinatorDynamicConfig?: Record<string, unknown>;
    /** Overlord `selectStrategy`; undefined leaves the worker configuration alone. */
    workerSelectStrategy?: Record<string, unknown>;
    /** Seconds the applier retries before it gives up. */
    applyTimeoutSeconds: number;
}

/** One POST the applier makes. */
export interface ApplyRequest {
    /** Which service answers it (the Overlord's requests go to the Coordinator when it runs the Overlord). */
    service: "coordinator" | "overlord";
    path: string;
    /** The JSON body, as sent. */
    body: string;
}

/** The rules API's key of the default rules (`druid.manager.rules.defaultRule`, default `_default`). */
export const defaultRulesKey = "_default";
