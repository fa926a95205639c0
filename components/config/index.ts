// The configuration generator: pure functions, usable without any Pulumi runtime.
export * from "./druid-config";
export * from "./properties";
export * from "./quantities";
export * from "./retention";
export * from "./tuning";
export { knownExtensions, msqExtensionFor } from "./extensions";
