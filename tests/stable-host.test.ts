import assert from "node:assert/strict";
import { DruidCluster, DruidClusterArgs } from "../index";
import { parseProperties } from "../components/core/properties";
import { Plan, planProgram, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { EnvVarLike, kubeletEnv } from "./support/kubelet-env";

// A MiddleManager, Indexer or Historical pod that Kubernetes recreates (node drain, eviction, a
// rollout) gets a new IP. Its druid.host must not change: the Overlord knows a worker's tasks by
// the worker's host, and HttpRemoteTaskRunner.taskAddedOrUpdated (apache/druid@druid-37.0.0,
// indexing-service/.../overlord/hrtr/HttpRemoteTaskRunner.java) shuts down every restored task a
// worker of another host reports ("Found worker[%s] running task[%s] which is being run by another
// worker[%s]"; the old worker's entry stays until druid.indexer.runner.taskCleanupTimeout). The
// test evaluates each StatefulSet's container environment as the kubelet does, for the same pod
// name with two IPs, and checks the name resolves through the StatefulSet's governing Service.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

const clusters: Record<string, () => DruidClusterArgs> = {
    "MiddleManagers and a Historical tier (ZooKeeper)": () => ({ ...defaultArgs(), data: { historicalTiers: [{ name: "default", volumeSize: "50Gi" }, { name: "hot", volumeSize: "50Gi", replicas: 2 }] } }),
    "MiddleManagers with TLS": () => ({ ...defaultArgs(), tls: { certManagerIssuer: "druid-ca" } }),
    "Indexers, Kubernetes discovery, TLS, ephemeral Historicals": () => ({
        ...defaultArgs(), namespace: "analytics", coordination: "kubernetes", tls: { certManagerIssuer: "druid-ca" },
        data: { ingestion: { worker: "indexer" }, historicalStorage: "ephemeral" },
    }),
};

async function render(args: DruidClusterArgs): Promise<{ plan: Plan; namespace: string; files: Record<string, Record<string, string>> }> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
    const files = await valueOf(result.configuration);
    if (files === undefined) throw new Error("configuration unknown");
    return { plan, namespace: String(await valueOf(result.namespace)), files };
}

describe("a recreated MiddleManager, Indexer or Historical pod keeps its druid.host", function () {
    this.timeout(60000);
    for (const [title, args] of Object.entries(clusters)) {
        it(`${title}: the same pod name with a new IP announces the same host, a name of its StatefulSet's headless Service`, async () => {
            const { plan, namespace, files } = await render(args());
            const sets = plan.ofType("kubernetes:apps/v1:StatefulSet").filter((s) => s.name.startsWith("druid-") && !s.name.includes("zookeeper"));
            assert.ok(sets.some((s) => /middlemanager|indexer/.test(s.name)) && sets.some((s) => s.name.includes("historical")), sets.map((s) => s.name).join(", "));
            for (const sts of sets) {
                const pod = at(sts.inputs, "spec", "template", "spec") as Obj;
                const container = (pod.containers as Obj[]).find((c) => c.name === "druid")!;
                // No command: the image's entrypoint (druid.sh) runs and turns druid_host into druid.host.
                assert.equal(container.command, undefined, sts.name);
                // Each variable once (POD_NAME also serves Kubernetes discovery).
                const names = (container.env as EnvVarLike[]).map((e) => e.name);
                assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], `${sts.name}: duplicate env`);
                const podName = `${String(at(sts.inputs, "metadata", "name"))}-1`;
                const before = kubeletEnv(container.env as EnvVarLike[], { name: podName, namespace, ip: "10.0.3.7" });
                const after = kubeletEnv(container.env as EnvVarLike[], { name: podName, namespace, ip: "10.0.8.21" });
                assert.ok(before.druid_host !== undefined, `${sts.name} sets druid_host`);
                assert.equal(after.druid_host, before.druid_host, `${sts.name}: druid.host survives the new IP`);
                assert.doesNotMatch(before.druid_host, /10[.-]0[.-]3[.-]7/, `${sts.name}: no IP in the host`);
                // The name is the pod's DNS name through the governing Service: <pod>.<serviceName>.<namespace>.svc.
                const serviceName = String(at(sts.inputs, "spec", "serviceName"));
                assert.equal(before.druid_host, `${podName}.${serviceName}.${namespace}.svc`);
                const service = plan.ofType("kubernetes:core/v1:Service").find((s) => at(s.inputs, "metadata", "name") === serviceName);
                assert.ok(service !== undefined, `${sts.name}: its serviceName ${serviceName} is a Service of the plan`);
                assert.equal(at(service.inputs, "spec", "clusterIP"), "None", `${serviceName} is headless (per-pod DNS records)`);
                assert.deepEqual(at(service.inputs, "spec", "selector"), at(sts.inputs, "spec", "selector", "matchLabels"), `${serviceName} selects the StatefulSet's pods`);
                // Druid is called by this name before its readiness passes (segment loads, task assignment).
                assert.equal(at(service.inputs, "spec", "publishNotReadyAddresses"), true, serviceName);
                // Nothing in the service's properties overrides druid.host.
                const key = sts.name.replace(/^druid-/, "");
                assert.equal(parseProperties(files[key]?.["runtime.properties"] ?? "")["druid.host"], undefined, key);
            }
            assert.equal(parseProperties(files._common["common.runtime.properties"])["druid.host"], undefined);
        });
    }
});
