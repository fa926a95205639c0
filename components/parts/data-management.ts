import * as pulumi from "@pulumi/pulumi";
import { servicePort } from "../config/druid-config";
import { createConfigApplier } from "../k8s/config-applier";
import { druidObjectName } from "../k8s/druid-service";
import { ClusterPlan } from "../plan/resolve";
import { mapInput } from "../core/validate-input";
import { Parent } from "./parent";
import { ReplicaPatches } from "./replica-patches";
import { Secrets } from "./secrets";
import { coordinatorUrl } from "./services";

/**
 * The data-management Job (k8s/config-applier.ts) that applies `dataManagement` (rules, compaction,
 * dynamic configuration) once the Coordinator is up and the Overlord scaled up; and a warning for
 * Historical tiers no rule of the component names.
 */
export function createDataManagement(name: string,
    plan: Pick<ClusterPlan, "dataManagement" | "tls" | "namespace" | "image" | "druidVersion" | "auth" | "services" | "tiersWithoutRules">,
    namespace: pulumi.Input<string>, secrets: Secrets, replicas: ReplicaPatches, parent: Parent): void {
    if (plan.dataManagement !== undefined) {
        // The Coordinator is up (its workload awaited Ready), and the Overlord scaled up, before the Job runs.
        const overlordPatch = replicas.patches.get("overlord");
        const tls = plan.tls !== undefined;
        const coordinator = coordinatorUrl(name, plan);
        createConfigApplier(`${name}-config-applier`, {
            cluster: name,
            namespace,
            plan: plan.dataManagement,
            image: plan.image,
            druidVersion: plan.druidVersion,
            coordinatorUrl: coordinator,
            overlordUrl: overlordPatch !== undefined
                ? mapInput(plan.namespace, (ns) => `${tls ? "https" : "http"}://${druidObjectName(name, "overlord")}.${ns}.svc:${servicePort("overlord", tls)}`)
                : coordinator,
            auth: plan.auth.enabled,
            secretEnv: secrets.internalClientEnv,
            scheduling: plan.services.find((s) => s.kind === "coordinator")?.scheduling,
            after: [...replicas.starters, ...(overlordPatch !== undefined ? [overlordPatch] : [])],
        }, parent);
    }
    if (plan.tiersWithoutRules.length > 0) {
        void pulumi.log.warn(`Historical tier(s) ${plan.tiersWithoutRules.map((t) => JSON.stringify(t)).join(", ")} get no segments from any rule of this component ` +
            "(dataManagement.defaultRules / rules): they stay empty unless rules set in Druid name them.", parent.parent);
    }
}
