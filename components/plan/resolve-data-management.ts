import { Compaction, DataManagement, RetentionRule } from "../args";
import { CompactionPlan, DataManagementPlan, defaultRulesKey, includeFutureRuleTypes, intervalRuleTypes, loadRuleTypes, periodRuleTypes, RulePlan, ruleTypes } from "./data-management-plan";
import { DruidArgumentError } from "../core/errors";
import { checkInteger, shapeOf } from "./validate";
import type { LogicalTier } from "./resolve-zones";

// Validation of `dataManagement` (retention rules, compaction, dynamic configuration) into the plan
// the applier Job POSTs. Called by resolve.ts with the resolved Historical tiers.

/** A Historical tier as the rules see it: Druid tier name, how many Historicals serve it, the component tier names that make it. */
export interface RuleTier {
    druidTier: string;
    replicas: number;
    names: string[];
}

/** Druid's default tier (`druid.server.tier` default, DruidServer.DEFAULT_TIER). */
export const druidDefaultTier = "_default_tier";

/**
 * ISO-8601 period as Joda-Time's ISOPeriodFormat.standard() reads it (Druid parses `period` and
 * `skipOffsetFromLatest` into org.joda.time.Period): PnYnMnWnDTnHnMnS, at least one field, seconds
 * may have a fraction.
 */
const isoPeriod = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
/** An ISO-8601 date-time as Joda's ISODateTimeFormat.dateTimeParser() takes it (date, optional time and zone). */
const isoDateTime = /^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}([.,]\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?)?)?$/;

export function checkPeriod(argument: string, value: unknown): string {
    if (typeof value !== "string" || !isoPeriod.test(value)) {
        throw new DruidArgumentError(argument, value, "must be an ISO-8601 period such as \"P30D\", \"P1M\" or \"PT6H\"");
    }
    return value;
}

/** An ISO-8601 interval: start/end, start/period or period/end (Joda's Interval.parse), start before end. */
export function checkInterval(argument: string, value: unknown): string {
    const parts = typeof value === "string" ? value.split("/") : [];
    const kind = (p: string) => (isoDateTime.test(p) ? "time" : isoPeriod.test(p) ? "period" : "bad");
    const kinds = parts.map(kind);
    const ok = parts.length === 2 && !kinds.includes("bad") && !(kinds[0] === "period" && kinds[1] === "period");
    if (!ok) {
        throw new DruidArgumentError(argument, value, "must be an ISO-8601 interval such as \"2024-01-01/2025-01-01\" (start/end, start/period or period/end)");
    }
    if (kinds[0] === "time" && kinds[1] === "time") {
        const [start, end] = parts.map((p) => Date.parse(p.length === 4 ? `${p}-01-01` : p.length === 7 ? `${p}-01` : p));
        if (!Number.isNaN(start) && !Number.isNaN(end) && start >= end) {
            throw new DruidArgumentError(argument, value, "must end after it starts");
        }
    }
    return value as string;
}

/**
 * A datasource name as Druid accepts it (IdUtils.validateId: not empty, no leading '.', no '/', no
 * whitespace but spaces, no control characters), and not `_default`, the key of the default rules.
 */
export function checkDataSource(argument: string, value: unknown): string {
    if (typeof value !== "string" || value === "" || value.startsWith(".") || value.includes("/") || /[^\S ]|[\u0000-\u001f\u007f]/.test(value)) {
        throw new DruidArgumentError(argument, value, "must be a Druid datasource name: not empty, not starting with '.', without '/' and without whitespace other than spaces");
    }
    if (value === defaultRulesKey) {
        throw new DruidArgumentError(argument, value, "is the key of Druid's default rules: set them in dataManagement.defaultRules");
    }
    return value;
}

/**
 * A count written against a zone-aware tier (its `name` or `druidTier`), as counts per zone tier:
 * the Coordinator's load rule takes replicas per Druid tier (LoadRule.tieredReplicants, a map from
 * tier to count, each tier's replicas assigned on that tier's servers alone), and the zone tiers are
 * separate Druid tiers, so `{ hot: 3 }` over 3 zones is `{ "hot-<zone>": 1 }` for each zone: every
 * zone holds a copy, and a zone restarting at once leaves every segment served by the others.
 */
function expandLogical(at: string, logical: LogicalTier, count: unknown): [string, number][] {
    const zones = logical.zoneTiers.length;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count % zones !== 0) {
        throw new DruidArgumentError(at, count,
            `must be a whole multiple of ${zones}, the zones of zone-aware tier "${logical.name}": each zone's Druid tier gets an equal share ` +
            `(${zones} puts one replica in each zone); to weight zones differently, name the zone tiers (${logical.zoneTiers.map((z) => JSON.stringify(z.druidTier)).join(", ")})`);
    }
    const perZone = count / zones;
    const short = logical.zoneTiers.find((z) => z.replicas < perZone);
    if (short !== undefined) {
        throw new DruidArgumentError(at, count,
            `asks ${perZone} replica(s) in each zone of tier "${logical.name}", but zone ${short.zone} has ${short.replicas} Historical(s): Druid loads at most one replica of a segment per Historical, ` +
            `so the rule could never be met; at most ${short.replicas * zones} (raise data.historicalTiers' replicas, which count the Historicals of each zone)`);
    }
    return logical.zoneTiers.map((z) => [z.druidTier, perZone]);
}

function checkRule(argument: string, r: RetentionRule, tiers: RuleTier[], logicalTiers: LogicalTier[]): RulePlan {
    if (r === null || typeof r !== "object") {
        throw new DruidArgumentError(argument, r, "must be a rule object such as { type: \"loadForever\", tieredReplicants: { \"_default_tier\": 2 } }");
    }
    const type = r.type;
    if (!(ruleTypes as readonly string[]).includes(type)) {
        throw new DruidArgumentError(`${argument}.type`, type, `must be one of ${ruleTypes.map((t) => JSON.stringify(t)).join(", ")}`);
    }
    const has = (list: readonly string[]) => list.includes(type);
    const refuse = (field: keyof RetentionRule, applies: string) => {
        if (r[field] !== undefined) throw new DruidArgumentError(`${argument}.${field}`, r[field], `only applies to ${applies} rules, not "${type}"`);
    };
    if (has(periodRuleTypes)) checkPeriod(`${argument}.period`, r.period); else refuse("period", "the ...ByPeriod");
    if (has(intervalRuleTypes)) checkInterval(`${argument}.interval`, r.interval); else refuse("interval", "the ...ByInterval");
    if (has(includeFutureRuleTypes)) {
        if (r.includeFuture !== undefined && typeof r.includeFuture !== "boolean") throw new DruidArgumentError(`${argument}.includeFuture`, r.includeFuture, "must be true or false");
    } else {
        refuse("includeFuture", "loadByPeriod, dropByPeriod and broadcastByPeriod");
    }
    let tieredReplicants: Record<string, number> | undefined;
    if (has(loadRuleTypes)) {
        const t = r.tieredReplicants;
        if (t === undefined || t === null || typeof t !== "object" || Array.isArray(t)) {
            throw new DruidArgumentError(`${argument}.tieredReplicants`, t,
                `is required for "${type}": replicas per Druid tier, e.g. { "${tiers[0].druidTier}": ${Math.min(2, tiers[0].replicas)} } ({} keeps the segments in deep storage only)`);
        }
        tieredReplicants = {};
        const set = (tier: string, count: number, at: string) => {
            if (tieredReplicants![tier] !== undefined) {
                throw new DruidArgumentError(at, count, `gives zone tier "${tier}" a count twice (once by its zone-aware tier's name, once by its own): give one of them`);
            }
            tieredReplicants![tier] = count;
        };
        for (const [tier, count] of Object.entries(t)) {
            const at = `${argument}.tieredReplicants["${tier}"]`;
            const logical = logicalTiers.find((x) => x.druidTier === tier || x.name === tier);
            if (logical !== undefined) {
                for (const [zoneTier, n] of expandLogical(at, logical, count)) set(zoneTier, n, at);
                continue;
            }
            const known = tiers.find((x) => x.druidTier === tier);
            if (known === undefined) {
                const byName = tiers.find((x) => x.names.includes(tier));
                throw new DruidArgumentError(`${argument}.tieredReplicants["${tier}"]`, tier,
                    byName !== undefined
                        ? `"${tier}" is the name of a Historical tier whose Druid tier is "${byName.druidTier}": rules name Druid tiers`
                        : `names no Historical tier: the Druid tiers are ${tiers.map((x) => JSON.stringify(x.druidTier)).join(", ")}`);
            }
            if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > known.replicas) {
                throw new DruidArgumentError(`${argument}.tieredReplicants["${tier}"]`, count,
                    `must be a whole number from 0 to ${known.replicas}, the Historicals of tier "${tier}": Druid loads at most one replica of a segment per Historical, so more could never be loaded`);
            }
            set(tier, count, at);
        }
    } else {
        refuse("tieredReplicants", "load");
    }
    return { type, tieredReplicants, period: r.period, interval: r.interval, includeFuture: r.includeFuture };
}

function checkRules(argument: string, rules: RetentionRule[] | undefined, tiers: RuleTier[], logicalTiers: LogicalTier[]): RulePlan[] {
    if (!Array.isArray(rules)) {
        throw new DruidArgumentError(argument, shapeOf(rules), "must be a list of rules (the Coordinator applies the first that matches a segment)");
    }
    return rules.map((r, i) => checkRule(`${argument}[${i}]`, r, tiers, logicalTiers));
}

const granularities = ["NONE", "SECOND", "MINUTE", "FIVE_MINUTE", "TEN_MINUTE", "FIFTEEN_MINUTE", "THIRTY_MINUTE", "HOUR", "SIX_HOUR", "EIGHT_HOUR",
    "DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "ALL"];

/**
 * An escape hatch's JSON object, given as text (the schema has no "any JSON" type that keeps the
 * public API typed, and every language can produce JSON text).
 */
function checkJsonObject(argument: string, text: unknown): Record<string, unknown> {
    let value: unknown = text;
    if (typeof text === "string") {
        try {
            value = JSON.parse(text);
        } catch (e) {
            throw new DruidArgumentError(argument, text, `must be the text of a JSON object (${(e as Error).message})`);
        }
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new DruidArgumentError(argument, text, "must be the text of a JSON object, e.g. JSON.stringify({ key: value })");
    }
    return value as Record<string, unknown>;
}

function checkCompaction(argument: string, c: Compaction): CompactionPlan {
    if (c === null || typeof c !== "object") throw new DruidArgumentError(argument, c, "must be an object (give {} for Druid's defaults)");
    const spec = checkJsonObject(`${argument}.spec`, c.spec ?? "{}");
    const typedTop = ["dataSource", "skipOffsetFromLatest", "taskPriority", "inputSegmentSizeBytes"] as const;
    for (const key of typedTop) {
        if (spec[key] !== undefined && (key === "dataSource" || c[key] !== undefined)) {
            throw new DruidArgumentError(`${argument}.spec.${key}`, spec[key],
                key === "dataSource" ? "is the map's key: leave it out of spec" : `is also given as ${argument}.${key}: give it once`);
        }
    }
    // Fields Druid reads as objects (or, metricsSpec, a list of aggregator objects): the
    // @JsonProperty fields of apache/druid's InlineSchemaDataSourceCompactionConfig (tuningConfig:
    // UserCompactionTaskQueryTuningConfig, granularitySpec, dimensionsSpec, transformSpec, ioConfig:
    // UserCompactionTask*Config, taskContext: Map, metricsSpec: AggregatorFactory[]). Anything else
    // would be refused by the Coordinator only when the Job posts it, or merged over a typed field.
    for (const key of ["tuningConfig", "granularitySpec", "ioConfig", "dimensionsSpec", "transformSpec", "taskContext"]) {
        const v = spec[key];
        if (v !== undefined && (v === null || typeof v !== "object" || Array.isArray(v))) {
            throw new DruidArgumentError(`${argument}.spec.${key}`, v, "must be a JSON object (Druid reads it as one)");
        }
    }
    const metricsSpec = spec.metricsSpec;
    if (metricsSpec !== undefined && (!Array.isArray(metricsSpec) || metricsSpec.some((m) => m === null || typeof m !== "object" || Array.isArray(m)))) {
        throw new DruidArgumentError(`${argument}.spec.metricsSpec`, metricsSpec, "must be a JSON list of aggregator objects (Druid reads it as AggregatorFactory[])");
    }
    const nested = (key: string) => (spec[key] !== undefined ? spec[key] as Record<string, unknown> : {});
    const tuningType = nested("tuningConfig").type;
    if (c.maxRowsPerSegment !== undefined && tuningType !== undefined && tuningType !== "index_parallel") {
        throw new DruidArgumentError(`${argument}.spec.tuningConfig.type`, tuningType,
            `must be "index_parallel" (or left out) with ${argument}.maxRowsPerSegment, which sets the tuningConfig of type "index_parallel": give it once`);
    }
    if (c.segmentGranularity !== undefined && nested("granularitySpec").segmentGranularity !== undefined) {
        throw new DruidArgumentError(`${argument}.spec.granularitySpec.segmentGranularity`, nested("granularitySpec").segmentGranularity, `is also given as ${argument}.segmentGranularity: give it once`);
    }
    if (c.maxRowsPerSegment !== undefined && nested("tuningConfig").partitionsSpec !== undefined) {
        throw new DruidArgumentError(`${argument}.spec.tuningConfig.partitionsSpec`, shapeOf(nested("tuningConfig").partitionsSpec), `cannot be combined with ${argument}.maxRowsPerSegment (which sets a dynamic partitionsSpec)`);
    }
    let segmentGranularity: string | undefined;
    if (c.segmentGranularity !== undefined) {
        segmentGranularity = typeof c.segmentGranularity === "string" ? c.segmentGranularity.toUpperCase() : "";
        if (!granularities.includes(segmentGranularity)) {
            throw new DruidArgumentError(`${argument}.segmentGranularity`, c.segmentGranularity, `must be a Druid granularity: ${granularities.join(", ")}`);
        }
    }
    const positive = (field: "inputSegmentSizeBytes" | "maxRowsPerSegment") => {
        const v = c[field];
        if (v !== undefined && (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1)) throw new DruidArgumentError(`${argument}.${field}`, v, "must be a whole number above 0");
        return v;
    };
    return {
        skipOffsetFromLatest: c.skipOffsetFromLatest === undefined ? undefined : checkPeriod(`${argument}.skipOffsetFromLatest`, c.skipOffsetFromLatest),
        taskPriority: c.taskPriority === undefined ? undefined : checkInteger(`${argument}.taskPriority`, c.taskPriority, 25, 0, 100),
        inputSegmentSizeBytes: positive("inputSegmentSizeBytes"),
        segmentGranularity,
        maxRowsPerSegment: positive("maxRowsPerSegment"),
        spec,
    };
}

function checkDynamicConfig(d: NonNullable<DataManagement["coordinatorDynamicConfig"]>, killsOn: boolean): Record<string, unknown> {
    const argument = "dataManagement.coordinatorDynamicConfig";
    const extra = checkJsonObject(`${argument}.extra`, d.extra ?? "{}");
    const body: Record<string, unknown> = {};
    for (const key of ["smartSegmentLoading", "pauseCoordination"] as const) {
        if (d[key] !== undefined && typeof d[key] !== "boolean") throw new DruidArgumentError(`${argument}.${key}`, d[key], "must be true or false");
        if (d[key] !== undefined) body[key] = d[key];
    }
    for (const key of ["maxSegmentsToMove", "replicationThrottleLimit"] as const) {
        if (d[key] === undefined) continue;
        body[key] = checkInteger(`${argument}.${key}`, d[key], 0, 0, 1_000_000);
        // docs/configuration/index.md, "Smart segment loading": with it on, Druid ignores these.
        if (d.smartSegmentLoading !== false) {
            throw new DruidArgumentError(`${argument}.${key}`, d[key],
                "is ignored by Druid while smartSegmentLoading is on (its default): set smartSegmentLoading: false as well");
        }
    }
    if (d.killDataSourceWhitelist !== undefined) {
        if (!Array.isArray(d.killDataSourceWhitelist)) throw new DruidArgumentError(`${argument}.killDataSourceWhitelist`, d.killDataSourceWhitelist, "must be a list of datasource names");
        body.killDataSourceWhitelist = d.killDataSourceWhitelist.map((s, i) => checkDataSource(`${argument}.killDataSourceWhitelist[${i}]`, s));
    }
    for (const key of Object.keys(extra)) {
        if (key in body) throw new DruidArgumentError(`${argument}.extra.${key}`, extra[key], `is also given as ${argument}.${key}: give it once`);
    }
    // The whitelist only names what the Coordinator's kill duty deletes; the duty runs only with
    // druid.coordinator.kill.on=true (docs/configuration/index.md, "Data management"), which the
    // component sets from deepStorage.killUnusedSegments alone.
    for (const [path, value] of [[`${argument}.killDataSourceWhitelist`, body.killDataSourceWhitelist], [`${argument}.extra.killDataSourceWhitelist`, extra.killDataSourceWhitelist]] as const) {
        if (value !== undefined && !killsOn) {
            throw new DruidArgumentError(path, value,
                "does nothing while unused segments are never killed (druid.coordinator.kill.on=false): set deepStorage.killUnusedSegments " +
                "({ enabled: true, durationToRetainDays: ... }) as well, or leave the whitelist out");
        }
    }
    return { ...body, ...extra };
}

/** What else in the cluster decides whether a data-management setting does anything. */
export interface DataManagementContext {
    /** Tasks run as Kubernetes Jobs (worker "kubernetesJobs"): no MiddleManager or Indexer to select. */
    kubernetesJobs: boolean;
    /** The Coordinator kills unused segments (deepStorage.killUnusedSegments enabled). */
    killsOn: boolean;
}

const selectStrategies = ["equalDistribution", "equalDistributionWithCategorySpec", "fillCapacity", "fillCapacityWithCategorySpec", "javascript"];

/**
 * Validates `dataManagement` against the Historical tiers: the plan of the applier (undefined when
 * there is nothing to apply), and the Druid tiers no rule loads anything onto (they stay empty
 * unless rules set outside this component name them).
 */
export function resolveDataManagement(d: DataManagement | undefined, tiers: RuleTier[], cluster: DataManagementContext = { kubernetesJobs: false, killsOn: false },
    logicalTiers: LogicalTier[] = []): { plan?: DataManagementPlan; tiersWithoutRules: string[] } {
    const m = d ?? {};
    const hasDefaultTier = tiers.some((t) => t.druidTier === druidDefaultTier);
    if (m.defaultRules === undefined && !hasDefaultTier) {
        // A zone-aware tier's Historicals announce their zone tiers, never "_default_tier" (docs/zones.md).
        const first = tiers[0];
        const zoned = logicalTiers.find((l) => l.zoneTiers.some((z) => z.druidTier === first.druidTier));
        const example = zoned !== undefined ? `"${zoned.druidTier}": ${zoned.zoneTiers.length}` : `"${first.druidTier}": ${Math.min(2, first.replicas)}`;
        throw new DruidArgumentError("dataManagement.defaultRules", undefined,
            `is required: no Historical tier is "${druidDefaultTier}" (tiers ${tiers.map((t) => JSON.stringify(t.druidTier)).join(", ")}), so Druid's built-in default rule ` +
            `(loadForever, 2 replicas on "${druidDefaultTier}") would load nothing; add default rules such as ` +
            `[{ type: "loadForever", tieredReplicants: { ${example} } }]${zoned !== undefined ? ` (one replica in each zone of tier "${zoned.name}")` : ", or name a tier \"default\""}`);
    }
    const defaultRules = m.defaultRules === undefined ? undefined : checkRules("dataManagement.defaultRules", m.defaultRules, tiers, logicalTiers);
    const mapEntries = <T>(argument: string, map: { [k: string]: T } | undefined): [string, T][] => {
        if (map === undefined) return [];
        if (map === null || typeof map !== "object" || Array.isArray(map)) throw new DruidArgumentError(argument, shapeOf(map), "must be a map keyed by datasource name");
        return Object.entries(map).map(([k, v]): [string, T] => [checkDataSource(`${argument}["${k}"]`, k), v]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    };
    const rules = mapEntries("dataManagement.rules", m.rules).map(([ds, r]): [string, RulePlan[]] => [ds, checkRules(`dataManagement.rules["${ds}"]`, r, tiers, logicalTiers)]);
    const compaction = mapEntries("dataManagement.compaction", m.compaction).map(([ds, c]): [string, CompactionPlan] => [ds, checkCompaction(`dataManagement.compaction["${ds}"]`, c)]);
    const coordinatorDynamicConfig = m.coordinatorDynamicConfig === undefined ? undefined : checkDynamicConfig(m.coordinatorDynamicConfig, cluster.killsOn);
    let workerSelectStrategy: Record<string, unknown> | undefined;
    if (m.workerSelectStrategy !== undefined && cluster.kubernetesJobs) {
        // The worker configuration (POST /druid/indexer/v1/worker) picks a MiddleManager or Indexer for
        // each task; the Kubernetes task runner has none and reads its own dynamic configuration,
        // POST /druid/indexer/v1/k8s/taskrunner/executionconfig
        // (apache/druid@d4d8edaddd4b0563e84ccd5ef4024c1e92878281:extensions-core/kubernetes-overlord-extensions/src/main/java/org/apache/druid/k8s/overlord/execution/KubernetesTaskExecutionConfigResource.java:54),
        // whose body chooses a pod template (podTemplateSelectStrategy) and the capacity: another concept.
        throw new DruidArgumentError("dataManagement.workerSelectStrategy", m.workerSelectStrategy,
            "selects MiddleManagers or Indexers, which worker \"kubernetesJobs\" does not run (the Overlord starts a Job per task): leave it out; " +
            "size the task pods with data.ingestion.taskResources and the Jobs running at once with data.ingestion.taskCapacity");
    }
    if (m.workerSelectStrategy !== undefined) {
        workerSelectStrategy = checkJsonObject("dataManagement.workerSelectStrategy", m.workerSelectStrategy);
        if (!selectStrategies.includes(workerSelectStrategy.type as string)) {
            throw new DruidArgumentError("dataManagement.workerSelectStrategy.type", workerSelectStrategy.type, `must be one of ${selectStrategies.map((s) => JSON.stringify(s)).join(", ")}`);
        }
    }
    const applyTimeoutSeconds = checkInteger("dataManagement.applyTimeoutSeconds", m.applyTimeoutSeconds, 600, 60, 3600);
    // Tiers that no rule given here loads anything onto; Druid's untouched default rule loads "_default_tier".
    const loaded = new Set([...(defaultRules ?? []), ...rules.flatMap(([, r]) => r)].flatMap((r) => Object.entries(r.tieredReplicants ?? {}).filter(([, n]) => n > 0).map(([t]) => t)));
    if (defaultRules === undefined) loaded.add(druidDefaultTier);
    const tiersWithoutRules = tiers.map((t) => t.druidTier).filter((t) => !loaded.has(t));
    const nothing = defaultRules === undefined && rules.length === 0 && compaction.length === 0 && coordinatorDynamicConfig === undefined && workerSelectStrategy === undefined;
    const plan = nothing ? undefined : { defaultRules, rules, compaction, coordinatorDynamicConfig, workerSelectStrategy, applyTimeoutSeconds };
    return { plan, tiersWithoutRules };
}
