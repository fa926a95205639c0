import assert from "node:assert/strict";
import { DruidCluster, DruidClusterArgs } from "../index";
import { planProgram } from "../testing";
import { resolveCluster } from "../components/plan/resolve";
import { generatedNames } from "../components/plan/validate-names";
import { defaultArgs } from "./fixtures/args";

// components/plan/validate-names.ts checks every object name the component creates against its kind's
// rule, from a list it computes. These tests hold that list to the plans: every Kubernetes object
// a plan registers is on it (so no name escapes the check), and every object on it is registered
// (except those Druid or cert-manager create). The plans come from the mocks of testing/mocks.ts.

const clusters: Record<string, DruidClusterArgs> = {
    "default": defaultArgs(),
    "everything on: Kubernetes coordination, task Jobs, metrics, Ingress, retention rules, metadata CA, static keys, autoscaling, access as code": {
        ...defaultArgs(),
        access: { roles: [{ name: "analysts", permissions: [{ type: "DATASOURCE", name: "web_.*", action: "READ" }] }], users: [{ name: "pipeline", roles: ["ingestion"], password: { name: "pipeline", key: "password" } }] },
        deepStorage: { accessMode: "staticKeys" },
        coordination: "kubernetes",
        data: { ingestion: { worker: "kubernetesJobs" }, historicalTiers: [{ name: "hot", volumeSize: "100Gi" }, { name: "cold", volumeSize: "1Ti" }] },
        query: { broker: { autoscaling: { minReplicas: 2, maxReplicas: 4 } }, router: { ingress: { host: "druid.example.com" } } },
        metrics: { serviceMonitor: true, alerts: true, dashboards: true },
        dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 1, cold: 1 } }] },
        metadataStore: { ...defaultArgs().metadataStore, sslMode: "verify-full", caCertificate: { pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" } },
        auth: { passwordGeneration: 2 },
    },
    // TLS here: with task Jobs it is refused (components/plan/validate-task-jobs-tls.ts).
    "Indexers, TLS (cert-manager), external ZooKeeper, auth off, no NetworkPolicies": {
        ...defaultArgs(),
        tls: { certManagerIssuer: "druid-ca" },
        auth: { enabled: false },
        networkPolicies: { enabled: false },
        zookeeper: { externalConnectString: "zk-0.zk:2181" },
        data: { ingestion: { worker: "indexer" } },
    },
    "zone-aware hot tier (3 zones, a Local Zone among them) and Indexers, a plain cold tier": {
        ...defaultArgs(),
        data: {
            historicalTiers: [{ name: "hot", volumeSize: "100Gi", zones: ["us-west-2a", "us-west-2b", "us-west-2-lax-1a"] }, { name: "cold", volumeSize: "1Ti" }],
            ingestion: { worker: "indexer", zones: ["us-west-2a", "us-west-2b"] },
        },
        dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 3, cold: 1 } }] },
    },
};

type Obj = Record<string, unknown>;

describe("generated object names (validate-names.ts) match the plans", function () {
    this.timeout(60000);
    for (const [title, args] of Object.entries(clusters)) {
        it(`${title}: every Kubernetes object is on the checked list, and the list holds nothing else`, async () => {
            const { plan } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
            const listed = generatedNames(resolveCluster("druid", args));
            const key = (kind: string, name: string) => `${kind}/${name}`;
            const expected = new Set(listed.map((g) => key(g.kind, g.name.replace(/-(config|access|zone-wave|wave)-0123456789$/, "-$1-HASH"))));
            const seen = new Set<string>();
            for (const r of plan.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) {
                // A claim patch creates its claim (k8s/volume-resize.ts): it is checked as the claim.
                const kind = r.type.split(":")[2] === "PersistentVolumeClaimPatch" ? "PersistentVolumeClaim" : r.type.split(":")[2];
                const name = (r.inputs.metadata as Obj | undefined)?.name;
                // Checked as arguments; the other patches name the object they patch.
                if (["Namespace", "StatefulSetPatch", "DeploymentPatch", "ConfigMapPatch"].includes(kind)) continue;
                // The Druid service account is named by an argument; the Overlord's is generated.
                if (kind === "ServiceAccount" && name === (args.serviceAccountName ?? "druid")) continue;
                // Cluster-scoped and auto-named by Pulumi (a random suffix keeps two clusters of one name in two namespaces apart): k8s/zone-wave.ts.
                if ((kind === "ClusterRole" || kind === "ClusterRoleBinding") && name === undefined && r.name === "druid-zone-wave-nodes") continue;
                assert.equal(typeof name, "string", `${r.urn} has no plain metadata.name`);
                const k = key(kind, (name as string).replace(/-(config|access|zone-wave|wave)-[0-9a-f]{10}$/, "-$1-HASH"));
                assert.ok(expected.has(k), `${k} is registered but not checked by validate-names.ts`);
                seen.add(k);
            }
            const createdElsewhere = (k: string) => /leaderelection/.test(k) || k === "Secret/druid-tls"; // by Druid; by cert-manager
            assert.deepEqual([...expected].filter((k) => !seen.has(k) && !createdElsewhere(k)), [], "listed but not registered");
        });
    }

    it("names the StatefulSet of a long cluster name with its length and the 52-character rule", () => {
        const name = `d${"x".repeat(39)}`;
        assert.throws(() => resolveCluster(name, defaultArgs()), (err: Error) => {
            assert.match(err.message, new RegExp(`invalid name \\(the resource name\\): got "${name}"; gives the StatefulSet name "${name}-historical-default" \\(59 characters\\)`));
            assert.match(err.message, /at most 52 characters/);
            assert.match(err.message, /kubernetes\/kubernetes#64023/);
            return true;
        });
    });

    it("accepts the longest cluster name the default tiers leave room for (33 characters)", () => {
        assert.doesNotThrow(() => resolveCluster(`d${"x".repeat(32)}`, defaultArgs()));
    });
});
