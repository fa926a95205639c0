// `npm run bench`: what the package costs, measured in fresh Node processes (module caches and the
// heap start cold), medians over several runs. Figures are for reading, never asserted.
//  1. Construction under the SDK's mock runtime (preview), against the SDK's own cost of
//     registering the same resources (same types, names, parents and inputs) as plain
//     CustomResource/ComponentResource classes: the ratio is what the component adds.
//  2. The plugin: start to first Construct over gRPC (scripts/plugin-start.ts), serving the
//     committed schema.json against inferring it at start (what 0.1.0 did).
//  3. `render` of the quickstart as whole processes: the compiled CLI against the 0.1.0 command
//     (ts-node), and Node + SDK load alone as the floor.
//  4. Upgrades (a model, not a measurement: tests/support/rollout-model.ts): the time to roll 10,
//     30 and 100 Historicals (85,000 segments each) and 10 MiddleManagers one pod at a time, in
//     zone waves, with lazy loading, from cited per-step costs, and the fewest serving replicas of
//     any segment at any step. `npm run bench -- --rollout` prints only this (no build, instant).
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PluginStart } from "./plugin-start";

interface Sample {
    /** Node start-up to first line of this script, ms (process uptime at entry). */
    startupMs: number;
    /** Loading @pulumi/pulumi, @pulumi/aws, @pulumi/kubernetes and the component, ms. */
    loadMs: number;
    /** Constructing the cluster until every registration is answered, wall ms and CPU ms. */
    constructMs: number;
    constructCpuMs: number;
    /** Peak resident set size of the process, MiB. */
    peakRssMiB: number;
    resources: number;
    /** Longest chain of resources created one after another, in the whole plan. */
    depth: number;
    /** ... and before the first Druid pod (a Historical StatefulSet) can be scheduled. */
    depthToFirstPod: number;
}

/**
 * `npm run bench -- --smoke` (part of `npm test`): one run of a default cluster and of 10 tiers, the
 * plugin and the render, so CI proves the benchmark runs and prints its figures; the figures of
 * one run on a shared CI machine are not read, and nothing is asserted on them.
 */
const smoke = process.argv.includes("--smoke");
const runs = smoke ? 1 : Number(process.env.BENCH_RUNS ?? 5);
const tierCases = smoke ? [0, 10] : [0, 1, 10, 50, 200];
const root = path.join(__dirname, "..");
const benchJs = path.join(root, "dist-bench", "scripts", "bench.js");

/** The quickstart's arguments (as tests/fixtures/args.ts), inlined so the child loads only compiled code. */
function benchArgs(): import("../index").DruidClusterArgs {
    return {
        deepStorage: { oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" },
        metadataStore: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0nodes"] },
    };
}

/** What the raw baseline registers: the plan's resources, parents first. */
interface RawResource { urn: string; type: string; name: string; parent: string; custom: boolean; inputs: Record<string, unknown> }

async function child(tiers: number, shapeFile?: string): Promise<void> {
    const startupMs = process.uptime() * 1000;
    const t0 = performance.now();
    /* eslint-disable @typescript-eslint/no-require-imports */
    // Runs from dist-bench/scripts: these are the compiled modules.
    const { DruidCluster } = require("../index") as typeof import("../index");
    const { planProgram } = require("../testing") as typeof import("../testing");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const loadMs = performance.now() - t0;
    const args = benchArgs();
    if (tiers > 0) {
        // Tiers of their own names: none is Druid's "_default_tier", so default rules must load onto
        // them (the component refuses a cluster whose default rule would load nothing).
        const names = Array.from({ length: tiers }, (_, i) => `tier${i}`);
        args.data = { historicalTiers: names.map((name) => ({ name, volumeSize: "100Gi", resources: { cpu: "2", memory: "8Gi" } })) };
        args.dataManagement = { defaultRules: [{ type: "loadForever", tieredReplicants: Object.fromEntries(names.map((n) => [n, 1])) }] };
    }
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const { plan } = await planProgram(() => new DruidCluster("druid", args), { preview: true, config: { "aws:region": "eu-west-1" } });
    const constructMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    const memo = new Map<string, number>();
    const depth = Math.max(...plan.resources.map((r) => plan.depth(r.urn, memo)));
    const firstPods = plan.ofType("kubernetes:apps/v1:StatefulSet").filter((r) => r.name.startsWith("druid-historical-"));
    const depthToFirstPod = Math.min(...firstPods.map((r) => plan.depth(r.urn, memo)));
    if (shapeFile !== undefined) {
        const shape: RawResource[] = plan.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent, custom: r.custom, inputs: r.inputs }));
        fs.writeFileSync(shapeFile, JSON.stringify(shape));
    }
    const sample: Sample = {
        startupMs, loadMs, constructMs, constructCpuMs: (cpu.user + cpu.system) / 1000,
        peakRssMiB: process.resourceUsage().maxRSS / 1024, resources: plan.resources.length, depth, depthToFirstPod,
    };
    process.stdout.write(JSON.stringify(sample) + "\n");
    process.exit(0);
}

/** The SDK alone: the same resources as plain CustomResource/ComponentResource registrations, no outputs flowing between them. */
async function rawChild(shapeFile: string): Promise<void> {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    require("@pulumi/aws");
    require("@pulumi/kubernetes");
    require("@pulumi/random");
    const { planProgram } = require("../testing") as typeof import("../testing");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const shape = JSON.parse(fs.readFileSync(shapeFile, "utf8")) as RawResource[];
    class RawCustom extends pulumi.CustomResource {
        constructor(type: string, name: string, inputs: import("@pulumi/pulumi").Inputs, opts: import("@pulumi/pulumi").CustomResourceOptions) { super(type, name, inputs, opts); }
    }
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    await planProgram(() => {
        const created = new Map<string, import("@pulumi/pulumi").Resource>();
        const pending = [...shape];
        while (pending.length > 0) {
            const next = pending.findIndex((r) => r.parent === "" || created.has(r.parent) || !shape.some((p) => p.urn === r.parent));
            const [r] = pending.splice(next, 1);
            const parent = created.get(r.parent);
            created.set(r.urn, r.custom
                ? new RawCustom(r.type, r.name, r.inputs, { parent })
                : new pulumi.ComponentResource(r.type, r.name, {}, { parent }));
        }
    }, { preview: true, config: { "aws:region": "eu-west-1" } });
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(JSON.stringify({ constructMs: performance.now() - t1, constructCpuMs: (cpu.user + cpu.system) / 1000 }) + "\n");
    process.exit(0);
}

function sample(tiers: number, shapeFile?: string): Sample {
    const out = execFileSync(process.execPath, [benchJs, "--child", String(tiers), ...(shapeFile ? [shapeFile] : [])], { cwd: root, encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop()!) as Sample;
}

function rawSample(shapeFile: string): { constructMs: number; constructCpuMs: number } {
    const out = execFileSync(process.execPath, [benchJs, "--raw", shapeFile], { cwd: root, encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop()!) as { constructMs: number; constructCpuMs: number };
}

/** Wall ms of a whole process, from spawn to exit. */
function wallMs(cmd: string, args: string[]): number {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    return performance.now() - t0;
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function summarize(label: string, samples: Sample[]): Record<string, string | number> {
    const m = (k: keyof Sample) => median(samples.map((s) => s[k]));
    return {
        case: label,
        resources: m("resources"),
        "construct ms (median)": Math.round(m("constructMs")),
        "construct CPU ms": Math.round(m("constructCpuMs")),
        "load ms": Math.round(m("loadMs")),
        "node start-up ms": Math.round(m("startupMs")),
        "peak RSS MiB": Math.round(m("peakRssMiB")),
        "depth (all)": m("depth"),
        "depth to first pod": m("depthToFirstPod"),
    };
}

/** Part 4: the rollout model's figures (pure computation, the same in a smoke run). */
function printRolloutFigures(): void {
    // Loaded here, not at the top: the measured children must not load the SDK before they time it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const model = require("../tests/support/rollout-model") as typeof import("../tests/support/rollout-model");
    const rows = model.rolloutFigures();
    console.log("Upgrades (model: tests/support/rollout-model.ts; cited per-step costs, docs/zones.md \"Figures\"): modelled time of rolling the data servers, " +
        "with the fewest serving replicas of any segment at any step (Historicals) or the fewest workers taking tasks (MiddleManagers).");
    console.table(rows.map((r) => {
        const row: Record<string, string> = { servers: r.servers };
        for (const s of model.figureStrategies) {
            const c = r.cells.find((x) => x.strategy === s);
            row[s] = c === undefined ? "n/a" : `${model.duration(c.seconds)}, min ${c.least}`;
        }
        return row;
    }));
    for (const [name, c] of Object.entries(model.rolloutCosts)) console.log(`  ${name}: ${c.value} ${c.unit} (${c.source})`);
    // Layouts the check must find unsafe (tests/rollout-model.test.ts asserts them).
    const bad: [string, import("../tests/support/rollout-model").RolloutInputs][] = [
        ["30 Historicals one at a time, tieredReplicants 1", model.singleTierLayout(30, 1)],
        ["30 Historicals in zone waves, a rule with both replicas in zone a", model.zoneLayout(30, ["a", "b", "c"], { rule: { "hot-a": 2 } })],
    ];
    for (const [label, layout] of bad) {
        const r = model.simulateRollout(layout);
        console.log(`  the check on an unsafe layout: ${label}: min ${r.minServing} serving replicas, first at ${Math.round(r.minStep.atSeconds)} s (${r.minStep.what})`);
    }
}

function main(): void {
    printRolloutFigures();
    // Measure compiled JavaScript, as a user's program and the plugin run it.
    execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
    execFileSync("npx", ["tsc", "-p", "tsconfig.bench.json"], { cwd: root, stdio: "inherit" });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "druid-bench-"));
    console.log(`pulumi-druid bench${smoke ? " (smoke: one run per case, figures not meaningful)" : ""}: ${runs} runs per case, each in a fresh process, preview mode under mocks; medians.`);

    // 1. Construction, and the SDK's own cost of the same registrations.
    const rows: Record<string, string | number>[] = [];
    for (const tiers of tierCases) {
        const shapeFile = path.join(tmp, `shape-${tiers}.json`);
        sample(tiers, shapeFile); // warm-up; records what the raw baseline registers
        // In turn (component, SDK alone, component, ...), so a drift of the machine's speed hits both.
        const samples: Sample[] = [];
        const raw: { constructMs: number; constructCpuMs: number }[] = [];
        for (let i = 0; i < runs; i++) {
            samples.push(sample(tiers));
            raw.push(rawSample(shapeFile));
        }
        const row = summarize(tiers === 0 ? "default cluster" : `${tiers} historical tier(s)`, samples);
        row["SDK alone CPU ms"] = Math.round(median(raw.map((r) => r.constructCpuMs)));
        row["component / SDK (CPU)"] = Number(median(samples.map((s, i) => s.constructCpuMs / raw[i].constructCpuMs)).toFixed(2));
        row["component / SDK (wall)"] = Number(median(samples.map((s, i) => s.constructMs / raw[i].constructMs)).toFixed(2));
        row["CPU µs per resource"] = Math.round((median(samples.map((s) => s.constructCpuMs)) * 1000) / Number(row.resources));
        rows.push(row);
    }
    console.table(rows);
    console.log("component / SDK: construction against registering the same resources (types, names, parents, inputs) as plain SDK classes, " +
        "pair by pair; a flat ratio and a flat CPU cost per resource as tiers grow mean the component adds a constant factor and grows linearly.");

    // 2. Plugin start to first Construct.
    const plugin = (variant: string) => Array.from({ length: runs }, () =>
        JSON.parse(execFileSync(process.execPath, [path.join(root, "dist-bench", "scripts", "plugin-start.js"), variant], { cwd: root, encoding: "utf8" }).trim()) as PluginStart);
    const committed = plugin("committed");
    const inferred = plugin("inferred");
    const pm = (xs: PluginStart[], k: "listening" | "schema" | "construct") => Math.round(median(xs.map((x) => x[k])));
    console.table([["committed schema.json (now)", committed], ["schema inferred at start (0.1.0)", inferred]].map(([label, xs]) => ({
        plugin: label as string, "listening ms": pm(xs as PluginStart[], "listening"), "GetSchema answered ms": pm(xs as PluginStart[], "schema"),
        "first Construct answered ms": pm(xs as PluginStart[], "construct"), "resources registered": (xs as PluginStart[])[0].registered,
    })));
    console.log(`plugin start to first Construct: ${(pm(inferred, "construct") / pm(committed, "construct")).toFixed(2)}x faster with the committed schema`);

    // 3. render, whole processes, taken in turn (A B C A B C ...).
    const out = (n: string) => path.join(tmp, n);
    const cases: [string, string, string[]][] = [
        ["Node + SDK load only", process.execPath, ["-e", "require('@pulumi/pulumi');require('@pulumi/aws');require('@pulumi/kubernetes');require('@pulumi/random')"]],
        ["render, compiled CLI (npm run render)", process.execPath, [path.join(root, "scripts", "render.js"), "render", "examples/quickstart", "--out", out("a")]],
        ["render, 0.1.0 command (ts-node)", process.execPath, [require.resolve("ts-node/dist/bin.js", { paths: [root] }), "--transpile-only", "cli/main.ts", "render", "examples/quickstart", "--out", out("b")]],
    ];
    const times = cases.map(() => [] as number[]);
    for (let i = 0; i < runs + 1; i++) {
        cases.forEach(([, cmd, args], c) => {
            const ms = wallMs(cmd, args);
            if (i > 0) times[c].push(ms);
        });
    }
    const [load, fast, old] = times.map(median);
    console.table(cases.map(([label], c) => ({ "whole process": label, "wall ms (median)": Math.round(median(times[c])) })));
    console.log(`render: ${Math.round(fast - load)} ms beyond Node + SDK load; ${(old / fast).toFixed(2)}x faster than the 0.1.0 command ` +
        `(pairwise median ${median(times[1].map((t, i) => times[2][i] / t)).toFixed(2)}x)`);
    fs.rmSync(tmp, { recursive: true, force: true });
}

if (process.argv[2] === "--child") {
    void child(Number(process.argv[3]), process.argv[4]);
} else if (process.argv[2] === "--raw") {
    void rawChild(process.argv[3]);
} else if (process.argv.includes("--rollout")) {
    printRolloutFigures();
} else {
    main();
}
