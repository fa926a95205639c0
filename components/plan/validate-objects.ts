import * as pulumi from "@pulumi/pulumi";
import { parseImageReference } from "./image-reference";
import { DruidArgumentError } from "../core/errors";
import { checkInput } from "../core/validate-input";
import { isDns1123Subdomain } from "./validate-kubernetes";

// Names of Kubernetes objects and keys the arguments refer to, by the API server's rules
// (k8s.io/apimachinery/pkg/util/validation/validation.go: IsDNS1123Subdomain for object names such
// as a StorageClass, Secret, ConfigMap or PersistentVolumeClaim; IsConfigMapKey for the keys of a
// Secret's or ConfigMap's data: "[-._a-zA-Z0-9]+", at most 253 characters, not "." or "..").

const configMapKey = /^[-._a-zA-Z0-9]+$/;

/** IsConfigMapKey: what a Secret or ConfigMap key may be. */
export function isConfigMapKey(v: string): boolean {
    return typeof v === "string" && v.length >= 1 && v.length <= 253 && configMapKey.test(v) && v !== "." && v !== "..";
}

export const configMapKeyRule = "a Secret/ConfigMap key is 1-253 letters, digits, '-', '_' and '.', and not \".\" or \"..\"";
export const objectNameRule = "a Kubernetes object name (DNS-1123 subdomain): at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";

/** A Secret or ConfigMap key (`what` says what the key holds). */
export function checkConfigMapKey(argument: string, value: string, what = "the value"): string {
    if (!isConfigMapKey(value)) throw new DruidArgumentError(argument, value, `must name the Secret/ConfigMap key that holds ${what}: ${configMapKeyRule}`);
    return value;
}

/** The name of an object of `kind` (StorageClass, Secret, ConfigMap, PersistentVolumeClaim). */
export function checkObjectName(argument: string, value: string, kind: string): string {
    if (!isDns1123Subdomain(value)) throw new DruidArgumentError(argument, value, `must name a ${kind}: ${objectNameRule}`);
    return value;
}

/** A storage class name, checked now or when another resource's output resolves. */
export function checkStorageClass<T extends pulumi.Input<string> | undefined>(argument: string, value: T): T {
    if (value === undefined) return value;
    return checkInput(value, (v) => checkObjectName(argument, v, "StorageClass")) as T;
}

/** A container image reference, by the grammar the component checks its own images with (config/image-reference.ts). */
export function checkImageReference(argument: string, value: string, example: string): string {
    if (typeof value !== "string" || parseImageReference(value) === undefined) {
        throw new DruidArgumentError(argument, value, `must be an image reference: [registry[:port]/]path[:tag][@digest], e.g. "${example}"`);
    }
    return value;
}

type Fields = Record<string, unknown>;

/** `check(v)` on a plain string now, on an Output or Promise when it resolves; other values are left to the type model. */
function checkField(value: unknown, check: (v: string) => string): unknown {
    if (typeof value === "string") return check(value);
    if (pulumi.Output.isInstance(value) || (value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function")) {
        return checkInput(value as pulumi.Input<string>, check);
    }
    return value;
}

/** The `items[].key` of a Secret or ConfigMap volume: keys of that object. */
function checkItems(argument: string, items: unknown): unknown {
    if (!Array.isArray(items)) return items;
    return items.map((item: unknown, i) => {
        if (item === null || typeof item !== "object") return item;
        const it = item as Fields;
        return it.key === undefined ? it : { ...it, key: checkField(it.key, (k) => checkConfigMapKey(`${argument}.items[${i}].key`, k, "the file")) };
    });
}

/**
 * The names a user volume's source refers to (a Secret's, a ConfigMap's, a claim's name, and the
 * keys of its `items`), by the API server's rules; a value another resource outputs is checked
 * when it resolves. Returns the source with those checks in place.
 */
export function checkVolumeSourceNames(argument: string, kind: string, source: unknown): unknown {
    if (source === null || typeof source !== "object" || pulumi.Output.isInstance(source)) return source;
    const s = { ...(source as Fields) };
    const name = (field: string, objectKind: string) => {
        if (s[field] !== undefined) s[field] = checkField(s[field], (v) => checkObjectName(`${argument}.${field}`, v, objectKind));
    };
    if (kind === "secret") name("secretName", "Secret");
    if (kind === "configMap") name("name", "ConfigMap");
    if (kind === "persistentVolumeClaim") name("claimName", "PersistentVolumeClaim");
    if ((kind === "secret" || kind === "configMap") && s.items !== undefined) s.items = checkItems(argument, s.items);
    return s;
}

/**
 * A name the plan checks against others (unique volume, container and variable names; a mount's
 * volume): it must be known when the program runs, even where the Kubernetes type takes an Input.
 */
export function checkKnown<T>(argument: string, value: T, why: string): T {
    if (pulumi.Output.isInstance(value) || (value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function")) {
        throw new DruidArgumentError(argument, "an Output", `must be a string known when the program runs, not another resource's output: ${why}`);
    }
    return value;
}

/**
 * An environment variable's `valueFrom.secretKeyRef` / `configMapKeyRef`: the object's name and the
 * key, by the same rules (checked when they resolve for Outputs). Returns `valueFrom` with the checks in place.
 */
export function checkEnvSourceNames(argument: string, valueFrom: unknown): unknown {
    if (valueFrom === null || typeof valueFrom !== "object" || pulumi.Output.isInstance(valueFrom)) return valueFrom;
    const v = { ...(valueFrom as Fields) };
    for (const [ref, kind] of [["secretKeyRef", "Secret"], ["configMapKeyRef", "ConfigMap"]] as const) {
        const r = v[ref];
        if (r === null || typeof r !== "object" || pulumi.Output.isInstance(r)) continue;
        const checked = { ...(r as Fields) };
        if (checked.name !== undefined) checked.name = checkField(checked.name, (n) => checkObjectName(`${argument}.${ref}.name`, n, kind));
        if (checked.key !== undefined) checked.key = checkField(checked.key, (k) => checkConfigMapKey(`${argument}.${ref}.key`, k, "the variable's value"));
        v[ref] = checked;
    }
    return v;
}
