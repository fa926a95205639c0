import { Plan, PlannedResource } from "../../testing";

// A model of what a real `pulumi up` does with a plan, for what no test here can run (no Pulumi
// engine, no Kubernetes cluster). Each rule is a documented fact:
//
// P1 Pulumi starts an operation on a resource only after the operations of everything it depends
//    on (dependsOn and inputs; a component stands for its children) have completed
//    (pulumi docs, "Resource options: dependsOn"; testing/index.ts `transitiveDependencies`).
// P2 Pulumi's Kubernetes provider completes a Deployment/StatefulSet (and their Patch resources)
//    only when the rollout is done and the pods are Ready; a workload with 0 replicas is ready at
//    once (pulumi-kubernetes provider/pkg/await/deployment.go: `specReplicas == 0`;
//    statefulset.go: ready when status replicas equal spec replicas); waiting longer than
//    customTimeouts (default 10 minutes) fails the update.
// K1 A pod is Ready only when its process started; a process that cannot start is restarted by
//    the kubelet and starts once what it needs is there (CrashLoopBackOff retries).
// D1 Every Druid process needs ZooKeeper (discovery and announcements: docs/design/zookeeper.md),
//    unless its configuration says `druid.discovery.type=k8s`: then it needs the Kubernetes API with
//    its Role instead (docs/development/extensions-core/kubernetes.md, "Gotchas": every pod patches
//    its own labels, lists and watches pods, creates and reads the leader-election ConfigMaps;
//    K8sDruidNodeAnnouncer.announce throws "Failed to announce" when the patch is refused, and the
//    process exits). The API server is always there; the Role and RoleBinding are resources of the plan.
// D2 Only the Coordinator and Overlord use the metadata store (docs/design/metadata-storage.md).
// D3 A Broker cannot start without a reachable Coordinator (BrokerViewOfCoordinatorConfig.start()
//    throws "Failed to initialize coordinator dynamic config"), and with basic security every other
//    service polls the Coordinator for users and permissions at start
//    (CoordinatorPollingBasicAuthenticatorCacheManager).
// Z1 A ZooKeeper server is Ready (srvr Mode leader/follower) only inside a quorum: with
//    OrderedReady pod management the second server is never created, so a multi-server ensemble
//    needs Parallel (Kubernetes docs, "Pod Management Policies").

type Kind = "coordinator" | "overlord" | "broker" | "router" | "historical" | "middleManager" | "indexer" | "zookeeper";

const workloadTypes = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"];
const patchTypes = ["kubernetes:apps/v1:DeploymentPatch", "kubernetes:apps/v1:StatefulSetPatch"];
const rdsType = "aws:rds/instance:Instance";
const rbacTypes = ["kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"];

/** How the plan's Druid processes coordinate, read from the rendered common.runtime.properties (D1). */
export function coordinationOf(plan: Plan): "zookeeper" | "kubernetes" {
    const common = plan.ofType("kubernetes:core/v1:ConfigMap").map((r) => at(r.inputs, "data", "common.runtime.properties")).find((t): t is string => typeof t === "string");
    if (common === undefined) throw new Error("no common.runtime.properties in the plan (a preview plan? the model needs update mode)");
    return /^druid\.discovery\.type=k8s$/m.test(common) ? "kubernetes" : "zookeeper";
}

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

/** A Druid or ZooKeeper workload, with the resource that gives it its pods. */
export interface ModelService {
    kind: Kind;
    workload: PlannedResource;
    /** The replica patch that scales it, when it is created with none. */
    patch?: PlannedResource;
    replicas: number;
}

export function kindOf(r: PlannedResource): Kind | undefined {
    const labels = at(r.inputs, "metadata", "labels") as Record<string, string> | undefined;
    if (labels?.["app.kubernetes.io/component"] === "zookeeper") return "zookeeper";
    return labels?.["druid.apache.org/service"] as Kind | undefined;
}

/** The workloads of a plan and their replica patches. */
export function servicesOf(plan: Plan): ModelService[] {
    const patches = plan.resources.filter((r) => patchTypes.includes(r.type));
    return plan.resources.filter((r) => workloadTypes.includes(r.type) && kindOf(r) !== undefined).map((workload) => {
        const name = at(workload.inputs, "metadata", "name");
        const patch = patches.find((p) => at(p.inputs, "metadata", "name") === name);
        const own = Number(at(workload.inputs, "spec", "replicas"));
        return { kind: kindOf(workload)!, workload, patch, replicas: patch !== undefined ? Number(at(patch.inputs, "spec", "replicas")) : own };
    });
}

/** What a service's processes need running before they can start (D1-D3). */
export function startupNeeds(kind: Kind, auth: boolean, coordination: "zookeeper" | "kubernetes" = "zookeeper"): (Kind | "metadataStore" | "kubernetesApi")[] {
    if (kind === "zookeeper") return [];
    const needs: (Kind | "metadataStore" | "kubernetesApi")[] = [coordination === "kubernetes" ? "kubernetesApi" : "zookeeper"];
    if (kind === "coordinator" || kind === "overlord") needs.push("metadataStore");
    if (kind === "broker" || (auth && kind !== "coordinator")) needs.push("coordinator");
    return needs;
}

export interface CreationResult {
    /** Every resource completed. */
    converged: boolean;
    /** Resources that never complete (a wait that cannot end: Pulumi times out). */
    stuck: string[];
    /** The order in which services first serve. */
    servingOrder: Kind[];
    /** Awaited resources whose needs were not serving when Pulumi started them (they wait on another operation's timing). */
    waitedOnOthers: string[];
}

/**
 * Creation of a plan from nothing (P1, P2, K1, D1-D3, Z1): repeatedly complete every resource whose
 * dependencies completed and, when it is an awaited workload or patch with pods, whose processes'
 * needs serve. A fixed point with resources left is a deadlock: Pulumi would wait out the timeout.
 */
export function simulateCreation(plan: Plan, auth: boolean): CreationResult {
    const services = servicesOf(plan);
    const customs = plan.resources.filter((r) => r.custom);
    const deps = new Map(customs.map((r) => [r.urn, [...plan.transitiveDependencies(r.urn)].filter((u) => plan.byUrnOf(u)?.custom)]));
    const done = new Set<string>();
    const serving = new Set<Kind | "metadataStore" | "kubernetesApi">();
    const coordination = coordinationOf(plan);
    const rbac = plan.resources.filter((r) => rbacTypes.includes(r.type));
    // Without a Role and its binding, a ZooKeeper-less process is refused every call and never starts.
    const grantsApi = () => rbacTypes.every((t) => rbac.some((x) => x.type === t)) && rbac.every((x) => done.has(x.urn));
    const servingOrder: Kind[] = [];
    const waitedOnOthers: string[] = [];
    // A metadata store or ZooKeeper the user brings is already serving.
    if (plan.ofType(rdsType).length === 0) serving.add("metadataStore");
    if (!services.some((s) => s.kind === "zookeeper")) serving.add("zookeeper");
    const serviceOf = (r: PlannedResource) => services.find((s) => s.workload === r || s.patch === r);
    let progress = true;
    while (progress) {
        progress = false;
        for (const r of customs) {
            if (done.has(r.urn) || !deps.get(r.urn)!.every((d) => done.has(d))) continue;
            const svc = serviceOf(r);
            const podsHere = svc !== undefined && (r === svc.patch ? svc.replicas : Number(at(r.inputs, "spec", "replicas"))) > 0;
            if (podsHere) {
                const needsMet = startupNeeds(svc.kind, auth, coordination).every((n) => serving.has(n));
                const quorumPossible = svc.kind !== "zookeeper" || svc.replicas === 1 || at(r.inputs, "spec", "podManagementPolicy") === "Parallel";
                if (!needsMet || !quorumPossible) {
                    if (!waitedOnOthers.includes(r.name)) waitedOnOthers.push(r.name);
                    continue;
                }
                if (!serving.has(svc.kind)) servingOrder.push(svc.kind);
                serving.add(svc.kind);
            }
            if (r.type === rdsType) serving.add("metadataStore");
            done.add(r.urn);
            if (grantsApi()) serving.add("kubernetesApi");
            progress = true;
        }
    }
    const stuck = customs.filter((r) => !done.has(r.urn)).map((r) => `${r.type} ${r.name}`);
    return { converged: stuck.length === 0, stuck, servingOrder, waitedOnOthers: waitedOnOthers.filter((n) => stuck.every((s) => !s.endsWith(` ${n}`))) };
}

/** The old graph, for the model's own negative test: workloads with their full replica counts and no patches. */
export function withoutReplicaPatches(plan: Plan): Plan {
    const services = servicesOf(plan);
    const patchUrns = new Set(services.flatMap((s) => (s.patch ? [s.patch.urn] : [])));
    return new Plan(plan.resources.filter((r) => !patchUrns.has(r.urn)).map((r) => {
        const svc = services.find((s) => s.workload === r);
        if (svc === undefined) return r;
        return { ...r, inputs: { ...r.inputs, spec: { ...(r.inputs.spec as Obj), replicas: svc.replicas } } };
    }));
}

/** Resources whose inputs differ between two plans of the same program (what `pulumi up` would update). */
export function changedResources(before: Plan, after: Plan): PlannedResource[] {
    return after.resources.filter((r) => {
        const old = before.byUrnOf(r.urn);
        return old !== undefined && JSON.stringify(old.inputs) !== JSON.stringify(r.inputs);
    });
}

/**
 * A StatefulSet rolling update of a Historical tier (Kubernetes docs, "Rolling Updates": one pod at
 * a time from the highest ordinal, the next only when the updated pod is Running and Ready;
 * maxUnavailable defaults to 1). Returns, per step, how many pods serve every segment the tier
 * holds: a pod that comes back Ready with an empty cache (emptyDir and no load gate) serves nothing.
 * Segments are on every replica of the tier (`tieredReplicants` = replicas, the worst case).
 */
export function historicalRollout(replicas: number, cacheSurvivesRestart: boolean, readyWaitsForLoad: boolean): number[] {
    const holding = Array.from({ length: replicas }, () => true);
    const serving: number[] = [];
    for (let ordinal = replicas - 1; ordinal >= 0; ordinal--) {
        holding[ordinal] = false; // terminated
        serving.push(holding.filter(Boolean).length);
        // Ready: with its cache on the volume, or after the Coordinator reloaded the tier; else empty.
        holding[ordinal] = cacheSurvivesRestart || readyWaitsForLoad;
    }
    serving.push(holding.filter(Boolean).length);
    return serving;
}
