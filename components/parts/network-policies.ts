import * as pulumi from "@pulumi/pulumi";
import { createNetworkPolicies, networkPolicyPlans } from "../k8s/network-policies";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";

/** The NetworkPolicies (`network.enabled`, k8s/network-policies.ts), with ZooKeeper's when the component runs the ensemble. */
export function createNetwork(plan: ClusterPlan, namespace: pulumi.Input<string>, parent: Parent): void {
    if (plan.network.enabled) {
        createNetworkPolicies(networkPolicyPlans(plan, plan.coordination === "zookeeper" && plan.zookeeper.external === undefined), namespace, parent);
    }
}
