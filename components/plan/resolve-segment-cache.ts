import { HistoricalTier } from "../args";
import { DruidArgumentError } from "../core/errors";
import { PropertyMap } from "../core/properties";
import { checkInteger } from "./validate";
import { VersionFactSource } from "./druid-versions";

// How a Historical loads its segment cache when it starts (issue #25, "faster restarts"): the typed
// options `lazyLoadOnStart` and `bootstrapThreads` of a tier, and the start-up budget derived from them.
//
// Druid's side, the same in every supported release (35, 36, 37): SegmentLoaderConfig
// (server/src/main/java/org/apache/druid/segment/loading/SegmentLoaderConfig.java) binds
// `druid.segmentCache.*`. The druid-37.0.0 tag's copy is not readable here; two stored revisions
// bracket the supported releases and agree on every line used:
//   - a revision before 35 (JvmUtils, no virtual storage): `@JsonProperty("lazyLoadOnStart") boolean
//     lazyLoadOnStart = false`, `@JsonProperty("numLoadingThreads") int numLoadingThreads =
//     Math.max(1, JvmUtils.getRuntimeInfo().getAvailableProcessors() / 6)`,
//     `@JsonProperty("numBootstrapThreads") Integer numBootstrapThreads = null`, and
//     `getNumBootstrapThreads()` returns numLoadingThreads when it is null;
//   - 036171f923c7790c4c7158b51cb14746d7e7e217 (after 37: it has the V10 partial-download settings),
//     lines 46-47 (lazyLoadOnStart = false), 58-59 (numLoadingThreads = Math.max(1,
//     runtimeInfo.getAvailableProcessors() / 6)), 61-62 (numBootstrapThreads = null), and
//     getNumBootstrapThreads (`numBootstrapThreads == null ? numLoadingThreads : numBootstrapThreads`).
// So the property names and defaults are the same for 35.0.0, 36.0.0 and 37.0.0 (tests assert the
// rendered names for each). Lazy loading was unwired by the virtual-storage refactor
// (apache/druid#18176) and wired back by apache/druid#18637 (2025-10-15), backported to the 35.0.0
// branch by apache/druid#18657 (2025-10-17; backports to 35.0.0 were still merged on 2025-10-21,
// apache/druid#18678), so 35.0.0 and later honour it.
//
// What the threads do: SegmentCacheBootstrapper.loadSegmentsOnStartup (stored revision
// 32747cd5a05880e5e624cc35e3ed98b3b3bd2c68; other stored revisions name the class SegmentBootstrapper,
// with the same doc comment, "bootstrapping segments already cached on disk ... announcing the node as
// a data server ... once the bootstrapping operations are complete"; which name 37.0.0 uses was not
// established here, the loop below is the same in both) loads every segment listed in the cache's info dir on a
// pool of `getNumBootstrapThreads()` threads, each calling `segmentManager.loadSegmentOnBootstrap`,
// then announces it; `SegmentLocalCacheManager` builds the segment with
// `lazy = config.isLazyLoadOnStart() && lazyLoadCallback != NOOP`, the callback being set on the
// bootstrap path only: lazy loading applies to a restart's cached segments, never to a segment the
// Coordinator assigns later. With `announceIntervalMillis` at its default 0 every segment is
// announced when all are loaded, and `isBootstrappingComplete()` (the Historical's
// `/druid/historical/v1/readiness`) turns true after that.
//
// What "serving" means with lazy loading: the segments are announced once their metadata is read,
// so the Coordinator counts them loaded (its load status and the zone waves see a lazily started
// Historical as done) and Brokers route queries to it; the first query of each segment pays the
// rest of the load (column deserialisation of the already-local files), a latency cost, not a gap.

/** A segment-cache setting of one tier, as the plan keeps it. Unset fields keep Druid's defaults. */
export interface SegmentCachePlan {
    /** `druid.segmentCache.lazyLoadOnStart`. */
    lazyLoadOnStart: boolean;
    /** `druid.segmentCache.numBootstrapThreads`; undefined keeps Druid's (numLoadingThreads, max(1, processors / 6)). */
    bootstrapThreads?: number;
}

/** The Druid properties the options write, and where Druid reads them. */
export const segmentCacheProperties = {
    lazyLoadOnStart: "druid.segmentCache.lazyLoadOnStart",
    bootstrapThreads: "druid.segmentCache.numBootstrapThreads",
} as const;

export const segmentCacheSource: VersionFactSource = {
    repo: "apache/druid", ref: "036171f923c7790c4c7158b51cb14746d7e7e217 (stored revision after 37.0.0; a revision before 35 agrees on these lines)",
    path: "server/src/main/java/org/apache/druid/segment/loading/SegmentLoaderConfig.java",
    at: "lines 46-47 lazyLoadOnStart = false; 58-59 numLoadingThreads = max(1, processors / 6); 61-62 numBootstrapThreads = null (getNumBootstrapThreads falls back to numLoadingThreads)",
};

/**
 * SegmentStatsMonitor's constructor throws IllegalStateException("Monitor doesn't support working with
 * lazy loading on start") when `segmentLoaderConfig.isLazyLoadOnStart()`: the Historical exits at start
 * (apache/druid, stored revision 8c6dab208e0ba5f308ce001780873cb88c2e307e,
 * server/src/main/java/org/apache/druid/server/metrics/SegmentStatsMonitor.java, constructor; the
 * component's own monitors, config/monitoring.ts monitorsFor, do not include it).
 */
export const segmentStatsMonitor = "org.apache.druid.server.metrics.SegmentStatsMonitor";

/**
 * Cited restart costs: apache/druid#18687 (GWphua, 2025-10-22, "Historical Startup -- Configurable
 * loading strategy", fixes #18446), on 100+ Historicals "each needing to process a large number of
 * segments during start-up (~85k)": "each segment will take 15.3ms to load, and the start-up time
 * for one historical will easily take >20mins (Meaning 1.5 days to complete update for all
 * Historical servers!)"; "Lazy loading processes each segment metadata in 3.23ms, and this shortens
 * the start-up time to ~4min", with "hiccups to query latency" while upgrading. The pull request
 * was closed unmerged; its figures are an operator's measurement, not a Druid default.
 */
export const citedRestartCosts = {
    /** Segments per Historical in the source's clusters. */
    segmentsPerHistorical: 85_000,
    /** Milliseconds per segment of an eager (default) start. */
    eagerMsPerSegment: 15.3,
    /** Milliseconds per segment of a lazy start (metadata only). */
    lazyMsPerSegment: 3.23,
    source: "apache/druid#18687 (fixes apache/druid#18446), description, 2025-10-22",
} as const;

/**
 * Start-up budget of a Historical (the startup probe's periodSeconds x failureThreshold), seconds.
 * Eager: 3600, as before (3600 s at 15.3 ms a segment is ~235,000 segments, 2.8 times the cited
 * 85,000). Lazy: the same number of segments at 3.23 ms (~760 s), rounded up to 5 minutes: 900.
 */
export const historicalStartupBudget = (() => {
    const eager = 3600;
    const segments = (eager * 1000) / citedRestartCosts.eagerMsPerSegment;
    const lazy = Math.ceil((segments * citedRestartCosts.lazyMsPerSegment) / 1000 / 300) * 300;
    return { eager, lazy, segments: Math.floor(segments) };
})();

/** Most bootstrap threads accepted. */
export const maxBootstrapThreads = 256;

/**
 * The segment-cache options of one tier. Refused: `lazyLoadOnStart` with an emptyDir cache (it comes
 * back empty, so the restart downloads every segment through the Coordinator's load queue, which
 * lazy loading does not touch, and the short budget would cut the tier gate's wait), or with
 * SegmentStatsMonitor among the monitors (its constructor refuses lazy loading and the Historical
 * exits at start).
 */
export function resolveSegmentCache(argument: string, t: HistoricalTier, ephemeral: boolean, tierProperties: PropertyMap, commonProperties: PropertyMap | undefined): SegmentCachePlan {
    const lazy = t.lazyLoadOnStart ?? false;
    if (typeof lazy !== "boolean") {
        throw new DruidArgumentError(`${argument}.lazyLoadOnStart`, lazy, "must be true or false");
    }
    const bootstrapThreads = t.bootstrapThreads === undefined ? undefined : checkInteger(`${argument}.bootstrapThreads`, t.bootstrapThreads, 1, 1, maxBootstrapThreads);
    if (lazy && ephemeral) {
        throw new DruidArgumentError(`${argument}.lazyLoadOnStart`, lazy,
            "cannot be true with data.historicalStorage \"ephemeral\": an emptyDir cache is empty after a restart, so the Historical downloads every segment " +
            "through the Coordinator's load queue, which lazy loading does not shorten (it applies to cached segments only); use \"persistent\" storage or leave it false");
    }
    if (lazy) {
        for (const [where, map] of [[`${argument}.properties`, tierProperties], ["commonProperties", commonProperties ?? {}]] as const) {
            const monitors = map["druid.monitoring.monitors"];
            if (typeof monitors === "string" && monitors.includes(segmentStatsMonitor)) {
                throw new DruidArgumentError(`${argument}.lazyLoadOnStart`, lazy,
                    `cannot be true while ${where}["druid.monitoring.monitors"] lists ${segmentStatsMonitor}: Druid's SegmentStatsMonitor refuses lazy loading ` +
                    "(\"Monitor doesn't support working with lazy loading on start\") and the Historical exits at start; remove the monitor or leave lazyLoadOnStart false");
            }
        }
    }
    return { lazyLoadOnStart: lazy, ...(bootstrapThreads !== undefined ? { bootstrapThreads } : {}) };
}
