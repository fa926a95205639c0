import { ServiceKind } from "../plan/tuning";
import { AlertThresholds } from "../plan/monitoring-plan";
export { AlertThresholds, defaultAlertThresholds } from "../plan/monitoring-plan";

// Over 400 lines on purpose: the alert table and the dashboard panels are data, one entry a few
// lines each, kept in one place so a metric's alert and its panel are read together.
//
// Pure builders of the cluster's Prometheus alerts, its Grafana dashboard and the Druid monitors
// that feed them. Every metric is a Druid metric as the Prometheus emitter exports it
// (extensions-contrib/prometheus-emitter: defaultMetrics.json for the names and types, Metrics.java
// for the naming); tests/monitoring.test.ts checks each name against the mapping
// (tests/fixtures/prometheus-emitter-metrics.json) and parses every expression.

/** `druid.emitter.prometheus.namespace` the component sets (druid-config.ts). */
export const prometheusNamespace = "druid";

/**
 * `druid.monitoring.emissionPeriod` the component sets (Druid's default, PT1M, written out): the
 * emitter's counters of per-period counts (task/running/count ...) grow by the count once per
 * period, so `rate(x[5m]) * 60` is the count itself.
 */
export const emissionPeriodSeconds = 60;

/**
 * The Prometheus name of a Druid metric (Metrics.java: namespace + "_" + the lower-cased name with
 * every match of `[^a-zA-Z_:][^a-zA-Z0-9_:]*` replaced by "_").
 */
export function prometheusName(druidMetric: string, namespace = prometheusNamespace): string {
    return `${namespace}_${druidMetric.toLowerCase().replace(/[^a-zA-Z_:][^a-zA-Z0-9_:]*/g, "_")}`;
}

/** A mapped "count" metric: a Counter, exposed with `_total` (simpleclient 0.16). */
const counter = (m: string) => `${prometheusName(m)}_total`;
/** A mapped "gauge" metric. */
const gauge = (m: string) => prometheusName(m);
/** A mapped "timer" metric: a Histogram in seconds (conversionFactor), buckets as `_bucket`. */
const histogramBuckets = (m: string) => `${prometheusName(m)}_bucket`;

/** `druid.service` values (the emitter's `druid_service` label with addServiceAsLabel). */
const serviceLabel: Record<ServiceKind, string> = {
    coordinator: "druid/coordinator", overlord: "druid/overlord", broker: "druid/broker", router: "druid/router",
    historical: "druid/historical", middleManager: "druid/middlemanager", indexer: "druid/indexer",
};

/** Monitors each service runs (docs/configuration/index.md, "Metrics monitors"). */
const monitorClass = {
    jvm: "org.apache.druid.java.util.metrics.JvmMonitor",
    serviceStatus: "org.apache.druid.server.metrics.ServiceStatusMonitor",
    historical: "org.apache.druid.server.metrics.HistoricalMetricsMonitor",
    queryCount: "org.apache.druid.server.metrics.QueryCountStatsMonitor",
    taskCount: "org.apache.druid.server.metrics.TaskCountStatsMonitor",
};

/**
 * `druid.monitoring.monitors` of a service: JVM and heartbeat everywhere (`service/heartbeat`, with
 * `leader` 1/0 on the Coordinator and Overlord), segment-cache use on Historicals
 * ("Available only on Historical services"), query counts on Brokers, task counts where the
 * Overlord runs. Not used: TaskSlotCountStatsMonitor and WorkerTaskCountStatsMonitor, whose
 * `taskSlot/*` and `worker/*` metrics the emitter's default mapping does not hold (unmapped metrics
 * are dropped), and WorkerTaskCountStatsMonitor would also reach the Peons, which inherit the
 * MiddleManager's properties.
 */
export function monitorsFor(kind: ServiceKind, runsOverlord: boolean): string[] {
    const m = [monitorClass.jvm, monitorClass.serviceStatus];
    if (kind === "historical") m.push(monitorClass.historical);
    if (kind === "broker") m.push(monitorClass.queryCount);
    if (kind === "overlord" || runsOverlord) m.push(monitorClass.taskCount);
    return m;
}

/** One workload as the alerts see it. */
export interface MonitoredWorkload {
    kind: ServiceKind;
    /** Pod name prefix (the workload's object name). */
    objectName: string;
    /** Pods planned (an autoscaled service: its minimum). */
    replicas: number;
    /** -XX:MaxDirectMemorySize, bytes. */
    directBytes: number;
    /** Direct memory the processing pool allocates at start: (threads + merge buffers) x buffer size. */
    processingBytes: number;
    /** Task slots per pod (MiddleManager, Indexer). */
    taskSlots?: number;
    /** Runs the Overlord (combined Coordinator-Overlord). */
    runsOverlord?: boolean;
}

export interface MonitoringInput {
    cluster: string;
    /**
     * How the Druid processes find each other. With "kubernetes" no process runs Curator, yet every
     * one still reports `zk/connected` 0 (see `zooKeeperAlerts`), so the ZooKeeper alerts are left out.
     */
    coordination: "zookeeper" | "kubernetes";
    /** Worker "kubernetesJobs": the Overlord runs at most `capacity` task Jobs at once (`druid.indexer.runner.capacity`). */
    taskJobs?: { capacity: number };
    /** Kubernetes namespace: every selector is scoped to it (the `namespace` target label). */
    namespace: string;
    workloads: MonitoredWorkload[];
    thresholds: AlertThresholds;
}

/** A Prometheus alerting rule (the PrometheusRule CRD's `spec.groups[].rules[]`). */
export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: { severity: "critical" | "warning"; druid_cluster: string };
    annotations: { summary: string; description: string };
}

const fmt = (n: number) => String(Number(n.toPrecision(6)));

/**
 * One series per pod (and the given labels): a pod scraped twice (ServiceMonitor and annotations)
 * yields two series that differ only in their target labels; `max by (pod, ...)` keeps one.
 */
function perPod(expr: string, ...labels: string[]): string {
    return `max by (${["pod", ...labels].join(", ")}) (${expr})`;
}

/** The selector every expression starts from. */
function sel(input: MonitoringInput, extra: Record<string, string> = {}): string {
    const labels = { namespace: input.namespace, ...extra };
    return `{${Object.entries(labels).map(([k, v]) => `${k}${k === "pod" ? "=~" : "="}${JSON.stringify(v)}`).join(", ")}}`;
}

/**
 * Keeps a Coordinator gauge from the current leader only: the exporter keeps the last value of a
 * gauge for the life of the process, so a Coordinator that lost the leadership (HA profile) would
 * still report its last segment counts. The heartbeat's `leader` is 1 on the leader
 * (ServiceStatusMonitor with the Coordinator's HeartbeatSupplier). With a combined
 * Coordinator-Overlord the heartbeat carries the Overlord's leadership instead (CliCoordinator
 * binds the Coordinator's supplier only without the Overlord), so no filter is possible there.
 */
function fromCoordinatorLeader(input: MonitoringInput, expr: string): string {
    const combined = input.workloads.some((w) => w.runsOverlord === true);
    if (combined) return expr;
    return `(${expr} and on (pod) (${gauge("service/heartbeat")}${sel(input, { druid_service: serviceLabel.coordinator, leader: "1" })} == 1))`;
}

/** The alerts of a cluster. */
export function alertRules(input: MonitoringInput): AlertRule[] {
    const t = input.thresholds;
    const labels = (severity: "critical" | "warning") => ({ severity, druid_cluster: input.cluster });
    const rules: AlertRule[] = [];

    // Service down / degraded: pods that report a heartbeat, per Druid service, against the plan.
    const expected = new Map<string, number>();
    for (const w of input.workloads) expected.set(serviceLabel[w.kind], (expected.get(serviceLabel[w.kind]) ?? 0) + w.replicas);
    for (const [service, replicas] of expected) {
        // One series per pod: a pod scraped through both the ServiceMonitor and the prometheus.io
        // annotations reports each heartbeat twice (same `pod`, other `job`/`instance`/`endpoint`).
        const up = `(count(count by (pod) (${gauge("service/heartbeat")}${sel(input, { druid_service: service })})) or vector(0))`;
        const name = service.replace("druid/", "");
        rules.push({
            alert: "DruidServiceDown",
            expr: `${up} == 0`,
            for: `${t.serviceDownMinutes}m`,
            labels: { ...labels("critical"), druid_service: service } as AlertRule["labels"],
            annotations: {
                summary: `No ${name} of Druid cluster ${input.cluster} is running`,
                description: `No ${service} pod has reported service/heartbeat for ${t.serviceDownMinutes} minutes (planned: ${replicas}).`,
            },
        });
        if (replicas > 1) {
            rules.push({
                alert: "DruidServiceDegraded",
                expr: `${up} < ${replicas}`,
                for: `${t.serviceDownMinutes}m`,
                labels: { ...labels("warning"), druid_service: service } as AlertRule["labels"],
                annotations: {
                    summary: `Fewer ${name} pods than planned in Druid cluster ${input.cluster}`,
                    description: `{{ $value }} of ${replicas} ${service} pods have reported service/heartbeat over the last ${t.serviceDownMinutes} minutes.`,
                },
            });
        }
    }

    rules.push({
        alert: "DruidSegmentsUnavailable",
        expr: `max by (dataSource) (${fromCoordinatorLeader(input, `${gauge("segment/unavailable/count")}${sel(input)}`)}) > 0`,
        for: `${t.segmentsUnavailableMinutes}m`,
        labels: labels("critical"),
        annotations: {
            summary: `Druid datasource {{ $labels.dataSource }} has unavailable segments`,
            description: `{{ $value }} segments of {{ $labels.dataSource }} are not loaded on any Historical: queries miss their data.`,
        },
    });
    rules.push({
        alert: "DruidSegmentsUnderReplicated",
        expr: `max by (dataSource, tier) (${fromCoordinatorLeader(input, `${gauge("segment/underReplicated/count")}${sel(input)}`)}) > 0`,
        for: `${t.underReplicatedMinutes}m`,
        labels: labels("warning"),
        annotations: {
            summary: `Druid datasource {{ $labels.dataSource }} is under-replicated in tier {{ $labels.tier }}`,
            description: `{{ $value }} segment replicas are missing for ${t.underReplicatedMinutes} minutes: the tier lacks Historicals or disk.`,
        },
    });
    const queue = fromCoordinatorLeader(input, `${gauge("segment/loadQueue/count")}${sel(input)}`);
    rules.push({
        alert: "DruidSegmentLoadQueueStuck",
        // Both branches from the leader only: a former leader's frozen gauge has a delta of 0 and
        // would otherwise keep the alert firing (or, still shrinking, hide the leader's stuck queue).
        expr: `(max by (server) (${queue}) > 0) unless (max by (server) (${fromCoordinatorLeader(input, `delta(${gauge("segment/loadQueue/count")}${sel(input)}[${t.loadQueueStuckMinutes}m])`)}) < 0)`,
        for: `${t.loadQueueStuckMinutes}m`,
        labels: labels("warning"),
        annotations: {
            summary: `Segment load queue of {{ $labels.server }} is not draining`,
            description: `{{ $value }} segments have waited ${t.loadQueueStuckMinutes} minutes to load on {{ $labels.server }} without the queue shrinking (deep storage access, disk or the Historical itself).`,
        },
    });

    // Task counts come from the Overlord's TaskCountStatsMonitor (monitorsFor), whatever runs the
    // tasks: MiddleManagers, Indexers or Kubernetes Jobs.
    const hasIngestion = input.taskJobs !== undefined || input.workloads.some((w) => w.kind === "middleManager" || w.kind === "indexer");
    if (hasIngestion) {
        const perPeriod = (m: string) => `sum(${perPod(`rate(${counter(m)}${sel(input)}[5m])`, "dataSource")}) * ${emissionPeriodSeconds}`;
        rules.push({
            alert: "DruidTasksPending",
            expr: `${perPeriod("task/pending/count")} > 0`,
            for: `${t.pendingTasksMinutes}m`,
            labels: labels("warning"),
            annotations: {
                summary: `Druid tasks have waited ${t.pendingTasksMinutes} minutes to run`,
                description: `On average {{ $value }} tasks are pending: every task slot is busy, or a lock holds them.`,
            },
        });
        const slots = input.taskJobs?.capacity
            ?? input.workloads.filter((w) => w.taskSlots !== undefined).reduce((n, w) => n + w.replicas * (w.taskSlots ?? 0), 0);
        if (slots > 0) {
            rules.push({
                alert: "DruidTaskSlotsExhausted",
                expr: `${perPeriod("task/running/count")} >= ${slots}`,
                for: `${t.taskSlotsFullMinutes}m`,
                labels: labels("warning"),
                annotations: {
                    summary: `All ${slots} task slots of Druid cluster ${input.cluster} are busy`,
                    description: `{{ $value }} tasks have been running for ${t.taskSlotsFullMinutes} minutes on ${slots} slots: new ingestion waits. Add workers or slots.`,
                },
            });
        }
        rules.push({
            alert: "DruidTasksFailed",
            expr: `sum(${perPod(`increase(${counter("task/failed/count")}${sel(input)}[1h])`, "dataSource")}) >= ${t.failedTasksPerHour}`,
            for: "0m",
            labels: labels("warning"),
            annotations: {
                summary: `Druid ingestion tasks failed`,
                description: `{{ $value }} tasks failed within the last hour (threshold ${t.failedTasksPerHour}); see the task logs in the console.`,
            },
        });
    }

    const broker = sel(input, { druid_service: serviceLabel.broker });
    rules.push({
        alert: "DruidQueryFailures",
        expr: `sum(rate(${counter("query/failed/count")}${broker}[10m])) / sum(rate(${counter("query/count")}${broker}[10m])) > ${fmt(t.queryFailureRatio)}`,
        for: "10m",
        labels: labels("warning"),
        annotations: {
            summary: `More than ${fmt(t.queryFailureRatio * 100)}% of Druid queries fail`,
            description: `{{ $value | humanizePercentage }} of the Brokers' queries failed over 10 minutes.`,
        },
    });
    rules.push({
        alert: "DruidQueryLatencyHigh",
        expr: `histogram_quantile(0.95, sum by (le) (rate(${histogramBuckets("query/time")}${broker}[10m]))) > ${fmt(t.queryP95Seconds)}`,
        for: "10m",
        labels: labels("warning"),
        annotations: {
            summary: `Druid query p95 above ${fmt(t.queryP95Seconds)} s`,
            description: `The 95th percentile of the Brokers' query/time is {{ $value }} s over 10 minutes.`,
        },
    });
    rules.push({
        alert: "DruidJvmHeapNearLimit",
        expr: `max by (pod, druid_service) (${gauge("jvm/mem/used")}${sel(input, { memKind: "heap" })} / ${gauge("jvm/mem/max")}${sel(input, { memKind: "heap" })}) > ${fmt(t.heapUsedRatio)}`,
        for: "15m",
        labels: labels("warning"),
        annotations: {
            summary: `{{ $labels.pod }} uses more than ${fmt(t.heapUsedRatio * 100)}% of its heap`,
            description: `Heap use of {{ $labels.pod }} ({{ $labels.druid_service }}) has stayed at {{ $value | humanizePercentage }} for 15 minutes: raise its memory or lower its load.`,
        },
    });
    // Direct memory: the processing pool takes (threads + merge buffers) x buffer at start, so the
    // ratio applies to what is left of -XX:MaxDirectMemorySize beyond it.
    for (const w of input.workloads.filter((x) => x.directBytes > x.processingBytes)) {
        const limit = w.processingBytes + t.directMemoryHeadroomRatio * (w.directBytes - w.processingBytes);
        rules.push({
            alert: "DruidDirectMemoryNearLimit",
            expr: `max by (pod) (${gauge("jvm/bufferpool/used")}${sel(input, { pod: `${w.objectName}-.+`, bufferpoolName: "direct" })}) > ${Math.floor(limit)}`,
            for: "15m",
            labels: { ...labels("warning"), workload: w.objectName } as AlertRule["labels"],
            annotations: {
                summary: `{{ $labels.pod }} is close to its direct memory limit`,
                description: `{{ $labels.pod }} holds {{ $value | humanize1024 }}B of direct buffers, over ${fmt(t.directMemoryHeadroomRatio * 100)}% of what its ${w.directBytes} bytes leave beyond the processing buffers: an OutOfMemoryError (direct) stops it.`,
            },
        });
    }
    if (input.coordination === "zookeeper") rules.push(...zooKeeperAlerts(input));
    return rules;
}

/**
 * The ZooKeeper alerts, for ZooKeeper coordination only. `zk/connected` comes from
 * DruidConnectionStateListener, a monitor CuratorModule registers in every process
 * (`MetricsModule.register(binder, DruidConnectionStateListener.class)`,
 * apache/druid@0bc8cd282adee7ebf39436d22d5ae6689e64d1e2:server/src/main/java/org/apache/druid/curator/CuratorModule.java:77);
 * its `doMonitor` emits `isConnected() ? 1 : 0`, and `isConnected()` is false while no Curator
 * state change has been seen (`currentState != null && ...`,
 * apache/druid@0579d76270979c541c8772963dc0437e7fa340a5:server/src/main/java/org/apache/druid/curator/DruidConnectionStateListener.java:90-102).
 * With `druid.zk.service.enabled=false` `makeCurator` throws (CuratorModule.java:120-121) before
 * it adds the listener (line 126), so in Kubernetes mode every process reports 0 for ever. (Both
 * commits are the stored versions of the files; which commit the druid-37.0.0 tag points at could
 * not be resolved offline.)
 */
function zooKeeperAlerts(input: MonitoringInput): AlertRule[] {
    const labels = (severity: "critical" | "warning") => ({ severity, druid_cluster: input.cluster });
    const rules: AlertRule[] = [];
    const zk = `${gauge("zk/connected")}${sel(input)}`;
    rules.push({
        alert: "DruidZooKeeperDisconnected",
        expr: `min by (pod) (${zk}) == 0`,
        for: "5m",
        labels: labels("warning"),
        annotations: {
            summary: `{{ $labels.pod }} has lost ZooKeeper`,
            description: `{{ $labels.pod }} reports zk/connected 0 for 5 minutes: it cannot announce itself or see the cluster.`,
        },
    });
    rules.push({
        alert: "DruidZooKeeperQuorumLost",
        expr: `sum(${zk}) == 0 and count(${zk}) > 0`,
        for: "2m",
        labels: labels("critical"),
        annotations: {
            summary: `No Druid process of ${input.cluster} is connected to ZooKeeper`,
            description: `Every Druid process reports zk/connected 0: the ensemble has no quorum (or is unreachable). Discovery, leader election and segment announcements stop.`,
        },
    });
    return rules;
}

/** A Grafana panel: a time series of PromQL targets. */
export interface DashboardPanel {
    title: string;
    /** Row the panel belongs to. */
    row: "Query" | "Ingestion" | "Segments" | "JVM";
    unit: string;
    targets: { expr: string; legendFormat: string }[];
}

/** The dashboard's panels, from the same metric names as the alerts. */
export function dashboardPanels(input: MonitoringInput): DashboardPanel[] {
    const s = (extra: Record<string, string> = {}) => sel(input, extra);
    const broker = s({ druid_service: serviceLabel.broker });
    const per = (m: string) => `sum(${perPod(`rate(${counter(m)}${s()}[5m])`, "dataSource")}) * ${emissionPeriodSeconds}`;
    return [
        { row: "Query", title: "Queries per second (Brokers)", unit: "reqps", targets: [
            { expr: `sum(rate(${counter("query/count")}${broker}[5m]))`, legendFormat: "all" },
            { expr: `sum(rate(${counter("query/failed/count")}${broker}[5m]))`, legendFormat: "failed" },
        ] },
        { row: "Query", title: "Query time p50 / p95 / p99 (Brokers)", unit: "s", targets: [0.5, 0.95, 0.99].map((q) => ({
            expr: `histogram_quantile(${q}, sum by (le) (rate(${histogramBuckets("query/time")}${broker}[5m])))`, legendFormat: `p${Math.round(q * 100)}`,
        })) },
        { row: "Query", title: "Query time p95 by datasource", unit: "s", targets: [{
            expr: `histogram_quantile(0.95, sum by (le, dataSource) (rate(${histogramBuckets("query/time")}${broker}[5m])))`, legendFormat: "{{dataSource}}",
        }] },
        { row: "Ingestion", title: "Tasks running / pending", unit: "short", targets: [
            { expr: per("task/running/count"), legendFormat: "running" },
            { expr: per("task/pending/count"), legendFormat: "pending" },
        ] },
        { row: "Ingestion", title: "Tasks succeeded / failed per hour", unit: "short", targets: [
            { expr: `sum(${perPod(`increase(${counter("task/success/count")}${s()}[1h])`, "dataSource")})`, legendFormat: "succeeded" },
            { expr: `sum(${perPod(`increase(${counter("task/failed/count")}${s()}[1h])`, "dataSource")})`, legendFormat: "failed" },
        ] },
        { row: "Ingestion", title: "Kafka lag by datasource", unit: "short", targets: [{
            expr: `max by (dataSource) (${gauge("ingest/kafka/lag")}${s()})`, legendFormat: "{{dataSource}}",
        }] },
        { row: "Segments", title: "Unavailable / under-replicated segments", unit: "short", targets: [
            { expr: `sum(${fromCoordinatorLeader(input, `${gauge("segment/unavailable/count")}${s()}`)})`, legendFormat: "unavailable" },
            { expr: `sum(${fromCoordinatorLeader(input, `${gauge("segment/underReplicated/count")}${s()}`)})`, legendFormat: "under-replicated" },
        ] },
        { row: "Segments", title: "Load queue by Historical", unit: "short", targets: [{
            expr: `max by (server) (${fromCoordinatorLeader(input, `${gauge("segment/loadQueue/count")}${s()}`)})`, legendFormat: "{{server}}",
        }] },
        { row: "Segments", title: "Segment cache used by tier", unit: "bytes", targets: [{
            expr: `sum by (tier) (${gauge("segment/used")}${s({ druid_service: serviceLabel.historical })})`, legendFormat: "{{tier}}",
        }] },
        { row: "JVM", title: "Heap used / max by pod", unit: "percentunit", targets: [{
            expr: `max by (pod) (${gauge("jvm/mem/used")}${s({ memKind: "heap" })} / ${gauge("jvm/mem/max")}${s({ memKind: "heap" })})`, legendFormat: "{{pod}}",
        }] },
        { row: "JVM", title: "Direct buffers by pod", unit: "bytes", targets: [{
            expr: `max by (pod) (${gauge("jvm/bufferpool/used")}${s({ bufferpoolName: "direct" })})`, legendFormat: "{{pod}}",
        }] },
        { row: "JVM", title: "GC CPU time by pod", unit: "percentunit", targets: [{
            expr: `sum by (pod) (rate(${counter("jvm/gc/cpu")}${s()}[5m])) / 1e9`, legendFormat: "{{pod}}",
        }] },
    ];
}

/** The Grafana dashboard JSON (schema of Grafana 10/11 dashboards; `uid` stable per cluster). */
export function grafanaDashboard(input: MonitoringInput): Record<string, unknown> {
    const panels: Record<string, unknown>[] = [];
    let id = 1;
    let y = 0;
    for (const row of ["Query", "Ingestion", "Segments", "JVM"] as const) {
        panels.push({ id: id++, type: "row", title: row, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y++ }, panels: [] });
        dashboardPanels(input).filter((p) => p.row === row).forEach((p, i) => {
            panels.push({
                id: id++,
                type: "timeseries",
                title: p.title,
                datasource: { type: "prometheus", uid: "${datasource}" },
                gridPos: { h: 8, w: 8, x: (i % 3) * 8, y: y + Math.floor(i / 3) * 8 },
                fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
                targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legendFormat })),
            });
        });
        y += 8 * Math.ceil(dashboardPanels(input).filter((p) => p.row === row).length / 3);
    }
    return {
        uid: `druid-${input.cluster}`.slice(0, 40),
        title: `Druid ${input.cluster} (${input.namespace})`,
        tags: ["druid", "pulumi-druid"],
        timezone: "utc",
        schemaVersion: 39,
        refresh: "1m",
        time: { from: "now-6h", to: "now" },
        templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus" }] },
        panels,
    };
}
