// The engine stand-in scenarios: the `druid` plugin driven over gRPC as the engine drives it for a
// YAML, Python, Go, .NET or Java program (tests/support/engine-stand-in.ts): one plugin process per
// scenario, as the engine aborts a deployment after a failed Construct; inputs marshalled as the
// engine marshals them (secrets, unknowns, output values with dependencies); the refusal's
// per-property detail decoded from the gRPC status (google.rpc.Status details holding a
// pulumirpc.InputPropertiesError, as @pulumi/pulumi provider/server.js buildInvalidPropertiesError
// packs it and the engine's errorToMessage reads it).
import * as assert from "assert";
import * as grpc from "@grpc/grpc-js";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DruidArgumentError, DruidArgumentErrors, DruidCluster, DruidSizingError } from "../index";
import { planProgram, SECRET_MASK } from "../testing";
import { defaultArgs } from "./fixtures/args";
import {
    construct, constructRequest, EngineStandIn, isMarkedSecret, outputValue, PluginProcess, RefusedCall, Registration, secret, unknown,
} from "./support/engine-stand-in";

const emitterAuth = "emitter-user:emitter-pass-7f3a";
const adminPassword = "given-admin-password-91c2";
const vpcUrn = "urn:pulumi:stack::project::aws:ec2/vpc:Vpc::vpc";
const bucketUrn = "urn:pulumi:stack::project::aws:s3/bucket:Bucket::ingest";

/** Plain JSON of the default arguments, as a program's inputs arrive. */
function baseInputs(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(defaultArgs())) as Record<string, unknown>;
}

/** One scenario: a fresh engine stand-in and plugin process, one Construct, both stopped after. */
async function scenario(preview: boolean, inputs: Record<string, unknown>, dependencies: Record<string, string[]> = {}, name = "druid") {
    const engine = new EngineStandIn(preview);
    await engine.start();
    const plugin = new PluginProcess();
    try {
        await plugin.start(engine.address);
        const answer = await construct(plugin, constructRequest(engine.address, name, inputs, { preview, dependencies }));
        return { engine, answer, stderr: plugin.stderr };
    } finally {
        plugin.stop();
        engine.stop();
    }
}

function refusal(answer: Awaited<ReturnType<typeof construct>>): RefusedCall {
    assert.ok("refused" in answer, `Construct was not refused: ${JSON.stringify(answer).slice(0, 300)}`);
    return answer.refused;
}

/** Every string anywhere in a marshalled value that is not inside a secret marker. */
function plainStrings(value: unknown, out: string[] = []): string[] {
    if (isMarkedSecret(value)) return out;
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => plainStrings(v, out));
    else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => plainStrings(v, out));
    return out;
}

/** The registrations whose unmarked text contains `text`, by type and name. */
function leaking(registrations: readonly Registration[], text: string): string[] {
    return registrations.filter((r) => plainStrings(r.object).some((s) => s.includes(text))).map((r) => `${r.type} ${r.name}`);
}

describe("engine stand-in: Construct over gRPC", function () {
    this.timeout(300_000);

    it("preview: unknown, secret and output-valued inputs construct, and the secret reaches no ConfigMap, pod spec or output unmarked", async () => {
        const inputs = {
            ...baseInputs(),
            // A Namespace created in the same preview: not known yet, with its dependency.
            namespace: outputValue(undefined, { dependencies: ["urn:pulumi:stack::project::kubernetes:core/v1:Namespace::analytics"] }),
            createNamespace: false,
            // A VPC created in the same preview: its id an unknown output value.
            metadataStore: { vpcId: outputValue(undefined, { dependencies: [vpcUrn] }), subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0nodes"] },
            // A Python program's auth=Auth(admin_password=Output.secret(...)): the SDK makes the whole object secret.
            auth: { adminPassword: secret(adminPassword) },
            deepStorage: { ...(baseInputs().deepStorage as object), existingBucketName: outputValue("ingest-bucket", { dependencies: [bucketUrn] }) },
        };
        const { engine, answer, stderr } = await scenario(true, inputs, { metadataStore: [vpcUrn], namespace: ["urn:pulumi:stack::project::kubernetes:core/v1:Namespace::analytics"] });
        assert.ok(!("refused" in answer), `refused: ${JSON.stringify(answer)}\n${stderr}`);
        assert.match(answer.urn, /::druid:index:DruidCluster::druid$/);
        assert.ok(engine.ofType("kubernetes:core/v1:ConfigMap").length > 0, "no ConfigMap registered");
        assert.equal(engine.ofType("kubernetes:core/v1:Namespace").length, 0, "the given namespace is not the component's to create");
        assert.deepEqual(leaking(engine.registrations, adminPassword), []);
        assert.deepEqual(plainStrings(answer.state).filter((s) => s.includes(adminPassword)), []);
        assert.ok(isMarkedSecret(answer.state.adminPassword) || answer.state.adminPassword === unknown, JSON.stringify(answer.state.adminPassword));
    });

    it("update: the given admin password is in the auth Secret only (marked secret), the adminPassword output is a secret, and an output-valued bucket reaches the configuration", async () => {
        const inputs = {
            ...baseInputs(),
            auth: { adminPassword: secret(adminPassword) },
            deepStorage: { ...(baseInputs().deepStorage as object), existingBucketName: outputValue("ingest-bucket", { dependencies: [bucketUrn] }) },
        };
        const { engine, answer, stderr } = await scenario(false, inputs);
        assert.ok(!("refused" in answer), `refused: ${JSON.stringify(answer)}\n${stderr}`);
        assert.deepEqual(leaking(engine.registrations, adminPassword), []);
        const authSecret = engine.ofType("kubernetes:core/v1:Secret").find((r) => r.name === "druid-auth");
        assert.ok(authSecret !== undefined, engine.ofType("kubernetes:core/v1:Secret").map((r) => r.name).join(", "));
        const stringData = authSecret.object.stringData;
        assert.ok(isMarkedSecret(stringData) || isMarkedSecret((stringData as Record<string, unknown>)["admin-password"]), JSON.stringify(stringData));
        assert.ok(JSON.stringify(stringData).includes(adminPassword), "the auth Secret holds the given password");
        assert.ok(isMarkedSecret(answer.state.adminPassword), JSON.stringify(answer.state.adminPassword));
        const common = engine.ofType("kubernetes:core/v1:ConfigMap").find((r) => r.name === "druid-common");
        assert.match(String((common?.object.data as Record<string, string>)["common.runtime.properties"]), /^druid\.storage\.bucket=ingest-bucket$/m);
        const configuration = JSON.stringify(answer.state.configuration);
        assert.ok(configuration.includes("druid.storage.bucket=ingest-bucket"), configuration.slice(0, 300));
        assert.ok(!configuration.includes(adminPassword));
    });

    it("a secret in commonProperties (a field written in plain text) is refused with its path, and nothing is registered", async () => {
        // YAML: commonProperties: { druid.emitter.http.basicAuthentication: ${emitterAuth} } with a secret config value.
        const inputs = { ...baseInputs(), commonProperties: { "druid.emitter.http.basicAuthentication": secret(emitterAuth) } };
        const { engine, answer } = await scenario(true, inputs);
        const refused = refusal(answer);
        assert.equal(refused.code, grpc.status.INVALID_ARGUMENT);
        assert.equal(refused.message, "DruidCluster \"druid\" has an invalid argument (listed per property)");
        assert.equal(refused.errors.length, 1, JSON.stringify(refused.errors));
        // The SDK pushes a nested secret up to the top-level input (runtime/rpc.js deserializeProperty): the path is the input's.
        assert.equal(refused.errors[0].propertyPath, "commonProperties");
        assert.match(refused.errors[0].reason, /^is written in plain text \(into the generated ConfigMaps, pod specs, the configuration output and the render\), so it must not be a secret/);
        assert.match(refused.errors[0].reason, /\{"type":"environment","variable":"<name>"\}/);
        assert.ok(!JSON.stringify(refused).includes(emitterAuth), "the refusal does not print the secret");
        assert.equal(engine.registrations.filter((r) => r.custom).length, 0, "nothing is registered");
    });

    it("a secret output value in a plain field is refused at its exact path", async () => {
        const inputs = {
            ...baseInputs(),
            query: { broker: { properties: { "druid.emitter.http.basicAuthentication": outputValue(emitterAuth, { secret: true, dependencies: [bucketUrn] }) } } },
        };
        const refused = refusal((await scenario(false, inputs)).answer);
        assert.deepEqual(refused.errors.map((e) => e.propertyPath), ["query.broker.properties[\"druid.emitter.http.basicAuthentication\"]"]);
        assert.ok(!JSON.stringify(refused).includes(emitterAuth));
    });

    it("every problem at once: type, domain, sizing and an output-valued input that turns out invalid, each with its path, in one INVALID_ARGUMENT", async () => {
        const inputs = {
            ...baseInputs(),
            query: { router: { replicas: 0 }, broker: { replicas: "two" } },
            zookeeper: { replicas: 2 },
            data: { historicalTiers: [{ name: "x", volumeSize: "100Gi", resources: { cpu: "1", memory: "2Gi" } }] },
            deepStorage: { ...(baseInputs().deepStorage as object), existingBucketName: outputValue("Not_A_Bucket", { dependencies: [bucketUrn] }) },
        };
        const { engine, answer } = await scenario(false, inputs);
        const refused = refusal(answer);
        assert.equal(refused.code, grpc.status.INVALID_ARGUMENT);
        assert.equal(refused.message, "DruidCluster \"druid\" has 5 invalid arguments (listed per property)");
        const byPath = Object.fromEntries(refused.errors.map((e) => [e.propertyPath, e.reason]));
        assert.deepEqual(Object.keys(byPath).sort(), [
            "data.historicalTiers[0].resources", "deepStorage.existingBucketName", "query.broker.replicas", "query.router.replicas", "zookeeper.replicas",
        ]);
        // The engine prints each value next to its reason (source_eval.go errorToMessage): the reasons do not repeat it.
        assert.match(byPath["query.router.replicas"], /^must be a whole number from 1 to 100$/);
        assert.match(byPath["query.broker.replicas"], /^must be a whole number/);
        assert.match(byPath["zookeeper.replicas"], /^must be odd/);
        assert.match(byPath["deepStorage.existingBucketName"], /^must be a valid S3 bucket name/);
        assert.match(byPath["data.historicalTiers[0].resources"], /^historical tier "x" does not fit its container/);
        assert.ok(!JSON.stringify(refused).includes("error serializing property"));
        assert.ok(!JSON.stringify(refused).includes("Calling [toJSON]"));
        assert.equal(engine.registrations.filter((r) => r.custom).length, 0, "nothing is registered");
    });

    it("a problem that is no input property (the resource name) is in the headline", async () => {
        const refused = refusal((await scenario(true, baseInputs(), {}, "9lives")).answer);
        assert.equal(refused.code, grpc.status.INVALID_ARGUMENT);
        assert.deepEqual(refused.errors, []);
        assert.match(refused.message, /^DruidCluster "9lives" has an invalid argument\ninvalid name \(the resource name\): got "9lives"; must start with a letter/);
    });
});

describe("secrets in fields written in plain text (TypeScript)", function () {
    this.timeout(120_000);

    it("a pulumi.secret(...) where the component writes plain text fails with the component's error, and no ConfigMap holds it", async () => {
        // As tests/outputs-as-inputs.test.ts: under the mocks the SDK raises a resource's failed input as an unhandled rejection.
        const rejected: unknown[] = [];
        const record = (e: unknown) => { rejected.push(e); };
        process.on("unhandledRejection", record);
        let plan;
        try {
            ({ plan } = await planProgram(() => new DruidCluster("sec", {
                ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, existingBucketName: pulumi.secret("secret-bucket-5d1e") },
            }), { preview: false }));
            await new Promise((resolve) => setImmediate(resolve));
        } finally {
            process.off("unhandledRejection", record);
        }
        const errors = rejected.filter((e): e is DruidArgumentError => e instanceof DruidArgumentError);
        assert.ok(errors.length > 0, `expected a DruidArgumentError, got ${rejected.map(String).join("; ") || "nothing"}`);
        assert.match(errors[0].message, /invalid deepStorage\.existingBucketName: got "a secret"; is written in plain text/);
        for (const r of plan.resources) assert.ok(!JSON.stringify(r.inputs).includes("secret-bucket-5d1e"), `${r.type} ${r.name}`);
    });

    it("an Output that is no secret keeps its dependency through the secret check: the ConfigMap that holds it waits for its resource", async () => {
        const { plan } = await planProgram(() => {
            const bucket = new aws.s3.Bucket("ingest", { bucket: "ingest-bucket" });
            return new DruidCluster("deps", { ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, existingBucketName: bucket.bucket } });
        }, { preview: false });
        const bucket = plan.get("aws:s3/bucket:Bucket", "ingest");
        const common = plan.get("kubernetes:core/v1:ConfigMap", "deps-common");
        assert.ok(plan.dependsOn(common, bucket), `deps-common depends on ${common.dependencies.join(", ")}`);
        assert.match(String((common.inputs.data as Record<string, string>)["common.runtime.properties"]), /^druid\.storage\.bucket=ingest-bucket$/m);
    });

    it("the secret arguments keep taking secrets", async () => {
        const { plan } = await planProgram(() => new DruidCluster("ok", { ...defaultArgs(), auth: { adminPassword: pulumi.secret(adminPassword) } }), { preview: false });
        const secretInput = plan.get("kubernetes:core/v1:Secret", "ok-auth");
        assert.deepEqual(secretInput.inputs.stringData, { "admin-password": SECRET_MASK, "internal-client-password": SECRET_MASK });
        for (const cm of plan.ofType("kubernetes:core/v1:ConfigMap")) assert.ok(!JSON.stringify(cm.inputs).includes(adminPassword), cm.name);
    });

    it("several bad arguments are one DruidArgumentErrors listing each; one is the DruidArgumentError itself", () => {
        const several = () => new DruidCluster("many", { ...defaultArgs(), zookeeper: { replicas: 2 }, query: { router: { replicas: 0 } } });
        assert.throws(several, (e: unknown) => {
            assert.ok(e instanceof DruidArgumentErrors && e instanceof DruidArgumentError);
            assert.deepEqual(e.errors.map((x) => x.argument), ["query.router.replicas", "zookeeper.replicas"]);
            assert.match(e.message, /^DruidCluster: 2 invalid arguments:\n {2}- invalid query\.router\.replicas: got 0;.*\n {2}- invalid zookeeper\.replicas: got 2;/);
            return true;
        });
        assert.throws(() => new DruidCluster("one", { ...defaultArgs(), zookeeper: { replicas: 2 } }), (e: unknown) => e instanceof DruidArgumentError && !(e instanceof DruidArgumentErrors));
    });

    it("a sizing error names the argument that sizes the service", () => {
        assert.throws(() => new DruidCluster("small", { ...defaultArgs(), data: { historicalTiers: [{ name: "x", volumeSize: "100Gi", resources: { cpu: "1", memory: "2Gi" } }] } }),
            (e: unknown) => e instanceof DruidSizingError && e.argument === "data.historicalTiers[0].resources");
    });

    it("an Output inside a refused value is shown as an Output, not as its toJSON warning", () => {
        const e = new DruidArgumentError("x", { host: pulumi.output("h"), port: 1 }, "must be something");
        assert.equal(e.reason, "got {\"host\":\"an Output (another resource's output)\",\"port\":1}; must be something");
    });
});
