import { ChildProcessWithoutNullStreams, execFileSync, spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { DruidArgumentError, DruidCluster, DruidClusterArgs, DruidSizingError } from "../../index";
import { argsSchema, ArgsSchema } from "../../components/plan/validate-shape";
import { parseProperties } from "../../components/core/properties";
import * as pulumi from "@pulumi/pulumi";
import { parseImageReference } from "../../components/plan/image-reference";
import { isConfigMapKey } from "../../components/plan/validate-objects";
import { isDns1123Label, isDns1123Subdomain } from "../../components/plan/validate-kubernetes";
import { kubernetesObjectValues } from "../../cli/render";
import { takeSecretKeys } from "../../components/k8s/preview";
import { Plan, planProgram, SECRET_MASK, UNKNOWN } from "../../testing";
import { busyboxAvailable, druidShJvmArguments, jvmConfigFlags } from "./busybox-xargs";
import { checkPlan, checkWrittenObjects } from "./kubernetes-schema";
import { checkRestricted } from "./pod-security-restricted";

// The property of the whole argument space: `new DruidCluster(name, args)` either throws the
// component's own error (DruidArgumentError naming an argument path that exists in schema.json,
// or DruidSizingError), or registers a plan in which
//   - every Kubernetes object passes its upstream OpenAPI schema (kubernetes-schema.ts),
//   - every generated .properties file reads back through java.util.Properties exactly as the
//     component's own Java-compatible parser reads it,
//   - every Druid JVM fits its container (-Xmx + -XX:MaxDirectMemorySize, and a MiddleManager's
//     task slots x its Peons' sizes),
//   - every pod passes Pod Security "restricted" (pod-security-restricted.ts),
//   - no resource input holds the text "undefined", "NaN", "Infinity" or "[object Object]" that
//     the arguments did not hold themselves,
//   - every jvm.config reaches the JVM intact through druid.sh's `cat jvm.config | xargs` under the
//     real busybox (all files of a case in one busybox call),
//   - every name-like value the objects carry passes its Kubernetes rule: storage classes, Secret,
//     ConfigMap and claim names (DNS-1123 subdomains), Secret/ConfigMap keys (IsConfigMapKey),
//     container names (DNS-1123 labels) and images (the image-reference grammar),
//   - every container argument stays under Linux's MAX_ARG_STRLEN (131,072 bytes) and every
//     ConfigMap under the API server's 1 MiB,
//   - the Kubernetes objects `render` writes (cli/render.ts kubernetesObjects) pass their upstream
//     schemas as written (masks and placeholders included, no stand-ins),
//   - an Output given where the schema takes one is never refused as an Output (Pulumi's
//     "Calling [toJSON]" text), and a value checked when it resolves fails with the component's error.
// Used by tests/property-based.test.ts (a fixed seed in CI) and scripts/fuzz.ts (long runs).

/** What happened to one argument set. */
export interface Outcome {
    kind: "rejected" | "accepted" | "known" | "violation";
    /** The error message (rejected), the violation, or the known failure's id. */
    detail: string;
}

/**
 * Domain-rule failures the generic type model does not cover and the domain rules of the same
 * issue ("Every input is rejected clearly or rendered valid: property-based testing over the
 * whole argument space", the Kubernetes names/labels/ports/Druid values part) will reject: while
 * they are open, an accepted case failing only for one of these counts as "known", not as a
 * failure. Each entry is one distinct counterexample class found by `npm run fuzz`.
 */
export const knownDomainFailures: { id: string; pattern: RegExp; example: string }[] = [
    // Empty: the two classes the fuzzing found (toleration operator/effect values, the
    // druid.worker.capacity override) are refused by the domain rules (validate-kubernetes.ts,
    // validate-druid.ts). A new class found by `npm run fuzz` goes here only until its rule exists.
];

/** A long-running java.util.Properties reader (tests/java/PropertiesServer.java): one JVM for many files. */
export class JavaProperties {
    private readonly child: ChildProcessWithoutNullStreams;
    private readonly waiting: ((line: string) => void)[] = [];

    static available(): boolean {
        try {
            execFileSync("java", ["-version"], { stdio: "ignore" });
            return true;
        } catch {
            return false;
        }
    }

    constructor() {
        this.child = spawn("java", [path.join(__dirname, "..", "java", "PropertiesServer.java")], { stdio: ["pipe", "pipe", "pipe"] });
        readline.createInterface({ input: this.child.stdout }).on("line", (line) => this.waiting.shift()?.(line));
    }

    /** Keys and values as java.util.Properties reads `text`, sorted by key. */
    read(text: string): Promise<[string, string][]> {
        return new Promise((resolve) => {
            this.waiting.push((line) => {
                const pairs = JSON.parse(line) as [number[], number[]][];
                resolve(pairs.map(([k, v]) => [String.fromCharCode(...k), String.fromCharCode(...v)]));
            });
            this.child.stdin.write(`${Buffer.from(text, "utf8").toString("base64")}\n`);
        });
    }

    close(): void {
        this.child.stdin.end();
    }
}

/** Splits an argument path (`data.historicalTiers[1].properties["a.b"]`) into steps. */
function steps(argument: string): string[] | undefined {
    const out: string[] = [];
    const re = /^(?:\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
    let rest = argument;
    while (rest.length > 0) {
        const m = re.exec(rest);
        if (!m || (out.length === 0 && m[1] === undefined)) return undefined;
        out.push(m[1] !== undefined ? m[1] : m[2] !== undefined ? "[]" : "{}");
        rest = rest.slice(m[0].length);
    }
    return out;
}

/** True when `argument` names a real argument of schema.json (list indexes and map keys allowed). */
export function argumentExists(argument: string, schema: ArgsSchema = argsSchema()): boolean {
    if (argument === "name (the resource name)" || argument === "args") return true;
    const parts = steps(argument);
    if (parts === undefined) return false;
    type Prop = ArgsSchema["inputProperties"][string];
    let props: Record<string, Prop> | undefined = schema.inputProperties;
    let current: Prop | undefined;
    for (const part of parts) {
        if (part === "[]" || part === "{}") {
            const inner: Prop | undefined = part === "[]" ? (current?.type === "array" ? current.items : undefined) : (current?.type === "object" ? current.additionalProperties : undefined);
            if (inner === undefined) return false;
            current = inner;
        } else {
            current = props?.[part];
            if (current === undefined) return false;
        }
        props = current.$ref !== undefined ? schema.types[current.$ref.replace(/^#\/types\//, "")]?.properties : undefined;
    }
    return true;
}

const jvmBytes = (flag: string): number => {
    const m = /^(\d+)([kKmMgGtT]?)$/.exec(flag);
    if (!m) return NaN;
    return Number(m[1]) * 1024 ** ({ "": 0, k: 1, m: 2, g: 3, t: 4 } as Record<string, number>)[m[2].toLowerCase()];
};

/** -Xmx plus -XX:MaxDirectMemorySize of a list of JVM flags (the last of each wins, as in the JVM). */
function jvmMemory(flags: string[]): { heap: number; direct: number } {
    let heap = NaN;
    let direct = 0;
    for (const f of flags) {
        if (f.startsWith("-Xmx")) heap = jvmBytes(f.slice(4));
        if (f.startsWith("-XX:MaxDirectMemorySize=")) direct = jvmBytes(f.slice("-XX:MaxDirectMemorySize=".length));
    }
    return { heap, direct };
}

function quantityBytes(q: string): number {
    const m = /^([0-9.]+)(?:e([0-9]+))?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(q);
    if (!m) return NaN;
    const f: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
    return Number(m[1]) * 10 ** Number(m[2] ?? 0) * f[m[3] ?? ""];
}

type Obj = Record<string, unknown>;

/** Every pod spec in an object (Deployments, StatefulSets, Jobs, CronJobs, PodTemplates): any object with a `containers` list. */
function podSpecs(value: unknown, at: string, out: { at: string; spec: Obj }[] = []): { at: string; spec: Obj }[] {
    if (Array.isArray(value)) value.forEach((v, i) => podSpecs(v, `${at}[${i}]`, out));
    else if (value !== null && typeof value === "object") {
        const o = value as Obj;
        if (Array.isArray(o.containers)) out.push({ at, spec: o });
        for (const [k, v] of Object.entries(o)) podSpecs(v, `${at}.${k}`, out);
    }
    return out;
}

/** The JVMs of every workload against its container's memory limit. */
function jvmFitViolations(plan: Plan): string[] {
    const out: string[] = [];
    const configMaps = new Map(plan.ofType("kubernetes:core/v1:ConfigMap").map((c) => [(c.inputs.metadata as Obj).name as string, (c.inputs.data ?? {}) as Record<string, string>]));
    for (const r of [...plan.ofType("kubernetes:apps/v1:Deployment"), ...plan.ofType("kubernetes:apps/v1:StatefulSet")]) {
        const spec = ((r.inputs.spec as Obj).template as Obj).spec as Obj;
        const volumes = (spec.volumes ?? []) as Obj[];
        const files = volumes.map((v) => (v.configMap as Obj | undefined)?.name as string | undefined).map((n) => (n === undefined ? undefined : configMaps.get(n))).find((d) => d?.["jvm.config"] !== undefined);
        if (files === undefined) continue;
        const container = (spec.containers as Obj[])[0];
        const limit = quantityBytes(String(((container.resources as Obj).limits as Obj).memory));
        const jvm = jvmMemory(files["jvm.config"].split("\n").map((l) => l.trim()).filter(Boolean));
        let used = jvm.heap + jvm.direct;
        const props = parseProperties(files["runtime.properties"] ?? "");
        if (props["druid.indexer.runner.javaOptsArray"] !== undefined && props["druid.worker.capacity"] !== undefined) {
            const peon = jvmMemory(JSON.parse(props["druid.indexer.runner.javaOptsArray"]) as string[]);
            used += Number(props["druid.worker.capacity"]) * (peon.heap + peon.direct);
        }
        if (!(used <= limit)) out.push(`${r.name}: JVM heap + direct memory (${used} bytes, Peons included) exceed the container's ${limit} bytes`);
    }
    return out;
}

/** Tokens that only a rendering bug puts into an input (unless the arguments hold them). */
const badTokens = ["undefined", "NaN", "Infinity", "[object Object]"];

/** The arguments as text, Outputs and Promises as a marker (JSON.stringify of an Output is Pulumi's warning text). */
function argsText(args: unknown): string {
    return JSON.stringify(args, (_k, v: unknown) => (pulumi.Output.isInstance(v) ? "<output>" : v instanceof Promise ? "<promise>" : v)) ?? "";
}

const maxArgStrlen = 131072;
const configMapMaxBytes = 1024 * 1024;
const placeholder = (v: unknown) => v === UNKNOWN || v === SECRET_MASK;

/** Name-like values of every Kubernetes object, by their rules; argument and ConfigMap sizes by the kernel's and API server's limits. */
function objectRuleViolations(plan: Plan): string[] {
    const out: string[] = [];
    const bad = (r: string, at: string, v: unknown, rule: string) => out.push(`${r} ${at}: ${JSON.stringify(v)?.slice(0, 80)} breaks ${rule}`);
    for (const r of plan.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
        const id = `${r.type} ${r.name}`;
        const walk = (v: unknown, at: string, key: string, parent: Record<string, unknown> | undefined) => {
            if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${at}[${i}]`, key, parent)); return; }
            if (v !== null && typeof v === "object") {
                const o = v as Record<string, unknown>;
                for (const [k, x] of Object.entries(o)) walk(x, `${at}.${k}`, k, o);
                return;
            }
            if (typeof v !== "string" || placeholder(v)) return;
            if (key === "storageClassName" && !isDns1123Subdomain(v)) bad(id, at, v, "the StorageClass name rule (DNS-1123 subdomain)");
            if ((key === "secretName" || key === "claimName") && !isDns1123Subdomain(v)) bad(id, at, v, "the object name rule (DNS-1123 subdomain)");
            if (key === "name" && /\.(configMap|secretKeyRef|configMapKeyRef|configMapRef|secretRef)\.name$/.test(at) && !isDns1123Subdomain(v)) bad(id, at, v, "the object name rule (DNS-1123 subdomain)");
            if (key === "key" && /\.(items\[\d+\]|secretKeyRef|configMapKeyRef)\.key$/.test(at) && !isConfigMapKey(v)) bad(id, at, v, "the Secret/ConfigMap key rule");
            if (key === "image" && parent !== undefined && typeof parent.name === "string" && parseImageReference(v) === undefined) bad(id, at, v, "the image-reference grammar");
            if (key === "name" && /\.(containers|initContainers)\[\d+\]\.name$/.test(at) && !isDns1123Label(v)) bad(id, at, v, "the container name rule (DNS-1123 label)");
            if (/\.(containers|initContainers)\[\d+\]\.(command|args)\[\d+\]$/.test(at) && Buffer.byteLength(v) >= maxArgStrlen) bad(id, at, `${Buffer.byteLength(v)} bytes`, "Linux's MAX_ARG_STRLEN (131072 bytes per argument)");
        };
        walk(r.inputs, "inputs", "", undefined);
        if (r.type === "kubernetes:core/v1:ConfigMap" || r.type === "kubernetes:core/v1:Secret") {
            const name = (r.inputs.metadata as Record<string, unknown> | undefined)?.name;
            if (typeof name === "string" && !placeholder(name) && !isDns1123Subdomain(name)) bad(id, "metadata.name", name, "the object name rule (DNS-1123 subdomain)");
            let size = 0;
            for (const field of ["data", "stringData", "binaryData"]) {
                const map = r.inputs[field];
                if (map === null || typeof map !== "object") continue;
                for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
                    if (!isConfigMapKey(k)) bad(id, `${field} key`, k, "the Secret/ConfigMap key rule");
                    size += k.length + (typeof v === "string" ? Buffer.byteLength(v) : 0);
                }
            }
            if (r.type === "kubernetes:core/v1:ConfigMap" && size > configMapMaxBytes) bad(id, "data", `${size} bytes`, "the API server's 1 MiB ConfigMap limit");
        }
    }
    return out;
}

/** Every jvm.config of the plan through druid.sh's `cat | xargs` under busybox, in one call: the JVM must get exactly the flags. */
function jvmConfigViolations(plan: Plan): string[] {
    if (!busyboxAvailable()) return [];
    const configs = plan.ofType("kubernetes:core/v1:ConfigMap")
        .map((c): [string, unknown] => [c.name, ((c.inputs.data ?? {}) as Record<string, unknown>)["jvm.config"]])
        .filter((e): e is [string, string] => typeof e[1] === "string" && !placeholder(e[1]));
    const words = druidShJvmArguments(configs.map(([, t]) => t));
    return configs.flatMap(([name, text], i) => {
        const flags = jvmConfigFlags(text);
        return JSON.stringify(words[i]) === JSON.stringify(flags) ? [] : [`${name} jvm.config: druid.sh's cat | xargs (busybox) gives the JVM ${JSON.stringify(words[i]).slice(0, 200)}, not ${JSON.stringify(flags).slice(0, 200)}`];
    });
}

/** Whether the arguments hold an unknown Output (what a preview has for a value another resource computes). */
async function holdsUnknown(v: unknown): Promise<boolean> {
    if (pulumi.Output.isInstance(v)) return !(await (v as unknown as { isKnown: Promise<boolean> }).isKnown);
    if (Array.isArray(v)) {
        for (const x of v) if (await holdsUnknown(x)) return true;
        return false;
    }
    if (v !== null && typeof v === "object" && !(v instanceof Promise)) {
        for (const x of Object.values(v)) if (await holdsUnknown(x)) return true;
    }
    return false;
}

/** Checks one argument set; never throws (a crash is a violation). */
export async function checkCase(name: string, args: DruidClusterArgs, java?: JavaProperties): Promise<Outcome> {
    let plan: Plan;
    let preview = false;
    // A value checked when its Output resolves fails the registration that uses it: under the mocks
    // the SDK raises that as an unhandled rejection (runtime/resource.js).
    const late: unknown[] = [];
    const record = (e: unknown) => { late.push(e); };
    process.on("unhandledRejection", record);
    takeSecretKeys();
    try {
        // Unknown values exist only in a preview: such a case is planned as one (a `pulumi up` knows every value).
        preview = await holdsUnknown(args);
        plan = (await planProgram(() => new DruidCluster(name, args), { preview, config: { "aws:region": "eu-west-1" } })).plan;
        await new Promise((resolve) => setImmediate(resolve));
    } catch (e) {
        if (e instanceof DruidArgumentError && /Calling \[toJSON\]|\[object Promise\]/.test(e.message)) {
            return { kind: "violation", detail: `an Output or Promise where the schema takes one was refused as such: ${e.message}` };
        }
        if (e instanceof DruidArgumentError) {
            // An unknown key is named by its own path: its parent must exist.
            const parent = e.argument.includes(".") ? e.argument.slice(0, e.argument.lastIndexOf(".")) : "args";
            return argumentExists(e.argument) || (e.message.includes("is not an argument of") && argumentExists(parent))
                ? { kind: "rejected", detail: e.message }
                : { kind: "violation", detail: `DruidArgumentError names "${e.argument}", which is not an argument path of schema.json: ${e.message}` };
        }
        if (e instanceof DruidSizingError) return { kind: "rejected", detail: e.message };
        return { kind: "violation", detail: `crash instead of a DruidArgumentError: ${(e as Error)?.stack ?? String(e)}` };
    } finally {
        process.off("unhandledRejection", record);
    }
    if (late.length > 0) {
        const e = late[0];
        if (e instanceof DruidArgumentError && !/Calling \[toJSON\]|\[object Promise\]/.test(e.message) && argumentExists(e.argument)) return { kind: "rejected", detail: `when it resolved: ${e.message}` };
        return { kind: "violation", detail: `a value that resolved later failed without the component's error naming its argument: ${(e as Error)?.stack ?? String(e)}` };
    }
    const violations: string[] = [];
    // In a preview a Secret whose values are unknown is one mask in the plan (the Kubernetes SDK
    // makes the whole map one secret): there, the objects render writes (keys back, below) are checked.
    if (!preview) {
        try {
            checkPlan(plan);
        } catch (e) {
            violations.push(`Kubernetes schema: ${(e as Error).message.split("\n")[0]}`);
        }
    }
    violations.push(...jvmFitViolations(plan));
    violations.push(...objectRuleViolations(plan));
    violations.push(...jvmConfigViolations(plan));
    try {
        checkWrittenObjects(kubernetesObjectValues(plan, takeSecretKeys()));
    } catch (e) {
        violations.push(`render, as written: ${(e as Error).message.split("\n")[0]}`);
    }
    const text0 = argsText(args);
    for (const r of plan.resources) {
        const text = JSON.stringify(r.inputs);
        for (const token of badTokens) {
            if (text.includes(token) && !text0.includes(token)) violations.push(`${r.type} ${r.name}: an input holds the text ${JSON.stringify(token)}`);
        }
        if (r.type.startsWith("kubernetes:")) {
            for (const { at, spec } of podSpecs(r.inputs, "inputs")) {
                const found = checkRestricted(spec);
                if (found.length > 0) violations.push(`${r.type} ${r.name} ${at}: Pod Security restricted: ${found.map((v) => `${v.rule} at ${v.path}`).join(", ")}`);
            }
        }
        if (java !== undefined && r.type === "kubernetes:core/v1:ConfigMap") {
            for (const [file, text] of Object.entries((r.inputs.data ?? {}) as Record<string, string>)) {
                if (!file.endsWith(".properties") || typeof text !== "string") continue;
                const expected = Object.entries(parseProperties(text)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
                const read = await java.read(text);
                if (JSON.stringify(read) !== JSON.stringify(expected)) {
                    violations.push(`${r.name} ${file}: java.util.Properties reads ${JSON.stringify(read).slice(0, 300)}, the component meant ${JSON.stringify(expected).slice(0, 300)}`);
                }
            }
        }
    }
    if (violations.length === 0) return { kind: "accepted", detail: "" };
    const unknown = violations.filter((v) => !knownDomainFailures.some((k) => k.pattern.test(v)));
    if (unknown.length === 0) {
        return { kind: "known", detail: [...new Set(violations.map((v) => knownDomainFailures.find((k) => k.pattern.test(v))!.id))].join(", ") };
    }
    return { kind: "violation", detail: unknown.join("\n") };
}
