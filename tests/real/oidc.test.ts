/*
 * OIDC console login with real programs: a certified OpenID provider (`oidc-provider`) on a
 * loopback port over HTTPS (a test CA from openssl), configured with the client id, redirect URI
 * and client secret the component renders or references, and a real OpenID client
 * (`openid-client`) that knows ONLY the rendered settings: the Router's discoveryURI, clientID and
 * scope properties, the redirect URI derived from the rendered Ingress host and druid-pac4j's
 * callback path, and the secret read through the Router's rendered secretKeyRef from the Secret
 * the test created. Both packages are ESM-only: tests/support/oidc-flow.mjs runs them in a child
 * process (what the client does, and why, is written there).
 *
 * Druid itself does not run here: what is shown is that the provider side (client registration,
 * redirect URI, secret, scopes, the `sub` claim that becomes the Druid identity) fits what the
 * component renders. Druid's own pac4j filter and callback are not exercised.
 *
 * Needs: openssl (Debian), the oidc-provider and openid-client devDependencies.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DruidCluster } from "../../index";
import { parseProperties } from "../../components/core/properties";
import { pac4jCallbackPath } from "../../components/plan/layout";
import { resolveCluster } from "../../components/plan/resolve";
import { planProgram, valueOf } from "../../testing";
import { authModesArgs } from "../fixtures/auth-args";
import { freePort } from "../support/free-port";

const flow = path.join(__dirname, "..", "support", "oidc-flow.mjs");
type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);


interface FlowResult { ok: boolean; claims?: Record<string, unknown>; status?: number; error?: string; location?: string }

describe("OIDC login against a real OpenID provider (rendered client settings)", function () {
    this.timeout(60_000);
    let tmp = "";
    let port = 0;
    // What the Router renders (properties, the Ingress, the secret's reference), and the Secrets of the namespace.
    let rendered: { discoveryUri: string; clientId: string; scopes: string[]; redirectUri: string; secretRef: { name: string; key: string } };
    const namespaceSecrets: Record<string, Record<string, string>> = { "druid-oidc": { "client-secret": "client-secret-from-the-k8s-secret-5d1e" } };

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "oidc-test-"));
        const f = (n: string) => path.join(tmp, n);
        const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe", timeout: 20_000 });
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca.key"), "-out", f("ca.pem"), "-days", "2", "-subj", "/CN=OIDC Test CA");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost");
        fs.writeFileSync(f("san.ext"), "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
        openssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f("server.pem"), "-days", "2", "-extfile", f("san.ext"));
        port = await freePort();

        // The cluster as rendered, its issuer being the local provider (https, as the component requires).
        const args = authModesArgs();
        args.auth!.oidc!.discoveryUri = `https://localhost:${port}/.well-known/openid-configuration`;
        const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
        const files = (await valueOf(result.configuration)) as Record<string, Record<string, string>>;
        const router = parseProperties(files.router["runtime.properties"]);
        const ingress = plan.get("kubernetes:networking.k8s.io/v1:Ingress", "druid-router");
        const host = String(at(ingress.inputs, "spec", "rules", 0, "host"));
        const env = at(plan.get("kubernetes:apps/v1:Deployment", "druid-router").inputs, "spec", "template", "spec", "containers", 0, "env") as Obj[];
        const secretEnv = JSON.parse(router["druid.auth.pac4j.oidc.clientSecret"]) as { type: string; variable: string };
        assert.equal(secretEnv.type, "environment");
        const ref = at(env.find((e) => e.name === secretEnv.variable), "valueFrom", "secretKeyRef") as { name: string; key: string };
        rendered = {
            discoveryUri: router["druid.auth.pac4j.oidc.discoveryURI"],
            clientId: router["druid.auth.pac4j.oidc.clientID"],
            scopes: router["druid.auth.pac4j.oidc.scope"].split(" "),
            redirectUri: `https://${host}${pac4jCallbackPath}`,
            secretRef: ref,
        };
        assert.equal(rendered.redirectUri, resolveCluster("druid", args).auth.oidc?.redirectUri, "the plan's redirect URI is the one derived from the rendered Ingress");
    });

    after(() => { if (tmp !== "") fs.rmSync(tmp, { recursive: true, force: true }); });

    /** One login: the provider registered with the rendered settings; the client may be given other ones. */
    function login(clientOverrides: Partial<{ redirectUri: string; clientSecret: string }> = {}): Promise<FlowResult> {
        const secret = namespaceSecrets[rendered.secretRef.name][rendered.secretRef.key];
        const input = {
            port, certFile: path.join(tmp, "server.pem"), keyFile: path.join(tmp, "server.key"), user: "alice",
            provider: { clientId: rendered.clientId, clientSecret: secret, redirectUri: rendered.redirectUri },
            client: { discoveryUri: rendered.discoveryUri, clientId: rendered.clientId, clientSecret: secret, scopes: rendered.scopes, redirectUri: rendered.redirectUri, ...clientOverrides },
        };
        return new Promise((resolve, reject) => {
            const child = spawn(process.execPath, [flow, JSON.stringify(input)], {
                cwd: path.join(__dirname, "..", ".."), env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_EXTRA_CA_CERTS: path.join(tmp, "ca.pem") },
            });
            let out = ""; let err = "";
            child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
            child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
            const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
            child.on("close", () => {
                clearTimeout(timer);
                const line = out.trim().split("\n").pop() ?? "";
                try { resolve(JSON.parse(line) as FlowResult); } catch { reject(new Error(`no result: ${out}\n${err}`)); }
            });
        });
    }

    it("discovery and an authorization-code flow with the rendered settings give an ID token with the identity claim (sub)", async () => {
        assert.deepEqual(rendered.scopes, ["openid", "profile", "email"]);
        const r = await login();
        assert.equal(r.ok, true, JSON.stringify(r));
        assert.equal(r.claims?.sub, "alice");
        assert.equal(r.claims?.aud, rendered.clientId);
        assert.equal(r.claims?.iss, `https://localhost:${port}`);
        assert.equal(typeof r.claims?.nonce, "string", "the nonce pac4j sends (setUseNonce(true)) came back and was checked");
    });

    it("a redirect URI other than the rendered one is refused by the provider (no redirect to it)", async () => {
        const r = await login({ redirectUri: "https://druid.attacker.example.com/druid-ext/druid-pac4j/callback" });
        assert.equal(r.ok, false);
        assert.equal(r.status, 400, JSON.stringify(r));
        assert.match(String(r.error), /redirect_uri/);
        assert.equal(r.location, undefined);
    });

    it("a wrong client secret is refused at the code exchange", async () => {
        const r = await login({ clientSecret: "not-the-secret-in-the-k8s-secret" });
        assert.equal(r.ok, false);
        assert.match(String(r.error), /invalid_client/, JSON.stringify(r));
    });
});
