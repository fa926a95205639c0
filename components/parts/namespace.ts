import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";

/**
 * The cluster's namespace: created with the "restricted" Pod Security Standard when
 * `createNamespace` is set, otherwise the name given. The result is what every namespaced object
 * names (an Output, so that it waits for the Namespace when the component creates it).
 */
export function createNamespace(name: string, plan: Pick<ClusterPlan, "createNamespace" | "namespace">, parent: Parent): pulumi.Output<string> {
    return plan.createNamespace
        ? new k8s.core.v1.Namespace(name, {
            metadata: {
                name: plan.namespace,
                labels: {
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                    "pod-security.kubernetes.io/audit": "restricted",
                    "pod-security.kubernetes.io/warn": "restricted",
                },
            },
        }, parent).metadata.name
        : pulumi.output(plan.namespace);
}
