import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PolicyPlan } from "../plan/network-policy-plan";
export { PolicyPlan, networkPolicyPlans } from "../plan/network-policy-plan";

/** Creates the NetworkPolicies of `networkPolicyPlans`. */
export function createNetworkPolicies(plans: PolicyPlan[], namespace: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): k8s.networking.v1.NetworkPolicy[] {
    return plans.map((p) => new k8s.networking.v1.NetworkPolicy(p.name, {
        metadata: { name: p.name, namespace },
        spec: { podSelector: { matchLabels: p.podSelector }, policyTypes: ["Ingress"], ingress: p.ingress },
    }, opts));
}
