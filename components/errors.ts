/**
 * The one error type for bad input: it names the argument, the value given and what is allowed,
 * and is thrown while the component is being constructed, before any resource is registered.
 */
export class DruidArgumentError extends Error {
    /** Dotted path of the argument, e.g. `data.historicalTiers[1].replicas`. */
    public readonly argument: string;
    /** What is wrong, without the argument: `got <value>; <what is allowed>`. */
    public readonly reason: string;

    constructor(argument: string, given: unknown, allowed: string) {
        const reason = `got ${describe(given)}; ${allowed}`;
        super(`DruidCluster: invalid ${argument}: ${reason}`);
        this.name = "DruidArgumentError";
        this.argument = argument;
        this.reason = reason;
    }
}

/** Raised by the sizing rules when a service's figures cannot fit its container. */
export class DruidSizingError extends Error {
    constructor(message: string) {
        super(`DruidCluster: ${message}`);
        this.name = "DruidSizingError";
    }
}

function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    if (typeof value === "string") return JSON.stringify(value);
    // JSON would show NaN and Infinity as null.
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    try {
        return JSON.stringify(value) ?? typeof value;
    } catch {
        return typeof value;
    }
}
