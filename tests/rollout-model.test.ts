import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { DruidCluster, DruidClusterArgs } from "../index";
import { Plan, PlannedResource, planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";
import {
    duration, historicalRestartSeconds, loadRulesOf, minServingReplicas, rolloutCosts, rolloutInputsOf, RolloutInputs, simulateRollout, singleTierLayout,
    rolloutFigures, rolloutFiguresMarkdown, workerLayout, workerRestartSeconds, zoneLayout,
} from "./support/rollout-model";

// The rollout model (tests/support/rollout-model.ts): its properties on layouts built by hand, and
// the model run on plans the component renders (rolloutInputsOf). Times are the model's arithmetic
// over cited costs, never a measurement: the tests assert relations (how the time scales, what a
// strategy bounds), not figures of a machine.

async function planOf(args: DruidClusterArgs): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } })).plan;
}

const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
/** Equal up to floating-point rounding of sums of fractional seconds. */
const near = (actual: number, expected: number, what = "") => assert.ok(Math.abs(actual - expected) < 1e-6 * Math.max(1, expected), `${what} ${actual} ≠ ${expected}`);
const wait = rolloutCosts.waveWaitSeconds.value;

describe("rollout model: cited costs", () => {
    it("every cost names its source, and the cited ones are apache/druid#18687's figures", () => {
        for (const [name, c] of Object.entries(rolloutCosts)) assert.ok(c.source.length > 20, name);
        assert.equal(rolloutCosts.segmentsPerHistorical.value, 85000);
        assert.equal(rolloutCosts.eagerMsPerSegment.value, 15.3);
        assert.equal(rolloutCosts.lazyMsPerSegment.value, 3.23);
        assert.match(rolloutCosts.eagerMsPerSegment.source, /apache\/druid#18687/);
        // The source's own totals: over 20 minutes eager, about 4 (4.6) lazy.
        assert.ok(85000 * 15.3 / 1000 / 60 > 20);
        assert.ok(Math.abs(85000 * 3.23 / 1000 / 60 - 4.6) < 0.1);
    });

    it("a Historical's restart is stop + start + segments × per-segment cost; lazy is cheaper by the cited ratio of the load", () => {
        const g = { stopSeconds: 60, lazyLoadOnStart: false };
        assert.equal(historicalRestartSeconds(g, { podStartSeconds: 30 }), 60 + 30 + 1300.5);
        assert.equal(historicalRestartSeconds({ ...g, lazyLoadOnStart: true }, { podStartSeconds: 30 }), 60 + 30 + 274.55);
        assert.equal(historicalRestartSeconds(g, { podStartSeconds: 30, segmentsPerHistorical: 1000 }), 60 + 30 + 15.3);
    });

    it("a MiddleManager's restart: the drain bound (900 s) + task stop (330 s) + start, or an idle worker's first poll", () => {
        assert.equal(workerRestartSeconds({ drainSeconds: 900 }, { podStartSeconds: 30 }), 900 + 330 + 30);
        assert.equal(workerRestartSeconds({ drainSeconds: 900 }, { podStartSeconds: 30, drain: "idle" }), 5 + 30);
    });
});

describe("rollout model: strategies", () => {
    it("zone waves over 3 zones take at most 3 Historical restarts + the waits between waves, whatever the Historical count (issue #25, Done when)", () => {
        for (const count of [3, 10, 30, 100, 300]) {
            for (const lazy of [false, true]) {
                const r = simulateRollout(zoneLayout(count, zones, { lazy }));
                const restart = historicalRestartSeconds({ stopSeconds: rolloutCosts.historicalStopSeconds.value, lazyLoadOnStart: lazy });
                assert.ok(r.historicalSeconds <= 3 * restart + 2 * wait, `${count} Historicals: ${r.historicalSeconds} s`);
                near(r.historicalSeconds, 3 * restart + 2 * wait);
                assert.equal(r.minServing, 2, "one replica per zone: the two other zones serve every segment while one restarts");
            }
        }
    });

    it("one at a time scales with the count: N Historicals take N restarts (100 take ten times what 10 take)", () => {
        const restart = historicalRestartSeconds({ stopSeconds: rolloutCosts.historicalStopSeconds.value, lazyLoadOnStart: false });
        const times = [10, 30, 100].map((n) => simulateRollout(singleTierLayout(n, 2)).historicalSeconds);
        [10, 30, 100].forEach((n, i) => near(times[i], n * restart, `${n}`));
        near(times[2], 10 * times[0]);
        // The day and a half for 100+ Historicals.
        assert.ok(times[2] / 3600 > 36);
        // Lazy loading shortens each restart, not their number.
        near(simulateRollout(singleTierLayout(100, 2), { lazy: true }).historicalSeconds,
            100 * historicalRestartSeconds({ stopSeconds: rolloutCosts.historicalStopSeconds.value, lazyLoadOnStart: true }));
    });

    it("safe layouts keep every segment served: one tier with 2 replicas rolled one at a time never goes below 1", () => {
        for (const count of [2, 10, 100]) {
            const r = simulateRollout(singleTierLayout(count, 2));
            assert.equal(r.minServing, 1, `${count}`);
            assert.equal(r.steps.length, 1 + 2 * count, "before, then each pod's stop and return");
        }
    });

    it("the check bites: tieredReplicants 1 one at a time leaves segments unserved at the first pod's stop", () => {
        const r = simulateRollout(singleTierLayout(10, 1));
        assert.equal(r.minServing, 0);
        assert.equal(r.minStep.what, "historical-default-9 stopping");
        assert.equal(r.minStep.atSeconds, 0);
    });

    it("the check bites: zone waves with a rule putting both replicas in one zone leave them unserved during that zone's wave", () => {
        const r = simulateRollout(zoneLayout(30, zones, { rule: { "hot-eu-west-1a": 2 } }));
        assert.equal(r.minServing, 0);
        assert.match(r.minStep.what, /^historical-hot-eu-west-1a-0, historical-hot-eu-west-1a-1 and 8 more stopping$/);
        // The same Historicals with one replica per zone: never below 2.
        assert.equal(simulateRollout(zoneLayout(30, zones)).minServing, 2);
    });

    it("the check bites on two tiers rolled at the same time: a rule with one replica on each can lose both", () => {
        const layout: RolloutInputs = {
            historicals: [
                { key: "historical-hot", druidTier: "hot", replicas: 3, strategy: "oneAtATime", lazyLoadOnStart: false, stopSeconds: 60 },
                { key: "historical-cold", druidTier: "cold", replicas: 3, strategy: "oneAtATime", lazyLoadOnStart: false, stopSeconds: 60 },
            ],
            workers: [],
            rules: [{ dataSource: "_default", tieredReplicants: { hot: 1, cold: 1 } }],
        };
        const r = simulateRollout(layout);
        assert.equal(r.minServing, 0);
        assert.equal(r.minStep.what, "historical-hot-2, historical-cold-2 stopping");
        // With 2 replicas on the hot tier, the cold tier's restart no longer matters.
        layout.rules = [{ dataSource: "_default", tieredReplicants: { hot: 2, cold: 1 } }];
        assert.equal(simulateRollout(layout).minServing, 1);
    });

    it("worst-case placement: replicas beyond a tier's pods are not counted, pods down beyond the replicas do not go negative", () => {
        const pods = new Map([["a", 2], ["b", 5]]);
        assert.equal(minServingReplicas([{ dataSource: "x", tieredReplicants: { a: 3, b: 2 } }], pods, new Map()), 4);
        assert.equal(minServingReplicas([{ dataSource: "x", tieredReplicants: { a: 3, b: 2 } }], pods, new Map([["b", 5]])), 2);
        assert.equal(minServingReplicas([{ dataSource: "x", tieredReplicants: { missing: 2 } }], pods, new Map()), 0);
    });

    it("MiddleManagers: one at a time takes N drains, zone waves one per zone; the workers taking tasks never drop to 0", () => {
        const one = simulateRollout({ historicals: [], workers: workerLayout(10), rules: [] });
        const waves = simulateRollout({ historicals: [], workers: workerLayout(10, zones), rules: [] });
        const restart = workerRestartSeconds({ drainSeconds: 900 });
        near(one.workerSeconds, 10 * restart);
        near(waves.workerSeconds, 3 * restart);
        assert.equal(one.minWorkersAccepting, 9);
        assert.equal(waves.minWorkersAccepting, 6, "the largest zone (4 of 10) drains at once");
        assert.ok(simulateRollout({ historicals: [], workers: workerLayout(10), rules: [] }, { drain: "idle" }).workerSeconds < one.workerSeconds / 30);
    });

    it("workers roll after the Historicals (rolling-update order)", () => {
        const layout = { ...singleTierLayout(2, 2), workers: workerLayout(2) };
        const r = simulateRollout(layout);
        assert.equal(r.totalSeconds, r.historicalSeconds + r.workerSeconds);
        const firstWorkerStop = r.steps.find((s) => s.what.startsWith("middlemanager-"))!;
        assert.equal(firstWorkerStop.atSeconds, r.historicalSeconds);
    });
});

describe("rollout model on rendered plans (rolloutInputsOf)", function () {
    this.timeout(120000);

    it("the default cluster: one Historical tier of 2 rolled one at a time under Druid's default rule (2 replicas): never below 1 serving replica", async () => {
        const inputs = rolloutInputsOf(await planOf(defaultArgs()));
        assert.deepEqual(inputs.historicals, [{
            key: "druid-historical-default", druidTier: "_default_tier", zone: undefined, replicas: 2, strategy: "oneAtATime", lazyLoadOnStart: false, stopSeconds: 60,
        }]);
        assert.deepEqual(inputs.workers, [{ key: "druid-middlemanager", kind: "middleManager", zone: undefined, replicas: 2, strategy: "oneAtATime", drainSeconds: 900 }]);
        assert.deepEqual(inputs.rules, [{ dataSource: "_default", tieredReplicants: { _default_tier: 2 } }]);
        const r = simulateRollout(inputs);
        assert.equal(r.minServing, 1);
        near(r.historicalSeconds, 2 * historicalRestartSeconds(inputs.historicals[0]));
    });

    it("hot/cold tiers with the rules the data-management Job posts, a lazy tier read from its runtime.properties", async () => {
        const plan = await planOf({
            ...defaultArgs(),
            data: { historicalTiers: [{ name: "hot", volumeSize: "200Gi", replicas: 2, lazyLoadOnStart: true }, { name: "default", volumeSize: "1Ti", replicas: 3 }] },
            dataManagement: {
                defaultRules: [{ type: "loadByPeriod", period: "P7D", tieredReplicants: { hot: 2, _default_tier: 1 } }, { type: "loadForever", tieredReplicants: { _default_tier: 2 } }],
                rules: { "click's": [{ type: "loadForever", tieredReplicants: { _default_tier: 3 } }] },
            },
        });
        const inputs = rolloutInputsOf(plan);
        assert.deepEqual(inputs.historicals.map((h) => [h.druidTier, h.replicas, h.lazyLoadOnStart]), [["hot", 2, true], ["_default_tier", 3, false]]);
        assert.deepEqual(loadRulesOf(plan), [
            { dataSource: "_default", tieredReplicants: { hot: 2, _default_tier: 1 } },
            { dataSource: "_default", tieredReplicants: { _default_tier: 2 } },
            { dataSource: "click's", tieredReplicants: { _default_tier: 3 } },
        ]);
        const r = simulateRollout(inputs);
        assert.equal(r.minServing, 1);
        // The tiers roll one after the other (hot's 2 lazy restarts, then the default tier's 3 eager ones).
        near(r.historicalSeconds, 2 * historicalRestartSeconds(inputs.historicals[0]) + 3 * historicalRestartSeconds(inputs.historicals[1]));
    });

    it("what the user gets: two tiers roll one after the other, so a rule with one replica on each keeps a segment served", async () => {
        const plan = await planOf({
            ...defaultArgs(),
            data: { historicalTiers: [{ name: "hot", volumeSize: "200Gi" }, { name: "cold", volumeSize: "1Ti" }] },
            dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 1, cold: 1 } }] },
        });
        const inputs = rolloutInputsOf(plan);
        assert.deepEqual(inputs.historicals.map((h) => [h.key, h.after]), [["druid-historical-hot", undefined], ["druid-historical-cold", ["druid-historical-hot"]]]);
        const r = simulateRollout(inputs);
        assert.equal(r.minServing, 1);
        near(r.historicalSeconds, 4 * historicalRestartSeconds(inputs.historicals[0]), "two tiers of two, one pod at a time");
        // Without the order between the tiers (what the component rendered before), both tiers lose a pod at once.
        const parallel = simulateRollout({ ...inputs, historicals: inputs.historicals.map((h) => ({ ...h, after: [] })) });
        assert.equal(parallel.minServing, 0);
        assert.equal(parallel.minStep.what, "druid-historical-hot-1, druid-historical-cold-1 stopping");
    });

    it("a zone-aware render (its OnDelete StatefulSets and wave Jobs): zones in wave-Job order, never below 2 serving replicas while the cold tier rolls beside the waves", async () => {
        // Zones listed b, a, c: the wave Jobs run in that order.
        const plan = await planOf({
            ...defaultArgs(),
            data: {
                historicalTiers: [{ name: "hot", volumeSize: "100Gi", replicas: 2, zones: ["eu-west-1b", "eu-west-1a", "eu-west-1c"] }, { name: "cold", volumeSize: "500Gi", replicas: 2 }],
                ingestion: { zones: ["eu-west-1a", "eu-west-1b"], replicas: 1 },
            },
            dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 3, cold: 1 } }] },
        });
        const inputs = rolloutInputsOf(plan);
        assert.deepEqual(inputs.historicals.map((h) => [h.key, h.druidTier, h.zone, h.strategy, h.waveGroup, h.waveIndex]), [
            ["druid-historical-cold", "cold", undefined, "oneAtATime", undefined, undefined],
            ["druid-historical-hot-b", "hot-eu-west-1b", "eu-west-1b", "zoneWaves", "historical-hot", 0],
            ["druid-historical-hot-a", "hot-eu-west-1a", "eu-west-1a", "zoneWaves", "historical-hot", 1],
            ["druid-historical-hot-c", "hot-eu-west-1c", "eu-west-1c", "zoneWaves", "historical-hot", 2],
        ]);
        assert.deepEqual(inputs.workers.map((w) => [w.key, w.strategy, w.waveGroup, w.waveIndex]), [
            ["druid-middlemanager-a", "zoneWaves", "middlemanager", 0], ["druid-middlemanager-b", "zoneWaves", "middlemanager", 1],
        ]);
        const r = simulateRollout(inputs);
        // {hot-<zone>: 1 each, cold: 1}: one zone down at a time while the cold tier (not zone-aware, no
        // wave Job orders it) rolls one pod at a time beside the waves: 2 of 4 replicas at worst.
        assert.equal(r.minServing, 2);
        assert.equal(r.steps[1].what, "druid-historical-cold-1, druid-historical-hot-b-0, druid-historical-hot-b-1 stopping");
    });

    it("a zone StatefulSet with OnDelete and no zone label is refused: nothing would replace its pods", () => {
        const plan = zoneFragment(["eu-west-1a"]);
        const sts = plan.ofType("kubernetes:apps/v1:StatefulSet")[0];
        delete (sts.inputs.metadata as Record<string, Record<string, string>>).labels["druid.apache.org/zone"];
        assert.throws(() => rolloutInputsOf(plan), /updateStrategy OnDelete without a druid\.apache\.org\/zone label/);
    });
});

/** A hand-made zone-aware plan: per zone a StatefulSet (OnDelete, zone label, 4 pods) with its ConfigMap, the applier's rule, and the wave Jobs chained in `order`. */
function zoneFragment(order: string[]): Plan {
    const zonesSorted = [...order].sort();
    const res = (type: string, name: string, inputs: Record<string, unknown>, dependencies: string[] = []): PlannedResource => ({
        urn: `urn:pulumi:test::p::${type}::${name}`, type, name, custom: true, parent: "", provider: "", inputs, dependencies,
        protect: false, retainOnDelete: false, deleteBeforeReplace: false, additionalSecretOutputs: [], ignoreChanges: [], customTimeouts: { create: "", update: "", delete: "" },
    });
    const out: PlannedResource[] = [];
    for (const zone of zonesSorted) {
        const name = `druid-historical-hot-${zone}`;
        out.push(res("kubernetes:apps/v1:StatefulSet", name, {
            metadata: { name, labels: { "druid.apache.org/service": "historical", "app.kubernetes.io/component": `historical-hot-${zone}`, "druid.apache.org/zone": zone } },
            spec: { replicas: 4, updateStrategy: { type: "OnDelete" }, template: { spec: { terminationGracePeriodSeconds: 60, volumes: [{ name: "service-config", configMap: { name } }] } } },
        }));
        out.push(res("kubernetes:core/v1:ConfigMap", name, { metadata: { name }, data: { "runtime.properties": `druid.server.tier=hot-${zone}\ndruid.service=druid/historical\n` } }));
    }
    const rule = JSON.stringify([{ type: "loadForever", tieredReplicants: Object.fromEntries(zonesSorted.map((z) => [`hot-${z}`, 1])) }]);
    out.push(res("kubernetes:core/v1:ConfigMap", "druid-config-applier-script", { metadata: { name: "druid-config-0123456789" }, data: {
        "apply.sh": `#!/bin/sh\napply coordinator 'http://druid-coordinator.druid.svc:8081' '/druid/coordinator/v1/rules/_default' '${rule}'\n`,
    } }));
    let previous: string | undefined;
    for (const zone of order) {
        const job = res("kubernetes:batch/v1:Job", `druid-zone-wave-hot-${zone}`, {
            metadata: { name: `druid-zone-wave-hot-${zone}`, labels: { "druid.apache.org/zone-wave": "historical-hot", "druid.apache.org/zone": zone } },
        }, previous !== undefined ? [previous] : []);
        out.push(job);
        previous = job.urn;
    }
    return new Plan(out);
}

describe("rollout model: the published figures", () => {
    it("docs/zones.md holds the table the model computes (npm run bench prints the same rows)", () => {
        const page = fs.readFileSync(path.join(__dirname, "..", "docs", "zones.md"), "utf8");
        assert.ok(page.includes(rolloutFiguresMarkdown()), "docs/zones.md \"Figures\" is stale: paste `rolloutFiguresMarkdown()` (npm run bench -- --rollout prints the figures)");
    });

    it("the README's Upgrades line quotes the model's 100-Historical figures", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const row = rolloutFigures().find((r) => r.servers === "100 Historicals")!;
        const line = readme.split("\n").find((l) => l.startsWith("Modelled upgrade of 100 Historicals"))!;
        for (const c of row.cells) assert.ok(line.includes(duration(c.seconds)), `${c.strategy}: ${duration(c.seconds)} not in the README line`);
    });
});
