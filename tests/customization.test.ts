import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { DruidCluster, DruidClusterArgs } from "../index";
import { clusterTagKey } from "../components/plan/resolve-customization";
import { Plan, PlannedResource, planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { checkRestricted } from "./support/pod-security-restricted";

// Customisation a platform team needs without forking (components/plan/resolve-customization.ts,
// components/k8s/customization.ts). The mocks (testing/mocks.ts) stand for the AWS and Kubernetes
// providers in update mode: the plan holds every resource's inputs as the providers would get them.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

const custom = {
    tags: { team: "data-platform", "cost-center": "4711" },
    kubernetes: {
        labels: { "example.com/team": "data-platform" },
        annotations: { "example.com/owner": "data@example.com" },
        podLabels: { "sidecar.istio.io/inject": "false" },
        podAnnotations: { "example.com/scrape-logs": "true" },
        imagePullSecrets: ["registry-creds"],
        priorityClassName: "data-high",
    },
} satisfies Partial<DruidClusterArgs>;

/** Clusters that between them create every AWS and Kubernetes resource type of the component. */
const clusters: Record<string, DruidClusterArgs> = {
    "default (IRSA, ZooKeeper, MiddleManagers)": { ...defaultArgs(), ...custom },
    "static keys, CIDR access, TLS, ingress, data management, alerts": {
        ...defaultArgs(), ...custom,
        deepStorage: { accessMode: "staticKeys" },
        metadataStore: { ...defaultArgs().metadataStore, allowedCidrBlocks: ["10.0.0.0/16"], sslMode: "verify-full", caCertificate: { pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" } },
        tls: { certManagerIssuer: "druid-ca" },
        query: { router: { ingress: { host: "druid.example.com" } } },
        metrics: { serviceMonitor: true, alerts: true, dashboards: true },
        dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { _default_tier: 2 } }] },
    },
    "Pod Identity, no ZooKeeper, tasks as Jobs, Indexer-free": {
        ...defaultArgs(), ...custom,
        deepStorage: { accessMode: "podIdentity", eksClusterName: "eks" },
        coordination: "kubernetes",
        data: { ingestion: { worker: "kubernetesJobs" } },
    },
};

async function planOf(args: DruidClusterArgs): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } })).plan;
}

/** Whether the @pulumi/aws resource behind a type token takes `tags` (its Args interface in the package's typings). */
function takesTags(type: string): boolean {
    // "aws:s3/bucket:Bucket" -> @pulumi/aws/s3/bucket.d.ts, interface BucketArgs
    const m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
    assert.ok(m, type);
    const file = path.join(path.dirname(require.resolve("@pulumi/aws/package.json")), m[1], `${m[2]}.d.ts`);
    const text = fs.readFileSync(file, "utf8");
    const start = text.indexOf(`export interface ${m[3]}Args {`);
    assert.ok(start >= 0, `${file} has no ${m[3]}Args`);
    const body = text.slice(start, text.indexOf("\n}", start));
    return /\n\s+tags\?: pulumi\.Input</.test(body);
}

const isK8sObject = (r: PlannedResource) => r.custom && r.type.startsWith("kubernetes:") && !r.type.endsWith("Patch");
const podTemplates = (p: Plan) => p.resources.filter((r) => ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:batch/v1:Job"].includes(r.type))
    .map((r) => ({ name: `${r.type} ${r.name}`, template: at(r.inputs, "spec", "template") as Obj }));

describe("customisation: tags, labels, annotations and pod settings reach every object they claim to", function () {
    this.timeout(120000);

    for (const [title, args] of Object.entries(clusters)) {
        describe(title, () => {
            let plan: Plan;
            before(async () => { plan = await planOf(args); });

            it("every AWS resource that takes tags has the user's tags and the component's own; the others take none", () => {
                const aws = plan.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
                assert.ok(aws.length > 0);
                let tagged = 0;
                for (const r of aws) {
                    if (takesTags(r.type)) {
                        assert.deepEqual(r.inputs.tags, { team: "data-platform", "cost-center": "4711", [clusterTagKey]: "druid" }, `${r.type} ${r.name}`);
                        tagged++;
                    } else {
                        assert.equal(r.inputs.tags, undefined, `${r.type} ${r.name}`);
                    }
                }
                assert.ok(tagged >= 3, `only ${tagged} tagged`);
            });

            it("every Kubernetes object has the labels and annotations, with the component's own kept", () => {
                const objects = plan.resources.filter(isK8sObject);
                assert.ok(objects.length > 10);
                for (const r of objects) {
                    assert.equal(at(r.inputs, "metadata", "labels", "example.com/team"), "data-platform", `${r.type} ${r.name}`);
                    assert.equal(at(r.inputs, "metadata", "annotations", "example.com/owner"), "data@example.com", `${r.type} ${r.name}`);
                }
                assert.equal(at(plan.get("kubernetes:core/v1:Namespace", "druid").inputs, "metadata", "labels", "pod-security.kubernetes.io/enforce"), "restricted");
            });

            it("every pod template has the pod labels, annotations, pull secret and priority class; selectors and the component's labels unchanged", async () => {
                const plain = await planOf({ ...args, tags: undefined, kubernetes: undefined });
                const templates = podTemplates(plan);
                assert.ok(templates.length >= 5);
                for (const { name, template } of templates) {
                    assert.equal(at(template, "metadata", "labels", "sidecar.istio.io/inject"), "false", name);
                    assert.equal(at(template, "metadata", "annotations", "example.com/scrape-logs"), "true", name);
                    assert.deepEqual(at(template, "spec", "imagePullSecrets"), [{ name: "registry-creds" }], name);
                    assert.equal(at(template, "spec", "priorityClassName"), "data-high", name);
                    const before = podTemplates(plain).find((t) => t.name === name)!;
                    const labels = at(before.template, "metadata", "labels") as Obj;
                    for (const [k, v] of Object.entries(labels)) assert.equal(at(template, "metadata", "labels", k), v, `${name}: ${k}`);
                }
                for (const r of plan.resources.filter((x) => x.type === "kubernetes:apps/v1:Deployment" || x.type === "kubernetes:apps/v1:StatefulSet")) {
                    assert.deepEqual(at(r.inputs, "spec", "selector"), at(plain.get(r.type, r.name).inputs, "spec", "selector"), r.name);
                }
            });

            it("the task pods' template (tasks as Jobs) carries the pod settings too", () => {
                const template = plan.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "druid-task-template");
                if (args.data?.ingestion?.worker !== "kubernetesJobs") {
                    assert.equal(template, undefined);
                    return;
                }
                const pod = YAML.parse(String(Object.values(template!.inputs.data as Obj)[0])) as Obj;
                assert.equal(at(pod, "template", "metadata", "labels", "sidecar.istio.io/inject"), "false");
                assert.equal(at(pod, "template", "metadata", "annotations", "example.com/scrape-logs"), "true");
                assert.deepEqual(at(pod, "template", "spec", "imagePullSecrets"), [{ name: "registry-creds" }]);
                assert.equal(at(pod, "template", "spec", "priorityClassName"), "data-high");
                assert.equal(at(pod, "template", "metadata", "labels", "app.kubernetes.io/component"), "task");
            });
        });
    }

    it("nothing given: no object changes (existing clusters do not roll)", async () => {
        const plain = await planOf(defaultArgs());
        const empty = await planOf({ ...defaultArgs(), kubernetes: {} });
        for (const r of plain.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) {
            assert.deepEqual(empty.get(r.type, r.name).inputs, r.inputs, `${r.type} ${r.name}`);
        }
    });

    it("per service: env, volumes, mounts, sidecars, init containers and priority class reach that service's pods only, restricted", async () => {
        const plan = await planOf({
            ...defaultArgs(),
            kubernetes: { priorityClassName: "data-high" },
            query: {
                broker: {
                    priorityClassName: "query-critical",
                    env: [{ name: "JAVA_TOOL_OPTIONS", value: "-XX:+ExitOnOutOfMemoryError" }, { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
                    volumes: [{ name: "ca-bundle", configMap: { name: "corporate-ca" } }, { name: "shipper-state", emptyDir: { sizeLimit: "1Gi" } }],
                    volumeMounts: [{ name: "ca-bundle", mountPath: "/etc/corporate-ca", readOnly: true }],
                    sidecars: [{
                        name: "log-shipper", image: "fluent/fluent-bit:3.2.2", args: ["-c", "/fluent-bit/etc/fluent-bit.conf"],
                        ports: [{ name: "http", containerPort: 2020 }], resources: { cpu: "100m", memory: "128Mi" },
                        volumeMounts: [{ name: "var", mountPath: "/druid-var", readOnly: true }, { name: "shipper-state", mountPath: "/state" }],
                    }],
                    initContainers: [{ name: "wait-for-proxy", image: "busybox:1.37", command: ["sh", "-c", "true"] }],
                },
            },
            data: { historicalTiers: [{ name: "default", volumeSize: "100Gi", env: [{ name: "TIER_NOTE", value: "hot" }] }] },
        });
        const broker = plan.get("kubernetes:apps/v1:Deployment", "druid-broker");
        const spec = at(broker.inputs, "spec", "template", "spec") as Obj;
        assert.equal(spec.priorityClassName, "query-critical", "the service's own class wins over the cluster's");
        const containers = spec.containers as Obj[];
        assert.deepEqual(containers.map((c) => c.name), ["druid", "log-shipper"]);
        const env = containers[0].env as Obj[];
        assert.deepEqual(env.slice(-2), [
            { name: "JAVA_TOOL_OPTIONS", value: "-XX:+ExitOnOutOfMemoryError" }, { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
        ]);
        assert.ok(env.some((e) => e.name === "AWS_REGION"), "the component's own variables stay");
        assert.deepEqual((containers[0].volumeMounts as Obj[]).at(-1), { name: "ca-bundle", mountPath: "/etc/corporate-ca", readOnly: true });
        assert.deepEqual((spec.volumes as Obj[]).slice(-2), [{ name: "ca-bundle", configMap: { name: "corporate-ca" } }, { name: "shipper-state", emptyDir: { sizeLimit: "1Gi" } }]);
        assert.deepEqual(containers[1].ports, [{ name: "http", containerPort: 2020, protocol: "TCP" }]);
        assert.deepEqual(containers[1].resources, { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "100m", memory: "128Mi" } });
        assert.deepEqual((spec.initContainers as Obj[]).map((c) => c.name), ["wait-for-proxy"]);
        for (const c of [...containers, ...(spec.initContainers as Obj[])]) {
            assert.deepEqual(c.securityContext, containers[0].securityContext, `${String(c.name)} runs with the restricted container security context`);
        }
        assert.deepEqual(checkRestricted(spec as Parameters<typeof checkRestricted>[0]), [], "the broker pod still meets Pod Security restricted");
        // Other services: the cluster's class, none of the broker's extras; the tier has its own variable.
        const router = at(plan.get("kubernetes:apps/v1:Deployment", "druid-router").inputs, "spec", "template", "spec") as Obj;
        assert.equal(router.priorityClassName, "data-high");
        assert.equal((router.containers as Obj[]).length, 1);
        assert.equal(router.initContainers, undefined);
        const historical = at(plan.get("kubernetes:apps/v1:StatefulSet", "druid-historical-default").inputs, "spec", "template", "spec", "containers", 0, "env") as Obj[];
        assert.deepEqual(historical.at(-1), { name: "TIER_NOTE", value: "hot" });
    });
});
