// Compares the sizing model with apache/druid's reference configurations
// (tests/fixtures/druid-reference-sizing.json): used by tests/reference-sizing.test.ts and by
// scripts/docs.ts, which writes the table into docs/sizing.md.
import * as fs from "fs";
import * as path from "path";
import { GiB, MiB } from "../../components/core/quantities";
import { historicalMergeBuffers, parseDruidBytes, ServiceKind, tuneService, Tuning } from "../../components/plan/tuning";

export interface ReferenceRow {
    id: string; title: string; kind: ServiceKind; cpu: number; memoryGiB: number; volumeGiB?: number;
    brokerReplicas: number; routerReplicas?: number; expect: Record<string, string | number>;
    /** Broker: the CPUs of the Historicals beside it (their merge buffers set the Broker's). */
    historicalCpu?: number;
    /** Overlord: the row of the Coordinator beside it (the Overlord's heap follows the Coordinator's). */
    coordinatorOf?: string;
}

export const reference = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "druid-reference-sizing.json"), "utf8")) as { rows: ReferenceRow[] };

/** Why a figure is more than 25% from the reference ("row.field"). */
export const reasons: Record<string, string> = {
    "cluster-broker.heap": "The reference Query server shares 32 GiB between the Broker, the Router and the OS (another stored version of the file gives the Broker 24g); the pod is the Broker's alone, so its heap takes the rest (below the 31 GiB cap) and the pod's budget stays at or above 90%.",
    "small-broker.heap": "As cluster-broker.heap: the pod's memory is the Broker's alone; the heap takes what direct memory leaves.",
    "large-broker.heap": "As cluster-broker.heap.",
    "size-4-16-broker.heap": "As cluster-broker.heap; the guide starts small and medium clusters at 4-8 GiB and gives very large ones 30-60 GiB (the heap scales with the cluster's segments): the pod's size stands for that scale.",
    "size-8-32-broker.heap": "As size-4-16-broker.heap; beside 8-CPU Historicals the Broker keeps 2 merge buffers, so direct memory takes less of the pod than the reference's 6g.",
    "size-16-64-broker.heap": "As size-4-16-broker.heap (the 31 GiB cap keeps compressed object pointers; the rest is headroom).",
    "size-4-16-broker.direct": "The reference's direct memory is for its merge buffers beside larger Historicals (medium: 4, cluster: 6, xlarge: 16); beside Historicals of this size the Broker takes the guide's \"same as on Historicals or a bit higher\", and twice (merge buffers + 1) x 500MiB of direct memory for them.",
    "size-8-32-broker.direct": "As size-4-16-broker.direct.",
    "size-16-64-broker.direct": "As size-4-16-broker.direct.",
    "cluster-indexer.heap": "The reference splits its 8 GiB of JVM memory half and half (start-druid's ratio); Druid's formula asks (4 + 2 + 1) x 100MiB of direct memory, so the model gives direct memory that + 30% and the heap the rest, where the tasks' rows in memory live (globalIngestionHeapLimitBytes is 1/6 of it). Heap + direct: 9 GiB against the reference's 8.",
    "cluster-indexer.direct": "As cluster-indexer.heap: the Indexer's direct memory is its one shared processing pool, (4 + 2 + 1) x 100MiB + 30%.",
    "size-4-16-historical.direct": "The guide's formula + 30%, rounded up to 64 MiB: the guide calls the formula's \"+1\" a fuzzy estimate, and the cluster reference itself gives 13g for the formula's 9.8 GiB (+33%).",
    "size-4-16-indexer.direct": "The guide's formula + 30%, rounded up to 64 MiB, as for Historicals and Peons (the \"+1\" is a fuzzy estimate); the reference configuration's own 4g is start-druid's half of the JVM (cluster-indexer.direct).",
    "size-8-32-indexer.direct": "As size-4-16-indexer.direct.",
    "size-16-64-indexer.direct": "As size-4-16-indexer.direct.",
    "size-4-16-middlemanager.peonHeap": "start-druid's task count is capped by the CPUs (min(cores, memory / 2 GiB): 4 slots here), so each slot has a quarter of the pod; the Peon keeps the reference's 1g of direct memory and its heap takes the rest of its share, where the task's rows in memory live (maxBytesInMemory defaults to 1/6 of the heap). With 2 GiB per slot (cluster-middlemanager) it is the reference's 1g.",
    "size-8-32-middlemanager.peonHeap": "As size-4-16-middlemanager.peonHeap (8 slots of 4 GiB).",
    "size-16-64-middlemanager.peonHeap": "As size-4-16-middlemanager.peonHeap (16 slots of 4 GiB).",
};

export interface Comparison { row: ReferenceRow; field: string; reference: string; model: string; deviation: number; reason?: string }

const byteFields = new Set(["heap", "direct", "buffer", "peonHeap", "peonDirect", "peonBuffer"]);

/** Reference byte sizes: jvm.config "8g"/"512m" are binary; runtime.properties sizes are Druid's human-readable bytes. */
function referenceBytes(v: string): number {
    const jvm = /^([0-9]+)([gm])$/.exec(v);
    if (jvm) return Number(jvm[1]) * (jvm[2] === "g" ? GiB : MiB);
    const b = parseDruidBytes(v);
    if (b === undefined) throw new Error(`bad reference size ${v}`);
    return b;
}

function human(bytes: number): string {
    return bytes >= GiB ? `${(bytes / GiB).toFixed(bytes % GiB === 0 ? 0 : 1)} GiB` : `${Math.round(bytes / MiB)} MiB`;
}

/** The model's tuning for a reference row (the pure function; tests check the component renders the same). */
export function modelFor(row: ReferenceRow): Tuning {
    const coordinator = row.coordinatorOf === undefined ? undefined : reference.rows.find((r) => r.id === row.coordinatorOf);
    if (row.coordinatorOf !== undefined && coordinator === undefined) throw new Error(`${row.id}: no row ${row.coordinatorOf}`);
    return tuneService({
        label: row.id, kind: row.kind, cpu: row.cpu, memoryBytes: row.memoryGiB * GiB, properties: {},
        brokerReplicas: row.brokerReplicas, routerReplicas: row.routerReplicas ?? 1, volumeBytes: (row.volumeGiB ?? 0) * GiB,
        historicalMergeBuffers: row.historicalCpu === undefined ? undefined : historicalMergeBuffers(row.historicalCpu),
        coordinatorHeapBytes: coordinator === undefined ? undefined : modelFor(coordinator).heapBytes,
    });
}

/** What the model leaves of the pod beyond heap, direct memory, JVM overheads and Peons, and what for. */
export function restOfPod(t: Tuning): string {
    if (t.budget.pageCacheBytes > 0) return `${human(t.budget.pageCacheBytes)} page cache`;
    if (t.budget.headroomBytes > 0) return `${human(t.budget.headroomBytes)} headroom (heap at its ceiling)`;
    return "";
}

function modelValue(t: Tuning, field: string): number | undefined {
    switch (field) {
        case "heap": return t.heapBytes;
        case "direct": return t.directBytes;
        case "threads": return t.processing?.numThreads;
        case "mergeBuffers": return t.processing?.numMergeBuffers;
        case "buffer": return t.processing?.bufferSizeBytes;
        case "httpThreads": return t.httpNumThreads;
        case "brokerConnections": return t.brokerNumConnections;
        case "routerConnections": return t.routerNumConnections;
        case "routerMaxThreads": return t.routerNumMaxThreads;
        case "capacity": return t.workerCapacity;
        case "peonHeap": return t.peon?.heapBytes;
        case "peonDirect": return t.peon?.directBytes;
        case "peonThreads": return t.peon?.processing.numThreads;
        case "peonMergeBuffers": return t.peon?.processing.numMergeBuffers;
        case "peonBuffer": return t.peon?.processing.bufferSizeBytes;
        case "peonHttpThreads": return t.peon?.httpNumThreads;
    }
    throw new Error(`unknown field ${field}`);
}

/** Every reference figure beside the model's, with the relative deviation. */
export function compare(): Comparison[] {
    const out: Comparison[] = [];
    for (const row of reference.rows) {
        const t = modelFor(row);
        for (const [field, v] of Object.entries(row.expect)) {
            const ref = byteFields.has(field) ? referenceBytes(String(v)) : Number(v);
            const model = modelValue(t, field);
            if (model === undefined) throw new Error(`${row.id}: the model has no ${field}`);
            const key = `${row.id}.${field}`;
            out.push({
                row, field, deviation: (model - ref) / ref, reason: reasons[key] || undefined,
                reference: byteFields.has(field) ? `${v} (${human(ref)})` : String(v),
                model: byteFields.has(field) ? human(model) : String(model),
            });
        }
    }
    return out;
}

/** More than 25% away from the reference (a rounding hair over exactly 25% counts as within). */
export function farOff(c: Comparison): boolean {
    return Math.abs(c.deviation) > 0.25 + 1e-9;
}

/** The docs/sizing.md table. */
export function referenceTable(): string {
    let last = "";
    const rows = compare().map((c) => {
        // The rest of the pod once per row of hardware, on its first figure.
        const rest = c.row.id === last ? "" : restOfPod(modelFor(c.row));
        last = c.row.id;
        return `| ${c.row.title} | ${c.field} | ${c.reference} | ${c.model} | ${c.deviation >= 0 ? "+" : ""}${Math.round(c.deviation * 100)}% | ${rest} | ${farOff(c) ? c.reason ?? "**no reason**" : ""} |`;
    });
    return ["| reference (hardware) | figure | apache/druid | this model | off by | rest of the pod | why, when more than 25% |", "|---|---|---|---|---|---|---|", ...rows, "",
        "Generated from tests/fixtures/druid-reference-sizing.json by tests/support/reference-sizing.ts (`npm run docs`).", ""].join("\n");
}
