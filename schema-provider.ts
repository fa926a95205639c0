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
import { DruidArgumentError } from "./components/errors";
import type { ArgsSchema, SchemaProperty, SchemaType } from "./components/validate-shape";
import { spreadInputs } from "./construct-inputs";

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
     * objects first (construct-inputs.ts). Bad input is refused with the SDK's per-property error, which the
     * server sends as INVALID_ARGUMENT with the property path (see propertyError).
     */
    async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<ConstructResult> {
        const Component = components[type];
        if (Component === undefined) throw new Error(`unknown resource type ${type}; this provider serves ${Object.keys(components).join(", ")}`);
        const args = await spreadInputs(inputs, this.inputs[type]);
        try {
            const instance = new Component(name, args as unknown as DruidClusterArgs, options) as unknown as Record<string, pulumi.Input<unknown>> & pulumi.ComponentResource;
            const state: pulumi.Inputs = {};
            for (const key of this.outputs[type]) state[key] = instance[key];
            return { urn: instance.urn, state };
        } catch (e) {
            throw propertyError(e, Object.keys(this.inputs[type].inputProperties));
        }
    }
}

/**
 * A DruidArgumentError as the SDK's per-property error: @pulumi/pulumi's provider server
 * (provider/server.js, construct's catch and buildInvalidPropertiesError) sends an
 * InputPropertyError as gRPC INVALID_ARGUMENT with a `pulumirpc.InputPropertiesError` detail
 * (property path, reason), which the engine shows per property; any other error reaches the
 * engine as UNKNOWN with its message only. The argument paths (`query.router.replicas`,
 * `data.historicalTiers[1].name`, `kubernetes.labels["team"]`) are already written as the engine's
 * property paths (a dotted path, `[i]` for list items, `["key"]` for map keys). The two arguments
 * that are not input properties (the resource name, the whole argument object) keep their message
 * with no property; "tags key" (a key of the `tags` map) is reported on `tags`.
 */
export function propertyError(e: unknown, inputNames: readonly string[]): Error {
    if (e instanceof DruidArgumentError) {
        const path = e.argument.split(" ")[0];
        const top = /^[A-Za-z0-9_]+/.exec(path)?.[0];
        if (top === undefined || !inputNames.includes(top)) {
            return new pulumi.InputPropertiesError({ message: e.message, errors: [] });
        }
        return new pulumi.InputPropertyError({ propertyPath: path, reason: path === e.argument ? e.reason : `${e.argument}: ${e.reason}` });
    }
    return e instanceof Error ? e : new Error(String(e));
}
