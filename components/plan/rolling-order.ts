import { ServiceKind } from "./tuning";
import { queryShutdown, defaultTerminationGraceSeconds } from "./layout";
import { ServicePlan } from "./cluster-plan";
import { historicalStartupBudget } from "./resolve-segment-cache";

/**
 * Druid's rolling-update order (docs/operations/rolling-updates.md): Historical, then
 * MiddleManager/Indexer, Broker, Router, Overlord, and the Coordinator (or merged
 * Coordinator-Overlord) last. Each wave's workloads depend on the previous wave's, so a
 * `pulumi up` that changes them updates them in this order, each wave awaited (rolled out and
 * Ready) before the next; a downgrade is the reverse, which Pulumi does not do on its own (see
 * docs/operations.md).
 *
 * Creation cannot follow this order: a Broker cannot start before a Coordinator answers
 * (BrokerViewOfCoordinatorConfig.start() throws), and with basic security every other service
 * polls the Coordinator at start. So every workload but the Coordinator is created with zero
 * replicas (ready at once, which Pulumi's await accepts: pulumi-kubernetes
 * provider/pkg/await/deployment.go and statefulset.go compare ready with spec replicas), the
 * Coordinator last in the chain comes up for real, and then a replica patch per workload
 * (`components/k8s/replica-patch.ts`), which depends on the Coordinator, scales each to its
 * size. The patches own `spec.replicas` afterwards; the workloads ignore it, so later updates
 * (version or configuration) roll in this order and never touch the replica count.
 *
 * With `highAvailability` the Coordinator Deployment starts the cluster with two replicas: both
 * start (they need only ZooKeeper and the metadata store) and are Ready on `/status/health`
 * whichever leads, so creation is unchanged (tests/deploy-model.test.ts replays it). Masters then
 * roll one down, one up (maxSurge 0: their required anti-affinity leaves no node for a surge pod),
 * the other replica serving; the leadership moves once or twice per rollout (docs/operations.md).
 *
 * A zone-aware group (zone-wave-plan.ts) is rolled within its wave by one Job per zone
 * (parts/zone-waves.ts, docs/zones.md "Zone waves"), and the next wave waits for the last of them.
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

/** Created with its real replica count (the start of the cluster); every other service starts at 0 and is scaled after it. */
export function startsCluster(svc: ServicePlan): boolean {
    return svc.kind === "coordinator";
}

/** Seconds Druid's MiddleManager/Indexer take to stop restorable tasks after SIGTERM (`druid.indexer.task.gracefulShutdownTimeout`, default PT5M), plus a margin. */
export const taskStopSeconds = 300 + 30;

/** The pod's termination grace period: drain, or unannounce and in-flight queries, or a plain JVM stop. */
export function terminationGraceSeconds(svc: ServicePlan): number {
    if (svc.drainSeconds !== undefined) return svc.drainSeconds + taskStopSeconds;
    if (svc.kind === "historical" || svc.kind === "broker") {
        return queryShutdown.unannounceSeconds + queryShutdown.gracefulSeconds + queryShutdown.marginSeconds;
    }
    return defaultTerminationGraceSeconds;
}

/**
 * Start-up budget of one pod (the startup probe's periodSeconds × failureThreshold). A Historical
 * loads its segment cache before it serves: 3600 s, or 900 s with `lazyLoadOnStart`
 * (resolve-segment-cache.ts `historicalStartupBudget`: the same number of segments at the cited
 * lazy cost). `bootstrapThreads` leaves it alone: more threads only end the start sooner.
 */
export function startupSeconds(svc: ServicePlan): number {
    if (svc.kind !== "historical") return 300;
    return svc.segmentCache?.lazyLoadOnStart === true ? historicalStartupBudget.lazy : historicalStartupBudget.eager;
}

/**
 * Pulumi's await timeout for a workload: its pods are replaced one at a time, each stopping
 * (grace period) and starting (startup budget); Pulumi's 10-minute default would fail a rollout
 * of a few Historicals that reload their cache, or of MiddleManagers that drain.
 */
export function rolloutTimeoutMinutes(svc: ServicePlan, replicas = svc.autoscaling?.maxReplicas ?? svc.replicas): number {
    const perPod = terminationGraceSeconds(svc) + startupSeconds(svc);
    return Math.max(10, Math.ceil((replicas * perPod) / 60));
}
