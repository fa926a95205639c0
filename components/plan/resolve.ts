import { ldapTrustPodExtras, resolveAuthModes } from "./resolve-auth";
import { PodExtras } from "./resolve-customization";
import { DruidClusterArgs } from "../args";
import { resolveAccess } from "./resolve-access";
import { resolveServicesPlacement } from "./resolve-placement";
import { defaultExtensions, kubernetesExtensions } from "./layout";
import { knownExtensions, msqExtensionFor, suggest } from "./extensions";
import { checkTaskJobsTls } from "./validate-task-jobs-tls";
import { checkDruidVersion } from "./druid-versions";
import { RetentionConfig } from "./retention-plan";
import { resolveKubernetesCoordination } from "./resolve-kubernetes-coordination";
import { DruidArgumentError } from "../core/errors";
import { resolveDataManagement } from "./resolve-data-management";
import { resolveCustomization, resolveServicesPodExtras } from "./resolve-customization";
import { restrictedContainerSecurityContext } from "./security-context";
import { checkCidr, checkDnsLabel, checkInteger, checkOneOf, checkPropertyMap, shapeOf } from "./validate";
import { isImageName } from "./image-reference";
import { checkPorts } from "./validate-druid";
import { checkAnnotations } from "./validate-kubernetes";
import { checkGeneratedNames } from "./validate-names";
import { checkArgsShape } from "./validate-shape";
import { ProblemCollector } from "./validate-collect";
import { checkInput } from "../core/validate-input";
import { ClusterPlan, defaultDruidVersion } from "./cluster-plan";
import { resolveMetadataTls, resolveTls } from "./resolve-tls";
import { resolveDeepStorage, resolveUnusedSegmentKill, resolveMetadataStore } from "./resolve-storage";
import { resolveZooKeeper } from "./resolve-zookeeper";
import { resolveMetrics } from "./resolve-metrics";
import { resolveTaskPods, ruleTiers, resolveServices } from "./resolve-services";
import { pinZones, resolveZones } from "./resolve-zones";

export { haMinimums, haDefaultInstanceClass, defaultDruidVersion } from "./cluster-plan";
export { ServicePlan, MetadataTlsPlan, TlsPlan, TaskPodsPlan, ClusterPlan } from "./cluster-plan";

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
        ...step(() => resolveAuthModes(args)),
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
    const logicalServices = step(() => resolveServices(args, highAvailability, problems));
    // Zone-aware groups become one service per zone (resolve-zones.ts); everything below sees those.
    const zones = step(() => resolveZones(args, logicalServices ?? [], problems, druidRelease));
    const services = zones?.services ?? logicalServices;
    const dataManagement = step(() => resolveDataManagement(args.dataManagement, ruleTiers(services), {
        kubernetesJobs: args.data?.ingestion?.worker === "kubernetesJobs",
        killsOn: retention.killUnusedSegments !== undefined,
    }, zones?.logicalTiers ?? []));
    const access = step(() => resolveAccess(args.access, { authEnabled: auth.enabled, ldap: auth.ldap !== undefined }, problems));
    const customization = step(() => resolveCustomization(name, args));
    const podExtras = step(() => withLdapTruststore(resolveServicesPodExtras(args, services, args.tls !== undefined,
        metrics.emitter === "prometheus" ? metrics.prometheusPort : undefined, restrictedContainerSecurityContext()),
    auth.ldap !== undefined ? ldapTrustPodExtras(name, auth.ldap, `${image}:${druidVersion}`) : undefined));
    const placement = step(() => pinZones(services, resolveServicesPlacement(args, services, podExtras)));
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
        zoneWaves: zones?.zoneWaves ?? [],
        router,
        auth,
        tls,
        network,
        metrics,
        historicalStorage,
        dataManagement: dataManagement.plan,
        tiersWithoutRules: dataManagement.tiersWithoutRules,
        access,
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
    step(() => checkGeneratedNames(plan, (args.data?.historicalTiers ?? []).map((t) => t.name), (zone, tierIndex) => {
        // A zone of no tier and not of the workers is a zone-local Broker's: a zone of the tier it prefers.
        const brokerTier = tierIndex === undefined && !(args.data?.ingestion?.zones ?? []).includes(zone)
            ? (args.data?.historicalTiers ?? []).findIndex((t) => t.name === args.query?.broker?.preferZoneOf) : -1;
        const i = tierIndex ?? (brokerTier >= 0 ? brokerTier : undefined);
        const zones = i !== undefined ? args.data?.historicalTiers?.[i]?.zones ?? [] : args.data?.ingestion?.zones ?? [];
        return `${i !== undefined ? `data.historicalTiers[${i}]` : "data.ingestion"}.zones[${zones.indexOf(zone)}]`;
    }));
    step(() => checkPorts(plan));
    problems.throwIfAny();
    return plan;
}

/** Adds the LDAP truststore's volumes, mount and init container to every Druid pod (their `podExtras`). */
function withLdapTruststore(extras: Record<string, PodExtras>, trust: Pick<PodExtras, "volumes" | "volumeMounts" | "initContainers"> | undefined): Record<string, PodExtras> {
    if (trust === undefined || trust.volumes.length === 0) return extras;
    return Object.fromEntries(Object.entries(extras).map(([key, e]) => [key, {
        ...e,
        volumes: [...e.volumes, ...trust.volumes],
        volumeMounts: [...e.volumeMounts, ...trust.volumeMounts],
        // Before the user's init containers: theirs may already need the directory.
        initContainers: [...trust.initContainers, ...e.initContainers],
    }]));
}
