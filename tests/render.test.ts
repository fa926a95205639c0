import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { render } from "../cli/render";
import { parseProperties } from "../components/config/properties";

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
