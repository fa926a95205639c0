import * as pulumi from "@pulumi/pulumi";

/** Generated files per service key ("_common" holds common.runtime.properties). */
export type ConfigurationFiles = Record<string, Record<string, string>>;

/** Text standing for a value that only deployment will tell (an RDS endpoint in a preview). */
export function unknownPlaceholder(what: string): string {
    return `<unknown until deployed: ${what}>`;
}

/**
 * An Output's value, or a placeholder naming it when the value is unknown (preview). Only for the
 * rendered view of the configuration: resource inputs always get the real Output, so a preview
 * never shows placeholder text as if it were the value to deploy.
 */
export function orPlaceholder<T>(value: pulumi.Input<T>, what: string): pulumi.Output<T | string> {
    const out = pulumi.output(value);
    // The SDK's apply takes a second, internal argument that runs the callback even when the value
    // is unknown; there is no public equivalent.
    const apply = (out as unknown as { apply(f: (v: unknown) => T | string, runWithUnknowns: boolean): pulumi.Output<T | string> });
    return apply.apply((v) => (pulumi.isUnknown(v) || v === undefined ? unknownPlaceholder(what) : v as T), true);
}

type Preview = { cluster: string; files: pulumi.Output<ConfigurationFiles> };

/**
 * One list per process, whichever copy of this module records or reads it: the compiled `render`
 * CLI (dist/) may run a program that imports the TypeScript sources (the quickstart imports
 * `../../index`) or another installed copy of the package, and each copy would otherwise keep its
 * own list, leaving the CLI's empty.
 */
const registry = Symbol.for("pulumi-druid.configurationPreviews");
const previews: Preview[] = ((globalThis as Record<symbol, Preview[] | undefined>)[registry] ??= []);

/** Called by DruidCluster: the files with placeholders, for `render` and tests. */
export function recordConfigurationPreview(cluster: string, files: pulumi.Output<ConfigurationFiles>): void {
    previews.push({ cluster, files });
}

/** The previews recorded since the last call, emptied. */
export function takeConfigurationPreviews(): Preview[] {
    return previews.splice(0, previews.length);
}

/**
 * The keys of a Secret whose whole `data` or `stringData` map is one secret Output (the Kubernetes
 * SDK wraps both in pulumi.secret): in a preview its values are unknown, so the plan holds one mask
 * for the whole map. `render` writes the keys with masked values instead, a valid Secret.
 */
export interface SecretKeys {
    /** Pulumi resource name of the Secret. */
    name: string;
    field: "data" | "stringData";
    keys: string[];
}

const secretKeysRegistry = Symbol.for("pulumi-druid.secretKeys");
const secretKeys: SecretKeys[] = ((globalThis as Record<symbol, SecretKeys[] | undefined>)[secretKeysRegistry] ??= []);

/** Called where a Secret is created: its keys, for `render`. */
export function recordSecretKeys(name: string, field: SecretKeys["field"], keys: string[]): void {
    secretKeys.push({ name, field, keys: [...keys].sort() });
}

/** The Secret keys recorded since the last call, emptied. */
export function takeSecretKeys(): SecretKeys[] {
    return secretKeys.splice(0, secretKeys.length);
}
