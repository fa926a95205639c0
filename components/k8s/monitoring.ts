import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mapInput } from "../core/validate-input";
import { alertRules, grafanaDashboard, MonitoringInput } from "../config/monitoring";

/**
 * The cluster watched: a Prometheus Operator `PrometheusRule` (monitoring.coreos.com/v1, like the
 * ServiceMonitor) with the alerts of `components/config/monitoring.ts`, and a Grafana dashboard as a
 * ConfigMap labelled `grafana_dashboard: "1"`, the label the Grafana Helm chart's dashboard sidecar
 * looks for by default (`sidecar.dashboards.label`/`labelValue`).
 */
export function createMonitoring(name: string, input: Omit<MonitoringInput, "namespace"> & { namespace: string | pulumi.Output<string> }, opts: {
    namespace: pulumi.Input<string>; alerts: boolean; dashboards: boolean; ruleLabels: Record<string, string>; parent: pulumi.Resource;
}): void {
    const parent = { parent: opts.parent };
    // The namespace (in every selector) may be another resource's output: the texts are then built when it resolves.
    const withNamespace = <R>(f: (i: MonitoringInput) => R) => mapInput(input.namespace, (namespace) => f({ ...input, namespace }));
    if (opts.alerts) {
        new k8s.apiextensions.CustomResource(`${name}-alerts`, {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: { name: `${name}-alerts`, namespace: opts.namespace, labels: { "app.kubernetes.io/instance": name, "app.kubernetes.io/name": "druid", ...opts.ruleLabels } },
            spec: { groups: [{ name: `druid-${name}`, rules: withNamespace(alertRules) }] },
        }, parent);
    }
    if (opts.dashboards) {
        new k8s.core.v1.ConfigMap(`${name}-dashboard`, {
            metadata: {
                name: `${name}-dashboard`,
                namespace: opts.namespace,
                labels: { "app.kubernetes.io/instance": name, "app.kubernetes.io/name": "druid", grafana_dashboard: "1" },
            },
            data: { [`druid-${name}.json`]: withNamespace((i) => JSON.stringify(grafanaDashboard(i), null, 2)) },
        }, parent);
    }
}
