import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DruidCluster, DruidClusterArgs } from "../index";
import { Plan, PlannedResource, planProgram } from "../testing";
import { parseProperties } from "../components/core/properties";
import { resolveCluster } from "../components/plan/resolve";
import { generatedNames } from "../components/plan/validate-names";
import { supportedDruidReleases } from "../components/plan/druid-versions";
import { zoneBrokerTier } from "../components/plan/resolve-zone-brokers";
import { rollingUpdateWaves } from "../components/plan/rolling-order";
import { DruidArgumentError } from "../components/core/errors";
import { zoneLabel, zoneWaveLabels } from "../components/plan/zone-wave-plan";
import { defaultArgs } from "./fixtures/args";
import { simulateCreation, withoutReplicaPatches } from "./support/deploy-model";
import { JavaProperties } from "./support/druid-property";

// Zone-local Brokers (query.broker.preferZoneOf; components/plan/resolve-zone-brokers.ts, docs/zones.md
// "Brokers"): one Broker Deployment per zone of a zone-aware Historical tier, pinned to the zone,
// each with `druid.broker.select.tier=preferred` and its zone's Druid tier, all announcing the same
// Druid service; a Service in front of all of them keeping the Broker Service's name and URN.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const deploymentType = "kubernetes:apps/v1:Deployment";
const serviceType = "kubernetes:core/v1:Service";
const cmType = "kubernetes:core/v1:ConfigMap";
const pdbType = "kubernetes:policy/v1:PodDisruptionBudget";
const hpaType = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const zoneBrokers = ["druid-broker-a", "druid-broker-b", "druid-broker-c"];

/** A zone-aware hot tier in 3 zones, a plain cold tier, 2 Brokers in each zone preferring the hot tier's zone. */
function zoneBrokerArgs(broker: NonNullable<DruidClusterArgs["query"]>["broker"] = { replicas: 2 }): DruidClusterArgs {
    return {
        ...defaultArgs(),
        query: { broker: { preferZoneOf: "hot", ...broker } },
        data: {
            historicalTiers: [
                { name: "hot", volumeSize: "100Gi", zones, priority: 10 },
                { name: "cold", volumeSize: "500Gi", replicas: 3 },
            ],
        },
        dataManagement: {
            defaultRules: [
                { type: "loadByPeriod", period: "P30D", tieredReplicants: { hot: 3, cold: 1 } },
                { type: "loadForever", tieredReplicants: { cold: 2 } },
            ],
        },
        networkPolicies: { routerAllowedNamespaces: ["apps"], brokerDirectAccess: true },
    };
}

async function build(args: DruidClusterArgs, preview = true): Promise<{ plan: Plan; cluster: DruidCluster }> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview, config: { "aws:region": "eu-west-1" } });
    return { plan, cluster: result };
}

const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));

/** The runtime.properties text a workload's ConfigMap holds. */
function runtimeText(plan: Plan, objectName: string): string {
    const cm = plan.ofType(cmType).find((r) => at(r.inputs, "metadata", "name") === objectName);
    assert.ok(cm !== undefined, `no ConfigMap ${objectName}`);
    return at(cm.inputs, "data", "runtime.properties") as string;
}

describe("zone-local Brokers: the plan", () => {
    const plan = resolveCluster("druid", zoneBrokerArgs());

    it("the Broker becomes one plan per zone of the tier, in the Broker's place: key, zone, group, preferred zone tier, replicas per zone", () => {
        const rows = plan.services.filter((s) => s.kind === "broker").map((s) => [s.key, s.zone, s.zoneGroup, s.preferredTier, s.replicas, s.updateStrategy]);
        assert.deepEqual(rows, zones.map((z, i) => [`broker-${"abc"[i]}`, z, "broker", `hot-${z}`, 2, undefined]));
        assert.deepEqual(plan.services.map((s) => s.key).slice(0, 6), ["coordinator", "overlord", "broker-a", "broker-b", "broker-c", "router"]);
        // Brokers are Deployments that roll themselves: no zone-wave group for them.
        assert.deepEqual(plan.zoneWaves.map((g) => g.key), ["historical-hot"]);
    });

    it("connection pools are split over every zone's Brokers (6), not one zone's (2)", () => {
        const six = resolveCluster("druid", { ...defaultArgs(), query: { broker: { replicas: 6 } } });
        const broker = (p: typeof plan) => p.services.find((s) => s.kind === "broker")!;
        const historical = (p: typeof plan) => p.services.find((s) => s.kind === "historical")!;
        assert.equal(broker(plan).tuning.brokerNumConnections, 8);
        assert.equal(broker(plan).tuning.brokerNumConnections, broker(six).tuning.brokerNumConnections);
        assert.equal(historical(plan).tuning.httpNumThreads, historical(six).tuning.httpNumThreads);
        const two = resolveCluster("druid", { ...defaultArgs(), query: { broker: { replicas: 2 } } });
        assert.ok((broker(two).tuning.brokerNumConnections ?? 0) > (broker(plan).tuning.brokerNumConnections ?? 0));
    });

    it("the rolling order: every zone's Brokers in one wave, after the Historicals and workers, before the Routers", () => {
        const waves = rollingUpdateWaves(plan.services).map((w) => w.map((s) => s.key));
        const brokers = waves.findIndex((w) => w.includes("broker-a"));
        assert.deepEqual(waves[brokers], ["broker-a", "broker-b", "broker-c"]);
        assert.ok(waves.findIndex((w) => w.includes("historical-hot-a")) < brokers);
        assert.ok(waves.findIndex((w) => w.includes("router")) > brokers);
    });

    it("the Brokers' processing follows the largest Historical tier as for one Broker Deployment", () => {
        const one = resolveCluster("druid", { ...zoneBrokerArgs(), query: { broker: { replicas: 2 } } });
        const merge = (p: typeof plan) => p.services.filter((s) => s.kind === "broker").map((s) => s.tuning.processing?.numMergeBuffers);
        assert.ok((merge(one)[0] ?? 0) > 0);
        assert.deepEqual(merge(plan), zones.map(() => merge(one)[0]));
    });

    it("each zone's Brokers keep the Brokers' disruption budget (one at a time), not the whole-zone budget of the tier's Historicals", () => {
        assert.deepEqual(plan.placement["broker-a"].disruptionBudget, {});
        assert.deepEqual(plan.placement["historical-hot-a"].disruptionBudget, { maxUnavailable: 2 });
    });

    it("every supported release has the preferred tier selector, each with its sources", () => {
        for (const r of supportedDruidReleases) {
            assert.equal(r.preferredTierSelector.supported, true, r.release);
            assert.ok(r.preferredTierSelector.sources.some((s) => /18231|18136/.test(s.ref)), r.release);
        }
    });

    it("the preferred tier is the zone tier the Historicals announce, also with a druidTier of the user's", () => {
        const args = zoneBrokerArgs();
        args.data!.historicalTiers![0].druidTier = "fast";
        args.dataManagement!.defaultRules = [{ type: "loadForever", tieredReplicants: { fast: 3, cold: 1 } }];
        const custom = resolveCluster("druid", args);
        assert.deepEqual(custom.services.filter((s) => s.kind === "broker").map((s) => s.preferredTier), zones.map((z) => `fast-${z}`));
        assert.deepEqual(custom.services.filter((s) => s.zoneGroup === "historical-hot").map((s) => s.tier?.name), zones.map((z) => `fast-${z}`));
    });

    it("a release without the preferred selector is refused for zone-local Brokers, naming the release", () => {
        const without = { ...supportedDruidReleases[0], preferredTierSelector: { supported: false, sources: [] } };
        const tiers = [{ name: "hot", zoneTiers: zones.map((zone) => ({ zone, druidTier: `hot-${zone}` })) }];
        assert.throws(() => zoneBrokerTier(zoneBrokerArgs(), tiers, without), (e: unknown) => e instanceof DruidArgumentError
            && e.argument === "query.broker.preferZoneOf" && /needs the Broker's "preferred" tier selector \(apache\/druid#18136\), which Druid 35\.0\.0 does not have/.test(e.message));
        assert.equal(zoneBrokerTier(zoneBrokerArgs(), tiers, supportedDruidReleases[0])?.name, "hot");
    });

    it("the generated names list the zone Brokers' objects and the Service in front of them", () => {
        const names = generatedNames(plan).map((g) => `${g.kind} ${g.name}`);
        for (const n of zoneBrokers) for (const k of ["ConfigMap", "Service", "PodDisruptionBudget", "Deployment"]) assert.ok(names.includes(`${k} ${n}`), `${k} ${n}`);
        assert.ok(names.includes("Service druid-broker"));
        assert.ok(!names.includes("Deployment druid-broker"));
    });
});

describe("zone-local Brokers: the render", function () {
    this.timeout(120000);
    let plan: Plan;
    let cluster: DruidCluster;
    before(async () => { ({ plan, cluster } = await build(zoneBrokerArgs())); });

    it("one Deployment per zone, pinned by a required node affinity on the zone label, labelled with its zone", () => {
        const names = plan.ofType(deploymentType).map((r) => at(r.inputs, "metadata", "name")).filter((n) => String(n).includes("broker"));
        assert.deepEqual(names, zoneBrokers);
        zoneBrokers.forEach((n, i) => {
            const d = plan.ofType(deploymentType).find((r) => at(r.inputs, "metadata", "name") === n)!;
            assert.equal((at(d.inputs, "metadata", "labels") as Obj)[zoneWaveLabels.zone], zones[i], n);
            assert.equal((at(d.inputs, "spec", "template", "metadata", "labels") as Obj)[zoneWaveLabels.zone], zones[i], n);
            assert.deepEqual(at(d.inputs, "spec", "template", "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"),
                [{ matchExpressions: [{ key: zoneLabel, operator: "In", values: [zones[i]] }] }], n);
            // A Deployment rolls itself, a new pod before an old one stops (no OnDelete, no zone-wave Job).
            assert.deepEqual(at(d.inputs, "spec", "strategy"), { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, n);
        });
    });

    it("each zone's runtime.properties, as java.util.Properties reads it: the same druid.service, the preferred selector and its zone's tier", async function () {
        if (!JavaProperties.available()) this.skip();
        const java = new JavaProperties();
        try {
            for (const [i, n] of zoneBrokers.entries()) {
                const read = new Map(await java.read(runtimeText(plan, n)));
                assert.equal(read.get("druid.service"), "druid/broker", n);
                assert.equal(read.get("druid.broker.select.tier"), "preferred", n);
                assert.equal(read.get("druid.broker.select.tier.preferred.tier"), `hot-${zones[i]}`, n);
                assert.equal(read.get("druid.broker.select.tier.preferred.priority"), undefined, `${n}: the default, highest`);
            }
        } finally {
            java.close();
        }
        // The Router balances over that one service name: every zone's Brokers.
        assert.equal(parseProperties(runtimeText(plan, "druid-router"))["druid.router.defaultBrokerServiceName"], "druid/broker");
        // The zone tiers the Brokers prefer are the ones the hot tier's Historicals announce.
        for (const z of zones) {
            assert.equal(parseProperties(runtimeText(plan, `druid-historical-hot-${z.slice(-1)}`))["druid.server.tier"], `hot-${z}`);
        }
    });

    it("without preferZoneOf: one Broker, no tier selection of the component's", async () => {
        const args = zoneBrokerArgs();
        delete args.query!.broker!.preferZoneOf;
        const { plan: one } = await build(args);
        const text = parseProperties(runtimeText(one, "druid-broker"));
        assert.equal(text["druid.broker.select.tier"], undefined);
        assert.equal(text["druid.broker.select.tier.preferred.tier"], undefined);
        assert.equal(at(one.ofType(deploymentType).find((r) => at(r.inputs, "metadata", "name") === "druid-broker")!.inputs, "spec", "template", "spec", "affinity", "nodeAffinity"), undefined);
    });

    it("a PodDisruptionBudget per zone, each over its zone's Brokers only, one pod at a time", () => {
        for (const n of zoneBrokers) {
            const pdb = plan.ofType(pdbType).find((r) => at(r.inputs, "metadata", "name") === n)!;
            assert.equal(at(pdb.inputs, "spec", "maxUnavailable"), 1, n);
            assert.deepEqual(at(pdb.inputs, "spec", "selector", "matchLabels"), { "app.kubernetes.io/instance": "druid", "app.kubernetes.io/component": n.replace("druid-", "") });
        }
        assert.equal(plan.ofType(pdbType).find((r) => at(r.inputs, "metadata", "name") === "druid-broker"), undefined);
    });

    it("a Service druid-broker in front of every zone's Brokers (query port only), which brokerServiceName names", async () => {
        const front = plan.ofType(serviceType).filter((r) => at(r.inputs, "metadata", "name") === "druid-broker");
        assert.equal(front.length, 1);
        assert.deepEqual(at(front[0].inputs, "spec", "selector"), { "app.kubernetes.io/instance": "druid", "druid.apache.org/service": "broker" });
        assert.deepEqual(at(front[0].inputs, "spec", "ports"), [{ name: "http", port: 8082, targetPort: 8082 }]);
        // The selector matches every zone's Broker pods, and no other pod.
        const selector = at(front[0].inputs, "spec", "selector") as Record<string, string>;
        for (const d of plan.ofType(deploymentType).concat(plan.ofType("kubernetes:apps/v1:StatefulSet"))) {
            const labels = at(d.inputs, "spec", "template", "metadata", "labels") as Record<string, string>;
            const matches = Object.entries(selector).every(([k, v]) => labels[k] === v);
            assert.equal(matches, zoneBrokers.includes(String(at(d.inputs, "metadata", "name"))), String(at(d.inputs, "metadata", "name")));
        }
        // Each zone also has its own Service (a client in one zone can call its zone's Brokers).
        for (const n of zoneBrokers) assert.equal(plan.ofType(serviceType).filter((r) => at(r.inputs, "metadata", "name") === n).length, 1, n);
        assert.equal(await valueOf(cluster.brokerServiceName), "druid-broker");
    });

    it("the Service in front keeps the URN of the single Broker's Service: turning preferZoneOf on or off updates it in place", async () => {
        const args = zoneBrokerArgs();
        delete args.query!.broker!.preferZoneOf;
        const { plan: one } = await build(args);
        const urnOf = (p: Plan) => p.ofType(serviceType).find((r) => at(r.inputs, "metadata", "name") === "druid-broker")!.urn;
        assert.equal(urnOf(plan), urnOf(one));
    });

    it("the broker-clients NetworkPolicy admits the allowed clients to every zone's Brokers, and to no other pod", () => {
        const policy = plan.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find((r) => at(r.inputs, "metadata", "name") === "druid-broker-clients");
        assert.ok(policy !== undefined);
        const selector = at(policy.inputs, "spec", "podSelector", "matchLabels") as Record<string, string>;
        for (const d of plan.ofType(deploymentType).concat(plan.ofType("kubernetes:apps/v1:StatefulSet"))) {
            const labels = at(d.inputs, "spec", "template", "metadata", "labels") as Record<string, string>;
            const name = String(at(d.inputs, "metadata", "name"));
            assert.equal(Object.entries(selector).every(([k, v]) => labels[k] === v), zoneBrokers.includes(name), name);
        }
    });

    it("with autoscaling: a HorizontalPodAutoscaler per zone, bounds per zone, each scaling its zone's Deployment", async () => {
        const { plan: scaled } = await build(zoneBrokerArgs({ autoscaling: { minReplicas: 2, maxReplicas: 4 } }));
        const hpas = scaled.ofType(hpaType).filter((r) => String(at(r.inputs, "metadata", "name")).includes("broker"));
        assert.deepEqual(hpas.map((h) => [at(h.inputs, "metadata", "name"), at(h.inputs, "spec", "scaleTargetRef", "name"), at(h.inputs, "spec", "minReplicas"), at(h.inputs, "spec", "maxReplicas")]),
            zoneBrokers.map((n) => [n, n, 2, 4]));
    });

    it("monitoring: the Broker alerts count every zone's Brokers as one Druid service (druid/broker, 6 pods)", async () => {
        const { plan: watched } = await build({ ...zoneBrokerArgs(), metrics: { emitter: "prometheus", alerts: true } });
        const rule = watched.resources.find((r) => r.custom && at(r.inputs, "kind") === "PrometheusRule");
        assert.ok(rule !== undefined, "no PrometheusRule");
        const rules = (at(rule.inputs, "spec", "groups") as { rules: { alert?: string; expr: string; labels?: Record<string, string> }[] }[]).flatMap((g) => g.rules);
        const degraded = rules.filter((r) => r.alert === "DruidServiceDegraded" && r.labels?.druid_service === "druid/broker");
        assert.equal(degraded.length, 1);
        assert.match(degraded[0].expr, /druid_service="druid\/broker".* < 6$/);
        for (const n of zoneBrokers) assert.equal(parseProperties(runtimeText(watched, n))["druid.service"], "druid/broker", n);
    });
});

describe("zone-local Brokers: first deploy (model)", function () {
    this.timeout(120000);
    it("creation converges: every zone's Broker Deployment starts at 0 and its replica patch scales it once the Coordinator serves", async () => {
        const { plan } = await build(zoneBrokerArgs(), false);
        const result = simulateCreation(plan, true);
        assert.equal(result.converged, true, `stuck: ${result.stuck.join(", ")}`);
        assert.deepEqual(result.waitedOnOthers, []);
        for (const name of zoneBrokers) {
            const d = plan.ofType(deploymentType).find((r: PlannedResource) => at(r.inputs, "metadata", "name") === name)!;
            assert.equal(at(d.inputs, "spec", "replicas"), 0, name);
            const patch = plan.ofType("kubernetes:apps/v1:DeploymentPatch").find((p) => at(p.inputs, "metadata", "name") === name);
            assert.ok(patch !== undefined, `no replica patch for ${name}`);
            assert.equal(at(patch.inputs, "spec", "replicas"), 2, name);
        }
        assert.ok(result.servingOrder.includes("broker"), result.servingOrder.join(" → "));
        const without = simulateCreation(withoutReplicaPatches(plan), true);
        assert.ok(!without.servingOrder.includes("broker"), without.servingOrder.join(" → "));
    });
});
