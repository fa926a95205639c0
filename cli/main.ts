#!/usr/bin/env node
import * as path from "path";
import { render } from "./render";

const usage = `usage: pulumi-druid render <program dir or file> [--out DIR] [--stack-config FILE]

Runs the Pulumi program under the SDK's mock runtime in preview mode (no cloud, no CLI, no
credentials) and writes plan.json, plan.txt, the generated Druid configuration per service and
the Kubernetes objects as YAML.`;

async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    if (command === "-h" || command === "--help" || command === "help") {
        process.stdout.write(`${usage}\n`);
        return 0;
    }
    if (command !== "render") {
        process.stderr.write(`${usage}\n`);
        return 2;
    }
    let program: string | undefined;
    let out: string | undefined;
    let stackConfig: string | undefined;
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        if (a === "--out") out = rest[++i];
        else if (a === "--stack-config") stackConfig = rest[++i];
        else if (a === "-h" || a === "--help") { process.stdout.write(`${usage}\n`); return 0; }
        else if (a.startsWith("-")) { process.stderr.write(`unknown option ${a}\n${usage}\n`); return 2; }
        else if (program === undefined) program = a;
        else { process.stderr.write(`unexpected argument ${a}\n${usage}\n`); return 2; }
    }
    if (program === undefined) {
        process.stderr.write(`${usage}\n`);
        return 2;
    }
    const tty = process.stderr.isTTY === true;
    const result = await render({ program, out, stackConfig, progress: tty ? (line) => process.stderr.write(`• ${line}\n`) : undefined });
    process.stdout.write(`Rendered ${result.resources} resources into ${path.relative(process.cwd(), result.out) || "."}/ (${result.files.length} files: plan.json, plan.txt, config/, kubernetes/)\n`);
    return 0;
}

// A program whose plan waits on a value that never comes leaves Node's event loop empty: Node would
// exit 0 having printed and written nothing. Say so and fail instead.
let settled = false;
process.on("beforeExit", () => {
    if (settled) return;
    process.stderr.write("render failed: the program's plan never finished (it waits on a value that never resolves)\n");
    process.exit(1);
});
main(process.argv.slice(2)).then((code) => { settled = true; process.exit(code); }, (err: unknown) => {
    settled = true;
    process.stderr.write(`render failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
