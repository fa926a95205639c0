import assert from "node:assert/strict";
import { DruidCluster, DruidClusterArgs } from "../index";
import { parseProperties } from "../components/core/properties";
import { networkPolicyPlans } from "../components/k8s/network-policies";
import { resolveCluster } from "../components/plan/resolve";
import { Plan, PlannedResource, planProgram, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";

// Mocks (testing/mocks.ts) stand for the providers in update mode: fixed ids, ARNs and a fake
// "mock-password-<name>" for every generated password.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

async function build(args: DruidClusterArgs): Promise<{ plan: Plan; cluster: DruidCluster }> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
    return { plan, cluster: result };
}
const workloads = (p: Plan) => [...p.ofType("kubernetes:apps/v1:StatefulSet"), ...p.ofType("kubernetes:apps/v1:Deployment")].filter((r) => r.name !== "druid-zookeeper");
const container = (r: PlannedResource) => (at(r.inputs, "spec", "template", "spec", "containers") as Obj[])[0];
const common = (p: Plan) => parseProperties(String(at(p.get("kubernetes:core/v1:ConfigMap", "druid-common").inputs, "data", "common.runtime.properties")));

describe("secure by default", () => {
    it("auth is on: basic-security loaded, authenticator, authorizer and escalator configured, passwords from a Secret", async () => {
        const { plan } = await build(defaultArgs());
        const c = common(plan);
        assert.ok((JSON.parse(c["druid.extensions.loadList"]) as string[]).includes("druid-basic-security"));
        assert.equal(c["druid.auth.authenticatorChain"], "[\"MetadataStoreAuthenticator\"]");
        assert.equal(c["druid.escalator.type"], "basic");
        const coordinatorEnv = container(plan.get("kubernetes:apps/v1:Deployment", "druid-coordinator")).env as Obj[];
        assert.deepEqual(coordinatorEnv.find((e) => e.name === "DRUID_ADMIN_PASSWORD")?.valueFrom, { secretKeyRef: { key: "admin-password", name: "druid-auth" } });
        const brokerEnv = container(plan.get("kubernetes:apps/v1:Deployment", "druid-broker")).env as Obj[];
        assert.equal(brokerEnv.some((e) => e.name === "DRUID_ADMIN_PASSWORD"), false, "only the Coordinator creates the admin user");
        assert.ok(brokerEnv.some((e) => e.name === "DRUID_INTERNAL_CLIENT_PASSWORD"));
    });

    it("auth can be turned off, and then no auth keys are written", async () => {
        const { plan, cluster } = await build({ ...defaultArgs(), auth: { enabled: false } });
        const c = common(plan);
        assert.equal(c["druid.auth.authenticatorChain"], undefined);
        assert.ok(!(JSON.parse(c["druid.extensions.loadList"]) as string[]).includes("druid-basic-security"));
        assert.equal(plan.ofType("kubernetes:core/v1:Secret").some((s) => s.name === "druid-auth"), false);
        assert.equal(await valueOf(cluster.adminPassword), "");
    });

    it("a user-given admin password is used and stays secret", async () => {
        const { plan, cluster } = await build({ ...defaultArgs(), auth: { adminPassword: "Given-Admin-Password-1" } });
        assert.equal(await valueOf(cluster.adminPassword), "Given-Admin-Password-1");
        assert.ok(!JSON.stringify(plan.resources).includes("Given-Admin-Password-1"));
    });
});

describe("network policies", () => {
    it("ZooKeeper from Druid pods and its peers; Druid from Druid; Router from allowed namespaces and CIDRs; metrics port", () => {
        const plan = resolveCluster("druid", { ...defaultArgs(), networkPolicies: { routerAllowedNamespaces: ["apps"], routerAllowedCidrs: ["10.20.0.0/16"], brokerDirectAccess: true } });
        const policies = Object.fromEntries(networkPolicyPlans(plan, true).map((p) => [p.name, p]));
        assert.deepEqual(Object.keys(policies).sort(), ["druid-broker-clients", "druid-druid-internal", "druid-metrics", "druid-router-clients", "druid-zookeeper", "druid-zookeeper-metrics"]);
        // ZooKeeper's Prometheus provider listens on 7000, on ZooKeeper pods only.
        assert.deepEqual(policies["druid-zookeeper-metrics"].ingress, [{ ports: [{ port: 7000, protocol: "TCP" }] }]);
        assert.deepEqual(policies["druid-zookeeper-metrics"].podSelector, { "app.kubernetes.io/component": "zookeeper", "app.kubernetes.io/instance": "druid" });
        const zk = policies["druid-zookeeper"];
        assert.deepEqual(zk.podSelector, { "app.kubernetes.io/component": "zookeeper", "app.kubernetes.io/instance": "druid" });
        assert.deepEqual(zk.ingress[0], { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": "druid", "app.kubernetes.io/name": "druid" } } }], ports: [{ port: 2181, protocol: "TCP" }] });
        assert.deepEqual((zk.ingress[1].ports as Obj[]).map((p) => p.port), [2181, 2888, 3888]);
        assert.deepEqual(policies["druid-druid-internal"].ingress, [{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": "druid", "app.kubernetes.io/name": "druid" } } }] }]);
        assert.deepEqual(policies["druid-router-clients"].ingress[0], {
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "apps" } } }, { ipBlock: { cidr: "10.20.0.0/16" } }],
            ports: [{ port: 8888, protocol: "TCP" }],
        });
        assert.deepEqual(policies["druid-broker-clients"].ingress[0].ports, [{ port: 8082, protocol: "TCP" }]);
        assert.deepEqual(policies["druid-metrics"].ingress, [{ ports: [{ port: 9000, protocol: "TCP" }] }]);
    });

    it("the Druid pod selector matches every Druid workload and no ZooKeeper pod", async () => {
        const { plan } = await build(defaultArgs());
        const internal = plan.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "druid-druid-internal");
        const selector = at(internal.inputs, "spec", "podSelector", "matchLabels") as Record<string, string>;
        const matches = (r: PlannedResource) => Object.entries(selector).every(([k, v]) => at(r.inputs, "spec", "template", "metadata", "labels", k) === v);
        for (const w of workloads(plan)) assert.ok(matches(w), w.name);
        assert.equal(matches(plan.get("kubernetes:apps/v1:StatefulSet", "druid-zookeeper")), false);
    });

    it("can be turned off", async () => {
        const { plan } = await build({ ...defaultArgs(), networkPolicies: { enabled: false } });
        assert.equal(plan.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").length, 0);
    });
});

describe("TLS", () => {
    const tlsArgs = (): DruidClusterArgs => ({ ...defaultArgs(), tls: { certManagerIssuer: "internal-ca", certManagerIssuerKind: "ClusterIssuer" } });

    it("switches every port, probe, Service and the Router URL to TLS, with cert-manager's Certificate", async () => {
        const { plan, cluster } = await build(tlsArgs());
        const c = common(plan);
        assert.equal(c["druid.enablePlaintextPort"], "false");
        assert.equal(c["druid.enableTlsPort"], "true");
        assert.equal(c["druid.server.https.keyStorePath"], "/opt/druid/tls/keystore.p12");
        assert.deepEqual(JSON.parse(c["druid.client.https.trustStorePassword"]), { type: "environment", variable: "DRUID_TLS_PASSWORD" });
        assert.ok((JSON.parse(c["druid.extensions.loadList"]) as string[]).includes("simple-client-sslcontext"));
        const expected: Record<string, number> = {
            "druid-coordinator": 8281, "druid-overlord": 8290, "druid-broker": 8282, "druid-router": 9088, "druid-historical-default": 8283, "druid-middlemanager": 8291,
        };
        for (const w of workloads(plan)) {
            const ctr = container(w);
            const port = expected[w.name];
            assert.equal(at(ctr, "ports", 0, "containerPort"), port, w.name);
            for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
                assert.deepEqual([at(ctr, probe, "httpGet", "port"), at(ctr, probe, "httpGet", "scheme")], [port, "HTTPS"], `${w.name} ${probe}`);
                // The kubelet probes the pod IP; Jetty 12 wants a Host the certificate names.
                assert.deepEqual(at(ctr, probe, "httpGet", "httpHeaders"), [{ name: "Host", value: `${w.name}.druid.svc` }], `${w.name} ${probe}`);
            }
            if (w.type === "kubernetes:apps/v1:StatefulSet") {
                // A StatefulSet pod announces its stable name (the image's druid.sh reads druid_host).
                assert.equal(ctr.command, undefined, w.name);
                const env = ctr.env as { name: string; value?: string }[];
                assert.equal(env.find((e) => e.name === "druid_host")?.value, `$(POD_NAME).${w.name}.druid.svc`, w.name);
            } else {
                assert.match(String((ctr.command as string[])[2]), /export druid_host="\$\(echo "\$POD_IP" \| tr \. -\)\.druid\.pod\.cluster\.local"/);
            }
            const cm = plan.get("kubernetes:core/v1:ConfigMap", w.name);
            const props = parseProperties(String(at(cm.inputs, "data", "runtime.properties")));
            assert.equal(props["druid.tlsPort"], String(port));
            assert.equal(props["druid.plaintextPort"], undefined);
            assert.equal(at(plan.get("kubernetes:core/v1:Service", w.name).inputs, "spec", "ports", 0, "port"), port);
        }
        assert.equal(await valueOf(cluster.routerUrl), "https://druid-router.druid.svc.cluster.local:9088");
        const cert = plan.get("kubernetes:cert-manager.io/v1:Certificate", "druid-tls");
        assert.deepEqual(at(cert.inputs, "spec", "issuerRef"), { kind: "ClusterIssuer", name: "internal-ca" });
        const dns = at(cert.inputs, "spec", "dnsNames") as string[];
        assert.ok(dns.includes("*.druid.pod.cluster.local") && dns.includes("druid-broker.druid.svc.cluster.local"));
        assert.ok(dns.includes("*.druid-middlemanager.druid.svc") && dns.includes("*.druid-historical-default.druid.svc"), dns.join(", "));
        assert.equal(at(cert.inputs, "spec", "keystores", "pkcs12", "create"), true);
    });

    it("an existing keystore Secret with custom keys", async () => {
        const { plan } = await build({ ...defaultArgs(), tls: { secretName: "druid-keystores", keystoreKey: "ks.p12", truststoreKey: "ts.p12", passwordKey: "pw" } });
        assert.equal(plan.ofType("kubernetes:cert-manager.io/v1:Certificate").length, 0);
        const broker = plan.get("kubernetes:apps/v1:Deployment", "druid-broker");
        const volume = (at(broker.inputs, "spec", "template", "spec", "volumes") as Obj[]).find((v) => v.name === "tls");
        assert.deepEqual(volume?.secret, { items: [{ key: "ks.p12", path: "keystore.p12" }, { key: "ts.p12", path: "truststore.p12" }], secretName: "druid-keystores" });
        const env = container(broker).env as Obj[];
        assert.deepEqual(env.find((e) => e.name === "DRUID_TLS_PASSWORD")?.valueFrom, { secretKeyRef: { key: "pw", name: "druid-keystores" } });
    });
});

describe("metrics", () => {
    it("Prometheus by default: exporter on every Druid pod, scrape annotations, ZooKeeper's provider; Peons do not bind the port", async () => {
        const { plan } = await build(defaultArgs());
        for (const w of workloads(plan)) {
            assert.equal(at(w.inputs, "spec", "template", "metadata", "annotations", "prometheus.io/port"), "9000", w.name);
            assert.ok((container(w).ports as Obj[]).some((p) => p.name === "metrics" && p.containerPort === 9000), w.name);
        }
        const mm = parseProperties(String(at(plan.get("kubernetes:core/v1:ConfigMap", "druid-middlemanager").inputs, "data", "runtime.properties")));
        assert.equal(mm["druid.indexer.fork.property.druid.emitter"], "noop");
        const zkEnv = container(plan.get("kubernetes:apps/v1:StatefulSet", "druid-zookeeper")).env as Obj[];
        assert.match(String(zkEnv.find((e) => e.name === "ZOO_CFG_EXTRA")?.value), /metricsProvider\.httpPort=7000/);
        assert.equal(plan.ofType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").length, 0, "only when asked");
    });

    it("a ServiceMonitor when asked; no exporter with metrics off", async () => {
        const { plan } = await build({ ...defaultArgs(), metrics: { serviceMonitor: true } });
        const sm = plan.get("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "druid-druid");
        assert.deepEqual(at(sm.inputs, "spec", "endpoints", 0), { interval: "30s", path: "/metrics", port: "metrics" });
        const { plan: off } = await build({ ...defaultArgs(), metrics: { emitter: "none" } });
        assert.equal(common(off)["druid.emitter"], "noop");
        for (const w of workloads(off)) assert.equal((container(w).ports as Obj[]).length, 1, w.name);
    });
});

describe("autoscaling", () => {
    it("a HorizontalPodAutoscaler for the Brokers, the Deployment leaves replicas to it", async () => {
        const { plan } = await build({ ...defaultArgs(), query: { broker: { autoscaling: { minReplicas: 2, maxReplicas: 6 } } } });
        const hpa = plan.get("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "druid-broker");
        assert.equal(at(hpa.inputs, "spec", "minReplicas"), 2);
        assert.equal(at(hpa.inputs, "spec", "maxReplicas"), 6);
        assert.equal(at(hpa.inputs, "spec", "metrics", 0, "resource", "target", "averageUtilization"), 70);
        const deployment = plan.get("kubernetes:apps/v1:Deployment", "druid-broker");
        assert.deepEqual(deployment.ignoreChanges, ["spec.replicas"]);
        // An HPA does not scale a workload at zero: the patch starts it at minReplicas, then leaves the count to the HPA.
        const patch = plan.get("kubernetes:apps/v1:DeploymentPatch", "druid-broker-replicas");
        assert.equal(at(patch.inputs, "spec", "replicas"), 2);
        assert.deepEqual(patch.ignoreChanges, ["spec.replicas"]);
    });
});

describe("query from deep storage", () => {
    it("durable storage on the cluster's bucket under its own prefix, covered by the IAM policy's prefix", async () => {
        const { plan } = await build(defaultArgs());
        const c = common(plan);
        assert.equal(c["druid.msq.intermediate.storage.enable"], "true");
        assert.equal(c["druid.msq.intermediate.storage.bucket"], "druid-deep-storage-bucket");
        assert.equal(c["druid.msq.intermediate.storage.prefix"], "druid/msq-durable");
        const policy = JSON.parse(String(plan.get("aws:iam/rolePolicy:RolePolicy", "druid-deep-storage-druid").inputs.policy)) as { Statement: { Resource: string[] }[] };
        assert.deepEqual(policy.Statement[2].Resource, ["arn:aws:s3:::druid-deep-storage-bucket/druid/*"]);
    });
});
