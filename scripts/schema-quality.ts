// What the schema inferred by @pulumi/pulumi's analyzer lacks for the Python, Go, .NET, Java and
// YAML SDKs generated from it, added after inference (scripts/schema.ts buildSchema):
//
// * a description for every type: the analyzer writes property descriptions only
//   (provider/experimental/analyzer.js); a type's is its interface's or type alias's doc comment,
//   in components/args.ts, or for a Kubernetes type the analyzer inlined from @pulumi/kubernetes,
//   its doc comment in @pulumi/kubernetes/types/input.d.ts (namespace core.v1);
// * descriptions as paragraphs: a doc comment's wrapped lines joined (the generators copy every
//   line break into the generated doc comments), blank-line paragraph breaks and list items kept;
// * no `<word>` in a description: the .NET generator copies descriptions into XML doc comments,
//   where `<KEY>` is an unclosed element; such text is written `{KEY}`;
// * `secret: true` on the secret arguments (components/plan/validate-secrets.ts secretArguments) and on
//   the adminPassword output, so every SDK marks them secret;
// * language.java.basePackage: the Java generator puts the package under
//   `<basePackage>.<package name>` (pulumi/pulumi-java pkg/codegen/java/package_info.go,
//   PackageInfo.BasePackage), `com.pulumi.druid` without it, ignoring the namespace;
// * type names that are not Kubernetes type names: the component's types that share a name with a
//   Kubernetes type (its own subsets, Toleration, Volume, Container, ..., and the Kubernetes types
//   the analyzer inlined, EnvVar, VolumeMount, ...) become `Druid<Name>`. In .NET both land as
//   `<Name>Args` in namespaces a program imports together (Pulumi.Druid.Inputs and
//   Pulumi.Kubernetes.Types.Inputs.Core.V1), so each use would need a qualified name. pulumi-eks
//   instead refers to the Kubernetes package's own types (`/kubernetes/v4.x.y/schema.json#/types/...`),
//   which this package does not: the analyzer emits external references for resources only
//   (analyzer.js, isResourceReference), the subsets accept fewer fields than the Kubernetes types
//   (a reference would advertise fields the component refuses), and the component's own type model
//   of its arguments (components/plan/validate-shape.ts, construct-inputs.ts) walks this schema's types,
//   which an external reference would leave unchecked.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** The parts of a package schema this step rewrites. */
interface Described {
    description?: string;
    secret?: boolean;
    [key: string]: unknown;
}

/** Every interface and type alias of a TypeScript file with its doc comment, by namespace path ("core.v1.EnvVar") and name. */
export function docComments(file: string): Map<string, string> {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const docs = new Map<string, string>();
    const visit = (node: ts.Node, scope: string[]) => {
        if (ts.isModuleDeclaration(node) && node.body !== undefined) {
            const inner = [...scope, node.name.getText(source)];
            // `namespace a.b {}` nests ModuleDeclarations; `namespace a { namespace b {} }` a ModuleBlock.
            if (ts.isModuleDeclaration(node.body)) visit(node.body, inner);
            else node.body.forEachChild((c) => visit(c, inner));
            return;
        }
        if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) {
            const comment = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc).map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join("\n\n").trim();
            if (comment !== "") docs.set([...scope, node.name.text].join("."), comment);
            return;
        }
        node.forEachChild((c) => visit(c, scope));
    };
    visit(source, []);
    return docs;
}

/** A doc comment's wrapped lines joined into paragraphs; blank lines and list items kept. */
export function asParagraphs(text: string): string {
    return text.split(/\n[ \t]*\n/).map((paragraph) => paragraph.trim()
        .split("\n").map((l) => l.trim())
        .reduce((out, line) => (out === "" ? line : /^([-*]|\d+\.)\s/.test(line) ? `${out}\n${line}` : `${out} ${line}`), ""))
        .filter((p) => p !== "").join("\n\n");
}

/** `<word>` (an XML element in a .NET doc comment) as `{word}`. */
export function withoutAngleWords(text: string): string {
    return text.replace(/<([A-Za-z_][\w.-]*)>/g, "{$1}");
}

/** The text of a description as the SDKs get it. */
export function cleanDescription(text: string): string {
    return withoutAngleWords(asParagraphs(text));
}

/** The names of every type @pulumi/kubernetes declares (in any API group and version). */
export function kubernetesTypeNames(root: string): Set<string> {
    const input = path.join(path.dirname(require.resolve("@pulumi/kubernetes/package.json", { paths: [root] })), "types", "input.d.ts");
    return new Set([...fs.readFileSync(input, "utf8").matchAll(/\binterface (\w+)/g)].map((m) => m[1]));
}

/** The Java base package of a repository: `io.github.<owner>` for GitHub, as a Java package name. */
export function javaBasePackage(repository: string): string {
    const [, , host, owner] = repository.split("/");
    const javaName = (s: string) => s.toLowerCase().replace(/[^a-z0-9_]/g, "_").replace(/^(\d)/, "_$1");
    const reversed = host === "github.com" ? ["io", "github"] : host.split(".").reverse().map(javaName);
    return [...reversed, javaName(owner)].join(".");
}

/** Rewrites every `$ref` to a renamed type. */
function renameRefs(value: unknown, renamed: Map<string, string>): unknown {
    if (Array.isArray(value)) return value.map((v) => renameRefs(v, renamed));
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) =>
        [k, k === "$ref" && typeof v === "string" && renamed.has(v) ? renamed.get(v) : renameRefs(v, renamed)]));
}

/** Every description in the schema, cleaned. */
function cleanDescriptions(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(cleanDescriptions);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "description" && typeof v === "string" ? cleanDescription(v) : cleanDescriptions(v)]));
}

export interface QualityInputs {
    /** Package root (components/args.ts, node_modules). */
    root: string;
    /** The Pulumi package name, the first part of each token. */
    providerName: string;
    /** The component's token. */
    componentToken: string;
    /** The argument paths of the secret arguments ("auth.adminPassword"). */
    secretArguments: readonly string[];
    /** The outputs that are secrets. */
    secretOutputs: readonly string[];
}

/** The inferred schema with descriptions, secrets, the Java package and the type names the SDKs need. */
export function improveSchema(schema: Record<string, unknown>, q: QualityInputs): Record<string, unknown> {
    const types = schema.types as Record<string, Described>;
    const resource = (schema.resources as Record<string, { inputProperties: Record<string, Described & { $ref?: string }>; properties: Record<string, Described> }>)[q.componentToken];

    // Secrets, found through the type names the analyzer gave.
    for (const argument of q.secretArguments) {
        const [top, ...rest] = argument.split(".");
        let prop = resource.inputProperties[top];
        for (const key of rest) {
            const type = types[String(prop.$ref).replace(/^#\/types\//, "")] as { properties: Record<string, Described & { $ref?: string }> };
            prop = type.properties[key];
        }
        if (prop === undefined) throw new Error(`secret argument ${argument} is not in the schema`);
        prop.secret = true;
    }
    for (const output of q.secretOutputs) resource.properties[output].secret = true;

    // Type descriptions: args.ts first, then the Kubernetes types the analyzer inlined.
    // The public args live in components/args.ts and the files beside it it re-exports (args-*.ts).
    const own = new Map<string, string>();
    for (const file of fs.readdirSync(path.join(q.root, "components")).filter((f) => /^args(-[a-z-]+)?\.ts$/.test(f)).sort()) {
        for (const [k, v] of docComments(path.join(q.root, "components", file))) own.set(k, v);
    }
    const kubernetes = docComments(path.join(path.dirname(require.resolve("@pulumi/kubernetes/package.json", { paths: [q.root] })), "types", "input.d.ts"));
    for (const [token, type] of Object.entries(types)) {
        const name = token.split(":").pop()!;
        const doc = own.get(name) ?? kubernetes.get(`core.v1.${name}`);
        if (doc === undefined) throw new Error(`no doc comment for the schema type ${name} in components/args*.ts or @pulumi/kubernetes core.v1`);
        type.description = doc;
    }

    // Type names that are Kubernetes type names.
    const clashing = kubernetesTypeNames(q.root);
    const renamed = new Map<string, string>();
    const renamedTypes: Record<string, Described> = {};
    for (const [token, type] of Object.entries(types)) {
        const name = token.split(":").pop()!;
        const next = clashing.has(name) ? `${q.providerName}:index:Druid${name}` : token;
        if (next !== token && types[next] !== undefined) throw new Error(`cannot rename ${token}: ${next} exists`);
        if (next !== token) renamed.set(`#/types/${token}`, `#/types/${next}`);
        renamedTypes[next] = type;
    }
    const language = schema.language as Record<string, Record<string, unknown>>;
    language.java = { ...language.java, basePackage: javaBasePackage(String(schema.repository)) };
    return cleanDescriptions(renameRefs({ ...schema, types: renamedTypes }, renamed)) as Record<string, unknown>;
}
