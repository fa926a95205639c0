import { Access } from "../args";
import { DruidArgumentError } from "../core/errors";
import { accessPasswordEnv, authName } from "./layout";
import { AccessGroupPlan, AccessPermissionPlan, AccessPlan, AccessRolePlan, AccessUserPlan, accessActions, accessResourceTypes, builtInRoles, druidAdminRole, druidAdminUser, managedRecordRole } from "./access-plan";
import { checkJavaRegex } from "./validate-java-regex";
import { plainSecretError } from "./secret-key-ref";
import { ProblemCollector } from "./validate-collect";
import { checkDnsSubdomain, checkInteger } from "./validate";

// Validation of `access` (roles, users, LDAP group mappings) into the plan of the access Job
// (config/access-requests.ts). Called by resolve.ts; one problem per mistake through the collector.


/**
 * Role and group-mapping names: a path segment of Druid's API (`.../roles/{roleName}`), so only
 * characters that need no escaping in a URL path and that Jersey's @PathParam decodes to
 * themselves; "." and ".." alone would be dot-segments a client or proxy removes.
 */
const safeName = /^[A-Za-z0-9._-]{1,256}$/;
/** User names also take "@" (an OIDC identity claim is often an e-mail address; "@" is a pchar of RFC 3986). */
const safeUserName = /^[A-Za-z0-9._@-]{1,256}$/;

/** A Kubernetes Secret key (ConfigMap/Secret keys: [-._a-zA-Z0-9]+, at most 253). */
const secretKey = /^[-._a-zA-Z0-9]{1,253}$/;

function checkName(argument: string, name: string, pattern: RegExp, what: string): string {
    if (typeof name !== "string" || !pattern.test(name) || name === "." || name === "..") {
        throw new DruidArgumentError(argument, name,
            `must be 1 to 256 ${what} (Druid's API takes it as a path segment), not "." or ".."`);
    }
    return name;
}

/** Names given twice in a list: one error on the second. */
function checkUnique(argument: string, names: string[], problems: ProblemCollector): void {
    const seen = new Set<string>();
    names.forEach((n, i) => {
        if (seen.has(n)) problems.add(new DruidArgumentError(`${argument}[${i}].name`, n, `is given twice in ${argument}: each name once`));
        seen.add(n);
    });
}

/** Where the resolution reads whether the cluster has auth and LDAP. */
export interface AccessContext {
    authEnabled: boolean;
    /** `auth.ldap` is given (part 1 of issue #24): the LDAP authorizer exists. */
    ldap: boolean;
}

/** The validated `access`, or undefined when none is given. */
export function resolveAccess(access: Access | undefined, ctx: AccessContext, problems: ProblemCollector): AccessPlan | undefined {
    if (access === undefined) return undefined;
    if (!ctx.authEnabled) {
        throw new DruidArgumentError("access", "(given)",
            "needs Druid's basic-security authorizer, which auth.enabled: false turns off: enable auth or remove access");
    }
    const step = <T>(check: () => T, fallback: T): T => problems.attempt(check, fallback);
    const builtIn = access.builtInRoles ?? true;
    const reserved = new Map<string, string>([
        [druidAdminRole, "Druid creates the role \"admin\" with every permission and gives it to admin and druid_system; redefining it could lock them out"],
        [managedRecordRole, "the access Job records what it manages in this role"],
    ]);
    if (builtIn) for (const r of builtInRoles) reserved.set(r.name, "it is a built-in role: set access.builtInRoles false to define your own");

    // A role whose name is refused is no role: a user naming it gets no second error.
    const roles: AccessRolePlan[] = (access.roles ?? []).map((r, i) => {
        const at = `access.roles[${i}]`;
        const name = step((): string | undefined => {
            const n = checkName(`${at}.name`, r.name, safeName, "letters, digits, \".\", \"_\" or \"-\"");
            const why = reserved.get(n);
            if (why !== undefined) throw new DruidArgumentError(`${at}.name`, n, `is reserved: ${why}`);
            return n;
        }, undefined);
        const permissions = (r.permissions ?? []).map((p, j) => step((): AccessPermissionPlan | undefined => {
            const pat = `${at}.permissions[${j}]`;
            if (!(accessResourceTypes as readonly string[]).includes(p.type)) {
                throw new DruidArgumentError(`${pat}.type`, p.type, `must be one of ${accessResourceTypes.join(", ")} (Druid's resource types)`);
            }
            if (!(accessActions as readonly string[]).includes(p.action)) {
                throw new DruidArgumentError(`${pat}.action`, p.action, "must be READ or WRITE");
            }
            return { type: p.type, name: checkJavaRegex(`${pat}.name`, p.name), action: p.action };
        }, undefined)).filter((p): p is AccessPermissionPlan => p !== undefined);
        return { name, permissions: sortPermissions(permissions) };
    }).filter((r): r is AccessRolePlan => r.name !== undefined);
    checkUnique("access.roles", (access.roles ?? []).map((r) => r.name), problems);
    const allRoles = [...(builtIn ? builtInRoles : []), ...roles];
    const defined = new Set(allRoles.map((r) => r.name));
    const checkRoles = (at: string, names: string[]): string[] => names.map((n, k) => step(() => {
        if (!defined.has(n)) {
            throw new DruidArgumentError(`${at}[${k}]`, n, `names no role: the roles are ${[...defined].map((d) => JSON.stringify(d)).join(", ") || "(none)"}; define it in access.roles` +
                (n === druidAdminRole ? " (Druid's own \"admin\" role is kept for admin and druid_system only)" : ""));
        }
        return n;
    }, n));

    let passwords = 0;
    const users: AccessUserPlan[] = (access.users ?? []).map((u, i) => {
        const at = `access.users[${i}]`;
        const name = step(() => {
            const n = checkName(`${at}.name`, u.name, safeUserName, "letters, digits, \".\", \"_\", \"-\" or \"@\"");
            if (n === druidAdminUser || n === authName.internalUser) {
                throw new DruidArgumentError(`${at}.name`, n, `is Druid's own user with every permission (role "admin"), which the component leaves alone so that it cannot be locked out`);
            }
            return n;
        }, u.name);
        const userRoles = [...new Set(checkRoles(`${at}.roles`, u.roles ?? []))].sort();
        const password = u.password === undefined ? undefined : step(() => {
            const ref: unknown = u.password;
            if (typeof ref !== "object" || ref === null || Array.isArray(ref)) {
                throw plainSecretError(`${at}.password`);
            }
            const { name: secretName, key } = ref as { name: string; key: string };
            checkDnsSubdomain(`${at}.password.name`, secretName);
            if (typeof key !== "string" || !secretKey.test(key)) {
                throw new DruidArgumentError(`${at}.password.key`, key, "must be a Secret key: letters, digits, \"-\", \"_\" or \".\"");
            }
            return { secretName, key, env: accessPasswordEnv(passwords++) };
        }, undefined);
        return { name, roles: userRoles, ...(password !== undefined ? { password } : {}) };
    });
    checkUnique("access.users", users.map((u) => u.name), problems);

    const ldapGroups: AccessGroupPlan[] = (access.ldapGroups ?? []).map((g, i) => {
        const at = `access.ldapGroups[${i}]`;
        return {
            name: step(() => checkName(`${at}.name`, g.name, safeName, "letters, digits, \".\", \"_\" or \"-\""), g.name),
            groupPattern: step(() => checkJavaRegex(`${at}.groupPattern`, g.groupPattern), g.groupPattern),
            roles: [...new Set(checkRoles(`${at}.roles`, g.roles ?? []))].sort(),
        };
    });
    checkUnique("access.ldapGroups", ldapGroups.map((g) => g.name), problems);
    if (ldapGroups.length > 0 && !ctx.ldap) {
        problems.add(new DruidArgumentError("access.ldapGroups", `${ldapGroups.length} group mapping(s)`,
            "needs auth.ldap (the LDAP authorizer maps a user's LDAP groups to roles): configure auth.ldap or assign the roles to users"));
    }
    const applyTimeoutSeconds = step(() => checkInteger("access.applyTimeoutSeconds", access.applyTimeoutSeconds, 600, 60, 3600), 600);
    return {
        authorizers: [authName.authorizer, ...(ctx.ldap ? [authName.ldapAuthorizer] : [])],
        userAuthorizer: authName.authorizer,
        groupAuthorizer: ctx.ldap ? authName.ldapAuthorizer : undefined,
        authenticator: authName.authenticator,
        roles: [...allRoles].sort((a, b) => cmp(a.name, b.name)),
        users: [...users].sort((a, b) => cmp(a.name, b.name)),
        ldapGroups: [...ldapGroups].sort((a, b) => cmp(a.name, b.name)),
        applyTimeoutSeconds,
    };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Permissions as a set: repeats dropped, sorted by type, action, name. */
export function sortPermissions(ps: AccessPermissionPlan[]): AccessPermissionPlan[] {
    const key = (p: AccessPermissionPlan) => `${p.type}\u0000${p.action}\u0000${p.name}`;
    const unique = new Map(ps.map((p) => [key(p), p]));
    return [...unique.entries()].sort(([a], [b]) => cmp(a, b)).map(([, p]) => p);
}
