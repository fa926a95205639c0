import assert from "node:assert/strict";
import { parse } from "yaml";
import { DruidArgumentError, DruidCluster, DruidClusterArgs } from "../index";
import { supportedDruidReleases } from "../components/plan/druid-versions";
import { parseProperties } from "../components/core/properties";
import { discoveryGrants, kubernetesJobsGrants, roleRules } from "../components/k8s/rbac";
import { Plan, planProgram, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { checkRestricted, PodSpecLike } from "./support/pod-security-restricted";

// Plans of the two Kubernetes-native modes, rendered under the mocks in update mode (testing/mocks.ts:
// every input known, so ConfigMap texts and the task pod template are plain values).

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

async function render(args: DruidClusterArgs): Promise<{ plan: Plan; files: Record<string, Record<string, string>> }> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
    const files = await valueOf(result.configuration);
    if (files === undefined) throw new Error("configuration unknown");
    return { plan, files };
}

// Kubernetes discovery with Indexers (MiddleManagers are refused in this mode: their Peons share one pod).
const zooKeeperLess = (): DruidClusterArgs => ({ ...defaultArgs(), coordination: "kubernetes", data: { ingestion: { worker: "indexer" } } });
const jobs = (): DruidClusterArgs => ({ ...defaultArgs(), data: { ingestion: { worker: "kubernetesJobs" } } });
const both = (): DruidClusterArgs => ({ ...defaultArgs(), coordination: "kubernetes", data: { ingestion: { worker: "kubernetesJobs" } } });

const roleType = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const bindingType = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";

function taskTemplate(plan: Plan): { template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: PodSpecLike & Obj } } {
    const cm = plan.get("kubernetes:core/v1:ConfigMap", "druid-task-template");
    return parse(at(cm.inputs, "data", "base.yaml") as string) as ReturnType<typeof taskTemplate>;
}

describe("coordination \"kubernetes\": Druid without ZooKeeper", function () {
    this.timeout(60000);

    it("writes the discovery extension's properties on every process and no ZooKeeper setting but the one turning it off", async () => {
        const { files } = await render(zooKeeperLess());
        const common = parseProperties(files._common["common.runtime.properties"]);
        // apache/druid docs/development/extensions-core/kubernetes.md, "Configuration" and "Properties".
        assert.equal(common["druid.zk.service.enabled"], "false");
        assert.equal(common["druid.discovery.type"], "k8s");
        assert.equal(common["druid.discovery.k8s.clusterIdentifier"], "druid");
        assert.equal(common["druid.serverview.type"], "http");
        assert.equal(common["druid.coordinator.loadqueuepeon.type"], "http");
        assert.ok((JSON.parse(common["druid.extensions.loadList"]) as string[]).includes("druid-kubernetes-extensions"));
        assert.equal(parseProperties(files.overlord["runtime.properties"])["druid.indexer.runner.type"], "httpRemote");
        for (const [service, f] of Object.entries(files)) {
            // druid.zk.service.enabled=false is the extension's own requirement; no other druid.zk.* key.
            for (const text of Object.values(f)) assert.doesNotMatch(text, /^druid\.zk\.(?!service\.enabled=false$)/m, `${service} has a druid.zk.* key`);
        }
    });

    it("leader election: Druid's 60 / 17 / 5 s lease unless set; 15 / 10 / 2 s with highAvailability; the given timing as ISO-8601 durations", async () => {
        // K8sDiscoveryConfig (apache/druid@druid-37.0.0 .../k8s/discovery/K8sDiscoveryConfig.java:71-73, defaults :98-100).
        const keys = ["druid.discovery.k8s.leaseDuration", "druid.discovery.k8s.renewDeadline", "druid.discovery.k8s.retryPeriod"];
        const timing = async (args: DruidClusterArgs) => {
            const common = parseProperties((await render(args)).files._common["common.runtime.properties"]);
            return keys.map((k) => common[k]);
        };
        assert.deepEqual(await timing(zooKeeperLess()), [undefined, undefined, undefined]);
        assert.deepEqual(await timing({ ...zooKeeperLess(), highAvailability: true }), ["PT15S", "PT10S", "PT2S"]);
        assert.deepEqual(await timing({ ...zooKeeperLess(), leaderElection: { leaseDurationSeconds: 30, renewDeadlineSeconds: 20, retryPeriodSeconds: 4 } }),
            ["PT30S", "PT20S", "PT4S"]);
        // One value given, the others from the profile's defaults.
        assert.deepEqual(await timing({ ...zooKeeperLess(), highAvailability: true, leaderElection: { leaseDurationSeconds: 20 } }), ["PT20S", "PT10S", "PT2S"]);
    });

    it("takes a namespace of any DNS-label length with TLS: the discovery label holds a hash of host:port, not the host", async () => {
        // apache/druid#10961 (0.21.0): K8sDruidNodeAnnouncer labels druidDiscoveryAnnouncement-id-hash =
        // hashEncodeStringForLabelValue(host:port), the absolute String.hashCode, at most 10 digits.
        const namespace = "analytics-platform-production-eu-west-1";
        const { files } = await render({ ...zooKeeperLess(), namespace, tls: { certManagerIssuer: "druid-ca" } });
        assert.equal(parseProperties(files._common["common.runtime.properties"])["druid.discovery.k8s.clusterIdentifier"], "druid");
    });

    it("creates no ZooKeeper object: no ensemble, no ZooKeeper NetworkPolicy; the connect string output is empty", async () => {
        const { plan } = await planProgram(() => new DruidCluster("druid", zooKeeperLess()), { preview: false, config: { "aws:region": "eu-west-1" } });
        const zk = plan.resources.filter((r) => /zookeeper/i.test(r.name) || JSON.stringify(r.inputs).includes("\"zookeeper\""));
        assert.deepEqual(zk.map((r) => `${r.type} ${r.name}`), []);
        assert.deepEqual(plan.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.name).sort(), ["druid-druid-internal", "druid-metrics"]);
        const { result } = await planProgram(() => new DruidCluster("druid", zooKeeperLess()), { preview: false });
        assert.equal(await valueOf(result.zookeeperConnectString), "");
    });

    it("gives every Druid pod its name and namespace from the downward API, and mounts the service account token", async () => {
        // Static S3 keys: the one access mode that turned the token off before.
        const { plan } = await render({ ...zooKeeperLess(), deepStorage: { accessMode: "staticKeys" } });
        assert.equal(at(plan.get("kubernetes:core/v1:ServiceAccount", "druid").inputs, "automountServiceAccountToken"), true);
        const workloads = [...plan.ofType("kubernetes:apps/v1:Deployment"), ...plan.ofType("kubernetes:apps/v1:StatefulSet")];
        assert.equal(workloads.length, 6);
        for (const w of workloads) {
            const env = at(w.inputs, "spec", "template", "spec", "containers", 0, "env") as { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
            assert.equal(env.find((e) => e.name === "POD_NAME")?.valueFrom?.fieldRef?.fieldPath, "metadata.name", w.name);
            assert.equal(env.find((e) => e.name === "POD_NAMESPACE")?.valueFrom?.fieldRef?.fieldPath, "metadata.namespace", w.name);
            // The announcer JSON-patches /metadata/labels/… and /metadata/annotations/…, which must exist (kubernetes.md, "Gotchas").
            assert.ok(Object.keys(at(w.inputs, "spec", "template", "metadata", "labels") as Obj).length > 0);
            assert.ok(Object.keys(at(w.inputs, "spec", "template", "metadata", "annotations") as Obj).length > 0);
        }
        // The default (ZooKeeper) with static keys still keeps the token away from the pods.
        const { plan: zk } = await render({ ...defaultArgs(), deepStorage: { accessMode: "staticKeys" } });
        assert.equal(at(zk.get("kubernetes:core/v1:ServiceAccount", "druid").inputs, "automountServiceAccountToken"), false);
    });

    it("grants exactly the discovery extension's API calls, in a namespaced Role bound to the Druid service account; nothing cluster-wide", async () => {
        const { plan } = await render(zooKeeperLess());
        assert.equal(plan.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").length + plan.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").length, 0);
        const role = plan.get(roleType, "druid-druid");
        assert.equal(at(role.inputs, "metadata", "namespace"), "druid");
        assert.deepEqual(at(role.inputs, "rules"), [
            { apiGroups: [""], resources: ["pods"], verbs: ["patch", "list", "watch"] },
            { apiGroups: [""], resources: ["configmaps"], verbs: ["create"] },
            { apiGroups: [""], resources: ["configmaps"], resourceNames: ["druid-leaderelection-coordinator", "druid-leaderelection-overlord"], verbs: ["get", "update"] },
        ]);
        const binding = plan.get(bindingType, "druid-druid");
        assert.deepEqual(at(binding.inputs, "roleRef"), { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "druid-druid" });
        assert.deepEqual(at(binding.inputs, "subjects"), [{ kind: "ServiceAccount", name: "druid", namespace: "druid" }]);
    });

    it("each granted verb names the source that calls it", () => {
        const table = [...discoveryGrants("druid"), ...kubernetesJobsGrants()].map((g) => `${g.apiGroup || "core"}/${g.resource} ${g.verb}: ${g.source}`);
        const expected: [string, RegExp][] = [
            ["core/pods patch", /DefaultK8sApiClient\.java @ \w+:68 patchPod → coreV1Api\.patchNamespacedPod/],
            ["core/pods list", /DefaultK8sApiClient\.java @ \w+:83 listPods → coreV1Api\.listNamespacedPod/],
            ["core/pods watch", /DefaultK8sApiClient\.java @ \w+:116 watchPods → listNamespacedPodCall\(watch=true\)/],
            ["core/configmaps create", /ConfigMapLock\.java .* create → createNamespacedConfigMap/],
            ["core/configmaps get", /ConfigMapLock\.java .* get → readNamespacedConfigMap/],
            ["core/configmaps update", /ConfigMapLock\.java .* update → replaceNamespacedConfigMap/],
            ["batch/jobs create", /AbstractKubernetesPeonClient\.java createK8sJobWithRetries/],
            ["batch/jobs get", /DirectKubernetesPeonClient\.java getPeonJob .*JobOperationsImpl\.java doGetLog/],
            ["batch/jobs list", /DirectKubernetesPeonClient\.java getPeonJobs/],
            ["batch/jobs watch", /DirectKubernetesPeonClient\.java waitForPeonJobCompletion/],
            ["batch/jobs delete", /AbstractKubernetesPeonClient\.java deletePeonJob/],
            ["core/pods list", /DirectKubernetesPeonClient\.java getPeonPod/],
            ["core/pods watch", /DirectKubernetesPeonClient\.java waitForPodResultWithRetries/],
            ["core/pods/log get", /AbstractKubernetesPeonClient\.java getPeonLogs/],
            ["core/events list", /DirectKubernetesPeonClient\.java getPeonEvents/],
        ];
        assert.equal(table.length, expected.length, table.join("\n"));
        expected.forEach(([grant, source], i) => {
            assert.ok(table[i].startsWith(`${grant}: `), `${i}: ${table[i]}`);
            assert.match(table[i], source);
        });
        for (const line of table) console.log(`      ${line}`);
    });

    it("the Druid workloads wait for the Role and its binding (their processes call the API at start)", async () => {
        const { plan } = await render(zooKeeperLess());
        for (const w of [...plan.ofType("kubernetes:apps/v1:Deployment"), ...plan.ofType("kubernetes:apps/v1:StatefulSet")]) {
            assert.equal(plan.dependsOn(w, plan.get(bindingType, "druid-druid")), true, w.name);
        }
    });
});

describe("data.ingestion.worker \"kubernetesJobs\": tasks as Kubernetes Jobs", function () {
    this.timeout(60000);

    it("configures the Overlord's Kubernetes task runner with the mounted pod template, and runs no MiddleManager or Indexer", async () => {
        const { plan, files } = await render(jobs());
        const overlord = parseProperties(files.overlord["runtime.properties"]);
        // apache/druid docs/development/extensions-core/k8s-jobs.md, "Configuration", "Custom Template Pod Adapter".
        assert.equal(overlord["druid.indexer.runner.type"], "k8s");
        assert.equal(overlord["druid.indexer.runner.namespace"], "druid");
        assert.equal(overlord["druid.indexer.runner.capacity"], "4");
        assert.equal(overlord["druid.indexer.runner.k8s.adapter.type"], "customTemplateAdapter");
        assert.equal(overlord["druid.indexer.runner.k8s.podTemplate.base"], "/opt/druid/task-template/base.yaml");
        assert.equal(overlord["druid.indexer.task.encapsulatedTask"], "true");
        assert.equal(overlord["druid.indexer.task.baseTaskDir"], "/opt/druid/task");
        const common = parseProperties(files._common["common.runtime.properties"]);
        assert.ok((JSON.parse(common["druid.extensions.loadList"]) as string[]).includes("druid-kubernetes-overlord-extensions"));
        assert.equal(common["druid.processing.intermediaryData.storage.type"], "deepstore");
        // Task logs already go to S3.
        assert.equal(common["druid.indexer.logs.type"], "s3");
        assert.deepEqual(plan.resources.filter((r) => /middlemanager|indexer/.test(r.name)).map((r) => r.name), []);
        // The Overlord mounts the template ConfigMap as a directory (no subPath: updates reach the file).
        const spec = at(plan.get("kubernetes:apps/v1:Deployment", "druid-overlord").inputs, "spec", "template", "spec") as Obj;
        assert.deepEqual((spec.volumes as Obj[]).find((v) => v.name === "task-template"), { name: "task-template", configMap: { name: "druid-task-template" } });
        assert.deepEqual((at(spec, "containers", 0, "volumeMounts") as Obj[]).find((m) => m.name === "task-template"),
            { name: "task-template", mountPath: "/opt/druid/task-template", readOnly: true });
    });

    it("the combined Coordinator-Overlord runs the tasks when there is no Overlord", async () => {
        const { plan, files } = await render({ ...jobs(), master: { combined: true } });
        assert.equal(parseProperties(files.coordinator["runtime.properties"])["druid.indexer.runner.type"], "k8s");
        const volumes = at(plan.get("kubernetes:apps/v1:Deployment", "druid-coordinator").inputs, "spec", "template", "spec", "volumes") as Obj[];
        assert.ok(volumes.some((v) => v.name === "task-template"));
    });

    it("the task pod template: the Peon from peon.sh, sized from taskResources, restricted, scrapeable, under the Druid labels", async () => {
        const { plan, files } = await render({ ...jobs(), data: { ingestion: { worker: "kubernetesJobs", taskResources: { cpu: "2", memory: "4Gi" } } } });
        const { template } = taskTemplate(plan);
        assert.deepEqual(checkRestricted(template.spec), []);
        const spec = template.spec as Obj;
        assert.equal(spec.restartPolicy, "Never");
        assert.equal(spec.serviceAccountName, "druid");
        const c = at(spec, "containers", 0) as Obj;
        assert.equal(c.name, "main", "the Overlord reads task logs from the container named main");
        assert.deepEqual(c.command, ["/peon.sh"]);
        assert.deepEqual(c.resources, { requests: { cpu: "2", memory: "4Gi", "ephemeral-storage": "10Gi" }, limits: { cpu: "2", memory: "4Gi" } });
        assert.deepEqual(c.ports, [{ name: "http", containerPort: 8100 }, { name: "metrics", containerPort: 9000 }]);
        assert.equal(template.metadata.annotations["prometheus.io/port"], "9000");
        assert.equal(template.metadata.labels["app.kubernetes.io/name"], "druid");
        assert.equal(template.metadata.labels["app.kubernetes.io/instance"], "druid");
        // The Druid NetworkPolicies select these labels: task pods reach and are reached by Druid pods.
        const internal = plan.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "druid-druid-internal");
        for (const [k, v] of Object.entries(at(internal.inputs, "spec", "podSelector", "matchLabels") as Record<string, string>)) assert.equal(template.metadata.labels[k], v);
        // The Peon's files: 4096MiB - (2 + 2 + 1) x 100MiB direct = 3596MiB for the heap and its JVM overhead
        // (256MiB + 10% of the heap): (3596 - 256) / 1.1 = 3036MiB, rounded down to 64MiB: 3008MiB heap.
        const task = parseProperties(files.task["runtime.properties"]);
        assert.equal(task["druid.service"], "druid/peon");
        assert.equal(task["druid.plaintextPort"], "8100");
        assert.equal(task["druid.peon.mode"], "remote");
        assert.equal(task["druid.indexer.runner.type"], "k8s");
        assert.equal(task["druid.indexer.task.encapsulatedTask"], "true");
        assert.equal(task["druid.processing.numThreads"], "2");
        assert.match(files.task["jvm.config"], /^-Xmx3008m$/m);
        assert.match(files.task["jvm.config"], /^-XX:MaxDirectMemorySize=500m$/m);
        // Peons emit with the exporter on the pod's own metrics port: nothing turns their emitter off.
        assert.equal(task["druid.emitter"], undefined);
        assert.equal(parseProperties(files._common["common.runtime.properties"])["druid.emitter.prometheus.port"], "9000");
        const mounts = (c.volumeMounts as { name: string; mountPath: string }[]).map((m) => `${m.name} ${m.mountPath}`);
        assert.ok(mounts.includes("task-config /opt/druid/conf/druid/cluster/master/coordinator-overlord/runtime.properties"), mounts.join("\n"));
        assert.ok(mounts.includes("task-storage /opt/druid/task"), mounts.join("\n"));
        assert.equal(at(plan.get("kubernetes:core/v1:ConfigMap", "druid-task").inputs, "data", "runtime.properties"), files.task["runtime.properties"]);
    });

    it("the task pod's JVM gets its jvm.config flags through JAVA_OPTS, on every supported release (peon.sh of 35-37 reads no jvm.config)", async () => {
        for (const druidVersion of ["35.0.0", "36.0.0", "37.0.0"]) {
            const { plan, files } = await render({ ...jobs(), druidVersion });
            const c = at(taskTemplate(plan).template.spec, "containers", 0) as { env: { name: string; value?: string }[] };
            const javaOpts = c.env.find((e) => e.name === "JAVA_OPTS");
            assert.ok(javaOpts?.value !== undefined, `${druidVersion}: the task container has no JAVA_OPTS`);
            // Exactly the mounted jvm.config's flags, in its order: one ConfigMap decides both.
            assert.deepEqual(javaOpts.value.split(" "), files.task["jvm.config"].trim().split("\n"), druidVersion);
            for (const flag of [/^-Xmx\d+m$/, /^-Xms\d+m$/, /^-XX:MaxDirectMemorySize=500m$/, /^-Duser\.timezone=UTC$/, /^-XX:\+ExitOnOutOfMemoryError$/]) {
                assert.ok(javaOpts.value.split(" ").some((f) => flag.test(f)), `${druidVersion}: JAVA_OPTS lacks ${String(flag)}: ${javaOpts.value}`);
            }
        }
    });

    it("TASK_DIR (the Overlord's druid.indexer.task.baseDir) is the task pod's sized scratch volume, and the Overlord can write there too", async () => {
        const { plan, files } = await render({ ...jobs(), data: { ingestion: { worker: "kubernetesJobs", taskStorageSize: "20Gi" } } });
        const overlord = parseProperties(files.overlord["runtime.properties"]);
        // PodTemplateTaskAdapter.getEnv: TASK_DIR = taskConfig.getBaseDir(), not baseTaskDir.
        assert.equal(overlord["druid.indexer.task.baseDir"], "/opt/druid/task");
        const spec = taskTemplate(plan).template.spec as { containers: { volumeMounts: { name: string; mountPath: string }[] }[]; volumes: { name: string; emptyDir?: { sizeLimit?: string } }[] };
        const mount = spec.containers[0].volumeMounts.find((m) => m.mountPath === overlord["druid.indexer.task.baseDir"]);
        assert.ok(mount !== undefined, "nothing is mounted at TASK_DIR in the task pod");
        assert.deepEqual(spec.volumes.find((v) => v.name === mount.name)?.emptyDir, { sizeLimit: "20Gi" });
        assert.equal(parseProperties(files.task["runtime.properties"])["druid.indexer.task.baseDir"], "/opt/druid/task", "the Peon's own baseDir is on the task volume too");
        const pod = at(plan.get("kubernetes:apps/v1:Deployment", "druid-overlord").inputs, "spec", "template", "spec") as { containers: { volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[]; volumes: { name: string; emptyDir?: unknown }[] };
        const overlordMount = pod.containers[0].volumeMounts.find((m) => m.mountPath === "/opt/druid/task");
        assert.ok(overlordMount !== undefined && overlordMount.readOnly !== true, "the Overlord has no writable mount at its baseDir");
        assert.deepEqual(pod.volumes.find((v) => v.name === overlordMount.name)?.emptyDir, {});
    });

    it("is refused with TLS on every supported release and either coordination: the Overlord reaches task pods at their pod IP, which no certificate names", async () => {
        for (const release of supportedDruidReleases) {
            for (const args of [jobs(), both()]) {
                const given = { ...args, druidVersion: release.release, tls: { certManagerIssuer: "druid-ca" } };
                await assert.rejects(planProgram(() => new DruidCluster("druid", given), { preview: false, config: { "aws:region": "eu-west-1" } }), (e: unknown) => {
                    assert.ok(e instanceof DruidArgumentError, String(e));
                    assert.equal(e.argument, "data.ingestion.worker");
                    assert.match(e.message, /got "kubernetesJobs"; cannot run with tls: the Overlord reaches each task pod at its pod IP/);
                    assert.match(e.message, /choose worker "indexer" or "middleManager" with tls, or leave tls out to run tasks as Kubernetes Jobs$/);
                    return true;
                }, `${release.release} ${args.coordination ?? "zookeeper"}`);
            }
        }
        // The same task pods without TLS render: plain HTTP on the runner's fixed port, druid.host the pod IP.
        const { plan, files } = await render(both());
        const c = at(taskTemplate(plan).template.spec, "containers", 0) as { command: string[]; env: { name: string; valueFrom?: Obj }[]; ports: Obj[] };
        assert.equal(parseProperties(files.task["runtime.properties"])["druid.plaintextPort"], "8100");
        assert.deepEqual(c.command, ["/peon.sh"]);
        assert.deepEqual(c.env[0], { name: "druid_host", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
        assert.deepEqual(c.ports[0], { name: "http", containerPort: 8100 });
    });

    it("grants the Overlord's Job and Pod calls in a namespaced Role bound to the Overlord's own service account only (with ZooKeeper, only those)", async () => {
        const { plan } = await render(jobs());
        assert.equal(plan.ofType(roleType).length, 1);
        assert.deepEqual(at(plan.get(bindingType, "druid-overlord").inputs, "subjects"), [{ kind: "ServiceAccount", name: "druid-overlord", namespace: "druid" }]);
        const podAccount = (kind: "Deployment" | "StatefulSet", name: string) => at(plan.get(`kubernetes:apps/v1:${kind}`, name).inputs, "spec", "template", "spec", "serviceAccountName");
        assert.equal(podAccount("Deployment", "druid-overlord"), "druid-overlord");
        // Every other Druid pod, and the task pods, keep the shared account, which no Role lets start Jobs.
        for (const [kind, name] of [["Deployment", "druid-coordinator"], ["Deployment", "druid-broker"], ["Deployment", "druid-router"], ["StatefulSet", "druid-historical-default"]] as const) {
            assert.equal(podAccount(kind, name), "druid", name);
        }
        assert.equal(taskTemplate(plan).template.spec.serviceAccountName, "druid");
        assert.equal(at(plan.get("kubernetes:core/v1:ServiceAccount", "druid-overlord").inputs, "automountServiceAccountToken"), true);
        assert.deepEqual(at(plan.get(roleType, "druid-overlord").inputs, "rules"), [
            { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
            { apiGroups: [""], resources: ["pods"], verbs: ["list", "watch"] },
            { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
            { apiGroups: [""], resources: ["events"], verbs: ["list"] },
        ]);
        assert.ok(plan.ofType("kubernetes:apps/v1:StatefulSet").some((r) => r.name === "druid-zookeeper"));
    });

    it("both modes: discovery's Role bound to both accounts, the Job Role to the Overlord's only", async () => {
        const { plan } = await render(both());
        assert.deepEqual(at(plan.get(roleType, "druid-druid").inputs, "rules"), roleRules(discoveryGrants("druid")));
        assert.deepEqual(at(plan.get(bindingType, "druid-druid").inputs, "subjects"),
            [{ kind: "ServiceAccount", name: "druid", namespace: "druid" }, { kind: "ServiceAccount", name: "druid-overlord", namespace: "druid" }]);
        assert.deepEqual(at(plan.get(roleType, "druid-overlord").inputs, "rules"), roleRules(kubernetesJobsGrants()));
        assert.deepEqual(at(plan.get(bindingType, "druid-overlord").inputs, "subjects"), [{ kind: "ServiceAccount", name: "druid-overlord", namespace: "druid" }]);
        const jobVerbs = (role: string) => (at(plan.get(roleType, role).inputs, "rules") as { resources: string[] }[]).filter((r) => r.resources.includes("jobs")).length;
        assert.equal(jobVerbs("druid-druid"), 0);
        // The Overlord's Deployment waits for both bindings.
        const overlord = plan.get("kubernetes:apps/v1:Deployment", "druid-overlord");
        assert.equal(plan.dependsOn(overlord, plan.get(bindingType, "druid-overlord")), true);
        assert.equal(plan.dependsOn(overlord, plan.get(bindingType, "druid-druid")), true);
    });

    it("the task template changes in the MiddleManagers' place of the rolling order: after the Historicals, before the Brokers", async () => {
        const { plan } = await render(both());
        const template = plan.get("kubernetes:core/v1:ConfigMap", "druid-task-template");
        assert.equal(plan.dependsOn(template, plan.get("kubernetes:apps/v1:StatefulSet", "druid-historical-default")), true);
        assert.equal(plan.dependsOn(plan.get("kubernetes:apps/v1:Deployment", "druid-broker"), template), true);
    });

    it("the default cluster has no Role, no task ConfigMaps and keeps its ZooKeeper", async () => {
        const { plan } = await render(defaultArgs());
        assert.equal(plan.ofType(roleType).length, 0);
        assert.equal(plan.resources.filter((r) => r.name.startsWith("druid-task")).length, 0);
    });
});
