// The `druid` component provider, serving the committed schema.json.
//
// @pulumi/pulumi's own ComponentProvider (provider/experimental) infers the schema on every plugin
// start: it loads the TypeScript compiler and type-checks this package's sources (5-15 s), and its
// Construct waits for that inference to learn the component's output names. schema.json is the
// output of that very inference (scripts/schema.ts calls the same Analyzer and generateSchema) and
// `npm run schema:check` (part of `npm test`) fails when it is stale, so the provider can serve it
// as it is and read the output names from it: no analyzer, no TypeScript compiler at run time.
//
// This module only defines the provider; provider.ts starts the gRPC server with it. It imports
// `@pulumi/pulumi/provider` (the server), never `provider/experimental`, which would load the
// TypeScript compiler.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { ConstructResult, Provider } from "@pulumi/pulumi/provider";
import { DruidCluster } from "./components/druid-cluster";
import { DruidClusterArgs } from "./components/args";
import { DruidArgumentError, DruidArgumentErrors } from "./components/core/errors";
import { resolveCluster } from "./components/plan/resolve";
import { ArgumentProblem, isArgumentProblem, ProblemCollector } from "./components/plan/validate-collect";
import { checkSecretPaths } from "./components/plan/validate-secrets";
import type { ArgsSchema, SchemaProperty, SchemaType } from "./components/plan/validate-shape";
import { knownCopy, secretInputPaths, spreadInputs } from "./construct-inputs";

/** What this provider reads of schema.json. */
interface ServedSchema {
    name: string;
    version: string;
    resources: Record<string, { isComponent?: boolean; properties?: Record<string, unknown>; inputProperties?: Record<string, SchemaProperty> }>;
    types?: Record<string, SchemaType>;
}

/** The component classes served, by schema resource token. */
const components: Record<string, new (name: string, args: DruidClusterArgs, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource> = {
    "druid:index:DruidCluster": DruidCluster,
};

/** The package root (package.json, schema.json): one level above dist/ when compiled, this folder when run from source. */
export function packageRoot(dir: string = __dirname): string {
    return path.basename(dir) === "dist" ? path.join(dir, "..") : dir;
}

export class DruidProvider implements Provider {
    /** The plugin version the engine asks for (GetPluginInfo): the schema's, i.e. package.json's. */
    public readonly version: string;
    /** Served as it is by GetSchema (the server sends `schema` when set, without calling getSchema). */
    public readonly schema: string;
    private readonly outputs: Record<string, string[]> = {};
    private readonly inputs: Record<string, ArgsSchema> = {};

    /** `schemaText`: the committed schema.json, as written by `npm run schema`. */
    constructor(schemaText: string) {
        const parsed = JSON.parse(schemaText) as ServedSchema;
        this.schema = schemaText;
        this.version = parsed.version;
        for (const token of Object.keys(components)) {
            const resource = parsed.resources?.[token];
            if (resource?.isComponent !== true) throw new Error(`schema.json does not describe the component ${token}; run \`npm run schema\``);
            this.outputs[token] = Object.keys(resource.properties ?? {});
            this.inputs[token] = { inputProperties: resource.inputProperties ?? {}, types: parsed.types ?? {} };
        }
    }

    /** The provider of an installed or checked-out package: reads `<root>/schema.json`. */
    static fromPackage(root: string = packageRoot()): DruidProvider {
        return new DruidProvider(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
    }

    getSchema(): Promise<string> {
        return Promise.resolve(this.schema);
    }

    /**
     * As ComponentProvider.construct: a new component from the engine's inputs; its outputs are the schema's properties.
     * Inputs that arrive as one whole Output (a secret object, a known value with dependencies) are spread into
     * objects first (construct-inputs.ts). Every check runs first on a copy of the inputs with each known Output
     * replaced by its value, collecting every problem (resolve.ts, validate-collect.ts), and a secret anywhere the
     * component writes plain text is one of them (validate-secrets.ts): bad input is refused with one
     * InputPropertiesError listing them all, which the server sends as INVALID_ARGUMENT with each property path
     * (see inputPropertiesError), before anything is registered.
     */
    async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<ConstructResult> {
        const Component = components[type];
        if (Component === undefined) throw new Error(`unknown resource type ${type}; this provider serves ${Object.keys(components).join(", ")}`);
        const schema = this.inputs[type];
        const inputNames = Object.keys(schema.inputProperties);
        // Where the secrets are must be read before spreading: a plain leaf of a secret object loses its mark.
        const secrets = await secretInputPaths(inputs, schema);
        const args = await spreadInputs(inputs, schema);
        const known = await knownCopy(args);
        const problems = new ProblemCollector();
        for (const e of checkSecretPaths(secrets, (path) => lookup(known, path) !== undefined)) problems.add(e);
        problems.attempt(() => resolveCluster(name, known as DruidClusterArgs), undefined);
        if (problems.problems.length > 0) throw inputPropertiesError(name, problems.problems, known, inputNames);
        try {
            const instance = new Component(name, args as unknown as DruidClusterArgs, options) as unknown as Record<string, pulumi.Input<unknown>> & pulumi.ComponentResource;
            const state: pulumi.Inputs = {};
            for (const key of this.outputs[type]) state[key] = instance[key];
            return { urn: instance.urn, state };
        } catch (e) {
            if (e instanceof DruidArgumentErrors) throw inputPropertiesError(name, e.errors, known, inputNames);
            if (isArgumentProblem(e)) throw inputPropertiesError(name, [e], known, inputNames);
            throw e;
        }
    }
}

/**
 * The value at an argument path (`a.b[0]["k"]`) of the inputs, `undefined` when nothing is there;
 * an Output not known yet on the way is returned as it is (what is under it is not known).
 */
export function lookup(value: unknown, path: string): unknown {
    const steps = path.match(/[A-Za-z0-9_]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\]/g) ?? [];
    let v = value;
    for (const step of steps) {
        if (pulumi.Output.isInstance(v)) return v;
        if (v === null || typeof v !== "object") return undefined;
        const key = step.startsWith("[\"") ? JSON.parse(step.slice(1, -1)) as string : step.startsWith("[") ? Number(step.slice(1, -1)) : step;
        v = (v as Record<string | number, unknown>)[key];
    }
    return v;
}

/**
 * Bad arguments as the SDK's per-property error: @pulumi/pulumi's provider server (provider/server.js,
 * construct's catch and buildInvalidPropertiesError) sends an InputPropertiesError as gRPC INVALID_ARGUMENT
 * with its message as the status message and a `pulumirpc.InputPropertiesError` detail of (property path,
 * reason) pairs; any other error reaches the engine as UNKNOWN with its message only. The engine prints
 * the message, then per property "property <path> with value '<value>' has a problem: <reason>", or
 * without "with value" when the path is not in the inputs it has (pulumi/pulumi
 * pkg/resource/deploy/source_eval.go, errorToMessage, at ae0d4ab50defb070663bba44d5669992bee82fb9).
 * So the reason carries the value given only when the path is not in the inputs (a default the checks
 * read), and never for a secret. The argument paths (`query.router.replicas`,
 * `data.historicalTiers[1].name`, `kubernetes.labels["team"]`) are already written as the engine's
 * property paths. Problems that are not about an input property (the resource name, the whole argument
 * object, a sizing error without an argument) are listed in the message; "tags key" (a key of the
 * `tags` map) is reported on `tags`.
 */
export function inputPropertiesError(name: string, problems: readonly ArgumentProblem[], inputs: unknown, inputNames: readonly string[]): pulumi.InputPropertiesError {
    const errors: { propertyPath: string; reason: string }[] = [];
    const other: string[] = [];
    for (const e of problems) {
        const path = e.argument.split(" ")[0];
        const top = /^[A-Za-z0-9_]+/.exec(path)?.[0];
        if (top === undefined || !inputNames.includes(top)) {
            other.push(e.message.replace(/^DruidCluster: /, ""));
            continue;
        }
        const inInputs = lookup(inputs, path) !== undefined;
        const what = e instanceof DruidArgumentError ? (inInputs ? e.allowed : e.reason) : e.reason;
        errors.push({ propertyPath: path, reason: path === e.argument ? what : `${e.argument}: ${what}` });
    }
    const count = problems.length === 1 ? "an invalid argument" : `${problems.length} invalid arguments`;
    const message = `DruidCluster "${name}" has ${count}${errors.length > 0 ? " (listed per property)" : ""}` +
        other.map((o) => `\n${o}`).join("");
    return new pulumi.InputPropertiesError({ message, errors });
}
