import * as pulumi from "@pulumi/pulumi";
import { DeepStorage } from "../aws/deep-storage";
import { standardLabels } from "../k8s/pod-spec";
import { discoveryGrants, kubernetesJobsGrants } from "../k8s/rbac";
import { createServiceAccounts, ServiceAccounts } from "../k8s/service-accounts";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";

/** The Druid service account, and the Overlord's own when it runs tasks as Jobs, with their Roles (k8s/service-accounts.ts). */
export function createAccounts(name: string,
    plan: Pick<ClusterPlan, "serviceAccountName" | "overlordServiceAccountName" | "deepStorage" | "coordination" | "taskPods" | "kubernetes" | "druidVersion">,
    namespace: pulumi.Input<string>, deepStorage: DeepStorage, parent: Parent): ServiceAccounts {
    return createServiceAccounts(name, {
        namespace,
        name: plan.serviceAccountName,
        overlordName: plan.overlordServiceAccountName,
        roleArn: plan.deepStorage.accessMode === "irsa" ? deepStorage.roleArn.apply((a) => a ?? "") : undefined,
        // IRSA and Pod Identity need the token; so do discovery through the Kubernetes API and an
        // Overlord that runs tasks as Jobs (both call the API server with it).
        automountToken: plan.deepStorage.accessMode !== "staticKeys" || plan.coordination === "kubernetes" || plan.taskPods !== undefined,
        everyPodGrants: plan.kubernetes !== undefined ? discoveryGrants(plan.kubernetes.clusterIdentifier) : [],
        overlordGrants: plan.taskPods !== undefined ? kubernetesJobsGrants() : [],
        labels: standardLabels(name, "druid", plan.druidVersion),
    }, parent);
}
