import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { render, RenderResult } from "../cli/render";
import { parseProperties } from "../components/core/properties";
import { checkObjectFiles } from "./support/kubernetes-schema";
import { busyboxBin, runScript } from "./support/busybox-run";
import { FakeCoordinator } from "./support/fake-basic-security";

// Every example a user can copy (examples/<dir>/index.ts), rendered in-process through the same code
// path as `npm run render -- examples/<dir>` (cli/render.ts, with the example's Pulumi.example.yaml as
// its stack configuration), every Kubernetes object it writes checked against the upstream schema of
// its kind, and per example the thing it demonstrates asserted on the files the render wrote.
// The examples are discovered, so a new one is rendered here without being listed; it must also say
// what it demonstrates (an entry in `demonstrates`), or the discovery test fails.

const root = path.join(__dirname, "..");
const examplesDir = path.join(root, "examples");
const discovered = fs.readdirSync(examplesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(examplesDir, e.name, "index.ts")))
    .map((e) => e.name)
    .sort();

interface Rendered { out: string; result: RenderResult }
interface PlannedResource { type: string; name: string; inputs: Record<string, unknown>; dependencies: string[] }

const read = (r: Rendered, file: string) => fs.readFileSync(path.join(r.out, file), "utf8");
const props = (r: Rendered, service: string) => parseProperties(read(r, path.join("config", "druid", service, service === "_common" ? "common.runtime.properties" : "runtime.properties")));
const object = <T>(r: Rendered, file: string) => YAML.parse(read(r, path.join("kubernetes", file))) as T;
const objects = (r: Rendered) => fs.readdirSync(path.join(r.out, "kubernetes")).filter((f) => f.endsWith(".yaml")).sort();
const plan = (r: Rendered) => (JSON.parse(read(r, "plan.json")) as { resources: PlannedResource[] }).resources;
const stackConfig = (example: string) => (YAML.parse(fs.readFileSync(path.join(examplesDir, example, "Pulumi.example.yaml"), "utf8")) as { config: Record<string, unknown> }).config;

interface Container { name: string; args?: string[]; readinessProbe?: { httpGet?: { scheme?: string; port: number } }; livenessProbe?: { httpGet?: { scheme?: string } }; startupProbe?: { httpGet?: { scheme?: string } } }
interface Workload {
    kind: string;
    metadata: { name: string };
    spec: { replicas: number; template: { spec: { containers: Container[]; affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey: string }[] } } } } };
}

/** The data-management Job's script as the render wrote it, run by busybox against a local server playing the Coordinator: what it POSTs. */
async function postsOfApplier(r: Rendered): Promise<{ url: string; body: unknown }[]> {
    const job = objects(r).find((f) => f.startsWith("job-druid-druid-config-"));
    assert.ok(job, "no data-management Job rendered");
    const configMap = object<{ data: { "apply.sh": string } }>(r, job.replace(/^job-/, "configmap-"));
    const seen: { url: string; body: unknown }[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => { body += c.toString("utf8"); });
        req.on("end", () => {
            seen.push({ url: req.url ?? "", body: JSON.parse(body) as unknown });
            res.writeHead(200);
            res.end();
        });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "example-applier-"));
    try {
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        for (const a of ["sh", "nc", "base64", "tr", "date", "sleep", "printf", "sed", "head", "wc", "cat", "echo"]) fs.symlinkSync("/bin/busybox", path.join(bin, a));
        const coordinator = "'http://druid-coordinator.druid.svc:8081'";
        const script = configMap.data["apply.sh"];
        assert.ok(script.includes(coordinator), "the script calls the Coordinator's Service");
        const local = script.replaceAll(coordinator, `'http://127.0.0.1:${(server.address() as AddressInfo).port}'`).replace("msg='/dev/termination-log'", `msg='${dir}/termination-log'`);
        const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
            execFile(path.join(bin, "sh"), ["-c", local], { env: { PATH: bin, DRUID_INTERNAL_CLIENT_PASSWORD: "pw" }, timeout: 60000 }, (err, _stdout, stderr) =>
                resolve({ code: err === null ? 0 : -1, stderr }));
        });
        assert.equal(run.code, 0, run.stderr);
        return seen;
    } finally {
        server.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** What each example demonstrates, asserted on its render. */
const demonstrates: Record<string, (r: Rendered) => void | Promise<void>> = {
    "quickstart": (r) => {
        const types = new Set(plan(r).map((p) => p.type));
        for (const t of ["aws:s3/bucket:Bucket", "aws:rds/instance:Instance"]) assert.ok(types.has(t), t);
        assert.equal(object<Workload>(r, "statefulset-druid-druid-zookeeper.yaml").spec.replicas, 3);
    },
    "platform": (r) => {
        assert.ok(plan(r).some((p) => p.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && p.name === "druid-metadata-cpu"));
    },
    "access-control": async (r) => {
        // OIDC for the console on the Router and the services it proxies to, after the basic authenticators.
        assert.equal(props(r, "router")["druid.auth.authenticatorChain"], '["MetadataStoreAuthenticator","LdapAuthenticator","OidcAuthenticator"]');
        assert.equal(props(r, "historical-default")["druid.auth.authenticatorChain"], undefined, "Historicals keep the common chain");
        assert.equal(props(r, "_common")["druid.auth.authenticatorChain"], '["MetadataStoreAuthenticator","LdapAuthenticator"]');
        assert.equal(props(r, "_common")["druid.auth.authenticator.LdapAuthenticator.credentialsValidator.url"], "ldaps://ldap.example.com:636");
        // The access Job's script as rendered, run by busybox against a server playing the
        // Coordinator's basic-security API (Druid's first state): the declared state results.
        const job = objects(r).find((f) => f.startsWith("job-druid-druid-access-"));
        assert.ok(job, "no access Job rendered");
        const script = object<{ data: { "apply.sh": string } }>(r, job.replace(/^job-/, "configmap-")).data["apply.sh"];
        const server = new FakeCoordinator("internal-pw");
        await server.start();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "example-access-"));
        try {
            const coordinator = "'http://druid-coordinator.druid.svc:8081'";
            assert.ok(script.includes(coordinator), "the script calls the Coordinator's Service");
            const local = script.replaceAll(coordinator, `'${server.url}'`);
            const bin = busyboxBin(["sh", "wget", "nc", "base64", "tr", "date", "sleep", "printf", "sed", "head", "wc", "cat", "echo", "awk", "sort", "grep"]);
            try {
                const run = await runScript(bin.bin, local.replace("msg='/dev/termination-log'", `msg='${dir}/termination-log'`),
                    { DRUID_INTERNAL_CLIENT_PASSWORD: "internal-pw", DRUID_ACCESS_PASSWORD_0: "pipeline-pw" }, path.join(dir, "termination-log"), 90000);
                assert.equal(run.code, 0, run.stderr + run.message);
            } finally {
                bin.remove();
            }
            const users = server.snapshot("MetadataStoreAuthorizer").users;
            assert.deepEqual(users["00u1a2b3c4d5e6f7g8h9"], ["analysts"]);
            assert.deepEqual(users.pipeline, ["ingestion"]);
            assert.deepEqual(server.snapshot("MetadataStoreAuthorizer").roles.analysts,
                ["DATASOURCE READ (web|sales)_.*", "STATE READ STATE", "SYSTEM_TABLE READ .*"]);
            assert.deepEqual(server.snapshot("LdapAuthorizer").groups.analysts, { groupPattern: "cn=analysts,ou=groups,dc=example,dc=com", roles: ["analysts"] });
            assert.deepEqual(server.snapshot("LdapAuthorizer").groups.operators.roles, ["read-only"]);
            assert.equal(server.accounts.get("pipeline"), "pipeline-pw");
        } finally {
            await server.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    },
    "hot-cold": async (r) => {
        const hot = object<Workload>(r, "statefulset-druid-druid-historical-hot.yaml");
        const cold = object<Workload>(r, "statefulset-druid-druid-historical-default.yaml");
        assert.equal(hot.spec.replicas, 2);
        assert.equal(cold.spec.replicas, 2);
        assert.equal(objects(r).filter((f) => f.startsWith("statefulset-druid-druid-historical-")).length, 2);
        const claim = object<{ spec: { storageClassName: string; resources: { requests: { storage: string } } } }>(r, "persistentvolumeclaim-druid-segment-cache-druid-historical-hot-0.yaml");
        assert.equal(claim.spec.storageClassName, stackConfig("hot-cold")["druid-hot-cold:hotStorageClass"]);
        assert.equal(claim.spec.resources.requests.storage, "200Gi");
        assert.equal(props(r, "historical-hot")["druid.server.tier"], "hot");
        assert.equal(props(r, "historical-hot")["druid.server.priority"], "1");
        assert.equal(props(r, "historical-default")["druid.server.tier"], "_default_tier");
        const recent = { type: "loadByPeriod", period: "P7D", includeFuture: true, tieredReplicants: { hot: 2, _default_tier: 1 } };
        const older = { type: "loadForever", tieredReplicants: { _default_tier: 2 } };
        assert.deepEqual(await postsOfApplier(r), [
            { url: "/druid/coordinator/v1/rules/_default", body: [recent, older] },
            { url: "/druid/coordinator/v1/rules/clickstream", body: [{ type: "dropBeforeByPeriod", period: "P90D" }, recent, older] },
            {
                url: "/druid/coordinator/v1/config/compaction",
                body: {
                    dataSource: "clickstream", skipOffsetFromLatest: "P1D",
                    tuningConfig: { type: "index_parallel", partitionsSpec: { type: "dynamic", maxRowsPerSegment: 5000000 } },
                    granularitySpec: { segmentGranularity: "DAY" },
                },
            },
        ]);
    },
    "zone-aware": async (r) => {
        // One StatefulSet per zone of the hot tier and of the MiddleManagers, pinned, labelled, OnDelete; the cold tier as usual.
        interface ZoneSet { metadata: { labels: Record<string, string> }; spec: { updateStrategy: { type: string }; template: { metadata: { labels: Record<string, string> };
            spec: { affinity: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: { key: string; operator: string; values: string[] }[] }[] } } } } } } }
        const zones = stackConfig("zone-aware")["druid-zone-aware:zones"] as string[];
        assert.deepEqual(objects(r).filter((f) => /^statefulset-druid-druid-(historical|middlemanager)/.test(f)), [
            "statefulset-druid-druid-historical-cold.yaml",
            "statefulset-druid-druid-historical-hot-a.yaml", "statefulset-druid-druid-historical-hot-b.yaml", "statefulset-druid-druid-historical-hot-c.yaml",
            "statefulset-druid-druid-middlemanager-a.yaml", "statefulset-druid-druid-middlemanager-b.yaml", "statefulset-druid-druid-middlemanager-c.yaml",
        ]);
        for (const [i, zone] of zones.entries()) {
            for (const group of ["historical-hot", "middlemanager"]) {
                const s = object<ZoneSet>(r, `statefulset-druid-druid-${group}-${"abc"[i]}.yaml`);
                assert.equal(s.spec.updateStrategy.type, "OnDelete");
                assert.equal(s.metadata.labels["druid.apache.org/zone"], zone);
                assert.equal(s.spec.template.metadata.labels["druid.apache.org/zone"], zone);
                assert.deepEqual(s.spec.template.spec.affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
                    [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }] }]);
                const pdb = object<{ spec: { maxUnavailable: number } }>(r, `poddisruptionbudget-druid-druid-${group}-${"abc"[i]}.yaml`);
                assert.equal(pdb.spec.maxUnavailable, 2, "the whole zone");
            }
            assert.equal(props(r, `historical-hot-${"abc"[i]}`)["druid.server.tier"], `hot-${zone}`);
        }
        // Zone-local Brokers: one Deployment per zone, pinned, each preferring its zone's hot tier, all announcing druid/broker.
        assert.deepEqual(objects(r).filter((f) => /^deployment-druid-druid-broker/.test(f)),
            ["deployment-druid-druid-broker-a.yaml", "deployment-druid-druid-broker-b.yaml", "deployment-druid-druid-broker-c.yaml"]);
        for (const [i, zone] of zones.entries()) {
            const d = object<ZoneSet>(r, `deployment-druid-druid-broker-${"abc"[i]}.yaml`);
            assert.equal(d.spec.template.metadata.labels["druid.apache.org/zone"], zone);
            assert.deepEqual(d.spec.template.spec.affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
                [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }] }]);
            const broker = props(r, `broker-${"abc"[i]}`);
            assert.equal(broker["druid.service"], "druid/broker");
            assert.equal(broker["druid.broker.select.tier"], "preferred");
            assert.equal(broker["druid.broker.select.tier.preferred.tier"], `hot-${zone}`);
        }
        assert.deepEqual(object<{ spec: { selector: Record<string, string> } }>(r, "service-druid-druid-broker.yaml").spec.selector,
            { "app.kubernetes.io/instance": "druid", "druid.apache.org/service": "broker" });
        // The zone waves: one Job per zone (each its own file), each after its zone's StatefulSet and the previous zone's Job.
        assert.deepEqual(objects(r).filter((f) => f.startsWith("job-druid-druid-wave-")), ["historical-hot", "middlemanager"].flatMap((g) => [..."abc"].map((z) => `job-druid-druid-wave-${g}-${z}.yaml`)));
        const dependsOn = (name: string) => plan(r).find((p) => p.name === name)!.dependencies.map((u) => u.slice(u.lastIndexOf("::") + 2));
        for (const g of ["historical-hot", "middlemanager"]) {
            for (const [i, z] of [..."abc"].entries()) {
                assert.ok(dependsOn(`druid-wave-${g}-${z}`).includes(`druid-${g}-${z}`), `the ${g} wave of zone ${z} after its StatefulSet`);
                assert.equal(dependsOn(`druid-wave-${g}-${z}`).includes(`druid-wave-${g}-${"abc"[i - 1]}`), i > 0, `the ${g} wave of zone ${z} after the previous zone's`);
            }
        }
        const waveEnv = (f: string) => Object.fromEntries(object<{ spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } } }>(r, f).spec.template.spec.containers[0].env.map((e) => [e.name, e.value]));
        assert.equal(waveEnv("job-druid-druid-wave-historical-hot-b.yaml").WAVE_ZONE, zones[1]);
        assert.equal(waveEnv("job-druid-druid-wave-historical-hot-b.yaml").WAVE_TIER, `hot-${zones[1]}`);
        assert.equal(object<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(r, "job-druid-druid-wave-middlemanager-c.yaml").spec.template.spec.containers[0].image,
            "curlimages/curl:8.16.0", "the wave Jobs' default image has curl (it verifies the API server; docs/zones.md \"Trust\")");
        assert.equal(object<ZoneSet>(r, "statefulset-druid-druid-historical-cold.yaml").spec.updateStrategy.type, "RollingUpdate");
        assert.equal(props(r, "historical-cold")["druid.server.tier"], "cold");
        // The rules, written on the logical tier "hot", reach the Coordinator as one replica per zone tier.
        assert.deepEqual(await postsOfApplier(r), [{
            url: "/druid/coordinator/v1/rules/_default",
            body: [
                { type: "loadByPeriod", period: "P7D", includeFuture: true, tieredReplicants: { ...Object.fromEntries(zones.map((z) => [`hot-${z}`, 1])), cold: 1 } },
                { type: "loadForever", tieredReplicants: { cold: 2 } },
            ],
        }]);
    },
    "kubernetes-native": (r) => {
        assert.deepEqual(objects(r).filter((f) => /zookeeper|middlemanager/.test(f)), []);
        assert.deepEqual(plan(r).filter((p) => /zookeeper|middlemanager/i.test(p.name)).map((p) => p.name), []);
        const common = props(r, "_common");
        assert.equal(common["druid.zk.service.enabled"], "false");
        assert.equal(common["druid.discovery.type"], "k8s");
        assert.equal(common["druid.zk.service.host"], undefined);
        const overlord = props(r, "overlord");
        assert.equal(overlord["druid.indexer.runner.type"], "k8s");
        assert.equal(overlord["druid.indexer.runner.capacity"], "8");
        const template = object<{ data: Record<string, string> }>(r, "configmap-druid-druid-task-template.yaml");
        const base = YAML.parse(Object.values(template.data)[0]) as { template: { spec: { containers: { resources: { requests: Record<string, string>; limits: Record<string, string> } }[] } } };
        assert.equal(base.template.spec.containers[0].resources.requests["ephemeral-storage"], "20Gi");
        assert.equal(base.template.spec.containers[0].resources.limits.cpu, "2");
        assert.equal(base.template.spec.containers[0].resources.limits.memory, "4Gi");
        // The Overlord may create and watch its task Jobs: a Role in the namespace, bound to its account.
        const role = object<{ rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] }>(r, "role-druid-druid-overlord.yaml");
        assert.ok(role.rules.some((rule) => rule.apiGroups.includes("batch") && rule.resources.includes("jobs") && rule.verbs.includes("create")), JSON.stringify(role.rules));
    },
    "high-availability": (r) => {
        const replicas = (f: string) => object<Workload>(r, f).spec.replicas;
        assert.equal(replicas("deployment-druid-druid-coordinator.yaml"), 2);
        assert.equal(replicas("deployment-druid-druid-overlord.yaml"), 2);
        assert.equal(replicas("deployment-druid-druid-broker.yaml"), 3);
        assert.equal(replicas("deployment-druid-druid-router.yaml"), 2);
        assert.equal(replicas("statefulset-druid-druid-historical-default.yaml"), 3);
        assert.equal(replicas("statefulset-druid-druid-zookeeper.yaml"), 5);
        for (const master of ["coordinator", "overlord"]) {
            const anti = object<Workload>(r, `deployment-druid-druid-${master}.yaml`).spec.template.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
            assert.deepEqual(anti?.map((a) => a.topologyKey), ["kubernetes.io/hostname"], master);
            assert.ok(objects(r).includes(`poddisruptionbudget-druid-druid-${master}.yaml`), master);
        }
        const rds = plan(r).find((p) => p.type === "aws:rds/instance:Instance");
        assert.equal(rds?.inputs.multiAz, true);
        assert.equal(rds?.inputs.instanceClass, "db.m7g.large");
        assert.equal(rds?.inputs.backupRetentionPeriod, 30);
    },
    "bring-your-own": (r) => {
        const config = stackConfig("bring-your-own");
        const c = (k: string) => config[`druid-bring-your-own:${k}`];
        const created = plan(r).map((p) => p.type);
        assert.deepEqual(created.filter((t) => t.startsWith("aws:s3") || t.startsWith("aws:rds")), []);
        assert.deepEqual(objects(r).filter((f) => f.includes("zookeeper")), []);
        const common = props(r, "_common");
        assert.equal(common["druid.storage.bucket"], c("bucketName"));
        assert.equal(common["druid.storage.baseKey"], `${String(c("bucketPrefix"))}/segments`);
        assert.equal(common["druid.zk.service.host"], c("zookeeperConnectString"));
        assert.equal(props(r, "coordinator")["druid.metadata.storage.connector.connectURI"],
            `jdbc:postgresql://${String(c("postgresHost"))}:5432/${String(c("postgresDatabase"))}?sslmode=verify-full&sslrootcert=/opt/druid/metadata-ca/ca.pem`);
        assert.equal(props(r, "coordinator")["druid.metadata.storage.connector.user"] ?? common["druid.metadata.storage.connector.user"], c("postgresUser"));
        // The CA the driver checks the server against: the PEM from the stack configuration, in a ConfigMap.
        const ca = object<{ data: Record<string, string> }>(r, "configmap-druid-druid-metadata-ca.yaml");
        assert.equal(ca.data["ca.pem"], c("postgresCaPem"));
        // A certificate openssl reads, as the driver will (not just text between BEGIN and END lines).
        const x509 = spawnSync("openssl", ["x509", "-noout", "-subject"], { input: ca.data["ca.pem"], encoding: "utf8" });
        assert.equal(x509.status, 0, x509.stderr);
        assert.match(x509.stdout, /CN ?= ?Example PostgreSQL CA/);
        // Task logs and MSQ's intermediate files share the bucket, under the same prefix.
        assert.equal(common["druid.indexer.logs.s3Bucket"], c("bucketName"));
        assert.equal(common["druid.indexer.logs.s3Prefix"], `${String(c("bucketPrefix"))}/indexing-logs`);
        assert.equal(common["druid.msq.intermediate.storage.prefix"], `${String(c("bucketPrefix"))}/msq-durable`);
        // The password, a stack secret, stays masked in the Secret the pods read.
        assert.match(read(r, path.join("kubernetes", "secret-druid-druid-metadata.yaml")), /password: "\[secret\]"/);
        // The pods' role reaches the existing bucket under the prefix only.
        const policy = JSON.parse(String(plan(r).find((p) => p.type === "aws:iam/rolePolicy:RolePolicy")?.inputs.policy)) as { Statement: { Sid: string; Resource: string[] }[] };
        assert.deepEqual(policy.Statement.find((s) => s.Sid === "ReadWriteDruidObjects")?.Resource, [`arn:aws:s3:::${String(c("bucketName"))}/${String(c("bucketPrefix"))}/*`]);
    },
    "tls-cert-manager": (r) => {
        const config = stackConfig("tls-cert-manager");
        const host = String(config["druid-tls-cert-manager:routerHost"]);
        const certificate = object<{ kind: string; spec: { issuerRef: { kind: string; name: string }; dnsNames: string[]; keystores: { pkcs12: { create: boolean } } } }>(r, "certificate-druid-druid-tls.yaml");
        assert.equal(certificate.kind, "Certificate");
        assert.deepEqual(certificate.spec.issuerRef, { kind: "ClusterIssuer", name: config["druid-tls-cert-manager:certManagerIssuer"] });
        assert.equal(certificate.spec.keystores.pkcs12.create, true);
        for (const name of ["druid-router.druid.svc", "druid-coordinator.druid.svc", "*.druid-historical-default.druid.svc", host]) assert.ok(certificate.spec.dnsNames.includes(name), name);
        const ingress = object<{ metadata: { annotations: Record<string, string> }; spec: { ingressClassName: string; rules: { host: string; http: { paths: { backend: { service: { name: string; port: { number: number } } } }[] } }[]; tls: { hosts: string[]; secretName: string }[] } }>(r, "ingress-druid-druid-router.yaml");
        assert.equal(ingress.spec.rules[0].host, host);
        assert.deepEqual(ingress.spec.tls, [{ hosts: [host], secretName: "druid-router-public-tls" }]);
        assert.equal(ingress.metadata.annotations["nginx.ingress.kubernetes.io/backend-protocol"], "HTTPS");
        assert.equal(ingress.spec.rules[0].http.paths[0].backend.service.port.number, Number(props(r, "router")["druid.tlsPort"]));
        const common = props(r, "_common");
        assert.equal(common["druid.enableTlsPort"], "true");
        assert.equal(common["druid.enablePlaintextPort"], "false");
        assert.equal(common["druid.auth.authenticatorChain"], '["MetadataStoreAuthenticator"]');
        // Every Druid container's probes go over HTTPS.
        const workloads = objects(r).filter((f) => /^(deployment|statefulset)-druid-druid-/.test(f) && !f.includes("zookeeper")).map((f) => object<Workload>(r, f));
        assert.ok(workloads.length >= 6, String(workloads.length));
        for (const w of workloads) {
            const druid = w.spec.template.spec.containers.find((c) => c.name === "druid");
            assert.ok(druid, w.metadata.name);
            for (const probe of [druid.readinessProbe, druid.livenessProbe, druid.startupProbe]) assert.equal(probe?.httpGet?.scheme, "HTTPS", w.metadata.name);
        }
        // Only the Ingress controller's namespace reaches the Router.
        const policy = object<{ spec: { ingress: { from: { namespaceSelector: { matchLabels: Record<string, string> } }[] }[] } }>(r, "networkpolicy-druid-druid-router-clients.yaml");
        assert.deepEqual(policy.spec.ingress[0].from, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": config["druid-tls-cert-manager:ingressNamespace"] } } }]);
    },
};

describe("examples (each rendered as `npm run render` does, its objects schema-checked, what it shows asserted)", function () {
    this.timeout(300000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "examples-test-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("discovers the examples, and each says what it demonstrates", () => {
        for (const e of ["quickstart", "platform", "hot-cold", "kubernetes-native", "high-availability", "bring-your-own", "tls-cert-manager"]) assert.ok(discovered.includes(e), e);
        assert.deepEqual(discovered, Object.keys(demonstrates).sort(), "a new example needs an entry in `demonstrates`");
        for (const e of discovered) {
            for (const f of ["Pulumi.yaml", "Pulumi.example.yaml", "README.md"]) assert.ok(fs.existsSync(path.join(examplesDir, e, f)), `${e}/${f}`);
            const project = (YAML.parse(fs.readFileSync(path.join(examplesDir, e, "Pulumi.yaml"), "utf8")) as { name: string }).name;
            // Every key of the example stack configuration is the project's or a provider's.
            for (const key of Object.keys(stackConfig(e))) assert.match(key, new RegExp(`^(${project}|aws):`), `${e}: ${key}`);
            assert.match(fs.readFileSync(path.join(examplesDir, "README.md"), "utf8"), new RegExp(`\\(${e}/?\\)`), `examples/README.md links ${e}`);
        }
        // Type-checked in CI with the package (tsconfig.check.json).
        const check = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.check.json"), "utf8")) as { include: string[] };
        for (const e of discovered) assert.ok(check.include.includes("examples/**/*.ts") || check.include.includes(`examples/${e}/**/*.ts`), `tsconfig.check.json includes examples/${e}`);
    });

    for (const example of discovered) {
        it(`${example}: renders (files written), every Kubernetes object passes its upstream schema, and ${demonstrates[example] ? "what it demonstrates holds" : "(nothing asserted)"}`, async () => {
            const out = path.join(tmp, example);
            const result = await render({ program: path.join(examplesDir, example), out });
            const r = { out, result };
            assert.ok(result.resources > 0 && result.files.length > 0);
            for (const f of result.files) assert.ok(fs.statSync(path.join(out, f)).size > 0, `${example}: ${f} written`);
            assert.ok(fs.existsSync(path.join(out, "plan.json")) && fs.existsSync(path.join(out, "config", "druid", "_common", "common.runtime.properties")));
            assert.match(read(r, "plan.txt"), new RegExp(`Resources: ${result.resources} to create`));
            const { checked } = checkObjectFiles(out);
            assert.ok(checked >= 25, `${example}: ${checked} objects checked`);
            assert.ok(demonstrates[example], `${example} has no entry in demonstrates`);
            await demonstrates[example](r);
        });
    }
});

// The YAML and Python examples, against the committed schema.json (what `pulumi package add` reads
// and the SDKs are generated from): every argument name they pass exists in the schema, at the level
// where it is passed, in that language's casing.

interface SchemaProp { $ref?: string; type?: string; items?: SchemaProp; additionalProperties?: SchemaProp }
interface Schema { resources: Record<string, { inputProperties: Record<string, SchemaProp>; requiredInputs: string[] }>; types: Record<string, { properties?: Record<string, SchemaProp> }> }

/**
 * The Python name Pulumi's SDK generator gives a schema property: its `PyName` state machine
 * (pulumi/pulumi@c9b719c6c0549e8af525b5cff9ae18b7599568d2:pkg/codegen/python/utilities.go, pyName
 * without the legacy flag): a word starts at each upper-case letter after a lower-case letter or
 * digit; an acronym ends before the upper-case letter that starts the next word; digits and an "s"
 * right after an acronym stay in it. (No property of this schema is a Python keyword.)
 */
export function pyName(name: string): string {
    const words: string[] = [];
    let current = "";
    let state: "first" | "upper" | "acronym" | "lower" = "first";
    const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
    for (const c of name) {
        if (state === "first") {
            current += c.toLowerCase();
            state = isUpper(c) ? "upper" : "lower";
        } else if (state === "upper") {
            current += c.toLowerCase();
            state = isUpper(c) ? "acronym" : "lower";
        } else if (state === "acronym") {
            if (isUpper(c)) {
                current += c.toLowerCase();
            } else if (/[0-9]/.test(c) || c === "s") {
                current += c;
                state = "lower";
            } else {
                words.push(current.slice(0, -1));
                current = current.slice(-1) + c;
                state = "lower";
            }
        } else if (isUpper(c)) {
            words.push(current);
            current = c.toLowerCase();
            state = "upper";
        } else {
            current += c;
        }
    }
    if (current !== "") words.push(current);
    return words.join("_");
}

function unknownNames(schema: Schema, value: unknown, props: Record<string, SchemaProp>, at: string, name: (p: string) => string): string[] {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
    const byName = new Map(Object.entries(props).map(([k, p]) => [name(k), p]));
    const found: string[] = [];
    const inner = (p: SchemaProp, v: unknown, where: string): string[] => {
        if (p.$ref?.startsWith("#/types/")) {
            const t = schema.types[p.$ref.slice("#/types/".length)];
            return t?.properties ? unknownNames(schema, v, t.properties, where, name) : [];
        }
        if (p.type === "array" && p.items && Array.isArray(v)) return v.flatMap((item, i) => inner(p.items!, item, `${where}[${i}]`));
        // A map (rules per datasource, labels): its keys are the user's; its values are checked.
        if (p.type === "object" && p.additionalProperties && v !== null && typeof v === "object") {
            return Object.entries(v).flatMap(([k, x]) => inner(p.additionalProperties!, x, `${where}[${k}]`));
        }
        return [];
    };
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const prop = byName.get(key);
        if (prop === undefined) found.push(`${at}.${key}`);
        else found.push(...inner(prop, v, `${at}.${key}`));
    }
    return found;
}

/** The keyword arguments of every `DruidCluster(...)` call in a Python file, read by Python's own parser (`ast`); values that are not literals are null. */
function pythonDruidClusterCalls(file: string): Record<string, unknown>[] {
    const script = [
        "import ast, json, sys",
        "def lit(n):",
        "    if isinstance(n, ast.Dict): return {k.value: lit(v) for k, v in zip(n.keys, n.values) if isinstance(k, ast.Constant)}",
        "    if isinstance(n, (ast.List, ast.Tuple)): return [lit(e) for e in n.elts]",
        "    if isinstance(n, ast.Constant): return n.value",
        "    return None",
        "calls = [c for c in ast.walk(ast.parse(open(sys.argv[1]).read())) if isinstance(c, ast.Call)",
        "         and getattr(c.func, 'attr', getattr(c.func, 'id', None)) == 'DruidCluster']",
        "print(json.dumps([{k.arg: lit(k.value) for k in c.keywords if k.arg != 'opts'} for c in calls]))",
    ].join("\n");
    const run = spawnSync("python3", ["-c", script, file], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout) as Record<string, unknown>[];
}

describe("the YAML and Python examples against schema.json", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8")) as Schema;
    const resource = schema.resources["druid:index:DruidCluster"];

    it("Python names are the generator's: camelCase properties in snake_case", () => {
        assert.equal(pyName("deepStorage"), "deep_storage");
        assert.equal(pyName("oidcProviderArn"), "oidc_provider_arn");
        assert.equal(pyName("queryP95Seconds"), "query_p95_seconds");
        assert.equal(pyName("SHA256Hash"), "sha256_hash");
        assert.equal(pyName("routerURLs"), "router_urls");
        assert.equal(pyName("enableHTTPServer"), "enable_http_server");
    });

    it("examples/python: every argument of DruidCluster(...) is a schema property in snake_case, the required ones given", () => {
        const calls = pythonDruidClusterCalls(path.join(examplesDir, "python", "__main__.py"));
        assert.equal(calls.length, 1, "one DruidCluster in the Python example");
        const args = calls[0];
        assert.ok(Object.keys(args).length >= 4, JSON.stringify(args));
        assert.deepEqual(unknownNames(schema, args, resource.inputProperties, "DruidCluster", pyName), []);
        for (const required of resource.requiredInputs) assert.ok(pyName(required) in args, `lacks ${pyName(required)}`);
        // Reached the nested levels: a misspelt nested key is found.
        const bad = { ...args, data: { historical_tiers: [{ name: "default", volumeSize: "100Gi" }] } };
        assert.deepEqual(unknownNames(schema, bad, resource.inputProperties, "DruidCluster", pyName), ["DruidCluster.data.historical_tiers[0].volumeSize"]);
    });

    it("examples/yaml: every property of the druid:DruidCluster resource is a schema property in camelCase, the required ones given", () => {
        const doc = YAML.parse(fs.readFileSync(path.join(examplesDir, "yaml", "Pulumi.yaml"), "utf8")) as { resources: Record<string, { type: string; properties?: Record<string, unknown> }> };
        const uses = Object.values(doc.resources).filter((r) => r.type === "druid:DruidCluster" || r.type === "druid:index:DruidCluster");
        assert.equal(uses.length, 1);
        const properties = uses[0].properties ?? {};
        assert.deepEqual(unknownNames(schema, properties, resource.inputProperties, "druid", (n) => n), []);
        for (const required of resource.requiredInputs) assert.ok(required in properties, `lacks ${required}`);
        const bad = { ...properties, query: { router: { service_type: "ClusterIP" } } };
        assert.deepEqual(unknownNames(schema, bad, resource.inputProperties, "druid", (n) => n), ["druid.query.router.service_type"]);
    });
});
