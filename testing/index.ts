import * as pulumi from "@pulumi/pulumi";
import { cloudMocks, MockOptions } from "./mocks";

/**
 * Preview-based testing: run a Pulumi program (or a function that builds a DruidCluster) under the
 * SDK's mock runtime and get back every resource it would register, with inputs, parent, provider
 * and dependencies, so tests can assert on the plan before anything is deployed.
 *
 * What the mocks stand for is described in `mocks.ts`: in preview mode, values a cloud computes
 * (ARNs, endpoints, generated passwords, ids) stay unknown, as in a real `pulumi preview`.
 */

/** Shown in place of a secret value. */
export const SECRET_MASK = "[secret]";
/** Shown in place of a value only known after deployment. */
export const UNKNOWN = "<unknown>";

/** One resource the program registered. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** URN of the parent ("" for the stack's root). */
    parent: string;
    /** Provider reference ("urn::id"), when one was passed explicitly or inherited. */
    provider: string;
    /** Inputs, with secrets replaced by SECRET_MASK and unknowns by UNKNOWN. */
    inputs: Record<string, unknown>;
    /** URNs this resource depends on (explicit dependsOn and implicit, through inputs). */
    dependencies: string[];
    protect: boolean;
    retainOnDelete: boolean;
    /** The resource option `deleteBeforeReplace`. */
    deleteBeforeReplace: boolean;
    additionalSecretOutputs: string[];
    /** Property paths the resource option `ignoreChanges` names. */
    ignoreChanges: string[];
    /** The resource option `customTimeouts` ("" where not set). */
    customTimeouts: { create: string; update: string; delete: string };
}

/** The result of running a program under the mocks. */
export class Plan {
    public readonly resources: PlannedResource[];
    private readonly byUrn: Map<string, PlannedResource>;
    private readonly childrenOf = new Map<string, PlannedResource[]>();

    constructor(resources: PlannedResource[]) {
        this.resources = resources;
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
        for (const r of resources) this.childrenOf.set(r.parent, [...(this.childrenOf.get(r.parent) ?? []), r]);
    }

    /** Resources of a type token, e.g. "kubernetes:apps/v1:StatefulSet". */
    ofType(type: string): PlannedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The resource with this type and logical name; throws when absent. */
    get(type: string, name: string): PlannedResource {
        const found = this.resources.find((r) => r.type === type && r.name === name);
        if (!found) {
            throw new Error(`no ${type} named "${name}" in the plan; it has: ${this.ofType(type).map((r) => r.name).join(", ") || "none of that type"}`);
        }
        return found;
    }

    byUrnOf(urn: string): PlannedResource | undefined {
        return this.byUrn.get(urn);
    }

    /** Every resource `urn` waits for, directly or through others. Dependencies on a component stand for its children. */
    transitiveDependencies(urn: string): Set<string> {
        const seen = new Set<string>();
        const stack = [...(this.byUrn.get(urn)?.dependencies ?? [])];
        while (stack.length > 0) {
            const next = stack.pop()!;
            if (seen.has(next)) continue;
            seen.add(next);
            const r = this.byUrn.get(next);
            if (r === undefined) continue;
            stack.push(...r.dependencies);
            if (!r.custom) stack.push(...(this.childrenOf.get(next) ?? []).map((c) => c.urn));
        }
        return seen;
    }

    /** True when `a` waits, directly or not, for `b`. */
    dependsOn(a: PlannedResource, b: PlannedResource): boolean {
        return this.transitiveDependencies(a.urn).has(b.urn);
    }

    /** Length of the longest chain of custom resources that must be created one after another, ending at `urn` (1 = no dependency). */
    depth(urn: string, memo = new Map<string, number>()): number {
        const cached = memo.get(urn);
        if (cached !== undefined) return cached;
        memo.set(urn, 0);
        const r = this.byUrn.get(urn);
        let deepest = 0;
        for (const d of this.customDependencies(r)) deepest = Math.max(deepest, this.depth(d, memo));
        const result = (r?.custom ? 1 : 0) + deepest;
        memo.set(urn, result);
        return result;
    }

    private customDependencies(r: PlannedResource | undefined): string[] {
        if (r === undefined) return [];
        const out: string[] = [];
        for (const d of r.dependencies) {
            const dep = this.byUrn.get(d);
            if (dep === undefined) continue;
            if (dep.custom) out.push(d);
            else out.push(...this.descendants(d).filter((c) => c.custom).map((c) => c.urn));
        }
        return out;
    }

    private descendants(urn: string): PlannedResource[] {
        return (this.childrenOf.get(urn) ?? []).flatMap((c) => [c, ...this.descendants(c.urn)]);
    }
}

/** Options of `planProgram`. */
export interface PlanOptions extends MockOptions {
    /** Run as `pulumi preview` (true, default) or as `pulumi up` (false). */
    preview?: boolean;
    project?: string;
    stack?: string;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getDependenciesList(): string[];
    getProtect?(): boolean;
    getRetainondelete?(): boolean;
    getDeletebeforereplace?(): boolean;
    getAdditionalsecretoutputsList(): string[];
    getIgnorechangesList?(): string[];
    getCustomtimeouts?(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface MonitorLike {
    registerResource(req: RegisterRequest, callback: (err: Error | null, resp?: { getUrn(): string }) => void): void;
}

const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const sigKey = "4dabf18193072939515e22adb298388d";

/**
 * A secret's contents with every value masked and the shape kept: a Kubernetes Secret's whole
 * `stringData` is one secret (the SDK wraps it), and its keys are part of a valid object.
 */
function maskSecretContents(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(maskSecretContents);
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[sigKey] === secretSig) return maskSecretContents(obj.value);
        if (typeof obj[sigKey] === "string") return SECRET_MASK;
        return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, maskSecretContents(obj[k])]));
    }
    return SECRET_MASK;
}

/** Replaces secrets and unknowns in a raw (serialized) property value. */
export function maskValue(value: unknown): unknown {
    if (value === pulumi.runtime.unknownValue) return UNKNOWN;
    if (Array.isArray(value)) return value.map(maskValue);
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[sigKey] === secretSig) return maskSecretContents(obj.value);
        if (typeof obj[sigKey] === "string") return `<${String(obj[sigKey])}>`;
        return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, maskValue(obj[k])]));
    }
    return value;
}

/**
 * Runs `program` under the mock runtime and returns what it registered plus its return value.
 * Errors thrown by the program (bad input) are rethrown unchanged.
 */
export async function planProgram<T>(program: () => T | Promise<T>, options: PlanOptions = {}): Promise<{ plan: Plan; result: T }> {
    const preview = options.preview ?? true;
    const recorded: PlannedResource[] = [];
    await pulumi.runtime.setMocks(cloudMocks(preview, options), options.project ?? "project", options.stack ?? "stack", preview);
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        original(req, (err, resp) => {
            if (!err && resp) {
                recorded.push({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    parent: req.getParent(),
                    provider: req.getProvider(),
                    inputs: maskValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    dependencies: [...new Set(req.getDependenciesList())].sort(),
                    protect: req.getProtect?.() ?? false,
                    retainOnDelete: req.getRetainondelete?.() ?? false,
                    deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
                    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                    ignoreChanges: req.getIgnorechangesList?.() ?? [],
                    customTimeouts: {
                        create: req.getCustomtimeouts?.()?.getCreate() ?? "",
                        update: req.getCustomtimeouts?.()?.getUpdate() ?? "",
                        delete: req.getCustomtimeouts?.()?.getDelete() ?? "",
                    },
                });
            }
            callback(err, resp);
        });
    };
    const result = await program();
    // Wait until every registration the program started has been answered.
    await pulumi.runtime.disconnect();
    return { plan: new Plan(recorded), result };
}

/** Resolves an Output to its value, or undefined when it is unknown (preview), for assertions. */
export async function valueOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    // isKnown/promise are the SDK's own (non-enumerable) members of every Output.
    const o = output as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
    return (await o.isKnown) ? o.promise() : undefined;
}

/** Resolves whether an Output is a secret. */
export function isSecret<T>(output: pulumi.Output<T>): Promise<boolean> {
    return pulumi.isSecret(output);
}

export { MockOptions } from "./mocks";
