import assert from "node:assert/strict";
import { DruidCluster, DruidClusterArgs } from "../index";
import { parseProperties } from "../components/core/properties";
import { Plan, PlannedResource, planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";

// What each pod is given to boot and to stop, as rendered (mocks: testing/mocks.ts, update mode).
// The real programs check the rest: tests/real/ (ZooKeeper, PostgreSQL, keystores, the pod
// filesystem) and tests/pod-scripts.test.ts (the probe and preStop scripts under busybox).

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const T = { sts: "kubernetes:apps/v1:StatefulSet", deploy: "kubernetes:apps/v1:Deployment", cm: "kubernetes:core/v1:ConfigMap" };

async function build(args: DruidClusterArgs): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } })).plan;
}
const container = (r: PlannedResource) => (at(r.inputs, "spec", "template", "spec", "containers") as Obj[])[0];
const podSpec = (r: PlannedResource) => at(r.inputs, "spec", "template", "spec") as Obj;
const env = (r: PlannedResource): Record<string, string | undefined> =>
    Object.fromEntries((container(r).env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
const props = (plan: Plan, name: string, file = "runtime.properties") => parseProperties(String(at(plan.get(T.cm, name).inputs, "data", file)));

describe("ZooKeeper boots and reports quorum", function () {
    this.timeout(30000);
    let plan: Plan;
    before(async () => { plan = await build(defaultArgs()); });

    it("the image's own knobs: heap through ZK_SERVER_HEAP (75% of 1Gi), autopurge through ZOO_AUTOPURGE_*, no JVMFLAGS", () => {
        const e = env(plan.get(T.sts, "druid-zookeeper"));
        assert.equal(e.ZK_SERVER_HEAP, "768");
        // zkEnv.sh puts -Xmx${ZK_SERVER_HEAP}m first, so a heap flag here would not apply; only the dump path is here.
        assert.equal(e.JVMFLAGS, "-XX:HeapDumpPath=/logs");
        assert.equal(e.ZOO_AUTOPURGE_SNAPRETAINCOUNT, "5");
        assert.equal(e.ZOO_AUTOPURGE_PURGEINTERVAL, "24");
        assert.ok(!String(e.ZOO_CFG_EXTRA).includes("autopurge"), "written once, by the entrypoint");
        assert.equal(e.ZOO_CFG_EXTRA, "metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider metricsProvider.httpPort=7000");
        assert.match(String(e.ZOO_4LW_COMMANDS_WHITELIST), /(^|,)srvr(,|$)/);
    });

    it("ready means in a quorum (srvr Mode), and the rollout waits long enough for three servers", () => {
        const zk = plan.get(T.sts, "druid-zookeeper");
        const probe = at(container(zk), "readinessProbe", "exec", "command") as string[];
        assert.equal(probe[0], "bash");
        assert.match(probe[2], /printf srvr/);
        assert.match(probe[2], /Mode: \(leader\|follower\|standalone\)/);
        assert.equal(at(zk.inputs, "spec", "podManagementPolicy"), "Parallel");
        // Delete: its pods' grace (Kubernetes' default 30 s) is well within the provider's own 10 minutes (components/k8s/delete-timeout.ts).
        assert.deepEqual(zk.customTimeouts, { create: "10m", update: "10m", delete: "10m" });
    });

    it("a bigger server gets a bigger heap; no metrics provider without the Prometheus emitter", async () => {
        const p = await build({ ...defaultArgs(), zookeeper: { resources: { cpu: "1", memory: "4Gi" } }, metrics: { emitter: "none" } });
        const e = env(p.get(T.sts, "druid-zookeeper"));
        assert.equal(e.ZK_SERVER_HEAP, "3072");
        assert.equal(e.ZOO_CFG_EXTRA, undefined);
    });
});

describe("Druid services stop without losing queries or tasks", function () {
    this.timeout(30000);
    let plan: Plan;
    before(async () => { plan = await build(defaultArgs()); });

    it("MiddleManagers drain in preStop (disable, wait for tasks) within a grace period that covers the drain and Druid's own stop", () => {
        const mm = plan.get(T.sts, "druid-middlemanager");
        const script = String((at(container(mm), "lifecycle", "preStop", "exec", "command") as string[])[2]);
        assert.match(script, /own --post-data "" "\$url\/disable"/);
        assert.match(script, /url="http:\/\/127\.0\.0\.1:8091\/druid\/worker\/v1"/);
        assert.match(script, /end=\$\(\( \$\(date \+%s\) \+ 900 \)\)/);
        assert.match(script, /druid_system/, "authenticates as the internal client");
        assert.equal(podSpec(mm).terminationGracePeriodSeconds, 900 + 330);
        assert.equal(props(plan, "druid-middlemanager")["druid.indexer.task.restoreTasksOnRestart"], "true");
    });

    it("Indexers drain too; drainTimeoutSeconds 0 skips the wait and keeps the task stop time", async () => {
        const p = await build({ ...defaultArgs(), data: { ingestion: { worker: "indexer", drainTimeoutSeconds: 0 } } });
        const indexer = p.get(T.sts, "druid-indexer");
        assert.equal(at(container(indexer), "lifecycle"), undefined);
        assert.equal(podSpec(indexer).terminationGracePeriodSeconds, 330);
        const q = await build({ ...defaultArgs(), data: { ingestion: { worker: "indexer", drainTimeoutSeconds: 3600 } } });
        assert.match(String((at(container(q.get(T.sts, "druid-indexer")), "lifecycle", "preStop", "exec", "command") as string[])[2]), /\+ 3600 \)\)/);
        assert.equal(props(q, "druid-indexer")["druid.indexer.task.restoreTasksOnRestart"], "true");
        assert.equal(props(q, "druid-indexer")["druid.server.http.unannouncePropagationDelay"], "PT15S");
    });

    it("Historicals and Brokers unannounce and wait before they stop; the grace period covers it", () => {
        for (const [name, type] of [["druid-historical-default", T.sts], ["druid-broker", T.deploy]] as const) {
            const p = props(plan, name);
            assert.equal(p["druid.server.http.unannouncePropagationDelay"], "PT15S", name);
            assert.equal(p["druid.server.http.gracefulShutdownTimeout"], "PT30S", name);
            assert.equal(podSpec(plan.get(type, name)).terminationGracePeriodSeconds, 60, name);
        }
        assert.equal(props(plan, "druid-router")["druid.server.http.unannouncePropagationDelay"], undefined);
    });

    it("the Overlord assigns tasks over HTTP (httpRemote, Druid's default), also when combined with the Coordinator", async () => {
        assert.equal(props(plan, "druid-overlord")["druid.indexer.runner.type"], "httpRemote");
        const combined = await build({ ...defaultArgs(), master: { combined: true } });
        assert.equal(props(combined, "druid-coordinator")["druid.indexer.runner.type"], "httpRemote");
    });
});

describe("Historical segment cache and start-up gate", function () {
    this.timeout(30000);

    it("persistent: the cache on a PVC mounted beside var; started when Druid says its local cache is loaded", async () => {
        const plan = await build(defaultArgs());
        const hist = plan.get(T.sts, "druid-historical-default");
        assert.deepEqual(at(container(hist), "startupProbe", "httpGet"), { path: "/status/health", port: 8083, scheme: "HTTP" });
        assert.deepEqual(at(container(hist), "resources", "requests"), { cpu: "4", memory: "16Gi" });
        assert.ok((container(hist).volumeMounts as Obj[]).some((m) => m.name === "segment-cache" && m.mountPath === "/opt/druid/segment-cache"));
    });

    it("ephemeral: the start-up waits for the Coordinator to report the tier loaded, and the scheduler reserves the disk", async () => {
        const plan = await build({ ...defaultArgs(), data: { historicalStorage: "ephemeral", historicalTiers: [{ name: "hot", volumeSize: "50Gi" }] },
            dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 2 } }] } });
        const hist = plan.get(T.sts, "druid-historical-hot");
        const c = container(hist);
        const script = String((at(c, "startupProbe", "exec", "command") as string[])[2]);
        assert.match(script, /http:\/\/127\.0\.0\.1:8083\/druid\/historical\/v1\/readiness/);
        assert.match(script, /get "http:\/\/druid-coordinator\.druid\.svc:8081\/druid\/coordinator\/v1\/loadstatus\?full&computeUsingClusterView"/);
        assert.ok(script.includes('grep -o "\\"hot\\":{[^}]*}"'), "the gate counts the segments left of its own tier");
        assert.match(script, /-ge 90 \]/);
        assert.equal(at(c, "startupProbe", "failureThreshold"), 360);
        assert.equal(at(c, "startupProbe", "periodSeconds"), 10);
        // The gate gives up waiting at 3300 s, before the kubelet's 360 x 10 s: never a restart loop.
        assert.match(script, /if \[ "\$age" -ge 3300 \]; then/);
        assert.ok(3300 < 360 * 10);
        assert.match(script, /-ge 600 \]; then/, "ten minutes without progress");
        assert.equal(at(c, "resources", "requests", "ephemeral-storage"), "50Gi");
        assert.equal(at(c, "resources", "limits", "ephemeral-storage"), undefined, "the emptyDir's sizeLimit bounds it; a limit would also count logs");
    });

    it("with TLS the gate talks HTTPS to both", async () => {
        const plan = await build({ ...defaultArgs(), tls: { certManagerIssuer: "druid-ca" }, data: { historicalStorage: "ephemeral" } });
        const script = String((at(container(plan.get(T.sts, "druid-historical-default")), "startupProbe", "exec", "command") as string[])[2]);
        assert.match(script, /https:\/\/127\.0\.0\.1:8283\//);
        assert.match(script, /https:\/\/druid-coordinator\.druid\.svc:8281\//);
    });
});

describe("TLS key alias", function () {
    this.timeout(30000);
    it("cert-manager's PKCS12 keystore: alias 1; an existing keystore: none unless tls.certAlias says", async () => {
        const common = async (tls: DruidClusterArgs["tls"]) => props(await build({ ...defaultArgs(), tls }), "druid-common", "common.runtime.properties");
        assert.equal((await common({ certManagerIssuer: "druid-ca" }))["druid.server.https.certAlias"], "1");
        assert.equal((await common({ secretName: "my-tls" }))["druid.server.https.certAlias"], undefined);
        assert.equal((await common({ secretName: "my-tls", certAlias: "druid" }))["druid.server.https.certAlias"], "druid");
    });
});

describe("creation: the Coordinator first, everything else scaled after it", function () {
    this.timeout(30000);
    it("replica patches: forced owner of spec.replicas, kept on delete, after the Coordinator; the Coordinator starts at full size", async () => {
        const plan = await build({ ...defaultArgs(), master: { coordinator: { replicas: 2 } } });
        const coordinator = plan.get(T.deploy, "druid-coordinator");
        assert.equal(at(coordinator.inputs, "spec", "replicas"), 2);
        assert.deepEqual(coordinator.ignoreChanges, []);
        assert.equal(plan.ofType("kubernetes:apps/v1:DeploymentPatch").some((p) => p.name === "druid-coordinator-replicas"), false);
        for (const [workload, patchType] of [["druid-broker", "kubernetes:apps/v1:DeploymentPatch"], ["druid-historical-default", "kubernetes:apps/v1:StatefulSetPatch"]] as const) {
            const w = plan.resources.find((r) => r.name === workload && (r.type === T.sts || r.type === T.deploy))!;
            assert.equal(at(w.inputs, "spec", "replicas"), 0, workload);
            // The Historical StatefulSet also leaves its claim template to the claim patches (volume-resize.ts).
            assert.deepEqual(w.ignoreChanges, workload === "druid-broker" ? ["spec.replicas"] : ["spec.replicas", "spec.volumeClaimTemplates"], workload);
            const patch = plan.get(patchType, `${workload}-replicas`);
            assert.equal(at(patch.inputs, "spec", "replicas"), 2, workload);
            assert.equal(at(patch.inputs, "metadata", "name"), workload);
            assert.equal(at(patch.inputs, "metadata", "annotations", "pulumi.com/patchForce"), "true");
            assert.ok(Object.keys(at(patch.inputs, "metadata", "annotations") as Obj).includes("druid.apache.org/replicas-for-uid"));
            assert.equal(patch.retainOnDelete, true);
            assert.equal(plan.dependsOn(patch, coordinator), true, `${patch.name} after the Coordinator`);
            assert.equal(plan.dependsOn(patch, w), true);
        }
    });
});
