import * as pulumi from "@pulumi/pulumi";

// Security, re-exported by args.ts: Druid's authentication, TLS of every Druid service, and the
// NetworkPolicies. Checked in resolve.ts.

/** Druid authentication and authorization (druid-basic-security, metadata-store backed). */
export interface Auth {
    /** Turn auth on. Default true. With false, a LoadBalancer Router or an Ingress is refused. */
    enabled?: boolean;
    /** Admin password (secret). Default: generated. */
    adminPassword?: pulumi.Input<string>;
    /** Internal-client (escalator) password (secret). Default: generated. */
    internalClientPassword?: pulumi.Input<string>;
    /**
     * Generation of the two passwords above. Druid sets `admin`'s and `druid_system`'s passwords
     * only when it creates those users, so the component records the passwords' salted hashes at
     * creation and refuses a later change. To rotate a password: change it in Druid first
     * (`POST /druid-ext/basic-security/authentication/db/MetadataStoreAuthenticator/users/{admin|druid_system}/credentials`),
     * then give the new password here and raise this number by one: the new generation records
     * the new hashes and rolls every Druid pod. Default 0.
     */
    passwordGeneration?: number;
    /**
     * Console login for people through an OpenID Connect provider (druid-pac4j), after the basic
     * authenticators (docs/security.md, "Authentication modes"). Requires `query.router.ingress.host`.
     * Default: none.
     */
    oidc?: OidcAuth;
    /** Basic credentials checked against an LDAP directory, with its groups mapped to roles (druid-basic-security). Default: none. */
    ldap?: LdapAuth;
}

/** A key of an existing Kubernetes Secret: how a credential reaches the pods without appearing in the plan, the render or the ConfigMaps. */
export interface SecretKeyRef {
    /** Name of an existing Secret in the cluster's namespace. */
    name: string;
    /** Key in the Secret. */
    key: string;
}

/** OpenID Connect console login (druid-pac4j). The redirect URI to register is `https://<query.router.ingress.host>/druid-ext/druid-pac4j/callback`. */
export interface OidcAuth {
    /** The issuer's discovery document, `https://<issuer>/.well-known/openid-configuration` (https only). */
    discoveryUri: string;
    /** The client id registered at the provider. */
    clientId: string;
    /** The client secret: a key of an existing Secret (never the secret itself). */
    clientSecret: SecretKeyRef;
    /** Scopes requested at login; must include "openid". Default ["openid", "profile", "email"] (druid-pac4j's default scope, "openid profile email"). */
    scopes?: string[];
}

/** Kind of the object holding a CA certificate. */
export const CaCertificateKind = { Secret: "Secret", ConfigMap: "ConfigMap" } as const;

/** Kind of the object holding a CA certificate. */
export type CaCertificateKind = (typeof CaCertificateKind)[keyof typeof CaCertificateKind];

/** Where a PEM CA certificate is kept: a key of a Secret or of a ConfigMap in the cluster's namespace. */
export interface CaCertificateRef {
    /** Kind of the object. Default "Secret". */
    kind?: CaCertificateKind;
    /** Name of the Secret or ConfigMap. */
    name: string;
    /** Key holding the PEM certificate of the CA that signed the LDAP server's certificate. */
    key: string;
}

/** LDAP authentication (druid-basic-security's LDAP credentials validator) and the LDAP role provider. */
export interface LdapAuth {
    /** The directory: `ldaps://host[:port]`. `ldap://` is refused unless `dangerouslyAllowPlaintext` (Druid's validator has no StartTLS). */
    url: string;
    /** Accept an `ldap://` URL: bind passwords and every user's password then cross the network in plain text. Default false. */
    dangerouslyAllowPlaintext?: boolean;
    /** The CA that signed the directory's certificate (PEM); required with `ldaps://`. Mounted read-only and imported into a PKCS12 truststore in each Druid pod. */
    caCertificate?: CaCertificateRef;
    /** DN Druid binds as to search for users, e.g. "cn=druid,ou=services,dc=example,dc=com". */
    bindUser: string;
    /** The bind user's password: a key of an existing Secret. */
    bindPassword: SecretKeyRef;
    /** Where users are searched (subtree), e.g. "ou=people,dc=example,dc=com"; a user outside it cannot log in. */
    baseDn: string;
    /** Search filter, `%s` standing for the user name. Druid has no default; default here the Active Directory filter of Druid's documentation, "(&(sAMAccountName=%s)(objectClass=user))". */
    userSearch?: string;
    /** Attribute returned by the search with the user name. Default "sAMAccountName" (Druid's documented example). */
    userAttribute?: string;
    /** The role provider's group filters (`*,ou=groups,dc=…` style): only matching groups map to roles. Default: every group of the user. */
    groupFilters?: string[];
}

/** Kind of the cert-manager issuer. */
export const CertManagerIssuerKind = { Issuer: "Issuer", ClusterIssuer: "ClusterIssuer" } as const;

/** Kind of the cert-manager issuer. */
export type CertManagerIssuerKind = (typeof CertManagerIssuerKind)[keyof typeof CertManagerIssuerKind];

/** TLS for every Druid service: Druid then serves on its TLS ports only. Give `secretName` or `certManagerIssuer`. */
export interface Tls {
    /** An existing Secret with a PKCS12 keystore, truststore and their password (the shape of cert-manager's `keystores.pkcs12`). */
    secretName?: string;
    /** Key of the keystore in the Secret. Default "keystore.p12". */
    keystoreKey?: string;
    /** Key of the truststore in the Secret. Default "truststore.p12". */
    truststoreKey?: string;
    /** Key of the keystore/truststore password in the Secret. Default "password". */
    passwordKey?: string;
    /** A cert-manager issuer: the component creates the Certificate (DNS names of every Druid Service and pod) and its keystore password. */
    certManagerIssuer?: string;
    /** Kind of `certManagerIssuer`. Default "Issuer". */
    certManagerIssuerKind?: CertManagerIssuerKind;
    /**
     * Alias of the key entry in the keystore (`druid.server.https.certAlias`). Default: "1" with
     * `certManagerIssuer` (cert-manager's PKCS12 keystore); with `secretName`, none, so Druid uses
     * the keystore's only key.
     */
    certAlias?: string;
}

/** NetworkPolicies. */
export interface NetworkPolicy {
    /** Create NetworkPolicies. Default true. */
    enabled?: boolean;
    /** Namespaces (by name) allowed to reach the Router. Default: none besides the cluster's own. */
    routerAllowedNamespaces?: string[];
    /** CIDR blocks allowed to reach the Router (e.g. the load balancer's subnets); one NetworkPolicy peer each, so the list is known at plan time, its entries may be outputs. Default: none. */
    routerAllowedCidrs?: pulumi.Input<string>[];
    /** Also open the Broker to the Router's allowed sources (direct SQL / native queries). Default false. */
    brokerDirectAccess?: boolean;
}
