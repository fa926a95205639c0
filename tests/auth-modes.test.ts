import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { DruidArgumentError, DruidCluster, DruidClusterArgs } from "../index";
import { parseProperties, PropertyMap } from "../components/core/properties";
import { authenticatorChain } from "../components/plan/auth-chain";
import { resolveCluster } from "../components/plan/resolve";
import { Plan, PlannedResource, planProgram, SECRET_MASK, valueOf } from "../testing";
import { authModesArgs } from "./fixtures/auth-args";
import { checkObjectFiles } from "./support/kubernetes-schema";
import { checkRestricted, PodSpecLike } from "./support/pod-security-restricted";
import { defaultArgs } from "./fixtures/args";

// auth.oidc and auth.ldap as rendered: the chain (plan/auth-chain.ts), the properties Druid reads
// (config/auth-modes.ts, sources cited there), where each secret comes from, and that none of
// them is ever written in plain text. tests/real/ldap.test.ts and tests/real/oidc.test.ts run
// real programs with these rendered values.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const root = path.join(__dirname, "..");

async function build(args: DruidClusterArgs): Promise<{ plan: Plan; files: Record<string, Record<string, string>>; cluster: DruidCluster }> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
    return { plan, cluster: result, files: (await valueOf(result.configuration)) as Record<string, Record<string, string>> };
}
const props = (files: Record<string, Record<string, string>>, service: string, file = "runtime.properties"): PropertyMap => parseProperties(files[service][file]);
const workloads = (p: Plan): PlannedResource[] => [...p.ofType("kubernetes:apps/v1:StatefulSet"), ...p.ofType("kubernetes:apps/v1:Deployment")].filter((r) => r.name !== "druid-zookeeper");
const podSpec = (r: PlannedResource) => at(r.inputs, "spec", "template", "spec") as Obj;
const druidContainer = (r: PlannedResource) => (podSpec(r).containers as Obj[]).find((c) => c.name === "druid") ?? (podSpec(r).containers as Obj[])[0];
const envOf = (r: PlannedResource) => new Map((druidContainer(r).env as Obj[]).map((e) => [String(e.name), e]));

describe("authentication modes (auth.oidc, auth.ldap)", () => {
    it("the chain: metadata-store basic first (skipping unknown users only when LDAP follows), LDAP basic, pac4j last and only where the console reaches", () => {
        assert.deepEqual(authenticatorChain("historical", { ldap: false, oidc: false }).map((a) => [a.name, a.skipOnFailure]), [["MetadataStoreAuthenticator", false]]);
        assert.deepEqual(authenticatorChain("router", { ldap: true, oidc: true }).map((a) => [a.name, a.type, a.authorizerName, a.skipOnFailure]), [
            ["MetadataStoreAuthenticator", "basic", "MetadataStoreAuthorizer", true],
            ["LdapAuthenticator", "basic", "LdapAuthorizer", false],
            ["OidcAuthenticator", "pac4j", "MetadataStoreAuthorizer", undefined],
        ]);
        assert.deepEqual(authenticatorChain("historical", { ldap: false, oidc: true }).map((a) => a.name), ["MetadataStoreAuthenticator"]);
        for (const kind of ["broker", "coordinator", "overlord"] as const) {
            assert.deepEqual(authenticatorChain(kind, { ldap: false, oidc: true }).map((a) => a.name), ["MetadataStoreAuthenticator", "OidcAuthenticator"], kind);
        }
    });

    it("renders LDAP in the common file and pac4j on the Router, Broker, Coordinator and Overlord only", async () => {
        const { files } = await build(authModesArgs());
        const common = props(files, "_common", "common.runtime.properties");
        assert.equal(common["druid.auth.authenticatorChain"], JSON.stringify(["MetadataStoreAuthenticator", "LdapAuthenticator"]));
        assert.equal(common["druid.auth.authenticator.MetadataStoreAuthenticator.skipOnFailure"], "true");
        assert.equal(common["druid.auth.authorizers"], JSON.stringify(["MetadataStoreAuthorizer", "LdapAuthorizer"]));
        const v = "druid.auth.authenticator.LdapAuthenticator";
        assert.deepEqual(Object.fromEntries(Object.entries(common).filter(([k]) => k.startsWith(v) || k.startsWith("druid.auth.authorizer.LdapAuthorizer") || k.startsWith("druid.auth.basic.ssl"))), {
            [`${v}.type`]: "basic",
            [`${v}.authorizerName`]: "LdapAuthorizer",
            [`${v}.skipOnFailure`]: "false",
            [`${v}.credentialsValidator.type`]: "ldap",
            [`${v}.credentialsValidator.url`]: "ldaps://localhost:6360",
            [`${v}.credentialsValidator.bindUser`]: "cn=druid,ou=services,dc=example,dc=com",
            [`${v}.credentialsValidator.bindPassword`]: "{\"type\":\"environment\",\"variable\":\"DRUID_LDAP_BIND_PASSWORD\"}",
            [`${v}.credentialsValidator.baseDn`]: "ou=people,dc=example,dc=com",
            [`${v}.credentialsValidator.userSearch`]: "(&(uid=%s)(objectClass=inetOrgPerson))",
            [`${v}.credentialsValidator.userAttribute`]: "uid",
            "druid.auth.authorizer.LdapAuthorizer.type": "basic",
            "druid.auth.authorizer.LdapAuthorizer.roleProvider.type": "ldap",
            "druid.auth.basic.ssl.protocol": "TLSv1.2",
            "druid.auth.basic.ssl.trustStorePath": "/opt/druid/ldap-truststore/truststore.p12",
            "druid.auth.basic.ssl.trustStoreType": "pkcs12",
            "druid.auth.basic.ssl.trustStorePassword": "{\"type\":\"environment\",\"variable\":\"DRUID_LDAP_TRUSTSTORE_PASSWORD\"}",
            "druid.auth.basic.ssl.validateHostnames": "true",
        });
        assert.ok(!(JSON.parse(common["druid.extensions.loadList"]) as string[]).includes("druid-pac4j"), "druid-pac4j is not loaded everywhere");
        assert.equal(Object.keys(common).some((k) => k.startsWith("druid.auth.pac4j")), false);
        for (const service of ["router", "broker", "coordinator", "overlord"]) {
            const p = props(files, service);
            assert.equal(p["druid.auth.authenticatorChain"], JSON.stringify(["MetadataStoreAuthenticator", "LdapAuthenticator", "OidcAuthenticator"]), service);
            assert.equal(p["druid.auth.authenticator.OidcAuthenticator.type"], "pac4j", service);
            assert.equal(p["druid.auth.authenticator.OidcAuthenticator.authorizerName"], "MetadataStoreAuthorizer", service);
            assert.deepEqual(JSON.parse(p["druid.extensions.loadList"]), [...JSON.parse(common["druid.extensions.loadList"]) as string[], "druid-pac4j"], service);
            assert.equal(p["druid.auth.pac4j.oidc.clientID"], "druid-console", service);
            assert.equal(p["druid.auth.pac4j.oidc.discoveryURI"], "https://idp.example.com/.well-known/openid-configuration", service);
            assert.equal(p["druid.auth.pac4j.oidc.scope"], "openid profile email", service);
            assert.equal(p["druid.auth.pac4j.oidc.clientSecret"], "{\"type\":\"environment\",\"variable\":\"DRUID_OIDC_CLIENT_SECRET\"}", service);
            assert.equal(p["druid.auth.pac4j.cookiePassphrase"], "{\"type\":\"environment\",\"variable\":\"DRUID_OIDC_COOKIE_PASSPHRASE\"}", service);
        }
        for (const service of ["historical-default", "middlemanager"]) {
            assert.equal(Object.keys(props(files, service)).some((k) => k.startsWith("druid.auth")), false, service);
        }
    });

    it("the plan carries the redirect URI derived from the Ingress host, and sub as the identity claim", () => {
        const plan = resolveCluster("druid", authModesArgs());
        assert.equal(plan.auth.oidc?.redirectUri, "https://druid.example.com/druid-ext/druid-pac4j/callback");
        assert.equal(plan.auth.oidc?.identityClaim, "sub");
        assert.deepEqual(plan.auth.oidc?.scopes, ["openid", "profile", "email"]);
        assert.equal(resolveCluster("druid", defaultArgs()).auth.ldap, undefined);
    });

    it("each secret reaches the pods as a secretKeyRef: client secret and bind password from the user's Secrets, passphrase and truststore password from <name>-auth", async () => {
        const { plan } = await build(authModesArgs());
        const ref = (name: string, key: string) => ({ secretKeyRef: { name, key } });
        for (const w of workloads(plan)) {
            const env = envOf(w);
            assert.deepEqual(env.get("DRUID_LDAP_BIND_PASSWORD")?.valueFrom, ref("druid-ldap", "bind-password"), w.name);
            assert.deepEqual(env.get("DRUID_LDAP_TRUSTSTORE_PASSWORD")?.valueFrom, ref("druid-auth", "ldap-truststore-password"), w.name);
            const pac4j = ["druid-router", "druid-broker", "druid-coordinator", "druid-overlord"].includes(w.name);
            assert.deepEqual(env.get("DRUID_OIDC_CLIENT_SECRET")?.valueFrom, pac4j ? ref("druid-oidc", "client-secret") : undefined, w.name);
            assert.deepEqual(env.get("DRUID_OIDC_COOKIE_PASSPHRASE")?.valueFrom, pac4j ? ref("druid-auth", "oidc-cookie-passphrase") : undefined, w.name);
            for (const e of env.values()) assert.equal(e.value !== undefined && /OIDC|LDAP/.test(String(e.name)), false, `${w.name}: ${String(e.name)} has a literal value`);
        }
        const secret = plan.get("kubernetes:core/v1:Secret", "druid-auth");
        assert.equal(at(secret.inputs, "stringData", "oidc-cookie-passphrase"), SECRET_MASK);
        assert.equal(at(secret.inputs, "stringData", "ldap-truststore-password"), SECRET_MASK);
        assert.ok(plan.resources.some((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name === "druid-oidc-cookie-passphrase"));
        assert.ok(plan.resources.some((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name === "druid-ldap-truststore-password"));
    });

    it("every Druid pod makes its LDAP truststore from the mounted CA in an init container of the Druid image", async () => {
        const { plan } = await build(authModesArgs());
        for (const w of workloads(plan)) {
            const spec = podSpec(w);
            const init = (spec.initContainers as Obj[])[0];
            assert.equal(init.name, "ldap-truststore", w.name);
            assert.equal(init.image, "apache/druid:37.0.0", w.name);
            assert.deepEqual(init.command, ["java", "sun.security.tools.keytool.Main", "-importcert", "-noprompt", "-alias", "ldap-ca",
                "-file", "/opt/druid/ldap-ca/ca.pem", "-keystore", "/opt/druid/ldap-truststore/truststore.p12", "-storetype", "PKCS12",
                "-storepass:env", "DRUID_LDAP_TRUSTSTORE_PASSWORD"], w.name);
            assert.deepEqual((spec.volumes as Obj[]).find((v) => v.name === "ldap-ca"), { name: "ldap-ca", secret: { secretName: "ldap-ca", items: [{ key: "ca.pem", path: "ca.pem" }] } }, w.name);
            assert.deepEqual((druidContainer(w).volumeMounts as Obj[]).find((m) => m.name === "ldap-truststore"),
                { name: "ldap-truststore", mountPath: "/opt/druid/ldap-truststore", readOnly: true }, w.name);
            assert.deepEqual(checkRestricted(spec as PodSpecLike), [], `${w.name}: the pod, init container included, meets the restricted profile`);
        }
    });

    it("no generated auth value is written in plain text: not in any resource input, the configuration output or the ConfigMaps", async () => {
        const { plan, cluster } = await build(authModesArgs());
        const inputs = JSON.stringify(plan.resources.map((r) => r.inputs));
        // A secret output written into a ConfigMap would show as the mask there.
        for (const cm of plan.ofType("kubernetes:core/v1:ConfigMap")) assert.ok(!JSON.stringify(cm.inputs).includes(SECRET_MASK), cm.name);
        for (const value of ["mock-password-druid-oidc-cookie-passphrase", "mock-password-druid-ldap-truststore-password"]) {
            assert.ok(!inputs.includes(value), value);
            assert.ok(!JSON.stringify(await valueOf(cluster.configuration)).includes(value), value);
        }
    });

    it("the CLI render writes no secret: the auth Secret's new keys are masked, and the pods name Secrets only", function () {
        this.timeout(180000);
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "auth-render-"));
        try {
            const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "cli", "main.ts"), "render",
                path.join(root, "tests", "fixtures", "programs", "auth-modes.ts"), "--out", path.join(out, "r")], { cwd: root, encoding: "utf8" });
            assert.equal(run.status, 0, run.stderr);
            const secret = YAML.parse(fs.readFileSync(path.join(out, "r", "kubernetes", "secret-druid-druid-auth.yaml"), "utf8")) as { stringData: Record<string, string> };
            assert.equal(secret.stringData["oidc-cookie-passphrase"], SECRET_MASK);
            assert.equal(secret.stringData["ldap-truststore-password"], SECRET_MASK);
            const router = YAML.parse(fs.readFileSync(path.join(out, "r", "kubernetes", "deployment-druid-druid-router.yaml"), "utf8")) as Obj;
            const env = (at(router, "spec", "template", "spec", "containers", 0, "env") as Obj[]).filter((e) => /OIDC|LDAP/.test(String(e.name)));
            assert.deepEqual(env.map((e) => [e.name, e.value, Object.keys(e.valueFrom as Obj)]), [
                ["DRUID_LDAP_BIND_PASSWORD", undefined, ["secretKeyRef"]], ["DRUID_LDAP_TRUSTSTORE_PASSWORD", undefined, ["secretKeyRef"]],
                ["DRUID_OIDC_CLIENT_SECRET", undefined, ["secretKeyRef"]], ["DRUID_OIDC_COOKIE_PASSPHRASE", undefined, ["secretKeyRef"]],
            ]);
            const routerProps = parseProperties(fs.readFileSync(path.join(out, "r", "config", "druid", "router", "runtime.properties"), "utf8"));
            for (const k of ["druid.auth.pac4j.oidc.clientSecret", "druid.auth.pac4j.cookiePassphrase"]) assert.equal((JSON.parse(routerProps[k]) as { type: string }).type, "environment", k);
            // Every written object (the pods with their truststore init container) is one the API server's schema accepts.
            assert.ok(checkObjectFiles(path.join(out, "r")).checked >= 30);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("a secret given where a Secret reference is required is refused without being shown", () => {
        for (const clientSecret of ["s3cr3t-client-value", pulumi.secret("s3cr3t-client-value")]) {
            const args = authModesArgs();
            args.auth!.oidc!.clientSecret = clientSecret as unknown as { name: string; key: string };
            assert.throws(() => resolveCluster("druid", args), (e: unknown) => e instanceof DruidArgumentError && e.argument === "auth.oidc.clientSecret" && !e.message.includes("s3cr3t"));
        }
    });
});
