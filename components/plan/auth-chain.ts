import { authName } from "./layout";
import { ServiceKind } from "./tuning";

// The ONE place that decides which authenticators run, in which order, on which services, and
// which authorizer each hands its users to (docs/security.md, "Authentication modes"). Sources
// (apache/druid, stored revisions of druid-basic-security and druid-pac4j; the druid-37.0.0 tag
// itself cannot be read here, and these filters have behaved this way since the LDAP validator
// came in 0.18):
//   - BasicHTTPAuthenticator.BasicHTTPAuthenticationFilter.doFilter: a request without a Basic
//     header goes to the next filter; with one, a null result from the validator (user unknown)
//     goes on only when `skipOnFailure` is true, else 401; a wrong password throws
//     BasicSecurityAuthenticationException, always 401.
//   - MetadataStoreCredentialsValidator returns null for a user it does not know, and
//     LDAPCredentialsValidator.validateCredentials returns null when the search finds no user
//     ("User not found") and throws on a wrong password.
//   - Pac4jFilter.doFilter is a no-op when an earlier authenticator set
//     DRUID_AUTHENTICATION_RESULT (apache/druid#9620); otherwise it runs pac4j's security logic,
//     which REDIRECTS to the provider instead of failing: so it comes last.

/** One authenticator of the chain. */
export interface AuthenticatorEntry {
    name: string;
    type: "basic" | "pac4j";
    /** The authorizer its users are checked by. */
    authorizerName: string;
    /** basic only: let a user this authenticator does not know through to the next one. */
    skipOnFailure?: boolean;
}

/** The services that run druid-pac4j (see `pac4jServices`). */
export type Pac4jService = Extract<ServiceKind, "router" | "broker" | "coordinator" | "overlord">;

/**
 * Where pac4j runs: the Router (the console's origin, where the provider sends the browser back)
 * and the services the Router proxies the console's requests to: the Broker (SQL, native queries)
 * and the Coordinator and Overlord (the management proxy, `druid.router.managementProxy.enabled`).
 * The Router forwards the request's headers and cookies unchanged (ProxyServlet; apache/druid#5322),
 * pac4j sets no header of its own for the target (Pac4jAuthenticator has no decorateProxyRequest),
 * and druid-pac4j keeps the login in cookies encrypted with `druid.auth.pac4j.cookiePassphrase`
 * (Pac4jSessionStore, "storing oauth session information in encrypted cookies"): so each target
 * must run pac4j with the same passphrase to see the user. Historicals and workers are reached by
 * Druid's own clients only (the internal client's basic credentials).
 */
export const pac4jServices: readonly Pac4jService[] = ["router", "broker", "coordinator", "overlord"];

/** Whether `kind` runs the pac4j authenticator. */
export function runsPac4j(kind: ServiceKind, oidc: boolean): boolean {
    return oidc && (pac4jServices as readonly ServiceKind[]).includes(kind);
}

/**
 * The authenticator chain of a service: the metadata-store basic authenticator first (the internal
 * client `druid_system`, `admin` and pipeline accounts), then LDAP (basic, ldap validator), then
 * pac4j (only on `pac4jServices`). The metadata authenticator skips users it does not know only when
 * LDAP follows it (else an unknown user gets 401 at once, not a login redirect); the last basic
 * authenticator never skips, so bad basic credentials are a 401 for API clients, while a browser
 * without credentials reaches pac4j.
 */
export function authenticatorChain(kind: ServiceKind, modes: { ldap: boolean; oidc: boolean }): AuthenticatorEntry[] {
    const chain: AuthenticatorEntry[] = [
        { name: authName.authenticator, type: "basic", authorizerName: authName.authorizer, skipOnFailure: modes.ldap },
    ];
    if (modes.ldap) chain.push({ name: authName.ldapAuthenticator, type: "basic", authorizerName: authName.ldapAuthorizer, skipOnFailure: false });
    if (runsPac4j(kind, modes.oidc)) chain.push({ name: authName.oidcAuthenticator, type: "pac4j", authorizerName: authName.authorizer });
    return chain;
}

/** The authorizers: the metadata-store one always (admin, internal client, OIDC users), the LDAP one with `auth.ldap`. */
export function authorizers(modes: { ldap: boolean }): string[] {
    return modes.ldap ? [authName.authorizer, authName.ldapAuthorizer] : [authName.authorizer];
}
