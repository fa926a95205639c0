import { haMinimums, ServicePlan, TaskPodsPlan } from "./cluster-plan";
import { Autoscaling, DruidClusterArgs, DruidServiceSettings, HistoricalTier, Resources } from "../args";
import { checkAutoscalingMetrics } from "./resolve-placement";
import { checkNoRequests } from "./validate-requests";
import { DruidRelease } from "./druid-versions";
import { tuneTaskPod } from "./task-pod-tuning";
import { historicalMergeBuffers, tuneService } from "./tuning";
import { DruidArgumentError } from "../core/errors";
import { RuleTier } from "./resolve-data-management";
import { checkBytes, checkCpu, checkDnsLabel, checkInteger, checkOneOf, checkPropertyMap, checkVolumeBytes, shapeOf } from "./validate";
import { checkJvmOptionForms } from "./jvm-options";
import { checkScheduling } from "./validate-kubernetes";
import { ProblemCollector } from "./validate-collect";
import { checkStorageClass } from "./validate-objects";
import { resolveSegmentCache } from "./resolve-segment-cache";
import { brokerCount } from "./resolve-zone-brokers";

// The plan of each Druid service: replicas, resources and sizing, autoscaling, JVM options, task pods.

export const serviceDefaults: Record<"coordinator" | "overlord" | "broker" | "router", { replicas: number; resources: Resources }> = {
    coordinator: { replicas: 1, resources: { cpu: "2", memory: "4Gi" } },
    overlord: { replicas: 1, resources: { cpu: "1", memory: "2Gi" } },
    broker: { replicas: 2, resources: { cpu: "2", memory: "8Gi" } },
    router: { replicas: 2, resources: { cpu: "1", memory: "1Gi" } },
};

export function resources(argument: string, r: Resources | undefined, fallback: Resources): { resources: Resources; cpu: number; memoryBytes: number } {
    const res = r ?? fallback;
    if (typeof res !== "object" || res === null) {
        throw new DruidArgumentError(argument, res, "must be an object with cpu and memory quantities");
    }
    return { resources: res, cpu: checkCpu(`${argument}.cpu`, res.cpu), memoryBytes: checkBytes(`${argument}.memory`, res.memory) };
}

/** Arguments that size MiddleManager/Indexer pods, and those that size task pods: each only with its own worker. */
export const workerPodKeys = ["replicas", "resources", "workerCapacity", "volumeSize", "storageClass", "drainTimeoutSeconds"] as const;

export const taskPodKeys = ["taskResources", "taskCapacity", "taskStorageSize"] as const;

export function resolveTaskPods(args: DruidClusterArgs, release: DruidRelease): TaskPodsPlan | undefined {
    const ing = args.data?.ingestion ?? {};
    if ((ing.worker ?? "middleManager") !== "kubernetesJobs") return undefined;
    checkNoRequests("data.ingestion.taskResources", ing.taskResources, "task pods");
    const r = resources("data.ingestion.taskResources", ing.taskResources, { cpu: "1", memory: "2Gi" });
    const properties = checkPropertyMap("data.ingestion.properties", ing.properties);
    const storageSize = ing.taskStorageSize ?? "10Gi";
    checkVolumeBytes("data.ingestion.taskStorageSize", storageSize);
    const jvmOptions = checkJvmOptions("data.ingestion.jvmOptions", ing.jvmOptions);
    const javaOptsFromEnv = !release.peonSh.readsJvmConfig;
    if (javaOptsFromEnv) {
        // peon.sh expands ${JAVA_OPTS} unquoted: a glob character would be matched against /opt/druid's files.
        jvmOptions.forEach((f, i) => {
            if (/[*?[]/.test(f)) {
                throw new DruidArgumentError(`data.ingestion.jvmOptions[${i}]`, f,
                    `must not hold *, ? or [: Druid ${release.major}'s peon.sh passes the task pods' JVM options through JAVA_OPTS unquoted, so the shell would expand them as file patterns`);
            }
        });
    }
    return {
        javaOptsFromEnv,
        capacity: checkInteger("data.ingestion.taskCapacity", ing.taskCapacity, 4, 1, 1000),
        resources: r.resources,
        tuning: tuneTaskPod(r.memoryBytes, properties, "data.ingestion.properties", jvmOptions, "data.ingestion.jvmOptions"),
        properties,
        jvmOptions,
        scheduling: checkScheduling("data.ingestion.scheduling", ing.scheduling),
        storageSize,
    };
}

/** The Druid tiers of the Historicals (each zone of a zone-aware tier its own), with how many serve each (two component tiers may share one). */
export function ruleTiers(services: ServicePlan[]): RuleTier[] {
    const tiers: RuleTier[] = [];
    for (const s of services.filter((x) => x.kind === "historical")) {
        // A zone's Historicals belong to their group's tier ("hot"), whose name errors may quote.
        const name = (s.zoneGroup ?? s.key).replace(/^historical-/, "");
        const t = tiers.find((x) => x.druidTier === s.tier!.name);
        if (t !== undefined) {
            t.replicas += s.replicas;
            t.names.push(name);
        } else {
            tiers.push({ druidTier: s.tier!.name, replicas: s.replicas, names: [name] });
        }
    }
    return tiers;
}

export function resolveAutoscaling(argument: string, a: (DruidServiceSettings & { autoscaling?: Autoscaling }) | undefined): ServicePlan["autoscaling"] {
    const hpa = a?.autoscaling;
    if (hpa === undefined) return undefined;
    if (a?.replicas !== undefined) {
        throw new DruidArgumentError(`${argument}.replicas`, a.replicas, `cannot be combined with ${argument}.autoscaling: the autoscaler sets the replica count`);
    }
    const minReplicas = checkInteger(`${argument}.autoscaling.minReplicas`, hpa.minReplicas, 2, 1, 100);
    if (minReplicas < 2) {
        throw new DruidArgumentError(`${argument}.autoscaling.minReplicas`, minReplicas,
            "must be at least 2: the PodDisruptionBudget lets one pod be unavailable, so one replica would leave none serving during a drain");
    }
    const maxReplicas = checkInteger(`${argument}.autoscaling.maxReplicas`, hpa.maxReplicas, minReplicas, 1, 100);
    if (maxReplicas < minReplicas) {
        throw new DruidArgumentError(`${argument}.autoscaling.maxReplicas`, maxReplicas, `must be at least minReplicas (${minReplicas})`);
    }
    if (hpa.metrics !== undefined && hpa.targetCpuUtilizationPercent !== undefined) {
        throw new DruidArgumentError(`${argument}.autoscaling.targetCpuUtilizationPercent`, hpa.targetCpuUtilizationPercent,
            `cannot be combined with ${argument}.autoscaling.metrics, which replaces the CPU target: put a "Resource" metric for cpu in metrics instead`);
    }
    return {
        minReplicas, maxReplicas, targetCpuUtilizationPercent: checkInteger(`${argument}.autoscaling.targetCpuUtilizationPercent`, hpa.targetCpuUtilizationPercent, 70, 10, 100),
        metrics: hpa.metrics === undefined ? undefined : checkAutoscalingMetrics(`${argument}.autoscaling.metrics`, hpa.metrics),
    };
}

export function checkJvmOptions(argument: string, v: unknown): string[] {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((f) => typeof f !== "string")) {
        throw new DruidArgumentError(argument, v, "must be a list of JVM flags, e.g. [\"-XX:+HeapDumpOnOutOfMemoryError\"]");
    }
    checkJvmOptionForms(v as string[], argument);
    return v as string[];
}

/**
 * The Druid services' plans. With a collector, each service (and each Historical tier) is checked
 * even when another failed; the services that failed are left out of the result, which is then
 * only used to find more problems (resolveCluster throws them all).
 */
export function resolveServices(args: DruidClusterArgs, highAvailability: boolean, problems?: ProblemCollector): ServicePlan[] {
    const each = (check: () => void) => { if (problems !== undefined) problems.attempt(check, undefined); else check(); };
    // Connection pools are split over the most pods that can run: the autoscaler's maxReplicas
    // (10 Brokers x 25 connections would otherwise meet 60 Historical threads). When one of them is
    // wrong, the others are sized with the default.
    const counted = (argument: "query.broker" | "query.router", kind: "broker" | "router", a: (DruidServiceSettings & { autoscaling?: Autoscaling }) | undefined) => {
        const perWorkload = () => resolveAutoscaling(argument, a)?.maxReplicas ?? checkInteger(`${argument}.replicas`, a?.replicas, serviceDefaults[kind].replicas, 1, 100);
        // Zone-local Brokers (resolve-zone-brokers.ts): replicas and autoscaling count each zone's.
        const count = () => kind === "broker" ? brokerCount(args, perWorkload()) : perWorkload();
        return problems !== undefined ? problems.attempt(count, serviceDefaults[kind].replicas) : count();
    };
    const brokerReplicas = counted("query.broker", "broker", args.query?.broker);
    const routerReplicas = counted("query.router", "router", args.query?.router);
    const services: ServicePlan[] = [];
    let coordinatorHeapBytes: number | undefined;
    const simple = (kind: "coordinator" | "overlord" | "broker" | "router", argument: string, a: DruidServiceSettings | undefined, extra: Partial<ServicePlan> = {},
        historicalMergeBuffersForBroker?: number) => {
        const d = serviceDefaults[kind];
        const autoscaling = resolveAutoscaling(argument, a);
        const r = resources(`${argument}.resources`, a?.resources, d.resources);
        const properties = checkPropertyMap(`${argument}.properties`, a?.properties);
        const jvmOptions = checkJvmOptions(`${argument}.jvmOptions`, a?.jvmOptions);
        const label = kind;
        const minimum = highAvailability ? haMinimums[kind] : 1;
        const replicas = autoscaling?.minReplicas ?? checkInteger(`${argument}.replicas`, a?.replicas, Math.max(d.replicas, minimum), 1, 100);
        if (replicas < minimum) {
            throw new DruidArgumentError(`${argument}.replicas`, replicas,
                `must be at least ${minimum} with highAvailability (one ${kind} serving while the other is drained or rolled); remove it or raise it`);
        }
        const tuning = tuneService({
            label, kind, cpu: r.cpu, memoryBytes: r.memoryBytes, properties, propertiesArgument: `${argument}.properties`, argument, brokerReplicas, routerReplicas,
            jvmOptions, jvmOptionsArgument: `${argument}.jvmOptions`, coordinatorHeapBytes, historicalMergeBuffers: historicalMergeBuffersForBroker,
        });
        if (kind === "coordinator") coordinatorHeapBytes = tuning.heapBytes;
        services.push({
            key: kind,
            kind,
            label,
            replicas,
            spreadAcrossNodes: highAvailability && (kind === "coordinator" || kind === "overlord") ? true : undefined,
            resources: r.resources,
            tuning,
            autoscaling,
            properties,
            jvmOptions,
            scheduling: checkScheduling(`${argument}.scheduling`, a?.scheduling),
            usesMetadataStore: kind === "coordinator" || kind === "overlord",
            ...extra,
        });
    };
    const combined = args.master?.combined ?? false;
    if (combined && args.master?.overlord !== undefined) {
        throw new DruidArgumentError("master.overlord", shapeOf(args.master.overlord), "cannot be given with master.combined = true: the Coordinator runs the Overlord; size master.coordinator instead");
    }
    each(() => simple("coordinator", "master.coordinator", args.master?.coordinator, combined ? { combinedWithOverlord: true } : {}));
    if (!combined) each(() => simple("overlord", "master.overlord", args.master?.overlord));
    // The Broker's merge buffers follow the Historicals' (the tiers are checked in full below, where
    // a tier whose resources are wrong is reported; here it only counts as having none).
    const tierArgs = Array.isArray(args.data?.historicalTiers) && args.data.historicalTiers.length > 0 ? args.data.historicalTiers : [{ name: "default" } as HistoricalTier];
    const historicalMerge = Math.max(...tierArgs.map((t, i) => {
        const given = t?.properties?.["druid.processing.numMergeBuffers"];
        if (given !== undefined && /^[1-9][0-9]*$/.test(String(given).trim())) return Number(given);
        try {
            return historicalMergeBuffers(resources(`data.historicalTiers[${i}].resources`, t?.resources, { cpu: "4", memory: "16Gi" }).cpu);
        } catch (e) {
            if (e instanceof DruidArgumentError) return 0;
            throw e;
        }
    }));
    each(() => simple("broker", "query.broker", args.query?.broker, {}, historicalMerge));
    each(() => simple("router", "query.router", args.query?.router));

    const historicalStorage = args.data?.historicalStorage ?? "persistent";
    const cacheBytes = args.data?.historicalCacheSize !== undefined ? checkBytes("data.historicalCacheSize", args.data.historicalCacheSize) : undefined;
    const tiers = args.data?.historicalTiers ?? [{ name: "default", volumeSize: "100Gi" }];
    if (!Array.isArray(tiers) || tiers.length === 0) {
        throw new DruidArgumentError("data.historicalTiers", tiers, "needs at least one tier");
    }
    const seen = new Set<string>();
    tiers.forEach((t, i) => each(() => {
        const argument = `data.historicalTiers[${i}]`;
        checkDnsLabel(`${argument}.name`, t.name, 30);
        if (seen.has(t.name)) {
            throw new DruidArgumentError(`${argument}.name`, t.name, "is used by another tier; tier names must be unique");
        }
        seen.add(t.name);
        if (t.volumeSize === undefined) {
            throw new DruidArgumentError(`${argument}.volumeSize`, undefined, "is required: each Historical tier needs a segment-cache volume size such as \"100Gi\"");
        }
        const volumeBytes = checkVolumeBytes(`${argument}.volumeSize`, t.volumeSize);
        const r = resources(`${argument}.resources`, t.resources, { cpu: "4", memory: "16Gi" });
        const properties = checkPropertyMap(`${argument}.properties`, t.properties);
        const druidTier = t.druidTier ?? (t.name === "default" ? "_default_tier" : t.name);
        if (!/^[A-Za-z0-9_-]+$/.test(druidTier)) {
            throw new DruidArgumentError(`${argument}.druidTier`, druidTier, "must hold only letters, digits, '_' and '-'");
        }
        const label = `historical tier "${t.name}"`;
        const jvmOptions = checkJvmOptions(`${argument}.jvmOptions`, t.jvmOptions);
        services.push({
            key: `historical-${t.name}`,
            kind: "historical",
            label,
            replicas: checkInteger(`${argument}.replicas`, t.replicas, 2, 1, 500),
            resources: r.resources,
            tuning: tuneService({
                label, kind: "historical", cpu: r.cpu, memoryBytes: r.memoryBytes, properties, propertiesArgument: `${argument}.properties`, argument, brokerReplicas, routerReplicas,
                jvmOptions, jvmOptionsArgument: `${argument}.jvmOptions`, volumeBytes, cacheBytes,
            }),
            properties,
            jvmOptions,
            scheduling: checkScheduling(`${argument}.scheduling`, t.scheduling),
            volume: { size: t.volumeSize, storageClass: checkStorageClass(`${argument}.storageClass`, t.storageClass), ephemeral: historicalStorage === "ephemeral", argument },
            tier: { name: druidTier, priority: checkInteger(`${argument}.priority`, t.priority, 0, -1000, 1000) },
            segmentCache: resolveSegmentCache(argument, t, historicalStorage === "ephemeral", properties, args.commonProperties),
            usesMetadataStore: false,
        });
    }));

    const ing = args.data?.ingestion ?? {};
    const worker = checkOneOf("data.ingestion.worker", ing.worker, "middleManager", ["middleManager", "indexer", "kubernetesJobs"] as const);
    if (worker === "kubernetesJobs") {
        for (const key of workerPodKeys) {
            if (ing[key] !== undefined) {
                throw new DruidArgumentError(`data.ingestion.${key}`, shapeOf(ing[key]),
                    "sizes MiddleManager/Indexer pods, which worker \"kubernetesJobs\" does not run: size the task pods with data.ingestion.taskResources, " +
                    "bound how many run at once with taskCapacity and their scratch space with taskStorageSize");
            }
        }
        return services;
    }
    for (const key of taskPodKeys) {
        if (ing[key] !== undefined) {
            throw new DruidArgumentError(`data.ingestion.${key}`, shapeOf(ing[key]),
                `only applies with data.ingestion.worker "kubernetesJobs" (the worker is "${worker}")`);
        }
    }
    const r = resources("data.ingestion.resources", ing.resources, { cpu: "4", memory: "16Gi" });
    const volumeSize = ing.volumeSize ?? "50Gi";
    checkVolumeBytes("data.ingestion.volumeSize", volumeSize);
    const properties = checkPropertyMap("data.ingestion.properties", ing.properties);
    const workerCapacity = ing.workerCapacity === undefined ? undefined : checkInteger("data.ingestion.workerCapacity", ing.workerCapacity, 1, 1, 64);
    const drainSeconds = checkInteger("data.ingestion.drainTimeoutSeconds", ing.drainTimeoutSeconds, 900, 0, 86400);
    const jvmOptions = checkJvmOptions("data.ingestion.jvmOptions", ing.jvmOptions);
    const peonJvmOptions = checkJvmOptions("data.ingestion.peonJvmOptions", ing.peonJvmOptions);
    if (worker === "indexer" && peonJvmOptions.length > 0) {
        throw new DruidArgumentError("data.ingestion.peonJvmOptions", peonJvmOptions,
            "only applies to worker \"middleManager\": an Indexer runs its tasks as threads in its own JVM (use data.ingestion.jvmOptions)");
    }
    services.push({
        key: worker === "middleManager" ? "middlemanager" : "indexer",
        kind: worker,
        label: worker,
        replicas: checkInteger("data.ingestion.replicas", ing.replicas, 2, 1, 500),
        resources: r.resources,
        tuning: tuneService({
            label: worker, kind: worker, cpu: r.cpu, memoryBytes: r.memoryBytes, properties, propertiesArgument: "data.ingestion.properties", argument: "data.ingestion", brokerReplicas, routerReplicas, workerCapacity,
            jvmOptions, jvmOptionsArgument: "data.ingestion.jvmOptions", peonJvmOptions, peonJvmOptionsArgument: "data.ingestion.peonJvmOptions",
        }),
        properties,
        jvmOptions,
        peonJvmOptions,
        scheduling: checkScheduling("data.ingestion.scheduling", ing.scheduling),
        volume: { size: volumeSize, storageClass: checkStorageClass("data.ingestion.storageClass", ing.storageClass), ephemeral: false, argument: "data.ingestion" },
        // Peons and Indexer tasks write metadata through the Overlord's task-action API, and the
        // rolling-update order puts Brokers after them: they must not wait for the database.
        usesMetadataStore: false,
        drainSeconds,
    });
    return services;
}
