import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Scheduling } from "../args";
import { contentHash } from "../config/data-management";
import { waveEnv, zoneWaveTokenPath } from "../config/zone-wave";
import { mapInput } from "../core/validate-input";
import { zoneWaveNames } from "../plan/names";
import { ZoneWave, ZoneWaveGroup, zoneWaveLabels } from "../plan/zone-wave-plan";
import { SecretEnv } from "./druid-service";
import { scriptJobSpec } from "./config-applier";
import { standardLabels } from "./pod-spec";
import { createDruidRole, Grant, roleRules } from "./rbac";

// The Kubernetes objects of the zone waves (docs/zones.md "Zone waves"): one service account for
// every wave Job of the cluster, its namespaced Role (the zone StatefulSets and their pods, by
// name), a ClusterRole to read nodes (their zone label; nodes are cluster-scoped, so a Role cannot
// grant them), the script's ConfigMap, and one Job per zone.

/** The component label of the wave Jobs' pods. */
export const zoneWaveComponent = "zone-wave";

/** Where the Job mounts its script, and the script's key. */
export const zoneWaveScriptDir = "/etc/druid-zone-wave";
export const zoneWaveScriptFile = "wave.sh";

/** Lifetime of the Job's projected token: the API server's minimum (600 s); the kubelet renews it at 80 %, and the script reads it before every call. */
export const zoneWaveTokenSeconds = 600;

/**
 * The token volume: a service-account token of `zoneWaveTokenSeconds`, and the namespace's CA bundle
 * (the `kube-root-ca.crt` ConfigMap the root-CA publisher writes into every namespace), used when the
 * Job's image has curl.
 */
export const zoneWaveTokenSources: k8s.types.input.core.v1.VolumeProjection[] = [
    { serviceAccountToken: { path: "token", expirationSeconds: zoneWaveTokenSeconds } },
    { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
];

/** Seconds Kubernetes keeps a finished wave Job (its pod's log and termination message). */
export const zoneWaveTtlSeconds = 7 * 24 * 3600;

const script = "components/config/zone-wave.ts";

/** What the wave script calls, by name where the API allows it: the zone StatefulSets and pods <statefulset>-<ordinal>. */
export function zoneWaveGrants(groups: ZoneWaveGroup[], statefulSetName: (serviceKey: string) => string): Grant[] {
    const waves = groups.flatMap((g) => g.waves);
    const statefulSets = waves.map((w) => statefulSetName(w.serviceKey));
    const pods = waves.flatMap((w) => Array.from({ length: w.replicas }, (_, i) => `${statefulSetName(w.serviceKey)}-${i}`));
    return [
        { apiGroup: "apps", resource: "statefulsets", verb: "get", resourceNames: statefulSets, source: `${script}: GET /apis/apps/v1/namespaces/NS/statefulsets/NAME` },
        { apiGroup: "", resource: "pods", verb: "get", resourceNames: pods, source: `${script}: GET /api/v1/namespaces/NS/pods/NAME` },
        { apiGroup: "", resource: "pods", verb: "delete", resourceNames: pods, source: `${script}: DELETE /api/v1/namespaces/NS/pods/NAME` },
    ];
}

/** The cluster-wide grant: `get` nodes (their names are known only at run time, so no resourceNames). */
export const zoneWaveNodeGrant: Grant = { apiGroup: "", resource: "nodes", verb: "get", source: `${script}: GET /api/v1/nodes/NAME (the label topology.kubernetes.io/zone)` };

/** The wave Jobs' account and its permissions; `ready` holds everything a Job must wait for. */
export function createZoneWaveAccess(cluster: string, namespace: pulumi.Input<string>, grants: Grant[], labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions): { accountName: pulumi.Output<string>; ready: pulumi.Resource[] } {
    const names = zoneWaveNames(cluster);
    const account = new k8s.core.v1.ServiceAccount(names.account, {
        metadata: { name: names.account, namespace, labels },
        automountServiceAccountToken: false,
    }, opts);
    const role = createDruidRole(names.role, namespace, [account.metadata.name], grants, labels, opts);
    // Cluster-scoped: auto-named (Pulumi adds a random suffix), so two clusters of the same name in
    // two namespaces do not collide.
    const clusterRole = new k8s.rbac.v1.ClusterRole(`${names.role}-nodes`, {
        metadata: { labels },
        rules: roleRules([zoneWaveNodeGrant]),
    }, opts);
    const clusterBinding = new k8s.rbac.v1.ClusterRoleBinding(`${names.role}-nodes`, {
        metadata: { labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
    }, opts);
    return { accountName: account.metadata.name, ready: [account, ...role, clusterRole, clusterBinding] };
}

/** The script's ConfigMap: immutable, named after a hash of the script, so a new script is a new object. */
export function createZoneWaveScript(cluster: string, namespace: pulumi.Input<string>, text: string | pulumi.Output<string>, labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions): k8s.core.v1.ConfigMap {
    const name = mapInput(text, (t) => zoneWaveNames(cluster).script(contentHash(t)));
    return new k8s.core.v1.ConfigMap(`${cluster}-zone-wave-script`, {
        metadata: { name, namespace, labels },
        immutable: true,
        data: { [zoneWaveScriptFile]: text },
    }, opts);
}

/** What one zone's wave Job is built from. */
export interface ZoneWaveJobInputs {
    cluster: string;
    namespace: pulumi.Input<string>;
    namespaceName: pulumi.Input<string>;
    group: ZoneWaveGroup;
    wave: ZoneWave;
    /** Name of the zone's StatefulSet. */
    statefulSetName: string;
    /** The zone StatefulSet's pod template as rendered: its hash makes a changed template a new Job. */
    podTemplate: pulumi.Output<k8s.types.output.core.v1.PodTemplateSpec>;
    script: k8s.core.v1.ConfigMap;
    accountName: pulumi.Input<string>;
    image: string;
    druidVersion: string;
    /** The internal client's password (Historicals' load status), as the Druid pods get it. */
    secretEnv: SecretEnv[];
    scheduling?: Scheduling;
    /** The zone's StatefulSet, the previous zone's Job, the account and its permissions. */
    after: pulumi.Input<pulumi.Resource>[];
}

/** Seconds the Job's pod may run: the wave's own deadline, plus two minutes for the pod to start and report. */
export function zoneWaveActiveDeadline(group: ZoneWaveGroup): number {
    return group.waveTimeoutSeconds + 120;
}

/** Pulumi's await of a wave Job (pulumi-kubernetes awaits a Job until Complete, 10 minutes by default): the pod's deadline plus 5 minutes. */
export function zoneWaveAwaitMinutes(group: ZoneWaveGroup): number {
    return Math.ceil(zoneWaveActiveDeadline(group) / 60) + 5;
}

/**
 * One zone's wave Job: backoffLimit 0 (the script retries by itself until the wave's deadline;
 * a failure fails `pulumi up` with its termination message), its name a hash of the zone, the
 * pod template it rolls out and the Job's own spec, so that only a changed template runs it again.
 */
export function createZoneWaveJob(name: string, i: ZoneWaveJobInputs, opts: pulumi.CustomResourceOptions): k8s.batch.v1.Job {
    const labels = { ...standardLabels(i.cluster, zoneWaveComponent, i.druidVersion), [zoneWaveLabels.waveGroup]: i.group.key, [zoneWaveLabels.zone]: i.wave.zone };
    const resources = { requests: { cpu: "20m", memory: "16Mi" }, limits: { cpu: "200m", memory: "64Mi" } };
    const image = i.group.jobImage ?? `${i.image}:${i.druidVersion}`;
    const activeDeadlineSeconds = zoneWaveActiveDeadline(i.group);
    const env = [
        { name: waveEnv.namespace, value: i.namespaceName },
        { name: waveEnv.statefulSet, value: i.statefulSetName },
        { name: waveEnv.replicas, value: String(i.wave.replicas) },
        { name: waveEnv.zone, value: i.wave.zone },
        { name: waveEnv.tier, value: i.wave.druidTier ?? "" },
        { name: waveEnv.timeoutSeconds, value: String(i.group.waveTimeoutSeconds) },
    ];
    const hash = pulumi.all([i.podTemplate, i.script.metadata.name, i.namespaceName]).apply(([template, scriptName, ns]) => contentHash(JSON.stringify({
        template, scriptName, ns, image, labels, resources, activeDeadlineSeconds, wave: i.wave, timeout: i.group.waveTimeoutSeconds,
        secretEnv: i.secretEnv.map((e) => [e.name, e.key]), scheduling: i.scheduling ?? null,
    })));
    const jobName = hash.apply((h) => zoneWaveNames(i.cluster).job(h));
    const timeout = `${zoneWaveAwaitMinutes(i.group)}m`;
    return new k8s.batch.v1.Job(name, {
        metadata: { name: jobName, namespace: i.namespace, labels },
        spec: scriptJobSpec({
            labels, annotations: { "druid.apache.org/zone-wave-hash": hash }, activeDeadlineSeconds, ttlSecondsAfterFinished: zoneWaveTtlSeconds,
            serviceAccountName: i.accountName, scheduling: i.scheduling, image, containerName: "wave",
            scriptDir: zoneWaveScriptDir, scriptFile: zoneWaveScriptFile, scriptConfigMap: i.script.metadata.name, resources,
            env: [...env, ...i.secretEnv.map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } } }))],
            extraVolumes: [{
                volume: { name: "token", projected: { sources: zoneWaveTokenSources } },
                mount: { name: "token", mountPath: zoneWaveTokenPath.slice(0, zoneWaveTokenPath.lastIndexOf("/")), readOnly: true },
            }],
        }),
    }, { ...opts, dependsOn: i.after, deleteBeforeReplace: true, customTimeouts: { create: timeout, update: timeout } });
}
