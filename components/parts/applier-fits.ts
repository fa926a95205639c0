// Whether the in-cluster Jobs (data management, access, zone waves) can carry what they apply. The
// checks measure the scripts the configuration generators write (config/), so they run here, in the
// component layer, which may read generators (the plan may not: docs/design.md); DruidCluster calls
// them right after the plan is resolved, before anything is registered.
import { DruidArgumentError } from "../core/errors";
import { configApplierScript } from "../config/config-applier";
import { dataManagementRequests } from "../config/data-management";
import { DataManagementPlan } from "../plan/data-management-plan";
import { AccessPlan } from "../plan/access-plan";
import { accessScript } from "../config/access-requests";
import { zoneWaveScript } from "../config/zone-wave";
import { ServicePlan } from "../plan/cluster-plan";
import { ZoneWaveGroup, zoneWaveSettleSeconds } from "../plan/zone-wave-plan";

/**
 * The API server's limit of a ConfigMap's data (keys and values together): 1 MiB
 * (k8s.io/kubernetes pkg/apis/core/validation ValidateConfigMap: totalSize > core.MaxSecretSize,
 * 1024 * 1024 bytes, "must have at most 1048576 bytes").
 */
export const configMapMaxBytes = 1024 * 1024;

/**
 * The applier's script (every request body), which its Job reads from a ConfigMap, must fit one:
 * measured with the longest URLs the Services can have (253-character host names), so that the
 * namespace, known only later when it is another resource's output, cannot push it over.
 */
export function checkApplierFits(plans: { name: string; dataManagement?: DataManagementPlan; access?: AccessPlan; zoneWaves: ZoneWaveGroup[]; services: ServicePlan[] }): void {
    checkAccessFits(plans.access);
    if (plans.zoneWaves.length > 0) checkZoneWaves(plans.name, plans.zoneWaves, plans.services);
    const plan = plans.dataManagement;
    if (plan === undefined) return;
    const longest = `https://${"x".repeat(253)}:65535`;
    const script = configApplierScript({
        requests: dataManagementRequests(plan), coordinatorUrl: longest, overlordUrl: longest, auth: true, deadlineSeconds: plan.applyTimeoutSeconds,
        comment: `DruidCluster ${"x".repeat(40)}`,
    });
    // With TLS the script POSTs through `wget --post-data BODY`: each body is one exec argument,
    // which Linux caps at MAX_ARG_STRLEN (32 pages, 131,072 bytes: include/uapi/linux/binfmts.h).
    for (const r of dataManagementRequests(plan)) {
        const size = Buffer.byteLength(r.body, "utf8");
        if (size >= 131072) {
            throw new DruidArgumentError("dataManagement", `the body of POST ${r.path}, ${size} bytes`,
                "must stay under 131072 bytes, the largest single argument Linux passes to a program (the applier's wget takes it as one): split the rules or the configuration");
        }
    }
    const bytes = Buffer.byteLength(script, "utf8") + "apply.sh".length;
    if (bytes > configMapMaxBytes) {
        const ruleCount = (plan.defaultRules?.length ?? 0) + plan.rules.reduce((n, [, r]) => n + r.length, 0);
        throw new DruidArgumentError("dataManagement", `${ruleCount} rules in ${plan.rules.length + (plan.defaultRules !== undefined ? 1 : 0)} rule lists and ${plan.compaction.length} compaction configurations`,
            `make an applier script of ${bytes} bytes, over the ${configMapMaxBytes} bytes a Kubernetes ConfigMap holds (its Job reads the script from one): ` +
            "give fewer rules or compaction configurations (e.g. one rule list for many datasources through defaultRules), or apply the rest outside the component");
    }
}

/** The access Job's script (every role's permissions, user and mapping) must fit its ConfigMap, and each body one exec argument. */
export function checkAccessFits(plan: AccessPlan | undefined): void {
    if (plan === undefined) return;
    const script = accessScript({ plan, coordinatorUrl: `https://${"x".repeat(253)}:65535`, auth: true, comment: `DruidCluster ${"x".repeat(40)}` });
    for (const r of plan.roles) {
        const size = Buffer.byteLength(JSON.stringify(r.permissions), "utf8") * 2;
        if (size >= 131072) {
            throw new DruidArgumentError("access.roles", `role "${r.name}" with ${r.permissions.length} permissions`,
                "must have a permissions body under 131072 bytes, the largest single argument Linux passes to a program (the Job's wget takes it as one): use fewer, broader patterns");
        }
    }
    const bytes = Buffer.byteLength(script, "utf8") + "apply.sh".length;
    if (bytes > configMapMaxBytes) {
        throw new DruidArgumentError("access", `${plan.roles.length} roles, ${plan.users.length} users and ${plan.ldapGroups.length} group mappings`,
            `make an access script of ${bytes} bytes, over the ${configMapMaxBytes} bytes a Kubernetes ConfigMap holds (its Job reads the script from one): use fewer, broader roles or group mappings`);
    }
}

/**
 * What the wave Jobs need of the plan, refused before any of them is made: each wave's service is a
 * StatefulSet of the plan, of the group's kind; the script fits its ConfigMap (measured with the
 * longest Coordinator URL a Service can have, as parts/applier-fits.ts does).
 */
export function checkZoneWaves(name: string, groups: ZoneWaveGroup[], services: ServicePlan[]): void {
    for (const group of groups) {
        if (group.waves.length < 2) {
            throw new DruidArgumentError(`zone waves of ${group.key} (its zones)`, group.waves.map((w) => w.zone), "a zone-aware group needs at least 2 zones: one restarts while the others serve");
        }
        for (const w of group.waves) {
            const svc = services.find((s) => s.key === w.serviceKey);
            if (svc === undefined || svc.kind !== group.kind || svc.volume === undefined) {
                throw new DruidArgumentError(`zone waves of ${group.key}, zone ${w.zone}`, w.serviceKey,
                    `must name a ${group.kind} StatefulSet of the plan (${services.filter((s) => s.kind === group.kind).map((s) => s.key).join(", ") || "none"})`);
            }
        }
    }
    const longest = zoneWaveScript({ coordinatorUrl: `https://${"x".repeat(253)}:65535`, auth: true, settleSeconds: zoneWaveSettleSeconds });
    const bytes = Buffer.byteLength(longest, "utf8") + "wave.sh".length;
    if (bytes > configMapMaxBytes) {
        throw new DruidArgumentError(`zone waves of ${name}`, `a script of ${bytes} bytes`, `must fit the ${configMapMaxBytes} bytes of a ConfigMap`);
    }
}
