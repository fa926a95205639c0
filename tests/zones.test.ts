import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DruidCluster, DruidClusterArgs } from "../index";
import { Plan, PlannedResource, planProgram } from "../testing";
import { parseProperties } from "../components/core/properties";
import { resolveCluster } from "../components/plan/resolve";
import { generatedNames } from "../components/plan/validate-names";
import { zoneNameSuffix } from "../components/plan/names";
import { startupSeconds, taskStopSeconds } from "../components/plan/rolling-order";
import { queryShutdown } from "../components/plan/layout";
import { zoneLabel, zoneWaveLabels } from "../components/plan/zone-wave-plan";
import { defaultArgs } from "./fixtures/args";
import { simulateCreation, withoutReplicaPatches } from "./support/deploy-model";

// Zone-aware Historical tiers and ingestion workers (components/plan/resolve-zones.ts, docs/zones.md):
// the plan, the objects the render registers, the rules the data-management Job POSTs (run with
// busybox against a local server playing the Coordinator), and the creation model.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const stsType = "kubernetes:apps/v1:StatefulSet";
const pdbType = "kubernetes:policy/v1:PodDisruptionBudget";
const cmType = "kubernetes:core/v1:ConfigMap";
const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

/** A zone-aware hot tier in 3 zones (2 Historicals each), a plain cold tier, zone-aware MiddleManagers in 2 zones; rules on the logical tiers. */
function zoneArgs(): DruidClusterArgs {
    return {
        ...defaultArgs(),
        data: {
            historicalTiers: [
                { name: "hot", volumeSize: "100Gi", zones, priority: 10 },
                { name: "cold", volumeSize: "500Gi", replicas: 3 },
            ],
            ingestion: { zones: ["eu-west-1a", "eu-west-1b"], replicas: 1 },
        },
        dataManagement: {
            defaultRules: [
                { type: "loadByPeriod", period: "P30D", tieredReplicants: { hot: 3, cold: 1 } },
                { type: "loadForever", tieredReplicants: { cold: 2 } },
            ],
            rules: { clicks: [{ type: "loadForever", tieredReplicants: { "hot-eu-west-1a": 2 } }] },
        },
    };
}

async function build(args: DruidClusterArgs, preview = true): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { preview, config: { "aws:region": "eu-west-1" } })).plan;
}

describe("zone-aware tiers: the plan", () => {
    const plan = resolveCluster("druid", zoneArgs());

    it("one service per zone: key, zone, group, zone tier, OnDelete, replicas per zone; the cold tier untouched", () => {
        const rows = plan.services.filter((s) => s.kind === "historical" || s.kind === "middleManager")
            .map((s) => [s.key, s.zone, s.zoneGroup, s.tier?.name, s.tier?.priority, s.updateStrategy, s.replicas]);
        assert.deepEqual(rows, [
            ["historical-hot-a", "eu-west-1a", "historical-hot", "hot-eu-west-1a", 10, "OnDelete", 2],
            ["historical-hot-b", "eu-west-1b", "historical-hot", "hot-eu-west-1b", 10, "OnDelete", 2],
            ["historical-hot-c", "eu-west-1c", "historical-hot", "hot-eu-west-1c", 10, "OnDelete", 2],
            ["historical-cold", undefined, undefined, "cold", 0, undefined, 3],
            ["middlemanager-a", "eu-west-1a", "middlemanager", undefined, undefined, "OnDelete", 1],
            ["middlemanager-b", "eu-west-1b", "middlemanager", undefined, undefined, "OnDelete", 1],
        ]);
    });

    it("plan.zoneWaves: one group per zone-aware group, waves in the user's zone order, timeouts from grace + startup budget", () => {
        // Historical grace: unannounce + graceful + margin (layout.ts queryShutdown); MiddleManager: drain (900) + task stop.
        const historicalGrace = queryShutdown.unannounceSeconds + queryShutdown.gracefulSeconds + queryShutdown.marginSeconds;
        assert.deepEqual(plan.zoneWaves, [
            {
                key: "historical-hot", kind: "historical", logicalTier: "hot",
                waves: zones.map((zone, i) => ({ zone, serviceKey: `historical-hot-${"abc"[i]}`, replicas: 2, druidTier: `hot-${zone}` })),
                waveTimeoutSeconds: historicalGrace + startupSeconds(plan.services.find((s) => s.key === "historical-hot-a")!),
                jobImage: "curlimages/curl:8.16.0",
            },
            {
                key: "middlemanager", kind: "middleManager", logicalTier: undefined,
                waves: [{ zone: "eu-west-1a", serviceKey: "middlemanager-a", replicas: 1, druidTier: undefined }, { zone: "eu-west-1b", serviceKey: "middlemanager-b", replicas: 1, druidTier: undefined }],
                waveTimeoutSeconds: 900 + taskStopSeconds + 300,
                jobImage: "curlimages/curl:8.16.0",
            },
        ]);
        const reversed = resolveCluster("druid", { ...zoneArgs(), data: { ...zoneArgs().data, historicalTiers: [{ name: "hot", volumeSize: "100Gi", zones: [...zones].reverse() }] },
            dataManagement: { defaultRules: [] } });
        assert.deepEqual(reversed.zoneWaves[0].waves.map((w) => w.zone), [...zones].reverse(), "waves follow the order the user lists the zones");
        assert.deepEqual(resolveCluster("druid", defaultArgs()).zoneWaves, [], "no zone-aware group, no waves");
        // The wave Jobs' image: curl by default (it verifies the API server), the user's mirror when given.
        const mirrored = resolveCluster("druid", { ...zoneArgs(), data: { ...zoneArgs().data, zoneWaveImage: "registry.example.com/mirror/curl:8.16.0" } });
        assert.deepEqual(mirrored.zoneWaves.map((g) => g.jobImage), ["registry.example.com/mirror/curl:8.16.0", "registry.example.com/mirror/curl:8.16.0"]);
    });

    it("rules on the logical tier are expanded to its zone tiers (3 over 3 zones = 1 each); a zone tier may be named; tiersWithoutRules knows zone tiers", () => {
        const dm = plan.dataManagement!;
        assert.deepEqual(dm.defaultRules!.map((r) => r.tieredReplicants), [
            { "hot-eu-west-1a": 1, "hot-eu-west-1b": 1, "hot-eu-west-1c": 1, cold: 1 },
            { cold: 2 },
        ]);
        assert.deepEqual(dm.rules, [["clicks", [{ type: "loadForever", tieredReplicants: { "hot-eu-west-1a": 2 }, period: undefined, interval: undefined, includeFuture: undefined }]]]);
        assert.deepEqual(plan.tiersWithoutRules, []);
        // The logical name and the druidTier both name the tier; 0 per zone is allowed.
        const byDruidTier = resolveCluster("druid", {
            ...zoneArgs(),
            data: { historicalTiers: [{ name: "hot", druidTier: "fast", volumeSize: "100Gi", zones: ["eu-west-1a", "eu-west-1b"] }] },
            dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { fast: 4 } }], rules: { w: [{ type: "loadForever", tieredReplicants: { hot: 0 } }] } },
        });
        assert.deepEqual(byDruidTier.dataManagement!.defaultRules![0].tieredReplicants, { "fast-eu-west-1a": 2, "fast-eu-west-1b": 2 });
        assert.deepEqual(byDruidTier.dataManagement!.rules[0][1][0].tieredReplicants, { "fast-eu-west-1a": 0, "fast-eu-west-1b": 0 });
        // A rule loading only one zone leaves the others without rules: the warning lists them.
        const oneZone = resolveCluster("druid", { ...zoneArgs(), dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { "hot-eu-west-1b": 1, cold: 1 } }] } });
        assert.deepEqual(oneZone.tiersWithoutRules, ["hot-eu-west-1a", "hot-eu-west-1c"]);
    });

    it("names: AWS zones give their objects the zone without the region; the longest real zone names fit with a usual cluster and tier name", () => {
        assert.deepEqual(["eu-west-1a", "ap-southeast-1a", "us-gov-west-1a", "us-west-2-lax-1a", "us-east-1-wl1-bos-wlz-1", "zone-1"].map(zoneNameSuffix),
            ["a", "a", "a", "lax-1a", "wl1-bos-wlz-1", "zone-1"]);
        for (const z of [["ap-southeast-1a", "ap-southeast-1b"], ["us-gov-west-1a", "us-gov-west-1b"], ["us-west-2-lax-1a", "us-west-2-lax-1b", "us-west-2a"]]) {
            const p = resolveCluster("druid-analytics", {
                ...defaultArgs(), data: { historicalTiers: [{ name: "realtime", volumeSize: "100Gi", zones: z }], ingestion: { zones: z } }, dataManagement: { defaultRules: [] },
            });
            const sts = generatedNames(p).filter((g) => g.kind === "StatefulSet" && g.zone !== undefined);
            assert.equal(sts.length, 2 * z.length);
            for (const g of sts) assert.ok(g.name.length <= 52, `${g.name}: ${g.name.length} characters`);
            assert.ok(sts.some((g) => g.name === `druid-analytics-historical-realtime-${zoneNameSuffix(z[0])}`));
        }
    });
});

describe("zone-aware tiers: the rendered objects", function () {
    this.timeout(120000);
    let plan: Plan;
    before(async () => {
        plan = await build(zoneArgs());
    });
    const sts = (name: string) => plan.get(stsType, name);
    const podSpec = (r: PlannedResource) => at(r.inputs, "spec", "template", "spec") as Obj;

    it("one StatefulSet per zone, pinned by a required node affinity on topology.kubernetes.io/zone, labelled with its zone, OnDelete", () => {
        const names = plan.ofType(stsType).map((r) => r.name).filter((n) => /historical|middlemanager/.test(n)).sort();
        assert.deepEqual(names, ["druid-historical-cold", "druid-historical-hot-a", "druid-historical-hot-b", "druid-historical-hot-c", "druid-middlemanager-a", "druid-middlemanager-b"]);
        for (const [name, zone] of [["druid-historical-hot-a", "eu-west-1a"], ["druid-historical-hot-c", "eu-west-1c"], ["druid-middlemanager-b", "eu-west-1b"]]) {
            const r = sts(name);
            assert.deepEqual(at(r.inputs, "spec", "updateStrategy"), { type: "OnDelete" }, name);
            assert.equal(at(r.inputs, "metadata", "labels", zoneWaveLabels.zone), zone, name);
            assert.equal(at(r.inputs, "spec", "template", "metadata", "labels", zoneWaveLabels.zone), zone, `${name}: pods carry the zone label`);
            assert.deepEqual(at(podSpec(r), "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"),
                { nodeSelectorTerms: [{ matchExpressions: [{ key: zoneLabel, operator: "In", values: [zone] }] }] }, name);
            // Its own selector: the zone's pods only.
            assert.equal(at(r.inputs, "spec", "selector", "matchLabels", "app.kubernetes.io/component"), name.replace(/^druid-/, ""));
        }
        const cold = sts("druid-historical-cold");
        assert.deepEqual(at(cold.inputs, "spec", "updateStrategy"), { type: "RollingUpdate" });
        assert.equal(at(cold.inputs, "metadata", "labels", zoneWaveLabels.zone), undefined);
        assert.equal(at(podSpec(cold), "affinity", "nodeAffinity"), undefined);
    });

    it("each zone's runtime.properties names its zone tier; each zone announces its own stable host", () => {
        const props = (name: string) => {
            const cm = plan.ofType(cmType).find((c) => at(c.inputs, "metadata", "name") === name)!;
            return parseProperties(String(at(cm.inputs, "data", "runtime.properties")));
        };
        for (const [suffix, zone] of [["a", "eu-west-1a"], ["b", "eu-west-1b"], ["c", "eu-west-1c"]]) {
            const p = props(`druid-historical-hot-${suffix}`);
            assert.equal(p["druid.server.tier"], `hot-${zone}`);
            assert.equal(p["druid.server.priority"], "10");
            const env = ((podSpec(sts(`druid-historical-hot-${suffix}`)).containers as Obj[])[0].env as { name: string; value?: string }[]);
            assert.equal(env.find((e) => e.name === "druid_host")?.value, `$(POD_NAME).druid-historical-hot-${suffix}.druid.svc`);
        }
        assert.equal(props("druid-historical-cold")["druid.server.tier"], "cold");
        // Workers keep one category: no tier, the same worker properties in every zone.
        assert.deepEqual(props("druid-middlemanager-a"), props("druid-middlemanager-b"));
    });

    it("each zone's PodDisruptionBudget lets its whole zone be evicted (maxUnavailable = the zone's pods); a budget the user gives applies to each zone", async () => {
        const pdb = (p: Plan, name: string) => at(p.get(pdbType, name).inputs, "spec") as Obj;
        assert.equal(pdb(plan, "druid-historical-hot-a").maxUnavailable, 2);
        assert.equal(pdb(plan, "druid-middlemanager-b").maxUnavailable, 1);
        assert.equal(pdb(plan, "druid-historical-cold").maxUnavailable, 1, "not zone-aware: one at a time");
        const args = zoneArgs();
        args.data!.historicalTiers![0].disruptionBudget = { maxUnavailable: 1 };
        const limited = await build(args);
        for (const s of ["a", "b", "c"]) assert.equal(pdb(limited, `druid-historical-hot-${s}`).maxUnavailable, 1);
    });

    it("the user's required node terms each get the zone requirement (Kubernetes ORs terms, ANDs a term's requirements)", async () => {
        const args = zoneArgs();
        args.data!.historicalTiers![0].affinity = {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [
                        { matchExpressions: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["r7g.2xlarge"] }] },
                        { matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "In", values: ["druid"] }] },
                    ],
                },
            },
        };
        const p = await build(args);
        const zoneReq = { key: zoneLabel, operator: "In", values: ["eu-west-1b"] };
        assert.deepEqual(at(podSpec(p.get(stsType, "druid-historical-hot-b")), "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"), {
            nodeSelectorTerms: [
                { matchExpressions: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["r7g.2xlarge"] }, zoneReq] },
                { matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "In", values: ["druid"] }, zoneReq] },
            ],
        });
    });

    it("the data-management Job, run with busybox against a server playing the Coordinator, POSTs the rules expanded to the zone tiers", async () => {
        const job = plan.ofType("kubernetes:batch/v1:Job").find((j) => j.name === "druid-config-applier")!;
        const jobName = String(at(job.inputs, "metadata", "name"));
        const script = String(at(plan.ofType(cmType).find((c) => at(c.inputs, "metadata", "name") === jobName)!.inputs, "data", "apply.sh"));
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "busybox-bin-"));
        for (const a of ["sh", "nc", "base64", "tr", "date", "sleep", "printf", "sed", "head", "wc"]) fs.symlinkSync("/bin/busybox", path.join(bin, a));
        const log = path.join(bin, "termination-log");
        const seen: { url: string; body: string }[] = [];
        const server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c: Buffer) => { body += c.toString(); });
            req.on("end", () => { seen.push({ url: req.url ?? "", body }); res.writeHead(200); res.end(); });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        try {
            const local = script
                .split("http://druid-coordinator.druid.svc:8081").join(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
                .replace("msg='/dev/termination-log'", `msg='${log}'`);
            const code = await new Promise<number>((resolve) => execFile(path.join(bin, "sh"), ["-c", local],
                { env: { PATH: bin, DRUID_INTERNAL_CLIENT_PASSWORD: "internal" }, timeout: 30000 }, (err) => resolve(err === null ? 0 : 1)));
            assert.equal(code, 0, fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "");
            const byUrl = Object.fromEntries(seen.map((s) => [s.url, JSON.parse(s.body) as { tieredReplicants?: Record<string, number> }[]]));
            assert.deepEqual(byUrl["/druid/coordinator/v1/rules/_default"].map((r) => r.tieredReplicants), [
                { "hot-eu-west-1a": 1, "hot-eu-west-1b": 1, "hot-eu-west-1c": 1, cold: 1 },
                { cold: 2 },
            ]);
            assert.deepEqual(byUrl["/druid/coordinator/v1/rules/clicks"].map((r) => r.tieredReplicants), [{ "hot-eu-west-1a": 2 }]);
            // Every tier a rule names is one some Historical announces (druid.server.tier of a rendered ConfigMap).
            const announced = new Set(plan.ofType(cmType).map((c) => parseProperties((at(c.inputs, "data", "runtime.properties") as string | undefined) ?? "")["druid.server.tier"]).filter((t) => t !== undefined));
            for (const rules of Object.values(byUrl)) for (const r of rules) for (const t of Object.keys(r.tieredReplicants ?? {})) assert.ok(announced.has(t), `${t} is announced by no Historical`);
        } finally {
            await new Promise<void>((r) => server.close(() => r()));
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });
});

describe("zone-aware tiers: first deploy (model)", function () {
    this.timeout(120000);
    it("creation converges: every zone's StatefulSet starts at 0 and its replica patch scales it once the Coordinator serves", async () => {
        const plan = await build(zoneArgs(), false);
        const result = simulateCreation(plan, true);
        assert.equal(result.converged, true, `stuck: ${result.stuck.join(", ")}`);
        assert.deepEqual(result.waitedOnOthers, []);
        for (const name of ["druid-historical-hot-a", "druid-historical-hot-b", "druid-historical-hot-c", "druid-middlemanager-a", "druid-middlemanager-b"]) {
            assert.equal(at(plan.get(stsType, name).inputs, "spec", "replicas"), 0, name);
            const patch = plan.ofType("kubernetes:apps/v1:StatefulSetPatch").find((p) => at(p.inputs, "metadata", "name") === name);
            assert.ok(patch !== undefined, `no replica patch for ${name}`);
            assert.equal(at(patch.inputs, "spec", "replicas"), name.includes("historical") ? 2 : 1, name);
        }
        // Without the replica patches, the zone StatefulSets would stay at 0 pods: the model sees the Historicals never serve.
        const without = simulateCreation(withoutReplicaPatches(plan), true);
        assert.ok(!without.servingOrder.includes("historical"), without.servingOrder.join(" → "));
    });
});
