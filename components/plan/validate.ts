import { DruidArgumentError } from "../core/errors";
import { maxVolumeBytes, parseBytes, parseCpu } from "../core/quantities";
import { checkDruidProperties } from "./validate-druid";
import { isDns1123Label, isDns1123Subdomain } from "./validate-kubernetes";

// Small checks shared by the resolvers. Each throws a DruidArgumentError naming the argument.

/** A DNS-1123 label (Kubernetes names of namespaces, services, tiers). */
export function checkDnsLabel(argument: string, value: string, maxLength = 63): string {
    if (!isDns1123Label(value, maxLength)) {
        throw new DruidArgumentError(argument, value,
            `must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most ${maxLength} characters`);
    }
    return value;
}

/** A DNS-1123 subdomain (names of Secrets, issuers, ...). */
export function checkDnsSubdomain(argument: string, value: string): string {
    if (!isDns1123Subdomain(value)) {
        throw new DruidArgumentError(argument, value, "must be a Kubernetes object name: lower-case letters, digits, '-' and '.', at most 253 characters");
    }
    return value;
}

export function checkInteger(argument: string, value: number | undefined, fallback: number, min: number, max: number): number {
    const v = value ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
        throw new DruidArgumentError(argument, value, `must be a whole number from ${min} to ${max}`);
    }
    return v;
}

/** A memory quantity: whole bytes, at most 16Ti (quantities.ts maxMemoryBytes). */
export function checkBytes(argument: string, value: string): number {
    return parseBytes(value, argument);
}

/** A volume size: whole bytes, at most 64Ti (quantities.ts maxVolumeBytes). */
export function checkVolumeBytes(argument: string, value: string): number {
    return parseBytes(value, argument, maxVolumeBytes);
}

export function checkCpu(argument: string, value: string): number {
    return parseCpu(value, argument);
}

export function checkOneOf<T extends string>(argument: string, value: T | undefined, fallback: T, allowed: readonly T[]): T {
    const v = value ?? fallback;
    if (!allowed.includes(v)) {
        throw new DruidArgumentError(argument, value, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    }
    return v;
}

/** S3 bucket naming rules (general purpose buckets). */
export function checkBucketName(argument: string, value: string): string {
    const ok = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) && !value.includes("..") &&
        !/^\d+\.\d+\.\d+\.\d+$/.test(value) && !value.startsWith("xn--") && !value.endsWith("-s3alias");
    if (!ok) {
        throw new DruidArgumentError(argument, value,
            "must be a valid S3 bucket name: 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit");
    }
    return value;
}

export function checkKmsKeyArn(argument: string, value: string): string {
    if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/.test(value)) {
        throw new DruidArgumentError(argument, value,
            "must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    }
    return value;
}

export function checkCidr(argument: string, value: string): string {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
        throw new DruidArgumentError(argument, value, "must be an IPv4 CIDR block such as 10.0.0.0/16");
    }
    if (Number(m[5]) === 0) {
        throw new DruidArgumentError(argument, value, "must not open the service to the whole internet (/0); name the node or pod network");
    }
    return value;
}

/**
 * The `key=value` maps users pass as property overrides: dotted names, string values, none of the
 * properties the component controls, and values of the type Druid reads (validate-druid.ts).
 */
export function checkPropertyMap(argument: string, value: { [key: string]: string } | undefined): { [key: string]: string } {
    const map = value ?? {};
    if (map === null || typeof map !== "object" || Array.isArray(map)) {
        throw new DruidArgumentError(argument, map, "must be a map of Druid property names to string values");
    }
    for (const [k, v] of Object.entries(map)) {
        if (!/^[A-Za-z][A-Za-z0-9_.\-[\]]*$/.test(k)) {
            throw new DruidArgumentError(`${argument}["${k}"]`, k, "property names are dotted identifiers such as druid.server.http.numThreads");
        }
        if (typeof v !== "string") {
            throw new DruidArgumentError(`${argument}["${k}"]`, v, "property values must be strings");
        }
    }
    checkDruidProperties(argument, map);
    return map;
}

/** Fails when two mutually exclusive groups of options are both given. */
export function checkExclusive(argument: string, existingKey: string, given: Record<string, unknown>, createKeys: readonly string[]): void {
    const conflicting = createKeys.filter((k) => given[k] !== undefined);
    if (given[existingKey] !== undefined && conflicting.length > 0) {
        throw new DruidArgumentError(`${argument}.${existingKey}`, shapeOf(given[existingKey]),
            `cannot be combined with ${conflicting.map((k) => `${argument}.${k}`).join(", ")}, which only apply when the component creates it; give one or the other`);
    }
}

/** A value to show in an error without its contents: objects by their keys only (they may hold a password). */
export function shapeOf(value: unknown): unknown {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        return `an object with ${Object.keys(value).join(", ") || "no keys"}`;
    }
    return value;
}
