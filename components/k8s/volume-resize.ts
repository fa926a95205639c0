import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parseBytes } from "../core/quantities";
import { DruidArgumentError } from "../core/errors";
import { claimName, volumeRecordName } from "../plan/names";
export { claimName, volumeRecordName } from "../plan/names";

// Safe volume resizes of the StatefulSets with claims (Historical tiers, MiddleManagers, Indexers).
//
// A StatefulSet's `spec.volumeClaimTemplates` cannot be updated (the API server refuses it) and
// pulumi-kubernetes lists it among the StatefulSet's replace-on-change fields
// (provider/pkg/provider/diff.go, `statefulSet` properties: ".spec.volumeClaimTemplates"): a new
// `volumeSize` would replace the StatefulSet (fixed names: delete before create, the whole tier
// down at once), the retained claims would come back at their old size, and Druid's cache would
// be sized from a disk it does not have. Instead:
//
// 1. The StatefulSet ignores its claim template (`ignoreChanges: ["spec.volumeClaimTemplates"]`):
//    it is never replaced for a size change; its template keeps the creation-time size.
// 2. Every claim `<template>-<statefulset>-<ordinal>` (the names the StatefulSet controller
//    gives its claims), ordinals 0..replicas-1, has a `PersistentVolumeClaimPatch` with the
//    requested size: a server-side apply (pulumi-kubernetes creates Patch resources with an apply
//    PATCH, provider/pkg/await/await.go: "we always send a PATCH request during creates with SSA
//    enabled ... we currently always upsert the object"). On an existing claim it raises
//    `spec.resources.requests.storage`, which Kubernetes expands in place when the claim's
//    StorageClass has `allowVolumeExpansion: true` (and refuses otherwise, failing the update
//    before Druid's configuration changes). On a claim that does not exist yet (a new cluster, or
//    ordinals added by raising `replicas`) it creates the claim at the requested size, with the
//    template's access mode and class, and the StatefulSet controller uses an existing claim of
//    the expected name. So a scaled-up tier never gets claims at the template's old size.
// 3. Druid's configuration (`druid.server.maxSize`, `druid.segmentCache.locations`) waits for
//    the claim patches: the service's ConfigMap, and so the StatefulSet's rollout, change only
//    after every claim took the new size.
// 4. A shrink or a storage-class change is refused before anything changes, against a record: a
//    ConfigMap `<statefulset>-volume` created with the size and class, whose `data` Pulumi never
//    updates (`ignoreChanges`, as the password record in password-record.ts), so its outputs
//    keep what the claims were given; see `recordVolume` for how a grow moves it forward.

/** Annotations on the record that carry the requested size and class (see `recordVolume`). */
export const requestedVolumeAnnotations = { size: "druid.apache.org/requested-volume-size", storageClass: "druid.apache.org/requested-storage-class" } as const;

/** What a service asks of its claims. */
export interface VolumeRequest {
    /** Argument path of the volume's owner, e.g. "data.historicalTiers[0]" or "data.ingestion". */
    argument: string;
    /** Quantity as given ("200Gi"). */
    size: string;
    /** Storage class; undefined is the cluster's default class (recorded as ""). */
    storageClass?: string;
    /** What to do instead of a shrink or a class change, for the error. */
    remedy: "historical" | "ingestion";
}

/** The record's `data` for a request. */
export function volumeRecordData(request: Pick<VolumeRequest, "size" | "storageClass">): Record<string, string> {
    return { size: request.size, storageClass: request.storageClass ?? "" };
}

function classLabel(storageClass: string): string {
    return storageClass === "" ? "the cluster's default class" : JSON.stringify(storageClass);
}

/**
 * Compares a request with the recorded size and class; throws a DruidArgumentError for a shrink or
 * a class change, saying what to do instead. `recorded` is the record ConfigMap's `data` output
 * (undefined: nothing recorded, which cannot happen for a record made by this code).
 */
export function checkVolumeChange(recorded: Record<string, string> | undefined, request: VolumeRequest, statefulSet: string): void {
    if (recorded?.size === undefined) return;
    const record = volumeRecordName(statefulSet);
    const requestedClass = request.storageClass ?? "";
    const recordedClass = recorded.storageClass ?? "";
    const instead = request.remedy === "historical"
        ? "add a new Historical tier (a new name) with the volume you want, let the Coordinator load its segments (load rules naming the new tier), " +
          "then remove the old tier from data.historicalTiers"
        : "this is scratch space for running tasks: keep the current volumes, or, in a quiet period with no task running, scale the workers away and " +
          `delete their claims and the record ConfigMap ${record} by hand, then run pulumi up`;
    if (requestedClass !== recordedClass) {
        throw new DruidArgumentError(`${request.argument}.storageClass`, request.storageClass ?? null,
            `the claims of StatefulSet ${statefulSet} were created with ${classLabel(recordedClass)} (recorded in ConfigMap ${record}), ` +
            `and Kubernetes cannot change a claim's storage class (it would take replacing the StatefulSet, with every pod of it down at once). ` +
            `Give back ${recordedClass === "" ? "no storageClass" : JSON.stringify(recordedClass)}; to move to ${classLabel(requestedClass)}, ${instead}.`);
    }
    const recordedBytes = parseBytes(recorded.size, `${request.argument}.volumeSize`);
    const requestedBytes = parseBytes(request.size, `${request.argument}.volumeSize`);
    if (requestedBytes < recordedBytes) {
        throw new DruidArgumentError(`${request.argument}.volumeSize`, request.size,
            `is smaller than ${JSON.stringify(recorded.size)}, the size the claims of StatefulSet ${statefulSet} have (recorded in ConfigMap ${record}): ` +
            `Kubernetes can grow a claim but never shrink it. Give back ${JSON.stringify(recorded.size)} or more; to use smaller volumes, ${instead}.`);
    }
}

/** Where the claims of one StatefulSet are and what they are made of. */
export interface VolumeClaims {
    /** Object name of the StatefulSet. */
    statefulSet: string;
    /** Name of the claim template (and of the pod volume). */
    template: string;
    replicas: number;
    namespace: pulumi.Input<string>;
    /** Labels of the claims and the record (no version label: an upgrade does not touch the claims). */
    labels: Record<string, string>;
    request: VolumeRequest;
}

/**
 * The record of a StatefulSet's claims (size and class), the check of a new request against it,
 * the claim patches, and the patch that moves the record forward once the claims have grown.
 *
 * How the record keeps the last size the claims were given, given that Pulumi only tells a program
 * the previous state of a resource whose inputs did not change:
 * - the record ConfigMap is created with the size and class; its `data` is ignored afterwards, so
 *   Pulumi never writes a new request into it;
 * - after the claim patches succeed, a `ConfigMapPatch` (forced) writes the new size into the
 *   record's `data.size` in the cluster;
 * - the record also carries the requested size and class as annotations, which are not ignored: a
 *   changed request updates the record, and pulumi-kubernetes's server-side-apply update (in
 *   `pulumi preview` too, as a dry run) puts the live value of an ignored field back into the
 *   applied object (provider/pkg/await/await.go, handleSSAIgnoreFields: "set the value of the
 *   field to the last known value applied to the cluster"), so the record's outputs in that run are
 *   the cluster's: the size the last successful grow wrote;
 * - with the request unchanged the record is not updated and its outputs are those of its last
 *   update, at most the size the claims have: the check passes, and the (unchanged) patches change
 *   nothing.
 * So a request is always compared with the live record when it changes: a grow passes and moves it
 * forward (only after the claims grew), a shrink below what the claims have, or another class, fails
 * the preview and the update before any claim or pod is touched.
 *
 * `ready` resolves once every claim patch has completed: the service's configuration waits for it.
 */
export function recordVolume(name: string, v: VolumeClaims, parent: pulumi.Resource): { ready: pulumi.Output<string[]>; checked: pulumi.Output<string>; claims: k8s.core.v1.PersistentVolumeClaimPatch[] } {
    const opts = { parent };
    const recordName = volumeRecordName(v.statefulSet);
    const record = new k8s.core.v1.ConfigMap(`${name}-volume-record`, {
        metadata: {
            name: recordName,
            namespace: v.namespace,
            labels: v.labels,
            annotations: {
                "druid.apache.org/purpose": `size and storage class of the claims of StatefulSet ${v.statefulSet}; a smaller size or another class is refused; do not edit or delete`,
                [requestedVolumeAnnotations.size]: v.request.size,
                [requestedVolumeAnnotations.storageClass]: v.request.storageClass ?? "",
            },
        },
        data: volumeRecordData(v.request),
    }, { ...opts, ignoreChanges: ["data"] });
    // The requested size, available only once it passed the check.
    const checked = record.data.apply((recorded) => {
        checkVolumeChange(recorded, v.request, v.statefulSet);
        return v.request.size;
    });
    const claims = Array.from({ length: v.replicas }, (_, ordinal) => new k8s.core.v1.PersistentVolumeClaimPatch(`${name}-claim-${ordinal}`, {
        metadata: {
            name: claimName(v.template, v.statefulSet, ordinal),
            namespace: v.namespace,
            labels: v.labels,
            annotations: {
                // The size field belongs to the StatefulSet controller, which created the claim.
                "pulumi.com/patchForce": "true",
                // The provider's claim await expects a new claim to be Pending (WaitForFirstConsumer)
                // or Bound; an existing Bound claim "created" as a patch would wait 5 minutes and fail.
                "pulumi.com/skipAwait": "true",
            },
        },
        spec: {
            // Immutable on an existing claim: the same values as the claim template (the record
            // refuses another class), needed when the patch creates the claim.
            accessModes: ["ReadWriteOnce"],
            storageClassName: v.request.storageClass,
            resources: { requests: { storage: checked } },
        },
    }, {
        ...opts,
        dependsOn: [record],
        // Deleting a patch (a tier scaled down, or removed) must not release the size or touch the claim.
        retainOnDelete: true,
    }));
    new k8s.core.v1.ConfigMapPatch(`${name}-volume-record-update`, {
        metadata: { name: recordName, namespace: v.namespace, annotations: { "pulumi.com/patchForce": "true" } },
        data: { size: checked },
    }, { ...opts, dependsOn: [record, ...claims], retainOnDelete: true });
    return { ready: pulumi.all(claims.map((c) => c.urn)), checked, claims };
}
