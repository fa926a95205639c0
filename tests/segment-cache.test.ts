import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { DruidArgumentError, DruidCluster, DruidClusterArgs, HistoricalTier } from "../index";
import { Plan, PlannedResource, planProgram } from "../testing";
import { parseProperties } from "../components/core/properties";
import { historicalStartupBudget, citedRestartCosts, segmentCacheProperties } from "../components/plan/resolve-segment-cache";
import { defaultArgs } from "./fixtures/args";

// Faster Historical restarts (issue #25): `lazyLoadOnStart` and `bootstrapThreads` of a tier, as the
// rendered runtime.properties, the startup probe and the rollout timeouts carry them. The Druid facts
// (property names, defaults, what lazy loading does) and their sources are in
// components/plan/resolve-segment-cache.ts.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

async function planOf(args: DruidClusterArgs): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } })).plan;
}

function withTiers(tiers: HistoricalTier[], extra: Partial<DruidClusterArgs> = {}): DruidClusterArgs {
    return {
        ...defaultArgs(), ...extra,
        data: { historicalTiers: tiers, ...(extra.data ?? {}) },
        dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: Object.fromEntries(tiers.map((t) => [t.druidTier ?? (t.name === "default" ? "_default_tier" : t.name), 2])) }] },
    };
}

/** The tier's runtime.properties as the ConfigMap its pods mount holds it. */
function runtimeOf(plan: Plan, key: string): Record<string, string> {
    const map = plan.ofType("kubernetes:core/v1:ConfigMap").find((c) => at(c.inputs, "metadata", "name") === `druid-${key}`);
    assert.ok(map !== undefined, `no ConfigMap druid-${key}`);
    return parseProperties(String(at(map.inputs, "data", "runtime.properties")));
}

const statefulSet = (plan: Plan, key: string): PlannedResource => plan.get("kubernetes:apps/v1:StatefulSet", `druid-${key}`);
const druidContainer = (r: PlannedResource) => (at(r.inputs, "spec", "template", "spec", "containers") as Obj[]).find((c) => c.name === "druid")!;

const documented = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "druid-documented-properties.json"), "utf8")) as { properties: Record<string, string> };

describe("Historical restarts: lazyLoadOnStart and bootstrapThreads", function () {
    this.timeout(120000);

    const tiers: HistoricalTier[] = [
        { name: "hot", volumeSize: "100Gi", lazyLoadOnStart: true, bootstrapThreads: 8 },
        { name: "cold", volumeSize: "500Gi", bootstrapThreads: 2 },
        { name: "plain", volumeSize: "100Gi" },
    ];

    for (const version of ["35.0.0", "36.0.0", "37.0.0"]) {
        it(`Druid ${version}: the rendered runtime.properties carry druid.segmentCache.lazyLoadOnStart and numBootstrapThreads, only where set`, async () => {
            const plan = await planOf(withTiers(tiers, { druidVersion: version }));
            const hot = runtimeOf(plan, "historical-hot");
            assert.equal(hot["druid.segmentCache.lazyLoadOnStart"], "true");
            assert.equal(hot["druid.segmentCache.numBootstrapThreads"], "8");
            const cold = runtimeOf(plan, "historical-cold");
            assert.equal(cold["druid.segmentCache.lazyLoadOnStart"], undefined, "false is Druid's default: not written");
            assert.equal(cold["druid.segmentCache.numBootstrapThreads"], "2");
            const plain = runtimeOf(plan, "historical-plain");
            assert.deepEqual(Object.keys(plain).filter((k) => k.startsWith("druid.segmentCache.")), ["druid.segmentCache.locations"],
                "a tier without the options renders as before, so upgrading the component rolls no Historical");
        });
    }

    it("writes property names Druid documents (docs/configuration/index.md)", () => {
        for (const name of Object.values(segmentCacheProperties)) assert.equal(documented.properties[name], "docs/configuration/index.md", name);
    });

    it("lazyLoadOnStart false renders byte-for-byte as an unset option (Druid's default, no rollout)", async () => {
        const before = await planOf(withTiers([{ name: "plain", volumeSize: "100Gi" }]));
        const after = await planOf(withTiers([{ name: "plain", volumeSize: "100Gi", lazyLoadOnStart: false }]));
        assert.equal(at(before.get("kubernetes:core/v1:ConfigMap", "druid-historical-plain").inputs, "data", "runtime.properties"),
            at(after.get("kubernetes:core/v1:ConfigMap", "druid-historical-plain").inputs, "data", "runtime.properties"));
    });

    it("the startup probe's budget: 3600 s eager (360 × 10 s), 900 s lazy (90 × 10 s); threads leave it alone", async () => {
        const plan = await planOf(withTiers(tiers));
        assert.deepEqual(historicalStartupBudget, { eager: 3600, lazy: 900, segments: 235294 });
        const probe = (key: string) => druidContainer(statefulSet(plan, key)).startupProbe as Obj;
        assert.deepEqual([probe("historical-hot").periodSeconds, probe("historical-hot").failureThreshold], [10, 90]);
        assert.deepEqual([probe("historical-cold").periodSeconds, probe("historical-cold").failureThreshold], [10, 360]);
        assert.deepEqual([probe("historical-plain").periodSeconds, probe("historical-plain").failureThreshold], [10, 360]);
        // The lazy budget covers as many segments as the eager one at the cited lazy cost (3.23 ms): ~760 s, rounded up to 5 minutes.
        assert.ok(historicalStartupBudget.segments * citedRestartCosts.lazyMsPerSegment / 1000 <= historicalStartupBudget.lazy);
        assert.ok(historicalStartupBudget.segments * citedRestartCosts.lazyMsPerSegment / 1000 > historicalStartupBudget.lazy - 300);
    });

    it("the rollout timeouts follow: 2 × (60 s stop + 900 s start) = 32 minutes lazy, 122 eager, on the StatefulSet and its replica patch", async () => {
        const plan = await planOf(withTiers(tiers));
        assert.equal(statefulSet(plan, "historical-hot").customTimeouts.update, "32m");
        assert.equal(plan.get("kubernetes:apps/v1:StatefulSetPatch", "druid-historical-hot-replicas").customTimeouts.update, "32m");
        assert.equal(statefulSet(plan, "historical-cold").customTimeouts.update, "122m");
        assert.equal(plan.get("kubernetes:apps/v1:StatefulSetPatch", "druid-historical-cold-replicas").customTimeouts.update, "122m");
    });

    it("refuses the property overrides: the options own them (the budget is derived from them)", () => {
        const lazyProp = withTiers([{ name: "hot", volumeSize: "100Gi", properties: { "druid.segmentCache.lazyLoadOnStart": "true" } }]);
        assert.throws(() => new DruidCluster("druid", lazyProp), (e: unknown) => e instanceof DruidArgumentError
            && e.argument === "data.historicalTiers[0].properties[\"druid.segmentCache.lazyLoadOnStart\"]"
            && /use data\.historicalTiers\[0\]\.lazyLoadOnStart instead/.test(e.message));
        const threadsCommon = { ...withTiers([{ name: "hot", volumeSize: "100Gi" }]), commonProperties: { "druid.segmentCache.numBootstrapThreads": "4" } };
        assert.throws(() => new DruidCluster("druid", threadsCommon), (e: unknown) => e instanceof DruidArgumentError
            && e.argument === "commonProperties[\"druid.segmentCache.numBootstrapThreads\"]"
            && /use data\.historicalTiers\[\]\.bootstrapThreads instead/.test(e.message));
    });
});
