/**
 * How long `pulumi destroy` waits for a workload to go. The Kubernetes provider deletes a Deployment
 * or StatefulSet with foreground propagation and waits until the object is gone
 * (pulumi/pulumi-kubernetes@v4.9.0:provider/pkg/await/await.go:873-879 deleteResource;
 * provider/pkg/await/awaiters.go:311,354, 600 s unless customTimeouts.delete says otherwise). The
 * object goes once every pod has, and the garbage collector deletes the pods all at once, not one
 * after the other (kubernetes/kubernetes@02830ed24bc1ee4e69245bcb35275f16dcc2b33e:
 * pkg/controller/garbagecollector/garbagecollector.go processDeletingDependentsItem adds every
 * blocking dependent to the attemptToDelete queue in one pass; a Deployment's ReplicaSet is deleted
 * in the foreground in turn, attemptToDeleteItem), so the wait is one termination grace period,
 * whatever the replica count: a MiddleManager draining (900 s) and stopping its tasks (330 s) takes
 * up to 20.5 minutes where the provider gave up after 10.
 */

/** Seconds beyond the grace period: the garbage collector's queue, the kubelet's kill and the API server's final removal. */
export const deleteMarginSeconds = 120;

/** The provider's own default (awaiters.go:311,354), kept as the least. */
const providerDefaultMinutes = 10;

/** customTimeouts.delete of a workload whose pods have `graceSeconds` to stop. */
export function deleteTimeout(graceSeconds: number): string {
    return `${Math.max(providerDefaultMinutes, Math.ceil((graceSeconds + deleteMarginSeconds) / 60))}m`;
}
