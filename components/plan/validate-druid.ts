import { peonStartPort, servicePort } from "./layout";
import { taskPodPorts } from "./layout";
import { propertyTypes, propertyValueProblem } from "./property-types";
import { DruidArgumentError } from "../core/errors";
import { zkPorts, zooKeeperMetricsPort } from "./layout";
import type { ClusterPlan } from "./cluster-plan";

// Rules of Druid (and of the objects built around it) for the values users pass through.

/** The fork prefix of MiddleManager properties that reach every Peon. */
const forkPrefix = "druid.indexer.fork.property.";

/**
 * Properties the component writes from one of its arguments (or fixes, because the Kubernetes
 * objects are built around the value): an override would leave the Service, probes, volumes or
 * sizing on the old value, so it is refused with the argument to use instead.
 * `sibling` is an argument beside `properties` (e.g. "volumeSize" of the same tier).
 */
const reserved: Record<string, { use?: string; sibling?: string; why: string }> = {
    "druid.plaintextPort": { why: "each service serves on Druid's default port, which its Service, probes and NetworkPolicies use; it cannot be changed" },
    "druid.tlsPort": { why: "each service serves on Druid's default TLS port, which its Service, probes and NetworkPolicies use; it cannot be changed" },
    "druid.enablePlaintextPort": { use: "tls", why: "is set by the component: plaintext off with TLS, on without" },
    "druid.enableTlsPort": { use: "tls", why: "is set by the component: TLS on with `tls`, off without" },
    "druid.emitter.prometheus.port": { use: "metrics.prometheusPort", why: "is the port of the Services, pods and NetworkPolicies the component builds for metrics" },
    "druid.service": { why: "names the service in discovery; the Router and every selector refer to the component's names" },
    "druid.host": { why: "is each pod's own address (its IP, or its DNS name with TLS), set by the component at start" },
    "druid.segmentCache.locations": { sibling: "volumeSize", use: "data.historicalTiers[].volumeSize", why: "is the segment-cache volume the component mounts; size it with volumeSize (and druid.server.maxSize)" },
    "druid.segmentCache.lazyLoadOnStart": { sibling: "lazyLoadOnStart", use: "data.historicalTiers[].lazyLoadOnStart", why: "sets the Historicals' start-up budget (startup probe) and rollout timeout, which the component derives from it" },
    "druid.segmentCache.numBootstrapThreads": { sibling: "bootstrapThreads", use: "data.historicalTiers[].bootstrapThreads", why: "is written from the tier's bootstrapThreads" },
    "druid.indexer.task.baseTaskDir": { use: "data.ingestion.volumeSize", why: "is the task volume the component mounts" },
    "druid.indexer.task.baseDir": { why: "is set by the component with Kubernetes Jobs to the task pods' scratch volume (the Overlord's baseDir is each task pod's TASK_DIR; size it with data.ingestion.taskStorageSize)" },
    "druid.worker.capacity": { use: "data.ingestion.workerCapacity", why: "sets the task slots, which the memory check multiplies by each Peon's memory" },
    "druid.indexer.runner.javaOpts": { use: "data.ingestion.peonJvmOptions", why: "would replace the Peons' sized -Xmx/-XX:MaxDirectMemorySize, which the memory check counts" },
    "druid.indexer.runner.javaOptsArray": { use: "data.ingestion.peonJvmOptions", why: "would replace the Peons' sized -Xmx/-XX:MaxDirectMemorySize, which the memory check counts" },
    "druid.indexer.runner.startPort": { why: "is the first Peon port (8100), which the port checks count from" },
    "druid.metadata.storage.connector.connectURI": { use: "metadataStore", why: "is written from the metadata store" },
    "druid.metadata.storage.connector.user": { use: "metadataStore", why: "is written from the metadata store" },
    "druid.metadata.storage.connector.password": { use: "metadataStore", why: "is read from the metadata store's Secret" },
    "druid.zk.service.host": { use: "zookeeper.externalConnectString", why: "is written from the ZooKeeper ensemble" },
    "druid.storage.bucket": { use: "deepStorage.existingBucketName", why: "is the bucket the IAM policy grants access to" },
    "druid.storage.baseKey": { use: "deepStorage.prefix", why: "is under the prefix the IAM policy grants access to" },
};

/**
 * Checks a map of property overrides: no property the component controls, and every property of a
 * known type (propertyTypes) given as a value Druid can read. Peon properties
 * (`druid.indexer.fork.property.X`) are checked as X.
 */
export function checkDruidProperties(argument: string, map: Record<string, string>): void {
    for (const [key, value] of Object.entries(map)) {
        const at = `${argument}["${key}"]`;
        // Own entries only: a key such as "toString" or "constructor" is a legal property name, not Object.prototype's.
        const r = Object.hasOwn(reserved, key) ? reserved[key] : undefined;
        if (r !== undefined) {
            const use = r.sibling !== undefined && argument.startsWith("data.historicalTiers[")
                ? `${argument.slice(0, -".properties".length)}.${r.sibling}` : r.use;
            throw new DruidArgumentError(at, value, `cannot be overridden: it ${r.why}${use !== undefined ? `; use ${use} instead` : ""}`);
        }
        const name = key.startsWith(forkPrefix) ? key.slice(forkPrefix.length) : key;
        const t = Object.hasOwn(propertyTypes, name) ? propertyTypes[name] : undefined;
        if (t === undefined) continue;
        const problem = propertyValueProblem(t, value);
        if (problem !== undefined) throw new DruidArgumentError(at, value, problem);
    }
}

/** A port and what serves on it, in one pod. */
interface PortUse {
    port: number;
    what: string;
}

/**
 * No two equal ports in one pod (its container could not bind both) or one Service (two ports of
 * one number): the metrics port is the only configurable one, so it must differ from every port
 * of every pod it is added to (each Druid service's port, the Peons' ports 8100 + task slots, a
 * task pod's fixed ports). The ZooKeeper pods' ports (2181, 2888, 3888, 8080 and 7000 for
 * metrics) are refused too: a NetworkPolicy allows the metrics port from anywhere, and a number
 * shared with ZooKeeper's would make every rule and scrape config about it ambiguous.
 */
export function checkPorts(plan: ClusterPlan): void {
    if (plan.metrics.emitter !== "prometheus") return;
    const port = plan.metrics.prometheusPort;
    const tls = plan.tls !== undefined;
    const uses: PortUse[] = [];
    for (const s of plan.services) {
        uses.push({ port: servicePort(s.kind, tls), what: `the ${s.label}'s ${tls ? "TLS " : ""}port` });
        if (s.kind === "middleManager") {
            const slots = s.tuning.workerCapacity ?? 1;
            for (let i = 0; i < slots; i++) uses.push({ port: peonStartPort + i, what: `a Peon's port (8100 to ${peonStartPort + slots - 1} for ${slots} task slots)` });
        }
    }
    if (plan.taskPods !== undefined) uses.push({ port: tls ? taskPodPorts.tls : taskPodPorts.plaintext, what: "the task pods' port" });
    if (plan.coordination === "zookeeper" && plan.zookeeper.external === undefined) {
        uses.push({ port: zkPorts.client, what: "ZooKeeper's client port" }, { port: zkPorts.quorum, what: "ZooKeeper's quorum port" },
            { port: zkPorts.election, what: "ZooKeeper's election port" }, { port: zkPorts.admin, what: "ZooKeeper's admin port" },
            { port: zooKeeperMetricsPort, what: "ZooKeeper's metrics port" });
    }
    const clash = uses.find((u) => u.port === port);
    if (clash !== undefined) {
        throw new DruidArgumentError("metrics.prometheusPort", port,
            `collides with ${clash.what}: one pod or Service cannot have two ports of one number; choose a port no Druid or ZooKeeper process uses (default 9000)`);
    }
}
