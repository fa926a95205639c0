import { PropertyMap } from "../core/properties";
import { authenticatorChain, authorizers, runsPac4j } from "../plan/auth-chain";
import { authName, ldapTrustMount, secretEnv } from "../plan/layout";
import { LdapAuthPlan, OidcAuthPlan } from "../plan/resolve-auth";
import { ServiceKind } from "../plan/tuning";

// The properties of the authentication modes, exactly as Druid reads them. Sources: apache/druid
// extensions-core/druid-basic-security and druid-pac4j, stored revisions (the druid-37.0.0 tag is
// not readable here; each class named has had these fields since 0.18/0.22):
//   - BasicHTTPAuthenticator (@JsonTypeName "basic"): `authorizerName`, `skipOnFailure`,
//     `credentialsValidator` (polymorphic, `type`), `initialAdminPassword` (PasswordProvider);
//   - LDAPCredentialsValidator (@JsonTypeName "ldap"): `url`, `bindUser`, `bindPassword`
//     (PasswordProvider), `baseDn`, `userSearch` (StringUtils.format with the escaped user name,
//     encodeForLDAP), `userAttribute`, `credentialIterations`, … ; its search returns
//     `userAttribute` and `memberOf`, and the AuthenticationResult carries the SearchResult
//     (BasicAuthUtils.SEARCH_RESULT_CONTEXT_KEY) to the authorizer;
//   - BasicRoleBasedAuthorizer `roleProvider` (polymorphic), LDAPRoleProvider (@JsonTypeName
//     "ldap"): `ldapGroupAttribute` (default memberOf), `groupFilters`, group mappings from the
//     authorizer's groupMappings API (`groupPattern` "*,<dn>" / "<dn>,*" / exact DN → roles);
//   - BasicSecurityDruidModule binds BasicAuthSSLConfig at `druid.auth.basic.ssl`
//     (`trustStorePath`, `trustStoreType`, `trustStorePassword` PasswordProvider, `protocol`,
//     `validateHostnames`), which BasicSecuritySSLSocketFactory passes to
//     TLSUtils.ClientSSLContextBuilder (KeyStore.getInstance(trustStoreType).load(path, password));
//   - Pac4jAuthenticator (@JsonTypeName "pac4j"): `authorizerName`; Pac4jDruidModule binds
//     Pac4jCommonConfig at `druid.auth.pac4j` (`cookiePassphrase` PasswordProvider) and OIDCConfig
//     at `druid.auth.pac4j.oidc` (`clientID`, `clientSecret` PasswordProvider, `discoveryURI`,
//     `scope`). Every secret among them is PasswordProvider-typed, so each is given as Druid's
//     environment password provider; none of the plain-String ones (clientID, discoveryURI, url,
//     bindUser, baseDn) is a secret.
//   - druid-pac4j is a core extension (apache/druid extensions-core/druid-pac4j; the core table of
//     docs/configuration/extensions.md, plan/extensions.ts): it ships in the distribution's
//     extensions/ directory, which the image copies whole (distribution/docker/Dockerfile @
//     349e8d91, `cp -r /builder/opt/druid /opt/`), so loading it needs no download.

/** Druid's environment-variable password provider (docs/operations/password-provider.md). */
function fromEnv(variable: string): string {
    return JSON.stringify({ type: "environment", variable });
}

/** The modes a cluster has, as the generators need them. */
export interface AuthModes {
    ldap?: LdapAuthPlan;
    oidc?: OidcAuthPlan;
}

const flags = (m: AuthModes) => ({ ldap: m.ldap !== undefined, oidc: m.oidc !== undefined });

/** The chain and every authenticator and authorizer of it, for a service of `kind` (common.runtime.properties uses a service without pac4j). */
export function authChainProperties(kind: ServiceKind, m: AuthModes): PropertyMap {
    const chain = authenticatorChain(kind, flags(m));
    const p: PropertyMap = { "druid.auth.authenticatorChain": JSON.stringify(chain.map((a) => a.name)) };
    for (const a of chain) {
        const at = `druid.auth.authenticator.${a.name}`;
        p[`${at}.type`] = a.type;
        p[`${at}.authorizerName`] = a.authorizerName;
        if (a.skipOnFailure !== undefined) p[`${at}.skipOnFailure`] = String(a.skipOnFailure);
    }
    p["druid.auth.authorizers"] = JSON.stringify(authorizers(flags(m)));
    return p;
}

/** The LDAP authenticator's validator, the LDAP authorizer's role provider and, for ldaps://, the truststore. */
export function ldapProperties(l: LdapAuthPlan): PropertyMap {
    const v = `druid.auth.authenticator.${authName.ldapAuthenticator}.credentialsValidator`;
    const z = `druid.auth.authorizer.${authName.ldapAuthorizer}`;
    return {
        [`${v}.type`]: "ldap",
        [`${v}.url`]: l.url,
        [`${v}.bindUser`]: l.bindUser,
        [`${v}.bindPassword`]: fromEnv(secretEnv.ldapBindPassword),
        [`${v}.baseDn`]: l.baseDn,
        [`${v}.userSearch`]: l.userSearch,
        [`${v}.userAttribute`]: l.userAttribute,
        [`${z}.type`]: "basic",
        [`${z}.roleProvider.type`]: "ldap",
        ...(l.groupFilters !== undefined ? { [`${z}.roleProvider.groupFilters`]: JSON.stringify(l.groupFilters) } : {}),
        ...(l.ca !== undefined ? {
            "druid.auth.basic.ssl.protocol": "TLSv1.2",
            "druid.auth.basic.ssl.trustStorePath": ldapTrustMount.truststorePath,
            "druid.auth.basic.ssl.trustStoreType": "pkcs12",
            "druid.auth.basic.ssl.trustStorePassword": fromEnv(secretEnv.ldapTruststorePassword),
            "druid.auth.basic.ssl.validateHostnames": "true",
        } : {}),
    };
}

/** The pac4j provider settings, on the services that run it (auth-chain.ts `pac4jServices`). */
export function oidcProperties(o: OidcAuthPlan): PropertyMap {
    return {
        "druid.auth.pac4j.cookiePassphrase": fromEnv(secretEnv.oidcCookiePassphrase),
        "druid.auth.pac4j.oidc.clientID": o.clientId,
        "druid.auth.pac4j.oidc.clientSecret": fromEnv(secretEnv.oidcClientSecret),
        "druid.auth.pac4j.oidc.discoveryURI": o.discoveryUri,
        "druid.auth.pac4j.oidc.scope": o.scopes.join(" "),
    };
}

/**
 * A pac4j service's own overrides of common.runtime.properties (a service's runtime.properties
 * wins over the common file): the extension list with druid-pac4j, its chain, the provider settings.
 */
export function pac4jServiceProperties(kind: ServiceKind, extensions: string[], m: AuthModes): PropertyMap {
    if (m.oidc === undefined || !runsPac4j(kind, true)) return {};
    return {
        "druid.extensions.loadList": JSON.stringify([...extensions.filter((e) => e !== "druid-pac4j"), "druid-pac4j"]),
        ...authChainProperties(kind, m),
        ...oidcProperties(m.oidc),
    };
}
