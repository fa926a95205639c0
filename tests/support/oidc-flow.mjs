// An OpenID provider and a client on loopback, for tests/real/oidc.test.ts (both packages are
// ESM-only, so they run here, in a child process, not in the CommonJS test).
//
// The provider is `oidc-provider` (panva, a certified OpenID Provider implementation) over HTTPS
// with a test certificate (the client trusts its CA through NODE_EXTRA_CA_CERTS), with ONE client
// registered from the rendered settings: client id, redirect URI, and the secret as the test put it
// in the Secret. Its development interactions (a login form taking any login, then consent) stand
// for the user, driven with plain HTTP requests and a cookie jar, as a browser would.
//
// The client is `openid-client` (panva), given ONLY the rendered settings: the discovery URI,
// client id, secret (the Secret's content), scopes and redirect URI. It does what druid-pac4j's
// OidcClient does at login: discovery, an authorization-code request with state, nonce and PKCE
// (pac4j uses PKCE when the provider advertises S256), then the code exchange authenticated with
// client_secret_basic (pac4j's default when the provider supports it), and ID token validation.
//
// Input: one JSON argument { port, certFile, keyFile, provider: { clientId, clientSecret, redirectUri },
//   client: { discoveryUri, clientId, clientSecret, scopes, redirectUri }, user }.
// Output: one JSON line { ok, claims?, status?, error?, location? }.
import * as fs from "node:fs";
import * as https from "node:https";
import Provider from "oidc-provider";
import * as client from "openid-client";

const input = JSON.parse(process.argv[2]);
const issuer = `https://localhost:${input.port}`;

const provider = new Provider(issuer, {
    clients: [{
        client_id: input.provider.clientId,
        client_secret: input.provider.clientSecret,
        redirect_uris: [input.provider.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
    }],
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, name: `${id} (test user)`, email: `${id}@example.com` }) }),
    claims: { openid: ["sub"], profile: ["name"], email: ["email"] },
    cookies: { keys: ["oidc-test-cookie-key"] },
});
const server = https.createServer({ cert: fs.readFileSync(input.certFile), key: fs.readFileSync(input.keyFile) }, provider.callback());
await new Promise((resolve) => server.listen(input.port, "127.0.0.1", resolve));
const done = (result) => { process.stdout.write(JSON.stringify(result) + "\n"); server.close(); process.exit(0); };
setTimeout(() => done({ ok: false, error: "timeout" }), 20_000).unref();

/** A browser: follows the provider's redirects by hand, keeping its cookies, never fetching the redirect URI. */
const jar = new Map();
async function browse(url, init = {}) {
    const headers = { ...(init.headers ?? {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(";");
        const i = pair.indexOf("=");
        jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
}

try {
    const c = input.client;
    const config = await client.discovery(new URL(c.discoveryUri), c.clientId, undefined, client.ClientSecretBasic(c.clientSecret));
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    const authUrl = client.buildAuthorizationUrl(config, {
        redirect_uri: c.redirectUri, scope: c.scopes.join(" "), state, nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    });
    let res = await browse(authUrl);
    // The provider's pages: login, then consent, each a form posted back; every step a redirect.
    for (let step = 0; step < 10; step++) {
        const location = res.headers.get("location");
        if (res.status >= 400 || location === null) {
            const page = (await res.text()).replace(/<style[\s\S]*?<\/style>/g, " ").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
            done({ ok: false, status: res.status, error: page.slice(0, 600) });
        }
        const next = new URL(location, issuer);
        if (next.origin !== issuer) {
            // Back to the client's redirect URI: exchange the code as pac4j's callback does.
            if (!next.href.startsWith(c.redirectUri)) done({ ok: false, error: "redirected elsewhere", location: next.href });
            try {
                const tokens = await client.authorizationCodeGrant(config, next, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
                done({ ok: true, claims: tokens.claims() });
            } catch (e) {
                done({ ok: false, status: e.status, error: `${e.code ?? ""} ${e.error ?? ""} ${e.message} ${JSON.stringify(e.cause ?? null)}` });
            }
        }
        res = await browse(next.href);
        if (res.status === 200) {
            const html = await res.text();
            const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
            const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
            const body = prompt === "login" ? new URLSearchParams({ prompt, login: input.user, password: "any" }) : new URLSearchParams({ prompt });
            res = await browse(new URL(action, issuer).href, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
        }
    }
    done({ ok: false, error: "too many steps" });
} catch (e) {
    done({ ok: false, error: `${e.code ?? ""} ${e.message}` });
}
