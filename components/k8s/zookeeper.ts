import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mapInput } from "../core/validate-input";
import { Resources, Scheduling, VolumeRetention } from "../args";
import { imageVersion, parseImageReference } from "../plan/image-reference";
import { zooKeeperReadyScript } from "../config/pod-scripts";
import {
    pvcRetention, restrictedContainerSecurityContext, restrictedPodSecurityContext, scheduling, spreadAndAntiAffinity, standardLabels,
} from "./pod-spec";
import { deleteTimeout } from "./delete-timeout";
import { zooKeeperPrometheusProvider, zkPorts } from "../plan/layout";
import { zooKeeperNames } from "../plan/names";
export { zooKeeperNames } from "../plan/names";
export { zooKeeperMetricsPort, zooKeeperPrometheusProvider, zkPorts } from "../plan/layout";

/** The pod's termination grace: not set on the ZooKeeper pods, so Kubernetes' default (PodSpec.terminationGracePeriodSeconds, 30). */
const kubernetesDefaultGraceSeconds = 30;

/** ZooKeeper ensemble settings after validation and defaults. */
export interface ZooKeeperPlan {
    cluster: string;
    namespace: pulumi.Input<string>;
    /** The namespace's name as text (plain, or another resource's output). */
    namespaceName: string | pulumi.Output<string>;
    replicas: number;
    image: string;
    resources: Resources;
    volumeSize: string;
    storageClass?: pulumi.Input<string>;
    scheduling?: Scheduling;
    volumeRetention: VolumeRetention;
    /** JVM heap in MiB (the image's ZK_SERVER_HEAP). */
    heapMiB: number;
    /** Port of the Prometheus metrics provider, or undefined for none. */
    metricsPort?: number;
}

/**
 * Pulumi's await timeout for the ensemble: servers are replaced one at a time, each stopping and
 * rejoining the quorum; never below Pulumi's 10-minute default.
 */
export function zooKeeperRolloutTimeout(replicas: number): string {
    return `${Math.max(10, replicas * 3)}m`;
}

/** uid/gid of the `zookeeper` user in the official image. */
const zkUid = 1000;

/** The connect string Druid uses: every server through the headless service's stable pod names. */
export function zooKeeperConnectString(cluster: string, namespace: string, replicas: number): string {
    const n = zooKeeperNames(cluster);
    return Array.from({ length: replicas }, (_, i) =>
        `${n.statefulSet}-${i}.${n.headless}.${namespace}.svc.cluster.local:${zkPorts.client}`).join(",");
}

/** ZOO_SERVERS for the official image: server ids are ordinal + 1. */
export function zooServers(cluster: string, namespace: string, replicas: number): string {
    const n = zooKeeperNames(cluster);
    return Array.from({ length: replicas }, (_, i) =>
        `server.${i + 1}=${n.statefulSet}-${i}.${n.headless}.${namespace}.svc.cluster.local:${zkPorts.quorum}:${zkPorts.election};${zkPorts.client}`).join(" ");
}

/** ZooKeeper's logging: the console only, at INFO (kubectl logs). */
export const zooKeeperLogback = [
    "<configuration>",
    '  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">',
    "    <encoder><pattern>%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n</pattern></encoder>",
    "  </appender>",
    '  <root level="INFO"><appender-ref ref="CONSOLE"/></root>',
    "</configuration>",
    "",
].join("\n");

/** A ZooKeeper ensemble: StatefulSet, headless and client Services, and a PodDisruptionBudget. */
export class ZooKeeperEnsemble extends pulumi.ComponentResource {
    public readonly connectString: pulumi.Output<string>;
    public readonly statefulSet: k8s.apps.v1.StatefulSet;

    constructor(name: string, plan: ZooKeeperPlan, opts?: pulumi.ComponentResourceOptions) {
        super("druid:kubernetes:ZooKeeperEnsemble", name, {}, opts);
        const parent = { parent: this };
        const names = zooKeeperNames(plan.cluster);
        // The tag follows the last ":" after the last "/" (a registry's port is not a version); resolve.ts checked the reference.
        const ref = parseImageReference(plan.image);
        const labels = standardLabels(plan.cluster, "zookeeper", ref !== undefined ? imageVersion(ref) : "latest");
        const selector = { "app.kubernetes.io/instance": plan.cluster, "app.kubernetes.io/component": "zookeeper" };
        const metadata = (objectName: string) => ({ name: objectName, namespace: plan.namespace, labels });

        const headless = new k8s.core.v1.Service(`${name}-headless`, {
            metadata: metadata(names.headless),
            spec: {
                clusterIP: "None",
                publishNotReadyAddresses: true,
                selector,
                ports: [
                    { name: "client", port: zkPorts.client },
                    { name: "quorum", port: zkPorts.quorum },
                    { name: "election", port: zkPorts.election },
                ],
            },
        }, parent);
        const client = new k8s.core.v1.Service(`${name}-client`, {
            metadata: metadata(names.client),
            spec: { selector, ports: [{ name: "client", port: zkPorts.client }] },
        }, parent);
        new k8s.policy.v1.PodDisruptionBudget(name, {
            metadata: metadata(names.statefulSet),
            spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
        }, parent);

        // The image keeps logback.xml in /conf, which is an emptyDir here (the entrypoint writes
        // zoo.cfg there under a read-only root filesystem): give it a console-only logback.xml.
        const logging = new k8s.core.v1.ConfigMap(`${name}-logging`, {
            metadata: metadata(`${names.statefulSet}-logging`),
            data: { "logback.xml": zooKeeperLogback },
        }, parent);

        // The entrypoint writes autopurge.* from ZOO_AUTOPURGE_*; ZOO_CFG_EXTRA holds only what has no variable.
        const cfgExtra = plan.metricsPort !== undefined
            ? [`metricsProvider.className=${zooKeeperPrometheusProvider}`, `metricsProvider.httpPort=${plan.metricsPort}`]
            : [];
        const resources = { cpu: plan.resources.cpu, memory: plan.resources.memory };
        this.statefulSet = new k8s.apps.v1.StatefulSet(name, {
            metadata: metadata(names.statefulSet),
            spec: {
                serviceName: names.headless,
                replicas: plan.replicas,
                podManagementPolicy: "Parallel",
                selector: { matchLabels: selector },
                updateStrategy: { type: "RollingUpdate" },
                persistentVolumeClaimRetentionPolicy: pvcRetention(plan.volumeRetention),
                template: {
                    metadata: {
                        labels,
                        annotations: plan.metricsPort !== undefined
                            ? { "prometheus.io/scrape": "true", "prometheus.io/port": String(plan.metricsPort) } : undefined,
                    },
                    spec: {
                        automountServiceAccountToken: false,
                        securityContext: restrictedPodSecurityContext(zkUid, zkUid),
                        ...spreadAndAntiAffinity(selector, plan.replicas),
                        ...scheduling(plan.scheduling),
                        containers: [{
                            name: "zookeeper",
                            image: plan.image,
                            // Stable server id from the pod ordinal: zookeeper-2 is server.3.
                            command: ["bash", "-c", "export ZOO_MY_ID=$(( ${HOSTNAME##*-} + 1 )) && exec /docker-entrypoint.sh zkServer.sh start-foreground"],
                            env: [
                                { name: "ZOO_SERVERS", value: mapInput(plan.namespaceName, (ns) => zooServers(plan.cluster, ns, plan.replicas)) },
                                { name: "ZOO_STANDALONE_ENABLED", value: plan.replicas === 1 ? "true" : "false" },
                                { name: "ZOO_4LW_COMMANDS_WHITELIST", value: "ruok,srvr,mntr" },
                                { name: "ZOO_AUTOPURGE_SNAPRETAINCOUNT", value: "5" },
                                { name: "ZOO_AUTOPURGE_PURGEINTERVAL", value: "24" },
                                ...(cfgExtra.length > 0 ? [{ name: "ZOO_CFG_EXTRA", value: cfgExtra.join(" ") }] : []),
                                { name: "ZOO_ADMINSERVER_ENABLED", value: "false" },
                                // Transaction logs on the persistent volume, next to the snapshots.
                                { name: "ZOO_DATA_LOG_DIR", value: "/data/txnlog" },
                                // zkEnv.sh puts -Xmx${ZK_SERVER_HEAP}m (default 1000) first in SERVER_JVMFLAGS,
                                // so a heap flag in JVMFLAGS would not win: this is the image's knob.
                                { name: "ZK_SERVER_HEAP", value: String(plan.heapMiB) },
                                // zkServer.sh adds -XX:+HeapDumpOnOutOfMemoryError without a path: the dump would go
                                // to the working directory, on the read-only root.
                                { name: "JVMFLAGS", value: "-XX:HeapDumpPath=/logs" },
                            ],
                            ports: [
                                { name: "client", containerPort: zkPorts.client },
                                { name: "quorum", containerPort: zkPorts.quorum },
                                { name: "election", containerPort: zkPorts.election },
                                ...(plan.metricsPort !== undefined ? [{ name: "metrics", containerPort: plan.metricsPort }] : []),
                            ],
                            // Ready only when serving in a quorum, so a rollout restarts the next server
                            // only after the previous one rejoined.
                            readinessProbe: {
                                exec: { command: ["bash", "-c", zooKeeperReadyScript(zkPorts.client)] },
                                initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5,
                            },
                            livenessProbe: {
                                tcpSocket: { port: zkPorts.client },
                                initialDelaySeconds: 30, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 6,
                            },
                            resources: { requests: resources, limits: resources },
                            securityContext: restrictedContainerSecurityContext(),
                            volumeMounts: [
                                { name: "data", mountPath: "/data" },
                                { name: "conf", mountPath: "/conf" },
                                { name: "logging", mountPath: "/conf/logback.xml", subPath: "logback.xml" },
                                { name: "logs", mountPath: "/logs" },
                                { name: "tmp", mountPath: "/tmp" },
                            ],
                        }],
                        volumes: [
                            { name: "conf", emptyDir: {} },
                            { name: "logging", configMap: { name: logging.metadata.name } },
                            { name: "logs", emptyDir: {} },
                            { name: "tmp", emptyDir: {} },
                        ],
                    },
                },
                volumeClaimTemplates: [{
                    metadata: { name: "data", labels },
                    spec: {
                        accessModes: ["ReadWriteOnce"],
                        storageClassName: plan.storageClass,
                        resources: { requests: { storage: plan.volumeSize } },
                    },
                }],
            },
        }, { ...parent, dependsOn: [headless, client], customTimeouts: { create: zooKeeperRolloutTimeout(plan.replicas), update: zooKeeperRolloutTimeout(plan.replicas), delete: deleteTimeout(kubernetesDefaultGraceSeconds) } });

        this.connectString = pulumi.all([headless.metadata.name, client.metadata.name, plan.namespaceName]).apply(([, , ns]) =>
            zooKeeperConnectString(plan.cluster, ns, plan.replicas));
        this.registerOutputs({ connectString: this.connectString });
    }
}
