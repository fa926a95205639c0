import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { ConfigurationFiles, SecretKeys, takeConfigurationPreviews, takeSecretKeys } from "../components/k8s/preview";
import { Plan, PlannedResource, planProgram, SECRET_MASK, UNKNOWN } from "../testing";
import { registerTypeScript } from "./typescript-hook";

/** Options of `render`. */
export interface RenderOptions {
    /** Program: a folder with Pulumi.yaml (its `main` or index.ts), or a .ts/.js file. */
    program: string;
    /** Output folder. Default: "out/<program folder name>". */
    out?: string;
    /** Stack configuration file (Pulumi.<stack>.yaml form). Default: Pulumi.example.yaml beside the program, if any. */
    stackConfig?: string;
    /** Progress lines (to stderr). */
    progress?: (line: string) => void;
}

export interface RenderResult {
    out: string;
    files: string[];
    resources: number;
}

interface ProgramInfo {
    entry: string;
    project: string;
    configFile?: string;
}

function locateProgram(program: string, stackConfig?: string): ProgramInfo {
    let abs = path.resolve(program);
    if (!fs.existsSync(abs)) throw new Error(`render: no program at ${program}`);
    if (path.basename(abs) === "Pulumi.yaml") abs = path.dirname(abs);
    const dir = fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
    let project = path.basename(dir);
    let entry = abs;
    const pulumiYaml = path.join(dir, "Pulumi.yaml");
    if (fs.existsSync(pulumiYaml)) {
        const doc = YAML.parse(fs.readFileSync(pulumiYaml, "utf8")) as { name?: string; main?: string };
        project = doc.name ?? project;
        if (abs === dir) entry = path.join(dir, doc.main ?? ".");
    }
    if (fs.existsSync(entry) && fs.statSync(entry).isDirectory()) entry = path.join(entry, "index.ts");
    if (!fs.existsSync(entry)) throw new Error(`render: the program's entry ${entry} does not exist`);
    // Example stack configuration: beside Pulumi.yaml, or beside the program it points at.
    const defaultConfig = [path.join(dir, "Pulumi.example.yaml"), path.join(path.dirname(entry), "Pulumi.example.yaml")].find((f) => fs.existsSync(f));
    const configFile = stackConfig !== undefined ? path.resolve(stackConfig) : defaultConfig;
    if (configFile !== undefined && !fs.existsSync(configFile)) throw new Error(`render: no stack config at ${stackConfig}`);
    return { entry, project, configFile };
}

/** Reads a Pulumi.<stack>.yaml; keys without a namespace get the project's. Secure values become masked secrets. */
function loadConfig(file: string | undefined, project: string): { config: Record<string, string>; secretKeys: string[] } {
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    if (file === undefined) return { config, secretKeys };
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    for (const [key, value] of Object.entries(doc?.config ?? {})) {
        const full = key.includes(":") ? key : `${project}:${key}`;
        if (value !== null && typeof value === "object" && "secure" in value) {
            config[full] = SECRET_MASK;
            secretKeys.push(full);
        } else {
            config[full] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { config, secretKeys };
}

function stableJson(value: unknown): string {
    return JSON.stringify(value, null, 2) + "\n";
}

/** A tree of the resources, like `pulumi preview` lists them, then counts per type. */
export function planTree(plan: Plan): string {
    const children = new Map<string, PlannedResource[]>();
    for (const r of plan.resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const lines: string[] = [];
    const walk = (parent: string, indent: string) => {
        const sorted = [...(children.get(parent) ?? [])].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
        for (const r of sorted) {
            lines.push(`${indent}+ ${r.type}  ${r.name}`);
            walk(r.urn, indent + "    ");
        }
    };
    const roots = plan.resources.filter((r) => r.parent === "" || plan.byUrnOf(r.parent) === undefined).map((r) => r.parent);
    for (const root of [...new Set(roots)]) walk(root, "");
    const counts = new Map<string, number>();
    for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    lines.push("", `Resources: ${plan.resources.length} to create`);
    for (const [type, n] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) lines.push(`    ${String(n).padStart(3)} ${type}`);
    return lines.join("\n") + "\n";
}

/** `patch` laid over `base`: objects merge key by key, anything else is replaced (what a server-side apply of the patch leaves). */
function applyPatch(base: unknown, patch: unknown): unknown {
    if (base === null || patch === null || typeof base !== "object" || typeof patch !== "object" || Array.isArray(base) || Array.isArray(patch)) return patch;
    const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(patch as Record<string, unknown>)) merged[k] = applyPatch(merged[k], v);
    return merged;
}

/** A masked value where Kubernetes wants base64 (a Secret's `data`): the mask, base64-encoded. */
export const SECRET_MASK_BASE64 = Buffer.from(SECRET_MASK, "utf8").toString("base64");

/**
 * A Secret as a user would apply it: a map that is one mask (the whole map a secret, unknown in a
 * preview) gets its keys back (recorded by the component) with a masked value each, and every
 * masked value of `data` is base64 text, as the field requires.
 */
function writableSecret(r: PlannedResource, inputs: Record<string, unknown>, keys: SecretKeys[]): Record<string, unknown> {
    const out = { ...inputs };
    for (const field of ["data", "stringData"] as const) {
        const value = out[field];
        const mask = field === "data" ? SECRET_MASK_BASE64 : SECRET_MASK;
        if (value === SECRET_MASK || value === UNKNOWN) {
            const known = keys.find((k) => k.name === r.name && k.field === field);
            if (known === undefined) throw new Error(`render: Secret ${r.name}'s ${field} is one secret whose keys are unknown; the component must record them (components/k8s/preview.ts, recordSecretKeys)`);
            out[field] = Object.fromEntries(known.keys.map((k) => [k, mask]));
        } else if (field === "data" && value !== null && typeof value === "object") {
            out[field] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v === SECRET_MASK || v === UNKNOWN ? mask : v]));
        }
    }
    return out;
}

/**
 * One file per Kubernetes object, as it stands after `pulumi up`: a Patch resource (the replica
 * patches) is applied to the object it names rather than written over it.
 */
export function kubernetesObjects(plan: Plan, secretKeys: SecretKeys[] = []): { file: string; text: string }[] {
    return kubernetesObjectValues(plan, secretKeys).map(({ file, object }) => ({ file, text: YAML.stringify(object, { sortMapEntries: true, lineWidth: 0 }) }));
}

/** The objects `kubernetesObjects` writes, before YAML. */
export function kubernetesObjectValues(plan: Plan, secretKeys: SecretKeys[] = []): { file: string; object: Record<string, unknown> }[] {
    const objects = new Map<string, Record<string, unknown>>();
    const resources = plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"));
    const isPatch = (r: PlannedResource) => r.type.endsWith("Patch");
    for (const r of [...resources.filter((x) => !isPatch(x)), ...resources.filter(isPatch)]) {
        const metadata = (r.inputs.metadata ?? {}) as { name?: string; namespace?: string };
        const kind = typeof r.inputs.kind === "string" ? r.inputs.kind : r.type.split(":").pop() ?? "object";
        // A name known only after deployment (e.g. a wave Job named after its StatefulSet's rendered
        // template) would make every such object one "<unknown>" file: those are named after the resource.
        const objectName = metadata.name === undefined || metadata.name.includes(UNKNOWN) ? r.name : metadata.name;
        const file = `${kind.toLowerCase()}-${metadata.namespace ?? "cluster"}-${objectName}.yaml`;
        const base = objects.get(file);
        const inputs = r.type === "kubernetes:core/v1:Secret" ? writableSecret(r, r.inputs, secretKeys) : r.inputs;
        objects.set(file, isPatch(r) && base !== undefined ? applyPatch(base, inputs) as Record<string, unknown> : inputs);
    }
    return [...objects.entries()].map(([file, object]) => ({ file, object }));
}

/**
 * Runs a Pulumi program under the mock runtime in preview mode and writes its plan, the generated
 * Druid configuration and the Kubernetes objects. Writes into a temporary folder renamed into place
 * at the end, so a failure leaves no partial output.
 */
export async function render(options: RenderOptions): Promise<RenderResult> {
    const progress = options.progress ?? (() => undefined);
    const info = locateProgram(options.program, options.stackConfig);
    const out = path.resolve(options.out ?? path.join("out", path.basename(path.dirname(info.entry))));
    const { config, secretKeys } = loadConfig(info.configFile, info.project);

    progress(`loading ${path.relative(process.cwd(), info.entry)}${info.configFile ? ` with ${path.relative(process.cwd(), info.configFile)}` : ""}`);
    if (info.entry.endsWith(".ts")) registerTypeScript();
    takeConfigurationPreviews();
    takeSecretKeys();
    const { plan } = await planProgram(async () => {
        pulumi.runtime.setAllConfig(config, secretKeys);
        // A fresh load each time, so a program renders again in the same process (tests, watch).
        delete require.cache[require.resolve(info.entry)];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = require(info.entry) as unknown;
        if (typeof exported === "function") await (exported as () => unknown)();
    }, { preview: true, project: info.project, stack: "render", config });
    progress(`planned ${plan.resources.length} resources (preview, no cloud)`);

    const files = new Map<string, string>();
    files.set("plan.json", stableJson({
        note: `Planned by pulumi-druid render: preview under mocks. "${SECRET_MASK}" is a secret (in a Secret's data, "${SECRET_MASK_BASE64}", its base64); "<unknown>" is known only after deployment.`,
        resources: [...plan.resources].sort((a, b) => a.urn.localeCompare(b.urn)),
    }));
    files.set("plan.txt", planTree(plan));
    for (const { cluster, files: config } of takeConfigurationPreviews()) {
        // An unknown Output never runs an apply: awaiting one would wait forever (and the CLI, its
        // event loop empty, would exit 0 having written nothing). The component fills unknowns with
        // placeholders, so this is a bug report, not a user error.
        if (!(await (config as unknown as { isKnown: Promise<boolean> }).isKnown)) {
            throw new Error(`render: the configuration of cluster "${cluster}" depends on a value known only after deployment and has no placeholder for it`);
        }
        const resolved = await new Promise<ConfigurationFiles>((resolve) => config.apply((v) => { resolve(v); return v; }));
        for (const [service, serviceFiles] of Object.entries(resolved)) {
            for (const [name, text] of Object.entries(serviceFiles)) files.set(path.join("config", cluster, service, name), text);
        }
    }
    for (const { file, text } of kubernetesObjects(plan, takeSecretKeys())) files.set(path.join("kubernetes", file), text);

    const tmp = `${out}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    try {
        for (const [file, text] of files) {
            fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
            fs.writeFileSync(path.join(tmp, file), text);
        }
        fs.rmSync(out, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.renameSync(tmp, out);
    } catch (e) {
        fs.rmSync(tmp, { recursive: true, force: true });
        throw e;
    }
    progress(`wrote ${files.size} files to ${path.relative(process.cwd(), out) || "."}`);
    return { out, files: [...files.keys()].sort(), resources: plan.resources.length };
}
