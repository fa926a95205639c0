// Monitoring, re-exported by args.ts: the metrics emitter, the Prometheus Operator objects and
// the alerts' thresholds. Checked in resolve.ts; built in k8s/monitoring.ts.

/** Which metrics emitter Druid uses. */
export const MetricsEmitter = { Prometheus: "prometheus", Logging: "logging", None: "none" } as const;

/** Which metrics emitter Druid uses. */
export type MetricsEmitter = (typeof MetricsEmitter)[keyof typeof MetricsEmitter];

/** Metrics. */
export interface Metrics {
    /** Emitter. Default "prometheus" (exporter strategy, scrape annotations); "logging" logs metrics; "none" emits nothing. */
    emitter?: MetricsEmitter;
    /** Port of the Prometheus exporter in every Druid pod. Default 9000. */
    prometheusPort?: number;
    /** Create a Prometheus Operator ServiceMonitor. Default false. */
    serviceMonitor?: boolean;
    /** Create a Prometheus Operator PrometheusRule with the cluster's alerts (needs the "prometheus" emitter). Default false. */
    alerts?: boolean;
    /** Thresholds of the alerts. Defaults: see each field. */
    alertThresholds?: AlertThresholds;
    /** Labels on the PrometheusRule (e.g. the `release` label your Prometheus's `ruleSelector` matches). Default: none. */
    ruleLabels?: { [key: string]: string };
    /** Create a Grafana dashboard ConfigMap (label `grafana_dashboard: "1"`, for the Grafana sidecar; needs the "prometheus" emitter). Default false. */
    dashboards?: boolean;
}

/** When the alerts of `metrics.alerts` fire. */
export interface AlertThresholds {
    /** Minutes a Druid service may have fewer pods reporting than planned (none: critical) before an alert. Default 5. */
    serviceDownMinutes?: number;
    /** Minutes segments may stay unavailable (not loaded anywhere) before an alert. Default 10. */
    segmentsUnavailableMinutes?: number;
    /** Minutes segments may stay under-replicated before an alert. Default 30. */
    underReplicatedMinutes?: number;
    /** Minutes a Historical's segment load queue may stay non-empty without shrinking before an alert. Default 15. */
    loadQueueStuckMinutes?: number;
    /** Minutes tasks may stay pending (waiting for a slot or a lock) before an alert. Default 15. */
    pendingTasksMinutes?: number;
    /** Failed tasks within an hour that fire an alert. Default 1. */
    failedTasksPerHour?: number;
    /** Minutes every task slot may stay busy before an alert. Default 30. */
    taskSlotsFullMinutes?: number;
    /** Share of Broker queries that fail, over 10 minutes, that fires an alert (0-1). Default 0.05. */
    queryFailureRatio?: number;
    /** 95th percentile of Broker query time, in seconds, over 10 minutes, that fires an alert. Default 10. */
    queryP95Seconds?: number;
    /** Share of the JVM heap in use, sustained 15 minutes, that fires an alert (0-1). Default 0.9. */
    heapUsedRatio?: number;
    /** Share of the direct memory left beyond the processing buffers that may be used, sustained 15 minutes, before an alert (0-1). Default 0.9. */
    directMemoryHeadroomRatio?: number;
}
