import assert from "node:assert/strict";
import { DruidCluster, DruidClusterArgs } from "../index";
import { Plan, PlannedResource, planProgram } from "../testing";
import { rolloutTimeoutMinutes } from "../components/plan/rolling-order";
import { resolveCluster } from "../components/plan/resolve";
import { defaultArgs } from "./fixtures/args";
import {
    changedResources, coordinationOf, historicalRollout, kindOf, servicesOf, simulateCreation, startupNeeds, withoutReplicaPatches,
} from "./support/deploy-model";

// First deploy and upgrade, modelled over the plan's dependency graph (tests/support/deploy-model.ts
// lists the facts the model rests on, each with its source). The plans come from the mocks in
// update mode (testing/mocks.ts): every input known, the dependency graph as a real `pulumi up` gets it.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

async function planOf(args: DruidClusterArgs): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } })).plan;
}

const clusters: Record<string, DruidClusterArgs> = {
    "default": defaultArgs(),
    "TLS (cert-manager)": { ...defaultArgs(), tls: { certManagerIssuer: "druid-ca" } },
    "Indexers, ephemeral cache, two tiers": {
        ...defaultArgs(),
        data: { historicalStorage: "ephemeral", ingestion: { worker: "indexer" }, historicalTiers: [{ name: "default", volumeSize: "100Gi" }, { name: "hot", volumeSize: "50Gi", priority: 10 }] },
    },
    "combined Coordinator-Overlord, external ZooKeeper, existing PostgreSQL": {
        ...defaultArgs(),
        master: { combined: true },
        zookeeper: { externalConnectString: "zk-0.zk:2181,zk-1.zk:2181,zk-2.zk:2181" },
        metadataStore: { existing: { host: "pg.internal", password: "secret-pass" } },
    },
    "auth off, autoscaled Brokers": { ...defaultArgs(), auth: { enabled: false }, query: { broker: { autoscaling: { minReplicas: 2, maxReplicas: 8 } } } },
    "ZooKeeper-less (coordination kubernetes), tasks as Kubernetes Jobs": {
        ...defaultArgs(), coordination: "kubernetes", data: { ingestion: { worker: "kubernetesJobs" } },
    },
    "ZooKeeper-less with TLS, combined Coordinator-Overlord": {
        ...defaultArgs(), coordination: "kubernetes", tls: { certManagerIssuer: "druid-ca" }, master: { combined: true }, data: { ingestion: { worker: "indexer" } },
    },
    "high availability (two Coordinators and Overlords, five ZooKeeper servers)": { ...defaultArgs(), highAvailability: true },
    "high availability, combined Coordinator-Overlord": { ...defaultArgs(), highAvailability: true, master: { combined: true } },
};

describe("first deploy (model): creation converges", function () {
    this.timeout(60000);
    for (const [title, args] of Object.entries(clusters)) {
        it(`${title}: every resource completes; ZooKeeper (or the Role), then the Coordinator, serve before the rest; nothing waits on another operation`, async () => {
            const plan = await planOf(args);
            assert.equal(coordinationOf(plan), args.coordination ?? "zookeeper");
            const auth = args.auth?.enabled ?? true;
            const result = simulateCreation(plan, auth);
            assert.equal(result.converged, true, `stuck: ${result.stuck.join(", ")}`);
            assert.deepEqual(result.waitedOnOthers, [], "an awaited workload started before what its processes need was serving");
            const order = result.servingOrder;
            const zk = order.indexOf("zookeeper");
            const coordinator = order.indexOf("coordinator");
            if (args.coordination === "kubernetes") assert.equal(zk, -1, order.join(" → "));
            else if (args.zookeeper?.externalConnectString === undefined) assert.equal(zk, 0, order.join(" → "));
            assert.ok(coordinator >= 0 && order.slice(0, coordinator).every((k) => k === "zookeeper"), order.join(" → "));
            assert.ok(order.length >= 5, order.join(" → "));
        });
    }

    it("the model fails the old graph: workloads created at full size in rolling-update order never let the Coordinator start", async () => {
        const result = simulateCreation(withoutReplicaPatches(await planOf(defaultArgs())), true);
        assert.equal(result.converged, false);
        // Historicals wait for a Coordinator that is created after them: Pulumi times out on the first wave.
        assert.ok(result.stuck.includes("kubernetes:apps/v1:StatefulSet druid-historical-default"), result.stuck.join(", "));
        assert.ok(result.stuck.includes("kubernetes:apps/v1:Deployment druid-coordinator"), result.stuck.join(", "));
        // Even without basic security, the Broker blocks the chain.
        const noAuth = simulateCreation(withoutReplicaPatches(await planOf({ ...defaultArgs(), auth: { enabled: false } })), false);
        assert.ok(noAuth.stuck.includes("kubernetes:apps/v1:Deployment druid-broker"), noAuth.stuck.join(", "));
        assert.ok(!noAuth.stuck.includes("kubernetes:apps/v1:StatefulSet druid-historical-default"));
    });

    it("the model fails a ZooKeeper-less cluster without its Role: no Druid process may call the API, the Coordinator never starts", async () => {
        const plan = await planOf({ ...defaultArgs(), coordination: "kubernetes", data: { ingestion: { worker: "indexer" } } });
        const rbac = new Set(plan.resources.filter((r) => r.type.startsWith("kubernetes:rbac.authorization.k8s.io/")).map((r) => r.urn));
        assert.equal(rbac.size, 2);
        const mutated = new Plan(plan.resources.filter((r) => !rbac.has(r.urn)).map((r) => ({ ...r, dependencies: r.dependencies.filter((d) => !rbac.has(d)) })));
        const result = simulateCreation(mutated, true);
        assert.equal(result.converged, false);
        assert.ok(result.stuck.includes("kubernetes:apps/v1:Deployment druid-coordinator"), result.stuck.join(", "));
        // In that mode the processes need the Kubernetes API, not ZooKeeper.
        assert.deepEqual(startupNeeds("broker", true, "kubernetes"), ["kubernetesApi", "coordinator"]);
        assert.deepEqual(startupNeeds("broker", true), ["zookeeper", "coordinator"]);
    });

    it("the model fails a ZooKeeper ensemble with OrderedReady pod management", async () => {
        const plan = await planOf(defaultArgs());
        const mutated = new Plan(plan.resources.map((r) => (r.name === "druid-zookeeper" && r.type === "kubernetes:apps/v1:StatefulSet"
            ? { ...r, inputs: { ...r.inputs, spec: { ...(r.inputs.spec as Obj), podManagementPolicy: "OrderedReady" } } } : r)));
        assert.ok(simulateCreation(mutated, true).stuck.includes("kubernetes:apps/v1:StatefulSet druid-zookeeper"));
    });
});

describe("upgrade and configuration change (model)", function () {
    this.timeout(60000);
    const awaitedKinds = (rs: PlannedResource[]) => rs.filter((r) => r.type.startsWith("kubernetes:apps/v1:"));
    const wave: Record<string, number> = { historical: 0, middleManager: 1, indexer: 1, broker: 2, router: 3, overlord: 4, coordinator: 5 };

    for (const [title, args] of Object.entries(clusters)) {
        it(`${title}: a Druid version upgrade rolls every workload in Druid's order, each wave awaited; replica counts untouched`, async () => {
            const before = await planOf({ ...args, druidVersion: "36.0.0" });
            const after = await planOf({ ...args, druidVersion: "37.0.0" });
            const changed = awaitedKinds(changedResources(before, after));
            const workloads = servicesOf(after).filter((s) => s.kind !== "zookeeper");
            assert.deepEqual(changed.map((r) => r.name).sort(), workloads.map((s) => s.workload.name).sort(),
                "exactly the Druid workloads change: no replica patch, no ZooKeeper");
            for (const a of workloads) {
                for (const b of workloads) {
                    if (wave[kindOf(a.workload)!] < wave[kindOf(b.workload)!]) {
                        assert.equal(after.dependsOn(b.workload, a.workload), true, `${b.workload.name} waits for ${a.workload.name}`);
                    }
                }
                // Awaited (no skipAwait), with a timeout for one pod after another.
                assert.equal(at(a.workload.inputs, "metadata", "annotations", "pulumi.com/skipAwait"), undefined);
                const plan = resolveCluster("druid", { ...args, druidVersion: "37.0.0" }).services.find((s) => `druid-${s.key}` === a.workload.name)!;
                assert.equal(a.workload.customTimeouts.update, `${rolloutTimeoutMinutes(plan)}m`);
                if (a.patch !== undefined) {
                    // StatefulSets with claims also leave their claim template alone (volume-resize.ts).
                    assert.deepEqual(a.workload.ignoreChanges.filter((p) => p !== "spec.volumeClaimTemplates"), ["spec.replicas"], `${a.workload.name} never sends its creation-time 0 replicas again`);
                }
            }
        });
    }

    it("the Historical rollout timeout covers one pod after another: 2 × (60 s stop + 3600 s start) = 122 minutes", async () => {
        const plan = await planOf(defaultArgs());
        assert.equal(plan.get("kubernetes:apps/v1:StatefulSet", "druid-historical-default").customTimeouts.update, "122m");
        // MiddleManagers: 2 × (900 s drain + 330 s task stop + 300 s start) = 51 minutes.
        assert.equal(plan.get("kubernetes:apps/v1:StatefulSet", "druid-middlemanager").customTimeouts.update, "51m");
        assert.equal(plan.get("kubernetes:apps/v1:StatefulSetPatch", "druid-middlemanager-replicas").customTimeouts.create, "51m");
    });

    it("a configuration-only change rolls only that service, and its replica patch is unchanged", async () => {
        const before = await planOf(defaultArgs());
        const after = await planOf({ ...defaultArgs(), data: { historicalTiers: [{ name: "default", volumeSize: "100Gi", properties: { "druid.server.http.numThreads": "80" } }] } });
        assert.deepEqual(awaitedKinds(changedResources(before, after)).map((r) => r.name), ["druid-historical-default"]);
    });

    it("a replica change touches only the replica patch", async () => {
        const before = await planOf(defaultArgs());
        const after = await planOf({ ...defaultArgs(), data: { historicalTiers: [{ name: "default", volumeSize: "100Gi", replicas: 4 }] } });
        assert.deepEqual(awaitedKinds(changedResources(before, after)).map((r) => r.name), ["druid-historical-default-replicas"]);
    });
});

describe("Historical rollouts keep every tier serving (model)", function () {
    this.timeout(60000);
    const tierRollout = (sts: PlannedResource) => {
        const spec = sts.inputs.spec as Obj;
        const container = (at(spec, "template", "spec", "containers") as Obj[])[0];
        const cacheSurvives = ((spec.volumeClaimTemplates as unknown[]) ?? []).length > 0;
        const command = at(container, "startupProbe", "exec", "command") as string[] | undefined;
        const gate = command?.[2] ?? "";
        return { replicas: 0, cacheSurvives, waitsForLoad: gate.includes("/druid/coordinator/v1/loadstatus?full") };
    };

    for (const [title, args] of Object.entries(clusters)) {
        it(`${title}: one pod at a time, and never fewer than replicas − 1 holding the tier's segments`, async () => {
            const plan = await planOf(args);
            for (const svc of servicesOf(plan).filter((s) => s.kind === "historical")) {
                const strategy = at(svc.workload.inputs, "spec", "updateStrategy") as Obj;
                assert.deepEqual(strategy, { type: "RollingUpdate" }, "default maxUnavailable 1, no partition");
                const pdb = plan.get("kubernetes:policy/v1:PodDisruptionBudget", svc.workload.name);
                assert.equal(at(pdb.inputs, "spec", "maxUnavailable"), 1, "a node drain also takes one at a time");
                const r = tierRollout(svc.workload);
                const serving = historicalRollout(svc.replicas, r.cacheSurvives, r.waitsForLoad);
                assert.ok(Math.min(...serving) >= svc.replicas - 1, `${svc.workload.name}: ${serving.join(",")}`);
                assert.equal(serving[serving.length - 1], svc.replicas);
            }
        });
    }

    it("the model sees the old ephemeral Historical: ready with an empty cache, the last step leaves no replica", () => {
        assert.deepEqual(historicalRollout(2, false, false), [1, 0, 0]);
        assert.deepEqual(historicalRollout(3, false, true), [2, 2, 2, 3]);
    });
});
