import * as pulumi from "@pulumi/pulumi";
import { DeepStorage } from "../aws/deep-storage";
import { druidPaths, servicePort } from "../config/druid-config";
import { podIdentityEnv, taskTemplateMount } from "../config/kubernetes-native";
import { druidObjectName, DruidService } from "../k8s/druid-service";
import { ServiceAccounts } from "../k8s/service-accounts";
import { ClusterPlan, ServicePlan } from "../plan/resolve";
import { rollingUpdateWaves } from "../plan/rolling-order";
import { mapInput } from "../core/validate-input";
import { Configuration } from "./configuration";
import { metadataCaVolume } from "./metadata-ca";
import { Parent } from "./parent";
import { Secrets } from "./secrets";
import { createTaskTemplate } from "./task-template";

/** What createServices calls after each rolling wave's workloads (parts/zone-waves.ts): returns what the next wave must also wait for. */
export type AfterWave = (wave: ServicePlan[], services: Map<string, DruidService>) => pulumi.Resource[];

/** What the Druid services are wired to: the parts built before them. */
export interface ServiceWiring {
    namespace: pulumi.Input<string>;
    accounts: ServiceAccounts;
    secrets: Secrets;
    deepStorage: DeepStorage;
    configuration: Configuration;
    /** What the first wave waits for: ZooKeeper's quorum, or the Roles of discovery through the Kubernetes API. */
    coordinationReady: pulumi.Resource[];
    /** What every service waits for: the cert-manager Certificate and its keystore password. */
    tlsReady: pulumi.Resource[];
    /**
     * Called after each rolling wave's workloads (parts/zone-waves.ts): makes the zone-wave Jobs of
     * the zone-aware groups in the wave and returns what the next wave must also wait for (the last
     * wave Job of each group). Default: nothing.
     */
    afterWave?: AfterWave;
}

type ServicesPlan = Pick<ClusterPlan, "services" | "namespace" | "tls" | "coordination" | "taskPods" | "image" | "druidVersion" | "metrics" | "customization"
    | "metadataTls" | "volumeRetention" | "router" | "auth" | "podExtras" | "placement">;

/** The URL of the Coordinator's Service inside the cluster (what the tier gate and the data-management Job call). */
export function coordinatorUrl(name: string, plan: Pick<ClusterPlan, "namespace" | "tls">): string | pulumi.Output<string> {
    return mapInput(plan.namespace, (ns) =>
        `${plan.tls !== undefined ? "https" : "http"}://${druidObjectName(name, "coordinator")}.${ns}.svc:${servicePort("coordinator", plan.tls !== undefined)}`);
}

/**
 * Every Druid service (k8s/druid-service.ts), in the waves of the rolling-update order
 * (rolling-order.ts), each wave waiting for the one before; with tasks as Kubernetes Jobs, the task
 * template in the MiddleManagers' place. Returns the services by key.
 */
export function createServices(name: string, plan: ServicesPlan, w: ServiceWiring, parent: Parent): Map<string, DruidService> {
    const { namespace, accounts, secrets, deepStorage, configuration } = w;
    const namespaceName = plan.namespace;
    const serviceAccount = accounts.druid;
    const metadataCa = metadataCaVolume(name, plan, namespace, parent);
    const services = new Map<string, DruidService>();
    const metricsPort = plan.metrics.emitter === "prometheus" ? plan.metrics.prometheusPort : undefined;
    const coordinator = coordinatorUrl(name, plan);
    const fieldEnv = plan.coordination === "kubernetes"
        ? [{ name: podIdentityEnv.name, fieldPath: "metadata.name" }, { name: podIdentityEnv.namespace, fieldPath: "metadata.namespace" }] : [];
    const runsTasksAsJobs = (svc: ServicePlan) => plan.taskPods !== undefined && (svc.kind === "overlord" || svc.combinedWithOverlord === true);
    const taskFiles = configuration.taskFiles;
    let taskTemplateName: pulumi.Output<string> | undefined;
    let previousWave: pulumi.Resource[] = w.coordinationReady;
    for (const wave of rollingUpdateWaves(plan.services)) {
        const current: pulumi.Resource[] = [];
        // Historical tiers that roll themselves (RollingUpdate) roll one tier after another: two tiers
        // each losing a pod at once could take both replicas of a segment ruled onto one pod of each
        // (tests/rollout-model.test.ts). Zone-aware tiers (OnDelete) are rolled by their wave Jobs.
        let previousTier: pulumi.Resource | undefined;
        if (plan.taskPods !== undefined && taskFiles !== undefined && taskTemplateName === undefined && wave[0].kind !== "historical") {
            // The task pods take the MiddleManagers' place in the rolling-update order: their
            // template changes after the Historicals rolled and before the Brokers roll.
            const task = createTaskTemplate(name, plan, plan.taskPods, { namespace, serviceAccount, secrets, deepStorage, configuration }, taskFiles, previousWave, parent);
            taskTemplateName = task.templateName;
            previousWave = task.ready;
        }
        for (const svc of wave) {
            const druidService = new DruidService(`${name}-${svc.key}`, {
                cluster: name,
                namespace,
                namespaceName,
                plan: svc,
                image: plan.image,
                druidVersion: plan.druidVersion,
                serviceAccountName: runsTasksAsJobs(svc) && accounts.overlord !== undefined ? accounts.overlord.metadata.name : serviceAccount.metadata.name,
                commonConfigMapName: configuration.commonConfigMap.metadata.name,
                commonText: configuration.commonText,
                runtimeText: configuration.runtimeText(svc),
                jvmText: configuration.jvmText(svc),
                secretEnv: secrets.envFor(svc),
                plainEnv: [{ name: "AWS_REGION", value: deepStorage.region }],
                fieldEnv,
                extraVolumes: [
                    ...(runsTasksAsJobs(svc) && taskTemplateName !== undefined ? [{
                        volume: { name: "task-template", configMap: { name: taskTemplateName } },
                        mount: { name: "task-template", mountPath: taskTemplateMount.dir, readOnly: true },
                    }, {
                        // The Overlord's druid.indexer.task.baseDir (kubernetes-native.ts overlordRunnerProperties), writable.
                        volume: { name: "task-storage", emptyDir: {} },
                        mount: { name: "task-storage", mountPath: druidPaths.taskDir },
                    }] : []),
                    // The metadata store's CA bundle, on the services that connect to it.
                    ...(svc.usesMetadataStore && metadataCa !== undefined ? [metadataCa] : []),
                ],
                metricsPort,
                tls: plan.tls,
                volumeRetention: plan.volumeRetention,
                serviceType: svc.kind === "router" ? plan.router.serviceType : undefined,
                serviceAnnotations: svc.kind === "router" ? plan.router.serviceAnnotations : undefined,
                after: [...previousWave, ...w.tlsReady, ...(svc.kind === "historical" && svc.updateStrategy !== "OnDelete" && previousTier !== undefined ? [previousTier] : [])],
                auth: plan.auth.enabled,
                coordinatorUrl: coordinator,
                tierGate: svc.kind === "historical" && svc.volume?.ephemeral === true,
                // A new password generation restarts every pod with the new passwords (none at 0, so
                // clusters from before this annotation do not roll for it).
                extras: plan.podExtras[svc.key],
                placement: plan.placement[svc.key],
                podAnnotations: plan.auth.enabled && plan.auth.passwordGeneration > 0
                    ? { "druid.apache.org/password-generation": String(plan.auth.passwordGeneration) } : {},
            }, parent);
            services.set(svc.key, druidService);
            current.push(druidService.workload);
            if (svc.kind === "historical" && svc.updateStrategy !== "OnDelete") previousTier = druidService.workload;
        }
        // A zone-aware group is rolled by its wave Jobs, zone after zone: the next wave waits for the last.
        previousWave = [...current, ...(w.afterWave?.(wave, services) ?? [])];
    }
    return services;
}
