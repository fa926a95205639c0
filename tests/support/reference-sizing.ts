// Compares the sizing model with apache/druid's reference configurations
// (tests/fixtures/druid-reference-sizing.json): used by tests/reference-sizing.test.ts and by
// scripts/docs.ts, which writes the table into the README.
import * as fs from "fs";
import * as path from "path";
import { GiB, MiB } from "../../components/config/quantities";
import { parseDruidBytes, ServiceKind, tuneService, Tuning } from "../../components/config/tuning";

export interface ReferenceRow {
    id: string; title: string; kind: ServiceKind; cpu: number; memoryGiB: number; volumeGiB?: number;
    brokerReplicas: number; routerReplicas?: number; expect: Record<string, string | number>;
}

export const reference = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "druid-reference-sizing.json"), "utf8")) as { rows: ReferenceRow[] };

/** Why a figure is more than 25% from the reference ("row.field"). */
export const reasons: Record<string, string> = {
    "cluster-broker.heap": "The reference Query server shares 32 GiB between the Broker, the Router and the OS (another stored version of the file gives the Broker 24g); the pod is the Broker's alone, so its heap takes the rest (below the 31 GiB cap) and the pod's budget stays at or above 90%.",
    "small-broker.heap": "As cluster-broker.heap: the pod's memory is the Broker's alone; the heap takes what direct memory leaves.",
    "large-broker.heap": "As cluster-broker.heap.",
    "medium-broker.heap": "As cluster-broker.heap.",
    "large-broker.direct": "The large profile's 11g is its own outlier: twice (8 + 1) x 500MB is 8.4 GiB for the 8 merge buffers it configures; with 6 merge buffers from 8 cores the model needs 6.9 GiB.",
    "cluster-coordinator-overlord.heap": "The reference Master server also runs ZooKeeper (start-cluster-master-with-zk-server) and the OS in its 32 GiB; the pod is the Coordinator's alone, so its heap takes the rest.",
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
    return tuneService({
        label: row.id, kind: row.kind, cpu: row.cpu, memoryBytes: row.memoryGiB * GiB, properties: {},
        brokerReplicas: row.brokerReplicas, routerReplicas: row.routerReplicas ?? 1, volumeBytes: (row.volumeGiB ?? 0) * GiB,
    });
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

/** The README table. */
export function referenceTable(): string {
    const rows = compare().map((c) => `| ${c.row.title} | ${c.field} | ${c.reference} | ${c.model} | ${c.deviation >= 0 ? "+" : ""}${Math.round(c.deviation * 100)}% | ${farOff(c) ? c.reason ?? "**no reason**" : ""} |`);
    return ["| reference (hardware) | figure | apache/druid | this model | off by | why, when more than 25% |", "|---|---|---|---|---|---|", ...rows, "",
        "Generated from tests/fixtures/druid-reference-sizing.json by tests/support/reference-sizing.ts (`npm run docs`).", ""].join("\n");
}
