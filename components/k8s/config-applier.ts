import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Scheduling } from "../args";
import { applierTerminationLog, configApplierScript } from "../config/config-applier";
import { contentHash, DataManagementPlan, dataManagementRequests } from "../config/data-management";
import { SecretEnv } from "./druid-service";
import { mapInput } from "../core/validate-input";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, scheduling, standardLabels } from "./pod-spec";
import { configApplierJobName } from "../plan/names";
export { configApplierJobName } from "../plan/names";

/** What the applier Job is built from. */
export interface ConfigApplierInputs {
    cluster: string;
    namespace: pulumi.Input<string>;
    plan: DataManagementPlan;
    image: string;
    druidVersion: string;
    /** Base URLs of the Coordinator and Overlord Services (the Coordinator's when it runs the Overlord). */
    coordinatorUrl: string | pulumi.Output<string>;
    overlordUrl: string | pulumi.Output<string>;
    auth: boolean;
    /** The internal client's password (DRUID_INTERNAL_CLIENT_PASSWORD), as the Druid pods get it. */
    secretEnv: SecretEnv[];
    scheduling?: Scheduling;
    /** The Coordinator (and Overlord) up: the Job starts after them. */
    after: pulumi.Resource[];
}

/** Where the Job's pod mounts its script's ConfigMap, and the script's key there. */
export const applierScriptDir = "/etc/druid-config-applier";
export const applierScriptFile = "apply.sh";

/** uid/gid of the `druid` user of the image, as the Druid pods run. */
const druidUid = 1000;

/** Seconds Kubernetes keeps a finished Job (and its pod's logs and termination message) before deleting it. */
export const applierTtlSeconds = 7 * 24 * 3600;

/** The component label of the applier's pod (with the Druid labels the `druid-internal` NetworkPolicy selects). */
export const applierComponent = "config-applier";

/** What an applier Job (the data-management or the access one) is built from. */
export interface ApplierJobInputs {
    cluster: string;
    namespace: pulumi.Input<string>;
    image: string;
    druidVersion: string;
    /** The pod's component label. */
    component: string;
    /** The Job's (and its script ConfigMap's) name from the hash of what it does. */
    jobName: (hash: string) => string;
    /** The script; an Output when it holds the namespace of another resource's output. */
    script: string | pulumi.Output<string>;
    /** Seconds the script retries; the Job's activeDeadlineSeconds adds 120. */
    deadlineSeconds: number;
    /** Environment variables from Secrets (the internal client's password, basic accounts' passwords). */
    secretEnv: SecretEnv[];
    scheduling?: Scheduling;
    /** The Coordinator (and Overlord) up: the Job starts after them. */
    after: pulumi.Resource[];
}

export function createConfigApplier(name: string, inputs: ConfigApplierInputs, opts: pulumi.CustomResourceOptions): k8s.batch.v1.Job {
    // The URLs hold the namespace, which may be another resource's output: the script (and the Job
    // name's hash of it) are then built when it resolves.
    const urls: [string, string] | pulumi.Output<[string, string]> = pulumi.Output.isInstance(inputs.coordinatorUrl) || pulumi.Output.isInstance(inputs.overlordUrl)
        ? pulumi.all([inputs.coordinatorUrl, inputs.overlordUrl]) : [inputs.coordinatorUrl, inputs.overlordUrl];
    const script = mapInput(urls, ([coordinatorUrl, overlordUrl]) => configApplierScript({
        requests: dataManagementRequests(inputs.plan),
        coordinatorUrl,
        overlordUrl,
        auth: inputs.auth,
        deadlineSeconds: inputs.plan.applyTimeoutSeconds,
        comment: `DruidCluster ${inputs.cluster}`,
    }));
    return createApplierJob(name, {
        cluster: inputs.cluster, namespace: inputs.namespace, image: inputs.image, druidVersion: inputs.druidVersion, component: applierComponent,
        jobName: (hash) => configApplierJobName(inputs.cluster, hash), script, deadlineSeconds: inputs.plan.applyTimeoutSeconds,
        secretEnv: inputs.secretEnv, scheduling: inputs.scheduling, after: inputs.after,
    }, opts);
}

/**
 * A Job that runs a script once with the busybox of the Druid image, as the image's `druid` user
 * under the restricted Pod Security Standard, from an immutable ConfigMap of the Job's name. The
 * name holds a hash of everything the Job does, so a change is a new Job (which runs again) and an
 * unchanged one stays as it is.
 */
export function createApplierJob(name: string, inputs: ApplierJobInputs, opts: pulumi.CustomResourceOptions): k8s.batch.v1.Job {
    const labels = standardLabels(inputs.cluster, inputs.component, inputs.druidVersion);
    const resources = { requests: { cpu: "50m", memory: "32Mi" }, limits: { cpu: "200m", memory: "64Mi" } };
    const image = `${inputs.image}:${inputs.druidVersion}`;
    const activeDeadlineSeconds = inputs.deadlineSeconds + 120;
    const built = mapInput(inputs.script, (script) => ({ script, hash: contentHash(JSON.stringify({
        script, image, labels, resources, activeDeadlineSeconds,
        env: inputs.secretEnv.map((e) => [e.name, e.key]), scheduling: inputs.scheduling ?? null,
    })) }));
    const script = mapInput(built, (b) => b.script);
    const jobName = mapInput(built, (b) => inputs.jobName(b.hash));
    const timeout = `${Math.ceil(activeDeadlineSeconds / 60) + 5}m`;
    // The script (with every request body) is a file of a ConfigMap of the Job's name, not an
    // argument of `sh -c`: Linux refuses one exec argument above MAX_ARG_STRLEN (131,072 bytes,
    // "Argument list too long"), which a few hundred rules reach; a ConfigMap holds up to 1 MiB,
    // which parts/applier-fits.ts checks. Immutable: a new script is a new name.
    const scriptMap = new k8s.core.v1.ConfigMap(`${name}-script`, {
        metadata: { name: jobName, namespace: inputs.namespace, labels },
        immutable: true,
        data: { [applierScriptFile]: script },
    }, opts);
    return new k8s.batch.v1.Job(name, {
        metadata: { name: jobName, namespace: inputs.namespace, labels },
        spec: scriptJobSpec({
            labels, activeDeadlineSeconds, ttlSecondsAfterFinished: applierTtlSeconds, scheduling: inputs.scheduling, image, containerName: "apply",
            scriptDir: applierScriptDir, scriptFile: applierScriptFile, scriptConfigMap: scriptMap.metadata.name, resources,
            env: inputs.secretEnv.map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } } })),
        }),
    }, { ...opts, dependsOn: inputs.after, deleteBeforeReplace: true, customTimeouts: { create: timeout, update: timeout } });
}

/** What a Job that runs one script of a ConfigMap with the Druid image's busybox is made of (the applier, the zone waves). */
export interface ScriptJob {
    labels: Record<string, string>;
    /** Extra pod-template annotations. */
    annotations?: Record<string, pulumi.Input<string>>;
    activeDeadlineSeconds: number;
    ttlSecondsAfterFinished: number;
    /** Default: the namespace's default account (with no token mounted). */
    serviceAccountName?: pulumi.Input<string>;
    scheduling?: Scheduling;
    image: string;
    containerName: string;
    scriptDir: string;
    scriptFile: string;
    scriptConfigMap: pulumi.Input<string>;
    env: k8s.types.input.core.v1.EnvVar[];
    /** More volumes and where the container mounts them. */
    extraVolumes?: { volume: k8s.types.input.core.v1.Volume; mount: k8s.types.input.core.v1.VolumeMount }[];
    resources: k8s.types.input.core.v1.ResourceRequirements;
}

/**
 * The spec of a script Job: backoffLimit 0 (the script retries by itself), its pod never restarted,
 * no automounted token, uid 1000 with the restricted security context, the script's outcome in the
 * termination message (what Pulumi's Job await reports when the Job fails).
 */
export function scriptJobSpec(o: ScriptJob): k8s.types.input.batch.v1.JobSpec {
    return {
        backoffLimit: 0,
        activeDeadlineSeconds: o.activeDeadlineSeconds,
        ttlSecondsAfterFinished: o.ttlSecondsAfterFinished,
        template: {
            metadata: { labels: o.labels, ...(o.annotations !== undefined ? { annotations: o.annotations } : {}) },
            spec: {
                restartPolicy: "Never",
                ...(o.serviceAccountName !== undefined ? { serviceAccountName: o.serviceAccountName } : {}),
                automountServiceAccountToken: false,
                securityContext: restrictedPodSecurityContext(druidUid, druidUid),
                ...scheduling(o.scheduling),
                volumes: [{ name: "script", configMap: { name: o.scriptConfigMap } }, ...(o.extraVolumes ?? []).map((v) => v.volume)],
                containers: [{
                    name: o.containerName,
                    image: o.image,
                    command: ["/bin/sh", `${o.scriptDir}/${o.scriptFile}`],
                    volumeMounts: [{ name: "script", mountPath: o.scriptDir, readOnly: true }, ...(o.extraVolumes ?? []).map((v) => v.mount)],
                    env: o.env,
                    resources: o.resources,
                    securityContext: restrictedContainerSecurityContext(),
                    terminationMessagePath: applierTerminationLog,
                    terminationMessagePolicy: "FallbackToLogsOnError",
                }],
            },
        },
    };
}
