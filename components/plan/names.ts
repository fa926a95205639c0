/** Object name of a service's Kubernetes objects. */
export function druidObjectName(cluster: string, key: string): string {
    return `${cluster}-${key}`;
}

/**
 * The leading AWS region of a zone name: "eu-west-1" of "eu-west-1a", "us-gov-west-1" of
 * "us-gov-west-1a", "us-west-2" of the Local Zone "us-west-2-lax-1a" (AWS zone names are the
 * region and a letter, or the region, a location and a letter for Local and Wavelength Zones).
 */
const awsRegionPrefix = /^[a-z]{2}(-[a-z]+)+-[0-9]+(?=[a-z]$|-[a-z0-9])/;

/**
 * The part of a zone's name that names its Kubernetes objects: an AWS zone without its region
 * ("a" for "eu-west-1a", "lax-1a" for "us-west-2-lax-1a"), since every zone of a cluster is in the
 * cluster's region and the Kubernetes names have little room (a StatefulSet at most 52 characters);
 * any other zone name whole. The zone's Druid tier and labels keep the whole name.
 */
export function zoneNameSuffix(zone: string): string {
    const region = awsRegionPrefix.exec(zone);
    return region === null ? zone : zone.slice(region[0].length).replace(/^-/, "");
}

/** Key (hence object names) of one zone's workload in a zone-aware group: "historical-hot-a", "middlemanager-a". */
export function zoneServiceKey(groupKey: string, zone: string): string {
    return `${groupKey}-${zoneNameSuffix(zone)}`;
}

/** The Druid tier (`druid.server.tier`) of one zone of a zone-aware Historical tier: "hot-eu-west-1a". */
export function zoneDruidTier(druidTier: string, zone: string): string {
    return `${druidTier}-${zone}`;
}

/**
 * The Job that applies retention rules, compaction and dynamic configuration inside the cluster
 * (the Pulumi program usually cannot reach the Coordinator): the Druid image's busybox POSTs the
 * requests of dataManagementRequests() as the internal client (components/config/config-applier.ts).
 *
 * - Its name carries a hash of its whole pod spec (the requests, the script, image, environment):
 *   any change makes a Job of another name, which Pulumi creates (deleting the old one first:
 *   deleteBeforeReplace also lets `pulumi up --replace` rerun the same Job); an unchanged
 *   configuration leaves the finished Job alone. The pod template of a Job is immutable, so no
 *   in-place update is ever attempted.
 * - backoffLimit 0: the script retries itself until `applyTimeoutSeconds`; activeDeadlineSeconds
 *   bounds the pod, and the provider's await (pulumi-kubernetes provider/pkg/await/job.go: ready on
 *   the Complete condition, error on Failed) fails the `pulumi up` with the pod's termination
 *   message, which holds the Coordinator's status and answer.
 * - ttlSecondsAfterFinished 7 days: long enough to read a failure; after it, Kubernetes deletes the
 *   Job, and a `pulumi refresh` then forgets it, so the next `up` applies the same state again
 *   (idempotent).
 * - The pod carries the Druid pod labels the `druid-internal` NetworkPolicy admits traffic from, runs
 *   as uid 1000 with the restricted security context and a read-only root, and has no service
 *   account token.
 */
/** Name of the applier's Job: the cluster's, then "config-" and a 10-digit hash of what it does (contentHash). */
export function configApplierJobName(cluster: string, hash: string): string {
    return `${cluster}-config-${hash}`;
}

/**
 * Names of the zone-wave objects (parts/zone-waves.ts): one wave Job per zone of a zone-aware group,
 * named after the cluster and a 10-digit hash of what it does (its zone's StatefulSet, its pod
 * template, the script): a changed template is a Job of another name, which Pulumi creates
 * (deleteBeforeReplace), and an unchanged one leaves the finished Job alone. The length is the
 * applier Job's (cluster + 16), so it stays within the 63 characters of the `job-name` label.
 */
export function zoneWaveNames(cluster: string): { account: string; role: string; script: (hash: string) => string; job: (hash: string) => string } {
    return {
        account: `${cluster}-zone-wave`,
        role: `${cluster}-zone-wave`,
        script: (hash) => `${cluster}-zone-wave-${hash}`,
        job: (hash) => `${cluster}-wave-${hash}`,
    };
}

/** Name of the record Secret (and of its Pulumi resource) of a generation. */
export function passwordRecordName(cluster: string, generation: number): string {
    return `${cluster}-auth-record-${generation}`;
}

/** Name of a claim the StatefulSet controller creates from a claim template (`<template>-<statefulset>-<ordinal>`). */
export function claimName(template: string, statefulSet: string, ordinal: number): string {
    return `${template}-${statefulSet}-${ordinal}`;
}

/** Name of the volume record ConfigMap of a StatefulSet. */
export function volumeRecordName(statefulSet: string): string {
    return `${statefulSet}-volume`;
}

/**
 * The ConfigMaps of the task pods: the Peon's files (mounted by each task pod) and the pod template
 * (mounted by the Overlord as a directory, without subPath, so an update reaches the file: the
 * Overlord reads the template for every task, k8s-jobs.md "Lazy Loading of Pod Templates").
 */
/** Names of the task pods' ConfigMaps: their configuration files, and the Overlord's pod template. */
export function taskConfigMapNames(name: string): { config: string; template: string } {
    return { config: `${name}-task`, template: `${name}-task-template` };
}

/** Object names of the ensemble, derived from the cluster name (also used for the connect string). */
export function zooKeeperNames(cluster: string): { statefulSet: string; headless: string; client: string } {
    return { statefulSet: `${cluster}-zookeeper`, headless: `${cluster}-zookeeper-headless`, client: `${cluster}-zookeeper` };
}

/**
 * The ConfigMaps the leader election locks (DefaultK8sLeaderElectorFactory.createLock: a
 * `ConfigMapLock`; names from K8sDruidLeaderSelectorProvider: `<clusterIdentifier>-leaderelection-
 * coordinator` and `-overlord`, in the pod's namespace). Druid creates them; the Role names them.
 */
export function leaderElectionConfigMaps(clusterIdentifier: string): string[] {
    return [`${clusterIdentifier}-leaderelection-coordinator`, `${clusterIdentifier}-leaderelection-overlord`];
}

/** The Secret of the generated auth values (admin and internal-client passwords, the OIDC cookie passphrase, the LDAP truststore password). */
export function authSecretName(cluster: string): string {
    return `${cluster}-auth`;
}

/** Name of the access Job (and its script's ConfigMap): the cluster's, then "access-" and a 10-digit hash of what it does. */
export function accessApplierJobName(cluster: string, hash: string): string {
    return `${cluster}-access-${hash}`;
}
