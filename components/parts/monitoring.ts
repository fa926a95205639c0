import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { druidObjectName } from "../k8s/druid-service";
import { createMonitoring } from "../k8s/monitoring";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";

/**
 * The Prometheus Operator objects: the ServiceMonitor of the Druid pods' metrics port
 * (`metrics.serviceMonitor` with the Prometheus emitter), and the alert rules and dashboards
 * (`metrics.alerts`, `metrics.dashboards`; k8s/monitoring.ts).
 */
export function createClusterMonitoring(name: string, plan: Pick<ClusterPlan, "metrics" | "namespace" | "coordination" | "taskPods" | "services">,
    namespace: pulumi.Input<string>, parent: Parent): void {
    const metricsPort = plan.metrics.emitter === "prometheus" ? plan.metrics.prometheusPort : undefined;
    if (plan.metrics.serviceMonitor && metricsPort !== undefined) {
        new k8s.apiextensions.CustomResource(`${name}-druid`, {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata: { name: `${name}-druid`, namespace },
            spec: {
                selector: { matchLabels: { "app.kubernetes.io/instance": name, "app.kubernetes.io/name": "druid" } },
                endpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }],
            },
        }, parent);
    }

    if (plan.metrics.alerts || plan.metrics.dashboards) {
        createMonitoring(name, {
            cluster: name,
            namespace: plan.namespace,
            coordination: plan.coordination,
            taskJobs: plan.taskPods !== undefined ? { capacity: plan.taskPods.capacity } : undefined,
            thresholds: plan.metrics.thresholds,
            workloads: plan.services.map((s) => ({
                kind: s.kind,
                objectName: druidObjectName(name, s.key),
                replicas: s.autoscaling?.minReplicas ?? s.replicas,
                directBytes: s.tuning.directBytes,
                processingBytes: s.tuning.processing === undefined ? 0
                    : (s.tuning.processing.numThreads + s.tuning.processing.numMergeBuffers) * s.tuning.processing.bufferSizeBytes,
                taskSlots: s.tuning.workerCapacity,
                runsOverlord: s.combinedWithOverlord,
            })),
        }, { namespace, alerts: plan.metrics.alerts, dashboards: plan.metrics.dashboards, ruleLabels: plan.metrics.ruleLabels, parent: parent.parent });
    }
}
