import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Container, DruidClusterArgs, Ingestion, PodExtrasArgs, Resources, Volume } from "../args";
import { druidPaths, imageConfDirs, metadataCaMount, peonStartPort, secretEnv, servicePort, tlsMount } from "./layout";
import { ldapTrustMount, podIdentityEnv, taskTemplateMount } from "./layout";
import { ServiceKind } from "./tuning";
import { DruidArgumentError } from "../core/errors";
import { checkInput, isDeferred } from "../core/validate-input";
import { checkEnvSourceNames, checkImageReference, checkKnown, checkVolumeSourceNames } from "./validate-objects";
import { checkBytes, checkCpu, checkDnsLabel, shapeOf } from "./validate";
import { isDns1123Subdomain, isLabelValue, isQualifiedName } from "./validate-kubernetes";
import { checkRequests } from "./validate-requests";
import { containerExtras } from "./resolve-sidecar";

// What a platform team adds without forking: AWS tags, labels and annotations on every object,
// pod labels, annotations, pull secrets and priority class, and per service extra environment,
// volumes, mounts, sidecars and init containers. Validated here, before anything is registered;
// applied by components/k8s/customization.ts (every Kubernetes object and pod),
// components/k8s/druid-service.ts (a service's pods) and the AWS parts (tags).

/** Cluster-wide additions, validated. */
export interface CustomizationPlan {
    /** AWS tags: the user's and the component's own. */
    tags: Record<string, pulumi.Input<string>>;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    podLabels: Record<string, string>;
    podAnnotations: Record<string, string>;
    imagePullSecrets: string[];
    priorityClassName?: string;
}

/** One service's pod additions, in the Kubernetes shapes. */
export interface PodExtras {
    priorityClassName?: string;
    env: k8s.types.input.core.v1.EnvVar[];
    volumes: k8s.types.input.core.v1.Volume[];
    volumeMounts: k8s.types.input.core.v1.VolumeMount[];
    sidecars: k8s.types.input.core.v1.Container[];
    initContainers: k8s.types.input.core.v1.Container[];
}

/** The component's own AWS tag on every taggable AWS resource. */
export const clusterTagKey = "druid.apache.org/cluster";

/** Label keys the component sets itself (selectors among them): never given by the user. */
export const reservedLabelKeys = [
    "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component", "app.kubernetes.io/version", "app.kubernetes.io/managed-by",
];
/** Prefixes of keys the component or its tools own: druid.apache.org/ (the component), pulumi.com/ (provider behaviour), pod-security.kubernetes.io/ (the namespace's policy), prometheus.io/ (scrape annotations). */
export const reservedKeyPrefixes = ["druid.apache.org/", "pulumi.com/", "pod-security.kubernetes.io/", "prometheus.io/"];

/** Volumes of the Druid pods the component creates. */
export const componentVolumes = ["common-config", "service-config", "tmp", "var", "segment-cache", "task-storage", "tls", "task-template", "metadata-ca", ldapTrustMount.caVolume, ldapTrustMount.truststoreVolume];
/** Volumes a sidecar may mount besides the service's own `volumes` (writable scratch and Druid's working and data folders). */
const sidecarMountableVolumes = ["tmp", "var", "segment-cache", "task-storage"];
/** Paths the component mounts in the Druid container: nothing may be mounted on, inside or above them. */
export const componentMountPaths = [
    imageConfDirs._common.replace(/\/_common$/, ""), "/tmp", druidPaths.var, druidPaths.segmentCache, druidPaths.taskDir, tlsMount.dir, metadataCaMount.dir, taskTemplateMount.dir, ldapTrustMount.caDir, ldapTrustMount.truststoreDir,
];
/** Environment variables the component sets in the Druid container. */
export const componentEnv = ["druid_host", "POD_IP", "AWS_REGION", podIdentityEnv.name, podIdentityEnv.namespace, ...Object.values(secretEnv)];

function checkKey(argument: string, key: string, reservedKeys: string[]): void {
    if (!isQualifiedName(key)) {
        throw new DruidArgumentError(argument, key, "must be a Kubernetes qualified name: an optional DNS-subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.'");
    }
    if (reservedKeys.includes(key) || reservedKeyPrefixes.some((p) => key.startsWith(p))) {
        throw new DruidArgumentError(argument, key,
            `is set by the component itself (its keys: ${reservedKeys.join(", ") || "none here"}; prefixes ${reservedKeyPrefixes.join(", ")}): choose another key`);
    }
}

function checkMap(argument: string, value: unknown, kind: "label" | "annotation"): Record<string, string> {
    if (value === undefined) return {};
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new DruidArgumentError(argument, shapeOf(value), `must be a map of ${kind} keys to string values`);
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        checkKey(`${argument}["${k}"]`, k, kind === "label" ? reservedLabelKeys : []);
        if (typeof v !== "string") throw new DruidArgumentError(`${argument}["${k}"]`, v, "must be a string");
        if (kind === "label" && !isLabelValue(v)) {
            throw new DruidArgumentError(`${argument}["${k}"]`, v, "must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty)");
        }
        out[k] = v;
    }
    return out;
}

function checkDnsSubdomainName(argument: string, value: unknown): string {
    if (typeof value !== "string" || !isDns1123Subdomain(value)) {
        throw new DruidArgumentError(argument, value, "must be a Kubernetes object name (a DNS subdomain: lower-case letters, digits, '-' and '.', at most 253 characters)");
    }
    return value;
}

function checkTags(name: string, value: unknown): Record<string, pulumi.Input<string>> {
    const tags: Record<string, pulumi.Input<string>> = {};
    if (value !== undefined) {
        if (value === null || typeof value !== "object" || Array.isArray(value)) throw new DruidArgumentError("tags", shapeOf(value), "must be a map of AWS tag keys to string values");
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            // AWS tag rules: keys 1-128, values 0-256 characters; letters, digits, spaces and _ . : / = + - @; "aws:" is reserved.
            if (k.length < 1 || k.length > 128 || !/^[\p{L}\p{N}\s_.:/=+\-@]+$/u.test(k) || k.toLowerCase().startsWith("aws:")) {
                throw new DruidArgumentError("tags key", k, "must be an AWS tag key: 1-128 letters, digits, spaces and _ . : / = + - @, not starting with \"aws:\"");
            }
            if (k === clusterTagKey) throw new DruidArgumentError("tags key", k, "is the component's own tag (the cluster's name): choose another key");
            // A value may be another resource's output: checked when it resolves (validate-input.ts).
            tags[k] = isDeferred(v) ? checkInput(v as pulumi.Input<string>, (s) => checkTagValue(k, s)) : checkTagValue(k, v as string);
        }
        // An AWS resource takes at most 50 tags; the component adds one.
        if (Object.keys(tags).length > 49) throw new DruidArgumentError("tags", `${Object.keys(tags).length} tags`, "must hold at most 49 tags (AWS allows 50 per resource; the component adds one)");
    }
    return { ...tags, [clusterTagKey]: name };
}

function checkTagValue(key: string, v: string): string {
    if (typeof v !== "string" || v.length > 256 || !/^[\p{L}\p{N}\s_.:/=+\-@]*$/u.test(v)) {
        throw new DruidArgumentError(`tags.${key}`, v, "must be an AWS tag value: at most 256 letters, digits, spaces and _ . : / = + - @");
    }
    return v;
}

/** Validates `tags` and `kubernetes`. */
export function resolveCustomization(name: string, args: DruidClusterArgs): CustomizationPlan {
    const k = args.kubernetes ?? {};
    if (k === null || typeof k !== "object" || Array.isArray(k)) throw new DruidArgumentError("kubernetes", shapeOf(k), "must be an object");
    const pullSecrets = k.imagePullSecrets ?? [];
    if (!Array.isArray(pullSecrets)) throw new DruidArgumentError("kubernetes.imagePullSecrets", shapeOf(pullSecrets), "must be a list of Secret names");
    pullSecrets.forEach((s, i) => checkDnsSubdomainName(`kubernetes.imagePullSecrets[${i}]`, s));
    return {
        tags: checkTags(name, args.tags),
        labels: checkMap("kubernetes.labels", k.labels, "label"),
        annotations: checkMap("kubernetes.annotations", k.annotations, "annotation"),
        podLabels: checkMap("kubernetes.podLabels", k.podLabels, "label"),
        podAnnotations: checkMap("kubernetes.podAnnotations", k.podAnnotations, "annotation"),
        imagePullSecrets: [...new Set(pullSecrets)],
        priorityClassName: k.priorityClassName === undefined ? undefined : checkDnsSubdomainName("kubernetes.priorityClassName", k.priorityClassName),
    };
}

function checkList<T>(argument: string, value: T[] | undefined): T[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new DruidArgumentError(argument, shapeOf(value), "must be a list");
    return value;
}

function checkEnv(argument: string, env: k8s.types.input.core.v1.EnvVar[] | undefined, taken: Set<string>): k8s.types.input.core.v1.EnvVar[] {
    const seen = new Set<string>();
    return checkList(argument, env).map((e, i) => {
        const a = `${argument}[${i}]`;
        if (e !== null && typeof e === "object") void checkKnown(`${a}.name`, e.name, "the component checks it against the variables it sets");
        if (e === null || typeof e !== "object" || typeof e.name !== "string" || !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) {
            throw new DruidArgumentError(`${a}.name`, (e as { name?: unknown } | null)?.name, "must be an environment variable name (letters, digits, '_', '-', '.', not starting with a digit)");
        }
        if (taken.has(e.name)) {
            throw new DruidArgumentError(`${a}.name`, e.name, `is set by the component (${[...taken].join(", ")}): choose another name`);
        }
        if (seen.has(e.name)) throw new DruidArgumentError(`${a}.name`, e.name, "is given twice");
        seen.add(e.name);
        if ((e.value !== undefined) === (e.valueFrom !== undefined)) {
            throw new DruidArgumentError(a, shapeOf(e), "needs exactly one of value and valueFrom");
        }
        return e.valueFrom === undefined ? e : { ...e, valueFrom: checkEnvSourceNames(`${a}.valueFrom`, e.valueFrom) as k8s.types.input.core.v1.EnvVarSource };
    });
}

const volumeSources = ["configMap", "secret", "emptyDir", "persistentVolumeClaim", "csi"] as const;

function checkVolumes(argument: string, volumes: Volume[] | undefined): k8s.types.input.core.v1.Volume[] {
    const seen = new Set<string>();
    return checkList(argument, volumes).map((v, i) => {
        const a = `${argument}[${i}]`;
        const name = checkDnsLabel(`${a}.name`, checkKnown(`${a}.name`, (v as { name?: string } | null)?.name as string, "mounts refer to it and the component checks it against its own volumes"));
        if (componentVolumes.includes(name)) {
            throw new DruidArgumentError(`${a}.name`, name, `is one of the component's own volumes (${componentVolumes.join(", ")}): choose another name`);
        }
        if (seen.has(name)) throw new DruidArgumentError(`${a}.name`, name, "is given twice");
        seen.add(name);
        const given = Object.keys(v).filter((k) => k !== "name");
        const unknown = given.filter((k) => !(volumeSources as readonly string[]).includes(k));
        if (unknown.length > 0 || given.length !== 1) {
            throw new DruidArgumentError(a, shapeOf(v),
                `needs exactly one source of ${volumeSources.join(", ")} (the volume types Pod Security "restricted" allows; hostPath and the others are refused)`);
        }
        const source = checkVolumeSourceNames(`${a}.${given[0]}`, given[0], (v as unknown as Record<string, unknown>)[given[0]]);
        return { name, [given[0]]: source };
    });
}

function overlaps(a: string, b: string): boolean {
    const x = a.replace(/\/+$/, "");
    const y = b.replace(/\/+$/, "");
    return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

function checkMounts(argument: string, mounts: k8s.types.input.core.v1.VolumeMount[] | undefined, volumes: string[], guardPaths: boolean): k8s.types.input.core.v1.VolumeMount[] {
    const paths: string[] = [];
    return checkList(argument, mounts).map((m, i) => {
        const a = `${argument}[${i}]`;
        if (m !== null && typeof m === "object") void checkKnown(`${a}.name`, m.name, "it must name one of the pod's volumes");
        if (m === null || typeof m !== "object" || typeof m.name !== "string" || !volumes.includes(m.name)) {
            throw new DruidArgumentError(`${a}.name`, (m as { name?: unknown } | null)?.name, `must name a volume of the pod: ${volumes.join(", ") || "give one in volumes"}`);
        }
        const checkPath = (mountPath: unknown): string => {
            if (typeof mountPath !== "string" || !mountPath.startsWith("/") || mountPath.includes("..")) {
                throw new DruidArgumentError(`${a}.mountPath`, mountPath, "must be an absolute path without '..'");
            }
            if (guardPaths) {
                const clash = componentMountPaths.find((p) => overlaps(mountPath, p));
                if (clash !== undefined) {
                    throw new DruidArgumentError(`${a}.mountPath`, mountPath, `overlaps ${clash}, which the component mounts in the Druid container: choose a path outside ${componentMountPaths.join(", ")}`);
                }
            }
            return mountPath;
        };
        // The schema lets another resource give the path: it is checked when it resolves (the
        // overlap with this list's other entries too), as every such Input (validate-input.ts).
        if (isDeferred(m.mountPath)) {
            const known = [...paths];
            return {
                ...m, mountPath: pulumi.output(m.mountPath).apply((v) => {
                    const p = checkPath(v);
                    const other = known.find((k) => overlaps(p, k));
                    if (other !== undefined) throw new DruidArgumentError(`${a}.mountPath`, p, `overlaps ${other}, mounted by another entry`);
                    return p;
                }),
            };
        }
        checkPath(m.mountPath);
        const other = paths.find((p) => overlaps(m.mountPath as string, p));
        if (other !== undefined) throw new DruidArgumentError(`${a}.mountPath`, m.mountPath, `overlaps ${other}, mounted by another entry`);
        paths.push(m.mountPath);
        return m;
    });
}

function containerResources(argument: string, r: Resources | undefined): k8s.types.input.core.v1.ResourceRequirements | undefined {
    if (r === undefined) return undefined;
    checkCpu(`${argument}.cpu`, r.cpu);
    checkBytes(`${argument}.memory`, r.memory);
    return { requests: checkRequests(argument, r, r), limits: { cpu: r.cpu, memory: r.memory } };
}

/** Ports of the Druid container of a service (and the Peons' range under a MiddleManager). */
export interface TakenPorts { ports: number[]; range?: [number, number] }

function checkContainers(argument: string, list: Container[] | undefined, names: Set<string>, volumes: string[], taken: TakenPorts | undefined,
    securityContext: k8s.types.input.core.v1.SecurityContext): k8s.types.input.core.v1.Container[] {
    return checkList(argument, list).map((c, i) => {
        const a = `${argument}[${i}]`;
        const name = checkDnsLabel(`${a}.name`, checkKnown(`${a}.name`, (c as { name?: string } | null)?.name as string, "container names are unique in the pod"));
        if (names.has(name)) throw new DruidArgumentError(`${a}.name`, name, "is the name of another container of the pod (\"druid\" is the component's)");
        names.add(name);
        checkImageReference(`${a}.image`, c.image, "fluent/fluent-bit:3.2.2");
        for (const key of ["command", "args"] as const) {
            const v = c[key];
            if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== "string"))) throw new DruidArgumentError(`${a}.${key}`, shapeOf(v), "must be a list of strings");
        }
        if (taken === undefined && c.ports !== undefined) throw new DruidArgumentError(`${a}.ports`, shapeOf(c.ports), "only sidecars take ports (an init container ends before Druid starts)");
        const ports = checkList(`${a}.ports`, c.ports).map((p, j) => {
            const pa = `${a}.ports[${j}]`;
            if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535) throw new DruidArgumentError(`${pa}.containerPort`, p.containerPort, "must be a port number, 1-65535");
            if (taken !== undefined && (taken.ports.includes(p.containerPort) || (taken.range !== undefined && p.containerPort >= taken.range[0] && p.containerPort < taken.range[1]))) {
                throw new DruidArgumentError(`${pa}.containerPort`, p.containerPort,
                    `is used by Druid in this pod (${taken.ports.join(", ")}${taken.range !== undefined ? `, Peons ${taken.range[0]}-${taken.range[1] - 1}` : ""}): choose another port`);
            }
            if (taken !== undefined) taken.ports.push(p.containerPort);
            if (p.name !== undefined && !/^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/.test(p.name)) {
                throw new DruidArgumentError(`${pa}.name`, p.name, "must be an IANA service name: at most 15 lower-case letters, digits and '-', with a letter");
            }
            const protocol = p.protocol ?? "TCP";
            if (!["TCP", "UDP", "SCTP"].includes(protocol)) throw new DruidArgumentError(`${pa}.protocol`, protocol, "must be \"TCP\", \"UDP\" or \"SCTP\"");
            return { name: p.name, containerPort: p.containerPort, protocol };
        });
        return {
            name,
            image: c.image,
            command: c.command,
            args: c.args,
            env: c.env === undefined ? undefined : checkEnv(`${a}.env`, c.env, new Set()),
            ports: ports.length > 0 ? ports : undefined,
            resources: containerResources(`${a}.resources`, c.resources),
            volumeMounts: c.volumeMounts === undefined ? undefined : checkMounts(`${a}.volumeMounts`, c.volumeMounts, volumes, false),
            // Probes and hooks (sidecars only) and the security context over the restricted one.
            ...containerExtras(a, c, taken !== undefined, securityContext),
        };
    });
}

/** Druid ports of a service's container, for the sidecar port check. */
export function druidPorts(kind: ServiceKind, tls: boolean, metricsPort: number | undefined, workerCapacity: number | undefined): TakenPorts {
    return {
        ports: [servicePort(kind, tls), ...(metricsPort !== undefined ? [metricsPort] : [])],
        // Each Peon binds a port from startPort up (and a TLS port with TLS).
        range: kind === "middleManager" ? [peonStartPort, peonStartPort + 2 * (workerCapacity ?? 1)] : undefined,
    };
}

/**
 * Validates one service's pod extras (`argument` is its arguments' path). `securityContext` is
 * the restricted container security context every added container gets.
 */
export function resolvePodExtras(argument: string, a: PodExtrasArgs | undefined, ports: TakenPorts, securityContext: k8s.types.input.core.v1.SecurityContext): PodExtras {
    const volumes = checkVolumes(`${argument}.volumes`, a?.volumes);
    const userVolumes = volumes.map((v) => v.name as string);
    const names = new Set(["druid"]);
    return {
        priorityClassName: a?.priorityClassName === undefined ? undefined : checkDnsSubdomainName(`${argument}.priorityClassName`, a.priorityClassName),
        env: checkEnv(`${argument}.env`, a?.env, new Set(componentEnv)),
        volumes,
        volumeMounts: checkMounts(`${argument}.volumeMounts`, a?.volumeMounts, userVolumes, true),
        initContainers: checkContainers(`${argument}.initContainers`, a?.initContainers, names, [...userVolumes, ...sidecarMountableVolumes], undefined, securityContext),
        sidecars: checkContainers(`${argument}.sidecars`, a?.sidecars, names, [...userVolumes, ...sidecarMountableVolumes], { ports: [...ports.ports], range: ports.range }, securityContext),
    };
}

/** Arguments path of each service's pod extras, by service key. */
export function podExtrasArgs(args: DruidClusterArgs, key: string): { argument: string; extras: PodExtrasArgs | undefined } {
    switch (key) {
        case "coordinator": return { argument: "master.coordinator", extras: args.master?.coordinator };
        case "overlord": return { argument: "master.overlord", extras: args.master?.overlord };
        case "broker": return { argument: "query.broker", extras: args.query?.broker };
        case "router": return { argument: "query.router", extras: args.query?.router };
        case "middlemanager":
        case "indexer": return { argument: "data.ingestion", extras: args.data?.ingestion };
        default: {
            const tiers = args.data?.historicalTiers ?? [];
            const i = tiers.findIndex((t) => `historical-${t.name}` === key);
            return { argument: `data.historicalTiers[${i}]`, extras: tiers[i] };
        }
    }
}

/** Keys of the pod extras: with tasks as Kubernetes Jobs they have no MiddleManager/Indexer pod to go to. */
export const podExtrasKeys = ["priorityClassName", "env", "volumes", "volumeMounts", "sidecars", "initContainers"] as const;

/**
 * Refuses settings of the MiddleManager/Indexer pods (`data.ingestion.<key>`) when tasks run as
 * Kubernetes Jobs, where no such pod runs; `instead` says what to do for task pods.
 */
export function refuseWorkerPodKeys(args: DruidClusterArgs, keys: readonly (keyof Ingestion)[], instead: string): void {
    const ing = args.data?.ingestion;
    if (ing?.worker !== "kubernetesJobs") return;
    for (const key of keys) {
        if (ing[key] !== undefined) {
            throw new DruidArgumentError(`data.ingestion.${key}`, shapeOf(ing[key]),
                `applies to MiddleManager and Indexer pods, which worker "kubernetesJobs" does not run; ${instead}`);
        }
    }
}

/**
 * Every service's pod extras, by service key. With tasks as Kubernetes Jobs, `data.ingestion`'s
 * extras are refused (no MiddleManager or Indexer pod runs; task pods are shaped by transforms).
 */
export function resolveServicesPodExtras(args: DruidClusterArgs, services: { key: string; zoneGroup?: string; kind: ServiceKind; tuning: { workerCapacity?: number } }[],
    tls: boolean, metricsPort: number | undefined, securityContext: k8s.types.input.core.v1.SecurityContext): Record<string, PodExtras> {
    refuseWorkerPodKeys(args, podExtrasKeys,
        "shape task pods with a Pulumi transform on the task template ConfigMap (docs/customization.md, \"Customising the Kubernetes objects\")");
    const out: Record<string, PodExtras> = {};
    for (const svc of services) {
        // A zone's workload takes its group's arguments (resolve-zones.ts).
        const { argument, extras } = podExtrasArgs(args, svc.zoneGroup ?? svc.key);
        out[svc.key] = resolvePodExtras(argument, extras, druidPorts(svc.kind, tls, metricsPort, svc.tuning.workerCapacity), securityContext);
    }
    return out;
}
