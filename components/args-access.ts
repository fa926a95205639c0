import { SecretKeyRef } from "./args-security";

// Authorization as code, re-exported by args.ts: roles, their permissions, and who has them, applied
// by an in-cluster Job through druid-basic-security's authorization API (docs/security.md,
// "Access control as code"). Checked in plan/resolve-access.ts.

/** Resource types of Druid's authorization model (server/.../security/ResourceType.java). */
export const AccessResourceType = {
    DATASOURCE: "DATASOURCE", VIEW: "VIEW", STATE: "STATE", CONFIG: "CONFIG", SYSTEM_TABLE: "SYSTEM_TABLE", EXTERNAL: "EXTERNAL", QUERY_CONTEXT: "QUERY_CONTEXT",
} as const;

/** Resource types of Druid's authorization model (server/.../security/ResourceType.java). */
export type AccessResourceType = (typeof AccessResourceType)[keyof typeof AccessResourceType];

/** Actions of Druid's authorization model (server/.../security/Action.java). */
export const AccessAction = { READ: "READ", WRITE: "WRITE" } as const;

/** Actions of Druid's authorization model (server/.../security/Action.java). */
export type AccessAction = (typeof AccessAction)[keyof typeof AccessAction];

/** One permission of a role: an action on the resources of a type whose names match a pattern. */
export interface AccessPermission {
    /** Resource type. */
    type: AccessResourceType;
    /**
     * A Java regular expression Druid matches the whole resource name against (e.g. "wiki.*" for
     * every datasource starting with "wiki"; "STATE", "CONFIG" and "EXTERNAL" for those types).
     */
    name: string;
    /** READ (GET requests, queries) or WRITE (POST and DELETE requests, ingestion). WRITE does not include READ. */
    action: AccessAction;
}

/** A role and its permissions. */
export interface AccessRole {
    /** Role name: letters, digits, ".", "_" and "-" (it is a path segment of Druid's API). Not "admin". */
    name: string;
    /** The role's permissions, as a set (order and repeats do not matter). Default: none. */
    permissions?: AccessPermission[];
}

/** A user of MetadataStoreAuthorizer and the roles it has. */
export interface AccessUser {
    /** User name: an OIDC user's ID-token `sub` (the identity druid-pac4j gives Druid) or a basic account's name (LDAP users get roles through `ldapGroups`). Letters, digits, ".", "_", "-" and "@" (an identity with other characters, such as Auth0's "auth0|…", is refused). Not "admin" or "druid_system". */
    name: string;
    /** Roles of `roles` (or the built-in "read-only" and "ingestion"). */
    roles: string[];
    /**
     * Make the user a basic account of MetadataStoreAuthenticator (e.g. a pipeline's account) with
     * the password in this Secret key; a plain-text password is refused: put it in a Kubernetes
     * Secret of the cluster's namespace and name the Secret and key here. Default: none (the user
     * authenticates elsewhere, e.g. by OIDC).
     */
    password?: SecretKeyRef;
}

/** A group mapping of LdapAuthorizer. */
export interface AccessLdapGroup {
    /** Mapping name: letters, digits, ".", "_" and "-". */
    name: string;
    /** A Java regular expression matched against the DN of each LDAP group of a user (e.g. "cn=analysts,ou=groups,dc=example,dc=com"). */
    groupPattern: string;
    /** Roles of `roles` (or the built-in ones) the group's members get. */
    roles: string[];
}

/**
 * Authorization as code: roles with their permissions, users and LDAP groups mapped to roles. An
 * in-cluster Job applies it through druid-basic-security's authorization API whenever it changes,
 * reading Druid's state first and sending only what differs. Needs auth enabled.
 */
export interface Access {
    /** Roles and their permissions. Default: none (besides the built-in roles). */
    roles?: AccessRole[];
    /** Users assigned roles in MetadataStoreAuthorizer: OIDC users (their ID-token `sub`) or basic accounts (with `password`). Default: none. */
    users?: AccessUser[];
    /** LDAP group mappings of LdapAuthorizer (needs auth.ldap): groups whose DN matches `groupPattern` get `roles`. Default: none. */
    ldapGroups?: AccessLdapGroup[];
    /**
     * Define the ready-to-use roles "read-only" (read every datasource, view, state and system
     * table) and "ingestion" (read and write every datasource, read state, read external data).
     * Default true.
     */
    builtInRoles?: boolean;
    /** Seconds the Job retries an unanswered or failing request before it gives up. Default 600. */
    applyTimeoutSeconds?: number;
}
