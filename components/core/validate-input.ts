import * as pulumi from "@pulumi/pulumi";

// Arguments another resource may feed (`pulumi.Input`s: the schema's non-`plain` properties) are
// checked like any other when they are known at plan time. An Output or a Promise is checked when
// it resolves: the check runs inside an apply and the checked Output is what the component passes
// on, so a bad value fails the resource that would use it with the component's DruidArgumentError
// (in `pulumi up`, or in preview once the value is known), never with a plan-time guess.

/** An Output or a Promise: a value known only when it resolves. */
export function isDeferred(value: unknown): value is pulumi.Output<unknown> | PromiseLike<unknown> {
    return pulumi.Output.isInstance(value) ||
        (value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function");
}

/** `check(value)` now when the value is known, or when it resolves (an Output that fails with the check's error). */
export function checkInput<T extends string | number, R = T>(value: pulumi.Input<T>, check: (v: T) => R): R | pulumi.Output<R> {
    if (!isDeferred(value)) return check(value);
    return pulumi.output(value).apply((v) => check(v as T));
}

/**
 * `f(value)` now when the value is plain, or when it resolves (an Output): how texts built from an
 * argument that may be another resource's output (the namespace in host names) stay plain when it is.
 */
export function mapInput<T, R>(value: T | pulumi.Output<T>, f: (v: T) => R): R | pulumi.Output<R> {
    return pulumi.Output.isInstance(value) ? (value).apply((v) => f(v) as pulumi.Input<R>) as pulumi.Output<R> : f(value);
}
