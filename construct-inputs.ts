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
// whose value is not known yet (a preview before its resource exists) is left as it is.
import * as pulumi from "@pulumi/pulumi";
import type { ArgsSchema, SchemaProperty } from "./components/validate-shape";

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
        result[key] = await spread(value, schema.inputProperties[key], schema);
    }
    return result;
}

/** `value` at a position the schema describes with `prop` (undefined: a key the schema does not have, left for validation to refuse). */
async function spread(value: unknown, prop: SchemaProperty | undefined, schema: ArgsSchema): Promise<unknown> {
    if (prop === undefined) return value;
    if (pulumi.Output.isInstance(value)) {
        if (!(await isKnown(value))) return value;
        return leaves(await valueOf(value), prop, schema, value, []);
    }
    // A plain object or list may still hold whole outputs (the engine's output values inside it).
    if (Array.isArray(value)) return Promise.all(value.map((v) => spread(v, prop.items, schema)));
    if (isRecord(value)) {
        const props = objectProperties(prop, schema);
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = await spread(v, props !== undefined ? props[k] : prop.additionalProperties, schema);
        return out;
    }
    return value;
}

/** The properties of the object type `prop` refers to, if it does. */
function objectProperties(prop: SchemaProperty, schema: ArgsSchema): Record<string, SchemaProperty> | undefined {
    return prop.$ref !== undefined ? schema.types[prop.$ref.replace(/^#\/types\//, "")]?.properties : undefined;
}

/** The known value of `whole` at `at`, as plain containers with Output leaves where the schema takes outputs. */
function leaves(value: unknown, prop: SchemaProperty | undefined, schema: ArgsSchema, whole: pulumi.Output<unknown>, at: (string | number)[]): unknown {
    if (value === null || value === undefined || prop === undefined) return value;
    if (Array.isArray(value)) return value.map((v, i) => leaves(v, prop.items, schema, whole, [...at, i]));
    if (isRecord(value)) {
        const props = objectProperties(prop, schema);
        return Object.fromEntries(Object.entries(value).map(([k, v]) =>
            [k, leaves(v, props !== undefined ? props[k] : prop.additionalProperties, schema, whole, [...at, k])]));
    }
    if (prop.plain === true) return value;
    // The whole's secretness and dependencies, on this leaf.
    return whole.apply((w) => at.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], w));
}
