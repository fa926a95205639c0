import assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { DruidCluster, DruidClusterArgs } from "../index";
import { DruidArgumentError } from "../components/core/errors";
import { parseProperties } from "../components/core/properties";
import { Plan, planProgram, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";

// `namespace` from another resource's output (a Namespace the platform's program creates, with
// `createNamespace: false`): the cluster it plans must be the one a plain namespace gives, with the
// namespace in every host name and URL (ZooKeeper's connect string and ZOO_SERVERS, the TLS
// druid_host command, the Coordinator/Overlord URLs of the probe and applier scripts, the Overlord's
// runner namespace, cert-manager's DNS names, the IAM trust policy, the alert selectors).
//
// Mocks (testing/mocks.ts) stand for the AWS, Kubernetes and random providers: in update mode
// (`preview: false`, a `pulumi up`) they return the inputs plus fixed fake ids and ARNs, so a
// Namespace's `metadata.name` resolves to the name given and every Output below resolves.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const config = { "aws:region": "eu-west-1" };
const T = { sts: "kubernetes:apps/v1:StatefulSet", deploy: "kubernetes:apps/v1:Deployment", cm: "kubernetes:core/v1:ConfigMap", ns: "kubernetes:core/v1:Namespace" };

/** Two shapes that between them use the namespace everywhere it goes into text. */
const shapes: [string, () => DruidClusterArgs][] = [
    ["ZooKeeper, TLS, ephemeral Historicals (tier gate), data management (applier Job), alerts and dashboards", () => ({
        ...defaultArgs(), createNamespace: false, tls: { certManagerIssuer: "druid-ca" },
        data: { historicalStorage: "ephemeral" },
        dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { _default_tier: 1 } }] },
        metrics: { alerts: true, dashboards: true },
    })],
    // TLS with Kubernetes Jobs is refused (components/plan/validate-task-jobs-tls.ts).
    ["coordination \"kubernetes\", tasks as Kubernetes Jobs (the Overlord's runner namespace)", () => ({
        ...defaultArgs(), createNamespace: false,
        coordination: "kubernetes", data: { ingestion: { worker: "kubernetesJobs" } },
    })],
];

/** Every resource's inputs, by URN, without the user's own Namespace. */
function inputsByUrn(plan: Plan): Record<string, unknown> {
    return Object.fromEntries(plan.resources.filter((r) => !(r.type === T.ns && r.name === "platform-analytics")).map((r) => [r.urn, r.inputs]));
}

function container(plan: Plan, type: string, name: string): Obj {
    return at(plan.get(type, name).inputs, "spec", "template", "spec", "containers", 0) as Obj;
}

describe("namespace from another resource's output", function () {
    this.timeout(60000);

    for (const [what, args] of shapes) {
        it(`${what}: pulumi.output("analytics") and a Namespace's metadata.name plan the cluster "analytics" plans`, async () => {
            const plain = await planProgram(() => new DruidCluster("druid", { ...args(), namespace: "analytics" }), { preview: false, config });
            const output = await planProgram(() => new DruidCluster("druid", { ...args(), namespace: pulumi.output("analytics") }), { preview: false, config });
            const fromResource = await planProgram(() => {
                const ns = new k8s.core.v1.Namespace("platform-analytics", { metadata: { name: "analytics" } });
                return new DruidCluster("druid", { ...args(), namespace: ns.metadata.name });
            }, { preview: false, config });

            const files = await valueOf(plain.result.configuration);
            assert.deepEqual(await valueOf(output.result.configuration), files);
            assert.deepEqual(await valueOf(fromResource.result.configuration), files);
            assert.equal(await valueOf(fromResource.result.namespace), "analytics");
            // Every resource's inputs (pod specs, scripts, ConfigMaps, policies) are the same.
            assert.deepEqual(inputsByUrn(output.plan), inputsByUrn(plain.plan));
            assert.deepEqual(inputsByUrn(fromResource.plan), inputsByUrn(plain.plan));

            // The key values name the namespace.
            const plan = fromResource.plan;
            if (args().tls !== undefined) {
                const tlsCommand = (at(container(plan, T.deploy, "druid-coordinator"), "command") as string[])[2];
                assert.equal(tlsCommand, "export druid_host=\"$(echo \"$POD_IP\" | tr . -).analytics.pod.cluster.local\" && exec /druid.sh coordinator");
                const cert = plan.get("kubernetes:cert-manager.io/v1:Certificate", "druid-tls");
                assert.equal((at(cert.inputs, "spec", "dnsNames") as string[])[0], "*.analytics.pod.cluster.local");
            }
            const common = parseProperties(files!._common["common.runtime.properties"]);
            if (args().coordination === "kubernetes") {
                assert.equal(common["druid.zk.service.host"], undefined);
                assert.equal(parseProperties(files!.overlord["runtime.properties"])["druid.indexer.runner.namespace"], "analytics");
                const template = String(at(plan.get(T.cm, "druid-task-template").inputs, "data", "base.yaml"));
                assert.deepEqual(at(parse(template), "template", "spec", "containers", 0, "command"), ["/peon.sh"]);
            } else {
                const zk = "druid-zookeeper-0.druid-zookeeper-headless.analytics.svc.cluster.local:2181";
                assert.equal(common["druid.zk.service.host"].split(",")[0], zk);
                const env = at(container(plan, T.sts, "druid-zookeeper"), "env") as { name: string; value?: string }[];
                assert.match(String(env.find((e) => e.name === "ZOO_SERVERS")?.value), /druid-zookeeper-0\.druid-zookeeper-headless\.analytics\.svc\.cluster\.local:2888:3888/);
                assert.equal(await valueOf(fromResource.result.zookeeperConnectString), common["druid.zk.service.host"]);
                const gate = String((at(container(plan, T.sts, "druid-historical-default"), "startupProbe", "exec", "command") as string[])[2]);
                assert.match(gate, /get "https:\/\/druid-coordinator\.analytics\.svc:8281\/druid\/coordinator\/v1\/loadstatus\?full&computeUsingClusterView"/);
                const job = plan.ofType("kubernetes:batch/v1:Job")[0];
                // The script is the file of the ConfigMap of the Job's name (components/k8s/config-applier.ts).
                const script = plan.ofType("kubernetes:core/v1:ConfigMap").find((c) => at(c.inputs, "metadata", "name") === at(job.inputs, "metadata", "name"));
                assert.match(String(at(script?.inputs, "data", "apply.sh")), /apply coordinator 'https:\/\/druid-coordinator\.analytics\.svc:8281' '\/druid\/coordinator\/v1\/rules\/_default'/);
            }
        });
    }

    it("createNamespace: true names the component's Namespace after the Output", async () => {
        const { plan, result } = await planProgram(() => new DruidCluster("druid", { ...defaultArgs(), namespace: pulumi.output("analytics"), createNamespace: true }), { preview: false, config });
        assert.equal(at(plan.get(T.ns, "druid").inputs, "metadata", "name"), "analytics");
        assert.equal(await valueOf(result.namespace), "analytics");
    });

    for (const [what, args, pattern] of [
        ["not a DNS label", (): DruidClusterArgs => ({ ...defaultArgs(), createNamespace: false, namespace: pulumi.output("Analytics_Team") }),
            /namespace.*"Analytics_Team".*must be a DNS label/],
    ] as const) {
        it(`a namespace ${what}, given as an Output, fails with the DruidArgumentError when it resolves`, async () => {
            // Under the mocks the SDK raises a resource's failed inputs as an unhandled rejection
            // (runtime/resource.js, runAsyncResourceOp); the engine reports it as the program's error.
            const rejected: unknown[] = [];
            const record = (e: unknown) => { rejected.push(e); };
            process.on("unhandledRejection", record);
            try {
                const { result } = await planProgram(() => new DruidCluster("druid", args()), { preview: false, config });
                assert.ok(result instanceof DruidCluster, "the constructor accepts the Output");
                await new Promise((resolve) => setImmediate(resolve));
            } finally {
                process.off("unhandledRejection", record);
            }
            const errors = rejected.filter((e): e is DruidArgumentError => e instanceof DruidArgumentError);
            assert.ok(errors.length > 0, `expected a DruidArgumentError, got ${rejected.map(String).join("; ") || "nothing"}`);
            assert.match(errors[0].message, pattern);
        });
    }

    it("a plain invalid namespace still fails at plan time", () => {
        assert.throws(() => new DruidCluster("druid", { ...defaultArgs(), namespace: "Analytics_Team" }),
            (e: unknown) => e instanceof DruidArgumentError && /namespace/.test(e.message));
    });
});
