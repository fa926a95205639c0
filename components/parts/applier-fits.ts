// Whether the data-management Job can carry what it applies. The check measures the script the
// configuration generator writes (config/config-applier.ts), so it runs here, in the component
// layer, which may read generators (the plan may not: docs/design.md); DruidCluster calls it right
// after the plan is resolved, before anything is registered.
import { DruidArgumentError } from "../core/errors";
import { configApplierScript } from "../config/config-applier";
import { dataManagementRequests } from "../config/data-management";
import { DataManagementPlan } from "../plan/data-management-plan";
import { AccessPlan } from "../plan/access-plan";
import { accessScript } from "../config/access-requests";

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
export function checkApplierFits(plans: { dataManagement?: DataManagementPlan; access?: AccessPlan }): void {
    checkAccessFits(plans.access);
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
