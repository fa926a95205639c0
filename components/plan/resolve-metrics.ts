import { DruidClusterArgs } from "../args";
import { AlertThresholds, defaultAlertThresholds } from "./monitoring-plan";
import { DruidArgumentError } from "../core/errors";
import { checkInteger, checkOneOf, shapeOf } from "./validate";
import { checkLabels } from "./validate-kubernetes";
import { ClusterPlan } from "./cluster-plan";

// The plan of metrics: emitter, Prometheus scrape objects, alerts and the dashboard.

export function resolveMetrics(args: DruidClusterArgs): ClusterPlan["metrics"] {
    const m = args.metrics ?? {};
    const emitter = checkOneOf("metrics.emitter", m.emitter, "prometheus", ["prometheus", "logging", "none"] as const);
    const alerts = m.alerts ?? false;
    const dashboards = m.dashboards ?? false;
    for (const [key, on] of [["alerts", alerts], ["dashboards", dashboards]] as const) {
        if (on && emitter !== "prometheus") {
            throw new DruidArgumentError(`metrics.${key}`, true,
                `needs metrics.emitter "prometheus" (got "${emitter}"): the alerts and the dashboard read the Prometheus emitter's metrics`);
        }
    }
    if (m.alertThresholds !== undefined && !alerts) {
        throw new DruidArgumentError("metrics.alertThresholds", shapeOf(m.alertThresholds), "only applies with metrics.alerts = true");
    }
    const t = m.alertThresholds ?? {};
    const d = defaultAlertThresholds;
    const minutes = (key: keyof AlertThresholds) => checkInteger(`metrics.alertThresholds.${key}`, t[key], d[key], 1, 1440);
    const ratio = (key: keyof AlertThresholds) => {
        const v = t[key] ?? d[key];
        if (typeof v !== "number" || !(v > 0 && v <= 1)) {
            throw new DruidArgumentError(`metrics.alertThresholds.${key}`, t[key], "must be a ratio greater than 0 and at most 1 (e.g. 0.9 for 90%)");
        }
        return v;
    };
    const p95 = t.queryP95Seconds ?? d.queryP95Seconds;
    if (typeof p95 !== "number" || !(p95 > 0 && p95 <= 300)) {
        // The emitter's query/time histogram has buckets up to 300 s (Metrics.java); above, the quantile is meaningless.
        throw new DruidArgumentError("metrics.alertThresholds.queryP95Seconds", t.queryP95Seconds, "must be greater than 0 and at most 300 seconds (the emitter's largest histogram bucket)");
    }
    const thresholds: AlertThresholds = {
        serviceDownMinutes: minutes("serviceDownMinutes"),
        segmentsUnavailableMinutes: minutes("segmentsUnavailableMinutes"),
        underReplicatedMinutes: minutes("underReplicatedMinutes"),
        loadQueueStuckMinutes: minutes("loadQueueStuckMinutes"),
        pendingTasksMinutes: minutes("pendingTasksMinutes"),
        failedTasksPerHour: checkInteger("metrics.alertThresholds.failedTasksPerHour", t.failedTasksPerHour, d.failedTasksPerHour, 1, 100000),
        taskSlotsFullMinutes: minutes("taskSlotsFullMinutes"),
        queryFailureRatio: ratio("queryFailureRatio"),
        queryP95Seconds: p95,
        heapUsedRatio: ratio("heapUsedRatio"),
        directMemoryHeadroomRatio: ratio("directMemoryHeadroomRatio"),
    };
    return {
        emitter,
        prometheusPort: checkInteger("metrics.prometheusPort", m.prometheusPort, 9000, 1024, 65535),
        serviceMonitor: m.serviceMonitor ?? false,
        alerts,
        dashboards,
        thresholds,
        ruleLabels: checkLabels("metrics.ruleLabels", m.ruleLabels),
    };
}
