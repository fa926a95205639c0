import * as k8s from "@pulumi/kubernetes";
import { Scheduling, VolumeRetention } from "../args";
export { restrictedPodSecurityContext, restrictedContainerSecurityContext } from "../plan/security-context";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Affinity = k8s.types.input.core.v1.Affinity;
type TopologySpreadConstraint = k8s.types.input.core.v1.TopologySpreadConstraint;

/**
 * Spread replicas over nodes and zones (best effort). With `requiredAcrossNodes` (the
 * high-availability masters) two replicas never share a node: required pod anti-affinity on
 * `kubernetes.io/hostname`, so a node drain or failure takes at most one Coordinator (Overlord).
 */
export function spreadAndAntiAffinity(selector: Record<string, string>, replicas: number, requiredAcrossNodes = false): { affinity: Affinity; topologySpreadConstraints: TopologySpreadConstraint[] } {
    const term = { labelSelector: { matchLabels: selector }, topologyKey: "kubernetes.io/hostname" };
    return {
        affinity: {
            podAntiAffinity: requiredAcrossNodes
                ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
                : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] },
        },
        topologySpreadConstraints: replicas > 1 ? [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
        ] : [],
    };
}

/** Node selector and tolerations from the args, in the Kubernetes shape. */
export function scheduling(args: Scheduling | undefined): Pick<PodSpec, "nodeSelector" | "tolerations"> {
    return {
        nodeSelector: args?.nodeSelector,
        tolerations: args?.tolerations?.map((t) => ({ key: t.key, operator: t.operator ?? "Equal", value: t.value, effect: t.effect })),
    };
}

/** The StatefulSet's PVC retention, set explicitly rather than deleting volumes ourselves. */
export function pvcRetention(policy: VolumeRetention): k8s.types.input.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy {
    return { whenDeleted: policy, whenScaled: policy };
}

/** Kubernetes' recommended labels. */
export function standardLabels(cluster: string, component: string, version: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": component.startsWith("zookeeper") ? "zookeeper" : "druid",
        "app.kubernetes.io/instance": cluster,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/version": version,
        "app.kubernetes.io/managed-by": "pulumi-druid",
    };
}
