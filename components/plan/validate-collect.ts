import { DruidArgumentError, DruidArgumentErrors, DruidSizingError } from "../core/errors";

// Collects every problem of the arguments instead of stopping at the first. The existing checks
// keep throwing their DruidArgumentError or DruidSizingError; a caller runs each independent
// check through `attempt`, which records the error and carries on with a fallback value. At the
// end `throwIfAny` throws the one problem as it is, or all of them as one DruidArgumentErrors.

/** A bad argument with its path: what the checks throw. */
export type ArgumentProblem = DruidArgumentError | DruidSizingError;

export function isArgumentProblem(e: unknown): e is ArgumentProblem {
    return e instanceof DruidArgumentError || e instanceof DruidSizingError;
}

export class ProblemCollector {
    private readonly found: ArgumentProblem[] = [];
    /** How many problems the type checks found (validate-shape.ts); the domain checks' come after. */
    private typeProblems = 0;

    /** The problems recorded so far, in the order the checks ran. */
    get problems(): readonly ArgumentProblem[] {
        return this.found;
    }

    /** Records a problem (each of a DruidArgumentErrors' problems). */
    add(e: ArgumentProblem): void {
        if (e instanceof DruidArgumentErrors) this.found.push(...e.errors);
        else this.found.push(e);
    }

    /**
     * `check()`, or `fallback` when it throws a bad-argument error (recorded). Any other error is a
     * consequence of a problem already recorded (a later check reading a value that failed its own
     * check) and is dropped then; with nothing recorded it is a defect and is thrown.
     */
    attempt<T>(check: () => T, fallback: T): T {
        try {
            return check();
        } catch (e) {
            if (isArgumentProblem(e)) this.add(e);
            else if (this.found.length === 0) throw e;
            return fallback;
        }
    }

    /**
     * Marks the end of the type checks: a later (domain) problem on an argument whose type was
     * already found wrong, or inside or around it, is the same mistake seen again and is dropped.
     */
    typesChecked(): void {
        this.typeProblems = this.found.length;
    }

    /** Throws the problem found, or all of them as one DruidArgumentErrors; nothing when none was found. */
    throwIfAny(): void {
        const problems = this.dedupe();
        if (problems.length === 1) throw problems[0];
        if (problems.length > 1) throw new DruidArgumentErrors(problems);
    }

    /** The same problem found twice (two checks reading one argument) is reported once. */
    private dedupe(): ArgumentProblem[] {
        const seen = new Set<string>();
        const typed = this.found.slice(0, this.typeProblems).map((e) => e.argument);
        const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);
        return this.found.filter((e, i) => {
            if (i >= this.typeProblems && typed.some((t) => overlaps(e.argument, t))) return false;
            const key = `${e.argument}\u0000${e.message}`;
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
        });
    }
}
