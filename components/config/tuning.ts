import { DruidArgumentError, DruidSizingError } from "../errors";
import { formatJvmBytes, GiB, MiB } from "./quantities";
import { PropertyMap } from "./properties";

// Sizing rules from Druid's basic cluster tuning guide (docs/operations/basic-cluster-tuning.md):
// - Historical heap: 0.5GiB * CPU cores (plus the on-heap query cache); processing threads:
//   cores - 1; buffers: 500MiB; merge buffers: 1 per 4 processing threads (Druid's own floor is 2);
//   direct memory: (numThreads + numMergeBuffers + 1) * buffer.sizeBytes.
// - Broker: merge buffers as on Historicals, direct memory (numMergeBuffers + 1) * buffer.sizeBytes,
//   heap is the rest of the container (the guide's 4-8GiB for small/medium clusters).
// - Connection pools: each Historical/Task accepts 50 queries + 10 non-queries, so
//   druid.server.http.numThreads = sum of brokers' druid.broker.http.numConnections + 10.
// - MiddleManager: ~128MiB heap; Tasks: 1GiB heap, 2 processing threads, 2 merge buffers, 100MiB buffers.
// - Overlord heap 25-50% of the Coordinator's; Router 256MiB heap as a starting point.

/** Druid service kinds. */
export type ServiceKind = "coordinator" | "overlord" | "broker" | "router" | "historical" | "middleManager" | "indexer";

/** Concurrent queries each data server should accept, and extra threads for non-query requests. */
export const queryConnectionsPerDataServer = 50;
export const nonQueryThreads = 10;
/** JVM memory besides heap and direct memory (metaspace, code cache, thread stacks, GC). */
export function jvmOverheadBytes(containerBytes: number): number {
    return Math.max(512 * MiB, roundDown(containerBytes * 0.1, MiB));
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
    /** MiddleManager / Indexer task slots. */
    workerCapacity?: number;
    peon?: PeonTuning;
    /** Historical: on-heap query cache. */
    cacheBytes?: number;
    /** Historical: segment-cache maxSize. */
    segmentCacheBytes?: number;
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
    /** Number of Broker replicas in the cluster (connection pool sizing). */
    brokerReplicas: number;
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

/** Processing threads, merge buffers and buffer size per the guide, with user overrides applied. */
export function processingTuning(o: Overrides, numThreads: number, bufferSizeBytes: number): ProcessingTuning {
    const threads = overrideInt(o, "druid.processing.numThreads", numThreads);
    return {
        numThreads: threads,
        numMergeBuffers: overrideInt(o, "druid.processing.numMergeBuffers", Math.max(2, Math.floor(threads / 4))),
        bufferSizeBytes: overrideBytes(o, "druid.processing.buffer.sizeBytes", bufferSizeBytes),
    };
}

/** (numThreads + numMergeBuffers + 1) * buffer.sizeBytes. */
export function directMemoryFor(p: ProcessingTuning, includeProcessingThreads = true): number {
    return ((includeProcessingThreads ? p.numThreads : 0) + p.numMergeBuffers + 1) * p.bufferSizeBytes;
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

function fit(input: SizingInput, t: Tuning, extra = 0, extraLabel = ""): Tuning {
    const overhead = jvmOverheadBytes(input.memoryBytes);
    const total = t.heapBytes + t.directBytes + overhead + extra;
    if (total > input.memoryBytes) {
        const needGi = Math.ceil(total / GiB);
        throw new DruidSizingError(
            `${input.label} does not fit its container: heap ${mib(t.heapBytes)} + direct memory ${mib(t.directBytes)}` +
            `${extra > 0 ? ` + ${extraLabel} ${mib(extra)}` : ""} + JVM overhead ${mib(overhead)} = ${mib(total)}, ` +
            `over the container's ${mib(input.memoryBytes)}. Give it at least ${needGi}Gi of memory, ` +
            "or lower druid.processing.buffer.sizeBytes / druid.processing.numThreads in its properties" +
            (input.kind === "middleManager" || input.kind === "indexer" ? " or its workerCapacity." : "."));
    }
    if (t.heapBytes < 128 * MiB) {
        throw new DruidSizingError(`${input.label} would get a heap of only ${mib(t.heapBytes)} in ${mib(input.memoryBytes)}; give it more memory.`);
    }
    return t;
}

/** Heap for services whose heap is "the rest of the container". */
function remainderHeap(input: SizingInput, directBytes: number, extra = 0): number {
    return roundDown(input.memoryBytes - directBytes - jvmOverheadBytes(input.memoryBytes) - extra, 64 * MiB);
}

/** Derives heap, direct memory, buffers, threads and caches for one service from its container. */
export function tuneService(input: SizingInput): Tuning {
    const o: Overrides = { properties: input.properties, argument: input.propertiesArgument ?? `${input.label} properties` };
    const cores = Math.max(1, Math.floor(input.cpu));
    const numConnections = brokerConnections(input.brokerReplicas);
    const dataThreads = overrideInt(o, "druid.server.http.numThreads",
        dataServerHttpThreads(input.brokerReplicas, numConnections));
    switch (input.kind) {
        case "historical": {
            const processing = processingTuning(o, Math.max(1, cores - 1), 500 * MiB);
            const cacheBytes = input.cacheBytes ?? 0;
            const heapBytes = Math.min(24 * GiB, roundDown(0.5 * GiB * input.cpu, 64 * MiB)) + cacheBytes;
            const volume = input.volumeBytes ?? 0;
            // 10% of the volume stays free for the filesystem and segments being downloaded.
            const segmentCacheBytes = overrideBytes(o, "druid.server.maxSize", roundDown(volume * 0.9, MiB));
            if (segmentCacheBytes > volume) {
                throw new DruidSizingError(`${input.label}: segment cache ${mib(segmentCacheBytes)} is larger than its volume ${mib(volume)}; ` +
                    "lower druid.server.maxSize or raise volumeSize.");
            }
            return fit(input, { heapBytes, directBytes: directMemoryFor(processing), processing, httpNumThreads: dataThreads, cacheBytes, segmentCacheBytes });
        }
        case "broker": {
            const processing = processingTuning(o, 1, 500 * MiB);
            const directBytes = directMemoryFor(processing, false);
            const brokerConns = overrideInt(o, "druid.broker.http.numConnections", numConnections);
            return fit(input, {
                heapBytes: remainderHeap(input, directBytes),
                directBytes,
                processing,
                brokerNumConnections: brokerConns,
                httpNumThreads: overrideInt(o, "druid.server.http.numThreads", brokerConns + nonQueryThreads),
            });
        }
        case "middleManager": {
            const capacity = input.workerCapacity ?? Math.max(1, cores - 1);
            const peonProcessing = {
                numThreads: overrideInt(o, "druid.indexer.fork.property.druid.processing.numThreads", 2),
                numMergeBuffers: overrideInt(o, "druid.indexer.fork.property.druid.processing.numMergeBuffers", 2),
                bufferSizeBytes: overrideBytes(o, "druid.indexer.fork.property.druid.processing.buffer.sizeBytes", 100 * MiB),
            };
            const peon: PeonTuning = { heapBytes: 1 * GiB, directBytes: directMemoryFor(peonProcessing), processing: peonProcessing };
            const perPeon = peon.heapBytes + peon.directBytes + 256 * MiB;
            return fit(input, { heapBytes: 128 * MiB, directBytes: 64 * MiB, httpNumThreads: 60, workerCapacity: capacity, peon },
                capacity * perPeon, `${capacity} task slots x ${mib(perPeon)}`);
        }
        case "indexer": {
            const capacity = input.workerCapacity ?? Math.max(1, cores - 1);
            const processing = processingTuning(o, Math.max(1, cores - 1), 200 * MiB);
            const directBytes = directMemoryFor(processing);
            // Tasks run as threads: 1GiB of heap per task slot plus 512MiB for the process itself.
            const heapBytes = capacity * GiB + 512 * MiB;
            return fit(input, { heapBytes, directBytes, processing, httpNumThreads: dataThreads, workerCapacity: capacity });
        }
        case "router":
        case "coordinator":
        case "overlord": {
            const directBytes = 256 * MiB;
            return fit(input, { heapBytes: remainderHeap(input, directBytes), directBytes, httpNumThreads: overrideInt(o, "druid.server.http.numThreads", 60) });
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
