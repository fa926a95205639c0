import { DruidArgumentError, DruidSizingError } from "../core/errors";
import { JvmMemoryFlags, jvmMemoryFlags } from "./jvm-options";
import { formatJvmBytes, GiB, MiB } from "../core/quantities";
import { PropertyMap } from "../core/properties";

// One file over 400 lines on purpose: the sizing model is one set of rules that reads best
// together (each service's formula beside the budget check they share).
//
// The sizing model. Its rules come from Druid's basic cluster tuning guide
// (docs/operations/basic-cluster-tuning.md), calibrated against apache/druid's own reference
// configurations (examples/conf/druid/cluster/*, examples/conf/druid/single-server/*) and
// examples/bin/start-druid-main.py; tests/fixtures/druid-reference-sizing.json holds those values
// with their commits, and tests/reference-sizing.test.ts compares every figure below with them.
//
// - Historical: heap 0.5GiB x cores (at most 24GiB) + on-heap cache; processing threads cores - 1;
//   buffers 500MiB; merge buffers cores / 4 (at least 2: reference 4 on 16 cores, 8 on 32, 16 on 64);
//   MaxDirectMemorySize (threads + merge buffers + 1) x buffer, +30% because the guide calls the
//   "+1" a fuzzy estimate (the reference gives 13g for 9.8GiB). The rest of the container is left
//   to the page cache that memory-maps segments.
// - Broker: 1 processing thread; merge buffers the guide's "same as on Historicals or a bit
//   higher": the largest Historical's count + a quarter of it (references: 6 beside 16-core
//   Historicals with 4; single-server profiles equal to their Historical's); direct memory twice
//   (merge buffers + 1) x buffer, as the reference configurations give it (6g for 2.9GiB);
//   heap the rest, at most 31GiB (compressed object pointers).
// - Connection pools: each data server accepts 50 queries + 10 other requests; the Brokers'
//   druid.broker.http.numConnections are split over the most Brokers that can run (the
//   autoscaler's maxReplicas), and the Routers' pools into each Broker likewise.
// - MiddleManager: 128MiB heap; task slots min(cores, memory / 2GiB) (start-druid's task-count
//   rule); each Peon 1 processing thread, 2 merge buffers of 100MiB, at least 1g of direct memory,
//   and the rest of its share of the container as heap (reference 1g/1g per 2GiB slot).
// - Indexer: processing threads cores / 4 (the tasks share the cores; reference 4 on 16), buffers
//   100MiB, task slots as for MiddleManagers; direct memory the guide's formula + 30% (the
//   processing pool is the Indexer's only large direct user), the heap the rest: the tasks' rows
//   in memory live there.
// - Coordinator: 60% of the container, at most 15GiB (the references: 4500m of a 6GiB share, 9g
//   of 12GiB, 15g on the 32GiB Master server; its heap grows with segments and tasks, not with
//   the pod). Overlord: half the Coordinator's heap (the guide: 25-50% of it). Router: 512MiB
//   (single-server medium -Xmx512m; the guide's starting point is 256MiB), 100 server and proxy
//   threads. What these leave of a larger pod is headroom (MemoryBudget.headroomBytes), for a
//   larger -Xmx in jvmOptions, not heap.

/** Druid service kinds. */
export type ServiceKind = "coordinator" | "overlord" | "broker" | "router" | "historical" | "middleManager" | "indexer";

/** Concurrent queries each data server should accept, and extra threads for non-query requests. */
export const queryConnectionsPerDataServer = 50;
export const nonQueryThreads = 10;
/** Historical heap ceiling (the guide's ~24GiB, against long GC pauses). */
export const historicalHeapCap = 24 * GiB;
/** Heap ceiling of the services whose heap is the rest of the container: above it the JVM loses compressed object pointers. */
export const heapCap = 31 * GiB;
/** Direct memory over the guide's formula: Historicals and Tasks +30% (the "+1" is fuzzy), Brokers x2 (the references). */
export const directMargin = { historical: 1.3, broker: 2, task: 1.3 };
/** start-druid-main.py compute_tasks_memory: one task per 2048MB (1g heap + 1g direct), at most one per CPU. */
export const taskSlotBytes = 2 * GiB;
/** Router server and proxy threads (examples/conf/druid/cluster/query/router/runtime.properties). */
export const routerThreads = 100;
/** Router heap (examples/conf/druid/single-server/medium/router/jvm.config: -Xmx512m). */
export const routerHeapCap = 512 * MiB;
/** Coordinator heap ceiling (examples/conf/druid/cluster/master/coordinator-overlord/jvm.config: -Xmx15g). */
export const coordinatorHeapCap = 15 * GiB;
/** Share of the container the Coordinator's heap takes below its ceiling. */
export const coordinatorHeapShare = 0.6;
/** The Overlord's heap against the Coordinator's (the guide: "25-50% of your Coordinator heap"). */
export const overlordHeapShare = 0.5;

/**
 * JVM memory besides heap and direct memory: metaspace, code cache and thread stacks (256MiB) and
 * the garbage collector's own structures (10% of the heap for G1).
 */
export function jvmOverheadBytes(heapBytes: number): number {
    return 256 * MiB + Math.ceil((heapBytes * 0.1) / MiB) * MiB;
}

export interface ProcessingTuning {
    numThreads: number;
    numMergeBuffers: number;
    bufferSizeBytes: number;
}

export interface PeonTuning {
    heapBytes: number;
    directBytes: number;
    processing: ProcessingTuning;
    httpNumThreads: number;
}

/** Where a pod's memory goes; the parts add up to at most the container. */
export interface MemoryBudget {
    heapBytes: number;
    directBytes: number;
    overheadBytes: number;
    /** MiddleManager: task slots x (Peon heap + direct + overhead). */
    peonBytes: number;
    /** Historical: left to the page cache that memory-maps segments. */
    pageCacheBytes: number;
    /**
     * Router, Coordinator, Overlord: what a pod larger than the process needs leaves unused (their
     * heaps are capped near Druid's references); room for a larger -Xmx in jvmOptions.
     */
    headroomBytes: number;
    containerBytes: number;
}

/** The figures a service's runtime.properties and jvm.config are written from. */
export interface Tuning {
    heapBytes: number;
    directBytes: number;
    /** Processing pool (Historical, Broker, Indexer). */
    processing?: ProcessingTuning;
    httpNumThreads: number;
    /** Broker: connections to each data server. */
    brokerNumConnections?: number;
    /** Router: connections to each Broker, and proxy threads. */
    routerNumConnections?: number;
    routerNumMaxThreads?: number;
    /** MiddleManager / Indexer task slots. */
    workerCapacity?: number;
    peon?: PeonTuning;
    /** Indexer: heap for rows in memory across tasks. */
    globalIngestionHeapLimitBytes?: number;
    /** Historical: on-heap query cache. */
    cacheBytes?: number;
    /** Historical: segment-cache maxSize. */
    segmentCacheBytes?: number;
    budget: MemoryBudget;
}

/** What the sizing needs to know about one service. */
export interface SizingInput {
    /** Names the service in errors, e.g. "historical tier \"hot\"". */
    label: string;
    kind: ServiceKind;
    cpu: number;
    memoryBytes: number;
    /** User overrides; sizing honours the processing/connection ones. */
    properties: PropertyMap;
    /** Argument path of `properties`, for errors (e.g. "data.historicalTiers[0].properties"). */
    propertiesArgument?: string;
    /** Argument path of the service, for sizing errors (e.g. "data.historicalTiers[0]": its `.resources` or `.volumeSize`). */
    argument?: string;
    /** The most Broker pods that can run (the autoscaler's maxReplicas, else replicas): connection pools. */
    brokerReplicas: number;
    /** The most Router pods that can run: their pools into each Broker. Default 1. */
    routerReplicas?: number;
    /** User JVM flags of this service; -Xmx/-Xms/-XX:MaxDirectMemorySize replace the derived figures. */
    jvmOptions?: string[];
    jvmOptionsArgument?: string;
    /** MiddleManager: user flags of every Peon. */
    peonJvmOptions?: string[];
    peonJvmOptionsArgument?: string;
    /** Overlord: the Coordinator's heap; its own is at most half of it. */
    coordinatorHeapBytes?: number;
    /** Broker: merge buffers of the Historical with the most (default: a Historical of the Broker's cores). */
    historicalMergeBuffers?: number;
    /** Historical segment-cache volume, bytes. */
    volumeBytes?: number;
    /** Historical on-heap cache, bytes. */
    cacheBytes?: number;
    /** MiddleManager/Indexer task slots asked for. */
    workerCapacity?: number;
}

function roundDown(value: number, unit: number): number {
    return Math.floor(value / unit) * unit;
}

function roundUp(value: number, unit: number): number {
    return Math.ceil(value / unit) * unit;
}

/** User overrides and the argument path they came from (for errors). */
interface Overrides {
    properties: PropertyMap;
    argument: string;
}

function overrideInt(o: Overrides, key: string, fallback: number): number {
    const v = o.properties[key];
    if (v === undefined) return fallback;
    if (!/^[1-9][0-9]*$/.test(v.trim())) {
        throw new DruidArgumentError(`${o.argument}["${key}"]`, v, "must be a whole number greater than zero");
    }
    return Number(v);
}

/**
 * Druid's human-readable bytes (docs/configuration/human-readable-byte.md): a whole number with an
 * optional case-insensitive unit, K/M/G/T/P decimal (1000-based), Ki/KiB/Mi/MiB... binary.
 */
export function parseDruidBytes(text: string): number | undefined {
    const m = /^([0-9]+)\s*(?:([kmgtp])(i|ib)?)?$/i.exec(text.trim());
    if (!m) return undefined;
    const power = m[2] === undefined ? 0 : "kmgtp".indexOf(m[2].toLowerCase()) + 1;
    return Number(m[1]) * (m[3] === undefined ? 1000 : 1024) ** power;
}

function overrideBytes(o: Overrides, key: string, fallback: number): number {
    const v = o.properties[key];
    if (v === undefined) return fallback;
    const bytes = parseDruidBytes(v);
    if (bytes === undefined || bytes === 0) {
        throw new DruidArgumentError(`${o.argument}["${key}"]`, v, "must be a byte size such as \"500MiB\", \"1GiB\" or a number of bytes");
    }
    return bytes;
}

/** Processing threads, merge buffers and buffer size, with user overrides applied (`prefix` for Peons' fork properties). */
export function processingTuning(o: Overrides, numThreads: number, bufferSizeBytes: number, mergeBuffers?: (threads: number) => number, prefix = ""): ProcessingTuning {
    const threads = overrideInt(o, `${prefix}druid.processing.numThreads`, numThreads);
    return {
        numThreads: threads,
        numMergeBuffers: overrideInt(o, `${prefix}druid.processing.numMergeBuffers`, mergeBuffers ? mergeBuffers(threads) : Math.max(2, Math.floor(threads / 4))),
        bufferSizeBytes: overrideBytes(o, `${prefix}druid.processing.buffer.sizeBytes`, bufferSizeBytes),
    };
}

/** (numThreads + numMergeBuffers + 1) * buffer.sizeBytes: the guide's formula. */
export function directMemoryFor(p: ProcessingTuning, includeProcessingThreads = true): number {
    return ((includeProcessingThreads ? p.numThreads : 0) + p.numMergeBuffers + 1) * p.bufferSizeBytes;
}

/** The guide's formula with a margin, rounded up to 64MiB: what MaxDirectMemorySize is set to. */
function directWithMargin(p: ProcessingTuning, margin: number, includeProcessingThreads = true): number {
    return roundUp(directMemoryFor(p, includeProcessingThreads) * margin, 64 * MiB);
}

/** Broker connections so that all Brokers together send each data server 50 concurrent queries. */
export function brokerConnections(brokerReplicas: number): number {
    return Math.max(1, Math.floor(queryConnectionsPerDataServer / brokerReplicas));
}

/** Data servers accept every Broker's connections plus non-query requests. */
export function dataServerHttpThreads(brokerReplicas: number, numConnections: number): number {
    return brokerReplicas * numConnections + nonQueryThreads;
}

function mib(bytes: number): string {
    return `${Math.round(bytes / MiB)}MiB`;
}

/** The heap that fills `available` bytes together with its own JVM overhead, rounded down to 64MiB. */
export function heapFilling(available: number): number {
    return roundDown((available - 256 * MiB) / 1.1, 64 * MiB);
}

/** Applies user -Xmx/-XX:MaxDirectMemorySize over the derived heap and direct memory. */
function withJvmFlags(heapBytes: number, directBytes: number, f: JvmMemoryFlags): { heapBytes: number; directBytes: number } {
    return { heapBytes: f.maxHeapBytes ?? f.initialHeapBytes ?? heapBytes, directBytes: f.directBytes ?? directBytes };
}

interface Shape extends Omit<Tuning, "budget"> {
    peonBytes?: number;
    pageCache?: boolean;
    /** The heap sits at its ceiling, below what the container could hold: the rest is headroom. */
    headroom?: boolean;
}

/** The argument a sizing error is reported on: `<service argument>.<key>`, or "" when the input names no argument. */
function sizingArgument(input: SizingInput, key: string): string {
    return input.argument !== undefined ? `${input.argument}.${key}` : "";
}

function fit(input: SizingInput, t: Shape, extraLabel = ""): Tuning {
    const overhead = jvmOverheadBytes(t.heapBytes);
    const peonBytes = t.peonBytes ?? 0;
    const total = t.heapBytes + t.directBytes + overhead + peonBytes;
    if (total > input.memoryBytes) {
        const needGi = Math.ceil(total / GiB);
        throw new DruidSizingError(
            `${input.label} does not fit its container: heap ${mib(t.heapBytes)} + direct memory ${mib(t.directBytes)}` +
            `${peonBytes > 0 ? ` + ${extraLabel} = ${mib(peonBytes)}` : ""} + JVM overhead ${mib(overhead)} = ${mib(total)}, ` +
            `over the container's ${mib(input.memoryBytes)}. Give it at least ${needGi}Gi of memory, ` +
            "or lower druid.processing.buffer.sizeBytes / druid.processing.numThreads in its properties or the -Xmx / -XX:MaxDirectMemorySize in its JVM options" +
            (input.kind === "middleManager" || input.kind === "indexer" ? ", or its workerCapacity." : "."), sizingArgument(input, "resources"));
    }
    if (t.heapBytes < 128 * MiB) {
        // What a heap of 128MiB needs beside it: the same direct memory, its JVM overhead and any Peons.
        const need = 128 * MiB + t.directBytes + jvmOverheadBytes(128 * MiB) + peonBytes;
        throw new DruidSizingError(`${input.label} would get a heap of only ${mib(t.heapBytes)} in ${mib(input.memoryBytes)}: ` +
            `a heap of at least 128MiB + direct memory ${mib(t.directBytes)}${peonBytes > 0 ? ` + ${extraLabel} = ${mib(peonBytes)}` : ""} + JVM overhead ${mib(jvmOverheadBytes(128 * MiB))} = ${mib(need)}. ` +
            `Give it at least ${Math.ceil(need / GiB)}Gi of memory, or lower druid.processing.buffer.sizeBytes / druid.processing.numThreads in its properties ` +
            "(or raise the -Xmx / lower the -XX:MaxDirectMemorySize in its JVM options).", sizingArgument(input, "resources"));
    }
    const rest = input.memoryBytes - total;
    const { peonBytes: _p, pageCache, headroom, ...tuning } = t;
    void _p;
    return {
        ...tuning,
        budget: {
            heapBytes: t.heapBytes, directBytes: t.directBytes, overheadBytes: overhead, peonBytes,
            pageCacheBytes: pageCache ? rest : 0, headroomBytes: headroom ? rest : 0, containerBytes: input.memoryBytes,
        },
    };
}

/** Task slots: start-druid's min(CPUs, memory / 2GiB), at least 1, unless asked for. */
function taskSlots(input: SizingInput, cores: number, available: number): number {
    return input.workerCapacity ?? Math.max(1, Math.min(cores, Math.floor(available / taskSlotBytes)));
}

/** Historical merge buffers: cores / 4, at least 2 (references: 4 on 16 cores, 8 on 32, 16 on 64). */
export function historicalMergeBuffers(cpu: number): number {
    return Math.max(2, Math.floor(Math.max(1, Math.floor(cpu)) / 4));
}

/** Broker merge buffers: "same as on Historicals or a bit higher" (basic-cluster-tuning.md): the Historicals' + a quarter. */
export function brokerMergeBuffers(historical: number): number {
    return Math.max(2, historical + Math.floor(historical / 4));
}

/** Derives heap, direct memory, buffers, threads and caches for one service from its container. */
export function tuneService(input: SizingInput): Tuning {
    const o: Overrides = { properties: input.properties, argument: input.propertiesArgument ?? `${input.label} properties` };
    const flags = jvmMemoryFlags(input.jvmOptions ?? [], input.jvmOptionsArgument ?? `${input.label} jvmOptions`);
    const cores = Math.max(1, Math.floor(input.cpu));
    const numConnections = brokerConnections(input.brokerReplicas);
    const dataThreads = overrideInt(o, "druid.server.http.numThreads", dataServerHttpThreads(input.brokerReplicas, numConnections));
    switch (input.kind) {
        case "historical": {
            const processing = processingTuning(o, Math.max(1, cores - 1), 500 * MiB, () => historicalMergeBuffers(cores));
            const cacheBytes = input.cacheBytes ?? 0;
            const mem = withJvmFlags(Math.min(historicalHeapCap, roundDown(0.5 * GiB * input.cpu, 64 * MiB)) + cacheBytes,
                directWithMargin(processing, directMargin.historical), flags);
            const volume = input.volumeBytes ?? 0;
            // 10% of the volume stays free for the filesystem and segments being downloaded.
            const segmentCacheBytes = overrideBytes(o, "druid.server.maxSize", roundDown(volume * 0.9, MiB));
            if (segmentCacheBytes > volume) {
                throw new DruidSizingError(`${input.label}: segment cache ${mib(segmentCacheBytes)} is larger than its volume ${mib(volume)}; ` +
                    "lower druid.server.maxSize or raise volumeSize.", sizingArgument(input, "volumeSize"));
            }
            return fit(input, { ...mem, processing, httpNumThreads: dataThreads, cacheBytes, segmentCacheBytes, pageCache: true });
        }
        case "broker": {
            const processing = processingTuning(o, 1, 500 * MiB, () => brokerMergeBuffers(input.historicalMergeBuffers ?? historicalMergeBuffers(cores)));
            // Twice the formula as the references give it, but no more than start-druid's 40% of the
            // Broker's memory when that is tight (never under the formula + 30%).
            const directBytes = flags.directBytes ?? Math.max(directWithMargin(processing, directMargin.task, false),
                Math.min(directWithMargin(processing, directMargin.broker, false), roundDown(input.memoryBytes * 0.4, 64 * MiB)));
            const brokerConns = overrideInt(o, "druid.broker.http.numConnections", numConnections);
            // Every Router may open its whole pool to this Broker (druid.router.http.numConnections).
            const routerPools = (input.routerReplicas ?? 1) * brokerConnections(input.routerReplicas ?? 1);
            const filling = heapFilling(input.memoryBytes - directBytes);
            const mem = withJvmFlags(Math.min(heapCap, filling), directBytes, flags);
            return fit(input, {
                ...mem,
                headroom: filling > heapCap,
                processing,
                brokerNumConnections: brokerConns,
                httpNumThreads: overrideInt(o, "druid.server.http.numThreads", Math.max(brokerConns, routerPools) + nonQueryThreads),
            });
        }
        case "middleManager": {
            const peonFlags = jvmMemoryFlags(input.peonJvmOptions ?? [], input.peonJvmOptionsArgument ?? `${input.label} peonJvmOptions`);
            const fork = "druid.indexer.fork.property.";
            const processing = processingTuning(o, 1, 100 * MiB, () => 2, fork);
            const own = withJvmFlags(128 * MiB, 64 * MiB, flags);
            const available = input.memoryBytes - own.heapBytes - own.directBytes - jvmOverheadBytes(own.heapBytes);
            const capacity = taskSlots(input, cores, available);
            const perSlot = Math.floor(available / capacity);
            const peonDirect = peonFlags.directBytes ?? Math.max(GiB, directWithMargin(processing, directMargin.task));
            const peonHeap = peonFlags.maxHeapBytes ?? peonFlags.initialHeapBytes ?? Math.max(256 * MiB, heapFilling(perSlot - peonDirect));
            const perPeon = peonHeap + peonDirect + jvmOverheadBytes(peonHeap);
            const peon: PeonTuning = {
                heapBytes: peonHeap, directBytes: peonDirect, processing,
                httpNumThreads: overrideInt(o, `${fork}druid.server.http.numThreads`, dataThreads),
            };
            return fit(input, { ...own, httpNumThreads: overrideInt(o, "druid.server.http.numThreads", 60), workerCapacity: capacity, peon, peonBytes: capacity * perPeon },
                `${capacity} task slots x ${mib(perPeon)}`);
        }
        case "indexer": {
            const processing = processingTuning(o, Math.max(1, Math.floor(cores / 4)), 100 * MiB);
            const capacity = taskSlots(input, cores, input.memoryBytes - 512 * MiB);
            // The guide's formula + 30% (not start-druid's half of the JVM: the tasks share this one
            // processing pool, and their rows in memory are on the heap, which gets the rest).
            const directBytes = flags.directBytes ?? directWithMargin(processing, directMargin.task);
            const filling = heapFilling(input.memoryBytes - directBytes);
            const mem = withJvmFlags(Math.min(heapCap, filling), directBytes, flags);
            return fit(input, {
                ...mem, processing, headroom: filling > heapCap, httpNumThreads: dataThreads, workerCapacity: capacity,
                // docs/design/indexer.md: Druid's default is 1/6 of the heap, aligned with maxBytesInMemory;
                // peak row memory is about maxBytesInMemory x (2 + maxPendingPersists).
                globalIngestionHeapLimitBytes: Math.floor(mem.heapBytes / 6),
            });
        }
        case "router": {
            const directBytes = flags.directBytes ?? 128 * MiB;
            const filling = heapFilling(input.memoryBytes - directBytes);
            const mem = withJvmFlags(Math.min(routerHeapCap, filling), directBytes, flags);
            return fit(input, {
                ...mem,
                headroom: filling > routerHeapCap,
                httpNumThreads: overrideInt(o, "druid.server.http.numThreads", routerThreads),
                routerNumMaxThreads: overrideInt(o, "druid.router.http.numMaxThreads", routerThreads),
                routerNumConnections: overrideInt(o, "druid.router.http.numConnections", brokerConnections(input.routerReplicas ?? 1)),
            });
        }
        case "coordinator":
        case "overlord": {
            const directBytes = flags.directBytes ?? 256 * MiB;
            const cap = input.kind === "overlord"
                ? roundDown(overlordHeapShare * (input.coordinatorHeapBytes ?? Math.min(coordinatorHeapCap, coordinatorHeapShare * input.memoryBytes)), 64 * MiB)
                : Math.min(coordinatorHeapCap, roundDown(coordinatorHeapShare * input.memoryBytes, 64 * MiB));
            const filling = heapFilling(input.memoryBytes - directBytes);
            const mem = withJvmFlags(Math.min(cap, filling), directBytes, flags);
            return fit(input, { ...mem, headroom: filling > cap, httpNumThreads: overrideInt(o, "druid.server.http.numThreads", 60) });
        }
    }
}

/** The tuning as text, for errors and notes. */
export function describeTuning(t: Tuning): string {
    const parts = [`heap ${formatJvmBytes(t.heapBytes)}`, `direct ${formatJvmBytes(t.directBytes)}`];
    if (t.processing) parts.push(`threads ${t.processing.numThreads}`, `merge buffers ${t.processing.numMergeBuffers}`, `buffer ${formatJvmBytes(t.processing.bufferSizeBytes)}`);
    parts.push(`http threads ${t.httpNumThreads}`);
    return parts.join(", ");
}
