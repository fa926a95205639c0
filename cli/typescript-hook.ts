import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// How `render` loads a TypeScript program, without ts-node.
//
// ts-node registered in the process made every resource registration slower (its source-map
// support rewrites the stack trace the SDK captures for each registration: construction took 2.5x
// as long) and transpiled this package's own sources again on every run. This hook instead:
//
// * loads a `.ts` file of this package that has a compiled counterpart in dist/ at least as new
//   as the source (the quickstart imports `../../index`) as that compiled module: the same module
//   instance the CLI itself uses, nothing to transpile;
// * transpiles any other `.ts` file (the user's program) with TypeScript's transpileModule: types
//   are dropped, not checked (as ts-node's transpile-only mode did), no source maps, no hooks on
//   stack traces. The output is cached by content (source, TypeScript version, options) in the
//   system's temporary folder, so TypeScript itself (a quarter of a second to load) is loaded only
//   when a file changed; a `.js` program never pays for it.
//
// Nothing is registered when `.ts` files already load (ts-node from mocha, or the user's own
// `node -r ts-node/register`): those loaders stay in charge.

type TranspileModule = (input: string, options: { compilerOptions: object; fileName: string }) => { outputText: string };
type CompilableModule = NodeJS.Module & { _compile(code: string, filename: string): void };

const packageRoot = path.join(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");
const distRoot = path.join(packageRoot, "dist");

/** The compiled counterpart of one of this package's sources, when it exists and is not older than the source. */
function compiledCounterpart(file: string): string | undefined {
    const rel = path.relative(packageRoot, file);
    if (rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep).some((p) => p === "node_modules" || p === "dist")) return undefined;
    const compiled = path.join(distRoot, rel.replace(/\.ts$/, ".js"));
    try {
        return fs.statSync(compiled).mtimeMs >= fs.statSync(file).mtimeMs ? compiled : undefined;
    } catch {
        return undefined;
    }
}

let transpile: TranspileModule | undefined;
const compilerOptions = { module: "commonjs", target: "es2022", esModuleInterop: true, sourceMap: false, inlineSourceMap: false };
const cacheDir = path.join(os.tmpdir(), "pulumi-druid-render-cache");

/** The installed TypeScript's version, read without loading the compiler; undefined when none is installed. */
function typescriptVersion(): string | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return (require("typescript/package.json") as { version: string }).version;
    } catch {
        return undefined;
    }
}

/** The program's JavaScript: from the cache when this exact source was transpiled by this TypeScript before. */
function transpiled(filename: string): string {
    const source = fs.readFileSync(filename, "utf8");
    const key = crypto.createHash("sha256").update(JSON.stringify([typescriptVersion(), compilerOptions, filename, source])).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // not cached yet
    }
    transpile ??= loadTranspiler();
    const { outputText } = transpile(source, { compilerOptions, fileName: filename });
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
        fs.writeFileSync(`${cached}.${process.pid}`, outputText);
        fs.renameSync(`${cached}.${process.pid}`, cached);
    } catch {
        // a cache that cannot be written only costs time
    }
    return outputText;
}

function loadTranspiler(): TranspileModule {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const ts = require("typescript") as { transpileModule: TranspileModule; convertCompilerOptionsFromJson(o: object, dir: string): { options: object } };
        return (input, options) => ts.transpileModule(input, { ...options, compilerOptions: ts.convertCompilerOptionsFromJson(options.compilerOptions, path.dirname(options.fileName)).options });
    } catch (e) {
        throw new Error(`render: a TypeScript program needs the \`typescript\` package (npm install --save-dev typescript): ${e instanceof Error ? e.message : String(e)}`);
    }
}

/** Makes `require` load `.ts` files as described above; a no-op when something already does. */
export function registerTypeScript(): void {
    if (require.extensions[".ts"] !== undefined) return;
    require.extensions[".ts"] = (module: NodeJS.Module, filename: string) => {
        const compiled = compiledCounterpart(filename);
        if (compiled !== undefined) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            module.exports = require(compiled) as unknown;
            return;
        }
        (module as CompilableModule)._compile(transpiled(filename), filename);
    };
}
