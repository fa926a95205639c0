// What the plan decides of `access` (roles, users, LDAP group mappings) and what the access Job
// applies; config/access-requests.ts writes its script.

/** Resource types Druid's authorizers check (apache/druid server/src/main/java/org/apache/druid/server/security/ResourceType.java). */
export const accessResourceTypes = ["DATASOURCE", "VIEW", "STATE", "CONFIG", "SYSTEM_TABLE", "EXTERNAL", "QUERY_CONTEXT"] as const;

/** Actions (apache/druid server/src/main/java/org/apache/druid/server/security/Action.java: `enum Action { READ, WRITE }`). */
export const accessActions = ["READ", "WRITE"] as const;

/** One permission, as Druid's `ResourceAction` JSON takes it. */
export interface AccessPermissionPlan {
    type: (typeof accessResourceTypes)[number];
    /** A Java regex Druid matches the whole resource name against. */
    name: string;
    action: (typeof accessActions)[number];
}

/** A role and its permissions, deduplicated and sorted (Druid compares them as a set). */
export interface AccessRolePlan {
    name: string;
    permissions: AccessPermissionPlan[];
}

/** A basic account's password: a key of a Secret, given to the Job's container as `env`. */
export interface AccessPasswordPlan {
    secretName: string;
    key: string;
    env: string;
}

/** A user of MetadataStoreAuthorizer (and, with a password, of MetadataStoreAuthenticator). */
export interface AccessUserPlan {
    name: string;
    roles: string[];
    password?: AccessPasswordPlan;
}

/** A group mapping of the LDAP authorizer. */
export interface AccessGroupPlan {
    name: string;
    groupPattern: string;
    roles: string[];
}

/** What the access Job applies, validated (resolve-access.ts). */
export interface AccessPlan {
    /** Authorizers the roles are made in: MetadataStoreAuthorizer, and the LDAP one when LDAP is on. */
    authorizers: string[];
    /** The authorizer of the users (MetadataStoreAuthorizer). */
    userAuthorizer: string;
    /** The authorizer of the group mappings; undefined without LDAP. */
    groupAuthorizer?: string;
    /** The authenticator of the basic accounts (MetadataStoreAuthenticator). */
    authenticator: string;
    roles: AccessRolePlan[];
    users: AccessUserPlan[];
    ldapGroups: AccessGroupPlan[];
    /** Seconds the Job retries before it gives up. */
    applyTimeoutSeconds: number;
}

/** Druid's own role and users (every authorizer creates role `admin` with every permission and gives it to both users). */
export const druidAdminRole = "admin";
export const druidAdminUser = "admin";

/**
 * The role in which the Job records what it manages (one permission per role, user, group mapping
 * and account it made), so that an entry removed from `access` is deleted on the next apply. It is
 * assigned to nobody, and its permissions name the resource type `managedResourceType`, which no
 * Druid check asks for.
 */
export const managedRecordRole = "pulumi-druid-managed";
export const managedResourceType = "PULUMI_DRUID_MANAGED";

/** The built-in roles of `access.builtInRoles` (docs/security.md, "Access control as code"). */
export const builtInRoles: readonly AccessRolePlan[] = [
    {
        // "Data users, who only need READ access to DATASOURCE" (docs/operations/security-user-auth.md,
        // "User types"), plus what the web console and SQL show them: views, state (sys.servers,
        // server_segments need STATE READ: "SQL permissions") and system tables
        // (SYSTEM_TABLE with druid.sql.planner.authorizeSystemTablesDirectly).
        name: "read-only",
        permissions: [
            { type: "DATASOURCE", name: ".*", action: "READ" },
            { type: "STATE", name: ".*", action: "READ" },
            { type: "SYSTEM_TABLE", name: ".*", action: "READ" },
            { type: "VIEW", name: ".*", action: "READ" },
        ],
    },
    {
        // Ingestion writes datasources (DATASOURCE WRITE; "WRITE permission on a resource does not
        // include READ permission", so READ too), reads external data through EXTERN ("Queries to
        // access external data through the EXTERN function require EXTERNAL READ permissions") and
        // watches its tasks and the cluster (STATE READ).
        name: "ingestion",
        permissions: [
            { type: "DATASOURCE", name: ".*", action: "READ" },
            { type: "DATASOURCE", name: ".*", action: "WRITE" },
            { type: "EXTERNAL", name: "EXTERNAL", action: "READ" },
            { type: "STATE", name: ".*", action: "READ" },
        ],
    },
];
