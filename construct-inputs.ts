// The inputs of a Construct call as the component reads them.
//
// The SDK's provider server (@pulumi/pulumi/provider/server.js, deserializeInputs) hands Construct
// each top-level input either as it is or, when it is a secret or has dependencies, wrapped whole
// in one Output: a Python program's `auth=Auth(admin_password=pulumi.Output.secret("x"))`, or a
// secret object, arrives as `auth: Output<{ adminPassword: "x" }>`. DruidCluster reads its arguments
// as objects (resolve.ts), and an Output's property access only lifts (`auth.enabled` is itself an
// Output): a whole-output `auth` would lose its passwords. So each Output whose value is known is
// spread back into the schema's shape: objects, lists and maps become plain again, and the
// leaves the schema lets take other resources' outputs (not `plain`) become Outputs of the whole
// (`whole.apply(...)`, which keeps its secretness and dependencies). Leaves the schema marks
// `plain` (flags, counts, names the component itself reads) become their plain values. An Output
// whose value is not known yet (a preview before its resource exists) is left as it is. Where the
// inputs hold secrets (secretInputPaths) is read before spreading: a plain value loses its mark.
import * as pulumi from "@pulumi/pulumi";
import type { ArgsSchema, SchemaProperty } from "./components/plan/validate-shape";
import { mapOutputs, secretArguments } from "./components/plan/validate-secrets";

/** The known-ness of an Output: @pulumi/pulumi's OutputImpl has it as `isKnown` (output.js), not in its typings. */
async function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
    const known = (output as unknown as { isKnown?: Promise<boolean> }).isKnown;
    return known === undefined ? false : await known;
}

/** The value of a known Output (apply runs for known values, in previews too). */
function valueOf(output: pulumi.Output<unknown>): Promise<unknown> {
    return new Promise((resolve) => { output.apply((v) => { resolve(v); return v; }); });
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.toString.call(value) === "[object Object]";
}

/** The Construct inputs with every known whole-output object spread into plain objects with Output leaves. */
export async function spreadInputs(inputs: pulumi.Inputs, schema: ArgsSchema): Promise<pulumi.Inputs> {
    const result: pulumi.Inputs = {};
    for (const [key, value] of Object.entries(inputs)) {
        result[key] = await spread(value, schema.inputProperties[key], schema, key);
    }
    return result;
}

/** The path of `key` inside the value at `at` described by `prop`: `.key` in an object of a schema type, `["key"]` in a map. */
function child(at: string, prop: SchemaProperty | undefined, key: string | number, schema: ArgsSchema): string {
    if (typeof key === "number") return `${at}[${key}]`;
    return objectProperties(prop ?? {}, schema) !== undefined ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}

/** `value` at a position the schema describes with `prop` (undefined: a key the schema does not have, left for validation to refuse). */
async function spread(value: unknown, prop: SchemaProperty | undefined, schema: ArgsSchema, at: string): Promise<unknown> {
    if (prop === undefined) return value;
    if (pulumi.Output.isInstance(value)) {
        if (!(await isKnown(value))) return value;
        return leaves(await valueOf(value), prop, schema, value, [], at);
    }
    // A plain object or list may still hold whole outputs (the engine's output values inside it).
    if (Array.isArray(value)) return Promise.all(value.map((v, i) => spread(v, prop.items, schema, `${at}[${i}]`)));
    if (isRecord(value)) {
        const props = objectProperties(prop, schema);
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = await spread(v, props !== undefined ? props[k] : prop.additionalProperties, schema, child(at, prop, k, schema));
        return out;
    }
    return value;
}

/** The properties of the object type `prop` refers to, if it does. */
function objectProperties(prop: SchemaProperty, schema: ArgsSchema): Record<string, SchemaProperty> | undefined {
    return prop.$ref !== undefined ? schema.types[prop.$ref.replace(/^#\/types\//, "")]?.properties : undefined;
}

/**
 * The known value of `whole` at `at`, as plain containers with Output leaves where the schema takes outputs.
 * A secret whole marks every value inside it secret, though the program made only one of them so
 * (the SDK pushes a nested secret up to the top-level input: runtime/rpc.js deserializeProperty):
 * DruidProvider.construct refuses a secret whole unless it holds a given secret argument
 * (validate-secrets.ts), to which the secret is then attributed; its other leaves lose the mark.
 */
function leaves(value: unknown, prop: SchemaProperty | undefined, schema: ArgsSchema, whole: pulumi.Output<unknown>, from: (string | number)[], at: string): unknown {
    if (value === null || value === undefined || prop === undefined) return value;
    if (Array.isArray(value)) return value.map((v, i) => leaves(v, prop.items, schema, whole, [...from, i], `${at}[${i}]`));
    if (isRecord(value)) {
        const props = objectProperties(prop, schema);
        return Object.fromEntries(Object.entries(value).map(([k, v]) =>
            [k, leaves(v, props !== undefined ? props[k] : prop.additionalProperties, schema, whole, [...from, k], child(at, prop, k, schema))]));
    }
    if (prop.plain === true) return value;
    // The whole's dependencies (and, on a secret argument, its secretness), on this leaf.
    const leaf = whole.apply((w) => from.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], w));
    return secretArguments.includes(at) ? leaf : pulumi.unsecret(leaf);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
    return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/** Where the inputs hold a secret: the argument path of each secret Output, `whole` for a top-level input handed over whole. */
export async function secretInputPaths(inputs: pulumi.Inputs, schema: ArgsSchema): Promise<{ path: string; whole: boolean }[]> {
    const found: Promise<{ path: string; whole: boolean } | undefined>[] = [];
    mapOutputs(inputs, schema, (output, path) => {
        found.push(pulumi.isSecret(output).then((secret) => (secret ? { path, whole: !/[.[]/.test(path) } : undefined)));
        return output;
    });
    return (await Promise.all(found)).filter((p): p is { path: string; whole: boolean } => p !== undefined);
}

/**
 * A copy of the (spread) inputs with every known Output and Promise replaced by its value: what
 * the checks run on in Construct, so an output-valued input that turns out invalid is refused
 * with the others. Outputs not known yet (a preview) stay Outputs, checked when they resolve.
 */
export async function knownCopy(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        if (!(await isKnown(value))) return value;
        return knownCopy(await valueOf(value));
    }
    if (isThenable(value)) return knownCopy(await value);
    if (Array.isArray(value)) return Promise.all(value.map(knownCopy));
    if (isRecord(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = await knownCopy(v);
        return out;
    }
    return value;
}
