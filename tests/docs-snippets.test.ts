// Every snippet a user may copy from README.md and docs/*.md is checked here, against the package's
// own source (issue #23):
// - each ```ts / ```typescript block is type-checked with the TypeScript compiler API, with
//   "pulumi-druid" mapped to ../index.ts and "pulumi-druid/testing" to ../testing/index.ts, in one
//   ts.Program for all snippets; the free variables snippets use (a cluster's OIDC provider, a VPC,
//   providers, `args`) are declared once in PRELUDE below, with the types a real program has;
// - each ```yaml block that is a Pulumi YAML program with a DruidCluster has its property names
//   (and the required inputs) checked against schema.json, recursively through the schema's types;
// - every relative link (and its #anchor, by GitHub's heading slugs) and every link into this
//   repository's placeholder URL resolves to a file of the checkout.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { parse } from "yaml";
import { PackageSchema, SchemaProperty } from "../scripts/schema";

const repo = path.join(__dirname, "..");

/** README.md and every page under docs/. */
function markdownFiles(): string[] {
    const docs = fs.readdirSync(path.join(repo, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`);
    return ["README.md", ...docs];
}

interface Block { file: string; line: number; lang: string; code: string }

/** The fenced code blocks of a markdown text, with the line of their first code line (1-based). */
export function codeBlocks(file: string, text: string): Block[] {
    const blocks: Block[] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const open = /^(\s*)```(\S*)/.exec(lines[i]);
        if (!open) continue;
        const body: string[] = [];
        let j = i + 1;
        for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(open[1].length));
        if (j === lines.length) throw new Error(`${file}:${i + 1}: a code block that is never closed`);
        blocks.push({ file, line: i + 2, lang: open[2].toLowerCase(), code: body.join("\n") });
        i = j;
    }
    return blocks;
}

const allBlocks = (): Block[] => markdownFiles().flatMap((f) => codeBlocks(f, fs.readFileSync(path.join(repo, f), "utf8")));

// The free variables of the snippets, typed as a real program has them: outputs where a program gets
// them from another resource (so the snippets also prove those arguments take outputs).
const PRELUDE = `
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type { DruidCluster as DruidClusterClass, DruidClusterArgs } from "pulumi-druid";
declare global {
    /** An EKS cluster's outputs (as @pulumi/eks's Cluster has them). */
    const cluster: { oidcProviderArn: pulumi.Output<string>; oidcProviderUrl: pulumi.Output<string>; nodeSecurityGroupId: pulumi.Output<string> };
    /** A VPC (as @pulumi/awsx's ec2.Vpc has it). */
    const vpc: { vpcId: pulumi.Output<string>; privateSubnetIds: pulumi.Output<string[]> };
    const vpcId: pulumi.Output<string>;
    const privateSubnetIds: pulumi.Output<string>[];
    const podCidr: string;
    const costCentre: string;
    const awsProvider: aws.Provider;
    const k8sProvider: k8s.Provider;
    const bucket: aws.s3.Bucket;
    const key: aws.kms.Key;
    const stream: aws.kinesis.Stream;
    const mskReadPolicy: aws.iam.Policy;
    const analyticsNamespace: k8s.core.v1.Namespace;
    /** A complete argument set, which snippets extend with \`...args\`. */
    const args: DruidClusterArgs;
    const opts: pulumi.ComponentResourceOptions;
    /** Snippets that show a call without the import (the quickstart has it). */
    const DruidCluster: typeof DruidClusterClass;
}
export {};
`;

// A snippet that must not type-check: proves "pulumi-druid" resolves to the real types (not any).
const CANARY = `import { DruidCluster } from "pulumi-druid";
new DruidCluster("druid", { deepStorage: { oidcProviderArn: 42 }, metadataStore: { vpcId, subnetIds: privateSubnetIds, allowedCidrBlok: [] } });
export {};
`;

function snippetProgram(blocks: Block[]): { program: ts.Program; files: Map<string, Block | "canary"> } {
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(repo, "tsconfig.json"), (f) => ts.sys.readFile(f)).config, ts.sys, repo);
    const options: ts.CompilerOptions = {
        ...parsed.options,
        noEmit: true,
        declaration: false,
        sourceMap: false,
        // A snippet declares what it shows (`const druid = ...`) without using it.
        noUnusedLocals: false,
        noUnusedParameters: false,
        // Top-level await, as in an ES module program.
        module: ts.ModuleKind.ES2022,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        baseUrl: repo,
        paths: { "pulumi-druid": ["index.ts"], "pulumi-druid/testing": ["testing/index.ts"] },
    };
    const dir = path.join(repo, ".docs-snippets");
    const virtual = new Map<string, string>([[path.join(dir, "prelude.ts"), PRELUDE], [path.join(dir, "canary.ts"), CANARY]]);
    const files = new Map<string, Block | "canary">([[path.join(dir, "canary.ts"), "canary"]]);
    blocks.forEach((b, i) => {
        const name = path.join(dir, `${b.file.replace(/[/.]/g, "_")}_L${b.line}_${i}.ts`);
        virtual.set(name, `${b.code}\nexport {};\n`);
        files.set(name, b);
    });
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, onError, create) => {
        const text = virtual.get(path.resolve(name));
        return text !== undefined ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, onError, create);
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => virtual.has(path.resolve(name)) || fileExists(name);
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => virtual.get(path.resolve(name)) ?? readFile(name);
    return { program: ts.createProgram([...virtual.keys()], options, host), files };
}

function problems(program: ts.Program, fileName: string): string[] {
    const sf = program.getSourceFile(fileName);
    if (sf === undefined) return [`${fileName} is not in the program`];
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
        const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line : 0;
        return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
}

describe("docs: every TypeScript snippet type-checks against the package", function () {
    this.timeout(180000);
    const blocks = allBlocks().filter((b) => b.lang === "ts" || b.lang === "typescript");
    let built: ReturnType<typeof snippetProgram>;
    before(() => { built = snippetProgram(blocks); });

    it("finds the snippets of the README and the docs pages", () => {
        assert.ok(blocks.length >= 10, `found ${blocks.length} TypeScript blocks`);
        for (const f of ["README.md", "docs/data-lifecycle.md", "docs/kubernetes-native.md", "docs/customization.md", "docs/_index.md"]) {
            assert.ok(blocks.some((b) => b.file === f), `${f} has a TypeScript block`);
        }
    });

    it("the prelude and the package's entry points type-check, and a wrong snippet does not", () => {
        assert.deepEqual(problems(built.program, path.join(repo, ".docs-snippets", "prelude.ts")), []);
        const canary = problems(built.program, path.join(repo, ".docs-snippets", "canary.ts")).join("\n");
        assert.match(canary, /Type 'number' is not assignable to type 'Input<string> \| undefined'/);
        assert.match(canary, /'allowedCidrBlok' does not exist in type 'MetadataStoreSettings'|Did you mean to write 'allowedCidrBlocks'/);
    });

    it("every snippet type-checks", () => {
        const failures: string[] = [];
        for (const [fileName, block] of built.files) {
            if (block === "canary") continue;
            for (const p of problems(built.program, fileName)) {
                const [line, ...message] = p.split(": ");
                failures.push(`${block.file}:${block.line + Number(line)}: ${message.join(": ")}`);
            }
        }
        assert.deepEqual(failures, []);
    });
});

type Schema = PackageSchema;

/** Property names of a DruidCluster YAML resource that schema.json does not know, and missing required inputs. */
export function yamlProblems(schema: Schema, properties: unknown, where: string): string[] {
    const cluster = schema.resources["druid:index:DruidCluster"];
    const out: string[] = [];
    const props = (properties ?? {}) as Record<string, unknown>;
    for (const r of cluster.requiredInputs ?? []) if (!(r in props)) out.push(`${where}: required input ${r} is missing`);
    const walk = (value: unknown, p: SchemaProperty, at: string): void => {
        if (typeof value === "string" && value.includes("${")) return; // an interpolation: its value is the engine's
        const ref = p.$ref?.replace(/^#\/types\//, "");
        if (ref !== undefined && schema.types[ref]?.properties !== undefined && value !== null && typeof value === "object" && !Array.isArray(value)) {
            check(value as Record<string, unknown>, schema.types[ref].properties ?? {}, at);
        } else if (p.items !== undefined && Array.isArray(value)) {
            value.forEach((v, i) => walk(v, p.items!, `${at}[${i}]`));
        } else if (p.additionalProperties !== undefined && value !== null && typeof value === "object") {
            for (const [k, v] of Object.entries(value)) walk(v, p.additionalProperties, `${at}.${k}`);
        }
    };
    const check = (value: Record<string, unknown>, known: Record<string, SchemaProperty>, at: string): void => {
        for (const [k, v] of Object.entries(value)) {
            if (known[k] === undefined) out.push(`${where}: ${at}${at ? "." : ""}${k} is not a property of the schema (known: ${Object.keys(known).join(", ")})`);
            else walk(v, known[k], `${at}${at ? "." : ""}${k}`);
        }
    };
    check(props, cluster.inputProperties, "");
    return out;
}

describe("docs: every DruidCluster YAML program names only schema properties", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(repo, "schema.json"), "utf8")) as Schema;
    const programs = allBlocks().filter((b) => b.lang === "yaml" || b.lang === "yml").flatMap((b) => {
        const doc = parse(b.code) as { resources?: Record<string, { type?: string; properties?: unknown }> } | null;
        return Object.entries(doc?.resources ?? {}).filter(([, r]) => r.type === "druid:DruidCluster" || r.type === "druid:index:DruidCluster")
            .map(([name, r]) => ({ where: `${b.file}:${b.line} (${name})`, properties: r.properties }));
    });

    it("finds the YAML programs (the registry page's)", () => {
        assert.ok(programs.some((p) => p.where.startsWith("docs/_index.md")), programs.map((p) => p.where).join(", "));
    });

    it("a misspelled or misplaced property is found", () => {
        assert.deepEqual(yamlProblems(schema, { deepStorage: { oidcProviderArn: "${arn}" }, metadataStore: { vpcId: "${v}" }, query: { router: { replica: 2 } },
            data: { historicalTiers: [{ name: "hot", volumeSze: "1Gi" }] } }, "t").map((p) => p.replace(/ \(known: .*\)$/, "")),
        ["t: query.router.replica is not a property of the schema", "t: data.historicalTiers[0].volumeSze is not a property of the schema"]);
        assert.deepEqual(yamlProblems(schema, { deepStorage: {} }, "t"), ["t: required input metadataStore is missing"]);
    });

    it("every program's properties are in schema.json", () => {
        assert.deepEqual(programs.flatMap((p) => yamlProblems(schema, p.properties, p.where)), []);
    });
});

/** GitHub's heading anchors of a markdown text (lower case, punctuation dropped, spaces to hyphens, -1 for repeats). */
export function anchors(text: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    let fenced = false;
    for (const line of text.split("\n")) {
        if (/^\s*```/.test(line)) fenced = !fenced;
        const h = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (!h) continue;
        const slug = h[1].replace(/<[^>]+>/g, "").toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
        const n = seen.get(slug) ?? 0;
        seen.set(slug, n + 1);
        out.add(n === 0 ? slug : `${slug}-${n}`);
    }
    return out;
}

describe("docs: every link into the repository resolves", () => {
    const base = "https://github.com/pulumi-druid/pulumi-druid/blob/main/";

    it("GitHub's slugs", () => {
        assert.deepEqual([...anchors("# A\n## Kubernetes provider requirements\n## High availability (`highAvailability: true`)\n```\n# not a heading\n```\n## A")],
            ["a", "kubernetes-provider-requirements", "high-availability-highavailability-true", "a-1"]);
    });

    it("relative links and #anchors point at existing files and headings", () => {
        const broken: string[] = [];
        let checked = 0;
        for (const file of markdownFiles()) {
            const text = fs.readFileSync(path.join(repo, file), "utf8");
            const prose = text.replace(/```[\s\S]*?```/g, (m) => m.replace(/[^\n]/g, " "));
            for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
                let target = m[1];
                if (target.startsWith(base)) target = path.relative(path.dirname(path.join(repo, file)), path.join(repo, target.slice(base.length)));
                else if (/^[a-z]+:/i.test(target)) continue;
                const [rel, anchor] = target.split("#");
                const dest = rel === "" ? path.join(repo, file) : path.resolve(path.dirname(path.join(repo, file)), rel);
                const line = prose.slice(0, m.index).split("\n").length;
                checked++;
                if (!fs.existsSync(dest)) { broken.push(`${file}:${line}: ${m[1]}: no file ${path.relative(repo, dest)}`); continue; }
                if (anchor !== undefined && !anchors(fs.readFileSync(dest, "utf8")).has(anchor)) broken.push(`${file}:${line}: ${m[1]}: no heading #${anchor} in ${path.relative(repo, dest)}`);
            }
        }
        assert.ok(checked > 300, `${checked} links checked`);
        assert.deepEqual(broken, []);
    });

    it("the README starts with the two commands, links every docs page and the page of what is proven", () => {
        const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");
        assert.ok(readme.startsWith("# pulumi-druid\n\n```sh\nnpm ci && npm run render -- examples/quickstart "), readme.slice(0, 120));
        assert.match(readme.split("\n")[4], /^npm ci && npm test /);
        const pages = fs.readdirSync(path.join(repo, "docs")).filter((f) => f.endsWith(".md"));
        for (const page of pages) assert.ok(readme.includes(`](docs/${page}`), `README.md links docs/${page}`);
        assert.match(readme, /\[What is proven here, and what is not\]\(docs\/proven\.md\)/);
    });
});
