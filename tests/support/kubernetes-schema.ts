import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { Plan, SECRET_MASK } from "../../testing";

// Every rendered Kubernetes object checked against the upstream OpenAPI schema of its kind:
// `kubernetes-models` ships Kubernetes' own schemas (generated from the API server's OpenAPI
// spec, v1.27 for the 4.x line) with a validator per kind. Types, required fields, integer
// ports, enum-like formats: what the API server's schema would refuse is refused here. Patch
// resources are partial objects by design and are checked as their kind with the target's
// required fields filled in from the object they patch. Custom resources (cert-manager,
// Prometheus Operator) have no schema in the package and are listed as skipped by kind.

interface Validatable { validate(): void }
type ModelClass = new (data: unknown) => Validatable;

/** The model class of an apiVersion/kind, from kubernetes-models' per-kind modules. */
export function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const modulePath = group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return (require(modulePath) as Record<string, ModelClass>)[kind];
    } catch {
        return undefined;
    }
}

/** The plan with every masked secret replaced by base64 text, valid wherever a string or bytes go. */
function unmask(value: unknown): unknown {
    if (value === SECRET_MASK) return "c2VjcmV0";
    if (Array.isArray(value)) return value.map(unmask);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmask(v)]));
    return value;
}

const customKinds = new Set(["cert-manager.io/v1 Certificate", "monitoring.coreos.com/v1 ServiceMonitor", "monitoring.coreos.com/v1 PrometheusRule"]);

export function checkPlan(plan: Plan): { checked: number; skipped: string[] } {
    let checked = 0;
    const skipped: string[] = [];
    const k8s = plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"));
    for (const r of k8s) {
        const apiVersion = String(r.inputs.apiVersion);
        const kind = String(r.inputs.kind);
        if (customKinds.has(`${apiVersion} ${kind}`)) {
            skipped.push(`${apiVersion} ${kind}`);
            continue;
        }
        const Model = modelFor(apiVersion, kind);
        assert.ok(Model !== undefined, `${r.type} ${r.name}: no upstream schema for ${apiVersion} ${kind}`);
        // Secrets are masked in the plan ("[secret]"); a base64 stand-in keeps string and byte formats checkable.
        let object: unknown = unmask(r.inputs);
        // A claim patch may create its claim (a new cluster, a scaled-up tier: volume-resize.ts), so it is a whole claim itself.
        if (r.type.endsWith("Patch") && kind !== "PersistentVolumeClaim") {
            const target = k8s.find((t) => !t.type.endsWith("Patch") && t.inputs.kind === kind
                && (t.inputs.metadata as { name?: string }).name === (r.inputs.metadata as { name?: string }).name);
            assert.ok(target, `${r.name} patches an object the plan does not hold`);
            object = unmask({ ...target.inputs, metadata: { ...(target.inputs.metadata as object), ...(r.inputs.metadata as object) }, spec: { ...(target.inputs.spec as object), ...(r.inputs.spec as object) } });
        }
        try {
            new Model(object).validate();
        } catch (e) {
            assert.fail(`${r.type} ${r.name} is refused by the ${apiVersion} ${kind} schema: ${(e as Error).message}`);
        }
        checked++;
    }
    return { checked, skipped };
}

/**
 * Every Kubernetes object file a render wrote (`<out>/kubernetes/*.yaml`), validated as written,
 * as a user would apply it: no stand-in for masks or placeholders.
 */
export function checkObjectFiles(out: string): { checked: number; skipped: string[] } {
    const dir = path.join(out, "kubernetes");
    return checkWrittenObjects(fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort().map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), "utf8") })));
}

/** Kubernetes objects as YAML texts (what `render` writes), each validated as written. */
export function checkWrittenObjects(files: ({ file: string; text: string } | { file: string; object: Record<string, unknown> })[]): { checked: number; skipped: string[] } {
    let checked = 0;
    const skipped: string[] = [];
    for (const f of files) {
        const file = f.file;
        const object = ("text" in f ? YAML.parse(f.text) : f.object) as { apiVersion?: string; kind?: string };
        const apiVersion = String(object.apiVersion);
        const kind = String(object.kind);
        if (customKinds.has(`${apiVersion} ${kind}`)) {
            skipped.push(`${apiVersion} ${kind}`);
            continue;
        }
        const Model = modelFor(apiVersion, kind);
        assert.ok(Model !== undefined, `${file}: no upstream schema for ${apiVersion} ${kind}`);
        try {
            new Model(object).validate();
        } catch (e) {
            assert.fail(`${file} is refused by the ${apiVersion} ${kind} schema: ${(e as Error).message}`);
        }
        checked++;
    }
    return { checked, skipped };
}
