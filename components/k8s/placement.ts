import * as k8s from "@pulumi/kubernetes";
import { AutoscalingMetric } from "../args";
import { ServicePlacement } from "../plan/placement-plan";
export { ServicePlacement } from "../plan/placement-plan";

type PodAffinity = k8s.types.input.core.v1.PodAntiAffinity;

/**
 * The pod's affinity and spread: the component's defaults (`defaults`, from spreadAndAntiAffinity)
 * with the user's placement laid over them. Node and pod affinity are the user's; the user's pod
 * anti-affinity terms are added to the component's (the high-availability masters' required term
 * stays); the user's topology spread constraints replace the component's.
 */
export function placePods(defaults: { affinity: k8s.types.input.core.v1.Affinity; topologySpreadConstraints: k8s.types.input.core.v1.TopologySpreadConstraint[] },
    selector: Record<string, string>, p: ServicePlacement | undefined): { affinity: k8s.types.input.core.v1.Affinity; topologySpreadConstraints: k8s.types.input.core.v1.TopologySpreadConstraint[] } {
    if (p === undefined) return defaults;
    const own = (defaults.affinity.podAntiAffinity ?? {}) as PodAffinity;
    const user = p.affinity?.podAntiAffinity;
    const required = [...(own.requiredDuringSchedulingIgnoredDuringExecution as k8s.types.input.core.v1.PodAffinityTerm[] | undefined ?? []),
        ...(user?.requiredDuringSchedulingIgnoredDuringExecution ?? [])];
    const preferred = [...(own.preferredDuringSchedulingIgnoredDuringExecution as k8s.types.input.core.v1.WeightedPodAffinityTerm[] | undefined ?? []),
        ...(user?.preferredDuringSchedulingIgnoredDuringExecution ?? [])];
    return {
        affinity: {
            nodeAffinity: p.affinity?.nodeAffinity,
            podAffinity: p.affinity?.podAffinity,
            podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: required.length > 0 ? required : undefined,
                preferredDuringSchedulingIgnoredDuringExecution: preferred.length > 0 ? preferred : undefined,
            },
        },
        topologySpreadConstraints: p.topologySpreadConstraints === undefined ? defaults.topologySpreadConstraints
            : p.topologySpreadConstraints.map((c) => ({ ...c, labelSelector: c.labelSelector ?? { matchLabels: selector } })),
    };
}

/** The PodDisruptionBudget's spec: the service's selector and the counts (maxUnavailable 1 by default). */
export function disruptionBudgetSpec(selector: Record<string, string>, p: ServicePlacement | undefined): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    const b = p?.disruptionBudget ?? {};
    return {
        ...(b.minAvailable !== undefined ? { minAvailable: b.minAvailable } : { maxUnavailable: b.maxUnavailable ?? 1 }),
        unhealthyPodEvictionPolicy: b.unhealthyPodEvictionPolicy,
        selector: { matchLabels: selector },
    };
}

/** The autoscaler's metrics: the user's list, or CPU utilization at the target. */
export function autoscalingMetrics(a: { targetCpuUtilizationPercent: number; metrics?: AutoscalingMetric[] }): k8s.types.input.autoscaling.v2.MetricSpec[] {
    return a.metrics ?? [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: a.targetCpuUtilizationPercent } } }];
}
