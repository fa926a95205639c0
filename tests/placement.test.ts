import assert from "node:assert/strict";
import { DruidCluster, DruidClusterArgs } from "../index";
import { Plan, PlannedResource, planProgram, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { everyPlacementField, sidecarArgs } from "./fixtures/platform-args";
import { checkRestricted } from "./support/pod-security-restricted";

// Placement and disruption controls per service (requests below limits, affinity, topology spread,
// PodDisruptionBudget, autoscaler metrics) and the fields a sidecar needs (probes, lifecycle,
// security context), asserted on the objects the component registers.

type Obj = Record<string, unknown>;
interface ContainerSpec { name: string; resources?: { requests?: Obj; limits?: Obj }; readinessProbe?: Obj; livenessProbe?: Obj; startupProbe?: Obj; lifecycle?: Obj; securityContext?: Obj }
interface PodSpec { containers: ContainerSpec[]; initContainers?: ContainerSpec[]; affinity?: Obj; topologySpreadConstraints?: Obj[] }

async function build(args: DruidClusterArgs): Promise<{ plan: Plan; cluster: DruidCluster }> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
    return { plan, cluster: result };
}

const podSpec = (r: PlannedResource): PodSpec => ((r.inputs.spec as Obj).template as { spec: PodSpec }).spec;
const deployment = (plan: Plan, key: string) => plan.get("kubernetes:apps/v1:Deployment", `druid-${key}`);
const statefulSet = (plan: Plan, key: string) => plan.get("kubernetes:apps/v1:StatefulSet", `druid-${key}`);
const selector = (key: string) => ({ "app.kubernetes.io/instance": "druid", "app.kubernetes.io/component": key });

describe("placement and disruption controls", function () {
    this.timeout(120000);

    it("requests below the limits: the container asks for less, Druid is still sized from the limits", async () => {
        const args = defaultArgs();
        args.query = { broker: { resources: { cpu: "2", memory: "8Gi", cpuRequest: "1", memoryRequest: "6Gi" } } };
        const { plan, cluster } = await build(args);
        const druid = podSpec(deployment(plan, "broker")).containers[0];
        assert.deepEqual(druid.resources, { requests: { cpu: "1", memory: "6Gi" }, limits: { cpu: "2", memory: "8Gi" } });
        const { cluster: plain } = await build(defaultArgs());
        const files = await valueOf(cluster.configuration);
        const same = await valueOf(plain.configuration);
        assert.equal(files!.broker["jvm.config"], same!.broker["jvm.config"], "heap and direct memory come from the limit");
        assert.equal(files!.broker["runtime.properties"], same!.broker["runtime.properties"], "thread pools come from the CPU limit");
        // Every other service keeps requests = limits (Guaranteed QoS).
        assert.deepEqual(podSpec(deployment(plan, "router")).containers[0].resources, { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } });
    });

    it("affinity: node and pod affinity are the user's, pod anti-affinity is added to the component's", async () => {
        const args = defaultArgs();
        const nodeAffinity = {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["r7g.4xlarge"] }] }] },
        };
        const zoneApart = { weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { "app.kubernetes.io/component": "historical-cold" } }, topologyKey: "topology.kubernetes.io/zone" } };
        args.data = { historicalTiers: [{ name: "hot", volumeSize: "100Gi", affinity: { nodeAffinity, podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [zoneApart] } } }] };
        args.dataManagement = { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 2 } }] };
        const { plan } = await build(args);
        const affinity = podSpec(statefulSet(plan, "historical-hot")).affinity as { nodeAffinity: unknown; podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: unknown[] } };
        assert.deepEqual(affinity.nodeAffinity, nodeAffinity);
        assert.deepEqual(affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution, [
            { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: selector("historical-hot") }, topologyKey: "kubernetes.io/hostname" } },
            zoneApart,
        ]);
    });

    it("the high-availability masters keep their required anti-affinity when the user adds terms", async () => {
        const args = { ...defaultArgs(), highAvailability: true };
        const extra = { labelSelector: { matchLabels: { team: "batch" } }, topologyKey: "kubernetes.io/hostname" };
        args.master = { coordinator: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [extra] } } } };
        const { plan } = await build(args);
        const anti = (podSpec(deployment(plan, "coordinator")).affinity as { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: unknown[] } }).podAntiAffinity;
        assert.deepEqual(anti.requiredDuringSchedulingIgnoredDuringExecution, [
            { labelSelector: { matchLabels: selector("coordinator") }, topologyKey: "kubernetes.io/hostname" }, extra,
        ]);
    });

    it("topology spread: the user's list replaces the component's, labelSelector defaults to the service's; [] removes it", async () => {
        const args = defaultArgs();
        args.query = {
            broker: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", minDomains: 3 }] },
            router: { topologySpreadConstraints: [] },
        };
        const { plan } = await build(args);
        assert.deepEqual(podSpec(deployment(plan, "broker")).topologySpreadConstraints, [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", minDomains: 3, labelSelector: { matchLabels: selector("broker") } },
        ]);
        assert.deepEqual(podSpec(deployment(plan, "router")).topologySpreadConstraints, []);
        // Untouched services keep the component's two constraints.
        assert.equal(podSpec(statefulSet(plan, "historical-default")).topologySpreadConstraints!.length, 2);
    });

    it("PodDisruptionBudget: minAvailable replaces the default maxUnavailable 1; the eviction policy is passed on", async () => {
        const args = defaultArgs();
        args.data = { ingestion: { replicas: 4, disruptionBudget: { minAvailable: 3, unhealthyPodEvictionPolicy: "AlwaysAllow" } } };
        const { plan } = await build(args);
        assert.deepEqual(plan.get("kubernetes:policy/v1:PodDisruptionBudget", "druid-middlemanager").inputs.spec,
            { minAvailable: 3, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: selector("middlemanager") } });
        assert.deepEqual(plan.get("kubernetes:policy/v1:PodDisruptionBudget", "druid-broker").inputs.spec,
            { maxUnavailable: 1, selector: { matchLabels: selector("broker") } });
    });

    it("autoscaler metrics: memory utilization and a per-pod custom metric replace the CPU target", async () => {
        const args = defaultArgs();
        const metrics = [
            { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
            { type: "Pods", pods: { metric: { name: "druid_query_count_per_second" }, target: { type: "AverageValue", averageValue: "50" } } },
        ];
        args.query = { broker: { autoscaling: { minReplicas: 2, maxReplicas: 8, metrics } }, router: { autoscaling: { minReplicas: 2, maxReplicas: 4 } } };
        const { plan } = await build(args);
        assert.deepEqual((plan.get("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "druid-broker").inputs.spec as Obj).metrics, metrics);
        assert.deepEqual((plan.get("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "druid-router").inputs.spec as Obj).metrics,
            [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }]);
    });
});

describe("sidecars with probes, hooks, security context and requests", function () {
    this.timeout(120000);

    it("the sidecar gets its probes, hook, requests and a security context that stays restricted", async () => {
        const { plan } = await build(sidecarArgs());
        const spec = podSpec(deployment(plan, "broker"));
        const proxy = spec.containers.find((c) => c.name === "proxy")!;
        assert.deepEqual(proxy.resources, { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } });
        assert.deepEqual(proxy.readinessProbe, { httpGet: { path: "/ready", port: 9901 }, periodSeconds: 5 });
        assert.deepEqual(proxy.livenessProbe, { tcpSocket: { port: 9901 }, failureThreshold: 5 });
        assert.deepEqual(proxy.startupProbe, { exec: { command: ["/bin/true"] } });
        assert.deepEqual(proxy.lifecycle, { preStop: { sleep: { seconds: 5 } } });
        assert.deepEqual(proxy.securityContext, {
            allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, runAsNonRoot: true, runAsUser: 101, runAsGroup: 101,
            capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
        });
        assert.equal(spec.initContainers![0].securityContext!.runAsUser, 2000);
        assert.deepEqual(checkRestricted(spec as Parameters<typeof checkRestricted>[0]), []);
    });

    it("every placement field at once: every Druid pod still passes Pod Security \"restricted\"", async () => {
        const { plan } = await build(everyPlacementField());
        const workloads = [...plan.ofType("kubernetes:apps/v1:Deployment"), ...plan.ofType("kubernetes:apps/v1:StatefulSet")];
        assert.ok(workloads.length >= 6);
        for (const w of workloads) assert.deepEqual(checkRestricted(podSpec(w) as Parameters<typeof checkRestricted>[0]), [], w.name);
        assert.deepEqual(podSpec(statefulSet(plan, "middlemanager")).containers[0].resources, { requests: { cpu: "4", memory: "12Gi" }, limits: { cpu: "4", memory: "16Gi" } });
    });
});
