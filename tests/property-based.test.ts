import assert from "node:assert/strict";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as fc from "fast-check";
import { DruidArgumentError, DruidCluster } from "../index";
import { argsSchema, checkArgsShape, fractionalNumbers, schemaLocations } from "../components/plan/validate-shape";
import { planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { anyArgs, clusterName, pathText, schemaPaths } from "./support/arbitraries";
import { argumentExists, checkCase, JavaProperties, knownDomainFailures } from "./support/druid-property";

// Every input is rejected clearly or rendered valid (tests/support/druid-property.ts states the
// property), over argument sets drawn from the whole DruidClusterArgs space
// (tests/support/arbitraries.ts). A fixed seed keeps CI reproducible; `npm run fuzz -- --runs N
// --seed S` runs the same property longer.

/** CI's seed and number of runs (about 30 s). */
const seed = 20240601;
const numRuns = 250;

describe("the type model of the arguments (components/plan/validate-shape.ts, from schema.json)", () => {
    const schema = argsSchema();

    it("is read from the package's schema.json, which covers every argument of DruidClusterArgs", () => {
        assert.ok(schemaLocations.some((f) => fs.existsSync(f)));
        assert.deepEqual(Object.keys(schema.inputProperties).sort(), [
            "access", "auth", "commonProperties", "coordination", "createNamespace", "data", "dataManagement", "deepStorage", "druidVersion", "extraExtensions",
            "highAvailability", "image", "kubernetes", "leaderElection", "metadataStore", "metrics", "master", "namespace", "networkPolicies", "protectStorage", "query",
            "serviceAccountName", "tags", "tls", "volumeRetention", "zookeeper",
        ].sort());
    });

    it("every fractional number it lists is a number argument of the schema", () => {
        for (const entry of fractionalNumbers) {
            const [type, prop] = entry.split(".");
            assert.equal(schema.types[`druid:index:${type}`]?.properties?.[prop]?.type, "number", entry);
        }
    });

    it("names each wrong value by its exact path, with the value given and what is allowed", () => {
        const cases: [string, (a: Record<string, unknown>) => void, string, RegExp][] = [
            ["a JVM flag that is an object", (a) => { a.query = { router: { jvmOptions: [{}] } }; }, "query.router.jvmOptions[0]",
                /got "an object with no keys"; must be a string \(Extra JVM flags/],
            ["null in a list", (a) => { a.extraExtensions = [null]; }, "extraExtensions[0]", /got null; must be a string, not null: a list holds no empty entries/],
            ["a list where a string goes", (a) => { a.zookeeper = { externalConnectString: ["zk:2181"] }; }, "zookeeper.externalConnectString", /got \["zk:2181"\]; must be a string/],
            ["a string where a list goes", (a) => { a.networkPolicies = { routerAllowedNamespaces: "monitoring" }; }, "networkPolicies.routerAllowedNamespaces",
                /got "monitoring"; must be a list of strings/],
            ["a huge number where a list goes", (a) => { (a.metadataStore as Record<string, unknown>).allowedCidrBlocks = 1e308; }, "metadataStore.allowedCidrBlocks",
                /got 1e\+308; must be a list of strings/],
            ["NaN", (a) => { a.metrics = { alerts: true, alertThresholds: { heapUsedRatio: NaN } }; }, "metrics.alertThresholds.heapUsedRatio", /got NaN; must be a finite number/],
            ["a fraction where a count goes", (a) => { a.query = { broker: { replicas: 2.5 } }; }, "query.broker.replicas", /got 2\.5; must be a whole number/],
            ["a map value of the wrong type", (a) => { a.commonProperties = { "druid.sql.enable": true }; }, 'commonProperties["druid.sql.enable"]', /got true; must be a string/],
            ["an unknown key, with the closest", (a) => { a.query = { router: { replica: 2 } }; }, "query.router.replica",
                /got 2; is not an argument of Router; did you mean "query\.router\.replicas"\?/],
            ["a snake_case key", (a) => { (a.metadataStore as Record<string, unknown>).vpc_id = "vpc-1"; }, "metadataStore.vpc_id", /did you mean "metadataStore\.vpcId"\?/],
            ["an enum value in the wrong case", (a) => { a.volumeRetention = "retain"; }, "volumeRetention", /got "retain"; must be one of "Retain", "Delete"; did you mean "Retain"\?/],
            ["an Output where the value must be known", (a) => { a.serviceAccountName = pulumi.output("druid"); }, "serviceAccountName", /got "an Output"; must be a string known when the program runs/],
        ];
        for (const [what, breaks, argument, message] of cases) {
            const args = defaultArgs() as unknown as Record<string, unknown>;
            breaks(args);
            assert.throws(() => checkArgsShape(args), (e: unknown) => {
                assert.ok(e instanceof DruidArgumentError, what);
                assert.equal(e.argument, argument, what);
                assert.match(e.message, message, what);
                return true;
            }, what);
        }
    });

    it("accepts Outputs and Promises where the schema allows other resources' outputs, and leaves them alone", async () => {
        const args = defaultArgs();
        args.metadataStore.vpcId = pulumi.output("vpc-1");
        args.metadataStore.subnetIds = [pulumi.output("subnet-a"), Promise.resolve("subnet-b")];
        args.auth = { adminPassword: pulumi.secret("admin-password") };
        assert.doesNotThrow(() => checkArgsShape(args));
        const { plan } = await planProgram(() => new DruidCluster("druid", args), { preview: true });
        assert.ok(plan.resources.length > 0);
    });

    it("every path the mutations break is an argument path the property accepts in an error", () => {
        const paths = schemaPaths();
        assert.ok(paths.length > 200, String(paths.length));
        for (const p of paths) assert.ok(argumentExists(pathText(p)), pathText(p));
        assert.equal(argumentExists("query.router.replica"), false);
        assert.equal(argumentExists('dataManagement.rules["events"][0].tieredReplicants["hot"]'), true);
    });
});

describe("every input is rejected clearly or rendered valid (property-based, fixed seed)", function () {
    this.timeout(300000);
    let java: JavaProperties | undefined;
    before(function () {
        if (JavaProperties.available()) java = new JavaProperties();
        else if (process.env.CI) throw new Error("java is required in CI (.ci/run installs it)");
    });
    after(() => java?.close());

    it(`${numRuns} argument sets: the component's own error naming a real argument, or a plan that passes every check`, async () => {
        const counts = { rejected: 0, accepted: 0, known: 0 };
        // The component's own warnings (pulumi.log.warn, printed with console.warn without an engine,
        // e.g. "tier gets no segments from any rule") would fill the test output hundreds of times.
        const warn = console.warn;
        console.warn = () => undefined;
        try {
            await fc.assert(fc.asyncProperty(clusterName, anyArgs(), async (name, args) => {
                const outcome = await checkCase(name, args, java);
                if (outcome.kind === "violation") throw new Error(outcome.detail);
                counts[outcome.kind]++;
            }), { seed, numRuns });
        } finally {
            console.warn = warn;
        }
        // The space is explored on both sides: not everything rejected, not everything accepted (the
        // generator draws many values that break a rule, customisation and Outputs included, so
        // fewer than one case in ten gets through every rule).
        assert.ok(counts.rejected > numRuns / 5 && counts.accepted > numRuns / 15, JSON.stringify(counts));
    });

    it("the known domain failures are listed with an example each", () => {
        for (const k of knownDomainFailures) assert.ok(k.id !== "" && k.example !== "", k.id);
    });
});
