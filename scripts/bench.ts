// `npm run bench`: cost of the component itself under the SDK's mock runtime in preview mode.
// Each measurement runs in a fresh Node process (so module caches and the heap start cold) and
// the script prints medians over several runs. Figures are for reading, never asserted.
import { execFileSync } from "child_process";
import * as path from "path";

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

const runs = Number(process.env.BENCH_RUNS ?? 5);

/** The quickstart's arguments (as tests/fixtures/args.ts), inlined so the child loads only compiled code. */
function benchArgs(): import("../index").DruidClusterArgs {
    return {
        deepStorage: { oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" },
        metadataStore: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0nodes"] },
    };
}

async function child(tiers: number): Promise<void> {
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
        args.data = { historicalTiers: Array.from({ length: tiers }, (_, i) => ({ name: `tier${i}`, volumeSize: "100Gi", resources: { cpu: "2", memory: "8Gi" } })) };
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
    const sample: Sample = {
        startupMs, loadMs, constructMs, constructCpuMs: (cpu.user + cpu.system) / 1000,
        peakRssMiB: process.resourceUsage().maxRSS / 1024, resources: plan.resources.length, depth, depthToFirstPod,
    };
    process.stdout.write(JSON.stringify(sample) + "\n");
    process.exit(0);
}

function sample(tiers: number): Sample {
    const out = execFileSync(process.execPath, [path.join(__dirname, "..", "dist-bench", "scripts", "bench.js"), "--child", String(tiers)],
        { cwd: path.join(__dirname, ".."), encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop()!) as Sample;
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

function main(): void {
    // Measure compiled JavaScript, as a user's program runs it.
    execFileSync("npx", ["tsc", "-p", "tsconfig.bench.json"], { cwd: path.join(__dirname, ".."), stdio: "inherit" });
    console.log(`pulumi-druid bench: ${runs} runs per case, each in a fresh process, preview mode under mocks; medians.`);
    const rows: Record<string, string | number>[] = [];
    const byTiers = new Map<number, number>();
    for (const tiers of [0, 1, 10, 50]) {
        const samples = Array.from({ length: runs }, () => sample(tiers));
        rows.push(summarize(tiers === 0 ? "default cluster" : `${tiers} historical tier(s)`, samples));
        byTiers.set(tiers, median(samples.map((s) => s.constructMs)));
    }
    console.table(rows);
    const one = byTiers.get(1)!;
    const perTier10 = (byTiers.get(10)! - one) / 9;
    const perTier50 = (byTiers.get(50)! - one) / 49;
    console.log(`time per added Historical tier: ${perTier10.toFixed(1)} ms (1 -> 10 tiers), ${perTier50.toFixed(1)} ms (1 -> 50 tiers); ` +
        `ratio ${(perTier50 / perTier10).toFixed(2)} (1.00 = linear)`);
}

if (process.argv[2] === "--child") {
    void child(Number(process.argv[3]));
} else {
    main();
}
