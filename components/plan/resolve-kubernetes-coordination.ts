import { DruidClusterArgs } from "../args";
import { DruidArgumentError } from "../core/errors";
import { checkInteger, shapeOf } from "./validate";

// Rules and settings of coordination "kubernetes" (druid-kubernetes-extensions) that depend on
// other arguments. Sources: apache/druid tag druid-37.0.0,
// extensions-core/kubernetes-extensions/src/main/java/org/apache/druid/k8s/discovery/.

/** Leader-election timing, in seconds (K8sDiscoveryConfig leaseDuration, renewDeadline, retryPeriod). */
export interface LeaderElectionPlan {
    leaseDurationSeconds: number;
    renewDeadlineSeconds: number;
    retryPeriodSeconds: number;
}

/** What coordination "kubernetes" needs besides the extension. */
export interface KubernetesCoordinationPlan {
    /** `druid.discovery.k8s.clusterIdentifier`: the label value every announced pod carries. */
    clusterIdentifier: string;
    /** Timing to render; undefined: Druid's defaults (60 / 17 / 5 s), nothing rendered. */
    leaderElection?: LeaderElectionPlan;
}

/**
 * The pattern K8sDiscoveryConfig checks `clusterIdentifier` against in its constructor
 * (K8sDiscoveryConfig.java:37 `K8S_RESOURCE_NAME_REGEX = "[a-z0-9][a-z0-9-]*[a-z0-9]"`, checked at
 * lines 77-82 with `matches()`): a process whose identifier does not match does not start.
 */
export const clusterIdentifierPattern = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;

/** Druid's defaults (K8sDiscoveryConfig.java:98-100: 60000, 17000 and 5000 ms). */
export const druidLeaderElectionDefaults: LeaderElectionPlan = { leaseDurationSeconds: 60, renewDeadlineSeconds: 17, retryPeriodSeconds: 5 };

/**
 * Defaults with highAvailability. Druid does not give the lock up when a leader stops:
 * DefaultK8sLeaderElectorFactory.create builds kubernetes-client's LeaderElectionConfig with the
 * four-argument constructor (lock, lease, renew deadline, retry period; no releaseOnCancel), and
 * the K8sLeaderElector it returns has no close; K8sDruidLeaderSelector.unregisterListener closes
 * only Druid's LeaderElectorAsyncWrapper. A failover therefore waits out the rest of the lease:
 * at most 15 s instead of 60. 15 / 10 / 2 are the timings of
 * Kubernetes' own controller-manager and scheduler elections (kube-controller-manager
 * --leader-elect-lease-duration 15s, --leader-elect-renew-deadline 10s, --leader-elect-retry-period 2s).
 */
export const haLeaderElectionDefaults: LeaderElectionPlan = { leaseDurationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2 };

/**
 * Checks the combinations coordination "kubernetes" cannot run, and resolves its identifier and
 * leader-election timing; undefined with ZooKeeper (whose `leaderElection` is refused).
 */
export function resolveKubernetesCoordination(name: string, args: DruidClusterArgs, coordination: "zookeeper" | "kubernetes",
    worker: "middleManager" | "indexer" | "kubernetesJobs", highAvailability: boolean): KubernetesCoordinationPlan | undefined {
    if (coordination !== "kubernetes") {
        if (args.leaderElection !== undefined) {
            throw new DruidArgumentError("leaderElection", shapeOf(args.leaderElection),
                "applies only to coordination \"kubernetes\": ZooKeeper's leader election has no lease to set");
        }
        return undefined;
    }
    if (worker === "middleManager") {
        // A MiddleManager's Peons are child processes with its environment (ForkingTaskRunner.runTaskProcess:
        // `new ProcessBuilder(command)`, environment not changed, so POD_NAME is the MiddleManager's), and
        // each announces by patching that one pod with fixed keys (K8sDruidNodeAnnouncer.announce:
        // labels druidDiscoveryAnnouncement-peon, -id-hash, annotation druidNodeInfo-peon; unannounce
        // removes them). Discovery only follows ADDED and DELETED pod events
        // (K8sDruidNodeDiscoveryProvider.NodeRoleWatcher.keepWatching, MODIFIED ignored): Brokers see
        // at most one streaming task per MiddleManager and lose them all when one stops.
        throw new DruidArgumentError("data.ingestion.worker", "middleManager",
            "cannot run with coordination \"kubernetes\": Peons forked by a MiddleManager share its pod, where Druid's Kubernetes discovery " +
            "announces one task per pod, so Brokers would not see most streaming tasks; choose worker \"indexer\" or \"kubernetesJobs\" " +
            "(or coordination \"zookeeper\")");
    }
    if (!clusterIdentifierPattern.test(name)) {
        throw new DruidArgumentError("name (the resource name)", name,
            "must be at least 2 characters with coordination \"kubernetes\": it is Druid's druid.discovery.k8s.clusterIdentifier, " +
            "which must match [a-z0-9][a-z0-9-]*[a-z0-9] or no Druid process starts");
    }
    const given = args.leaderElection ?? {};
    const defaults = highAvailability ? haLeaderElectionDefaults : druidLeaderElectionDefaults;
    const lease = checkInteger("leaderElection.leaseDurationSeconds", given.leaseDurationSeconds, defaults.leaseDurationSeconds, 2, 3600);
    const renew = checkInteger("leaderElection.renewDeadlineSeconds", given.renewDeadlineSeconds, defaults.renewDeadlineSeconds, 1, 3600);
    const retry = checkInteger("leaderElection.retryPeriodSeconds", given.retryPeriodSeconds, defaults.retryPeriodSeconds, 1, 3600);
    // The leader must renew before its lease runs out, and try more than once within the renew deadline.
    if (renew >= lease) {
        throw new DruidArgumentError("leaderElection.renewDeadlineSeconds", renew,
            `must be less than leaderElection.leaseDurationSeconds (${lease}): a leader that renews after its lease expired overlaps the next one`);
    }
    if (retry >= renew) {
        throw new DruidArgumentError("leaderElection.retryPeriodSeconds", retry,
            `must be less than leaderElection.renewDeadlineSeconds (${renew}): the leader retries its renewal every retry period until the deadline`);
    }
    const leaderElection = { leaseDurationSeconds: lease, renewDeadlineSeconds: renew, retryPeriodSeconds: retry };
    const isDruidDefault = lease === druidLeaderElectionDefaults.leaseDurationSeconds && renew === druidLeaderElectionDefaults.renewDeadlineSeconds
        && retry === druidLeaderElectionDefaults.retryPeriodSeconds;
    return { clusterIdentifier: name, leaderElection: isDruidDefault && args.leaderElection === undefined ? undefined : leaderElection };
}
