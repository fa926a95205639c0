import * as pulumi from "@pulumi/pulumi";
import {
    Autoscaling, AutoscalingMetric, DruidClusterArgs, DruidServiceSettings, HistoricalTier, HistoricalStorage, MetadataSslMode, MetricsEmitter, Resources, RouterServiceType, Scheduling, VolumeRetention,
} from "../args";
import { AlertThresholds, defaultAlertThresholds } from "./monitoring-plan";
import { bucketAccessPolicy, DeepStoragePlan } from "./storage-plan";
import { resolveExtraIam } from "./resolve-iam";
import { checkAutoscalingMetrics, resolveServicesPlacement } from "./resolve-placement";
import { checkNoRequests } from "./validate-requests";
import { ServicePlacement } from "./placement-plan";
import { MetadataStorePlan } from "./storage-plan";
import { certManagerPkcs12Alias, defaultExtensions } from "./layout";
import { knownExtensions, msqExtensionFor, suggest } from "./extensions";
import { checkTaskJobsTls } from "./validate-task-jobs-tls";
import { checkDruidVersion, DruidRelease, supportedZooKeeperImages } from "./druid-versions";
import { PropertyMap } from "../core/properties";
import { RetentionConfig, UnusedSegmentKill } from "./retention-plan";
import { kubernetesExtensions } from "./layout";
import { TaskPodTuning, tuneTaskPod } from "./task-pod-tuning";
import { KubernetesCoordinationPlan, resolveKubernetesCoordination } from "./resolve-kubernetes-coordination";
import { historicalMergeBuffers, ServiceKind, tuneService, Tuning } from "./tuning";
import { DruidArgumentError } from "../core/errors";
import { DataManagementPlan } from "./data-management-plan";
import { resolveDataManagement, RuleTier } from "./resolve-data-management";
import { CustomizationPlan, PodExtras, resolveCustomization, resolveServicesPodExtras } from "./resolve-customization";
import { restrictedContainerSecurityContext } from "./security-context";
import {
    checkBucketName, checkBytes, checkCidr, checkCpu, checkDnsLabel, checkDnsSubdomain, checkExclusive, checkInteger, checkKmsKeyArn, checkOneOf, checkPropertyMap, checkVolumeBytes, shapeOf,
} from "./validate";
import { imageVersion, isImageName, parseImageReference } from "./image-reference";
import { checkJvmOptionForms } from "./jvm-options";
import { checkPorts } from "./validate-druid";
import { checkAnnotations, checkLabels, checkScheduling, isLabelValue, labelValueRule } from "./validate-kubernetes";
import { checkGeneratedNames } from "./validate-names";
import { checkArgsShape } from "./validate-shape";
import { ProblemCollector } from "./validate-collect";
import { checkInput, isDeferred } from "../core/validate-input";
import { checkConfigMapKey, checkStorageClass } from "./validate-objects";

/** One Druid workload, resolved: what the tier builder turns into Kubernetes objects. */
export interface ServicePlan {
    /** Unique key, used in resource and object names: "coordinator", "historical-hot", ... */
    key: string;
    kind: ServiceKind;
    /** Label for errors and notes. */
    label: string;
    replicas: number;
    resources: Resources;
    tuning: Tuning;
    properties: PropertyMap;
    jvmOptions: string[];
    /** MiddleManager: flags of every Peon (`data.ingestion.peonJvmOptions`). */
    peonJvmOptions?: string[];
    scheduling?: Scheduling;
    /** StatefulSet with a volume (Historical, MiddleManager, Indexer). */
    /** `argument`: the path of the arguments that own the volume (for resize errors, volume-resize.ts). */
    volume?: { size: string; storageClass?: string; ephemeral: boolean; argument: string };
    tier?: { name: string; priority: number };
    /** HorizontalPodAutoscaler (Broker, Router). */
    autoscaling?: { minReplicas: number; maxReplicas: number; targetCpuUtilizationPercent: number; metrics?: AutoscalingMetric[] };
    /** Connects to the metadata store: Coordinator and Overlord only. */
    usesMetadataStore: boolean;
    /** MiddleManager/Indexer: seconds the preStop hook waits for running tasks. */
    drainSeconds?: number;
    combinedWithOverlord?: boolean;
    /** High-availability master (Coordinator, Overlord): replicas on different nodes, required. */
    spreadAcrossNodes?: boolean;
}

/** How the Coordinator and Overlord verify the metadata store's TLS, and where the CA bundle comes from. */
export interface MetadataTlsPlan {
    sslMode: MetadataSslMode;
    /** verify-full only: the bundle's source and its key there. */
    ca?: { source: "pem"; pem: pulumi.Input<string>; key: string } | { source: "secret" | "configMap"; name: string; key: string };
}

/** TLS settings after validation: where the keystore, truststore and password come from. */
export interface TlsPlan {
    secretName: string;
    keystoreKey: string;
    truststoreKey: string;
    /** Secret and key holding the keystore/truststore password. */
    passwordSecretName: string;
    passwordKey: string;
    /** `druid.server.https.certAlias`; undefined lets Jetty use the keystore's only key. */
    certAlias?: string;
    certManager?: { issuer: string; kind: "Issuer" | "ClusterIssuer" };
}

/** Task pods of `data.ingestion.worker: "kubernetesJobs"`: what the Overlord's pod template is built from. */
export interface TaskPodsPlan {
    /**
     * The release's peon.sh ignores jvm.config (config/druid-versions.ts `peonSh.readsJvmConfig`): the
     * task pod template gives the JVM its flags through JAVA_OPTS, the only variable peon.sh passes on.
     */
    javaOptsFromEnv: boolean;
    /** `druid.indexer.runner.capacity`. */
    capacity: number;
    resources: Resources;
    tuning: TaskPodTuning;
    /** The Peon's runtime.properties overrides (`data.ingestion.properties`). */
    properties: PropertyMap;
    jvmOptions: string[];
    scheduling?: Scheduling;
    /** Size of the task's scratch emptyDir. */
    storageSize: string;
}

/** Everything DruidCluster needs, validated, with defaults applied. */
export interface ClusterPlan {
    name: string;
    /** Plain when given plain (or defaulted); another resource's output is checked when it resolves. */
    namespace: string | pulumi.Output<string>;
    createNamespace: boolean;
    druidVersion: string;
    image: string;
    extensions: string[];
    commonProperties: PropertyMap;
    serviceAccountName: string;
    /** The Overlord's own service account (`<name>-overlord`) when it runs tasks as Jobs; undefined: it uses `serviceAccountName`. */
    overlordServiceAccountName?: string;
    volumeRetention: VolumeRetention;
    deepStorage: Omit<DeepStoragePlan, "namespace" | "serviceAccountName" | "overlordServiceAccountName">;
    metadataStore: MetadataStorePlan;
    zookeeper: {
        external?: string; replicas: number; image: string; resources: Resources; volumeSize: string; storageClass?: pulumi.Input<string>; scheduling?: Scheduling;
        /** Heap in MiB (the image's ZK_SERVER_HEAP). */
        heapMiB: number;
    };
    services: ServicePlan[];
    router: { serviceType: RouterServiceType; serviceAnnotations: Record<string, string>; ingress?: NonNullable<NonNullable<DruidClusterArgs["query"]>["router"]>["ingress"] };
    auth: {
        enabled: boolean; adminPassword?: pulumi.Input<string>; internalClientPassword?: pulumi.Input<string>;
        /** Generation of the recorded passwords (password-record.ts). */
        passwordGeneration: number;
    };
    /** What Druid deletes, and when (config/retention.ts); the S3 side is in deepStorage. */
    retention: RetentionConfig;
    tls?: TlsPlan;
    network: { enabled: boolean; routerAllowedNamespaces: string[]; routerAllowedCidrs: pulumi.Input<string>[]; brokerDirectAccess: boolean };
    metrics: {
        emitter: MetricsEmitter; prometheusPort: number; serviceMonitor: boolean;
        alerts: boolean; dashboards: boolean; thresholds: AlertThresholds; ruleLabels: Record<string, string>;
    };
    historicalStorage: HistoricalStorage;
    /** Retention rules, compaction and dynamic configuration the applier Job sets; undefined: no Job. */
    dataManagement?: DataManagementPlan;
    /** Druid tiers that no rule of the component loads anything onto (they stay empty unless rules set elsewhere name them). */
    tiersWithoutRules: string[];
    /** Discovery and leader election: ZooKeeper or the Kubernetes API. */
    coordination: "zookeeper" | "kubernetes";
    /** Identifier and leader-election timing of coordination "kubernetes"; undefined with ZooKeeper. */
    kubernetes?: KubernetesCoordinationPlan;
    /** Tasks as Kubernetes Jobs (no MiddleManager/Indexer in `services`). */
    taskPods?: TaskPodsPlan;
    highAvailability: boolean;
    metadataTls: MetadataTlsPlan;
    /** AWS tags, labels, annotations, pull secrets and priority class for everything (resolve-customization.ts). */
    customization: CustomizationPlan;
    /** Each service's pod extras (env, volumes, mounts, sidecars, init containers, priority class), by service key. */
    podExtras: Record<string, PodExtras>;
    /** Each service's requests, affinity, topology spread and disruption budget, by service key (resolve-placement.ts). */
    placement: Record<string, ServicePlacement>;
}

/** Minimum replicas of the high-availability profile (`highAvailability: true`). */
export const haMinimums = { coordinator: 2, overlord: 2, broker: 2, router: 2, zookeeper: 5 } as const;
/** RDS instance class of the high-availability profile when none is given: a non-burstable Graviton class. */
export const haDefaultInstanceClass = "db.m7g.large";

const serviceDefaults: Record<"coordinator" | "overlord" | "broker" | "router", { replicas: number; resources: Resources }> = {
    coordinator: { replicas: 1, resources: { cpu: "2", memory: "4Gi" } },
    overlord: { replicas: 1, resources: { cpu: "1", memory: "2Gi" } },
    broker: { replicas: 2, resources: { cpu: "2", memory: "8Gi" } },
    router: { replicas: 2, resources: { cpu: "1", memory: "1Gi" } },
};

export const defaultDruidVersion = "37.0.0";

function resources(argument: string, r: Resources | undefined, fallback: Resources): { resources: Resources; cpu: number; memoryBytes: number } {
    const res = r ?? fallback;
    if (typeof res !== "object" || res === null) {
        throw new DruidArgumentError(argument, res, "must be an object with cpu and memory quantities");
    }
    return { resources: res, cpu: checkCpu(`${argument}.cpu`, res.cpu), memoryBytes: checkBytes(`${argument}.memory`, res.memory) };
}

/**
 * Validates every argument and applies defaults. Throws a DruidArgumentError (or DruidSizingError)
 * naming the argument, or, when several arguments are wrong, one DruidArgumentErrors listing every
 * problem (validate-collect.ts: each part of the arguments is checked even when another failed);
 * nothing is registered before this returns.
 */
export function resolveCluster(name: string, args: DruidClusterArgs): ClusterPlan {
    if (args === undefined || args === null || typeof args !== "object") {
        throw new DruidArgumentError("args", args, "DruidCluster needs arguments with at least deepStorage and metadataStore");
    }
    const problems = new ProblemCollector();
    // Each independent part of the arguments is checked even when another failed; a part whose
    // check failed is `undefined` for the parts that read it (their errors are then dropped).
    const step = <T>(check: () => T): T => problems.attempt(check, undefined as unknown as T);
    // The runtime type of every given argument, from schema.json (validate-shape.ts); the domain rules follow.
    checkArgsShape(args, undefined, problems);
    problems.typesChecked();
    step(() => {
        checkDnsLabel("name (the resource name)", name, 40);
        if (!/^[a-z]/.test(name)) {
            // Services are named after it, and a Service name is a DNS-1035 label (ValidateServiceName).
            throw new DruidArgumentError("name (the resource name)", name,
                `must start with a letter: the Services are named after it ("${name}-zookeeper", "${name}-broker"), and a Service name is a DNS-1035 label`);
        }
    });
    // A namespace from another resource's output is checked when it resolves (validate-input.ts).
    const namespace = step(() => checkInput(args.namespace ?? name, (value) => checkDnsLabel("namespace", value)));
    const druidVersion = args.druidVersion ?? defaultDruidVersion;
    // The supported-version matrix (config/druid-versions.ts) decides every version-dependent behaviour.
    const druidRelease = step(() => checkDruidVersion(druidVersion));
    const image = step(() => {
        const v = args.image ?? "apache/druid";
        if (!isImageName(v)) {
            throw new DruidArgumentError("image", v,
                "must be an image repository such as \"apache/druid\" or \"registry.example.com:5000/druid\", without tag or digest (the tag is druidVersion)");
        }
        return v;
    });

    const auth = {
        enabled: args.auth?.enabled ?? true, adminPassword: args.auth?.adminPassword, internalClientPassword: args.auth?.internalClientPassword,
        passwordGeneration: step(() => checkInteger("auth.passwordGeneration", args.auth?.passwordGeneration, 0, 0, 10000)),
    };
    const highAvailability = step(() => {
        const v = args.highAvailability ?? false;
        if (typeof v !== "boolean") throw new DruidArgumentError("highAvailability", v, "must be true or false");
        return v;
    });
    const metrics = step(() => resolveMetrics(args));
    const coordination = step(() => {
        const c = checkOneOf("coordination", args.coordination, "zookeeper", ["zookeeper", "kubernetes"] as const);
        if (c === "kubernetes" && args.zookeeper !== undefined) {
            throw new DruidArgumentError("zookeeper", shapeOf(args.zookeeper),
                "cannot be given with coordination \"kubernetes\": Druid then discovers its processes and elects leaders through the Kubernetes API, without ZooKeeper");
        }
        return c;
    });
    const worker = step(() => checkOneOf("data.ingestion.worker", args.data?.ingestion?.worker, "middleManager", ["middleManager", "indexer", "kubernetesJobs"] as const));
    const kubernetes = step(() => resolveKubernetesCoordination(name, args, coordination, worker, highAvailability));
    step(() => checkTaskJobsTls(args.tls !== undefined, worker));
    const extensions = step(() => {
        const extra = args.extraExtensions ?? [];
        if (!Array.isArray(extra)) {
            throw new DruidArgumentError("extraExtensions", extra, "must be a list of extension names, e.g. [\"druid-parquet-extensions\"]");
        }
        extra.forEach((e, i) => {
            if (!knownExtensions.includes(e)) {
                const hint = suggest(e);
                throw new DruidArgumentError(`extraExtensions[${i}]`, e,
                    `is not a Druid extension${hint ? `; did you mean "${hint}"?` : ""} (see docs/configuration/extensions.md)`);
            }
        });
        return [...new Set([
            ...defaultExtensions,
            ...msqExtensionFor(druidVersion),
            ...(auth.enabled ? ["druid-basic-security"] : []),
            ...(metrics.emitter === "prometheus" ? ["prometheus-emitter"] : []),
            ...(args.tls !== undefined ? ["simple-client-sslcontext"] : []),
            ...(coordination === "kubernetes" ? [kubernetesExtensions.discovery] : []),
            ...(worker === "kubernetesJobs" ? [kubernetesExtensions.jobs] : []),
            ...extra,
        ])];
    });

    const router = step(() => {
        const routerArgs = args.query?.router;
        const r = {
            serviceType: checkOneOf("query.router.serviceType", routerArgs?.serviceType, "ClusterIP", ["ClusterIP", "NodePort", "LoadBalancer"] as const),
            serviceAnnotations: checkAnnotations("query.router.serviceAnnotations", routerArgs?.serviceAnnotations),
            ingress: routerArgs?.ingress,
        };
        if (!auth.enabled && (r.serviceType !== "ClusterIP" || r.ingress !== undefined)) {
            throw new DruidArgumentError(r.ingress !== undefined ? "query.router.ingress" : "query.router.serviceType",
                r.ingress !== undefined ? "an Ingress" : r.serviceType,
                "exposes the Druid console and SQL API outside the cluster, which is refused while auth.enabled is false: enable auth or keep the Router on ClusterIP");
        }
        if (r.ingress !== undefined) {
            const host = checkInput(r.ingress.host, (h) => {
                if (typeof h !== "string" || !/^(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(h)) throw new DruidArgumentError("query.router.ingress.host", h, "must be a DNS host name");
                return h;
            });
            r.ingress = { ...r.ingress, host };
        }
        if (r.ingress !== undefined) checkAnnotations("query.router.ingress.annotations", r.ingress.annotations);
        return r;
    });

    const network = step(() => ({
        enabled: args.networkPolicies?.enabled ?? true,
        routerAllowedNamespaces: (args.networkPolicies?.routerAllowedNamespaces ?? []).map((n, i) => checkDnsLabel(`networkPolicies.routerAllowedNamespaces[${i}]`, n)),
        routerAllowedCidrs: (args.networkPolicies?.routerAllowedCidrs ?? []).map((c, i) => checkInput(c, (v) => checkCidr(`networkPolicies.routerAllowedCidrs[${i}]`, v))),
        brokerDirectAccess: args.networkPolicies?.brokerDirectAccess ?? false,
    }));

    const deepStorage = step(() => resolveDeepStorage(args));
    const metadataStore = step(() => resolveMetadataStore(args, args.protectStorage ?? true, highAvailability));
    const retention: RetentionConfig = {
        taskLogRetentionDays: deepStorage?.taskLogRetentionDays,
        recordRetentionDays: step(() => checkInteger("metadataStore.recordRetentionDays", args.metadataStore?.recordRetentionDays, 90, 0, 36500)),
        killUnusedSegments: step(() => resolveUnusedSegmentKill(args)),
    };
    const services = step(() => resolveServices(args, highAvailability, problems));
    const dataManagement = step(() => resolveDataManagement(args.dataManagement, ruleTiers(services), {
        kubernetesJobs: args.data?.ingestion?.worker === "kubernetesJobs",
        killsOn: retention.killUnusedSegments !== undefined,
    }));
    const customization = step(() => resolveCustomization(name, args));
    const podExtras = step(() => resolveServicesPodExtras(args, services, args.tls !== undefined,
        metrics.emitter === "prometheus" ? metrics.prometheusPort : undefined, restrictedContainerSecurityContext()));
    const placement = step(() => resolveServicesPlacement(args, services, podExtras));
    const commonProperties = step(() => checkPropertyMap("commonProperties", args.commonProperties));
    const serviceAccountName = step(() => checkDnsLabel("serviceAccountName", args.serviceAccountName ?? "druid"));
    const volumeRetention = step(() => checkOneOf("volumeRetention", args.volumeRetention, "Retain", ["Retain", "Delete"] as const));
    const zookeeper = step(() => resolveZooKeeper(args, highAvailability));
    const tls = step(() => resolveTls(name, args));
    const historicalStorage = step(() => checkOneOf("data.historicalStorage", args.data?.historicalStorage, "persistent", ["persistent", "ephemeral"] as const));
    const taskPods = step(() => resolveTaskPods(args, druidRelease));
    const metadataTls = step(() => resolveMetadataTls(args));
    problems.throwIfAny();

    const plan: ClusterPlan = {
        name,
        namespace,
        // A namespace the user names belongs to them (a platform's, or one they manage): the component
        // creates and owns one only when asked by name, or its own when none is named.
        createNamespace: args.createNamespace ?? args.namespace === undefined,
        druidVersion,
        image,
        extensions,
        commonProperties,
        serviceAccountName,
        // Only the Overlord creates and deletes task Jobs: it gets its own account for those rights.
        overlordServiceAccountName: worker === "kubernetesJobs" ? `${name}-overlord` : undefined,
        volumeRetention,
        deepStorage,
        metadataStore,
        retention,
        zookeeper,
        services,
        router,
        auth,
        tls,
        network,
        metrics,
        historicalStorage,
        dataManagement: dataManagement.plan,
        tiersWithoutRules: dataManagement.tiersWithoutRules,
        coordination,
        kubernetes,
        taskPods,
        highAvailability,
        metadataTls,
        customization,
        podExtras,
        placement,
    };
    // Rules across arguments: the names of every object created, and the ports of every pod.
    step(() => checkGeneratedNames(plan, (args.data?.historicalTiers ?? []).map((t) => t.name)));
    step(() => checkPorts(plan));
    problems.throwIfAny();
    return plan;
}

/** Arguments that size MiddleManager/Indexer pods, and those that size task pods: each only with its own worker. */
const workerPodKeys = ["replicas", "resources", "workerCapacity", "volumeSize", "storageClass", "drainTimeoutSeconds"] as const;
const taskPodKeys = ["taskResources", "taskCapacity", "taskStorageSize"] as const;

function resolveTaskPods(args: DruidClusterArgs, release: DruidRelease): TaskPodsPlan | undefined {
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

/** The Druid tiers of the Historicals, with how many serve each (two component tiers may share one). */
function ruleTiers(services: ServicePlan[]): RuleTier[] {
    const tiers: RuleTier[] = [];
    for (const s of services.filter((x) => x.kind === "historical")) {
        const name = s.key.replace(/^historical-/, "");
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

function resolveMetrics(args: DruidClusterArgs): ClusterPlan["metrics"] {
    const m = args.metrics ?? {};
    const emitter = checkOneOf("metrics.emitter", m.emitter, "prometheus", ["prometheus", "logging", "none"] as const);
    const alerts = m.alerts ?? false;
    const dashboards = m.dashboards ?? false;
    for (const [key, on] of [["alerts", alerts], ["dashboards", dashboards]] as const) {
        if (on && emitter !== "prometheus") {
            throw new DruidArgumentError(`metrics.${key}`, true,
                `needs metrics.emitter "prometheus" (got "${emitter}"): the alerts and the dashboard read the Prometheus emitter's metrics`);
        }
    }
    if (m.alertThresholds !== undefined && !alerts) {
        throw new DruidArgumentError("metrics.alertThresholds", shapeOf(m.alertThresholds), "only applies with metrics.alerts = true");
    }
    const t = m.alertThresholds ?? {};
    const d = defaultAlertThresholds;
    const minutes = (key: keyof AlertThresholds) => checkInteger(`metrics.alertThresholds.${key}`, t[key], d[key], 1, 1440);
    const ratio = (key: keyof AlertThresholds) => {
        const v = t[key] ?? d[key];
        if (typeof v !== "number" || !(v > 0 && v <= 1)) {
            throw new DruidArgumentError(`metrics.alertThresholds.${key}`, t[key], "must be a ratio greater than 0 and at most 1 (e.g. 0.9 for 90%)");
        }
        return v;
    };
    const p95 = t.queryP95Seconds ?? d.queryP95Seconds;
    if (typeof p95 !== "number" || !(p95 > 0 && p95 <= 300)) {
        // The emitter's query/time histogram has buckets up to 300 s (Metrics.java); above, the quantile is meaningless.
        throw new DruidArgumentError("metrics.alertThresholds.queryP95Seconds", t.queryP95Seconds, "must be greater than 0 and at most 300 seconds (the emitter's largest histogram bucket)");
    }
    const thresholds: AlertThresholds = {
        serviceDownMinutes: minutes("serviceDownMinutes"),
        segmentsUnavailableMinutes: minutes("segmentsUnavailableMinutes"),
        underReplicatedMinutes: minutes("underReplicatedMinutes"),
        loadQueueStuckMinutes: minutes("loadQueueStuckMinutes"),
        pendingTasksMinutes: minutes("pendingTasksMinutes"),
        failedTasksPerHour: checkInteger("metrics.alertThresholds.failedTasksPerHour", t.failedTasksPerHour, d.failedTasksPerHour, 1, 100000),
        taskSlotsFullMinutes: minutes("taskSlotsFullMinutes"),
        queryFailureRatio: ratio("queryFailureRatio"),
        queryP95Seconds: p95,
        heapUsedRatio: ratio("heapUsedRatio"),
        directMemoryHeadroomRatio: ratio("directMemoryHeadroomRatio"),
    };
    return {
        emitter,
        prometheusPort: checkInteger("metrics.prometheusPort", m.prometheusPort, 9000, 1024, 65535),
        serviceMonitor: m.serviceMonitor ?? false,
        alerts,
        dashboards,
        thresholds,
        ruleLabels: checkLabels("metrics.ruleLabels", m.ruleLabels),
    };
}

/** The metadata store's TLS verification (pgJDBC sslmode) and the CA bundle it needs. */
function resolveMetadataTls(args: DruidClusterArgs): MetadataTlsPlan {
    const m = args.metadataStore;
    const sslMode = checkOneOf("metadataStore.sslMode", m.sslMode, "require", ["require", "verify-full"] as const);
    const c = m.caCertificate;
    if (sslMode === "require") {
        if (c !== undefined) {
            throw new DruidArgumentError("metadataStore.caCertificate", shapeOf(c),
                "only applies with metadataStore.sslMode \"verify-full\" (with \"require\" the driver accepts any certificate and would ignore it)");
        }
        return { sslMode };
    }
    const given = c === undefined ? [] : (["pem", "secretName", "configMapName"] as const).filter((k) => c[k] !== undefined);
    if (c === undefined || given.length !== 1) {
        throw new DruidArgumentError("metadataStore.caCertificate", c === undefined ? undefined : given.length === 0 ? "none of pem, secretName, configMapName" : given.join(" and "),
            "needs exactly one of pem (the PEM text), secretName or configMapName (an existing object holding it) with sslMode \"verify-full\": the driver checks the server's certificate against it");
    }
    const key = checkConfigMapKey("metadataStore.caCertificate.key", c.key ?? "ca.pem", "the CA certificate(s)");
    if (c.pem !== undefined) {
        const pem = checkInput(c.pem, (p) => {
            if (typeof p !== "string" || !/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(p)) {
                throw new DruidArgumentError("metadataStore.caCertificate.pem", typeof p === "string" ? `${p.slice(0, 30)}...` : p,
                    "must be PEM text with at least one \"-----BEGIN CERTIFICATE-----\" block (e.g. the RDS global-bundle.pem)");
            }
            return p;
        });
        return { sslMode, ca: { source: "pem", pem, key: "ca.pem" } };
    }
    if (c.secretName !== undefined) return { sslMode, ca: { source: "secret", name: checkDnsSubdomain("metadataStore.caCertificate.secretName", c.secretName), key } };
    return { sslMode, ca: { source: "configMap", name: checkDnsSubdomain("metadataStore.caCertificate.configMapName", c.configMapName!), key } };
}

function resolveTls(name: string, args: DruidClusterArgs): TlsPlan | undefined {
    const t = args.tls;
    if (t === undefined) return undefined;
    if ((t.secretName === undefined) === (t.certManagerIssuer === undefined)) {
        throw new DruidArgumentError("tls", t.secretName === undefined ? "neither secretName nor certManagerIssuer" : "both secretName and certManagerIssuer",
            "needs exactly one of tls.secretName (an existing PKCS12 keystore Secret) or tls.certManagerIssuer (the component creates the Certificate)");
    }
    const key = (argument: "keystoreKey" | "truststoreKey" | "passwordKey", fallback: string, what: string): string => {
        return checkConfigMapKey(`tls.${argument}`, t[argument] ?? fallback, what);
    };
    const keystoreKey = key("keystoreKey", "keystore.p12", "the PKCS12 keystore");
    const truststoreKey = key("truststoreKey", "truststore.p12", "the PKCS12 truststore (Druid's clients verify every service's certificate with it)");
    const passwordKey = key("passwordKey", "password", "the keystore and truststore password");
    // Java's PKCS12 keystore lower-cases aliases (PKCS12KeyStore), and Jetty compares certAlias exactly.
    if (t.certAlias !== undefined && (typeof t.certAlias !== "string" || !/^[-._a-z0-9]{1,128}$/.test(t.certAlias))) {
        throw new DruidArgumentError("tls.certAlias", t.certAlias,
            "must be a keystore alias: 1-128 lower-case letters, digits, '.', '_' or '-' (Java lower-cases PKCS12 aliases, and Jetty compares them exactly)");
    }
    if (t.certManagerIssuer !== undefined) {
        checkDnsSubdomain("tls.certManagerIssuer", t.certManagerIssuer);
        return {
            secretName: `${name}-tls`, keystoreKey: "keystore.p12", truststoreKey: "truststore.p12", passwordSecretName: `${name}-tls-password`, passwordKey: "password",
            certAlias: t.certAlias ?? certManagerPkcs12Alias,
            certManager: { issuer: t.certManagerIssuer, kind: checkOneOf("tls.certManagerIssuerKind", t.certManagerIssuerKind, "Issuer", ["Issuer", "ClusterIssuer"] as const) },
        };
    }
    if (t.certManagerIssuerKind !== undefined) {
        throw new DruidArgumentError("tls.certManagerIssuerKind", t.certManagerIssuerKind, "only applies with tls.certManagerIssuer");
    }
    return { secretName: checkDnsSubdomain("tls.secretName", t.secretName!), keystoreKey, truststoreKey, passwordSecretName: t.secretName!, passwordKey, certAlias: t.certAlias };
}

function resolveDeepStorage(args: DruidClusterArgs): ClusterPlan["deepStorage"] {
    const d = args.deepStorage;
    if (d === undefined || d === null) {
        throw new DruidArgumentError("deepStorage", d, "is required: give the IRSA OIDC provider (oidcProviderArn, oidcProviderUrl) or an existing bucket");
    }
    // kmsKeyArn stays allowed with an existing bucket: the IAM policy then grants use of its key.
    // taskLogRetentionDays stays allowed too: with an existing bucket it drives Druid's own task-log kill only.
    checkExclusive("deepStorage", "existingBucketName", d as Record<string, unknown>, ["versioning", "noncurrentVersionExpirationDays", "forceDestroy", "retainOnDelete"]);
    // The bucket, key and region may be other resources' outputs: checked now when known, else when they resolve (validate-input.ts).
    const existingBucketName = d.existingBucketName === undefined ? undefined : checkInput(d.existingBucketName, (v) => checkBucketName("deepStorage.existingBucketName", v));
    const kmsKeyArn = d.kmsKeyArn === undefined ? undefined : checkInput(d.kmsKeyArn, (v) => checkKmsKeyArn("deepStorage.kmsKeyArn", v));
    const prefix = d.prefix ?? "druid";
    // The prefix lands in the IAM policy's Resource ARN and its s3:prefix StringLike condition, where
    // '*' and '?' are wildcards and '${...}' a policy variable (IAM User Guide,
    // reference_policies_elements_resource.html "Using wildcards in resource ARNs",
    // reference_policies_elements_condition_operators.html "String condition operators",
    // reference_policies_variables.html): only S3's safe characters without them are allowed.
    if (typeof prefix !== "string" || prefix.length > 512 || !/^[A-Za-z0-9!_.'()-]+(\/[A-Za-z0-9!_.'()-]+)*$/.test(prefix)) {
        throw new DruidArgumentError("deepStorage.prefix", prefix,
            "must be an S3 key prefix without leading or trailing '/', e.g. \"druid\" or \"prod/druid\": letters, digits and ! _ . ' ( ) - in '/'-separated parts " +
            "(no '*', '?', '$', '{' or '}': IAM reads them as wildcards or policy variables, and the access policy would reach beyond the prefix)");
    }
    const region = d.region === undefined ? undefined : checkInput(d.region, (v) => {
        if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(v)) throw new DruidArgumentError("deepStorage.region", v, "must be an AWS region such as \"eu-west-1\"");
        return v;
    });
    const accessMode = checkOneOf("deepStorage.accessMode", d.accessMode, "irsa", ["irsa", "podIdentity", "staticKeys"] as const);
    for (const key of ["oidcProviderArn", "oidcProviderUrl"] as const) {
        if (accessMode === "irsa" && d[key] === undefined) {
            throw new DruidArgumentError(`deepStorage.${key}`, undefined,
                "is required for accessMode \"irsa\": give the EKS cluster's IAM OIDC provider ARN and issuer URL, or choose accessMode \"podIdentity\"");
        }
    }
    if (typeof d.oidcProviderArn === "string" && !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/[A-Za-z0-9.\-/_]+$/.test(d.oidcProviderArn)) {
        // The trust policy's Principal: no wildcard or policy variable can reach it.
        throw new DruidArgumentError("deepStorage.oidcProviderArn", d.oidcProviderArn,
            "must be an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE");
    }
    if (typeof d.oidcProviderUrl === "string" && !/^(https:\/\/)?[A-Za-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/.test(d.oidcProviderUrl)) {
        // The trust policy's condition keys are "<issuer>:sub" and "<issuer>:aud".
        throw new DruidArgumentError("deepStorage.oidcProviderUrl", d.oidcProviderUrl,
            "must be the OIDC issuer URL such as https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE (host and path only)");
    }
    if (accessMode === "podIdentity" && d.eksClusterName === undefined) {
        throw new DruidArgumentError("deepStorage.eksClusterName", undefined, "is required for accessMode \"podIdentity\"");
    }
    const extraIam = resolveExtraIam(d, accessMode === "staticKeys" ? "user" : "role");
    if (typeof extraIam.extraPolicy === "string") {
        // IAM quotas (reference_iam-quotas.html): a role's inline policies together hold at most 10,240
        // characters, a user's 2,048 (whitespace not counted). The deep-storage policy takes its share,
        // counted here with the longest bucket name and the KMS key ARN when known.
        const limit = accessMode === "staticKeys" ? 2048 : 10240;
        const builtIn = bucketAccessPolicy(`arn:aws:s3:::${"x".repeat(63)}`, prefix, typeof kmsKeyArn === "string" ? kmsKeyArn : undefined).length;
        if (builtIn + extraIam.extraPolicy.length > limit) {
            throw new DruidArgumentError("deepStorage.extraPolicyStatements", `${extraIam.extraPolicy.length} characters of policy`,
                `must fit, with the deep-storage policy (up to ${builtIn}), in the ${limit} characters IAM allows the inline policies of ${accessMode === "staticKeys" ? "a user" : "a role"}: ` +
                "use wildcards, fewer statements, or a managed policy (managedPolicyArns)");
        }
    }
    return {
        ...extraIam,
        existingBucketName,
        prefix,
        region,
        kmsKeyArn,
        versioning: d.versioning ?? true,
        taskLogRetentionDays: checkInteger("deepStorage.taskLogRetentionDays", d.taskLogRetentionDays, 30, 0, 3650),
        noncurrentVersionExpirationDays: checkInteger("deepStorage.noncurrentVersionExpirationDays", d.noncurrentVersionExpirationDays, 30, 0, 3650),
        forceDestroy: d.forceDestroy ?? false,
        retainOnDelete: d.retainOnDelete ?? true,
        protect: args.protectStorage ?? true,
        accessMode,
        oidcProviderArn: d.oidcProviderArn,
        oidcProviderUrl: d.oidcProviderUrl,
        eksClusterName: d.eksClusterName,
    };
}

/** The Coordinator's kill of unused segments: off unless `enabled: true` is given with a retention. */
function resolveUnusedSegmentKill(args: DruidClusterArgs): UnusedSegmentKill | undefined {
    const k = args.deepStorage.killUnusedSegments;
    if (k === undefined) return undefined;
    const argument = "deepStorage.killUnusedSegments";
    if (k === null || typeof k !== "object" || Array.isArray(k)) {
        throw new DruidArgumentError(argument, k, "must be an object such as { enabled: true, durationToRetainDays: 90 }");
    }
    if (typeof k.enabled !== "boolean") {
        throw new DruidArgumentError(`${argument}.enabled`, k.enabled,
            "must be given as true or false: the kill deletes unused segments from deep storage and the metadata store for good, so it is only turned on by name");
    }
    if (!k.enabled) return undefined;
    if (k.durationToRetainDays === undefined) {
        throw new DruidArgumentError(`${argument}.durationToRetainDays`, undefined,
            "is required with enabled: true: unused segments whose interval ended less than this many days ago are kept (druid.coordinator.kill.durationToRetain); 0 makes every unused segment eligible");
    }
    return {
        durationToRetainDays: checkInteger(`${argument}.durationToRetainDays`, k.durationToRetainDays, 0, 0, 36500),
        bufferPeriodDays: checkInteger(`${argument}.bufferPeriodDays`, k.bufferPeriodDays, 30, 1, 3650),
        maxSegments: checkInteger(`${argument}.maxSegments`, k.maxSegments, 100, 1, 100000),
    };
}

function resolveMetadataStore(args: DruidClusterArgs, protect: boolean, highAvailability: boolean): MetadataStorePlan {
    const m = args.metadataStore;
    if (m === undefined || m === null) {
        throw new DruidArgumentError("metadataStore", m, "is required: give vpcId, subnetIds and allowedSecurityGroupIds to create RDS, or an existing server");
    }
    const createKeys = ["vpcId", "subnetIds", "allowedSecurityGroupIds", "allowedCidrBlocks", "engineVersion", "instanceClass", "allocatedStorageGb",
        "maxAllocatedStorageGb", "multiAz", "backupRetentionDays", "deletionProtection", "skipFinalSnapshot", "databaseName", "username", "retainOnDelete"];
    checkExclusive("metadataStore", "existing", m as Record<string, unknown>, createKeys);
    if (m.existing !== undefined) {
        const e = m.existing;
        if (e.host === undefined || e.password === undefined) {
            throw new DruidArgumentError("metadataStore.existing", e.host === undefined ? "no host" : "no password", "needs host and password (a secret)");
        }
        return {
            existing: {
                host: e.host,
                port: checkInput(e.port ?? 5432, (v) => checkInteger("metadataStore.existing.port", v, 5432, 1, 65535)),
                database: checkInput(e.database ?? "druid", (v) => checkSqlName("metadataStore.existing.database", v)),
                user: checkInput(e.user ?? "druid", (v) => checkSqlName("metadataStore.existing.user", v)),
                password: e.password,
            },
        };
    }
    if (m.vpcId === undefined) {
        throw new DruidArgumentError("metadataStore.vpcId", undefined, "is required when the component creates the RDS instance (or give metadataStore.existing)");
    }
    const checkSubnets = <T>(ids: T[] | undefined): T[] => {
        if (ids === undefined || ids.length < 2) {
            throw new DruidArgumentError("metadataStore.subnetIds", ids,
                "needs at least two private subnet ids in different availability zones when the component creates the RDS instance");
        }
        return ids;
    };
    // A list known now is checked now (its entries may be outputs); an Output of a list (`vpc.privateSubnetIds`) when it resolves.
    const subnetIds = m.subnetIds === undefined || !isDeferred(m.subnetIds)
        ? checkSubnets(m.subnetIds)
        : pulumi.output(m.subnetIds).apply((ids) => checkSubnets(ids));
    const sgs = m.allowedSecurityGroupIds ?? [];
    const cidrs = (m.allowedCidrBlocks ?? []).map((c, i) => checkInput(c, (v) => checkCidr(`metadataStore.allowedCidrBlocks[${i}]`, v)));
    if (sgs.length === 0 && cidrs.length === 0) {
        throw new DruidArgumentError("metadataStore.allowedSecurityGroupIds", undefined,
            "or metadataStore.allowedCidrBlocks must name who may connect (the Kubernetes nodes' or pods' security group)");
    }
    const engineVersion = m.engineVersion ?? "17";
    const ev = /^(16|17)(\.\d+)?$/.exec(engineVersion);
    if (!ev) {
        throw new DruidArgumentError("metadataStore.engineVersion", engineVersion, "must be PostgreSQL 16 or 17, as a major (\"17\") or full version (\"17.4\")");
    }
    const instanceClass = m.instanceClass ?? (highAvailability ? haDefaultInstanceClass : "db.t4g.medium");
    if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceClass)) {
        throw new DruidArgumentError("metadataStore.instanceClass", m.instanceClass, "must be an RDS instance class such as \"db.t4g.medium\" or \"db.m7g.large\"");
    }
    if (highAvailability && /^db\.t\d/.test(instanceClass)) {
        // Burstable classes run on CPU credits: a credit-starved primary, or a standby promoted onto
        // an instance without credits, slows every Coordinator and Overlord query.
        throw new DruidArgumentError("metadataStore.instanceClass", instanceClass,
            `is a burstable class, refused with highAvailability: choose a non-burstable class such as "${haDefaultInstanceClass}" or "db.r7g.large" (or leave it unset for "${haDefaultInstanceClass}")`);
    }
    if (highAvailability && m.multiAz === false) {
        throw new DruidArgumentError("metadataStore.multiAz", false, "cannot be false with highAvailability: the profile runs RDS with a standby in a second availability zone");
    }
    const allocated = checkInteger("metadataStore.allocatedStorageGb", m.allocatedStorageGb, 50, 20, 65536);
    return {
        rds: {
            vpcId: m.vpcId,
            subnetIds,
            allowedSecurityGroupIds: sgs,
            allowedCidrBlocks: cidrs,
            engineVersion,
            major: Number(ev[1]),
            instanceClass,
            allocatedStorageGb: allocated,
            maxAllocatedStorageGb: checkInteger("metadataStore.maxAllocatedStorageGb", m.maxAllocatedStorageGb, Math.max(200, allocated), allocated, 65536),
            multiAz: m.multiAz ?? highAvailability,
            backupRetentionDays: checkInteger("metadataStore.backupRetentionDays", m.backupRetentionDays, 7, 1, 35),
            deletionProtection: m.deletionProtection ?? true,
            skipFinalSnapshot: m.skipFinalSnapshot ?? false,
            databaseName: checkInput(m.databaseName ?? "druid", (v) => checkSqlName("metadataStore.databaseName", v)),
            username: checkInput(m.username ?? "druid", (v) => checkSqlName("metadataStore.username", v)),
            retainOnDelete: m.retainOnDelete ?? true,
            protect,
        },
    };
}

function checkSqlName(argument: string, value: string): string {
    // typeof first: RegExp.test would read `false` as the string "false".
    if (typeof value !== "string" || !/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(value) || ["postgres", "rdsadmin", "admin", "template0", "template1"].includes(value)) {
        throw new DruidArgumentError(argument, value, "must start with a letter, hold only letters, digits and '_', at most 63 characters, and not be a reserved name");
    }
    return value;
}

function resolveZooKeeper(args: DruidClusterArgs, highAvailability: boolean): ClusterPlan["zookeeper"] {
    const z = args.zookeeper ?? {};
    checkExclusive("zookeeper", "externalConnectString", z as Record<string, unknown>, ["replicas", "image", "resources", "volumeSize", "storageClass", "scheduling"]);
    if (z.externalConnectString !== undefined && !/^[A-Za-z0-9.-]+:\d+(,[A-Za-z0-9.-]+:\d+)*(\/[A-Za-z0-9/_-]+)?$/.test(z.externalConnectString)) {
        throw new DruidArgumentError("zookeeper.externalConnectString", z.externalConnectString, "must be host:port[,host:port...][/chroot]");
    }
    const replicas = checkInteger("zookeeper.replicas", z.replicas, highAvailability ? haMinimums.zookeeper : 3, 1, 7);
    if (replicas % 2 === 0) {
        throw new DruidArgumentError("zookeeper.replicas", replicas, "must be odd (1, 3, 5 or 7) so the ensemble keeps a majority");
    }
    if (highAvailability && z.externalConnectString === undefined && replicas < haMinimums.zookeeper) {
        throw new DruidArgumentError("zookeeper.replicas", replicas,
            `must be at least ${haMinimums.zookeeper} with highAvailability: 5 servers keep a quorum with one drained and another failed (3 keep it only through one)`);
    }
    const volumeSize = z.volumeSize ?? "10Gi";
    checkVolumeBytes("zookeeper.volumeSize", volumeSize);
    const image = z.image ?? supportedZooKeeperImages.default;
    const ref = parseImageReference(image);
    if (ref === undefined) {
        throw new DruidArgumentError("zookeeper.image", image,
            "must be an image reference: [registry[:port]/]path[:tag][@digest], e.g. \"zookeeper:3.8.6\" or \"registry.example.com:5000/zookeeper:3.8.6\"");
    }
    if (!isLabelValue(imageVersion(ref))) {
        throw new DruidArgumentError("zookeeper.image", image,
            `has the tag "${imageVersion(ref)}", which the ensemble's app.kubernetes.io/version label cannot hold: ${labelValueRule}`);
    }
    checkNoRequests("zookeeper.resources", z.resources, "ZooKeeper");
    const r = resources("zookeeper.resources", z.resources, { cpu: "500m", memory: "1Gi" });
    const memoryMiB = Math.floor(r.memoryBytes / 2 ** 20);
    if (memoryMiB < 512) {
        throw new DruidArgumentError("zookeeper.resources.memory", r.resources.memory, "must be at least 512Mi: ZooKeeper gets 75% as heap and needs the rest for the JVM");
    }
    return {
        heapMiB: Math.floor(memoryMiB * 0.75),
        external: z.externalConnectString,
        replicas,
        image,
        resources: r.resources,
        volumeSize,
        storageClass: checkStorageClass("zookeeper.storageClass", z.storageClass),
        scheduling: checkScheduling("zookeeper.scheduling", z.scheduling),
    };
}

function resolveAutoscaling(argument: string, a: (DruidServiceSettings & { autoscaling?: Autoscaling }) | undefined): ServicePlan["autoscaling"] {
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

function checkJvmOptions(argument: string, v: unknown): string[] {
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
function resolveServices(args: DruidClusterArgs, highAvailability: boolean, problems?: ProblemCollector): ServicePlan[] {
    const each = (check: () => void) => { if (problems !== undefined) problems.attempt(check, undefined); else check(); };
    // Connection pools are split over the most pods that can run: the autoscaler's maxReplicas
    // (10 Brokers x 25 connections would otherwise meet 60 Historical threads). When one of them is
    // wrong, the others are sized with the default.
    const counted = (argument: "query.broker" | "query.router", kind: "broker" | "router", a: (DruidServiceSettings & { autoscaling?: Autoscaling }) | undefined) => {
        const count = () => resolveAutoscaling(argument, a)?.maxReplicas ?? checkInteger(`${argument}.replicas`, a?.replicas, serviceDefaults[kind].replicas, 1, 100);
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
