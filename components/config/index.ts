// The configuration generator: pure functions, usable without any Pulumi runtime.
export * from "./druid-config";
export * from "../core/properties";
export * from "../core/quantities";
export * from "./retention";
export * from "../plan/tuning";
export { knownExtensions, msqExtensionFor } from "../plan/extensions";
