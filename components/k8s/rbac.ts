import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { leaderElectionConfigMaps } from "../config/kubernetes-native";

/** One permission: an API verb on a resource, and the code that calls it. */
export interface Grant {
    apiGroup: "" | "batch" | "apps";
    resource: string;
    verb: string;
    /** Only these objects (RBAC `resourceNames`); `create` cannot be limited so (Kubernetes RBAC docs, "Referring to resources"). */
    resourceNames?: string[];
    /** The Druid (or client library) source that makes the call. */
    source: string;
}

const discoveryClient = "apache/druid extensions-core/kubernetes-extensions/src/main/java/org/apache/druid/k8s/discovery/DefaultK8sApiClient.java @ 9da484f71071";
const configMapLock = "kubernetes-client/java extended/src/main/java/io/kubernetes/client/extended/leaderelection/resourcelock/ConfigMapLock.java @ 1a090cacde40 " +
    "(the lock DefaultK8sLeaderElectorFactory.createLock builds)";
const peonClient = "apache/druid extensions-core/kubernetes-overlord-extensions/src/main/java/org/apache/druid/k8s/overlord/common/";
const fabric8 = "fabric8io/kubernetes-client kubernetes-client/src/main/java/io/fabric8/kubernetes/client/";

/**
 * What `druid-kubernetes-extensions` calls (every Druid pod, task pods included): it announces a
 * process by JSON-patching its own pod's labels and annotations, discovers the others by listing and
 * watching pods with a label selector, and elects the Coordinator and Overlord leaders on a
 * ConfigMap lock in the namespace.
 */
export function discoveryGrants(clusterIdentifier: string): Grant[] {
    const locks = leaderElectionConfigMaps(clusterIdentifier);
    return [
        { apiGroup: "", resource: "pods", verb: "patch", source: `${discoveryClient}:68 patchPod → coreV1Api.patchNamespacedPod (K8sDruidNodeAnnouncer.announce/unannounce)` },
        { apiGroup: "", resource: "pods", verb: "list", source: `${discoveryClient}:83 listPods → coreV1Api.listNamespacedPod (K8sDruidNodeDiscoveryProvider)` },
        { apiGroup: "", resource: "pods", verb: "watch", source: `${discoveryClient}:116 watchPods → listNamespacedPodCall(watch=true) (K8sDruidNodeDiscoveryProvider)` },
        { apiGroup: "", resource: "configmaps", verb: "create", source: `${configMapLock} create → createNamespacedConfigMap` },
        { apiGroup: "", resource: "configmaps", verb: "get", resourceNames: locks, source: `${configMapLock} get → readNamespacedConfigMap (also K8sLeaderElector.getCurrentLeader)` },
        { apiGroup: "", resource: "configmaps", verb: "update", resourceNames: locks, source: `${configMapLock} update → replaceNamespacedConfigMap` },
    ];
}

/**
 * What `druid-kubernetes-overlord-extensions` calls from the Overlord (the direct client, Druid's
 * default; the experimental shared informers only list and watch the same resources).
 */
export function kubernetesJobsGrants(): Grant[] {
    return [
        { apiGroup: "batch", resource: "jobs", verb: "create", source: `${peonClient}AbstractKubernetesPeonClient.java createK8sJobWithRetries → jobs().resource(job).create()` },
        { apiGroup: "batch", resource: "jobs", verb: "get", source: `${peonClient}DirectKubernetesPeonClient.java getPeonJob → jobs().withName().get(); ${fabric8}dsl/internal/batch/v1/JobOperationsImpl.java doGetLog → requireFromServer()` },
        { apiGroup: "batch", resource: "jobs", verb: "list", source: `${peonClient}DirectKubernetesPeonClient.java getPeonJobs → jobs().withLabel("druid.k8s.peons").list() (re-attaching to running Jobs at start, cleanup)` },
        { apiGroup: "batch", resource: "jobs", verb: "watch", source: `${peonClient}DirectKubernetesPeonClient.java waitForPeonJobCompletion → jobs().withName().waitUntilCondition() (a list+watch informer)` },
        { apiGroup: "batch", resource: "jobs", verb: "delete", source: `${peonClient}AbstractKubernetesPeonClient.java deletePeonJob, deleteCompletedPeonJobsOlderThan → jobs().withName().delete()` },
        { apiGroup: "", resource: "pods", verb: "list", source: `${peonClient}DirectKubernetesPeonClient.java getPeonPod → pods().withLabel("job-name").list(); ${fabric8}utils/internal/PodOperationUtil.java getPodOperationsForController` },
        { apiGroup: "", resource: "pods", verb: "watch", source: `${peonClient}DirectKubernetesPeonClient.java waitForPodResultWithRetries → pods().withName().waitUntilCondition()` },
        { apiGroup: "", resource: "pods/log", verb: "get", source: `${peonClient}AbstractKubernetesPeonClient.java getPeonLogs, getPeonLogWatcher → jobs().withName().inContainer("main").getLogInputStream()/watchLog()` },
        { apiGroup: "", resource: "events", verb: "list", source: `${peonClient}DirectKubernetesPeonClient.java getPeonEvents → v1().events().withInvolvedObject(job).list() (why a Job made no pod)` },
    ];
}

/** The grants as RBAC rules: one rule per API group, resource and resourceNames, verbs in grant order. */
export function roleRules(grants: Grant[]): k8s.types.input.rbac.v1.PolicyRule[] {
    const rules: { apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }[] = [];
    for (const g of grants) {
        const names = g.resourceNames?.join(",");
        const rule = rules.find((r) => r.apiGroups[0] === g.apiGroup && r.resources[0] === g.resource && r.resourceNames?.join(",") === names);
        if (rule === undefined) {
            rules.push({ apiGroups: [g.apiGroup], resources: [g.resource], ...(g.resourceNames !== undefined ? { resourceNames: g.resourceNames } : {}), verbs: [g.verb] });
        } else if (!rule.verbs.includes(g.verb)) {
            rule.verbs.push(g.verb);
        }
    }
    return rules;
}

/**
 * A namespaced Role with exactly `grants` and its RoleBinding to the given service accounts; nothing
 * cluster-wide. Returns both, so workloads can wait for the permissions their processes need.
 */
export function createDruidRole(name: string, namespace: pulumi.Input<string>, serviceAccountNames: pulumi.Input<string>[], grants: Grant[],
    labels: Record<string, string>, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
    const role = new k8s.rbac.v1.Role(name, {
        metadata: { name, namespace, labels },
        rules: roleRules(grants),
    }, opts);
    const binding = new k8s.rbac.v1.RoleBinding(name, {
        metadata: { name, namespace, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: serviceAccountNames.map((n) => ({ kind: "ServiceAccount", name: n, namespace })),
    }, opts);
    return [role, binding];
}
