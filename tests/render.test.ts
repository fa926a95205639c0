import assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { render } from "../cli/render";
import { parseProperties } from "../components/core/properties";
import { checkObjectFiles } from "./support/kubernetes-schema";

const root = path.join(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-test-"));

function listFiles(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
}

describe("render (offline plan of a program, preview under mocks)", () => {
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const quickstart = path.join(root, "examples", "quickstart");

    it("renders the quickstart: plan, tree, configuration per service, Kubernetes YAML", async () => {
        const out = path.join(tmp, "a");
        const result = await render({ program: quickstart, out });
        const files = listFiles(out);
        assert.ok(files.includes("plan.json") && files.includes("plan.txt"));
        for (const service of ["coordinator", "overlord", "broker", "router", "historical-default", "middlemanager"]) {
            assert.ok(files.includes(path.join("config", "druid", service, "runtime.properties")), service);
            assert.ok(files.includes(path.join("config", "druid", service, "jvm.config")), service);
        }
        const common = parseProperties(fs.readFileSync(path.join(out, "config", "druid", "_common", "common.runtime.properties"), "utf8"));
        assert.equal(common["druid.storage.bucket"], "<unknown until deployed: deep-storage bucket name>");
        const coordinator = parseProperties(fs.readFileSync(path.join(out, "config", "druid", "coordinator", "runtime.properties"), "utf8"));
        assert.equal(coordinator["druid.metadata.storage.connector.connectURI"], "jdbc:postgresql://<unknown until deployed: metadata store host>:5432/druid?sslmode=require");

        const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as { resources: { type: string; name: string; provider: string }[] };
        assert.equal(plan.resources.length, result.resources);
        assert.ok(plan.resources.some((r) => r.type === "aws:rds/instance:Instance"));
        const tree = fs.readFileSync(path.join(out, "plan.txt"), "utf8");
        assert.match(tree, /^\+ druid:index:DruidCluster {2}druid$/m);
        assert.match(tree, /^ {4}\+ druid:kubernetes:DruidService {2}druid-broker$/m);
        assert.match(tree, new RegExp(`Resources: ${result.resources} to create`));
        assert.match(tree, /^ +3 kubernetes:apps\/v1:StatefulSet$/m);

        const yamlFiles = files.filter((f) => f.startsWith("kubernetes"));
        assert.ok(yamlFiles.length >= 35, String(yamlFiles.length));
        for (const f of yamlFiles) {
            const obj = YAML.parse(fs.readFileSync(path.join(out, f), "utf8")) as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };
            assert.ok(obj.apiVersion && obj.kind && obj.metadata?.name, f);
            if (obj.kind !== "Namespace") assert.equal(obj.metadata.namespace, "druid", f);
        }
        // Each object as it stands after `pulumi up`: the replica patch applied to its workload, not written over it.
        type Workload = { spec: { replicas: number; template: { spec: { containers: { name: string }[] } } } };
        for (const f of ["statefulset-druid-druid-historical-default.yaml", "deployment-druid-druid-broker.yaml"]) {
            const w = YAML.parse(fs.readFileSync(path.join(out, "kubernetes", f), "utf8")) as Workload;
            assert.equal(w.spec.replicas, 2, f);
            assert.equal(w.spec.template.spec.containers[0].name, "druid", f);
        }
    });

    it("renders the platform example: the pods' extra IAM, the outputs wired onward, placement and a sidecar whose command serves its probe", async function () {
        this.timeout(180000);
        const out = path.join(tmp, "platform");
        await render({ program: path.join(root, "examples", "platform"), out });
        type R = { type: string; name: string; inputs: Record<string, unknown>; dependencies: string[] };
        const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as { resources: R[] };
        const get = (type: string, name: string) => plan.resources.find((r) => r.type === type && r.name === name)!;
        const extra = JSON.parse(String(get("aws:iam/rolePolicy:RolePolicy", "druid-deep-storage-druid-extra").inputs.policy)) as { Statement: { Sid: string; Resource: string[] }[] };
        assert.deepEqual(extra.Statement.map((st) => [st.Sid, st.Resource]), [
            ["ListLandingZone", ["arn:aws:s3:::analytics-landing-zone"]],
            ["ReadLandingZone", ["arn:aws:s3:::analytics-landing-zone/*"]],
            ["ReadClickstream", ["arn:aws:kinesis:eu-west-1:123456789012:stream/clickstream"]],
        ]);
        assert.equal(get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "druid-deep-storage-druid-managed-0").inputs.policyArn, "arn:aws:iam::123456789012:policy/msk-clickstream-read");
        // The platform's resources wait for the parts whose outputs they take.
        const dependsOn = (r: R, type: string, name: string) => r.dependencies.some((d) => d.endsWith(`${type}::${name}`));
        assert.ok(dependsOn(get("aws:cloudwatch/metricAlarm:MetricAlarm", "druid-metadata-cpu"), "aws:rds/instance:Instance", "druid-metadata"));
        assert.ok(dependsOn(get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "bastion-to-druid-metadata"), "aws:ec2/securityGroup:SecurityGroup", "druid-metadata"));
        assert.ok(dependsOn(get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "druid-pods-cloudwatch-read"), "aws:iam/role:Role", "druid-deep-storage-druid"));

        const yaml = (f: string) => YAML.parse(fs.readFileSync(path.join(out, "kubernetes", f), "utf8")) as { spec: Record<string, unknown> };
        type Pod = { containers: { name: string; command?: string[]; readinessProbe?: { httpGet: { port: number; path: string } }; resources: unknown }[]; affinity: { nodeAffinity?: unknown }; topologySpreadConstraints: unknown[] };
        const broker = (yaml("deployment-druid-druid-broker.yaml").spec.template as { spec: Pod }).spec;
        const sidecar = broker.containers.find((c) => c.name === "status-page")!;
        assert.deepEqual(sidecar.resources, { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } });
        assert.deepEqual(broker.containers[0].resources, { requests: { cpu: "1500m", memory: "8Gi" }, limits: { cpu: "2", memory: "8Gi" } });
        assert.deepEqual(yaml("horizontalpodautoscaler-druid-druid-broker.yaml").spec.metrics,
            [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } }]);
        const historical = (yaml("statefulset-druid-druid-historical-default.yaml").spec.template as { spec: Pod }).spec;
        assert.ok(historical.affinity.nodeAffinity !== undefined);
        assert.deepEqual(historical.topologySpreadConstraints, [{
            maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: { "app.kubernetes.io/instance": "druid", "app.kubernetes.io/component": "historical-default" } },
        }]);
        assert.deepEqual(yaml("poddisruptionbudget-druid-druid-historical-default.yaml").spec.unhealthyPodEvictionPolicy, "IfHealthyBudget");

        // The sidecar's command, run by busybox (the image's shell and httpd), answers the readiness
        // probe's GET: its folder moved under the test's and its port to a free loopback one.
        const script = sidecar.command![2];
        const www = fs.mkdtempSync(path.join(tmp, "www-"));
        const port = 20000 + (process.pid % 20000);
        const local = script.replaceAll("/tmp/www", www).replace(`-p ${sidecar.readinessProbe!.httpGet.port}`, `-p 127.0.0.1:${port}`);
        assert.notEqual(local, script);
        const server = spawn("busybox", ["sh", "-c", local], { stdio: "ignore" });
        try {
            let body = "";
            for (let i = 0; i < 50 && body === ""; i++) {
                await new Promise((r) => setTimeout(r, 100));
                const got = spawnSync("busybox", ["wget", "-q", "-O", "-", `http://127.0.0.1:${port}${sidecar.readinessProbe!.httpGet.path}`], { encoding: "utf8" });
                if (got.status === 0) body = got.stdout;
            }
            assert.equal(body, "ok\n");
        } finally {
            server.kill();
        }
    });

    it("two renders of the same input are byte-identical", async () => {
        const a = path.join(tmp, "a");
        const b = path.join(tmp, "b");
        await render({ program: quickstart, out: b });
        const files = listFiles(a);
        assert.deepEqual(listFiles(b), files);
        for (const f of files) assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f);
    });

    it("the repository's own Pulumi.yaml runs the quickstart: same configuration", async () => {
        const out = path.join(tmp, "root");
        await render({ program: root, out });
        const a = path.join(tmp, "a", "config");
        const files = listFiles(a);
        assert.deepEqual(listFiles(path.join(out, "config")), files);
        for (const f of files) assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(out, "config", f))), f);
    });

    it("a secret never appears unmasked in any output file", async () => {
        const out = path.join(tmp, "secret");
        await render({ program: path.join(root, "tests", "fixtures", "programs", "existing-postgres.ts"), out });
        for (const f of listFiles(out)) {
            const text = fs.readFileSync(path.join(out, f), "utf8");
            assert.ok(!text.includes("TopSecret"), `${f} leaks a secret`);
        }
        const secret = fs.readFileSync(path.join(out, "kubernetes", "secret-druid-druid-metadata.yaml"), "utf8");
        // A valid Secret: the keys stay, only the values are masked.
        assert.match(secret, /stringData:\n {2}password: "\[secret\]"\n/);
        const coordinator = parseProperties(fs.readFileSync(path.join(out, "config", "druid", "coordinator", "runtime.properties"), "utf8"));
        assert.equal(coordinator["druid.metadata.storage.connector.connectURI"], "jdbc:postgresql://pg.internal:5432/druid?sslmode=require");
    });

    it("a namespace that is an unknown output (a Namespace of the same program, in preview) renders with a placeholder, in-process", async function () {
        this.timeout(120000);
        const out = path.join(tmp, "ns-output");
        const result = await Promise.race([
            render({ program: path.join(root, "tests", "fixtures", "programs", "namespace-output.ts"), out }),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error("render did not finish in 60 s")), 60000).unref()),
        ]);
        const files = listFiles(out);
        assert.equal(files.length, result.files.length);
        const coordinator = parseProperties(fs.readFileSync(path.join(out, "config", "druid", "coordinator", "runtime.properties"), "utf8"));
        assert.equal(coordinator["druid.zk.service.host"] ?? parseProperties(fs.readFileSync(path.join(out, "config", "druid", "_common", "common.runtime.properties"), "utf8"))["druid.zk.service.host"],
            "<unknown until deployed: ZooKeeper connect string>");
        assert.ok(files.some((f) => f.startsWith("kubernetes/statefulset-<unknown>-druid-historical")), files.join("\n"));
    });

    it("the CLI renders that program too (exit 0, files written), and fails loudly, never silently, if a plan never finishes", function () {
        this.timeout(120000);
        const out = path.join(tmp, "ns-output-cli");
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "cli", "main.ts"), "render",
            path.join(root, "tests", "fixtures", "programs", "namespace-output.ts"), "--out", out], { cwd: root, encoding: "utf8", timeout: 100000 });
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^Rendered \d+ resources into /m);
        assert.ok(fs.existsSync(path.join(out, "config", "druid", "_common", "common.runtime.properties")));
        // A program that waits on a promise that never settles: exit 1 with a message, not 0 with nothing.
        const hang = path.join(tmp, "never.js");
        fs.writeFileSync(hang, "module.exports = () => new Promise(() => undefined);\n");
        const stuck = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "cli", "main.ts"), "render", hang, "--out", path.join(tmp, "never")],
            { cwd: root, encoding: "utf8", timeout: 100000 });
        assert.equal(stuck.status, 1, stuck.stdout + stuck.stderr);
        assert.match(stuck.stderr, /render failed: the program's plan never finished/);
    });

    it("every Secret the render writes is a valid Secret as written: keys kept, values masked (base64 in data)", function () {
        this.timeout(120000);
        const out = path.join(tmp, "ns-output");
        const secrets = listFiles(out).filter((f) => f.startsWith("kubernetes/secret-"));
        const byName = new Map(secrets.map((f) => [f, YAML.parse(fs.readFileSync(path.join(out, f), "utf8")) as { metadata: { name: string }; data?: unknown; stringData?: unknown }]));
        const find = (name: string) => [...byName.values()].find((o) => o.metadata.name === name);
        assert.deepEqual(find("druid-auth")?.stringData, { "admin-password": "[secret]", "internal-client-password": "[secret]" });
        assert.deepEqual(find("druid-s3")?.stringData, { "access-key-id": "[secret]", "secret-access-key": "[secret]" });
        const record = find("druid-auth-record-0")?.data as Record<string, string>;
        assert.ok(record !== undefined && Object.keys(record).length === 2, JSON.stringify(record));
        for (const v of Object.values(record)) assert.equal(Buffer.from(v, "base64").toString("utf8"), "[secret]");
        for (const [f, o] of byName) {
            for (const field of ["data", "stringData"] as const) {
                const v = o[field];
                if (v !== undefined) assert.ok(v !== null && typeof v === "object" && !Array.isArray(v), `${f}: ${field} is ${JSON.stringify(v)}, not a map`);
            }
        }
        // Each object as written passes its upstream schema (no stand-ins for masks).
        const { checked } = checkObjectFiles(out);
        assert.ok(checked >= 30, String(checked));
    });

    it("the command exits non-zero with the component's error on bad input and leaves no output", function () {
        this.timeout(120000);
        const out = path.join(tmp, "bad");
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "cli", "main.ts"), "render",
            path.join(root, "tests", "fixtures", "programs", "bad-replicas.ts"), "--out", out], { cwd: root, encoding: "utf8" });
        assert.equal(run.status, 1, run.stderr);
        assert.match(run.stderr, /render failed: DruidCluster: invalid query\.broker\.replicas: got 0; must be a whole number from 1 to 100/);
        assert.equal(fs.existsSync(out), false);
        assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.includes(".tmp-")), []);
    });

    it("a secret where the component writes plain text fails the render with the component's error and leaves no output", function () {
        this.timeout(120000);
        const out = path.join(tmp, "secret-in-plain-field");
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "cli", "main.ts"), "render",
            path.join(root, "tests", "fixtures", "programs", "secret-in-plain-field.ts"), "--out", out], { cwd: root, encoding: "utf8" });
        assert.notEqual(run.status, 0, run.stderr);
        assert.match(run.stderr, /DruidCluster: invalid deepStorage\.existingBucketName: got "a secret"; is written in plain text/);
        assert.ok(!run.stderr.includes("secret-bucket-name-3b9e") && !run.stdout.includes("secret-bucket-name-3b9e"), "the secret is not printed");
        assert.equal(fs.existsSync(out), false);
        assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.includes(".tmp-")), []);
    });

    it("`npm run render` (the compiled CLI, built first when dist/ is stale) writes the same files, configuration included", function () {
        this.timeout(180000);
        // The quickstart imports the TypeScript sources (../../index) while the CLI runs from dist/:
        // the configuration previews must reach the CLI all the same.
        const out = path.join(tmp, "compiled");
        const run = spawnSync(process.execPath, [path.join(root, "scripts", "render.js"), "render", quickstart, "--out", out], { cwd: root, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        const a = path.join(tmp, "a");
        const files = listFiles(a);
        assert.ok(files.includes(path.join("config", "druid", "coordinator", "runtime.properties")));
        assert.deepEqual(listFiles(out), files);
        for (const f of files) assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(out, f))), f);
    });

    it("the command prints where the output went", function () {
        this.timeout(120000);
        const out = path.join(tmp, "cli");
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "cli", "main.ts"), "render", quickstart, "--out", out],
            { cwd: root, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^Rendered \d+ resources into .*cli\/ \(\d+ files: plan\.json, plan\.txt, config\/, kubernetes\/\)$/m);
        assert.equal(run.stderr, "", "quiet when stderr is not a terminal");
    });
});
