import * as fs from "fs";
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
//   stack traces. TypeScript is loaded only when such a file is met, so a `.js` program never pays
//   for it.
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

function loadTranspiler(): TranspileModule {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const ts = require("typescript") as { transpileModule: TranspileModule; ModuleKind: { CommonJS: number }; ScriptTarget: { ES2022: number } };
        const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false, inlineSourceMap: false };
        return (input, options) => ts.transpileModule(input, { ...options, compilerOptions: { ...compilerOptions, ...options.compilerOptions } });
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
        transpile ??= loadTranspiler();
        const { outputText } = transpile(fs.readFileSync(filename, "utf8"), { compilerOptions: {}, fileName: filename });
        (module as CompilableModule)._compile(outputText, filename);
    };
}
