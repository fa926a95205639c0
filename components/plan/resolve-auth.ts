import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Auth, DruidClusterArgs, SecretKeyRef } from "../args";
import { DruidArgumentError } from "../core/errors";
import { isDeferred, mapInput } from "../core/validate-input";
import { pac4jServices, Pac4jService } from "./auth-chain";
import { authSecretKeys, ldapTrustMount, pac4jCallbackPath, secretEnv } from "./layout";
import { authSecretName } from "./names";
import { PodExtras } from "./resolve-customization";
import { restrictedContainerSecurityContext } from "./security-context";
import { checkConfigMapKey, checkObjectName } from "./validate-objects";
import { plainSecretError, plainSecretHint } from "./secret-key-ref";

// `auth.oidc` and `auth.ldap`: checked, defaults applied, and the LDAP truststore the Druid pods
// need. The chain they make is decided in auth-chain.ts; the properties in config/auth-modes.ts.

/** `auth.oidc`, checked. */
export interface OidcAuthPlan {
    discoveryUri: string;
    clientId: string;
    clientSecret: SecretKeyRef;
    /** Space-separated in `druid.auth.pac4j.oidc.scope`. */
    scopes: string[];
    /** The redirect URI to register at the provider: `https://<query.router.ingress.host>` + pac4j's callback path. */
    redirectUri: pulumi.Input<string>;
    /**
     * The ID-token claim that becomes the Druid identity: pac4j's profile id, i.e. `sub`
     * (Pac4jFilter builds the AuthenticationResult from `profile.getId()`; `oidcClaim` is read only by
     * the JWT authenticator, JwtAuthFilter). Users are mapped to roles by this value.
     */
    identityClaim: "sub";
    /** Services that run the pac4j authenticator (auth-chain.ts). */
    services: readonly Pac4jService[];
}

/** `auth.ldap`, checked. */
export interface LdapAuthPlan {
    url: string;
    /** `ldap://` accepted through `dangerouslyAllowPlaintext`. */
    plaintext: boolean;
    /** The CA's PEM (ldaps only). */
    ca?: { kind: "Secret" | "ConfigMap"; name: string; key: string };
    bindUser: string;
    bindPassword: SecretKeyRef;
    baseDn: string;
    userSearch: string;
    userAttribute: string;
    groupFilters?: string[];
}

/** druid-pac4j's default scope (OIDCConfig `scope`, documented default "openid profile email"; pac4j's OidcConfiguration default). */
export const defaultOidcScopes = ["openid", "profile", "email"];
/** Druid documents no default search; these are its documentation's Active Directory examples. */
export const defaultLdapUserSearch = "(&(sAMAccountName=%s)(objectClass=user))";
export const defaultLdapUserAttribute = "sAMAccountName";

/** A SecretKeyRef: a plain string or a Pulumi secret is refused without being echoed. */
export function checkSecretKeyRef(argument: string, value: unknown): SecretKeyRef {
    if (typeof value === "string" || isDeferred(value) || pulumi.Output.isInstance(value)) throw plainSecretError(argument);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new DruidArgumentError(argument, value, `must be ${plainSecretHint}`);
    }
    const v = value as Record<string, unknown>;
    const extra = Object.keys(v).filter((k) => k !== "name" && k !== "key");
    if (extra.length > 0) throw new DruidArgumentError(`${argument}.${extra[0]}`, "a value", "is not a field of a Secret reference: give only name and key");
    if (typeof v.name !== "string") throw new DruidArgumentError(`${argument}.name`, v.name, "must name an existing Secret in the cluster's namespace");
    if (typeof v.key !== "string") throw new DruidArgumentError(`${argument}.key`, v.key, "must name the key of the Secret that holds the value");
    return { name: checkObjectName(`${argument}.name`, v.name, "Secret"), key: checkConfigMapKey(`${argument}.key`, v.key, "the secret") };
}

function nonEmpty(argument: string, value: unknown, what: string): string {
    if (typeof value !== "string" || value.trim() === "") throw new DruidArgumentError(argument, value, `must be ${what}`);
    return value;
}

/** The two modes of `auth`, checked against `auth.enabled` and the Router's Ingress. */
export function resolveAuthModes(args: Pick<DruidClusterArgs, "auth" | "query">): { ldap?: LdapAuthPlan; oidc?: OidcAuthPlan } {
    const auth: Auth | undefined = args.auth;
    const enabled = auth?.enabled ?? true;
    for (const mode of ["oidc", "ldap"] as const) {
        if (!enabled && auth?.[mode] !== undefined) {
            throw new DruidArgumentError(`auth.${mode}`, `auth.${mode} with auth.enabled false`,
                `needs Druid's authentication: remove auth.enabled: false (or auth.${mode})`);
        }
    }
    return {
        ...(auth?.oidc !== undefined ? { oidc: resolveOidc(auth.oidc, args.query?.router?.ingress?.host) } : {}),
        ...(auth?.ldap !== undefined ? { ldap: resolveLdap(auth.ldap) } : {}),
    };
}

function resolveOidc(o: NonNullable<Auth["oidc"]>, host: pulumi.Input<string> | undefined): OidcAuthPlan {
    if (host === undefined) {
        throw new DruidArgumentError("auth.oidc", "no query.router.ingress.host",
            `needs the Router's Ingress host: the provider sends the browser back to https://<host>${pac4jCallbackPath}, the redirect URI to register; ` +
            "set query.router.ingress: { host: \"druid.example.com\", ... }");
    }
    const discoveryUri = nonEmpty("auth.oidc.discoveryUri", o.discoveryUri, "the provider's discovery URL, https://<issuer>/.well-known/openid-configuration");
    let url: URL | undefined;
    try { url = new URL(discoveryUri); } catch { url = undefined; }
    if (url === undefined || url.protocol !== "https:" || url.hostname === "") {
        throw new DruidArgumentError("auth.oidc.discoveryUri", discoveryUri,
            "must be an https:// URL of the provider's discovery document, e.g. https://login.example.com/.well-known/openid-configuration (the client secret and ID tokens travel over it)");
    }
    const scopes = o.scopes ?? defaultOidcScopes;
    if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== "string" || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)) || !scopes.includes("openid")) {
        throw new DruidArgumentError("auth.oidc.scopes", scopes, "must be a list of scope tokens (no spaces or quotes) including \"openid\", e.g. [\"openid\", \"profile\", \"email\"]");
    }
    return {
        discoveryUri,
        clientId: nonEmpty("auth.oidc.clientId", o.clientId, "the client id registered at the provider"),
        clientSecret: checkSecretKeyRef("auth.oidc.clientSecret", o.clientSecret),
        scopes: [...scopes],
        redirectUri: mapInput(host as string | pulumi.Output<string>, (h) => `https://${h}${pac4jCallbackPath}`),
        identityClaim: "sub",
        services: pac4jServices,
    };
}

function resolveLdap(l: NonNullable<Auth["ldap"]>): LdapAuthPlan {
    const url = nonEmpty("auth.ldap.url", l.url, "the directory's URL, ldaps://host[:port]");
    const plaintext = l.dangerouslyAllowPlaintext ?? false;
    if (typeof plaintext !== "boolean") throw new DruidArgumentError("auth.ldap.dangerouslyAllowPlaintext", plaintext, "must be true or false");
    const m = /^(ldaps?):\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(:\d{1,5})?\/?$/.exec(url);
    if (m === null) throw new DruidArgumentError("auth.ldap.url", url, "must be ldaps://host[:port] (no path, no query)");
    if (m[1] === "ldap" && !plaintext) {
        throw new DruidArgumentError("auth.ldap.url", url,
            "is plain LDAP: Druid's LDAP validator has no StartTLS (LDAPCredentialsValidator.commonProperties switches to TLS only for ldaps://), " +
            "so every password would cross the network in clear; use ldaps:// with caCertificate, or set auth.ldap.dangerouslyAllowPlaintext: true");
    }
    let ca: LdapAuthPlan["ca"];
    if (m[1] === "ldaps") {
        if (l.caCertificate === undefined) {
            throw new DruidArgumentError("auth.ldap.caCertificate", undefined,
                "is required with ldaps://: Druid's LDAP TLS client needs a truststore (TLSUtils.ClientSSLContextBuilder.build: \"must specify a trustStorePath\"); " +
                "give { kind: \"Secret\" | \"ConfigMap\", name, key } of the PEM of the CA that signed the directory's certificate");
        }
        const kind = l.caCertificate.kind ?? "Secret";
        if (kind !== "Secret" && kind !== "ConfigMap") throw new DruidArgumentError("auth.ldap.caCertificate.kind", kind, "must be \"Secret\" or \"ConfigMap\"");
        ca = {
            kind,
            name: checkObjectName("auth.ldap.caCertificate.name", nonEmpty("auth.ldap.caCertificate.name", l.caCertificate.name, "a name"), kind),
            key: checkConfigMapKey("auth.ldap.caCertificate.key", nonEmpty("auth.ldap.caCertificate.key", l.caCertificate.key, "a key"), "the CA's PEM"),
        };
    }
    const userSearch = l.userSearch ?? defaultLdapUserSearch;
    if (typeof userSearch !== "string" || userSearch.split("%s").length !== 2 || !/^\(.*\)$/.test(userSearch) || /%(?!s)/.test(userSearch)) {
        throw new DruidArgumentError("auth.ldap.userSearch", userSearch,
            "must be an LDAP filter in parentheses with exactly one %s for the user name and no other %, e.g. \"(&(uid=%s)(objectClass=inetOrgPerson))\"");
    }
    const groupFilters = l.groupFilters;
    if (groupFilters !== undefined && (!Array.isArray(groupFilters) || groupFilters.some((g) => typeof g !== "string" || g.trim() === ""))) {
        throw new DruidArgumentError("auth.ldap.groupFilters", groupFilters, "must be a list of group DNs or patterns such as \"*,ou=groups,dc=example,dc=com\"");
    }
    return {
        url, plaintext, ca,
        bindUser: nonEmpty("auth.ldap.bindUser", l.bindUser, "the DN Druid binds as, e.g. \"cn=druid,ou=services,dc=example,dc=com\""),
        bindPassword: checkSecretKeyRef("auth.ldap.bindPassword", l.bindPassword),
        baseDn: nonEmpty("auth.ldap.baseDn", l.baseDn, "the DN under which users are searched, e.g. \"ou=people,dc=example,dc=com\" (an empty base would search the whole directory)"),
        userSearch,
        userAttribute: nonEmpty("auth.ldap.userAttribute", l.userAttribute ?? defaultLdapUserAttribute, "an attribute name, e.g. \"uid\""),
        ...(groupFilters !== undefined ? { groupFilters: [...groupFilters] } : {}),
    };
}

/**
 * The init container that turns the mounted PEM into the PKCS12 truststore Druid's LDAP client
 * loads (`druid.auth.basic.ssl.trustStorePath`; TLSUtils loads a KeyStore, never PEM). It runs the
 * Druid image's own JRE: keytool's main class, sun.security.tools.keytool.Main, is in the java.base
 * module, which every JRE has (the image is distroless Java + busybox, distribution/docker/Dockerfile),
 * so `java sun.security.tools.keytool.Main` is keytool without relying on its launcher's path.
 * tests/real/ldap.test.ts runs exactly this command with this machine's JDK.
 */
export function ldapTruststoreCommand(): string[] {
    return [
        "java", "sun.security.tools.keytool.Main", "-importcert", "-noprompt", "-alias", "ldap-ca",
        "-file", ldapTrustMount.caPath, "-keystore", ldapTrustMount.truststorePath, "-storetype", "PKCS12",
        "-storepass:env", secretEnv.ldapTruststorePassword,
    ];
}

/** What every Druid pod gets for an ldaps:// directory: the CA volume, the truststore emptyDir and the init container filling it. */
export function ldapTrustPodExtras(cluster: string, ldap: LdapAuthPlan, image: string): Pick<PodExtras, "volumes" | "volumeMounts" | "initContainers"> {
    if (ldap.ca === undefined) return { volumes: [], volumeMounts: [], initContainers: [] };
    const items = [{ key: ldap.ca.key, path: ldapTrustMount.caFile }];
    const caVolume: k8s.types.input.core.v1.Volume = ldap.ca.kind === "Secret"
        ? { name: ldapTrustMount.caVolume, secret: { secretName: ldap.ca.name, items } }
        : { name: ldapTrustMount.caVolume, configMap: { name: ldap.ca.name, items } };
    const truststoreMount = { name: ldapTrustMount.truststoreVolume, mountPath: ldapTrustMount.truststoreDir };
    return {
        volumes: [caVolume, { name: ldapTrustMount.truststoreVolume, emptyDir: { sizeLimit: "1Mi" } }],
        volumeMounts: [{ ...truststoreMount, readOnly: true }],
        initContainers: [{
            name: ldapTrustMount.initContainer,
            image,
            command: ldapTruststoreCommand(),
            env: [{ name: secretEnv.ldapTruststorePassword, valueFrom: { secretKeyRef: { name: authSecretName(cluster), key: authSecretKeys.ldapTruststorePassword } } }],
            volumeMounts: [{ name: ldapTrustMount.caVolume, mountPath: ldapTrustMount.caDir, readOnly: true }, truststoreMount],
            resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
            securityContext: restrictedContainerSecurityContext(),
        }],
    };
}
