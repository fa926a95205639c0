// Placement and disruption controls of one Druid service's pods, and the probe, lifecycle and
// security-context fields of a sidecar or init container, re-exported by args.ts. The shapes are
// Kubernetes' own (core/v1 Affinity, TopologySpreadConstraint, Probe, Lifecycle, SecurityContext;
// policy/v1 PodDisruptionBudgetSpec; autoscaling/v2 MetricSpec), as subsets with the same field
// names; int-or-string fields (ports, maxUnavailable) take numbers only, as the schema analyzer has
// no union type. Checked in resolve-placement.ts.

/** A label selector requirement (`key`, `operator` "In", "NotIn", "Exists" or "DoesNotExist", `values`). */
export interface LabelSelectorRequirement {
    /** Label key. */
    key: string;
    /** "In", "NotIn" (with values), "Exists" or "DoesNotExist" (without). */
    operator: string;
    /** Values for "In" and "NotIn". Default: none. */
    values?: string[];
}

/** A Kubernetes label selector. */
export interface LabelSelector {
    /** Labels that must all match. Default: none. */
    matchLabels?: { [key: string]: string };
    /** Requirements that must all hold. Default: none. */
    matchExpressions?: LabelSelectorRequirement[];
}

/** A node selector requirement (`operator` "In", "NotIn", "Exists", "DoesNotExist", "Gt" or "Lt"). */
export interface NodeSelectorRequirement {
    /** Node label key (for `matchFields`: "metadata.name"). */
    key: string;
    /** "In", "NotIn", "Exists", "DoesNotExist", "Gt" or "Lt" ("In" or "NotIn" in `matchFields`). */
    operator: string;
    /** Values: one or more for "In"/"NotIn", none for "Exists"/"DoesNotExist", one whole number for "Gt"/"Lt". Default: none. */
    values?: string[];
}

/** Node requirements that must all hold. */
export interface NodeSelectorTerm {
    /** Requirements on node labels. Default: none. */
    matchExpressions?: NodeSelectorRequirement[];
    /** Requirements on node fields ("metadata.name" only). Default: none. */
    matchFields?: NodeSelectorRequirement[];
}

/** Terms of which at least one must hold. */
export interface NodeSelector {
    /** At least one term. */
    nodeSelectorTerms: NodeSelectorTerm[];
}

/** A weighted node preference. */
export interface PreferredSchedulingTerm {
    /** 1-100. */
    weight: number;
    /** The preferred nodes. */
    preference: NodeSelectorTerm;
}

/** Node affinity of the pods. */
export interface NodeAffinity {
    /** Nodes the pods must run on. Default: none. */
    requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
    /** Nodes the pods prefer. Default: none. */
    preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

/** Pods (matched by `labelSelector` in `namespaces`) the pod must, or must not, share a `topologyKey` domain with. */
export interface PodAffinityTerm {
    /** The other pods. Default: none (no pod). */
    labelSelector?: LabelSelector;
    /** Node label whose value defines the domain, e.g. "kubernetes.io/hostname" or "topology.kubernetes.io/zone". */
    topologyKey: string;
    /** Namespaces of the other pods. Default: the pod's own. */
    namespaces?: string[];
    /** Namespaces of the other pods, by label. Default: none. */
    namespaceSelector?: LabelSelector;
}

/** A weighted pod (anti-)affinity preference. */
export interface WeightedPodAffinityTerm {
    /** 1-100. */
    weight: number;
    /** The term. */
    podAffinityTerm: PodAffinityTerm;
}

/** Pod affinity or anti-affinity. */
export interface PodAffinity {
    /** Terms that must hold. Default: none. */
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    /** Terms preferred. Default: none. */
    preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/**
 * Affinity of one service's pods. `nodeAffinity` and `podAffinity` are yours (the component sets
 * none); `podAntiAffinity` terms are added to the component's own (each service's pods prefer
 * different nodes; the high-availability masters require it).
 */
export interface Affinity {
    /** Node affinity. Default: none. */
    nodeAffinity?: NodeAffinity;
    /** Pod affinity. Default: none. */
    podAffinity?: PodAffinity;
    /** Pod anti-affinity, added to the component's. Default: none besides the component's. */
    podAntiAffinity?: PodAffinity;
}

/** How the pods spread over a topology domain (core/v1 TopologySpreadConstraint). */
export interface TopologySpreadConstraint {
    /** Most pods one domain may have beyond the least loaded, at least 1. */
    maxSkew: number;
    /** Node label whose value defines the domain, e.g. "topology.kubernetes.io/zone". */
    topologyKey: string;
    /** "DoNotSchedule" or "ScheduleAnyway". */
    whenUnsatisfiable: string;
    /** Pods counted. Default: this service's pods (its selector labels). */
    labelSelector?: LabelSelector;
    /** "DoNotSchedule" only: fewest domains counted (at least 1). Default: none. */
    minDomains?: number;
    /** Pod label keys whose values also select the pods counted (e.g. "pod-template-hash"). Default: none. */
    matchLabelKeys?: string[];
    /** "Honor" or "Ignore" the pod's node affinity when counting domains. Default: Kubernetes' ("Honor"). */
    nodeAffinityPolicy?: string;
    /** "Honor" or "Ignore" node taints when counting domains. Default: Kubernetes' ("Ignore"). */
    nodeTaintsPolicy?: string;
}

/** The PodDisruptionBudget of one service (policy/v1): give at most one of the two counts. */
export interface DisruptionBudget {
    /** Pods that may be evicted at once (node drains), 0 or more. Default 1 (when minAvailable is not given); a zone's StatefulSet of a zone-aware group: the zone's pods (docs/zones.md). */
    maxUnavailable?: number;
    /** Pods that must stay available during evictions, 0 or more. Default: none (maxUnavailable 1 applies). */
    minAvailable?: number;
    /** "IfHealthyBudget" or "AlwaysAllow": whether pods not yet Ready may be evicted regardless of the budget. Default: Kubernetes' ("IfHealthyBudget"). */
    unhealthyPodEvictionPolicy?: string;
}

/** What a platform team sets on where one service's pods run and how they may be disrupted. */
export interface PlacementArgs {
    /** Affinity of the pods, merged with the component's anti-affinity (see `Affinity`). Default: the component's only. */
    affinity?: Affinity;
    /**
     * Topology spread of the pods, replacing the component's (with more than one replica: spread over
     * zones and nodes, maxSkew 1, ScheduleAnyway). `[]` removes it. Default: the component's.
     */
    topologySpreadConstraints?: TopologySpreadConstraint[];
    /** The service's PodDisruptionBudget. Default: maxUnavailable 1. */
    disruptionBudget?: DisruptionBudget;
}

/** A metric target (autoscaling/v2 MetricTarget): give the field its `type` names. */
export interface MetricTarget {
    /** "Utilization" (resource metrics only), "AverageValue" or "Value" (external metrics only). */
    type: string;
    /** "Utilization": percent of the pods' request, 1 or more. */
    averageUtilization?: number;
    /** "AverageValue": a quantity per pod ("500m", "2Gi", "100"). */
    averageValue?: string;
    /** "Value": a quantity for the whole metric. */
    value?: string;
}

/** A metric of a custom or external metrics API. */
export interface MetricIdentifier {
    /** Metric name. */
    name: string;
    /** Labels that select the series. Default: none. */
    selector?: LabelSelector;
}

/** The pods' CPU or memory. */
export interface ResourceMetricSource {
    /** "cpu" or "memory". */
    name: string;
    /** "Utilization" (percent of the request) or "AverageValue". */
    target: MetricTarget;
}

/** A metric of each pod from the custom metrics API (e.g. through prometheus-adapter). */
export interface PodsMetricSource {
    /** The metric. */
    metric: MetricIdentifier;
    /** "AverageValue". */
    target: MetricTarget;
}

/** A metric from outside the cluster from the external metrics API (e.g. a queue's length). */
export interface ExternalMetricSource {
    /** The metric. */
    metric: MetricIdentifier;
    /** "Value" or "AverageValue". */
    target: MetricTarget;
}

/** One autoscaler metric (autoscaling/v2 MetricSpec, the Resource, Pods and External kinds): set the field its `type` names. */
export interface AutoscalingMetric {
    /** "Resource", "Pods" or "External". */
    type: string;
    /** type "Resource". */
    resource?: ResourceMetricSource;
    /** type "Pods". */
    pods?: PodsMetricSource;
    /** type "External". */
    external?: ExternalMetricSource;
}

/** An HTTP header of a probe's request. */
export interface HttpHeader {
    /** Header name. */
    name: string;
    /** Header value. */
    value: string;
}

/** Run a command in the container. */
export interface ExecAction {
    /** Command and arguments (no shell unless you call one). */
    command: string[];
}

/** An HTTP GET to the container (always the pod's own address: Pod Security refuses another host). */
export interface HttpGetAction {
    /** Path. Default "/". */
    path?: string;
    /** Port number, 1-65535. */
    port: number;
    /** "HTTP" (default) or "HTTPS". */
    scheme?: string;
    /** Request headers. Default: none. */
    httpHeaders?: HttpHeader[];
}

/** A TCP connection to the container's port. */
export interface TcpSocketAction {
    /** Port number, 1-65535. */
    port: number;
}

/** A gRPC health check of the container. */
export interface GrpcAction {
    /** Port number, 1-65535. */
    port: number;
    /** Service name of the health check. Default: the server's. */
    service?: string;
}

/** A container probe (core/v1 Probe): exactly one of exec, httpGet, tcpSocket and grpc. */
export interface Probe {
    /** Run a command. */
    exec?: ExecAction;
    /** HTTP GET. */
    httpGet?: HttpGetAction;
    /** TCP connection. */
    tcpSocket?: TcpSocketAction;
    /** gRPC health check. */
    grpc?: GrpcAction;
    /** Seconds before the first probe. Default 0. */
    initialDelaySeconds?: number;
    /** Seconds between probes. Default 10. */
    periodSeconds?: number;
    /** Seconds a probe may take. Default 1. */
    timeoutSeconds?: number;
    /** Successes in a row that count as success (1 for liveness and startup probes). Default 1. */
    successThreshold?: number;
    /** Failures in a row that count as failure. Default 3. */
    failureThreshold?: number;
}

/** Wait, without a command in the image. */
export interface SleepAction {
    /** Seconds to sleep, 0 or more. */
    seconds: number;
}

/** A lifecycle hook: exactly one of exec, httpGet and sleep. */
export interface LifecycleHandler {
    /** Run a command. */
    exec?: ExecAction;
    /** HTTP GET. */
    httpGet?: HttpGetAction;
    /** Sleep (Kubernetes 1.30 or later). */
    sleep?: SleepAction;
}

/** Lifecycle hooks of a sidecar. */
export interface Lifecycle {
    /** Right after the container starts. Default: none. */
    postStart?: LifecycleHandler;
    /** Before the container is stopped (counts in the pod's termination grace period). Default: none. */
    preStop?: LifecycleHandler;
}

/** Linux capabilities. Pod Security "restricted" allows adding only NET_BIND_SERVICE; ALL is always dropped. */
export interface Capabilities {
    /** Capabilities to add: "NET_BIND_SERVICE" only. Default: none. */
    add?: string[];
    /** Capabilities to drop besides ALL (which the component always drops). Default: ALL. */
    drop?: string[];
}

/** The seccomp profile of a container. */
export interface SeccompProfile {
    /** "RuntimeDefault" (the component's) or "Localhost" (Pod Security "restricted" refuses "Unconfined"). */
    type: string;
    /** "Localhost": the profile's path on the node. */
    localhostProfile?: string;
}

/**
 * A sidecar's or init container's security context, laid over the "restricted" one the component
 * gives it (non-root, no privilege escalation, capabilities ALL dropped, RuntimeDefault seccomp,
 * read-only root filesystem). What Pod Security "restricted" would refuse is refused here.
 */
export interface ContainerSecurityContext {
    /** User id, not 0. Default: the pod's (1000). */
    runAsUser?: number;
    /** Group id. Default: the pod's (1000). */
    runAsGroup?: number;
    /** Must stay true. Default true. */
    runAsNonRoot?: boolean;
    /** Read-only root filesystem; false lets the container write to its image's files. Default true. */
    readOnlyRootFilesystem?: boolean;
    /** Must stay false. Default false. */
    allowPrivilegeEscalation?: boolean;
    /** Must stay false. Default false. */
    privileged?: boolean;
    /** Capabilities. Default: ALL dropped. */
    capabilities?: Capabilities;
    /** Seccomp profile. Default RuntimeDefault. */
    seccompProfile?: SeccompProfile;
}
