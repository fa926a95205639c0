#!/usr/bin/env node
// `npm run render -- <program> [...]`: the compiled CLI (dist/cli/main.js), built first only when
// dist/ is missing or older than a source it is compiled from. Plain JavaScript, so that nothing
// has to be compiled to decide whether anything has to be compiled.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
/** What tsconfig.json compiles into dist/ (its "include"). */
const sources = ["index.ts", "provider.ts", "schema-provider.ts", "components", "testing", "cli"];

function* tsFiles(rel) {
    const abs = path.join(root, rel);
    if (fs.statSync(abs).isDirectory()) {
        for (const entry of fs.readdirSync(abs)) yield* tsFiles(path.join(rel, entry));
    } else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) {
        yield rel;
    }
}

/** The first source whose compiled file is missing or older, or undefined when dist/ is current. */
function staleSource() {
    const config = fs.statSync(path.join(root, "tsconfig.json")).mtimeMs;
    for (const top of sources) {
        for (const rel of tsFiles(top)) {
            const compiled = path.join(root, "dist", rel.replace(/\.ts$/, ".js"));
            let built;
            try {
                built = fs.statSync(compiled).mtimeMs;
            } catch {
                return rel;
            }
            if (built < fs.statSync(path.join(root, rel)).mtimeMs || built < config) return rel;
        }
    }
    return undefined;
}

const stale = staleSource();
if (stale !== undefined) {
    process.stderr.write(`render: dist/ is older than ${stale}; building it first (npm run build)\n`);
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
}
// main.js reads process.argv.slice(2): `render <program> [...]`, as `npm run render` passes it.
require(path.join(root, "dist", "cli", "main.js"));
