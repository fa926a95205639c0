// `npm run test:consumer`: what a user does with the published artefact, end to end.
//  A. A fresh clone of the committed tree with only `npm install` (as `pulumi package add <git>`
//     does): `prepare` builds dist/, the plugin entry (package.json `main`) exists, and the SDK's
//     component provider finds DruidCluster with the full schema.
//  B. `npm pack` of that clone, installed into two scratch projects: one pinned at the lowest
//     versions of the Pulumi SDKs package.json's peerDependencies accept (the floors), one at the
//     latest releases. In each, every SDK is installed once (a nested second copy would make
//     `instanceof pulumi.ComponentResource` false across copies), a consumer program with
//     non-default tiers type-checks against the packed declarations (both the classic and the
//     `exports`-aware module resolutions), and the exported preview-test helper plans it.
// It prints each step and ends with "N passed, N failed"; any failure exits 1.
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const repo = path.join(__dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-druid-consumer-"));
let passed = 0;
let failed = 0;

function sh(cmd: string, args: string[], cwd: string): string {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });
}

/** As sh, without blocking: the two consumers below install and type-check side by side. */
function shAsync(cmd: string, args: string[], cwd: string): Promise<string> {
    return new Promise((resolve, reject) => execFile(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } },
        (err, stdout, stderr) => (err ? reject(Object.assign(new Error(err.message), { stdout, stderr })) : resolve(stdout))));
}

/** As check, for an async step; its lines go to `log` (printed together once the consumer is done). */
async function checkAsync(log: string[], name: string, fn: () => Promise<void>): Promise<void> {
    const start = Date.now();
    try {
        await fn();
        passed++;
        log.push(`  ✔ ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    } catch (e) {
        failed++;
        const err = e as { message?: string; stdout?: string; stderr?: string };
        log.push(`  ✘ ${name}\n${[err.message, err.stdout, err.stderr].filter(Boolean).join("\n").split("\n").map((l) => `      ${l}`).join("\n")}`);
    }
}

function check(name: string, fn: () => void): void {
    const start = Date.now();
    try {
        fn();
        passed++;
        console.log(`  ✔ ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    } catch (e) {
        failed++;
        const err = e as { message?: string; stdout?: string; stderr?: string };
        console.log(`  ✘ ${name}\n${[err.message, err.stdout, err.stderr].filter(Boolean).join("\n").split("\n").map((l) => `      ${l}`).join("\n")}`);
    }
}

function must(cond: boolean, message: string): void {
    if (!cond) throw new Error(message);
}

const consumerProgram = `import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DruidCluster, DruidClusterArgs, DruidArgumentError, RouterServiceType } from "pulumi-druid";
import { planProgram } from "pulumi-druid/testing";

const args: DruidClusterArgs = {
    druidVersion: "37.0.0",
    deepStorage: { existingBucketName: "acme-druid", prefix: "prod", accessMode: "podIdentity", eksClusterName: "acme" },
    metadataStore: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], allowedSecurityGroupIds: ["sg-nodes"], multiAz: true },
    query: { router: { serviceType: RouterServiceType.ClusterIP } },
    data: {
        historicalTiers: [
            { name: "hot", replicas: 3, volumeSize: "200Gi", priority: 10, resources: { cpu: "8", memory: "32Gi" } },
            { name: "default", replicas: 2, volumeSize: "1000Gi" },
        ],
        ingestion: { worker: "indexer", replicas: 2 },
    },
};

async function main(): Promise<void> {
    const { plan } = await planProgram(() => new DruidCluster("acme", args), { preview: true });
    const sts = plan.ofType("kubernetes:apps/v1:StatefulSet").map((r) => r.name).sort();
    assert.deepStrictEqual(sts, ["acme-historical-default", "acme-historical-hot", "acme-indexer", "acme-zookeeper"]);
    assert.strictEqual(plan.ofType("aws:s3/bucket:Bucket").length, 0);
    assert.strictEqual(plan.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").length, 1);
    const hot = plan.get("kubernetes:apps/v1:StatefulSet", "acme-historical-hot");
    assert.strictEqual(plan.dependsOn(hot, plan.get("aws:rds/instance:Instance", "acme-metadata")), false);
    try {
        new DruidCluster("acme", { ...args, zookeeper: { replicas: 2 } });
        throw new Error("expected a DruidArgumentError");
    } catch (e) {
        assert.ok(e instanceof DruidArgumentError && e.argument === "zookeeper.replicas", String(e));
    }
    // A client-side-apply provider is refused at construction, with the SDK this consumer installed (the floor or the latest).
    process.env.PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY = "false";
    try {
        new DruidCluster("acme-csa", args);
        throw new Error("expected a DruidArgumentError for client-side apply");
    } catch (e) {
        assert.ok(e instanceof DruidArgumentError && e.argument.startsWith("PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY"), String(e));
    } finally {
        delete process.env.PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY;
    }
    // Other resources' outputs as arguments: a bucket, a KMS key, an Output of the subnet list, a CIDR and a tag value.
    const wired = await planProgram(() => {
        const bucket = new aws.s3.Bucket("platform", { bucket: "acme-platform-druid" });
        const key = new aws.kms.Key("platform", {});
        const subnets: pulumi.Output<string[]> = pulumi.output(["subnet-a", "subnet-b"]);
        return new DruidCluster("wired", {
            ...args,
            deepStorage: { ...args.deepStorage, existingBucketName: bucket.bucket, kmsKeyArn: key.arn },
            metadataStore: { vpcId: "vpc-1", subnetIds: subnets, allowedCidrBlocks: [pulumi.output("10.0.0.0/16")] },
            tags: { team: bucket.id },
        });
    }, { preview: false });
    assert.deepStrictEqual(wired.plan.get("aws:rds/subnetGroup:SubnetGroup", "wired-metadata").inputs.subnetIds, ["subnet-a", "subnet-b"]);
    assert.strictEqual(wired.plan.get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "wired-metadata-from-cidr-0").inputs.cidrIpv4, "10.0.0.0/16");
    assert.ok(String(wired.plan.get("aws:iam/rolePolicy:RolePolicy", "wired-deep-storage-druid").inputs.policy).includes("arn:aws:s3:::acme-platform-druid/prod/*"));
    // The namespace from the platform's own Namespace, and an existing PostgreSQL's host from another resource.
    const placed = await planProgram(() => {
        const ns = new k8s.core.v1.Namespace("analytics", { metadata: { name: "analytics" } });
        const db = new aws.rds.Instance("shared", { instanceClass: "db.t4g.medium", engine: "postgres" });
        return new DruidCluster("placed", {
            ...args,
            // A named namespace is the platform's: the component registers no Namespace for it.
            namespace: ns.metadata.name,
            metadataStore: { existing: { host: db.address, password: pulumi.secret("from-a-secret") } },
        });
    }, { preview: false });
    assert.deepStrictEqual(placed.plan.ofType("kubernetes:core/v1:Namespace").map((r) => r.name), ["analytics"]);
    const zk = placed.plan.get("kubernetes:apps/v1:StatefulSet", "placed-zookeeper");
    assert.strictEqual((zk.inputs.metadata as { namespace: string }).namespace, "analytics");
    const coordinatorConfig = placed.plan.get("kubernetes:core/v1:ConfigMap", "placed-coordinator");
    assert.ok(String((coordinatorConfig.inputs.data as Record<string, string>)["runtime.properties"]).includes("//shared.abcdefghijkl."), "the host reaches the Coordinator's connectURI");
    console.log("consumer plan: " + plan.resources.length + " resources, StatefulSets " + sts.join(", "));
}

main().catch((e) => { console.error(e); process.exit(1); });
`;

/** A Pulumi program in plain JavaScript, as `pulumi-druid render` loads it. */
const renderProgram = `const { DruidCluster } = require("pulumi-druid");
new DruidCluster("acme", {
    deepStorage: { existingBucketName: "acme-druid", accessMode: "podIdentity", eksClusterName: "acme" },
    metadataStore: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], allowedSecurityGroupIds: ["sg-nodes"] },
});
`;

console.log(`consumer test in ${work}`);
const clone = path.join(work, "clone");
let tarball = "";

check("a fresh clone builds on `npm install` alone (prepare), so the plugin entry exists", () => {
    sh("git", ["clone", "-q", repo, clone], work);
    sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], clone);
    const pkg = JSON.parse(fs.readFileSync(path.join(clone, "package.json"), "utf8")) as { main: string };
    must(fs.existsSync(path.join(clone, pkg.main)), `main ${pkg.main} missing after npm install`);
});

check("the built plugin serves the committed schema with DruidCluster", () => {
    const script = `
        const { DruidProvider } = require("./dist/schema-provider.js");
        DruidProvider.fromPackage(process.cwd()).getSchema()
            .then((s) => process.stdout.write(s), (e) => { console.error(e); process.exit(1); });`;
    const served = sh(process.execPath, ["-e", script], clone);
    const schema = JSON.parse(served) as { resources: Record<string, { inputProperties: object; properties: object }> };
    const r = schema.resources["druid:index:DruidCluster"];
    must(r !== undefined, "no druid:index:DruidCluster in the schema");
    must(served === fs.readFileSync(path.join(clone, "schema.json"), "utf8"), "the plugin's schema differs from the committed schema.json");
    must(Object.keys(r.inputProperties).length >= 18, "inputs missing");
    // The outputs a platform program wires onward (docs/customization.md "Wiring into a platform"), exactly.
    const outputs = ["adminPassword", "brokerServiceName", "bucketArn", "bucketName", "configuration", "metadataEndpoint", "metadataInstanceIdentifier",
        "metadataSecurityGroupId", "namespace", "podRoleArn", "podRoleName", "podUserArn", "podUserName", "routerUrl", "zookeeperConnectString"];
    must(JSON.stringify(Object.keys(r.properties).sort()) === JSON.stringify(outputs), `outputs ${Object.keys(r.properties).sort().join(", ")}, expected ${outputs.join(", ")}`);
});

check("npm pack holds the build, declarations, plugin manifest, schema and docs, and nothing of the tests", () => {
    // dist/ was just built by `prepare`; skip `prepack`'s second identical build.
    const out = sh("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], clone);
    const info = (JSON.parse(out) as { filename: string; size: number; files: { path: string }[] }[])[0];
    tarball = path.join(work, info.filename);
    const files = info.files.map((f) => f.path);
    for (const f of ["package.json", "dist/index.js", "dist/index.d.ts", "dist/provider.js", "dist/testing/index.d.ts", "dist/cli/main.js",
        "PulumiPlugin.yaml", "schema.json", "README.md", "LICENSE", "CHANGELOG.md"]) must(files.includes(f), `${f} missing from the tarball`);
    // The README links its pages under docs/ relatively: the installed package holds each of them.
    const linked = [...new Set([...fs.readFileSync(path.join(clone, "README.md"), "utf8").matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]))];
    must(linked.length >= 10, `the README links ${linked.length} docs pages`);
    for (const f of linked) must(files.includes(f), `${f} (linked from README.md) missing from the tarball`);
    const stray = files.filter((f) => /(^|\/)(tests?|fixtures|scratch|examples)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")));
    must(stray.length === 0, `unexpected files in the tarball: ${stray.join(", ")}`);
    console.log(`      tarball ${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(1)} kB`);
});

/** The Pulumi SDKs a consumer shares with the component: each must be installed exactly once. */
const sdks = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/random"];

/** Versions of `pkg` installed anywhere under `dir`'s node_modules (nested copies included). */
function installedVersions(dir: string, pkg: string): string[] {
    const found: string[] = [];
    const walk = (nm: string) => {
        if (!fs.existsSync(nm)) return;
        const manifest = path.join(nm, pkg, "package.json");
        // (some @pulumi/kubernetes releases write their version as "v4.1.1")
        if (fs.existsSync(manifest)) found.push((JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version.replace(/^v/, ""));
        for (const entry of fs.readdirSync(nm)) {
            const scoped = entry.startsWith("@") ? fs.readdirSync(path.join(nm, entry)).map((e) => path.join(entry, e)) : [entry];
            for (const e of scoped) walk(path.join(nm, e, "node_modules"));
        }
    };
    walk(path.join(dir, "node_modules"));
    return found;
}

/** The lowest version each SDK range of package.json accepts ("^3.142.0" -> "3.142.0"): peers, and @pulumi/random (a dependency). */
function floors(): Record<string, string> {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { peerDependencies: Record<string, string>; dependencies: Record<string, string> };
    const ranges = { ...pkg.dependencies, ...pkg.peerDependencies };
    return Object.fromEntries(sdks.map((name) => {
        const m = /^\^(\d+\.\d+\.\d+)$/.exec(ranges[name] ?? "");
        if (!m) throw new Error(`the range of ${name} must be ^x.y.z, got ${ranges[name]}`);
        return [name, m[1]];
    }));
}

const tsc = path.join(repo, "node_modules", "typescript", "bin", "tsc");
const consumers: [string, Record<string, string>][] = [["floors", floors()], ["latest", { "@pulumi/pulumi": "latest", "@pulumi/aws": "latest", "@pulumi/kubernetes": "latest" }]];

/** Install, type-check, plan and render in one consumer project; stops at the first failed step. */
async function runConsumer(label: string, pins: Record<string, string>): Promise<string[]> {
    const log: string[] = [];
    const consumer = path.join(work, `consumer-${label}`);
    const specs = Object.entries(pins).map(([name, version]) => `${name}@${version}`);
    const before = failed;
    const step = async (name: string, fn: () => Promise<void>) => {
        if (failed === before) await checkAsync(log, `[${label}] ${name}`, fn);
    };

    await step(`the tarball installs beside ${specs.join(", ")}, with one copy of each SDK`, async () => {
        fs.mkdirSync(consumer);
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: `consumer-${label}`, version: "1.0.0", private: true }, null, 2));
        await shAsync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", ...specs, tarball], consumer);
        fs.writeFileSync(path.join(consumer, "index.ts"), consumerProgram);
        const copies = sdks.map((name) => [name, installedVersions(consumer, name)] as const);
        for (const [name, versions] of copies) must(versions.length === 1, `${name}: ${versions.length} copies installed (${versions.join(", ")})`);
        for (const [name, version] of Object.entries(pins)) {
            if (version !== "latest") must(copies.find(([n]) => n === name)![1][0] === version, `${name} is not at the floor ${version}`);
        }
        log.push(`      ${copies.map(([name, [v]]) => `${name} ${v}`).join(", ")}`);
    });

    // Both resolutions read different entry points (typesVersions for node10, exports for node16):
    // checked at latest; at the floors, node16 alone shows the declarations hold with the old SDKs'
    // types (each run loads every SDK's declarations: about 35 s).
    for (const resolution of label === "floors" ? ["node16"] : ["node10", "node16"]) {
        await step(`a consumer program type-checks against the packed declarations (moduleResolution ${resolution})`, async () => {
            const module = resolution === "node16" ? "node16" : "commonjs";
            await shAsync(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "false", "--module", module, "--moduleResolution", resolution,
                "--target", "ES2022", "--types", "node", "--typeRoots", path.join(repo, "node_modules", "@types"), "index.ts"], consumer);
        });
    }

    await step("the exported preview-test helper plans the consumer's cluster", async () => {
        await shAsync(process.execPath, [tsc, "--module", "commonjs", "--target", "ES2022", "--skipLibCheck", "--types", "node", "--typeRoots", path.join(repo, "node_modules", "@types"), "index.ts"], consumer);
        const out = await shAsync(process.execPath, ["index.js"], consumer);
        must(/consumer plan: \d+ resources, StatefulSets acme-historical-default, acme-historical-hot, acme-indexer, acme-zookeeper/.test(out), out);
        log.push(`      ${out.trim()}`);
    });

    await step("the packed render command renders a JavaScript program", async () => {
        fs.writeFileSync(path.join(consumer, "program.js"), renderProgram);
        const out = await shAsync(process.execPath, [path.join(consumer, "node_modules", "pulumi-druid", "dist", "cli", "main.js"), "render", "program.js", "--out", "out"], consumer);
        must(/^Rendered \d+ resources into out\//.test(out), out);
        const coordinator = fs.readFileSync(path.join(consumer, "out", "config", "acme", "coordinator", "runtime.properties"), "utf8");
        must(/^druid\.service=druid\/coordinator$/m.test(coordinator), coordinator);
    });
    return log;
}

async function finish(): Promise<void> {
    if (tarball !== "") {
        for (const log of await Promise.all(consumers.map(([label, pins]) => runConsumer(label, pins)))) console.log(log.join("\n"));
    }
    fs.rmSync(work, { recursive: true, force: true });
    console.log(`\n${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
}

void finish();
