import assert from "node:assert/strict";
import { DruidCluster, DruidClusterArgs } from "../index";
import { Plan, PlannedResource, planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";

// The high-availability profile (`highAvailability: true`) on the plan: replica counts, where the
// masters may run, what a node drain may take, RDS and ZooKeeper. The creation and rollout model
// (tests/deploy-model.test.ts) replays the same clusters.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

async function planOf(args: DruidClusterArgs): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } })).plan;
}

/** The pods a workload gets: its replica patch's count, or its own (the Coordinator starts the cluster). */
function replicas(plan: Plan, workload: PlannedResource): number {
    const patch = plan.resources.find((r) => r.type.endsWith("Patch") && at(r.inputs, "metadata", "name") === at(workload.inputs, "metadata", "name"));
    return Number(at((patch ?? workload).inputs, "spec", "replicas"));
}

describe("high-availability profile", function () {
    this.timeout(120_000);
    let plan: Plan;
    before(async () => {
        plan = await planOf({ ...defaultArgs(), highAvailability: true });
    });

    it("two Coordinators, two Overlords, two Brokers and Routers, five ZooKeeper servers", () => {
        const d = (n: string) => plan.get("kubernetes:apps/v1:Deployment", n);
        assert.equal(replicas(plan, d("druid-coordinator")), 2);
        assert.equal(at(d("druid-coordinator").inputs, "spec", "replicas"), 2, "the Coordinator starts the cluster at its full size");
        assert.equal(replicas(plan, d("druid-overlord")), 2);
        assert.equal(replicas(plan, d("druid-broker")), 2);
        assert.equal(replicas(plan, d("druid-router")), 2);
        assert.equal(at(plan.get("kubernetes:apps/v1:StatefulSet", "druid-zookeeper").inputs, "spec", "replicas"), 5);
    });

    it("masters never share a node (required anti-affinity) and roll one down, one up; a drain takes at most one of each (PDB)", () => {
        for (const name of ["druid-coordinator", "druid-overlord"]) {
            const w = plan.get("kubernetes:apps/v1:Deployment", name);
            const anti = at(w.inputs, "spec", "template", "spec", "affinity", "podAntiAffinity") as Obj;
            assert.deepEqual(anti.requiredDuringSchedulingIgnoredDuringExecution, [{
                labelSelector: { matchLabels: { "app.kubernetes.io/instance": "druid", "app.kubernetes.io/component": name.replace("druid-", "") } },
                topologyKey: "kubernetes.io/hostname",
            }]);
            assert.deepEqual(at(w.inputs, "spec", "strategy", "rollingUpdate"), { maxUnavailable: 1, maxSurge: 0 });
            const pdb = plan.get("kubernetes:policy/v1:PodDisruptionBudget", name);
            assert.equal(at(pdb.inputs, "spec", "maxUnavailable"), 1);
            // One unavailable of two: one of each master keeps serving through a drain.
            assert.ok(replicas(plan, w) - 1 >= 1);
        }
        // Query services keep surge rollouts and preferred spread.
        const broker = plan.get("kubernetes:apps/v1:Deployment", "druid-broker");
        assert.deepEqual(at(broker.inputs, "spec", "strategy", "rollingUpdate"), { maxUnavailable: 0, maxSurge: 1 });
        assert.ok(at(broker.inputs, "spec", "template", "spec", "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution"));
    });

    it("RDS Multi-AZ on a non-burstable class", () => {
        const rds = plan.get("aws:rds/instance:Instance", "druid-metadata");
        assert.equal(rds.inputs.multiAz, true);
        assert.equal(rds.inputs.instanceClass, "db.m7g.large");
    });

    it("explicit replica counts at or above the minimums win", async () => {
        const p = await planOf({
            ...defaultArgs(), highAvailability: true,
            master: { coordinator: { replicas: 3 }, overlord: { replicas: 2 } }, query: { router: { replicas: 4 } }, zookeeper: { replicas: 7 },
            metadataStore: { ...defaultArgs().metadataStore, instanceClass: "db.r7g.large" },
        });
        assert.equal(replicas(p, p.get("kubernetes:apps/v1:Deployment", "druid-coordinator")), 3);
        assert.equal(replicas(p, p.get("kubernetes:apps/v1:Deployment", "druid-router")), 4);
        assert.equal(at(p.get("kubernetes:apps/v1:StatefulSet", "druid-zookeeper").inputs, "spec", "replicas"), 7);
        assert.equal(p.get("aws:rds/instance:Instance", "druid-metadata").inputs.instanceClass, "db.r7g.large");
    });

    it("off by default: one Coordinator and Overlord, preferred spread, surge rollouts, single-AZ burstable RDS, three ZooKeeper servers", async () => {
        const p = await planOf(defaultArgs());
        const c = p.get("kubernetes:apps/v1:Deployment", "druid-coordinator");
        assert.equal(replicas(p, c), 1);
        assert.equal(at(c.inputs, "spec", "template", "spec", "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution"), undefined);
        assert.deepEqual(at(c.inputs, "spec", "strategy", "rollingUpdate"), { maxUnavailable: 0, maxSurge: 1 });
        assert.equal(p.get("aws:rds/instance:Instance", "druid-metadata").inputs.multiAz, false);
        assert.equal(p.get("aws:rds/instance:Instance", "druid-metadata").inputs.instanceClass, "db.t4g.medium");
        assert.equal(at(p.get("kubernetes:apps/v1:StatefulSet", "druid-zookeeper").inputs, "spec", "replicas"), 3);
    });
});
