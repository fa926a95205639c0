import * as pulumi from "@pulumi/pulumi";
import { DruidArgumentError } from "../core/errors";
import { ArgsSchema, argsSchema, SchemaProperty } from "./validate-shape";

// Where a secret may go. The component writes its arguments into ConfigMaps (the Druid
// properties, JVM options), pod specs (env values), its `configuration` output and the render's
// files, all in plain text; only the passwords below go into Kubernetes Secrets (and the RDS
// password). A secret given anywhere else is refused, whatever the argument's `plain` marking:
// over Construct the SDK hands a `plain` leaf of a secret object over as its bare value
// (construct-inputs.ts), which would drop its secretness silently.
//
// What to do instead, for a Druid property that holds a credential: the pods get the secret as an
// environment variable from a Kubernetes Secret (`env: [{ name, valueFrom: { secretKeyRef } }]`
// on the service), and the property names that variable with Druid's environment password
// provider, `{"type":"environment","variable":"NAME"}`: PasswordProvider's subtype "environment"
// (apache/druid@7f98dc51d2696367f2ed51e8df234c36d943cab8
// processing/src/main/java/org/apache/druid/metadata/PasswordProvider.java:35-39), which is the
// type of e.g. druid.emitter.http.basicAuthentication (BaseHttpEmittingConfig.java,
// `PasswordProvider basicAuthentication`). Both read at the stored commits, not at the
// druid-37.0.0 tag, which this machine cannot resolve; the PasswordProvider subtypes have been
// the same since Druid 0.13.

/** The arguments that carry a secret: each goes into a Kubernetes Secret, never into a ConfigMap or an output. */
export const secretArguments: readonly string[] = ["auth.adminPassword", "auth.internalClientPassword", "metadataStore.existing.password"];

/** How to pass a secret a Druid property needs, in words (for the error). */
const instead = "a secret can only be given to " + secretArguments.join(", ") + ". For a Druid property that holds a credential, " +
    "give the pods the secret as an environment variable from a Kubernetes Secret (the service's env: [{ name, valueFrom: { secretKeyRef } }]) and set the property " +
    "to Druid's environment password provider, {\"type\":\"environment\",\"variable\":\"<name>\"}";

/** The error for a secret at `argument`, which the component would write in plain text. */
export function secretArgumentError(argument: string, whole = false): DruidArgumentError {
    return new DruidArgumentError(argument, "a secret",
        `is written in plain text (into the generated ConfigMaps, pod specs, the configuration output and the render), so it must not be a secret` +
        `${whole ? ` (the engine marks the whole ${argument} secret when any value inside it is)` : ""}; ${instead}`);
}

/** Whether `argument` is a secret argument, or lies above one (an object that holds it). */
function holdsSecretArgument(argument: string, given: (path: string) => boolean): boolean {
    return secretArguments.some((s) => (s === argument || s.startsWith(`${argument}.`)) && given(s));
}

/**
 * The problems of the secrets found at `paths` (argument paths of secret values, `whole` when the
 * secret marks a whole object the engine handed over): a secret is fine at a secret argument, and
 * on an object that holds a given secret argument (the engine cannot say which value inside made
 * it secret); anywhere else it is refused.
 */
export function checkSecretPaths(paths: readonly { path: string; whole: boolean }[], given: (path: string) => boolean): DruidArgumentError[] {
    return paths.filter((p) => !holdsSecretArgument(p.path, given)).map((p) => secretArgumentError(p.path, p.whole));
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.toString.call(value) === "[object Object]";
}

/**
 * `value` with `f(value, path)` applied to every Output inside it, at its argument path as the
 * errors write it (`a.b` for a property of a schema type, `a["k"]` for a map key, `a[0]` for a list item).
 */
export function mapOutputs(value: unknown, schema: ArgsSchema, f: (output: pulumi.Output<unknown>, path: string) => unknown): unknown {
    const walk = (v: unknown, prop: SchemaProperty | undefined, at: string): unknown => {
        if (pulumi.Output.isInstance(v)) return f(v, at);
        if (Array.isArray(v)) return v.map((e, i) => walk(e, prop?.items, `${at}[${i}]`));
        if (!isRecord(v)) return v;
        const props = prop?.$ref !== undefined ? schema.types[prop.$ref.replace(/^#\/types\//, "")]?.properties : undefined;
        return Object.fromEntries(Object.entries(v).map(([k, e]) => props !== undefined
            ? [k, walk(e, props[k], `${at}.${k}`)]
            : [k, walk(e, prop?.additionalProperties, `${at}[${JSON.stringify(k)}]`)]));
    };
    if (!isRecord(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, schema.inputProperties[k], k)]));
}

/**
 * The arguments with each Output outside the secret arguments replaced by one that fails with the
 * component's error when it is a secret (known at once: an Output's secretness is known even when
 * its value is not). What a TypeScript program's `pulumi.secret(...)` in a field the component
 * writes in plain text meets: the resource that would use it fails with this error.
 */
export function refuseSecretOutputs<T>(args: T, schema: ArgsSchema = argsSchema()): T {
    return mapOutputs(args, schema, (output, at) => secretArguments.includes(at) ? output
        : pulumi.output(pulumi.isSecret(output)).apply((secret) => {
            if (secret) throw secretArgumentError(at);
            return output;
        })) as T;
}
