import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import YAML from "yaml";
import { buildSchema, PackageSchema, renderSchema, repoRoot, SchemaProperty, SchemaResource, SchemaType, schemaPath } from "../scripts/schema";
import type { DeepStorageArgs, DeepStorageSettings, HistoricalTier, HistoricalTierArgs } from "../index";
import { DruidProvider } from "../schema-provider";
import { planProgram, SECRET_MASK } from "../testing";
import { defaultArgs } from "./fixtures/args";

// The multi-language face of the package: the schema that @pulumi/pulumi's component provider
// infers from components/args.ts and DruidCluster (what `pulumi package add` turns into Python,
// Go, .NET, Java and YAML SDKs), and a Construct call as the engine makes it for those languages.

const token = "druid:index:DruidCluster";
const outputNames = [
    "routerUrl", "brokerServiceName", "zookeeperConnectString", "bucketName", "metadataEndpoint", "namespace", "configuration", "adminPassword",
    // What a platform stack wires onward (docs/customization.md, "Wiring into a platform").
    "bucketArn", "podRoleName", "podRoleArn", "podUserName", "podUserArn", "metadataInstanceIdentifier", "metadataSecurityGroupId",
];

/** Property names of an exported interface of components/args.ts (inherited ones included), read with the TypeScript compiler. */
function interfaceProperties(interfaceName: string): string[] {
    const file = path.join(repoRoot, "components", "args.ts");
    const program = ts.createProgram([file], { strict: true, skipLibCheck: true, noEmit: true });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file);
    assert.ok(source, `cannot read ${file}`);
    const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName);
    assert.ok(decl, `no interface ${interfaceName} in components/args.ts`);
    return checker.getPropertiesOfType(checker.getTypeAtLocation(decl.name)).map((p) => p.getName());
}

/** The schema type a `$ref` points at. */
function typeOf(schema: PackageSchema, prop: SchemaProperty | undefined): SchemaType {
    assert.ok(prop?.$ref, `expected a $ref, got ${JSON.stringify(prop)}`);
    const prefix = "#/types/";
    assert.ok(prop.$ref.startsWith(prefix), `not a local type reference: ${prop.$ref}`);
    const found = schema.types[prop.$ref.slice(prefix.length)];
    assert.ok(found, `${prop.$ref} is not defined in the schema's types`);
    return found;
}

/** A property of an object type, asserted present. */
function propOf(type: SchemaType, name: string): SchemaProperty {
    const prop = type.properties?.[name];
    assert.ok(prop, `property ${name} missing; the type has: ${Object.keys(type.properties ?? {}).join(", ")}`);
    return prop;
}

/** Paths of keys in `value` that the schema does not have, following $refs, arrays and maps. */
function unknownKeys(schema: PackageSchema, value: unknown, props: Record<string, SchemaProperty>, at: string): string[] {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
    const found: string[] = [];
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const prop = props[key];
        if (prop === undefined) {
            found.push(`${at}.${key}`);
            continue;
        }
        const inner = (p: SchemaProperty, x: unknown, where: string): string[] =>
            p.$ref?.startsWith("#/types/") && typeOf(schema, p).properties ? unknownKeys(schema, x, typeOf(schema, p).properties!, where) : [];
        if (prop.type === "array" && prop.items && Array.isArray(v)) {
            v.forEach((item, i) => found.push(...inner(prop.items!, item, `${at}.${key}[${i}]`)));
        } else {
            found.push(...inner(prop, v, `${at}.${key}`));
        }
    }
    return found;
}

describe("multi-language schema (inferred by @pulumi/pulumi's component analyzer)", function () {
    this.timeout(180_000);
    let schema: PackageSchema;
    let resource: SchemaResource;

    before(function () {
        schema = buildSchema() as unknown as PackageSchema;
        resource = schema.resources[token];
    });

    it("has the DruidCluster component under druid:index:DruidCluster", () => {
        assert.equal(schema.name, "druid");
        assert.ok(resource, `no ${token}; resources: ${Object.keys(schema.resources).join(", ")}`);
        assert.equal(resource.isComponent, true);
    });

    it("has every DruidClusterArgs property as a documented input", () => {
        const declared = interfaceProperties("DruidClusterArgs");
        assert.ok(declared.length > 10, `read only ${declared.length} properties from DruidClusterArgs`);
        assert.deepEqual(Object.keys(resource.inputProperties).sort(), [...declared].sort());
        const undocumented = declared.filter((p) => !(resource.inputProperties[p]?.description ?? "").trim());
        assert.deepEqual(undocumented, [], "inputs without a doc comment (the description other languages show)");
    });

    it("requires exactly deepStorage and metadataStore", () => {
        assert.deepEqual([...resource.requiredInputs].sort(), ["deepStorage", "metadataStore"]);
    });

    it("infers the input types", () => {
        const inputs = resource.inputProperties;
        assert.equal(inputs.druidVersion.type, "string");

        assert.equal(inputs.deepStorage.$ref, "#/types/druid:index:DeepStorageSettings");
        const deepStorage = typeOf(schema, inputs.deepStorage);
        // An Input<string> in TypeScript: other languages may pass another resource's output.
        const oidc = propOf(deepStorage, "oidcProviderArn");
        assert.equal(oidc.type, "string");
        assert.notEqual(oidc.plain, true, "oidcProviderArn must accept outputs (pulumi.Input), not only plain values");

        const router = typeOf(schema, propOf(typeOf(schema, inputs.query), "router"));
        const serviceType = propOf(router, "serviceType");
        assert.equal(serviceType.$ref, "#/types/druid:index:RouterServiceType");
        const serviceTypeEnum = typeOf(schema, serviceType);
        assert.equal(serviceTypeEnum.type, "string");
        assert.deepEqual(serviceTypeEnum.enum?.map((e) => e.value), ["ClusterIP", "NodePort", "LoadBalancer"]);

        const tiers = propOf(typeOf(schema, inputs.data), "historicalTiers");
        assert.equal(tiers.type, "array");
        assert.equal(tiers.items?.$ref, "#/types/druid:index:HistoricalTier");
        const tier = typeOf(schema, tiers.items);
        assert.deepEqual(tier.required, ["name", "volumeSize"]);

        const nodeSelector = propOf(typeOf(schema, propOf(tier, "scheduling")), "nodeSelector");
        assert.equal(nodeSelector.type, "object");
        assert.equal(nodeSelector.additionalProperties?.type, "string");
    });

    it("names object types without an `Args` suffix (the generated SDKs add their own: Python `DeepStorageSettingsArgs`, not `DeepStorageArgsArgs`)", () => {
        const names = Object.keys(schema.types).map((t) => t.split(":").pop()!);
        assert.deepEqual(names.filter((n) => /Args$/.test(n)), []);
        for (const n of ["DeepStorageSettings", "MetadataStoreSettings", "DruidServiceSettings", "Router", "HistoricalTier", "Auth"]) {
            assert.ok(names.includes(n), `no schema type ${n}; types: ${names.join(", ")}`);
        }
    });

    it("keeps the old TypeScript names as aliases of the new ones", () => {
        // Compiles only while each old name is the same type as its new one (both ways).
        const tier: HistoricalTierArgs = { name: "hot", volumeSize: "100Gi" };
        const renamed: HistoricalTier = tier;
        const storage: DeepStorageArgs = { oidcProviderArn: "arn", oidcProviderUrl: "https://oidc" } satisfies DeepStorageSettings;
        assert.equal(renamed.name, "hot");
        assert.equal(storage.oidcProviderArn, "arn");
    });

    it("documents every property of every object type", () => {
        const undocumented: string[] = [];
        for (const [name, type] of Object.entries(schema.types)) {
            for (const [prop, def] of Object.entries(type.properties ?? {})) {
                if (!(def.description ?? "").trim()) undocumented.push(`${name}.${prop}`);
            }
        }
        assert.deepEqual(undocumented, []);
    });

    /** Every description in the schema, with where it is. */
    function descriptions(): [string, string][] {
        const found: [string, string][] = [];
        const walk = (value: unknown, at: string) => {
            if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
            else if (value !== null && typeof value === "object") {
                for (const [k, v] of Object.entries(value)) {
                    if (k === "description" && typeof v === "string") found.push([at, v]);
                    else walk(v, `${at}/${k}`);
                }
            }
        };
        walk(schema, "");
        return found;
    }

    it("describes every type, from its doc comment (args.ts, or @pulumi/kubernetes for the Kubernetes types it inlines)", () => {
        const undescribed = Object.entries(schema.types).filter(([, t]) => !(t.description ?? "").trim()).map(([name]) => name);
        assert.deepEqual(undescribed, []);
        assert.ok(Object.keys(schema.types).length >= 57, String(Object.keys(schema.types).length));
        assert.equal(schema.types["druid:index:DeepStorageSettings"].description, "Deep storage: the S3 bucket that holds every segment, task logs and durable query results.");
        // A Kubernetes type the analyzer inlined from @pulumi/kubernetes, described as there.
        assert.match(schema.types["druid:index:DruidEnvVar"].description ?? "", /^EnvVar represents an environment variable present in a Container\.?/);
    });

    it("writes descriptions as paragraphs: no line break inside a sentence, no <word> a .NET doc comment would take for an element", () => {
        const all = descriptions();
        assert.ok(all.length > 300, String(all.length));
        // A line break only between paragraphs ("\n\n") or before a list item.
        const broken = all.filter(([, d]) => /[^\n]\n(?![\n]|[-*] |\d+\. )/.test(d)).map(([at, d]) => `${at}: ${JSON.stringify(d.slice(0, 80))}`);
        assert.deepEqual(broken, []);
        const angle = all.filter(([, d]) => /<[A-Za-z_][\w.-]*>/.test(d)).map(([at]) => at);
        assert.deepEqual(angle, []);
        // The wrapped doc comment of `highAvailability` (six lines in args.ts) is one paragraph.
        assert.ok(!(resource.inputProperties.highAvailability.description ?? "").includes("\n"));
    });

    it("marks the passwords secret, as inputs and as the output", () => {
        const auth = typeOf(schema, resource.inputProperties.auth);
        const existing = typeOf(schema, propOf(typeOf(schema, resource.inputProperties.metadataStore), "existing"));
        assert.equal(propOf(auth, "adminPassword").secret, true);
        assert.equal(propOf(auth, "internalClientPassword").secret, true);
        assert.equal(propOf(existing, "password").secret, true);
        assert.equal(resource.properties.adminPassword.secret, true);
        // Nothing else is marked: the component writes every other input in plain text (validate-secrets.ts).
        assert.equal(JSON.stringify(schema).match(/"secret":true/g)?.length, 4);
    });

    it("puts the Java package under the namespace (language.java.basePackage)", () => {
        const java = (schema as unknown as { language: { java: { basePackage?: string } } }).language.java;
        assert.equal(java.basePackage, "io.github.pulumi_druid");
        assert.match(java.basePackage ?? "", /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/, "a Java package name");
    });

    it("names no type like a Kubernetes type (they would clash in .NET programs that use both SDKs)", () => {
        const input = path.join(path.dirname(require.resolve("@pulumi/kubernetes/package.json", { paths: [repoRoot] })), "types", "input.d.ts");
        const kubernetes = new Set([...fs.readFileSync(input, "utf8").matchAll(/\binterface (\w+)/g)].map((m) => m[1]));
        assert.ok(kubernetes.has("Toleration") && kubernetes.has("EnvVar") && kubernetes.has("Container"));
        const clashing = Object.keys(schema.types).map((t) => t.split(":").pop()!).filter((n) => kubernetes.has(n));
        assert.deepEqual(clashing, []);
        // The component's own subset of a toleration, renamed; its refs follow.
        const scheduling = typeOf(schema, propOf(typeOf(schema, resource.inputProperties.zookeeper), "scheduling"));
        assert.equal(propOf(scheduling, "tolerations").items?.$ref, "#/types/druid:index:DruidToleration");
    });

    it("has the component's outputs", () => {
        for (const name of outputNames) {
            assert.ok(resource.properties[name], `output ${name} missing; outputs: ${Object.keys(resource.properties).join(", ")}`);
        }
        assert.deepEqual(Object.keys(resource.properties).sort(), [...outputNames].sort(), "DruidCluster must have no other public property");
    });

    it("accepts the properties the YAML example passes", () => {
        const doc = YAML.parse(fs.readFileSync(path.join(repoRoot, "examples", "yaml", "Pulumi.yaml"), "utf8")) as
            { resources: Record<string, { type: string; properties?: Record<string, unknown> }> };
        const uses = Object.entries(doc.resources).filter(([, r]) => r.type === "druid:DruidCluster");
        assert.equal(uses.length, 1, "the YAML example should declare one druid:DruidCluster");
        const [name, res] = uses[0];
        const props = res.properties ?? {};
        assert.deepEqual(unknownKeys(schema, props, resource.inputProperties, name), []);
        for (const required of resource.requiredInputs) assert.ok(required in props, `${name} lacks required input ${required}`);
    });

    it("matches the committed schema.json (run `npm run schema` after changing args or outputs)", () => {
        assert.ok(fs.existsSync(schemaPath), "schema.json is missing: run `npm run schema`");
        const committed = fs.readFileSync(schemaPath, "utf8");
        assert.ok(committed === renderSchema(schema), "schema.json is stale: run `npm run schema` and commit it");
    });
});

describe("component provider (what the plugin host serves)", function () {
    this.timeout(180_000);
    let provider: DruidProvider;

    before(function () {
        provider = DruidProvider.fromPackage(repoRoot);
    });

    it("serves the committed schema.json as it is, with the package's version", async () => {
        assert.equal(await provider.getSchema(), fs.readFileSync(schemaPath, "utf8"));
        assert.equal(provider.version, (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version);
    });

    it("names the generated SDKs after the repository's owner, not @pulumi", () => {
        const served = JSON.parse(provider.schema) as { namespace: string; repository: string; language: { python: { packageName: string } } };
        assert.equal(served.namespace, "pulumi-druid");
        assert.equal(served.repository, "https://github.com/pulumi-druid/pulumi-druid");
        assert.equal(served.language.python.packageName, "pulumi_druid");
    });

    it("refuses a schema without the component, and a type it does not serve", async () => {
        assert.throws(() => new DruidProvider(JSON.stringify({ name: "druid", version: "1.0.0", resources: {} })), /does not describe the component druid:index:DruidCluster/);
        await assert.rejects(provider.construct("x", "druid:index:Other", {}, {}), /unknown resource type druid:index:Other/);
    });

    it("constructs DruidCluster from plain inputs with explicit aws, kubernetes and random providers", async () => {
        // What the engine hands the provider for a Python or YAML program: plain values, no class instances.
        const inputs = JSON.parse(JSON.stringify({
            ...defaultArgs(),
            query: { router: { serviceType: "ClusterIP" } },
            data: { historicalTiers: [{ name: "hot", volumeSize: "200Gi", scheduling: { nodeSelector: { "druid/tier": "hot" } } }] },
            dataManagement: { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 2 } }], workerSelectStrategy: JSON.stringify({ type: "fillCapacity" }) },
        })) as pulumi.Inputs;

        const { plan, result } = await planProgram(async () => {
            const awsProvider = new aws.Provider("aws-ml", { region: "eu-west-1" });
            const k8sProvider = new k8s.Provider("k8s-ml", {});
            const randomProvider = new random.Provider("random-ml", {});
            return provider.construct("ml", token, inputs, { providers: { aws: awsProvider, kubernetes: k8sProvider, random: randomProvider } });
        });

        assert.deepEqual(Object.keys(result.state).sort(), [...outputNames].sort());
        const adminPassword: unknown = result.state.adminPassword;
        assert.ok(pulumi.Output.isInstance(adminPassword), "adminPassword must be an Output");
        assert.equal(await pulumi.isSecret(adminPassword), true, "adminPassword must be a secret");

        const component = plan.get(token, "ml");
        assert.equal(component.custom, false);
        const awsUrn = plan.get("pulumi:providers:aws", "aws-ml").urn;
        const k8sUrn = plan.get("pulumi:providers:kubernetes", "k8s-ml").urn;

        const buckets = plan.ofType("aws:s3/bucket:Bucket");
        assert.ok(buckets.length > 0, "no S3 bucket in the plan");
        for (const b of buckets) {
            assert.ok(b.provider.startsWith(`${awsUrn}::`), `bucket ${b.name} uses provider ${b.provider || "(default)"}, not ${awsUrn}`);
        }
        // The generated passwords and the record's salt use the random provider passed in.
        const randomUrn = plan.get("pulumi:providers:random", "random-ml").urn;
        const randoms = plan.resources.filter((r) => r.custom && r.type.startsWith("random:"));
        assert.equal(randoms.length, 4, randoms.map((r) => r.name).join(", "));
        for (const r of randoms) assert.ok(r.provider.startsWith(`${randomUrn}::`), `${r.name} uses provider ${r.provider || "(default)"}`);
        const statefulSets = plan.ofType("kubernetes:apps/v1:StatefulSet");
        assert.ok(statefulSets.length > 0, "no StatefulSet in the plan");
        for (const s of statefulSets) {
            assert.ok(s.provider.startsWith(`${k8sUrn}::`), `StatefulSet ${s.name} uses provider ${s.provider || "(default)"}, not ${k8sUrn}`);
        }
        // dataManagement's plain (and Any-typed) inputs reach the applier Job.
        const job = plan.get("kubernetes:batch/v1:Job", "ml-config-applier");
        assert.ok(job.provider.startsWith(`${k8sUrn}::`));
        const jobName = (job.inputs.metadata as { name: string }).name;
        const scriptMap = plan.ofType("kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as { name: string }).name === jobName);
        const script = String((scriptMap?.inputs.data as Record<string, string> | undefined)?.["apply.sh"]);
        assert.ok(script.includes(`'[{"type":"loadForever","tieredReplicants":{"hot":2}}]'`), script);
        assert.ok(script.includes(`'{"selectStrategy":{"type":"fillCapacity"}}'`), script);
    });
    /** What a Construct call with `inputs` gives: its result, or the error it is refused with. */
    async function constructWith(name: string, inputs: pulumi.Inputs, preview = true) {
        return planProgram(async () => {
            try {
                return { result: await provider.construct(name, token, inputs, {}), error: undefined };
            } catch (e) {
                return { result: undefined, error: e as Error };
            }
        }, { preview });
    }

    it("refuses a bad value with the SDK's per-property error, naming the property path", async () => {
        // InputPropertiesError is what @pulumi/pulumi's provider server turns into gRPC INVALID_ARGUMENT
        // with a pulumirpc.InputPropertiesError detail (provider/server.js, buildInvalidPropertiesError):
        // the engine shows each property; any other error reaches it as UNKNOWN with a message only.
        const plain = JSON.parse(JSON.stringify({ ...defaultArgs(), query: { router: { replicas: 0 } } })) as pulumi.Inputs;
        const { plan, result: bad } = await constructWith("bad", plain);
        assert.ok(pulumi.InputPropertiesError.isInstance(bad.error), `not an InputPropertiesError: ${String(bad.error)}`);
        assert.equal(bad.error.message, "DruidCluster \"bad\" has an invalid argument (listed per property)");
        assert.equal(bad.error.errors.length, 1);
        assert.equal(bad.error.errors[0].propertyPath, "query.router.replicas");
        // The engine prints the value next to the reason (source_eval.go errorToMessage): not again in the reason.
        assert.match(bad.error.errors[0].reason, /^must be a whole number from 1 to 100/);
        assert.equal(plan.resources.filter((r) => r.custom).length, 0, "nothing is registered before the arguments are checked");

        // Inside an object the engine hands over as one secret Output, and for a map key.
        const inSecret = { ...JSON.parse(JSON.stringify(defaultArgs())) as pulumi.Inputs, auth: pulumi.secret({ passwordGeneration: -1 }) };
        const { result: secretBad } = await constructWith("bad2", inSecret);
        assert.ok(pulumi.InputPropertiesError.isInstance(secretBad.error), String(secretBad.error));
        assert.deepEqual(secretBad.error.errors.map((e) => e.propertyPath), ["auth", "auth.passwordGeneration"]);
        // A secret object with no password in it: the secret must be in a value the component writes in plain text.
        assert.match(secretBad.error.errors[0].reason, /^is written in plain text .* \(the engine marks the whole auth secret when any value inside it is\)/);

        // Not an input property (the resource name): the per-property error type, with the message and no property.
        const { result: badName } = await constructWith("9lives", JSON.parse(JSON.stringify(defaultArgs())) as pulumi.Inputs);
        assert.ok(pulumi.InputPropertiesError.isInstance(badName.error), String(badName.error));
        assert.deepEqual(badName.error.errors, []);
        assert.match(badName.error.message, /invalid name \(the resource name\): got "9lives"; must start with a letter/);
    });

    it("reads an object the engine hands over as one secret Output (auth) as the object, keeping the secret", async () => {
        // deserializeInputs (provider/server.js) wraps a secret top-level input whole: Output<{ adminPassword }>.
        const inputs = { ...JSON.parse(JSON.stringify(defaultArgs())) as pulumi.Inputs, auth: pulumi.secret({ adminPassword: "given-admin-password" }) };
        // An update, not a preview: in a preview the recorded-password check leaves the Secret's data unknown.
        const { plan, result: { result, error } } = await constructWith("sec", inputs, false);
        assert.equal(error, undefined, String(error));
        const authSecret = plan.get("kubernetes:core/v1:Secret", "sec-auth");
        assert.deepEqual(authSecret.inputs.stringData, { "admin-password": SECRET_MASK, "internal-client-password": SECRET_MASK });
        // The internal-client password was not given: it is generated.
        assert.ok(plan.get("random:index/randomPassword:RandomPassword", "sec-internal-client-password"));
        assert.equal(plan.resources.some((r) => r.name === "sec-admin-password"), false, "the given admin password is used, not a generated one");
        const adminPassword = result.state.adminPassword as pulumi.Output<string>;
        assert.equal(await pulumi.isSecret(adminPassword), true, "adminPassword must stay a secret");
        assert.equal(await new Promise((resolve) => adminPassword.apply(resolve)), "given-admin-password");
    });
});
