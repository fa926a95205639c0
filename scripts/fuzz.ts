// `npm run fuzz -- --runs N --seed S [--max-minutes M]`: the property of tests/property-based.test.ts
// over N generated argument sets (valid-looking and mutated, tests/support/arbitraries.ts), then
// prints how many were rejected with the component's own error, accepted (and checked), or
// accepted with a known domain failure, the time, and the shrunk counterexample of a failure.
// The property (tests/support/druid-property.ts) includes the real busybox `cat jvm.config | xargs`,
// the Kubernetes name rules, argument and ConfigMap limits and render's objects as written; cases
// with unknown Outputs are planned as a preview. A case that hangs (120 s) is a failure.
import * as fc from "fast-check";
import { anyArgs, clusterName } from "../tests/support/arbitraries";
import { checkCase, JavaProperties, Outcome } from "../tests/support/druid-property";

function option(name: string, fallback: number): number {
    const i = process.argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
    if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
    return v;
}

async function main(): Promise<void> {
    const runs = option("runs", 1000);
    const seed = option("seed", Date.now() % 2 ** 31);
    const maxMinutes = option("max-minutes", 60);
    const java = JavaProperties.available() ? new JavaProperties() : undefined;
    if (java === undefined) console.log("java not found: the java.util.Properties round trip is skipped");
    const counts = { cases: 0, rejected: 0, accepted: 0, known: 0 };
    const known = new Map<string, number>();
    // The component's warnings (console.warn without an engine) would drown the figures.
    console.warn = () => undefined;
    const start = Date.now();
    const result = await fc.check(fc.asyncProperty(clusterName, anyArgs(), async (name, args) => {
        // A case that never finishes is a failure too (a plan waiting on a value that never comes).
        let timer: NodeJS.Timeout | undefined;
        const outcome: Outcome = await Promise.race([
            checkCase(name, args, java),
            new Promise<Outcome>((resolve) => { timer = setTimeout(() => resolve({ kind: "violation", detail: "the case did not finish in 120 s" }), 120_000); }),
        ]).finally(() => clearTimeout(timer));
        if (outcome.kind === "violation") throw new Error(outcome.detail);
        counts.cases++;
        counts[outcome.kind]++;
        if (outcome.kind === "known") known.set(outcome.detail, (known.get(outcome.detail) ?? 0) + 1);
    }), { numRuns: runs, seed, interruptAfterTimeLimit: maxMinutes * 60_000, markInterruptAsFailure: false, endOnFailure: false });
    java?.close();
    const seconds = ((Date.now() - start) / 1000).toFixed(1);
    console.log(`seed ${seed}: ${counts.cases} cases passed (${counts.rejected} rejected, ${counts.accepted} accepted, ${counts.known} accepted with a known domain failure) in ${seconds} s`);
    for (const [id, n] of known) console.log(`  known: ${id} x${n}`);
    if (result.failed) {
        console.log(`FAILED after ${result.numRuns} runs (${result.numShrinks} shrinks); counterexample:\n${fc.stringify(result.counterexample)}\n${String(result.errorInstance)}`);
        process.exitCode = 1;
    }
}

void main();
