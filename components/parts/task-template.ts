import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DeepStorage } from "../aws/deep-storage";
import { createTaskConfigMaps } from "../k8s/task-template";
import { ClusterPlan } from "../plan/resolve";
import { Configuration, TaskFiles } from "./configuration";
import { Parent } from "./parent";
import { Secrets } from "./secrets";

/** The task template, and what the next wave of Druid services waits for. */
export interface TaskTemplate {
    /** Name of the ConfigMap of the pod template the Overlord mounts. */
    templateName: pulumi.Output<string>;
    /** The task ConfigMaps: the next wave waits for them. */
    ready: pulumi.Resource[];
}

/**
 * The pod template and configuration of the tasks that run as Kubernetes Jobs (k8s/task-template.ts),
 * created after `after` (the wave before, in the rolling-update order).
 */
export function createTaskTemplate(name: string,
    plan: Pick<ClusterPlan, "namespace" | "image" | "druidVersion" | "metrics" | "tls" | "coordination" | "customization">, taskPods: NonNullable<ClusterPlan["taskPods"]>,
    w: { namespace: pulumi.Input<string>; serviceAccount: k8s.core.v1.ServiceAccount; secrets: Secrets; deepStorage: DeepStorage; configuration: Configuration },
    files: TaskFiles, after: pulumi.Resource[], parent: Parent): TaskTemplate {
    const task = createTaskConfigMaps(name, {
        cluster: name, namespace: w.namespace, namespaceName: plan.namespace, plan: taskPods, image: plan.image, druidVersion: plan.druidVersion,
        serviceAccountName: w.serviceAccount.metadata.name, commonConfigMapName: w.configuration.commonConfigMap.metadata.name,
        secretEnv: w.secrets.envFor({ kind: "peon", usesMetadataStore: false }),
        plainEnv: [{ name: "AWS_REGION", value: w.deepStorage.region }],
        metricsPort: plan.metrics.emitter === "prometheus" ? plan.metrics.prometheusPort : undefined,
        tls: plan.tls, podIdentity: plan.coordination === "kubernetes", customization: plan.customization,
    }, files, { ...parent, dependsOn: after });
    return { templateName: task.template.metadata.name, ready: [task.taskConfig, task.template] };
}
