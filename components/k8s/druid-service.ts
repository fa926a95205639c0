import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mapInput } from "../core/validate-input";
import { VolumeRetention } from "../args";
import { coordinatorPeriodSeconds, druidPaths, imageConfDirs, servicePort, tlsMount } from "../config/druid-config";
import { drainScript, tierGateMarginSeconds, tierLoadedScript } from "../config/pod-scripts";
import { ServicePlan, TlsPlan } from "../plan/resolve";
import { PodExtras } from "../plan/resolve-customization";
import { rolloutTimeoutMinutes, startsCluster, startupSeconds, terminationGraceSeconds } from "../plan/rolling-order";
import {
    pvcRetention, restrictedContainerSecurityContext, restrictedPodSecurityContext, scheduling, spreadAndAntiAffinity, standardLabels,
} from "./pod-spec";
import { recordVolume } from "./volume-resize";
import { deleteTimeout } from "./delete-timeout";
import { autoscalingMetrics, disruptionBudgetSpec, placePods, ServicePlacement } from "./placement";
import { druidObjectName } from "../plan/names";
import { zoneWaveLabels } from "../plan/zone-wave-plan";
export { druidObjectName } from "../plan/names";

/** An environment variable read from a Secret. */
export interface SecretEnv {
    name: string;
    secretName: pulumi.Input<string>;
    key: string;
}

/** What one Druid service's workload is built from. */
export interface DruidServiceInputs {
    cluster: string;
    namespace: pulumi.Input<string>;
    /** The namespace's name as text (for the pod DNS names announced with TLS). */
    namespaceName: string | pulumi.Output<string>;
    plan: ServicePlan;
    image: string;
    druidVersion: string;
    serviceAccountName: pulumi.Input<string>;
    /** The shared common.runtime.properties ConfigMap and its text (for the checksum). */
    commonConfigMapName: pulumi.Input<string>;
    commonText: pulumi.Input<string>;
    /** This service's runtime.properties and jvm.config text. */
    runtimeText: pulumi.Input<string>;
    jvmText: string;
    secretEnv: SecretEnv[];
    plainEnv: { name: string; value: pulumi.Input<string> }[];
    /** Variables from the pod's own fields (downward API), e.g. POD_NAME from metadata.name. */
    fieldEnv?: { name: string; fieldPath: string }[];
    /** Volumes mounted besides the configuration, tmp, var and data volumes (the Overlord's task pod template). */
    extraVolumes?: { volume: k8s.types.input.core.v1.Volume; mount: k8s.types.input.core.v1.VolumeMount }[];
    metricsPort?: number;
    /** Serve on the TLS port with the keystore from this Secret. */
    tls?: TlsPlan;
    volumeRetention: VolumeRetention;
    /** Kubernetes Service type (Router only; others ClusterIP or headless). */
    serviceType?: string;
    serviceAnnotations?: Record<string, string>;
    /** Workloads that must be updated before this one (Druid's rolling-update order). */
    after: pulumi.Resource[];
    /** Druid's basic security is on (scripts authenticate as the internal client). */
    auth: boolean;
    /** URL of the Coordinator Service, for the Historical tier-loaded gate. */
    coordinatorUrl: string | pulumi.Output<string>;
    /** Gate Historical start-up on the Coordinator's load status for the tier (cache on emptyDir). */
    tierGate: boolean;
    /** Extra pod-template annotations (a change rolls the pods). Default: none. */
    podAnnotations?: Record<string, string>;
    /** The service's pod extras from its arguments (env, volumes, mounts, sidecars, init containers, priority class), validated. */
    extras?: PodExtras;
    /** Requests, affinity, topology spread and disruption budget from its arguments, validated. Default: the component's. */
    placement?: ServicePlacement;
}

/** uid/gid of the `druid` user in the official image (distribution/docker/Dockerfile). */
const druidUid = 1000;

/** Labels that select one service's pods. */
export function druidSelector(cluster: string, key: string): Record<string, string> {
    return { "app.kubernetes.io/instance": cluster, "app.kubernetes.io/component": key };
}

/** The variable the stable host name is built from (also the one Kubernetes discovery reads, K8sDiscoveryConfig podNameEnvKey). */
const podNameEnv = "POD_NAME";

/**
 * The DNS name of a StatefulSet's pod, `<pod>.<governing Service>.<namespace>.svc`: the pod's
 * hostname and subdomain (its StatefulSet's `serviceName`), which Kubernetes keeps when it
 * recreates the pod, whatever its new IP (Kubernetes docs, "StatefulSets", "Stable Network ID";
 * "DNS for Services and Pods", "A/AAAA records" of a headless Service). `$(POD_NAME)` is expanded by
 * the kubelet from the variable defined before it ("Define Dependent Environment Variables").
 */
export function statefulPodHost(serviceName: string, namespace: string, podName = `$(${podNameEnv})`): string {
    return `${podName}.${serviceName}.${namespace}.svc`;
}

/**
 * A MiddleManager, Indexer or Historical announces its stable name as druid.host: the Overlord
 * knows a worker's tasks by the worker's host (HttpRemoteTaskRunner.taskAddedOrUpdated shuts down
 * a restored task it sees on a worker of another host: "Found worker[%s] running task[%s] which is
 * being run by another worker[%s]"), and the Coordinator a Historical's segments by its server name.
 */
function statefulHostEnv(serviceName: string, namespaceName: string | pulumi.Output<string>, fieldEnv: { name: string; fieldPath: string }[]):
    k8s.types.input.core.v1.EnvVar[] {
    const podName = fieldEnv.find((e) => e.name === podNameEnv) ?? { name: podNameEnv, fieldPath: "metadata.name" };
    return [
        { name: podName.name, valueFrom: { fieldRef: { fieldPath: podName.fieldPath } } },
        { name: "druid_host", value: mapInput(namespaceName, (ns) => statefulPodHost(serviceName, ns)) },
    ];
}

/** Probe paths: Historical and Broker report "serving", the rest report "up". */
export function probePaths(kind: ServicePlan["kind"]): { readiness: string; liveness: string } {
    const readiness = kind === "historical" ? "/druid/historical/v1/readiness" : kind === "broker" ? "/druid/broker/v1/readiness" : "/status/health";
    return { readiness, liveness: "/status/health" };
}

function checksum(parts: string[]): string {
    const h = crypto.createHash("sha256");
    for (const p of parts) h.update(p).update("\0");
    return h.digest("hex");
}

/**
 * The one tier builder: every Druid service (Coordinator, Overlord, Broker, Router, each Historical
 * tier, MiddleManagers, Indexers) becomes a ConfigMap, a Service, a PodDisruptionBudget and a
 * Deployment (stateless) or StatefulSet (Historical, MiddleManager, Indexer).
 */
export class DruidService extends pulumi.ComponentResource {
    public readonly workload: k8s.apps.v1.Deployment | k8s.apps.v1.StatefulSet;
    public readonly service: k8s.core.v1.Service;
    public readonly serviceName: pulumi.Output<string>;
    /** Logical name of the workload (children such as its replica patch derive theirs from it). */
    public readonly workloadName: string;

    constructor(name: string, inputs: DruidServiceInputs, opts?: pulumi.ComponentResourceOptions) {
        super("druid:kubernetes:DruidService", name, {}, opts);
        this.workloadName = name;
        const parent = { parent: this };
        const { plan, cluster } = inputs;
        const objectName = druidObjectName(cluster, plan.key);
        const labels = {
            ...standardLabels(cluster, plan.key, inputs.druidVersion), "druid.apache.org/service": plan.kind,
            // A zone-aware group's workload (plan/resolve-zones.ts): the zone its pods are pinned to, for the wave Jobs.
            ...(plan.zone !== undefined ? { [zoneWaveLabels.zone]: plan.zone } : {}),
        };
        const selector = druidSelector(cluster, plan.key);
        const metadata = (n: string) => ({ name: n, namespace: inputs.namespace, labels });
        const tls = inputs.tls;
        const port = servicePort(plan.kind, tls !== undefined);
        const scheme = tls !== undefined ? "HTTPS" : "HTTP";
        const portName = scheme.toLowerCase();
        const stateful = plan.volume !== undefined;
        const confDir = imageConfDirs[plan.kind];

        const dataVolume = plan.kind === "historical" ? "segment-cache" : "task-storage";
        const claimed = plan.volume !== undefined && !plan.volume.ephemeral ? plan.volume : undefined;
        // Claims are grown in place, never replaced (volume-resize.ts); the configuration, which
        // sizes Druid's cache from the volume, waits until every claim has its size.
        const volumeClaims = claimed === undefined ? undefined : recordVolume(name, {
            statefulSet: objectName,
            template: dataVolume,
            replicas: plan.replicas,
            namespace: inputs.namespace,
            labels: Object.fromEntries(Object.entries(labels).filter(([k]) => k !== "app.kubernetes.io/version")),
            request: { argument: claimed.argument, size: claimed.size, storageClass: claimed.storageClass, remedy: plan.kind === "historical" ? "historical" : "ingestion" },
        }, this);
        const runtimeText: pulumi.Input<string> = volumeClaims === undefined
            ? inputs.runtimeText : pulumi.all([inputs.runtimeText, volumeClaims.ready]).apply(([text]) => text);

        const configMap = new k8s.core.v1.ConfigMap(name, {
            metadata: metadata(objectName),
            data: { "runtime.properties": runtimeText, "jvm.config": inputs.jvmText },
        }, parent);

        const ports = [{ name: portName, port, targetPort: port }];
        if (inputs.metricsPort !== undefined) ports.push({ name: "metrics", port: inputs.metricsPort, targetPort: inputs.metricsPort });
        this.service = new k8s.core.v1.Service(name, {
            metadata: { ...metadata(objectName), annotations: inputs.serviceAnnotations },
            spec: {
                type: stateful ? undefined : inputs.serviceType ?? "ClusterIP",
                clusterIP: stateful ? "None" : undefined,
                // The StatefulSet's governing Service gives each pod the DNS name it announces
                // (statefulPodHost). Published before readiness: Druid announces itself, and is
                // called by that name (the Coordinator loading a Historical's segments, the Overlord
                // assigning a worker its tasks), before its readiness probe passes.
                publishNotReadyAddresses: stateful ? true : undefined,
                selector,
                ports,
            },
        }, parent);
        this.serviceName = this.service.metadata.name;

        new k8s.policy.v1.PodDisruptionBudget(name, {
            metadata: metadata(objectName),
            spec: disruptionBudgetSpec(selector, inputs.placement),
        }, parent);

        const configChecksum = pulumi.all([inputs.commonText, runtimeText]).apply(([c, r]) => checksum([c, r, inputs.jvmText]));
        const probes = probePaths(plan.kind);
        const resources = { cpu: plan.resources.cpu, memory: plan.resources.memory };
        const dataPath = plan.kind === "historical" ? druidPaths.segmentCache : druidPaths.taskDir;
        const volumeMounts: k8s.types.input.core.v1.VolumeMount[] = [
            { name: "common-config", mountPath: `${imageConfDirs._common}/common.runtime.properties`, subPath: "common.runtime.properties" },
            { name: "common-config", mountPath: `${imageConfDirs._common}/log4j2.xml`, subPath: "log4j2.xml" },
            { name: "service-config", mountPath: `${confDir}/runtime.properties`, subPath: "runtime.properties" },
            { name: "service-config", mountPath: `${confDir}/jvm.config`, subPath: "jvm.config" },
            // druid.sh copies the configuration to /tmp/conf and creates its working folders under var/.
            { name: "tmp", mountPath: "/tmp" },
            { name: "var", mountPath: druidPaths.var },
            // Beside var, never inside it (see druidPaths).
            ...(stateful ? [{ name: dataVolume, mountPath: dataPath }] : []),
            ...(tls !== undefined ? [{ name: "tls", mountPath: tlsMount.dir, readOnly: true }] : []),
            ...(inputs.extraVolumes ?? []).map((v) => v.mount),
            ...(inputs.extras?.volumeMounts ?? []),
        ];
        const volumes: k8s.types.input.core.v1.Volume[] = [
            { name: "common-config", configMap: { name: inputs.commonConfigMapName } },
            { name: "service-config", configMap: { name: configMap.metadata.name } },
            { name: "tmp", emptyDir: {} },
            { name: "var", emptyDir: {} },
            ...(inputs.extraVolumes ?? []).map((v) => v.volume),
            ...(inputs.extras?.volumes ?? []),
        ];
        if (tls !== undefined) {
            volumes.push({
                name: "tls",
                secret: {
                    secretName: tls.secretName,
                    items: [{ key: tls.keystoreKey, path: "keystore.p12" }, { key: tls.truststoreKey, path: "truststore.p12" }],
                },
            });
        }
        if (plan.volume?.ephemeral) {
            volumes.push({ name: dataVolume, emptyDir: { sizeLimit: plan.volume.size } });
        }
        // With TLS, requests to the pod's own port name its Service (a certificate name: k8s/tls-names.ts),
        // since Jetty 12 (Druid 35+) answers 400 to a Host the certificate lacks, and the kubelet and
        // the scripts reach the pod by IP (the kubelet's Host is then the pod IP; Kubernetes docs,
        // "Configure Liveness, Readiness and Startup Probes", HTTP probes: set "Host" in httpHeaders).
        const ownHost = tls === undefined ? undefined : mapInput(inputs.namespaceName, (ns) => `${objectName}.${ns}.svc`);
        const probeHeaders = ownHost === undefined ? {} : { httpHeaders: [{ name: "Host", value: ownHost }] };
        const http = (ns: string) => ({
            scheme: scheme === "HTTPS" ? "https" as const : "http" as const, auth: inputs.auth, ...(tls !== undefined ? { localHost: `${objectName}.${ns}.svc` } : {}),
        });
        // Historicals whose cache is an emptyDir come back empty: their own readiness is true at once,
        // so the startup probe also waits for the Coordinator to see the tier loaded again.
        const startupCheck: k8s.types.input.core.v1.Probe = inputs.tierGate
            ? { exec: { command: ["/bin/sh", "-c", pulumi.all([inputs.coordinatorUrl, inputs.namespaceName]).apply(([coordinatorUrl, ns]) => tierLoadedScript({
                ...http(ns), port, tier: plan.tier?.name ?? "_default_tier", coordinatorUrl, minAgeSeconds: 3 * coordinatorPeriodSeconds,
                // Passes before the kubelet's budget (periodSeconds x failureThreshold below) runs out: no restart loop.
                maxWaitSeconds: startupSeconds(plan) - tierGateMarginSeconds,
            }))] }, timeoutSeconds: 15 }
            : { httpGet: { path: probes.liveness, port, scheme, ...probeHeaders } };
        const lifecycle: k8s.types.input.core.v1.Lifecycle | undefined = plan.drainSeconds !== undefined && plan.drainSeconds > 0
            ? { preStop: { exec: { command: ["/bin/sh", "-c", mapInput(inputs.namespaceName, (ns) => drainScript({ ...http(ns), port, drainSeconds: plan.drainSeconds! }))] } } }
            : undefined;
        const containerPorts: k8s.types.input.core.v1.ContainerPort[] = [{ name: portName, containerPort: port }];
        if (inputs.metricsPort !== undefined) containerPorts.push({ name: "metrics", containerPort: inputs.metricsPort });

        const podTemplate: k8s.types.input.core.v1.PodTemplateSpec = {
            metadata: {
                labels,
                annotations: {
                    // A configuration change changes the pod template, so Kubernetes rolls the pods.
                    "druid.apache.org/config-checksum": configChecksum,
                    ...(inputs.podAnnotations ?? {}),
                    ...(inputs.metricsPort !== undefined
                        ? { "prometheus.io/scrape": "true", "prometheus.io/port": String(inputs.metricsPort), "prometheus.io/path": "/metrics" } : {}),
                },
            },
            spec: {
                serviceAccountName: inputs.serviceAccountName,
                securityContext: restrictedPodSecurityContext(druidUid, druidUid),
                terminationGracePeriodSeconds: terminationGraceSeconds(plan),
                ...placePods(spreadAndAntiAffinity(selector, plan.replicas, plan.spreadAcrossNodes === true), selector, inputs.placement),
                ...scheduling(plan.scheduling),
                containers: [{
                    name: "druid",
                    image: `${inputs.image}:${inputs.druidVersion}`,
                    ...(tls === undefined || stateful
                        ? { args: [plan.kind] }
                        // With TLS, announce the pod's DNS name (a-b-c-d.<ns>.pod.cluster.local), which the certificate covers.
                        : { command: ["/bin/sh", "-c", mapInput(inputs.namespaceName, (ns) => `export druid_host="$(echo "$POD_IP" | tr . -).${ns}.pod.cluster.local" && exec /druid.sh ${plan.kind}`)] }),
                    env: [
                        // druid.sh turns druid_* variables into properties (druid_host -> druid.host).
                        ...(stateful
                            ? statefulHostEnv(objectName, inputs.namespaceName, inputs.fieldEnv ?? [])
                            // Without TLS, announce the pod IP; with TLS the command above derives the DNS name from POD_IP.
                            : [{ name: tls === undefined ? "druid_host" : "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }]),
                        ...(inputs.fieldEnv ?? []).filter((e) => !stateful || e.name !== podNameEnv)
                            .map((e) => ({ name: e.name, valueFrom: { fieldRef: { fieldPath: e.fieldPath } } })),
                        ...inputs.plainEnv.map((e) => ({ name: e.name, value: e.value })),
                        ...inputs.secretEnv.map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } } })),
                        ...(inputs.extras?.env ?? []),
                    ],
                    ports: containerPorts,
                    readinessProbe: { httpGet: { path: probes.readiness, port, scheme, ...probeHeaders }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                    livenessProbe: { httpGet: { path: probes.liveness, port, scheme, ...probeHeaders }, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 6 },
                    // Historicals load their segment cache before serving: an hour to start, 15 minutes with lazyLoadOnStart (rolling-order.ts startupSeconds).
                    startupProbe: { ...startupCheck, periodSeconds: 10, failureThreshold: startupSeconds(plan) / 10 },
                    lifecycle,
                    resources: {
                        // An emptyDir cache lives on the node's disk: ask the scheduler for room for it.
                        // Requests below the limits only when asked (placement); Druid is sized from the limits.
                        requests: { ...(inputs.placement?.requests ?? resources), ...(plan.volume?.ephemeral ? { "ephemeral-storage": plan.volume.size } : {}) },
                        limits: resources,
                    },
                    securityContext: restrictedContainerSecurityContext(),
                    volumeMounts,
                }, ...(inputs.extras?.sidecars ?? [])],
                initContainers: inputs.extras !== undefined && inputs.extras.initContainers.length > 0 ? inputs.extras.initContainers : undefined,
                priorityClassName: inputs.extras?.priorityClassName,
                volumes,
            },
        };

        // Every workload but the Coordinator starts with no pods; its replica patch scales it once the
        // Coordinator is up, and owns spec.replicas from then on (see rolling-order.ts).
        const initialReplicas = startsCluster(plan) ? plan.replicas : 0;
        const timeout = `${rolloutTimeoutMinutes(plan)}m`;
        const workloadOpts: pulumi.CustomResourceOptions = {
            ...parent,
            dependsOn: inputs.after,
            // Its pods stop in parallel on delete, each within its grace period (delete-timeout.ts).
            customTimeouts: { create: timeout, update: timeout, delete: deleteTimeout(terminationGraceSeconds(plan)) },
            ignoreChanges: [
                ...(startsCluster(plan) ? [] : ["spec.replicas"]),
                // The claims' size is the claim patches' (volume-resize.ts): a new size must not replace the StatefulSet.
                ...(claimed !== undefined ? ["spec.volumeClaimTemplates"] : []),
            ],
        };
        if (stateful) {
            const volume = plan.volume!;
            this.workload = new k8s.apps.v1.StatefulSet(name, {
                metadata: metadata(objectName),
                spec: {
                    serviceName: this.service.metadata.name,
                    replicas: initialReplicas,
                    podManagementPolicy: "Parallel",
                    selector: { matchLabels: selector },
                    // OnDelete for a zone's StatefulSet: the zone-wave Jobs replace its pods (plan/resolve-zones.ts).
                    updateStrategy: { type: plan.updateStrategy ?? "RollingUpdate" },
                    persistentVolumeClaimRetentionPolicy: pvcRetention(inputs.volumeRetention),
                    template: podTemplate,
                    volumeClaimTemplates: volume.ephemeral ? [] : [{
                        metadata: { name: dataVolume, labels },
                        spec: {
                            accessModes: ["ReadWriteOnce"],
                            storageClassName: volume.storageClass,
                            resources: { requests: { storage: volume.size } },
                        },
                    }],
                },
            }, workloadOpts);
        } else {
            this.workload = new k8s.apps.v1.Deployment(name, {
                metadata: metadata(objectName),
                spec: {
                    replicas: initialReplicas,
                    selector: { matchLabels: selector },
                    // HA masters sit on different nodes (required anti-affinity): a surge pod would need a
                    // spare node, so they roll one down, one up, the other replica serving meanwhile.
                    strategy: { type: "RollingUpdate", rollingUpdate: plan.spreadAcrossNodes === true ? { maxUnavailable: 1, maxSurge: 0 } : { maxUnavailable: 0, maxSurge: 1 } },
                    template: podTemplate,
                },
            }, workloadOpts);
            if (plan.autoscaling !== undefined) {
                const a = plan.autoscaling;
                new k8s.autoscaling.v2.HorizontalPodAutoscaler(name, {
                    metadata: metadata(objectName),
                    spec: {
                        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.workload.metadata.name },
                        minReplicas: a.minReplicas,
                        maxReplicas: a.maxReplicas,
                        metrics: autoscalingMetrics(a),
                    },
                }, parent);
            }
        }
        this.registerOutputs({ serviceName: this.serviceName });
    }
}
