import * as pulumi from "@pulumi/pulumi";
import { accessScript } from "../config/access-requests";
import { createApplierJob } from "../k8s/config-applier";
import { mapInput } from "../core/validate-input";
import { ClusterPlan } from "../plan/resolve";
import { accessApplierJobName } from "../plan/names";
import { Parent } from "./parent";
import { ReplicaPatches } from "./replica-patches";
import { Secrets } from "./secrets";
import { coordinatorUrl } from "./services";

/** The pod's component label of the access Job. */
export const accessComponent = "access-applier";

/**
 * The access Job (config/access-requests.ts's script) that makes Druid's roles, users and LDAP
 * group mappings what `access` declares, once the Coordinator is up: the same dependencies as the
 * data-management Job. A change to `access` is a new Job (its name hashes the script), which runs again.
 */
export function createAccess(name: string,
    plan: Pick<ClusterPlan, "access" | "tls" | "namespace" | "image" | "druidVersion" | "auth" | "services">,
    namespace: pulumi.Input<string>, secrets: Secrets, replicas: ReplicaPatches, parent: Parent): void {
    const access = plan.access;
    if (access === undefined) return;
    const overlordPatch = replicas.patches.get("overlord");
    const script = mapInput(coordinatorUrl(name, plan), (url) => accessScript({
        plan: access, coordinatorUrl: url, auth: plan.auth.enabled, comment: `DruidCluster ${name}`,
    }));
    createApplierJob(`${name}-access-applier`, {
        cluster: name, namespace, image: plan.image, druidVersion: plan.druidVersion, component: accessComponent,
        jobName: (hash) => accessApplierJobName(name, hash), script, deadlineSeconds: access.applyTimeoutSeconds,
        // The internal client's password, and each basic account's, from their Secrets only.
        secretEnv: [
            ...secrets.internalClientEnv,
            ...access.users.flatMap((u) => (u.password !== undefined ? [{ name: u.password.env, secretName: u.password.secretName, key: u.password.key }] : [])),
        ],
        scheduling: plan.services.find((s) => s.kind === "coordinator")?.scheduling,
        after: [...replicas.starters, ...(overlordPatch !== undefined ? [overlordPatch] : [])],
    }, parent);
}
