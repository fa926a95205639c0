import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { render, RenderResult } from "../cli/render";
import { parseProperties } from "../components/config/properties";
import { checkObjectFiles } from "./support/kubernetes-schema";

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
        const ca = objects(r).map((f) => object<{ kind: string; data?: Record<string, string> }>(r, f)).find((o) => o.kind === "ConfigMap" && o.data?.["ca.pem"] !== undefined);
        assert.equal(ca?.data?.["ca.pem"], c("postgresCaPem"));
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
    const rendered = new Map<string, Rendered>();
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
            rendered.set(example, r);
            assert.ok(result.resources > 0 && result.files.length > 0);
            assert.ok(fs.existsSync(path.join(out, "plan.json")) && fs.existsSync(path.join(out, "config", "druid", "_common", "common.runtime.properties")));
            assert.match(read(r, "plan.txt"), new RegExp(`Resources: ${result.resources} to create`));
            const { checked } = checkObjectFiles(out);
            assert.ok(checked >= 25, `${example}: ${checked} objects checked`);
            assert.ok(demonstrates[example], `${example} has no entry in demonstrates`);
            await demonstrates[example](r);
        });
    }

    it("the CLI (`render`, as `npm run render` runs it) writes the same files for an example: the in-process render is that path", function () {
        const example = "kubernetes-native";
        const inProcess = rendered.get(example);
        assert.ok(inProcess, "rendered above");
        const out = path.join(tmp, `${example}-cli`);
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "cli", "main.ts"), "render", path.join("examples", example), "--out", out], { cwd: root, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, new RegExp(`^Rendered ${inProcess.result.resources} resources into `, "m"));
        const listed = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(out, path.join(e.parentPath, e.name))).sort();
        assert.deepEqual(listed, inProcess.result.files);
        for (const f of inProcess.result.files) assert.ok(fs.readFileSync(path.join(inProcess.out, f)).equals(fs.readFileSync(path.join(out, f))), f);
    });
});
