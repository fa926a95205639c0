// Writes schema.json: the Pulumi package schema of the `druid` component provider, inferred from
// the TypeScript sources by @pulumi/pulumi's own analyzer with the same calls as the SDK's
// ComponentProvider.getSchema (@pulumi/pulumi/provider/experimental), plus the registry metadata
// of registryMetadata(). The plugin serves this committed file as it is (schema-provider.ts), so
// `--check` (in `npm test`) is what keeps it current. It documents what Python, Go, .NET, Java and
// YAML users get, and lets a review see every change of it.
//
//   ts-node --transpile-only scripts/schema.ts           writes schema.json
//   ts-node --transpile-only scripts/schema.ts --check   exits 1 when schema.json is stale
import * as fs from "fs";
import * as path from "path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema } from "@pulumi/pulumi/provider/experimental/schema";
import { secretArguments } from "../components/plan/validate-secrets";
import { improveSchema } from "./schema-quality";

/** Package root: package.json, tsconfig.json and index.ts live here. */
export const repoRoot = path.join(__dirname, "..");
/** Where the schema is committed. */
export const schemaPath = path.join(repoRoot, "schema.json");

/** Pulumi package name: the first part of every type token (`druid:index:DruidCluster`). */
export const providerName = "druid";
/** The component classes the provider serves, by class name. */
export const componentNames = ["DruidCluster"];

/** The parts of the package schema (pulumi.json schema) this project reads. */
export interface SchemaProperty {
    type?: string;
    $ref?: string;
    description?: string;
    plain?: boolean;
    secret?: boolean;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
}

export interface SchemaType {
    type: string;
    description?: string;
    properties?: Record<string, SchemaProperty>;
    required?: string[];
    enum?: { name: string; value: string | number }[];
}

export interface SchemaResource {
    isComponent?: boolean;
    inputProperties: Record<string, SchemaProperty>;
    requiredInputs: string[];
    properties: Record<string, SchemaProperty>;
    required: string[];
}

export interface PackageSchema {
    name: string;
    version: string;
    resources: Record<string, SchemaResource>;
    types: Record<string, SchemaType>;
}

interface PackageJson {
    version?: string;
    description?: string;
    license?: string;
    homepage?: string;
    keywords?: string[];
    repository?: string | { url?: string };
    [key: string]: unknown;
}

/** https://<git host>/<owner>/<repo> of package.json `repository` (with or without git+ and .git). */
export function repositoryUrl(pkg: PackageJson): string {
    const raw = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url ?? "";
    const url = raw.replace(/^git\+/, "").replace(/\.git$/, "");
    if (!/^https:\/\/[^/]+\/[^/]+\/[^/]+$/.test(url)) throw new Error(`package.json repository must be https://<git host>/<owner>/<repo>, got ${JSON.stringify(raw)}`);
    return url;
}

/**
 * The registry metadata laid over the inferred schema. `namespace` is what the SDK's
 * ComponentProvider takes as its `namespace` option (and run-plugin derives from an npm scope): the
 * code generators name the packages after it, `@<namespace>/druid` for Node.js instead of
 * `@pulumi/druid` (pulumi/pulumi pkg/cmd/pulumi/packagecmd, getNodeJSPkgName), `<Namespace>.Druid`
 * for .NET. It is the GitHub owner of package.json `repository`, so setting the real repository
 * sets it. Python would become `<namespace>_druid_druid` (pkg/codegen/python, PyPack), so its
 * package name stays `pulumi_druid` explicitly, as 0.1.0 generated it.
 */
export function registryMetadata(pkg: PackageJson): Record<string, unknown> {
    const repository = repositoryUrl(pkg);
    const owner = repository.split("/")[3];
    return {
        displayName: "Apache Druid",
        namespace: owner,
        publisher: owner,
        repository,
        homepage: pkg.homepage ?? repository,
        license: pkg.license,
        keywords: [...(pkg.keywords ?? []), "category/database", "kind/component"],
    };
}

/**
 * The schema the provider serves: the same Analyzer and generateSchema calls as
 * ComponentProvider.getSchema() (with `namespace` as its option of that name), the registry
 * metadata, what the other languages' SDKs need besides (schema-quality.ts: type descriptions,
 * paragraphs, secrets, the Java package, type names apart from Kubernetes'), and JSON-normalized
 * (undefined fields dropped).
 */
export function buildSchema(): Record<string, unknown> {
    const packageJSON = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as PackageJson;
    const analyzer = new Analyzer(repoRoot, providerName, packageJSON, new Set(componentNames));
    const { components, typeDefinitions, dependencies } = analyzer.analyze();
    const version = packageJSON.version ?? "0.0.0";
    const metadata = registryMetadata(packageJSON);
    const schema = generateSchema(providerName, version, packageJSON.description ?? "", components, typeDefinitions, dependencies, metadata.namespace as string);
    const language = schema.language as Record<string, Record<string, unknown>>;
    language.python = { ...language.python, packageName: "pulumi_druid" };
    const normalized = JSON.parse(JSON.stringify({ ...schema, ...metadata })) as Record<string, unknown>;
    return improveSchema(normalized, {
        root: repoRoot, providerName, componentToken: `${providerName}:index:${componentNames[0]}`, secretArguments, secretOutputs: ["adminPassword"],
    });
}

/** The text committed as schema.json: 2-space JSON with a trailing newline. */
export function renderSchema(schema: object): string {
    return `${JSON.stringify(schema, null, 2)}\n`;
}

/** First line where two texts differ (1-based), with both versions of it, for error messages. */
function firstDifference(a: string, b: string): string {
    const al = a.split("\n");
    const bl = b.split("\n");
    for (let i = 0; i < Math.max(al.length, bl.length); i++) {
        if (al[i] !== bl[i]) {
            return `line ${i + 1}:\n  committed: ${al[i] ?? "<end of file>"}\n  fresh:     ${bl[i] ?? "<end of file>"}`;
        }
    }
    return "no difference";
}

function main(argv: string[]): number {
    const fresh = renderSchema(buildSchema());
    const relative = path.relative(process.cwd(), schemaPath) || schemaPath;
    if (argv.includes("--check")) {
        if (!fs.existsSync(schemaPath)) {
            console.error(`${relative} does not exist. Run \`npm run schema\` and commit the result.`);
            return 1;
        }
        const committed = fs.readFileSync(schemaPath, "utf8");
        if (committed !== fresh) {
            console.error(
                `${relative} is stale: it differs from the schema inferred from the sources (components/args.ts, ` +
                `components/druid-cluster.ts, package.json). Run \`npm run schema\` and commit the result.\n` +
                `First difference at ${firstDifference(committed, fresh)}`);
            return 1;
        }
        console.log(`${relative} is up to date.`);
        return 0;
    }
    fs.writeFileSync(schemaPath, fresh);
    console.log(`Wrote ${relative}.`);
    return 0;
}

if (require.main === module) {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (err) {
        // The analyzer's messages name the component, the property and the unsupported type.
        console.error(`Schema inference failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
    }
}
