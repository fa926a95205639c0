import * as crypto from "crypto";
import { loadRuleTypes, periodRuleTypes, intervalRuleTypes, includeFutureRuleTypes, RulePlan, CompactionPlan, DataManagementPlan, ApplyRequest, defaultRulesKey } from "../plan/data-management-plan";
export { loadRuleTypes, periodRuleTypes, intervalRuleTypes, includeFutureRuleTypes, ruleTypes, RuleType, RulePlan, CompactionPlan, DataManagementPlan, ApplyRequest, defaultRulesKey } from "../plan/data-management-plan";

// Request bodies of Druid's data-management APIs: retention rules, automatic compaction, Coordinator
// and Overlord dynamic configuration. Pure data, no Pulumi: resolve-data-management.ts validates the
// arguments into a DataManagementPlan, and config-applier.ts's script POSTs these requests inside
// the cluster. Every path, method and shape is Druid's documented one:
//   - rules: `POST /druid/coordinator/v1/rules/{dataSource}` (`_default` for the default rules), the
//     body an array of rules that replaces the datasource's rules (docs/api-reference/retention-rules-api.md;
//     rule shapes in docs/operations/rule-configuration.md);
//   - compaction: `POST /druid/coordinator/v1/config/compaction`, one datasource's configuration with
//     `dataSource` (docs/api-reference/automatic-compaction-api.md; fields in docs/configuration/index.md,
//     "Automatic compaction dynamic configuration");
//   - Coordinator dynamic configuration: `POST /druid/coordinator/v1/config`; the Coordinator merges the
//     fields given into its current configuration (CoordinatorDynamicConfigsResource#setDynamicConfigs:
//     `dynamicConfigBuilder.build(current)`), docs/configuration/index.md "Dynamic configuration";
//   - Overlord dynamic worker configuration: `POST /druid/indexer/v1/worker` with `selectStrategy`
//     (docs/api-reference/dynamic-configuration-api.md, docs/configuration/index.md "Overlord dynamic configuration").

/**
 * One rule as Druid's rules API takes it. Load rules always carry `tieredReplicants`; an empty map
 * also carries `useDefaultTierForNull: false`, the documented form of "load on no tier" (query
 * from deep storage: docs/api-reference/retention-rules-api.md's `_default` example), so Druid
 * never substitutes its `{"_default_tier": 2}`. Period rules carry `includeFuture` explicitly
 * (Druid's default is true).
 */
export function ruleBody(r: RulePlan): Record<string, unknown> {
    const body: Record<string, unknown> = { type: r.type };
    if ((periodRuleTypes as readonly string[]).includes(r.type)) body.period = r.period;
    if ((includeFutureRuleTypes as readonly string[]).includes(r.type)) body.includeFuture = r.includeFuture ?? true;
    if ((intervalRuleTypes as readonly string[]).includes(r.type)) body.interval = r.interval;
    if ((loadRuleTypes as readonly string[]).includes(r.type)) {
        body.tieredReplicants = { ...(r.tieredReplicants ?? {}) };
        if (Object.keys(r.tieredReplicants ?? {}).length === 0) body.useDefaultTierForNull = false;
    }
    return body;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * One datasource's automatic compaction configuration: the typed fields, then `spec` merged in
 * (objects one level deep, so `spec.tuningConfig` adds to the typed partitionsSpec). With a typed
 * tuning field, `tuningConfig.type` is "index_parallel", which the docs require.
 */
export function compactionBody(dataSource: string, c: CompactionPlan): Record<string, unknown> {
    const body: Record<string, unknown> = { dataSource };
    if (c.skipOffsetFromLatest !== undefined) body.skipOffsetFromLatest = c.skipOffsetFromLatest;
    if (c.taskPriority !== undefined) body.taskPriority = c.taskPriority;
    if (c.inputSegmentSizeBytes !== undefined) body.inputSegmentSizeBytes = c.inputSegmentSizeBytes;
    if (c.maxRowsPerSegment !== undefined) {
        body.tuningConfig = { type: "index_parallel", partitionsSpec: { type: "dynamic", maxRowsPerSegment: c.maxRowsPerSegment } };
    }
    if (c.segmentGranularity !== undefined) body.granularitySpec = { segmentGranularity: c.segmentGranularity };
    for (const [key, value] of Object.entries(c.spec)) {
        const typed = body[key];
        body[key] = isObject(typed) && isObject(value) ? { ...value, ...typed } : value;
    }
    return body;
}

/** Every POST, in the order the applier makes them: default rules, datasource rules, compaction, Coordinator then Overlord dynamic configuration. */
export function dataManagementRequests(p: DataManagementPlan): ApplyRequest[] {
    const rulesPath = (dataSource: string) => `/druid/coordinator/v1/rules/${encodeURIComponent(dataSource)}`;
    const requests: ApplyRequest[] = [];
    if (p.defaultRules !== undefined) {
        requests.push({ service: "coordinator", path: rulesPath(defaultRulesKey), body: JSON.stringify(p.defaultRules.map(ruleBody)) });
    }
    for (const [dataSource, rules] of p.rules) {
        requests.push({ service: "coordinator", path: rulesPath(dataSource), body: JSON.stringify(rules.map(ruleBody)) });
    }
    for (const [dataSource, c] of p.compaction) {
        requests.push({ service: "coordinator", path: "/druid/coordinator/v1/config/compaction", body: JSON.stringify(compactionBody(dataSource, c)) });
    }
    if (p.coordinatorDynamicConfig !== undefined) {
        requests.push({ service: "coordinator", path: "/druid/coordinator/v1/config", body: JSON.stringify(p.coordinatorDynamicConfig) });
    }
    if (p.workerSelectStrategy !== undefined) {
        requests.push({ service: "overlord", path: "/druid/indexer/v1/worker", body: JSON.stringify({ selectStrategy: p.workerSelectStrategy }) });
    }
    return requests;
}

/** A short, stable hash of some text (hex, 10 characters): names the applier's Job after what it does. */
export function contentHash(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, 10);
}
