import * as k8s from "@pulumi/kubernetes";
import { ClusterPlan } from "./cluster-plan";
import { servicePort, zkPorts, zooKeeperMetricsPort } from "./layout";

type Rule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;

// Who may talk to whom: the plan of the NetworkPolicies k8s/network-policies.ts creates.

/** Who may talk to whom, as data (docs/security.md's table and the tests read it). */
export interface PolicyPlan {
    name: string;
    /** Pods the policy applies to (matchLabels). */
    podSelector: Record<string, string>;
    ingress: Rule[];
}

/**
 * Ingress isolation: ZooKeeper takes clients only from Druid pods and quorum/election traffic
 * only from its peers; Druid pods take traffic only from Druid pods; the Router (and, when asked,
 * the Broker) also from the namespaces and CIDRs the user allows.
 */
export function networkPolicyPlans(plan: ClusterPlan, hasZooKeeper: boolean): PolicyPlan[] {
    const druidPods = { "app.kubernetes.io/instance": plan.name, "app.kubernetes.io/name": "druid" };
    const zkPods = { "app.kubernetes.io/instance": plan.name, "app.kubernetes.io/component": "zookeeper" };
    const fromDruid = { podSelector: { matchLabels: druidPods } };
    const external = [
        ...plan.network.routerAllowedNamespaces.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } })),
        ...plan.network.routerAllowedCidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ];
    const metrics = plan.metrics.emitter === "prometheus" ? [{ port: plan.metrics.prometheusPort, protocol: "TCP" }] : [];
    const policies: PolicyPlan[] = [];
    if (hasZooKeeper) {
        policies.push({
            name: `${plan.name}-zookeeper`,
            podSelector: zkPods,
            ingress: [
                { from: [fromDruid], ports: [{ port: zkPorts.client, protocol: "TCP" }] },
                { from: [{ podSelector: { matchLabels: zkPods } }], ports: [zkPorts.client, zkPorts.quorum, zkPorts.election].map((port) => ({ port, protocol: "TCP" })) },
            ],
        });
    }
    // Every Druid service, Peons' port range included, from other Druid pods.
    policies.push({ name: `${plan.name}-druid-internal`, podSelector: druidPods, ingress: [{ from: [fromDruid] }] });
    if (external.length > 0) {
        policies.push({
            name: `${plan.name}-router-clients`,
            podSelector: { "app.kubernetes.io/instance": plan.name, "app.kubernetes.io/component": "router" },
            ingress: [{ from: external, ports: [{ port: servicePort("router", plan.tls !== undefined), protocol: "TCP" }] }],
        });
        if (plan.network.brokerDirectAccess) {
            policies.push({
                name: `${plan.name}-broker-clients`,
                // Every Broker pod by its kind: the one Broker workload's, or every zone's (zone-local Brokers, resolve-zone-brokers.ts).
                podSelector: { "app.kubernetes.io/instance": plan.name, "druid.apache.org/service": "broker" },
                ingress: [{ from: external, ports: [{ port: servicePort("broker", plan.tls !== undefined), protocol: "TCP" }] }],
            });
        }
    }
    if (metrics.length > 0) {
        // Prometheus scrapes from wherever it runs; only the metrics ports are open to it.
        policies.push({ name: `${plan.name}-metrics`, podSelector: druidPods, ingress: [{ ports: metrics }] });
        if (hasZooKeeper) {
            policies.push({ name: `${plan.name}-zookeeper-metrics`, podSelector: zkPods, ingress: [{ ports: [{ port: zooKeeperMetricsPort, protocol: "TCP" }] }] });
        }
    }
    return policies;
}
