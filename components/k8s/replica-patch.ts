import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServicePlan } from "../plan/resolve";
import { rolloutTimeoutMinutes } from "../plan/rolling-order";
import { DruidService } from "./druid-service";

/**
 * Scales a workload that was created with no pods to its size, once `after` (the Coordinator)
 * is up: a server-side-apply patch of `spec.replicas` only (pulumi-kubernetes Patch resources:
 * "a random FieldManager name will be used for each Patch resource", awaited like the workload
 * itself, and only for SSA mode, the provider's default since v4).
 *
 * - `pulumi.com/patchForce` takes `spec.replicas` over from the workload's own field manager; the
 *   workload ignores `spec.replicas`, and the provider then leaves a field another manager owns
 *   out of its apply (provider/pkg/await/await.go, handleSSAIgnoreFields), so later updates of
 *   the workload never reset the count.
 * - The workload's uid is recorded as an annotation: when the workload is replaced (created again
 *   with no pods), the patch's input changes and it applies again.
 * - retainOnDelete: deleting a patch would release `spec.replicas`; kept, the count stays.
 * - With an autoscaler, the patch only starts the workload at `minReplicas` (an HPA does not scale a
 *   workload at zero); the HPA owns the count after that, so the patch ignores later changes.
 */
export function createReplicaPatch(service: DruidService, plan: ServicePlan, namespace: pulumi.Input<string>, after: pulumi.Resource[]): pulumi.CustomResource {
    const timeout = `${rolloutTimeoutMinutes(plan)}m`;
    const metadata = {
        name: service.workload.metadata.name,
        namespace,
        annotations: {
            "pulumi.com/patchForce": "true",
            "druid.apache.org/replicas-for-uid": service.workload.metadata.uid,
        },
    };
    const opts: pulumi.CustomResourceOptions = {
        parent: service,
        dependsOn: [service.workload, ...after],
        retainOnDelete: true,
        customTimeouts: { create: timeout, update: timeout },
        ignoreChanges: plan.autoscaling !== undefined ? ["spec.replicas"] : undefined,
    };
    const replicas = plan.autoscaling?.minReplicas ?? plan.replicas;
    const name = `${service.workloadName}-replicas`;
    return plan.volume !== undefined
        ? new k8s.apps.v1.StatefulSetPatch(name, { metadata, spec: { replicas } }, opts)
        : new k8s.apps.v1.DeploymentPatch(name, { metadata, spec: { replicas } }, opts);
}
