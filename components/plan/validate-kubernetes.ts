import { Scheduling } from "../args";
import { DruidArgumentError } from "../core/errors";

// Rules of the Kubernetes API server for the values the component puts into objects, from
// k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Label, IsDNS1123Subdomain,
// IsDNS1035Label, IsQualifiedName, IsValidLabelValue) and pkg/apis/core/validation/validation.go
// (validateTolerations), as the docs state them:
// https://kubernetes.io/docs/concepts/overview/working-with-objects/names/ and
// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set.

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedNamePart = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isDns1123Label(v: string, max = 63): boolean {
    return typeof v === "string" && v.length <= max && dns1123Label.test(v);
}

export function isDns1035Label(v: string, max = 63): boolean {
    return typeof v === "string" && v.length <= max && dns1035Label.test(v);
}

export function isDns1123Subdomain(v: string, max = 253): boolean {
    return typeof v === "string" && v.length <= max && dns1123Subdomain.test(v);
}

/** A label or annotation key: an optional DNS-1123 subdomain prefix (at most 253) and "/", then a name of at most 63. */
export function isQualifiedName(key: string): boolean {
    if (typeof key !== "string") return false;
    const parts = key.split("/");
    if (parts.length > 2) return false;
    const name = parts[parts.length - 1];
    if (parts.length === 2 && !isDns1123Subdomain(parts[0])) return false;
    return name.length >= 1 && name.length <= 63 && qualifiedNamePart.test(name);
}

/** A label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit. */
export function isLabelValue(v: string): boolean {
    return typeof v === "string" && v.length <= 63 && labelValue.test(v);
}

const keyRule = "keys are an optional DNS subdomain prefix (at most 253 characters) and '/', then a name of at most 63 letters, digits, '-', '_' and '.' " +
    "starting and ending with a letter or digit (one '/' at most)";
export const labelValueRule = "a label value has at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

function checkMap(argument: string, value: unknown, what: "label" | "annotation"): Record<string, string> {
    if (value === undefined) return {};
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new DruidArgumentError(argument, value, `must be a map of ${what} keys to string values`);
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!isQualifiedName(k)) {
            throw new DruidArgumentError(`${argument}["${k}"]`, k, `is not a Kubernetes ${what} key: ${keyRule}`);
        }
        if (typeof v !== "string") {
            throw new DruidArgumentError(`${argument}["${k}"]`, v, `${what} values must be strings`);
        }
        if (what === "label" && !isLabelValue(v)) {
            throw new DruidArgumentError(`${argument}["${k}"]`, v, `is not a Kubernetes label value: ${labelValueRule}`);
        }
    }
    return value as Record<string, string>;
}

/** Labels (and node selectors): qualified keys, label values. */
export function checkLabels(argument: string, value: unknown): Record<string, string> {
    return checkMap(argument, value, "label");
}

/** Annotations: qualified keys, any string values. */
export function checkAnnotations(argument: string, value: unknown): Record<string, string> {
    return checkMap(argument, value, "annotation");
}

const operators = ["Equal", "Exists"];
const effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** Node selector and tolerations, by the API server's rules (validateTolerations). */
export function checkScheduling(argument: string, s: Scheduling | undefined): Scheduling | undefined {
    if (s === undefined) return undefined;
    if (s === null || typeof s !== "object" || Array.isArray(s)) {
        throw new DruidArgumentError(argument, s, "must be an object with nodeSelector and/or tolerations");
    }
    checkLabels(`${argument}.nodeSelector`, s.nodeSelector);
    const tolerations: unknown = s.tolerations;
    if (tolerations === undefined) return s;
    if (!Array.isArray(tolerations)) {
        throw new DruidArgumentError(`${argument}.tolerations`, tolerations, "must be a list of tolerations");
    }
    tolerations.forEach((t: unknown, i) => {
        const at = `${argument}.tolerations[${i}]`;
        if (t === null || typeof t !== "object" || Array.isArray(t)) {
            throw new DruidArgumentError(at, t, "must be an object with key, operator, value and effect");
        }
        const { key, operator, value, effect } = t as Record<string, unknown>;
        for (const [field, v] of Object.entries({ key, operator, value, effect })) {
            if (v !== undefined && typeof v !== "string") throw new DruidArgumentError(`${at}.${field}`, v, "must be a string");
        }
        const op = (operator as string | undefined) ?? "Equal";
        if (!operators.includes(op)) {
            throw new DruidArgumentError(`${at}.operator`, operator, "must be \"Equal\" or \"Exists\"");
        }
        if (effect !== undefined && effect !== "" && !effects.includes(effect as string)) {
            throw new DruidArgumentError(`${at}.effect`, effect, "must be \"NoSchedule\", \"PreferNoSchedule\" or \"NoExecute\" (or unset for all effects)");
        }
        if (key === undefined || key === "") {
            if (op !== "Exists") {
                throw new DruidArgumentError(`${at}.operator`, operator ?? "Equal (the default)",
                    "must be \"Exists\" for a toleration without a key (Kubernetes: \"operator must be Exists when `key` is empty\", which tolerates every taint)");
            }
        } else if (!isQualifiedName(key as string)) {
            throw new DruidArgumentError(`${at}.key`, key, `is not a taint key: ${keyRule}`);
        }
        if (op === "Exists" && value !== undefined && value !== "") {
            throw new DruidArgumentError(`${at}.value`, value, "must be empty with operator \"Exists\" (Kubernetes refuses a value there)");
        }
        if (op === "Equal" && value !== undefined && !isLabelValue(value as string)) {
            throw new DruidArgumentError(`${at}.value`, value, `is not a taint value: ${labelValueRule}`);
        }
    });
    return s;
}
