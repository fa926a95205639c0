import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createDruidRole, Grant } from "./rbac";

/** What the Druid service accounts and their Roles are built from. */
export interface ServiceAccountInputs {
    namespace: pulumi.Input<string>;
    /** The account of every Druid pod (and task pod): the one the S3 role trusts. */
    name: string;
    /** The Overlord's own account when it runs tasks as Jobs (also trusted by the S3 role); undefined: none. */
    overlordName?: string;
    /** IRSA: the role ARN annotated on each account. */
    roleArn?: pulumi.Input<string>;
    /** Mount the API token (IRSA, Pod Identity, or a process that calls the Kubernetes API). */
    automountToken: boolean;
    /** Calls every Druid process makes (Kubernetes discovery): bound to both accounts. */
    everyPodGrants: Grant[];
    /** Calls only the Overlord makes (tasks as Jobs): bound to the Overlord's account only. */
    overlordGrants: Grant[];
    labels: Record<string, string>;
}

/** The accounts, and the Roles and bindings the Druid workloads wait for. */
export interface ServiceAccounts {
    druid: k8s.core.v1.ServiceAccount;
    /** The Overlord's account; undefined when it shares the Druid one. */
    overlord?: k8s.core.v1.ServiceAccount;
    rbac: pulumi.Resource[];
}

/**
 * The Druid service account and, when the Overlord runs tasks as Jobs, the Overlord's own: the
 * Role that creates and deletes Jobs (and reads pod logs) is bound to the Overlord's account
 * only, so no Broker, Historical or task pod can start Jobs. Calls every process makes (discovery)
 * are in a Role bound to both.
 */
export function createServiceAccounts(cluster: string, i: ServiceAccountInputs, opts: pulumi.CustomResourceOptions): ServiceAccounts {
    const account = (resourceName: string, accountName: string) => new k8s.core.v1.ServiceAccount(resourceName, {
        metadata: {
            name: accountName,
            namespace: i.namespace,
            annotations: i.roleArn !== undefined ? { "eks.amazonaws.com/role-arn": i.roleArn } : undefined,
        },
        automountServiceAccountToken: i.automountToken,
    }, opts);
    const druid = account(cluster, i.name);
    const overlord = i.overlordName !== undefined ? account(`${cluster}-overlord`, i.overlordName) : undefined;
    const rbac: pulumi.Resource[] = [];
    // Without an Overlord account, the Overlord's calls go with the shared one (and its Role).
    const shared = overlord === undefined ? [...i.everyPodGrants, ...i.overlordGrants] : i.everyPodGrants;
    if (shared.length > 0) {
        const subjects = [druid.metadata.name, ...(overlord !== undefined ? [overlord.metadata.name] : [])];
        rbac.push(...createDruidRole(`${cluster}-druid`, i.namespace, subjects, shared, i.labels, opts));
    }
    if (overlord !== undefined && i.overlordGrants.length > 0) {
        rbac.push(...createDruidRole(`${cluster}-overlord`, i.namespace, [overlord.metadata.name], i.overlordGrants, i.labels, opts));
    }
    return { druid, overlord, rbac };
}
