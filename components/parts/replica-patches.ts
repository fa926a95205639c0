import * as pulumi from "@pulumi/pulumi";
import { DruidService } from "../k8s/druid-service";
import { createReplicaPatch } from "../k8s/replica-patch";
import { ClusterPlan } from "../plan/resolve";
import { startsCluster } from "../plan/rolling-order";

/** The workloads that start the cluster, and the patch that scales each other one up after them. */
export interface ReplicaPatches {
    /** The workloads of the services that start the cluster (rolling-order.ts startsCluster). */
    starters: pulumi.Resource[];
    /** The replica patch of every other service, by key. */
    patches: Map<string, pulumi.CustomResource>;
}

/**
 * Creation: the Coordinator (last wave) starts the cluster; every other workload was created
 * with no pods and is scaled once it is up (rolling-order.ts explains why; k8s/replica-patch.ts).
 */
export function createReplicaPatches(plan: Pick<ClusterPlan, "services">, services: Map<string, DruidService>, namespace: pulumi.Input<string>): ReplicaPatches {
    const starters = plan.services.filter(startsCluster).map((s) => services.get(s.key)!.workload);
    const patches = new Map<string, pulumi.CustomResource>();
    for (const svc of plan.services.filter((s) => !startsCluster(s))) {
        patches.set(svc.key, createReplicaPatch(services.get(svc.key)!, svc, namespace, starters));
    }
    return { starters, patches };
}
