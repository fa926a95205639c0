import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mapInput } from "../core/validate-input";
import { CustomizationPlan } from "../plan/resolve-customization";
import { customizePodTemplate } from "./customization";
import { stringify } from "yaml";
import { druidPaths, imageConfDirs, tlsMount } from "../config/druid-config";
import { podIdentityEnv, taskContainerName, taskPodPorts, taskTemplateMount } from "../config/kubernetes-native";
import { TaskPodsPlan, TlsPlan } from "../plan/resolve";
import { SecretEnv } from "./druid-service";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, scheduling, standardLabels } from "./pod-spec";
import { taskConfigMapNames } from "../plan/names";
export { taskConfigMapNames } from "../plan/names";

/** What the task pod template is built from: the same facts as every Druid workload's pods. */
export interface TaskTemplateInputs {
    cluster: string;
    namespace: pulumi.Input<string>;
    /** The namespace's name as text (for the pod DNS name announced with TLS). */
    namespaceName: string | pulumi.Output<string>;
    plan: TaskPodsPlan;
    image: string;
    druidVersion: string;
    serviceAccountName: pulumi.Input<string>;
    commonConfigMapName: pulumi.Input<string>;
    /** The ConfigMap with the Peon's runtime.properties and jvm.config. */
    taskConfigMapName: pulumi.Input<string>;
    secretEnv: SecretEnv[];
    plainEnv: { name: string; value: pulumi.Input<string> }[];
    metricsPort?: number;
    tls?: TlsPlan;
    /** Discovery through the Kubernetes API: the Peon announces itself by patching its own pod. */
    podIdentity: boolean;
    /**
     * JAVA_OPTS of the task container: the Peon's jvm.config flags, for releases whose peon.sh does not
     * read jvm.config (config/druid-versions.ts). Undefined: not set.
     */
    javaOpts?: string;
    /** Cluster-wide pod labels, annotations, pull secrets and priority class (not in a Pulumi object's pod template, so not the transformation's). */
    customization?: CustomizationPlan;
}

/** uid/gid of the `druid` user in the official image (distribution/docker/Dockerfile). */
const druidUid = 1000;

/** The key of the task pods in labels and object names. */
export const taskPodComponent = "task";

/**
 * The base pod template of every task Job (k8s-jobs.md, "Custom Template Pod Adapter"): a v1
 * PodTemplate whose pod runs `/peon.sh` from the Druid image. The Overlord adds the task's labels
 * (`druid.k8s.peons`, task id, type, datasource), annotations and the TASK_ID / TASK_DIR /
 * TASK_JSON variables to the first container (PodTemplateTaskAdapter.fromTask), and sets the Job's
 * backoffLimit 0, activeDeadlineSeconds and TTL. Pod Security "restricted" like every other pod;
 * the labels put task pods under the Druid NetworkPolicies.
 */
export function taskPodTemplate(i: TaskTemplateInputs): Record<string, unknown> {
    const customize = (t: Record<string, unknown>) => (i.customization !== undefined ? customizePodTemplate(t, i.customization) : t);
    // Not reached with TLS today: tls with worker "kubernetesJobs" is refused (validate-task-jobs-tls.ts: the Overlord
    // calls task pods at their pod IP). Were it allowed, the readiness probe below would also need a Host header naming
    // the certificate (Jetty 12's strict SNI check answers 400 to the kubelet's pod-IP Host).
    const tls = i.tls;
    const port = tls !== undefined ? taskPodPorts.tls : taskPodPorts.plaintext;
    const scheme = tls !== undefined ? "HTTPS" : "HTTP";
    const labels = { ...standardLabels(i.cluster, taskPodComponent, i.druidVersion), "druid.apache.org/service": "peon" };
    const resources = { cpu: i.plan.resources.cpu, memory: i.plan.resources.memory };
    const ports: k8s.types.input.core.v1.ContainerPort[] = [{ name: scheme.toLowerCase(), containerPort: port }];
    if (i.metricsPort !== undefined) ports.push({ name: "metrics", containerPort: i.metricsPort });
    const overlordConf = imageConfDirs.overlord;
    const volumeMounts: k8s.types.input.core.v1.VolumeMount[] = [
        { name: "common-config", mountPath: `${imageConfDirs._common}/common.runtime.properties`, subPath: "common.runtime.properties" },
        { name: "common-config", mountPath: `${imageConfDirs._common}/log4j2.xml`, subPath: "log4j2.xml" },
        // peon.sh reads the Overlord's directory (`SERVICE="overlord"`).
        { name: "task-config", mountPath: `${overlordConf}/runtime.properties`, subPath: "runtime.properties" },
        { name: "task-config", mountPath: `${overlordConf}/jvm.config`, subPath: "jvm.config" },
        { name: "tmp", mountPath: "/tmp" },
        { name: "var", mountPath: druidPaths.var },
        // TASK_DIR (the Overlord's druid.indexer.task.baseDir, PodTemplateTaskAdapter.getEnv), beside var as on every Druid pod.
        { name: "task-storage", mountPath: druidPaths.taskDir },
        ...(tls !== undefined ? [{ name: "tls", mountPath: tlsMount.dir, readOnly: true }] : []),
    ];
    const volumes: k8s.types.input.core.v1.Volume[] = [
        { name: "common-config", configMap: { name: i.commonConfigMapName } },
        { name: "task-config", configMap: { name: i.taskConfigMapName } },
        { name: "tmp", emptyDir: {} },
        { name: "var", emptyDir: {} },
        { name: "task-storage", emptyDir: { sizeLimit: i.plan.storageSize } },
        ...(tls !== undefined ? [{
            name: "tls",
            secret: { secretName: tls.secretName, items: [{ key: tls.keystoreKey, path: "keystore.p12" }, { key: tls.truststoreKey, path: "truststore.p12" }] },
        }] : []),
    ];
    const container: k8s.types.input.core.v1.Container = {
        name: taskContainerName,
        image: `${i.image}:${i.druidVersion}`,
        command: tls === undefined
            ? ["/peon.sh"]
            : ["/bin/sh", "-c", mapInput(i.namespaceName, (ns) => `export druid_host="$(echo "$POD_IP" | tr . -).${ns}.pod.cluster.local" && exec /peon.sh`)],
        env: [
            // peon.sh turns druid_* variables into properties (as druid.sh does): the Peon announces its pod IP
            // (or, with TLS, the pod's DNS name), the address the Overlord reports for the task.
            { name: tls === undefined ? "druid_host" : "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
            ...(i.podIdentity ? [
                { name: podIdentityEnv.name, valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                { name: podIdentityEnv.namespace, valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
            ] : []),
            // peon.sh of Druid 35-37 runs `exec bin/run-java ${JAVA_OPTS} …` and never reads the mounted
            // jvm.config (apache/druid#19364 fixed that after 37.0.0), and PodTemplateTaskAdapter.getEnv adds
            // no JAVA_OPTS: without this the Peon has no -Xmx, -XX:MaxDirectMemorySize, UTC or exit-on-OOM.
            ...(i.javaOpts !== undefined ? [{ name: "JAVA_OPTS", value: i.javaOpts }] : []),
            ...i.plainEnv.map((e) => ({ name: e.name, value: e.value })),
            ...i.secretEnv.map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } } })),
        ],
        ports,
        // With Kubernetes discovery, container readiness decides whether the Peon is discoverable (kubernetes.md).
        readinessProbe: { httpGet: { path: "/status/health", port, scheme }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
        resources: { requests: { ...resources, "ephemeral-storage": i.plan.storageSize }, limits: resources },
        securityContext: restrictedContainerSecurityContext(),
        volumeMounts,
    };
    return {
        apiVersion: "v1",
        kind: "PodTemplate",
        metadata: { name: "base" },
        template: customize({
            metadata: {
                labels,
                annotations: i.metricsPort !== undefined
                    ? { "prometheus.io/scrape": "true", "prometheus.io/port": String(i.metricsPort), "prometheus.io/path": "/metrics" }
                    // The discovery extension's JSON patch adds to /metadata/annotations, which must exist (kubernetes.md, "Gotchas").
                    : { "druid.apache.org/task-pod": "true" },
            },
            spec: {
                serviceAccountName: i.serviceAccountName,
                // A Job's pods must not restart in place: Druid does not retry a failed task (backoffLimit 0).
                restartPolicy: "Never",
                securityContext: restrictedPodSecurityContext(druidUid, druidUid),
                ...scheduling(i.plan.scheduling),
                containers: [container],
                volumes,
            },
        }),
    };
}

export function createTaskConfigMaps(name: string, i: Omit<TaskTemplateInputs, "taskConfigMapName">, files: { runtimeText: string; jvmText: string; javaOpts?: string },
    opts: pulumi.CustomResourceOptions): { taskConfig: k8s.core.v1.ConfigMap; template: k8s.core.v1.ConfigMap; templateText: pulumi.Output<string> } {
    const labels = standardLabels(i.cluster, taskPodComponent, i.druidVersion);
    const taskConfig = new k8s.core.v1.ConfigMap(`${name}-task`, {
        metadata: { name: taskConfigMapNames(name).config, namespace: i.namespace, labels },
        data: { "runtime.properties": files.runtimeText, "jvm.config": files.jvmText },
    }, opts);
    // JSON-compatible YAML of the template, every input resolved.
    const templateText = pulumi.output(taskPodTemplate({ ...i, javaOpts: files.javaOpts, taskConfigMapName: taskConfig.metadata.name })).apply((t) => stringify(t));
    const template = new k8s.core.v1.ConfigMap(`${name}-task-template`, {
        metadata: { name: taskConfigMapNames(name).template, namespace: i.namespace, labels },
        data: { [taskTemplateMount.file]: templateText },
    }, opts);
    return { taskConfig, template, templateText };
}
