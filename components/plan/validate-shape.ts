import { plainSecretError } from "./secret-key-ref";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { suggest } from "./extensions";
import { DruidArgumentError } from "../core/errors";
import { isDeferred } from "../core/validate-input";
import { ProblemCollector } from "./validate-collect";

// The runtime type of every argument, checked against the package schema before anything else.
//
// The model is not written by hand: it is `schema.json`, which `npm run schema` generates from
// components/args.ts with @pulumi/pulumi's own analyzer (the schema the provider serves to
// Python, Go, .NET, Java and YAML), and which `npm run schema:check` keeps current. A new field in
// args.ts is therefore in the model as soon as the schema is regenerated. Walked from
// `resources["druid:index:DruidCluster"].inputProperties` through `types`, every value given is
// checked for its runtime type: strings, booleans, finite numbers (whole numbers unless listed in
// `fractionalNumbers`: the schema has only `number`), lists (no null or undefined entries), maps
// (string keys, values of the map's type), objects of the schema's types (unknown keys refused,
// with a "did you mean"), enum values. `pulumi.Input` values (Outputs, Promises) are accepted only
// where the schema marks a property as not `plain` (what other resources' outputs may feed), and
// are left to resolve.ts, which checks what they resolve to when they resolve (validate-input.ts).
//
// What is *not* here: required-ness and the domain rules (ranges, names, quantities, combinations),
// which resolve.ts checks with messages of their own. This model only guarantees those checks see
// values of the right runtime type.

/** The component's type token in the schema. */
export const componentToken = "druid:index:DruidCluster";

/** The parts of the package schema (pulumi.json) this model reads. */
export interface SchemaProperty {
    type?: string;
    $ref?: string;
    plain?: boolean;
    description?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
}

export interface SchemaType {
    type: string;
    properties?: Record<string, SchemaProperty>;
    enum?: { name?: string; value: string | number }[];
}

/** The component's inputs and the types they refer to. */
export interface ArgsSchema {
    inputProperties: Record<string, SchemaProperty>;
    types: Record<string, SchemaType>;
}

/**
 * Number arguments that may have a fraction, as "TypeName.property" (the interface in args.ts).
 * Every other number argument is a count, a port, a size, a number of days, minutes or seconds,
 * and must be a whole number (resolve.ts's checkInteger then checks its range).
 */
export const fractionalNumbers: ReadonlySet<string> = new Set([
    "AlertThresholds.queryFailureRatio",
    "AlertThresholds.queryP95Seconds",
    "AlertThresholds.heapUsedRatio",
    "AlertThresholds.directMemoryHeadroomRatio",
]);

/** Where schema.json is: the package root, two levels above components/plan/ (source) or three (dist/components/plan/). */
export const schemaLocations = [path.join(__dirname, "..", "..", "schema.json"), path.join(__dirname, "..", "..", "..", "schema.json")];

let loaded: ArgsSchema | undefined;

/** The component's input schema, read from the package's schema.json once. */
export function argsSchema(): ArgsSchema {
    if (loaded !== undefined) return loaded;
    for (const file of schemaLocations) {
        if (!fs.existsSync(file)) continue;
        const schema = JSON.parse(fs.readFileSync(file, "utf8")) as { resources?: Record<string, { inputProperties?: Record<string, SchemaProperty> }>; types?: Record<string, SchemaType> };
        const resource = schema.resources?.[componentToken];
        if (resource?.inputProperties !== undefined) {
            loaded = { inputProperties: resource.inputProperties, types: schema.types ?? {} };
            return loaded;
        }
    }
    throw new Error(`pulumi-druid: no schema.json with ${componentToken} found at ${schemaLocations.join(" or ")}; it ships with the package (package.json "files")`);
}

/** The name of a schema type ("druid:index:Router" -> "Router"): the interface in args.ts, or Druid<interface> for the types renamed apart from Kubernetes' (scripts/schema-quality.ts). */
function typeName(ref: string): string {
    return ref.replace(/^#\/types\//, "").split(":").pop() ?? ref;
}

function summary(description: string | undefined): string {
    if (description === undefined) return "";
    const first = /^[\s\S]*?[.!?](?=\s|$)/.exec(description.replace(/\s+/g, " ").trim())?.[0] ?? description;
    return ` (${first})`;
}


function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.toString.call(value) === "[object Object]";
}

/** How a wrong value is shown: primitives and lists of primitives as they are, objects by their keys only (they may hold a secret). */
function shown(value: unknown): unknown {
    if (pulumi.Output.isInstance(value)) return "an Output";
    if (isDeferred(value)) return "a Promise";
    if (typeof value === "function") return "a function";
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "symbol") return value.toString();
    if (Array.isArray(value)) {
        return value.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v)) && value.length <= 20 ? value : `a list of ${value.length} items`;
    }
    if (value !== null && typeof value === "object") {
        return isRecord(value) ? `an object with ${Object.keys(value).join(", ") || "no keys"}` : `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
    }
    return value;
}

/**
 * Checks the runtime type of every given argument against the schema. With a collector, every
 * wrong argument is recorded there (one per property: the first thing wrong inside it); without
 * one, throws a DruidArgumentError at the first wrong one.
 */
export function checkArgsShape(args: unknown, schema: ArgsSchema = argsSchema(), problems?: ProblemCollector): void {
    new ShapeChecker(schema, problems).object("args", "", args, "DruidClusterArgs", schema.inputProperties);
}

class ShapeChecker {
    constructor(private readonly schema: ArgsSchema, private readonly problems?: ProblemCollector) {}

    /** What a property takes, in words: "a string", "a list of whole numbers", ... */
    expected(prop: SchemaProperty, owner: string, plural = false): string {
        const s = (one: string, many: string) => (plural ? many : one);
        if (prop.$ref !== undefined) {
            const t = this.schema.types[prop.$ref.replace(/^#\/types\//, "")];
            if (t?.enum !== undefined) return s("one of ", "values among ") + t.enum.map((e) => JSON.stringify(e.value)).join(", ");
            return s(`an object (${typeName(prop.$ref)}: ${Object.keys(t?.properties ?? {}).join(", ")})`, `${typeName(prop.$ref)} objects`);
        }
        switch (prop.type) {
            case "string": return s("a string", "strings");
            case "boolean": return s("true or false", "true or false values");
            case "integer": return s("a whole number", "whole numbers");
            case "number": return fractionalNumbers.has(owner) ? s("a finite number", "finite numbers") : s("a whole number", "whole numbers");
            case "array": return s("a list of ", "lists of ") + this.expected(prop.items ?? {}, owner, true);
            case "object": return s("a map of names to ", "maps of names to ") + this.expected(prop.additionalProperties ?? {}, owner, true);
            default: return s("a value", "values");
        }
    }

    fail(argument: string, value: unknown, prop: SchemaProperty, owner: string, extra = ""): never {
        throw new DruidArgumentError(argument, shown(value), `must be ${this.expected(prop, owner)}${extra}${summary(prop.description)}`);
    }

    /** An object of a schema type (or the component's arguments): known keys only, each of its type. */
    object(argument: string, prefix: string, value: unknown, name: string, properties: Record<string, SchemaProperty>): void {
        if (!isRecord(value)) {
            throw new DruidArgumentError(argument, shown(value), `must be an object (${name}: ${Object.keys(properties).join(", ")})`);
        }
        for (const key of Object.keys(value)) {
            const at = `${prefix}${key}`;
            const prop = properties[key];
            if (prop === undefined) {
                const names = Object.keys(properties);
                const normalized = (k: string) => k.toLowerCase().replace(/[-_]/g, "");
                const hint = names.find((n) => normalized(n) === normalized(key)) ?? suggest(key, names, key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3);
                const unknown = new DruidArgumentError(at, shown(value[key]),
                    `is not an argument of ${name}${hint !== undefined ? `; did you mean "${prefix}${hint}"?` : ""} (its arguments: ${names.join(", ")})`);
                if (this.problems === undefined) throw unknown;
                this.problems.add(unknown);
                continue;
            }
            if (value[key] === undefined) continue; // not given: defaults and required-ness are resolve.ts's
            const check = () => this.value(at, value[key], prop, `${name}.${key}`, "leave it out for its default");
            if (this.problems !== undefined) this.problems.attempt(check, undefined);
            else check();
        }
    }

    /** Any value at a position the schema describes with `prop`; `owner` is "TypeName.property". */
    value(argument: string, value: unknown, prop: SchemaProperty, owner: string, nullAdvice: string): void {
        if (value === null || value === undefined) {
            this.fail(argument, value, prop, owner, `, not ${String(value)}: ${nullAdvice}`);
        }
        // A secret (or anything else) where a reference to a Kubernetes Secret is required: refused
        // without echoing it (the error reaches logs).
        if (/[/:]SecretKeyRef$/.test(prop.$ref ?? "") && (isDeferred(value) || !isRecord(value))) throw plainSecretError(argument);
        if (isDeferred(value)) {
            if (prop.plain === true) {
                this.fail(argument, value, prop, owner, " known when the program runs, not an Output or a Promise: only arguments documented as accepting other resources' outputs do");
            }
            return; // a pulumi.Input where the schema allows one: used as a resource input once it resolves
        }
        if (prop.$ref !== undefined) {
            const ref = prop.$ref.replace(/^#\/types\//, "");
            const t = this.schema.types[ref];
            if (t === undefined) return;
            if (t.enum !== undefined) {
                const allowed = t.enum.map((e) => e.value);
                if (!allowed.includes(value as string | number)) {
                    const hint = typeof value === "string" ? suggest(value, allowed.map(String), 3) : undefined;
                    this.fail(argument, value, prop, owner, hint !== undefined ? `; did you mean "${hint}"?` : "");
                }
                return;
            }
            this.object(argument, `${argument}.`, value, typeName(ref), t.properties ?? {});
            return;
        }
        switch (prop.type) {
            case "string":
                if (typeof value !== "string") this.fail(argument, value, prop, owner);
                return;
            case "boolean":
                if (typeof value !== "boolean") this.fail(argument, value, prop, owner);
                return;
            case "integer":
            case "number":
                if (typeof value !== "number" || !Number.isFinite(value)) this.fail(argument, value, prop, owner);
                if ((prop.type === "integer" || !fractionalNumbers.has(owner)) && !Number.isSafeInteger(value)) this.fail(argument, value, prop, owner);
                return;
            case "array": {
                if (!Array.isArray(value)) this.fail(argument, value, prop, owner);
                const items = { description: prop.description, ...prop.items };
                for (let i = 0; i < value.length; i++) {
                    this.value(`${argument}[${i}]`, value[i], items, owner, "a list holds no empty entries; remove it");
                }
                return;
            }
            case "object": {
                if (!isRecord(value)) this.fail(argument, value, prop, owner);
                const values = { description: prop.description, ...prop.additionalProperties };
                for (const [k, v] of Object.entries(value)) {
                    this.value(`${argument}[${JSON.stringify(k)}]`, v, values, owner, "a map holds no empty values; remove the key");
                }
                return;
            }
            default:
                return; // a type the schema does not constrain
        }
    }
}
