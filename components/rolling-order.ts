import { ServiceKind } from "./config/tuning";
import { ServicePlan } from "./resolve";

/**
 * Druid's rolling-update order (docs/operations/rolling-updates.md): Historical, then
 * MiddleManager/Indexer, Broker, Router, Overlord, and the Coordinator (or merged
 * Coordinator-Overlord) last. Each wave's workloads depend on the previous wave's, so a
 * `pulumi up` that changes them all updates them in this order; a downgrade is the reverse,
 * which Pulumi does not do on its own (see the README).
 */
export const rollingUpdateOrder: readonly ServiceKind[][] = [
    ["historical"], ["middleManager", "indexer"], ["broker"], ["router"], ["overlord"], ["coordinator"],
];

/** The services grouped into waves, in rolling-update order. */
export function rollingUpdateWaves(services: ServicePlan[]): ServicePlan[][] {
    return rollingUpdateOrder
        .map((kinds) => services.filter((s) => kinds.includes(s.kind)))
        .filter((wave) => wave.length > 0);
}
