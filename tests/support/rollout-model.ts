import type { Plan, PlannedResource } from "../../testing";
import { citedRestartCosts } from "../../components/plan/resolve-segment-cache";
import { queryShutdown } from "../../components/plan/layout";
import { taskStopSeconds } from "../../components/plan/rolling-order";
import { zoneWaveLabels, zoneWaveSettleSeconds } from "../../components/plan/zone-wave-plan";
import { parseProperties } from "../../components/core/properties";
import { servicesOf } from "./deploy-model";

// A model of an upgrade (a new Druid version or configuration) of the data services, pure
// computation: how long it takes from cited per-step costs, and whether every segment keeps a
// serving replica at every step. scripts/bench.ts prints its figures (`npm run bench`);
// tests/rollout-model.test.ts tests its properties and runs it on rendered plans (`rolloutInputsOf`).
//
// Strategies:
//  - StatefulSet RollingUpdate (what the component does without zones): one pod at a time, highest
//    ordinal first, the next only when the updated pod is Running and Ready (Kubernetes docs,
//    "StatefulSets", Rolling Updates; maxUnavailable 1). The Historical StatefulSets of one plan are
//    in one rolling-update wave (plan/rolling-order.ts), so Pulumi rolls them at the same time, one
//    pod of each; the ingestion workers roll after them.
//  - Zone waves (issue #25, plan/zone-wave-plan.ts; StatefulSets with `updateStrategy: OnDelete`
//    and a `druid.apache.org/zone` label): all pods of one zone at once, the next zone only after
//    the previous one serves again and the Coordinator has seen its tier loaded.
//
// Serving. A Historical serves none of its segments from the moment its pod starts terminating
// (it unannounces first: druid.server.http.unannouncePropagationDelay) until its start ends: with
// Druid's default `announceIntervalMillis` 0 the segments are announced when every cached segment is
// loaded (SegmentCacheBootstrapper.loadSegmentsOnStartup, see plan/resolve-segment-cache.ts), the
// Ready signal the StatefulSet waits for. With lazy loading the segments are announced after their
// metadata is read: the Coordinator counts them loaded and Brokers query them; the first query of
// each pays the rest of the load (slower, not unserved). The model counts them serving.
//
// Placement. The Coordinator's balancer decides which Historicals of a tier hold a segment; with
// ~85,000 segments per Historical every pair of pods of a tier shares segments (100 Historicals with
// 2 replicas: 4.25 million segment replicas over 4,950 pairs). So the check is over every placement
// the load rules allow: for a rule asking k replicas of tier t (at most the tier's n pods, distinct
// pods), the worst-placed segment has min(k, down) of them on pods that are down. The smallest count
// of serving replicas of any segment at a step is the minimum over the load rules of
// Σ_tiers (min(k, n) − min(k, n, down)). Not modelled: the Coordinator re-replicating a down
// Historical's segments elsewhere during a long restart (it only adds replicas, so the count is a
// lower bound).

/** One cost of the model, with where the figure comes from. */
export interface Cost {
    value: number;
    unit: "segments" | "ms per segment" | "seconds";
    source: string;
}

/** The per-step costs, each with its source. Figures from the plan come from the plan when the adapter reads one. */
export const rolloutCosts = {
    segmentsPerHistorical: { value: citedRestartCosts.segmentsPerHistorical, unit: "segments", source: `${citedRestartCosts.source}: "each needing to process a large number of segments during start-up (~85k)"` },
    eagerMsPerSegment: { value: citedRestartCosts.eagerMsPerSegment, unit: "ms per segment", source: `${citedRestartCosts.source}: "each segment will take 15.3ms to load, and the start-up time for one historical will easily take >20mins"` },
    lazyMsPerSegment: { value: citedRestartCosts.lazyMsPerSegment, unit: "ms per segment", source: `${citedRestartCosts.source}: "Lazy loading processes each segment metadata in 3.23ms, and this shortens the start-up time to ~4min"` },
    historicalStopSeconds: {
        value: queryShutdown.unannounceSeconds + queryShutdown.gracefulSeconds + queryShutdown.marginSeconds, unit: "seconds",
        source: "the plan's termination grace of a Historical (plan/rolling-order.ts terminationGraceSeconds: unannounce 15 s + in-flight queries 30 s + margin 15 s), the bound the pod may use",
    },
    podStartSeconds: {
        value: 30, unit: "seconds",
        source: "ASSUMED, not measured (no Druid image or cluster here): scheduling on a node that has the image, JVM and Druid start before the segment cache loads; 2% of an eager Historical restart (1,300 s), so no figure hinges on it",
    },
    waveWaitSeconds: {
        value: zoneWaveSettleSeconds, unit: "seconds",
        source: "the wave Job's wait once the zone's pods are Ready, before it trusts the Coordinator's load status: three Coordinator runs (plan/zone-wave-plan.ts zoneWaveSettleSeconds, druid.coordinator.period PT30S)",
    },
    drainBoundSeconds: {
        value: 900, unit: "seconds",
        source: "data.ingestion.drainTimeoutSeconds default 900 (args-services.ts): the preStop drain waits at most this for running tasks; streaming tasks (taskDuration PT1H by default) outlive it, so a busy worker waits all of it",
    },
    drainIdleSeconds: {
        value: 5, unit: "seconds",
        source: "an idle worker: the drain's first look at GET /druid/worker/v1/tasks finds none (config/pod-scripts.ts drainScript, pollSeconds 5)",
    },
    taskStopSeconds: {
        value: taskStopSeconds, unit: "seconds",
        source: "druid.indexer.task.gracefulShutdownTimeout PT5M + 30 s margin (plan/rolling-order.ts taskStopSeconds): the bound of restorable tasks' stop after the drain",
    },
} as const satisfies Record<string, Cost>;

/** How a group's pods are replaced. */
export type Strategy = "oneAtATime" | "zoneWaves";

/** One Historical StatefulSet (a tier, or one zone of a zone-aware tier). */
export interface HistoricalGroup {
    key: string;
    druidTier: string;
    /** Zone of a zone-aware StatefulSet (label `druid.apache.org/zone`). */
    zone?: string;
    replicas: number;
    strategy: Strategy;
    lazyLoadOnStart: boolean;
    /** Seconds from termination to the process gone (the pod's termination grace). */
    stopSeconds: number;
    /** Order of the zone's wave within its tier (zone waves only). */
    waveIndex?: number;
    /** The zone-wave group (ZoneWaveGroup.key) the StatefulSet belongs to. */
    waveGroup?: string;
    /** Keys of the one-at-a-time groups whose rollout this one waits for (the plan's dependency edges between the StatefulSets). Default: none (they roll at the same time). */
    after?: string[];
}

/** One MiddleManager/Indexer StatefulSet. */
export interface WorkerGroup {
    key: string;
    kind: "middleManager" | "indexer";
    zone?: string;
    replicas: number;
    strategy: Strategy;
    /** preStop drain bound (drainTimeoutSeconds). */
    drainSeconds: number;
    waveIndex?: number;
    waveGroup?: string;
}

/** A load rule: replicas per Druid tier. */
export interface LoadRule {
    /** Where it comes from (datasource or "_default"). */
    dataSource: string;
    tieredReplicants: Record<string, number>;
}

export interface RolloutInputs {
    historicals: HistoricalGroup[];
    workers: WorkerGroup[];
    rules: LoadRule[];
}

export interface RolloutOptions {
    segmentsPerHistorical?: number;
    /** Force every Historical eager (false) or lazy (true); default: each group's own setting. */
    lazy?: boolean;
    /** Busy workers drain to the bound; idle ones stop at once. Default "bound". */
    drain?: "bound" | "idle";
    podStartSeconds?: number;
    waveWaitSeconds?: number;
}

/** One moment of the rollout: what happened, and the least-served segment then. */
export interface RolloutStep {
    atSeconds: number;
    what: string;
    /** Smallest number of serving replicas of any segment after this event. */
    minServing: number;
    /** Workers taking tasks after this event. */
    workersAccepting: number;
}

export interface RolloutResult {
    /** Seconds until the last Historical serves again. */
    historicalSeconds: number;
    /** Seconds the ingestion workers take, after the Historicals (the rolling-update order). */
    workerSeconds: number;
    totalSeconds: number;
    /** Seconds of one Historical's stop + start + load (eager or lazy as run). */
    historicalRestartSeconds: number;
    minServing: number;
    /** The first step where `minServing` was reached. */
    minStep: RolloutStep;
    /** Fewest workers taking tasks at any step, of `workersTotal`. */
    minWorkersAccepting: number;
    workersTotal: number;
    steps: RolloutStep[];
}

interface Outage { group: string; pod: string; druidTier?: string; worker: boolean; down: number; up: number }

const val = (c: Cost) => c.value;

/** Stop + start + segments × per-segment load of one Historical. */
export function historicalRestartSeconds(g: Pick<HistoricalGroup, "stopSeconds" | "lazyLoadOnStart">, o: RolloutOptions = {}): number {
    const lazy = o.lazy ?? g.lazyLoadOnStart;
    const segments = o.segmentsPerHistorical ?? val(rolloutCosts.segmentsPerHistorical);
    const perSegment = lazy ? val(rolloutCosts.lazyMsPerSegment) : val(rolloutCosts.eagerMsPerSegment);
    return g.stopSeconds + (o.podStartSeconds ?? val(rolloutCosts.podStartSeconds)) + (segments * perSegment) / 1000;
}

/** Drain + task stop + start of one worker. */
export function workerRestartSeconds(g: Pick<WorkerGroup, "drainSeconds">, o: RolloutOptions = {}): number {
    const drain = (o.drain ?? "bound") === "bound" ? g.drainSeconds + val(rolloutCosts.taskStopSeconds) : val(rolloutCosts.drainIdleSeconds);
    return drain + (o.podStartSeconds ?? val(rolloutCosts.podStartSeconds));
}

/** The outages of one kind's groups from `start`: StatefulSets one pod at a time in parallel; zone waves one zone after another per wave group. */
function outages<G extends { key: string; replicas: number; strategy: Strategy; waveIndex?: number; waveGroup?: string; after?: string[] }>(
    groups: G[], start: number, perPod: (g: G) => number, wait: number, tierOf: (g: G) => string | undefined, worker: boolean,
): Outage[] {
    const out: Outage[] = [];
    // A group starts when the groups it waits for are done (Pulumi starts a resource after its dependencies completed).
    const ends = new Map<string, number>();
    for (const g of groups.filter((x) => x.strategy === "oneAtATime")) {
        let t = Math.max(start, ...(g.after ?? []).map((k) => ends.get(k) ?? start));
        for (let ordinal = g.replicas - 1; ordinal >= 0; ordinal--) {
            out.push({ group: g.key, pod: `${g.key}-${ordinal}`, druidTier: tierOf(g), worker, down: t, up: t + perPod(g) });
            t += perPod(g);
        }
        ends.set(g.key, t);
    }
    const waved = groups.filter((x) => x.strategy === "zoneWaves");
    for (const waveGroup of [...new Set(waved.map((g) => g.waveGroup ?? g.key))]) {
        const members = waved.filter((g) => (g.waveGroup ?? g.key) === waveGroup);
        let t = start;
        for (const index of [...new Set(members.map((g) => g.waveIndex ?? 0))].sort((a, b) => a - b)) {
            const wave = members.filter((g) => (g.waveIndex ?? 0) === index);
            let end = t;
            for (const g of wave) {
                for (let ordinal = 0; ordinal < g.replicas; ordinal++) {
                    out.push({ group: g.key, pod: `${g.key}-${ordinal}`, druidTier: tierOf(g), worker, down: t, up: t + perPod(g) });
                }
                end = Math.max(end, t + perPod(g));
            }
            t = end + wait;
        }
    }
    return out;
}

/** Smallest number of serving replicas of any segment, over every placement the rules allow, given the pods down per Druid tier. */
export function minServingReplicas(rules: LoadRule[], podsPerTier: Map<string, number>, downPerTier: Map<string, number>): number {
    let min = Infinity;
    for (const rule of rules) {
        let serving = 0;
        for (const [tier, asked] of Object.entries(rule.tieredReplicants)) {
            const placed = Math.min(asked, podsPerTier.get(tier) ?? 0);
            serving += placed - Math.min(placed, downPerTier.get(tier) ?? 0);
        }
        min = Math.min(min, serving);
    }
    return min === Infinity ? 0 : min;
}

/** Runs the rollout: every pod of every group replaced once. */
export function simulateRollout(inputs: RolloutInputs, o: RolloutOptions = {}): RolloutResult {
    const wait = o.waveWaitSeconds ?? val(rolloutCosts.waveWaitSeconds);
    const hist = outages(inputs.historicals, 0, (g) => historicalRestartSeconds(g, o), wait, (g) => g.druidTier, false);
    const historicalSeconds = Math.max(0, ...hist.map((x) => x.up));
    const workers = outages(inputs.workers, historicalSeconds, (g) => workerRestartSeconds(g, o), 0, () => undefined, true);
    const all = [...hist, ...workers];
    const podsPerTier = new Map<string, number>();
    for (const g of inputs.historicals) podsPerTier.set(g.druidTier, (podsPerTier.get(g.druidTier) ?? 0) + g.replicas);
    const workersTotal = inputs.workers.reduce((n, g) => n + g.replicas, 0);
    // Events in time order; at one instant, pods come back before others go down (a StatefulSet
    // takes the next pod down only after the previous one is Ready).
    const events = all.flatMap((x) => [{ at: x.up, kind: "up" as const, x }, { at: x.down, kind: "down" as const, x }])
        .sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === "up" ? -1 : 1));
    const down = new Set<Outage>();
    const state = (): { minServing: number; workersAccepting: number } => {
        const perTier = new Map<string, number>();
        for (const x of down) if (x.druidTier !== undefined) perTier.set(x.druidTier, (perTier.get(x.druidTier) ?? 0) + 1);
        return { minServing: minServingReplicas(inputs.rules, podsPerTier, perTier), workersAccepting: workersTotal - [...down].filter((x) => x.worker).length };
    };
    const steps: RolloutStep[] = [{ atSeconds: 0, what: "before the rollout", ...state() }];
    for (let i = 0; i < events.length;) {
        // Every event of one instant and kind is one step (a zone's pods go down together).
        const at = events[i].at;
        const kind = events[i].kind;
        const names: string[] = [];
        while (i < events.length && events[i].at === at && events[i].kind === kind) {
            if (kind === "down") down.add(events[i].x); else down.delete(events[i].x);
            names.push(events[i].x.pod);
            i++;
        }
        const what = `${names.length > 3 ? `${names.slice(0, 2).join(", ")} and ${names.length - 2} more` : names.join(", ")} ${kind === "down" ? "stopping" : "serving again"}`;
        steps.push({ atSeconds: at, what, ...state() });
    }
    const minServing = Math.min(...steps.map((s) => s.minServing));
    const restartOf = inputs.historicals.length > 0 ? historicalRestartSeconds(inputs.historicals[0], o) : 0;
    return {
        historicalSeconds, workerSeconds: Math.max(historicalSeconds, ...workers.map((x) => x.up)) - historicalSeconds,
        totalSeconds: Math.max(0, ...all.map((x) => x.up)), historicalRestartSeconds: restartOf,
        minServing, minStep: steps.find((s) => s.minServing === minServing)!,
        minWorkersAccepting: Math.min(...steps.map((s) => s.workersAccepting)), workersTotal, steps,
    };
}

// ---- Layouts the bench and the tests build by hand

/** `count` Historicals in one tier, rolled one at a time (today), with `replicas` of every segment. */
export function singleTierLayout(count: number, replicas: number, o: { lazy?: boolean; stopSeconds?: number } = {}): RolloutInputs {
    return {
        historicals: [{ key: "historical-default", druidTier: "_default_tier", replicas: count, strategy: "oneAtATime", lazyLoadOnStart: o.lazy ?? false, stopSeconds: o.stopSeconds ?? val(rolloutCosts.historicalStopSeconds) }],
        workers: [],
        rules: [{ dataSource: "_default", tieredReplicants: { _default_tier: replicas } }],
    };
}

/**
 * `count` Historicals split evenly over `zones` zone tiers ("<tier>-<zone>"), rolled in zone waves,
 * with the logical rule expanded to `perZone` replicas in each zone (part 1's expansion), or with
 * `rule` written by hand against the zone tiers.
 */
export function zoneLayout(count: number, zones: string[], o: { perZone?: number; lazy?: boolean; rule?: Record<string, number>; stopSeconds?: number; tier?: string } = {}): RolloutInputs {
    const tier = o.tier ?? "hot";
    const base = Math.floor(count / zones.length);
    return {
        historicals: zones.map((zone, i) => ({
            key: `historical-${tier}-${zone}`, druidTier: `${tier}-${zone}`, zone, replicas: base + (i < count % zones.length ? 1 : 0), strategy: "zoneWaves" as const,
            lazyLoadOnStart: o.lazy ?? false, stopSeconds: o.stopSeconds ?? val(rolloutCosts.historicalStopSeconds), waveIndex: i, waveGroup: `historical-${tier}`,
        })),
        workers: [],
        rules: [{ dataSource: "_default", tieredReplicants: o.rule ?? Object.fromEntries(zones.map((z) => [`${tier}-${z}`, o.perZone ?? 1])) }],
    };
}

/** `count` MiddleManagers in one StatefulSet (one at a time) or split over zones (zone waves). */
export function workerLayout(count: number, zones?: string[], drainSeconds = val(rolloutCosts.drainBoundSeconds)): WorkerGroup[] {
    if (zones === undefined) return [{ key: "middlemanager", kind: "middleManager", replicas: count, strategy: "oneAtATime", drainSeconds }];
    const base = Math.floor(count / zones.length);
    return zones.map((zone, i) => ({
        key: `middlemanager-${zone}`, kind: "middleManager" as const, zone, replicas: base + (i < count % zones.length ? 1 : 0), strategy: "zoneWaves" as const,
        drainSeconds, waveIndex: i, waveGroup: "middlemanager",
    }));
}

// ---- The adapter: the model's inputs from a rendered plan

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

/** Druid's built-in default rule when no `_default` rules are posted (resolve-data-management.ts: loadForever, 2 replicas on "_default_tier"). */
export const druidBuiltInDefaultRule: LoadRule = { dataSource: "_default", tieredReplicants: { _default_tier: 2 } };

/** The single-quoted words of a shell line (`'...'`, a quote written `'\''`, as config-applier.ts shellQuote writes them). */
function shellWords(line: string): string[] {
    return [...line.matchAll(/'((?:[^']|'\\'')*)'/g)].map((m) => m[1].replace(/'\\''/g, "'"));
}

/** The load rules the data-management Job posts (`apply coordinator <url> /druid/coordinator/v1/rules/<ds> <body>` lines of its script), plus Druid's default when it posts none. */
export function loadRulesOf(plan: Plan): LoadRule[] {
    const rules: LoadRule[] = [];
    let defaultsPosted = false;
    for (const map of plan.ofType("kubernetes:core/v1:ConfigMap")) {
        const script = at(map.inputs, "data", "apply.sh");
        if (typeof script !== "string") continue;
        for (const line of script.split("\n").filter((l) => l.startsWith("apply coordinator "))) {
            const [, path, body] = shellWords(line);
            const m = /^\/druid\/coordinator\/v1\/rules\/(.+)$/.exec(path ?? "");
            if (m === null) continue;
            const dataSource = decodeURIComponent(m[1]);
            if (dataSource === "_default") defaultsPosted = true;
            for (const r of JSON.parse(body) as { tieredReplicants?: Record<string, number> }[]) {
                if (r.tieredReplicants !== undefined) rules.push({ dataSource, tieredReplicants: r.tieredReplicants });
            }
        }
    }
    return defaultsPosted ? rules : [...rules, druidBuiltInDefaultRule];
}

/** The runtime.properties of a workload: the ConfigMap its `service-config` volume mounts. */
function runtimePropertiesOf(plan: Plan, workload: PlannedResource): Record<string, string> {
    const volumes = (at(workload.inputs, "spec", "template", "spec", "volumes") as Obj[] | undefined) ?? [];
    const name = at(volumes.find((v) => v.name === "service-config"), "configMap", "name");
    const map = plan.ofType("kubernetes:core/v1:ConfigMap").find((c) => at(c.inputs, "metadata", "name") === name);
    if (map === undefined) throw new Error(`no ConfigMap ${String(name)} for ${workload.name}`);
    return parseProperties(String(at(map.inputs, "data", "runtime.properties")));
}

/**
 * The model's inputs from a rendered plan (update mode, so inputs are known): StatefulSets labelled
 * `druid.apache.org/service` historical/middleManager/indexer, their replicas (the replica patches,
 * as deploy-model.ts reads them), `spec.updateStrategy.type` (OnDelete with a
 * `druid.apache.org/zone` label: zone waves; otherwise one at a time), the pod's termination grace,
 * the tier and lazy loading from the rendered runtime.properties, and the rules from the
 * data-management Job's script.
 */
export function rolloutInputsOf(plan: Plan): RolloutInputs {
    const services = servicesOf(plan).filter((s) => s.workload.type === "kubernetes:apps/v1:StatefulSet");
    const strategyOf = (w: PlannedResource): { strategy: Strategy; zone?: string } => {
        const zone = at(w.inputs, "metadata", "labels", zoneWaveLabels.zone) as string | undefined;
        const type = (at(w.inputs, "spec", "updateStrategy", "type") as string | undefined) ?? "RollingUpdate";
        if (type === "OnDelete" && zone !== undefined) return { strategy: "zoneWaves", zone };
        if (type === "OnDelete") throw new Error(`${w.name}: updateStrategy OnDelete without a ${zoneWaveLabels.zone} label: nothing would replace its pods`);
        return { strategy: "oneAtATime", zone };
    };
    const grace = (w: PlannedResource) => Number(at(w.inputs, "spec", "template", "spec", "terminationGracePeriodSeconds"));
    const historicals: HistoricalGroup[] = services.filter((s) => s.kind === "historical").map((s) => {
        const props = runtimePropertiesOf(plan, s.workload);
        const { strategy, zone } = strategyOf(s.workload);
        return {
            key: String(at(s.workload.inputs, "metadata", "name")), druidTier: props["druid.server.tier"] ?? "_default_tier", zone, replicas: s.replicas, strategy,
            lazyLoadOnStart: props["druid.segmentCache.lazyLoadOnStart"] === "true", stopSeconds: grace(s.workload),
        };
    });
    const workers: WorkerGroup[] = services.filter((s) => s.kind === "middleManager" || s.kind === "indexer").map((s) => {
        const { strategy, zone } = strategyOf(s.workload);
        return {
            key: String(at(s.workload.inputs, "metadata", "name")), kind: s.kind as "middleManager" | "indexer", zone, replicas: s.replicas, strategy,
            // The grace is drain + task stop (plan/rolling-order.ts terminationGraceSeconds).
            drainSeconds: grace(s.workload) - taskStopSeconds,
        };
    });
    // Zone-aware groups: the wave Jobs say which StatefulSet each rolls (env WAVE_STATEFULSET), in which
    // group (label druid.apache.org/zone-wave) and order (each Job after the previous zone's). A zone
    // StatefulSet that no wave Job names is a group of its own, rolled at the same time as the others
    // (nothing would order it): the check shows what that costs.
    const jobs = plan.ofType("kubernetes:batch/v1:Job").map((j) => ({
        j, group: at(j.inputs, "metadata", "labels", zoneWaveLabels.waveGroup) as string | undefined,
        statefulSet: ((at(j.inputs, "spec", "template", "spec", "containers", 0, "env") as { name: string; value?: string }[] | undefined) ?? []).find((e) => e.name === "WAVE_STATEFULSET")?.value,
    })).filter((x) => x.group !== undefined && x.statefulSet !== undefined);
    const assign = (gs: (HistoricalGroup | WorkerGroup)[]) => {
        for (const g of gs.filter((x) => x.strategy === "zoneWaves")) {
            const job = jobs.find((x) => x.statefulSet === g.key);
            g.waveGroup = job?.group ?? g.key;
            g.waveIndex = job === undefined ? 0 : jobs.filter((x) => x.group === job.group && plan.dependsOn(job.j, x.j)).length;
        }
    };
    assign(historicals);
    assign(workers);
    // One-at-a-time Historical groups wait for those their StatefulSet depends on.
    const workloadOf = (key: string) => services.find((s) => String(at(s.workload.inputs, "metadata", "name")) === key)!.workload;
    for (const g of historicals.filter((x) => x.strategy === "oneAtATime")) {
        const after = historicals.filter((o) => o !== g && o.strategy === "oneAtATime" && plan.dependsOn(workloadOf(g.key), workloadOf(o.key))).map((o) => o.key);
        if (after.length > 0) g.after = after;
    }
    return { historicals, workers, rules: loadRulesOf(plan) };
}

// ---- The figures `npm run bench` prints and docs/zones.md shows

/** "38.6 h", "70.5 min". */
export function duration(seconds: number): string {
    return seconds >= 2 * 3600 ? `${(seconds / 3600).toFixed(1)} h` : `${(seconds / 60).toFixed(1)} min`;
}

export interface FigureRow {
    servers: string;
    /** Per strategy: modelled time and the fewest serving replicas of any segment (Historicals) or workers taking tasks (MiddleManagers). */
    cells: { strategy: string; seconds: number; least: number }[];
}

/** The strategies compared, and the layouts they run on. */
export const figureStrategies = [
    "one at a time (1 tier, tieredReplicants 2)",
    "one at a time, lazyLoadOnStart",
    "zone waves (3 zones × 1 replica)",
    "zone waves, lazyLoadOnStart",
] as const;

/** 10, 30 and 100 Historicals of 85,000 segments each, and 10 MiddleManagers (busy: drain to the bound; idle). */
export function rolloutFigures(): FigureRow[] {
    const threeZones = ["a", "b", "c"];
    const rows: FigureRow[] = [10, 30, 100].map((n) => {
        const runs = [
            simulateRollout(singleTierLayout(n, 2)), simulateRollout(singleTierLayout(n, 2), { lazy: true }),
            simulateRollout(zoneLayout(n, threeZones)), simulateRollout(zoneLayout(n, threeZones), { lazy: true }),
        ];
        return { servers: `${n} Historicals`, cells: runs.map((r, i) => ({ strategy: figureStrategies[i], seconds: r.historicalSeconds, least: r.minServing })) };
    });
    for (const drain of ["bound", "idle"] as const) {
        const one = simulateRollout({ historicals: [], workers: workerLayout(10), rules: [] }, { drain });
        const waves = simulateRollout({ historicals: [], workers: workerLayout(10, threeZones), rules: [] }, { drain });
        rows.push({
            servers: `10 MiddleManagers (${drain === "bound" ? "busy: drain to 900 s" : "idle"})`,
            cells: [
                { strategy: figureStrategies[0], seconds: one.workerSeconds, least: one.minWorkersAccepting },
                { strategy: figureStrategies[2], seconds: waves.workerSeconds, least: waves.minWorkersAccepting },
            ],
        });
    }
    return rows;
}

/** The figures as a Markdown table (docs/zones.md holds this text; tests/rollout-model.test.ts keeps it current). */
export function rolloutFiguresMarkdown(): string {
    const head = `| | ${figureStrategies.join(" | ")} |`;
    const rule = `|---|${figureStrategies.map(() => "---").join("|")}|`;
    const lines = rolloutFigures().map((row) => {
        const worker = row.servers.includes("MiddleManagers");
        const cell = (s: string) => {
            const c = row.cells.find((x) => x.strategy === s);
            if (c === undefined) return "n/a";
            return `${duration(c.seconds)} (${worker ? `${c.least} of 10 take tasks` : `min ${c.least} serving`})`;
        };
        return `| ${row.servers} | ${figureStrategies.map(cell).join(" | ")} |`;
    });
    return [head, rule, ...lines].join("\n");
}
