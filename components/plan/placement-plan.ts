import { Affinity, DisruptionBudget, TopologySpreadConstraint } from "../args";

// Where a service's pods run, as the plan resolves it for k8s/placement.ts.

/** One service's placement and disruption settings, validated (resolve-placement.ts). */
export interface ServicePlacement {
    /** Container requests of the Druid container (the limits are the service's `resources`). */
    requests: { cpu: string; memory: string };
    /** The user's affinity: node and pod affinity as given, pod anti-affinity added to the component's. */
    affinity?: Affinity;
    /** The user's spread constraints, replacing the component's; `labelSelector` defaults to the service's selector. */
    topologySpreadConstraints?: TopologySpreadConstraint[];
    /** The PodDisruptionBudget's counts (maxUnavailable 1 unless given). */
    disruptionBudget: DisruptionBudget;
}
