import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { DruidCluster, DruidClusterArgs } from "../index";
import { Plan, planProgram, valueOf } from "../testing";
import { parseProperties } from "../components/core/properties";
import { AlertRule, prometheusName } from "../components/config/monitoring";
import { defaultArgs } from "./fixtures/args";
import { parsePromql } from "./support/promql";

// The alerts and the dashboard read only metrics the Prometheus emitter really exports: each metric
// name in their PromQL, parsed with Prometheus's own grammar, is traced back to an entry of the
// emitter's default mapping (tests/fixtures/prometheus-emitter-metrics.json, copied from
// apache/druid at the commit it names) through the emitter's naming (Metrics.java) and the
// Prometheus Java client's suffixes (counters `_total`, histograms `_bucket`).

interface Mapping { source: string; metrics: Record<string, { type: string; dimensions?: string[] }> }
const mapping = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "prometheus-emitter-metrics.json"), "utf8")) as Mapping;

/** Prometheus series name → the mapping entry it comes from, for every registered type. */
const exported = new Map<string, { druidMetric: string; type: string; dimensions?: string[] }>();
for (const [druidMetric, m] of Object.entries(mapping.metrics)) {
    const base = prometheusName(druidMetric);
    const names = m.type === "count" ? [`${base}_total`] : m.type === "gauge" ? [base] : m.type === "timer" ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [];
    for (const n of names) exported.set(n, { druidMetric, type: m.type, dimensions: m.dimensions });
}
/** Labels a series has besides the mapping's dimensions: the emitter's druid_service, Prometheus's target labels, histogram buckets. */
const targetLabels = ["druid_service", "namespace", "pod", "le"];

type Obj = Record<string, unknown>;

async function render(args: DruidClusterArgs): Promise<{ plan: Plan; files: Record<string, Record<string, string>> }> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
    return { plan, files: (await valueOf(result.configuration))! };
}

const watched = (extra: Partial<DruidClusterArgs> = {}): DruidClusterArgs => ({ ...defaultArgs(), metrics: { alerts: true, dashboards: true, serviceMonitor: true }, ...extra });

function rulesOf(plan: Plan): AlertRule[] {
    const rule = plan.get("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "druid-alerts");
    return ((rule.inputs.spec as { groups: { rules: AlertRule[] }[] }).groups).flatMap((g) => g.rules);
}

function panelExprs(plan: Plan): string[] {
    const cm = plan.get("kubernetes:core/v1:ConfigMap", "druid-dashboard").inputs as { data: Record<string, string> };
    const dashboard = JSON.parse(cm.data["druid-druid.json"]) as { panels: { type: string; targets?: { expr: string }[] }[] };
    return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
}

describe("metrics: alerts and dashboard over metrics the emitter exports", function () {
    this.timeout(120_000);

    it("the naming helper is Metrics.java's: lower case, runs outside [a-zA-Z0-9_:] (starting with a non-letter) become '_'", () => {
        assert.equal(prometheusName("segment/underReplicated/count"), "druid_segment_underreplicated_count");
        assert.equal(prometheusName("jvm/mem/used"), "druid_jvm_mem_used");
        // The pattern's first class excludes digits: "4/" is one run.
        assert.equal(prometheusName("sys/tcpv4/in/segs"), "druid_sys_tcpv_in_segs");
        assert.ok(mapping.source.includes("0142eaaf7ef90f05504cd5d74c95105250be6d76"), mapping.source);
    });

    it("the parser refuses broken PromQL (control)", () => {
        assert.notDeepEqual(parsePromql("sum(rate(druid_query_count_total[5m])").errors, []);
        assert.notDeepEqual(parsePromql("no_such_function(druid_query_count_total)").errors, []);
        assert.deepEqual(parsePromql("sum(rate(druid_query_count_total{namespace=\"x\"}[5m]))").errors, []);
    });

    const scenarios: { title: string; args: DruidClusterArgs }[] = [
        { title: "default cluster", args: watched() },
        { title: "HA cluster", args: watched({ highAvailability: true, metadataStore: { ...defaultArgs().metadataStore } }) },
        { title: "combined Coordinator-Overlord, Indexers, two tiers", args: watched({
            master: { combined: true },
            data: { ingestion: { worker: "indexer" }, historicalTiers: [{ name: "default", volumeSize: "100Gi" }, { name: "hot", volumeSize: "50Gi" }] },
        }) },
        { title: "Kubernetes discovery, Kubernetes Jobs", args: watched({ coordination: "kubernetes", data: { ingestion: { worker: "kubernetesJobs" } } }) },
    ];
    for (const s of scenarios) {
        it(`${s.title}: every alert and panel parses, and every metric it reads is in the emitter's mapping with the matching type and labels`, async () => {
            const { plan } = await render(s.args);
            const exprs = [...rulesOf(plan).map((r) => r.expr), ...panelExprs(plan)];
            assert.ok(exprs.length > 20, String(exprs.length));
            const used = new Set<string>();
            for (const expr of exprs) {
                const p = parsePromql(expr);
                assert.deepEqual(p.errors, [], `does not parse: ${expr}`);
                assert.ok(p.metrics.length > 0, expr);
                for (const { metric: m, labels } of p.selectors) {
                    const entry = exported.get(m);
                    assert.ok(entry !== undefined, `${m} is not exported by the emitter's default mapping (${expr})`);
                    used.add(`${entry.druidMetric} (${entry.type}) → ${m}`);
                    assert.ok(entry.dimensions !== undefined, `fixture lacks the dimensions of ${entry.druidMetric}`);
                    for (const label of labels) {
                        assert.ok([...entry.dimensions, ...targetLabels].includes(label), `${label} is not a label of ${m} (${expr})`);
                    }
                }
                assert.ok(expr.includes('namespace="druid"'), `every selector is scoped to the cluster's namespace: ${expr}`);
            }
            console.log(`      metrics used: ${[...used].sort().join("; ")}`);
        });
    }

    it("the alert list, with the default thresholds in the expressions", async () => {
        const { plan } = await render(watched());
        const rules = rulesOf(plan);
        const names = [...new Set(rules.map((r) => r.alert))].sort();
        assert.deepEqual(names, [
            "DruidDirectMemoryNearLimit", "DruidJvmHeapNearLimit", "DruidQueryFailures", "DruidQueryLatencyHigh", "DruidSegmentLoadQueueStuck",
            "DruidSegmentsUnavailable", "DruidSegmentsUnderReplicated", "DruidServiceDegraded", "DruidServiceDown", "DruidTaskSlotsExhausted",
            "DruidTasksFailed", "DruidTasksPending", "DruidZooKeeperDisconnected", "DruidZooKeeperQuorumLost",
        ]);
        const one = (n: string, service?: string) => rules.find((r) => r.alert === n && (service === undefined || (r.labels as Obj).druid_service === service))!;
        // Planned pods per Druid service: 2 Brokers, 2 Historicals, 1 Coordinator.
        assert.match(one("DruidServiceDegraded", "druid/broker").expr, /< 2$/);
        assert.equal(rules.some((r) => r.alert === "DruidServiceDegraded" && (r.labels as Obj).druid_service === "druid/coordinator"), false);
        assert.equal(one("DruidServiceDown", "druid/coordinator").labels.severity, "critical");
        assert.equal(one("DruidServiceDown", "druid/coordinator").for, "5m");
        // 2 MiddleManagers x 4 slots (start-druid's min(4 CPUs, 16GiB / 2GiB)).
        assert.match(one("DruidTaskSlotsExhausted").expr, />= 8$/);
        assert.match(one("DruidQueryLatencyHigh").expr, /histogram_quantile\(0\.95, .*druid_query_time_bucket.* > 10$/);
        assert.match(one("DruidQueryFailures").expr, / > 0\.05$/);
        assert.match(one("DruidJvmHeapNearLimit").expr, / > 0\.9$/);
        // Coordinator gauges only from the leading Coordinator (a follower keeps its last values).
        assert.match(one("DruidSegmentsUnavailable").expr, /and on \(pod\) \(druid_service_heartbeat\{namespace="druid", druid_service="druid\/coordinator", leader="1"\} == 1\)/);
        // Historical direct memory: 5 x 500MiB allocated at start (3 threads + 2 merge buffers), 3904MiB max
        // (-XX:MaxDirectMemorySize: the guide's 6 buffers + 30%) → alert above 2500MiB + 0.9 x the 1404MiB headroom.
        const historical = rules.find((r) => r.alert === "DruidDirectMemoryNearLimit" && (r.labels as Obj).workload === "druid-historical-default")!;
        assert.match(historical.expr, /pod=~"druid-historical-default-\.\+"/);
        assert.ok(historical.expr.endsWith(`> ${Math.floor(2500 * 2 ** 20 + 0.9 * (3904 - 2500) * 2 ** 20)}`), historical.expr);
    });

    it("Kubernetes mode: no ZooKeeper alerts (every process reports zk/connected 0 without Curator); Kubernetes Jobs get the Overlord's task alerts", async () => {
        const zk = rulesOf((await render(watched())).plan);
        assert.ok(zk.some((r) => r.alert === "DruidZooKeeperQuorumLost") && zk.some((r) => r.alert === "DruidZooKeeperDisconnected"), "ZooKeeper coordination keeps them");
        const k8s = rulesOf((await render(watched({ coordination: "kubernetes", data: { ingestion: { worker: "kubernetesJobs", taskCapacity: 6 } } }))).plan);
        const names = new Set(k8s.map((r) => r.alert));
        assert.equal(names.has("DruidZooKeeperQuorumLost"), false);
        assert.equal(names.has("DruidZooKeeperDisconnected"), false);
        assert.equal(k8s.some((r) => r.expr.includes("druid_zk_connected")), false);
        // TaskCountStatsMonitor runs on the Overlord (druid.monitoring.monitors): task/pending, running and failed counts.
        const one = (n: string) => k8s.find((r) => r.alert === n)!;
        assert.equal(one("DruidTasksPending").expr,
            'sum(max by (pod, dataSource) (rate(druid_task_pending_count_total{namespace="druid"}[5m]))) * 60 > 0');
        assert.match(one("DruidTasksFailed").expr, /druid_task_failed_count_total.* >= 1$/);
        // At most druid.indexer.runner.capacity Jobs run at once: that is the cluster's slot count.
        assert.match(one("DruidTaskSlotsExhausted").expr, /druid_task_running_count_total.* >= 6$/);
        // Kubernetes mode with Indexers (MiddleManagers are refused there) keeps the slot count of the workers.
        const mm = rulesOf((await render(watched({ coordination: "kubernetes", data: { ingestion: { worker: "indexer" } } }))).plan);
        assert.match(mm.find((r) => r.alert === "DruidTaskSlotsExhausted")!.expr, />= 8$/);
        assert.equal(mm.some((r) => r.alert === "DruidZooKeeperQuorumLost"), false);
    });

    it("a pod scraped twice (ServiceMonitor and prometheus.io annotations) counts once; a former leader's load queue does not keep the alert firing", async () => {
        const rules = rulesOf((await render(watched({ highAvailability: true, metadataStore: { ...defaultArgs().metadataStore } }))).plan);
        const down = rules.find((r) => r.alert === "DruidServiceDown" && (r.labels as Obj).druid_service === "druid/broker")!;
        assert.equal(down.expr, '(count(count by (pod) (druid_service_heartbeat{namespace="druid", druid_service="druid/broker"})) or vector(0)) == 0');
        const degraded = rules.find((r) => r.alert === "DruidServiceDegraded" && (r.labels as Obj).druid_service === "druid/coordinator")!;
        assert.match(degraded.expr, /^\(count\(count by \(pod\) \(druid_service_heartbeat\{namespace="druid", druid_service="druid\/coordinator"\}\)\) or vector\(0\)\) < 2$/);
        // Both sides of the load-queue alert read the leading Coordinator only.
        const stuck = rules.find((r) => r.alert === "DruidSegmentLoadQueueStuck")!;
        const leader = 'and on (pod) (druid_service_heartbeat{namespace="druid", druid_service="druid/coordinator", leader="1"} == 1)';
        const [kept, unless] = stuck.expr.split(" unless ");
        assert.ok(kept.includes(leader), kept);
        assert.ok(unless.includes(leader) && unless.includes("delta(druid_segment_loadqueue_count"), unless);
    });

    it("thresholds given replace the defaults; the rule carries the ruleLabels", async () => {
        const { plan } = await render({ ...defaultArgs(), metrics: { alerts: true, ruleLabels: { release: "kube-prometheus-stack" }, alertThresholds: { queryP95Seconds: 2.5, serviceDownMinutes: 2, failedTasksPerHour: 5 } } });
        const rules = rulesOf(plan);
        assert.match(rules.find((r) => r.alert === "DruidQueryLatencyHigh")!.expr, / > 2\.5$/);
        assert.equal(rules.find((r) => r.alert === "DruidServiceDown")!.for, "2m");
        assert.match(rules.find((r) => r.alert === "DruidTasksFailed")!.expr, />= 5$/);
        const rule = plan.get("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "druid-alerts");
        assert.equal((rule.inputs.metadata as { labels: Record<string, string> }).labels.release, "kube-prometheus-stack");
        assert.equal(plan.ofType("kubernetes:core/v1:ConfigMap").some((c) => c.name === "druid-dashboard"), false, "no dashboard unless asked");
    });

    it("the dashboard is a ConfigMap the Grafana sidecar picks up, with query, ingestion, segments and JVM rows", async () => {
        const { plan } = await render(watched());
        const cm = plan.get("kubernetes:core/v1:ConfigMap", "druid-dashboard").inputs as { metadata: { labels: Record<string, string> }; data: Record<string, string> };
        assert.equal(cm.metadata.labels.grafana_dashboard, "1");
        const d = JSON.parse(cm.data["druid-druid.json"]) as { uid: string; panels: { type: string; title: string }[] };
        assert.deepEqual(d.panels.filter((p) => p.type === "row").map((p) => p.title), ["Query", "Ingestion", "Segments", "JVM"]);
        assert.equal(d.uid, "druid-druid");
    });

    it("monitors: JVM and heartbeat everywhere; Historical, query and task monitors where Druid supports them", async () => {
        const { files } = await render(defaultArgs());
        const monitors = (key: string) => JSON.parse(parseProperties(files[key]["runtime.properties"])["druid.monitoring.monitors"]) as string[];
        const base = ["org.apache.druid.java.util.metrics.JvmMonitor", "org.apache.druid.server.metrics.ServiceStatusMonitor"];
        assert.deepEqual(monitors("coordinator"), base);
        assert.deepEqual(monitors("overlord"), [...base, "org.apache.druid.server.metrics.TaskCountStatsMonitor"]);
        assert.deepEqual(monitors("broker"), [...base, "org.apache.druid.server.metrics.QueryCountStatsMonitor"]);
        assert.deepEqual(monitors("historical-default"), [...base, "org.apache.druid.server.metrics.HistoricalMetricsMonitor"]);
        assert.deepEqual(monitors("middlemanager"), base, "Peons inherit the MiddleManager's list: nothing MiddleManager-only");
        assert.deepEqual(monitors("router"), base);
        assert.equal(parseProperties(files._common["common.runtime.properties"])["druid.monitoring.emissionPeriod"], "PT60S");
        // A user's common list wins: no per-service list shadows it.
        const own = await render({ ...defaultArgs(), commonProperties: { "druid.monitoring.monitors": "[\"org.apache.druid.java.util.metrics.JvmMonitor\"]" } });
        assert.equal(parseProperties(own.files.broker["runtime.properties"])["druid.monitoring.monitors"], undefined);
        const combined = await render({ ...defaultArgs(), master: { combined: true } });
        assert.ok((JSON.parse(parseProperties(combined.files.coordinator["runtime.properties"])["druid.monitoring.monitors"]) as string[]).includes("org.apache.druid.server.metrics.TaskCountStatsMonitor"));
    });
});
