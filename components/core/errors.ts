/**
 * The one error type for bad input: it names the argument, the value given and what is allowed,
 * and is thrown while the component is being constructed, before any resource is registered.
 */
export class DruidArgumentError extends Error {
    /** Dotted path of the argument, e.g. `data.historicalTiers[1].replicas`. */
    public readonly argument: string;
    /** What is wrong, without the argument: `got <value>; <what is allowed>`. */
    public readonly reason: string;
    /** What is allowed, without the value given (the engine prints the value next to it, see schema-provider.ts inputPropertiesError). */
    public readonly allowed: string;

    constructor(argument: string, given: unknown, allowed: string) {
        const reason = `got ${describe(given)}; ${allowed}`;
        super(`DruidCluster: invalid ${argument}: ${reason}`);
        this.name = "DruidArgumentError";
        this.argument = argument;
        this.reason = reason;
        this.allowed = allowed;
    }
}

/** Raised by the sizing rules when a service's figures cannot fit its container. */
export class DruidSizingError extends Error {
    /** Dotted path of the argument that sizes the service, e.g. `query.broker.resources.memory` ("" when unknown). */
    public readonly argument: string;
    /** What is wrong, without the "DruidCluster: " prefix. */
    public readonly reason: string;

    constructor(message: string, argument = "") {
        super(`DruidCluster: ${message}`);
        this.name = "DruidSizingError";
        this.argument = argument;
        this.reason = message;
    }
}

/**
 * Several bad arguments at once: every problem the checks found, each a DruidArgumentError or a
 * DruidSizingError with its argument path. A DruidArgumentError itself (its argument and reason
 * are the first problem's), so code that catches the one error type still catches it.
 */
export class DruidArgumentErrors extends DruidArgumentError {
    public readonly errors: readonly (DruidArgumentError | DruidSizingError)[];

    constructor(errors: readonly (DruidArgumentError | DruidSizingError)[]) {
        const first = errors[0];
        super(first.argument, undefined, first instanceof DruidArgumentError ? first.allowed : first.reason);
        this.name = "DruidArgumentErrors";
        this.errors = errors;
        Object.defineProperty(this, "reason", { value: first.reason });
        this.message = `DruidCluster: ${errors.length} invalid arguments:\n${errors.map((e) => `  - ${e.message.replace(/^DruidCluster: /, "")}`).join("\n")}`;
    }
}

/** A value that is known only later (an Output, a Promise): shown as what it is, never by its text. */
function deferredKind(value: unknown): string | undefined {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
    if ((value as { __pulumiOutput?: unknown }).__pulumiOutput === true) return "an Output (another resource's output)";
    if (typeof (value as { then?: unknown }).then === "function") return "a Promise";
    return undefined;
}

function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    if (typeof value === "string") return JSON.stringify(value);
    // JSON would show NaN and Infinity as null.
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    const deferred = deferredKind(value);
    if (deferred !== undefined) return deferred;
    try {
        // An Output's toJSON is a warning text ("Calling [toJSON] on an [Output<T>] is not supported"): show what it is instead.
        // The replacer sees a value after its toJSON ran, so it looks at the holder's own entry.
        return JSON.stringify(value, function (this: Record<string, unknown>, k: string, v: unknown) { return deferredKind(this[k]) ?? v; }) ?? typeof value;
    } catch {
        return typeof value;
    }
}
