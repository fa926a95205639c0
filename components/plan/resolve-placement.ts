import { AutoscalingMetric, DisruptionBudget, MetricTarget, DruidClusterArgs, LabelSelector, NodeSelectorTerm, PodAffinity, PodAffinityTerm, PodExtrasArgs, Resources, TopologySpreadConstraint } from "../args";
import { ServiceKind } from "./tuning";
import { DruidArgumentError } from "../core/errors";
import { ServicePlacement } from "./placement-plan";
import { PodExtras, podExtrasArgs, refuseWorkerPodKeys } from "./resolve-customization";
import { checkDnsLabel, shapeOf } from "./validate";
import { checkRequests } from "./validate-requests";
import { checkLabels, isQualifiedName } from "./validate-kubernetes";

// Placement and disruption controls of each Druid service (requests, affinity, topology spread,
// PodDisruptionBudget) and the autoscaler's metrics, checked before anything is registered with the
// rules the API server applies to those fields (kubernetes/kubernetes pkg/apis/core/validation/validation.go:
// ValidateNodeSelectorRequirement, ValidateNodeFieldSelectorRequirement, validatePodAffinityTerm,
// validateWeightedPodAffinityTerms, validateTopologySpreadConstraints, ValidateResourceRequirements;
// staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go: ValidateLabelSelectorRequirement;
// pkg/apis/policy/validation/validation.go: ValidatePodDisruptionBudgetSpec ("minAvailable and
// maxUnavailable cannot be both set"); pkg/apis/autoscaling/validation/validation.go:
// validateMetricSpec, validateMetricTarget). Read for this file: the PodDisruptionBudget rule at
// kubernetes/kubernetes@01aa0f3f6052c9866dcb69054d8924fa8c96e3cb:pkg/apis/policy/validation/validation.go:52-53;
// the metric kinds and "must specify a metric source type" of validateMetricSpec (release-1.27
// pkg/apis/autoscaling/validation/validation.go:247-339, as lifted by karmada-io/karmada); the
// texts "exists in both matchLabelKeys and labelSelector" and "Honor"/"Ignore" of
// validateTopologySpreadConstraints, found by code search (no tag). The objects rendered with
// them are also checked against the upstream OpenAPI schema (tests/kubernetes-schema.test.ts).

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function checkObject(argument: string, v: unknown, what: string): Obj {
    if (!isObject(v)) throw new DruidArgumentError(argument, shapeOf(v), `must be ${what}`);
    return v;
}

function checkWeight(argument: string, w: unknown): void {
    if (!Number.isInteger(w) || (w as number) < 1 || (w as number) > 100) throw new DruidArgumentError(argument, w, "must be a whole number from 1 to 100");
}

function checkTopologyKey(argument: string, k: unknown): void {
    if (typeof k !== "string" || !isQualifiedName(k)) {
        throw new DruidArgumentError(argument, k, "must be a node label key such as \"kubernetes.io/hostname\" or \"topology.kubernetes.io/zone\"");
    }
}

function checkList<T>(argument: string, v: T[] | undefined, nonEmpty = false): T[] {
    if (v === undefined) return [];
    if (!Array.isArray(v) || (nonEmpty && v.length === 0)) throw new DruidArgumentError(argument, shapeOf(v), nonEmpty ? "must be a non-empty list" : "must be a list");
    return v;
}

function checkStrings(argument: string, v: unknown): string[] {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new DruidArgumentError(argument, shapeOf(v), "must be a list of strings");
    return v as string[];
}

/** A label selector (meta/v1 ValidateLabelSelector): In/NotIn need values, Exists/DoesNotExist take none. */
export function checkLabelSelector(argument: string, s: LabelSelector | undefined): void {
    if (s === undefined) return;
    checkObject(argument, s, "a label selector { matchLabels, matchExpressions }");
    checkLabels(`${argument}.matchLabels`, s.matchLabels);
    checkList(`${argument}.matchExpressions`, s.matchExpressions).forEach((r, i) => {
        const at = `${argument}.matchExpressions[${i}]`;
        checkObject(at, r, "a requirement { key, operator, values }");
        if (typeof r.key !== "string" || !isQualifiedName(r.key)) throw new DruidArgumentError(`${at}.key`, r.key, "must be a label key");
        const values = checkStrings(`${at}.values`, r.values);
        if (r.operator === "In" || r.operator === "NotIn") {
            if (values.length === 0) throw new DruidArgumentError(`${at}.values`, values, `must be non-empty with operator "${r.operator}"`);
        } else if (r.operator === "Exists" || r.operator === "DoesNotExist") {
            if (values.length > 0) throw new DruidArgumentError(`${at}.values`, values, `must be empty with operator "${r.operator}"`);
        } else {
            throw new DruidArgumentError(`${at}.operator`, r.operator, "must be \"In\", \"NotIn\", \"Exists\" or \"DoesNotExist\"");
        }
    });
}

function checkNodeSelectorTerm(argument: string, t: NodeSelectorTerm): void {
    checkObject(argument, t, "a node selector term { matchExpressions, matchFields }");
    checkList(`${argument}.matchExpressions`, t.matchExpressions).forEach((r, i) => {
        const at = `${argument}.matchExpressions[${i}]`;
        checkObject(at, r, "a requirement { key, operator, values }");
        if (typeof r.key !== "string" || !isQualifiedName(r.key)) throw new DruidArgumentError(`${at}.key`, r.key, "must be a node label key");
        const values = checkStrings(`${at}.values`, r.values);
        switch (r.operator) {
            case "In": case "NotIn":
                if (values.length === 0) throw new DruidArgumentError(`${at}.values`, values, `must be non-empty with operator "${r.operator}"`);
                break;
            case "Exists": case "DoesNotExist":
                if (values.length > 0) throw new DruidArgumentError(`${at}.values`, values, `must be empty with operator "${r.operator}"`);
                break;
            case "Gt": case "Lt":
                if (values.length !== 1 || !/^-?\d+$/.test(values[0])) throw new DruidArgumentError(`${at}.values`, values, `must be one whole number with operator "${r.operator}"`);
                break;
            default:
                throw new DruidArgumentError(`${at}.operator`, r.operator, "must be \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\", \"Gt\" or \"Lt\"");
        }
    });
    checkList(`${argument}.matchFields`, t.matchFields).forEach((r, i) => {
        const at = `${argument}.matchFields[${i}]`;
        checkObject(at, r, "a requirement { key, operator, values }");
        if (r.key !== "metadata.name") throw new DruidArgumentError(`${at}.key`, r.key, "must be \"metadata.name\" (the only node field Kubernetes selects on)");
        if (r.operator !== "In" && r.operator !== "NotIn") throw new DruidArgumentError(`${at}.operator`, r.operator, "must be \"In\" or \"NotIn\" for a node field");
        if (checkStrings(`${at}.values`, r.values).length !== 1) throw new DruidArgumentError(`${at}.values`, shapeOf(r.values), "must hold exactly one node name");
    });
}

function checkPodAffinityTerm(argument: string, t: PodAffinityTerm): void {
    checkObject(argument, t, "a pod affinity term { labelSelector, topologyKey }");
    checkLabelSelector(`${argument}.labelSelector`, t.labelSelector);
    checkTopologyKey(`${argument}.topologyKey`, t.topologyKey);
    checkStrings(`${argument}.namespaces`, t.namespaces).forEach((n, i) => checkDnsLabel(`${argument}.namespaces[${i}]`, n));
    checkLabelSelector(`${argument}.namespaceSelector`, t.namespaceSelector);
}

function checkPodAffinity(argument: string, a: PodAffinity | undefined): void {
    if (a === undefined) return;
    checkObject(argument, a, "an object with requiredDuringSchedulingIgnoredDuringExecution and/or preferredDuringSchedulingIgnoredDuringExecution");
    checkList(`${argument}.requiredDuringSchedulingIgnoredDuringExecution`, a.requiredDuringSchedulingIgnoredDuringExecution)
        .forEach((t, i) => checkPodAffinityTerm(`${argument}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, t));
    checkList(`${argument}.preferredDuringSchedulingIgnoredDuringExecution`, a.preferredDuringSchedulingIgnoredDuringExecution).forEach((w, i) => {
        const at = `${argument}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
        checkObject(at, w, "a weighted term { weight, podAffinityTerm }");
        checkWeight(`${at}.weight`, w.weight);
        checkPodAffinityTerm(`${at}.podAffinityTerm`, w.podAffinityTerm);
    });
}

function checkAffinity(argument: string, a: PlacementValue["affinity"]): void {
    if (a === undefined) return;
    checkObject(argument, a, "an object with nodeAffinity, podAffinity and/or podAntiAffinity");
    const n = a.nodeAffinity;
    if (n !== undefined) {
        checkObject(`${argument}.nodeAffinity`, n, "an object");
        const required = n.requiredDuringSchedulingIgnoredDuringExecution;
        if (required !== undefined) {
            const at = `${argument}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
            checkObject(at, required, "a node selector { nodeSelectorTerms }");
            checkList(`${at}.nodeSelectorTerms`, required.nodeSelectorTerms, true).forEach((t, i) => checkNodeSelectorTerm(`${at}.nodeSelectorTerms[${i}]`, t));
        }
        checkList(`${argument}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`, n.preferredDuringSchedulingIgnoredDuringExecution).forEach((p, i) => {
            const at = `${argument}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
            checkObject(at, p, "a weighted term { weight, preference }");
            checkWeight(`${at}.weight`, p.weight);
            checkNodeSelectorTerm(`${at}.preference`, p.preference);
        });
    }
    checkPodAffinity(`${argument}.podAffinity`, a.podAffinity);
    checkPodAffinity(`${argument}.podAntiAffinity`, a.podAntiAffinity);
}

/** Label keys of every service's selector: a spread constraint's matchLabelKeys may not repeat them (the default labelSelector holds them). */
const selectorKeys = ["app.kubernetes.io/instance", "app.kubernetes.io/component"];

function checkSpread(argument: string, list: TopologySpreadConstraint[] | undefined): TopologySpreadConstraint[] | undefined {
    if (list === undefined) return undefined;
    const seen = new Set<string>();
    return checkList(argument, list).map((c, i) => {
        const at = `${argument}[${i}]`;
        checkObject(at, c, "a constraint { maxSkew, topologyKey, whenUnsatisfiable }");
        if (!Number.isInteger(c.maxSkew) || c.maxSkew < 1) throw new DruidArgumentError(`${at}.maxSkew`, c.maxSkew, "must be a whole number, at least 1");
        checkTopologyKey(`${at}.topologyKey`, c.topologyKey);
        if (c.whenUnsatisfiable !== "DoNotSchedule" && c.whenUnsatisfiable !== "ScheduleAnyway") {
            throw new DruidArgumentError(`${at}.whenUnsatisfiable`, c.whenUnsatisfiable, "must be \"DoNotSchedule\" or \"ScheduleAnyway\"");
        }
        const pair = `${c.topologyKey}/${c.whenUnsatisfiable}`;
        if (seen.has(pair)) throw new DruidArgumentError(at, `${c.topologyKey}, ${c.whenUnsatisfiable}`, "repeats the topologyKey and whenUnsatisfiable of another constraint (Kubernetes refuses the pair twice)");
        seen.add(pair);
        if (c.minDomains !== undefined) {
            if (!Number.isInteger(c.minDomains) || c.minDomains < 1) throw new DruidArgumentError(`${at}.minDomains`, c.minDomains, "must be a whole number, at least 1");
            if (c.whenUnsatisfiable !== "DoNotSchedule") throw new DruidArgumentError(`${at}.minDomains`, c.minDomains, "only applies with whenUnsatisfiable \"DoNotSchedule\"");
        }
        checkLabelSelector(`${at}.labelSelector`, c.labelSelector);
        const given = new Set([...Object.keys(c.labelSelector?.matchLabels ?? (c.labelSelector === undefined ? Object.fromEntries(selectorKeys.map((k) => [k, ""])) : {})),
            ...(c.labelSelector?.matchExpressions ?? []).map((e) => e.key)]);
        checkStrings(`${at}.matchLabelKeys`, c.matchLabelKeys).forEach((k, j) => {
            if (!isQualifiedName(k)) throw new DruidArgumentError(`${at}.matchLabelKeys[${j}]`, k, "must be a label key");
            if (given.has(k)) throw new DruidArgumentError(`${at}.matchLabelKeys[${j}]`, k, "is also a key of the labelSelector (the service's selector by default): Kubernetes refuses a key in both");
        });
        for (const key of ["nodeAffinityPolicy", "nodeTaintsPolicy"] as const) {
            if (c[key] !== undefined && c[key] !== "Honor" && c[key] !== "Ignore") throw new DruidArgumentError(`${at}.${key}`, c[key], "must be \"Honor\" or \"Ignore\"");
        }
        return c;
    });
}

function checkBudget(argument: string, b: DisruptionBudget | undefined): DisruptionBudget {
    if (b === undefined) return {};
    checkObject(argument, b, "an object with maxUnavailable or minAvailable");
    if (b.maxUnavailable !== undefined && b.minAvailable !== undefined) {
        throw new DruidArgumentError(argument, shapeOf(b), "cannot set both maxUnavailable and minAvailable (Kubernetes: \"minAvailable and maxUnavailable cannot be both set\")");
    }
    for (const key of ["maxUnavailable", "minAvailable"] as const) {
        const v = b[key];
        if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 500)) throw new DruidArgumentError(`${argument}.${key}`, v, "must be a whole number from 0 to 500");
    }
    if (b.unhealthyPodEvictionPolicy !== undefined && b.unhealthyPodEvictionPolicy !== "IfHealthyBudget" && b.unhealthyPodEvictionPolicy !== "AlwaysAllow") {
        throw new DruidArgumentError(`${argument}.unhealthyPodEvictionPolicy`, b.unhealthyPodEvictionPolicy, "must be \"IfHealthyBudget\" or \"AlwaysAllow\"");
    }
    return { maxUnavailable: b.maxUnavailable, minAvailable: b.minAvailable, unhealthyPodEvictionPolicy: b.unhealthyPodEvictionPolicy };
}

/** A Kubernetes quantity (apimachinery resource.ParseQuantity: number, then an SI, binary or exponent suffix), above zero. */
const quantityPattern = /^\+?(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/;

function checkQuantity(argument: string, v: unknown): string {
    if (typeof v !== "string" || !quantityPattern.test(v) || !/[1-9]/.test(v.replace(/[eE][+-]?\d+$/, ""))) {
        throw new DruidArgumentError(argument, v, "must be a Kubernetes quantity greater than zero, such as \"500m\", \"2Gi\" or \"100\"");
    }
    return v;
}

function checkTarget(argument: string, t: MetricTarget, allowed: string[]): void {
    checkObject(argument, t, "a target { type, ... }");
    if (!allowed.includes(t.type)) throw new DruidArgumentError(`${argument}.type`, t.type, `must be ${allowed.map((a) => `"${a}"`).join(" or ")} for this metric`);
    const field = t.type === "Utilization" ? "averageUtilization" : t.type === "AverageValue" ? "averageValue" : "value";
    for (const other of ["averageUtilization", "averageValue", "value"] as const) {
        if (other !== field && t[other] !== undefined) throw new DruidArgumentError(`${argument}.${other}`, t[other], `does not apply to target type "${t.type}" (give ${field})`);
    }
    if (field === "averageUtilization") {
        if (!Number.isInteger(t.averageUtilization) || (t.averageUtilization as number) < 1) {
            throw new DruidArgumentError(`${argument}.averageUtilization`, t.averageUtilization, "must be a whole number of percent, at least 1");
        }
    } else {
        checkQuantity(`${argument}.${field}`, t[field]);
    }
}

function checkMetricIdentifier(argument: string, m: { name: string; selector?: LabelSelector }): void {
    checkObject(argument, m, "a metric { name, selector }");
    if (typeof m.name !== "string" || m.name.length === 0) throw new DruidArgumentError(`${argument}.name`, m.name, "must be the metric's name");
    checkLabelSelector(`${argument}.selector`, m.selector);
}

/** The autoscaler's metrics (autoscaling/v2 MetricSpec: Resource, Pods, External), as validateMetricSpec checks them. */
export function checkAutoscalingMetrics(argument: string, metrics: AutoscalingMetric[]): AutoscalingMetric[] {
    return checkList(argument, metrics, true).map((m, i) => {
        const at = `${argument}[${i}]`;
        checkObject(at, m, "a metric { type, resource | pods | external }");
        const kinds = { Resource: "resource", Pods: "pods", External: "external" } as const;
        const field = kinds[m.type as keyof typeof kinds] as "resource" | "pods" | "external" | undefined;
        if (field === undefined) throw new DruidArgumentError(`${at}.type`, m.type, "must be \"Resource\", \"Pods\" or \"External\"");
        for (const other of Object.values(kinds)) {
            if (other !== field && m[other] !== undefined) throw new DruidArgumentError(`${at}.${other}`, shapeOf(m[other]), `does not apply to type "${m.type}" (give ${field})`);
        }
        if (m[field] === undefined) throw new DruidArgumentError(`${at}.${field}`, undefined, `is required with type "${m.type}"`);
        if (field === "resource") {
            const r = m.resource!;
            checkObject(`${at}.resource`, r, "a resource metric { name, target }");
            if (r.name !== "cpu" && r.name !== "memory") throw new DruidArgumentError(`${at}.resource.name`, r.name, "must be \"cpu\" or \"memory\"");
            checkTarget(`${at}.resource.target`, r.target, ["Utilization", "AverageValue"]);
        } else if (field === "pods") {
            checkMetricIdentifier(`${at}.pods.metric`, m.pods!.metric);
            checkTarget(`${at}.pods.target`, m.pods!.target, ["AverageValue"]);
        } else {
            checkMetricIdentifier(`${at}.external.metric`, m.external!.metric);
            checkTarget(`${at}.external.target`, m.external!.target, ["Value", "AverageValue"]);
        }
        return m;
    });
}

type PlacementValue = PodExtrasArgs & { resources?: Resources };

/** Keys of the placement arguments: refused on `data.ingestion` with tasks as Kubernetes Jobs (no pod of its own). */
export const placementKeys = ["affinity", "topologySpreadConstraints", "disruptionBudget"] as const;

/**
 * Every service's placement, by service key. With the autoscaler on a resource's utilization, every
 * sidecar of the service must request that resource: the autoscaler computes utilization from the
 * requests of every container and fails without one (kubernetes/kubernetes
 * pkg/controller/podautoscaler/replica_calculator.go, calculatePodRequests: "missing request for %s
 * in container %s of Pod %s").
 */
export function resolveServicesPlacement(args: DruidClusterArgs,
    services: { key: string; zoneGroup?: string; kind: ServiceKind; resources: Resources; autoscaling?: { metrics?: AutoscalingMetric[] } }[], podExtras: Record<string, PodExtras>): Record<string, ServicePlacement> {
    refuseWorkerPodKeys(args, placementKeys, "place task pods with a Pulumi transform on the task template ConfigMap");
    const out: Record<string, ServicePlacement> = {};
    for (const svc of services) {
        // A zone's workload takes its group's arguments (resolve-zones.ts pins it to its zone afterwards).
        const { argument, extras } = podExtrasArgs(args, svc.zoneGroup ?? svc.key);
        const a: PlacementValue | undefined = extras;
        checkAffinity(`${argument}.affinity`, a?.affinity);
        out[svc.key] = {
            requests: checkRequests(`${argument}.resources`, a?.resources, svc.resources),
            affinity: a?.affinity,
            topologySpreadConstraints: checkSpread(`${argument}.topologySpreadConstraints`, a?.topologySpreadConstraints),
            disruptionBudget: checkBudget(`${argument}.disruptionBudget`, a?.disruptionBudget),
        };
        if (svc.autoscaling !== undefined) {
            const utilization = (svc.autoscaling.metrics ?? [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization" } } }])
                .filter((m) => m.type === "Resource" && m.resource?.target.type === "Utilization").map((m) => m.resource!.name);
            for (const [i, c] of (podExtras[svc.key]?.sidecars ?? []).entries()) {
                const requests = (c.resources as { requests?: Record<string, string> } | undefined)?.requests;
                const missing = utilization.find((r) => requests?.[r] === undefined);
                if (missing !== undefined) {
                    throw new DruidArgumentError(`${argument}.sidecars[${i}].resources`, undefined,
                        `is required: the autoscaler scales ${argument} on ${missing} utilization, which Kubernetes computes from every container's ${missing} request (it fails on a container without one)`);
                }
            }
        }
    }
    return out;
}
