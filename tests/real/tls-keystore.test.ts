/*
 * The keystore alias Druid's HTTPS server is told to use (`druid.server.https.certAlias`), checked
 * against a keystore built the way cert-manager builds `keystore.p12` and a REAL JDK TLS handshake
 * on 127.0.0.1 (tests/java/TlsAlias.java, Jetty's alias and SNI key managers modelled on the JDK's
 * own SunX509 key manager), with Druid's client side taken from the same rendered file: the
 * truststore, its type and password, the protocol and host-name verification.
 *
 * Why the alias of cert-manager's PKCS12 keystore is "1" (sources in tests/support/cert-manager-keystore.ts):
 *   - cert-manager encodes keystore.p12 with go-pkcs12's Encode (default profile LegacyRC2), which
 *     gives the key bag a localKeyId and NO friendlyName; cert-manager has no PKCS12 alias option
 *     (keystore.go encodePKCS12Keystore takes none; issues cert-manager/cert-manager#7066 and #3681,
 *     the open PR #8339 would add one).
 *   - The JDK then names the entry itself: openjdk/jdk17u sun/security/pkcs12/PKCS12KeyStore.java
 *     (as shipped in Debian's openjdk-17-source 17.0.21.1+2-1~deb12u1, src.zip), loadSafeContents
 *     lines 2535-2592: "we need to have an Unfriendlyname in the alias, if alias is null" --
 *     `if (alias == null) alias = getUnfriendlyName();` and `entries.put(alias.toLowerCase(...))`;
 *     getUnfriendlyName (lines 2624-2627) is `counter++; return String.valueOf(counter)`, and
 *     engineLoad resets `counter = 0` (lines 2010-2011). Certificate bags without friendlyName and
 *     without the trustedKeyUsage attribute are no entries (line 2617, certEntries only), so they
 *     take no number: the one key bag is alias "1".
 *   - cert-manager's JKS keystore, by contrast, stores the key under "certificate" (keystores.jks.alias).
 *
 * Needs (Debian): openssl, default-jdk-headless (java, keytool). A missing one FAILS the suite with
 * the package to install: .ci/run must install them.
 */
import assert from "node:assert/strict";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { DruidCluster, Tls } from "../../index";
import { parseProperties, PropertyMap } from "../../components/core/properties";
import { Plan, planProgram, valueOf } from "../../testing";
import { defaultArgs } from "../fixtures/args";
import { CertManagerKeystores, makeCertManagerKeystores, missingPrerequisites, RunResult, run } from "../support/cert-manager-keystore";

const tlsAlias = path.join(__dirname, "..", "java", "TlsAlias.java");

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

interface Rendered { plan: Plan; common: PropertyMap; routerHost: string }

/** Renders a cluster as `pulumi up` does (every value known; a preview leaves the configuration unknown). */
async function render(tls: Tls): Promise<Rendered> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", { ...defaultArgs(), tls }), { preview: false, config: { "aws:region": "eu-west-1" } });
    const files = await valueOf(result.configuration);
    const text = files?._common?.["common.runtime.properties"];
    assert.ok(text !== undefined, "the rendered configuration has _common/common.runtime.properties");
    return { plan, common: parseProperties(text), routerHost: new URL(String(await valueOf(result.routerUrl))).hostname };
}

/** What a Druid pod (the Broker's) gets for TLS: the Secret volume's items, where it is mounted, and the password variable's source. */
interface PodTls { secretName: string; items: { key: string; path: string }[]; mountPath: string; passwordEnv: Map<string, { name: string; key: string }> }

function podTls(plan: Plan): PodTls {
    const broker = plan.get("kubernetes:apps/v1:Deployment", "druid-broker");
    const pod = at(broker.inputs, "spec", "template", "spec") as Obj;
    const volume = (pod.volumes as Obj[]).find((v) => v.name === "tls");
    assert.ok(volume !== undefined, "the Broker has a tls volume");
    const container = (pod.containers as Obj[]).find((c) => c.name === "druid") ?? (pod.containers as Obj[])[0];
    const mount = (container.volumeMounts as Obj[]).find((m) => m.name === "tls");
    assert.ok(mount !== undefined, "the tls volume is mounted");
    const passwordEnv = new Map<string, { name: string; key: string }>();
    for (const e of (container.env as Obj[] | undefined) ?? []) {
        const ref = at(e, "valueFrom", "secretKeyRef") as { name: string; key: string } | undefined;
        if (ref !== undefined) passwordEnv.set(String(e.name), ref);
    }
    return {
        secretName: String(at(volume, "secret", "secretName")),
        items: at(volume, "secret", "items") as { key: string; path: string }[],
        mountPath: String(mount.mountPath),
        passwordEnv,
    };
}

/** Lays the Secret's data out as the pod sees it (items key -> path under the mount); returns the pod path -> local path mapping. */
function mountSecret(tls: PodTls, secretData: Record<string, string>, dir: string): (podPath: string) => string {
    fs.mkdirSync(dir, { recursive: true });
    for (const item of tls.items) {
        assert.ok(secretData[item.key] !== undefined, `the Secret has the key ${item.key} the volume mounts`);
        fs.copyFileSync(secretData[item.key], path.join(dir, item.path));
    }
    return (podPath: string) => {
        assert.ok(podPath.startsWith(tls.mountPath + "/"), `${podPath} is under the tls mount ${tls.mountPath}`);
        return path.join(dir, podPath.slice(tls.mountPath.length + 1));
    };
}

/** The environment variable of a Druid environment password provider ({"type":"environment","variable":...}). */
function passwordVariable(value: string | undefined, what: string): string {
    assert.ok(value !== undefined, `${what} is set`);
    const provider = JSON.parse(value) as { type?: string; variable?: string };
    assert.equal(provider.type, "environment", `${what} comes from the environment`);
    assert.ok(typeof provider.variable === "string");
    return provider.variable;
}

/** TlsAlias.java arguments for one handshake with Druid's server and client TLS settings from `common`. */
function handshakeArgs(label: string, common: PropertyMap, local: (podPath: string) => string,
    o: { host: string; server?: "aliased" | "jetty"; sni?: boolean; certAlias?: string | null; keystore?: string; keystoreType?: string }): string[] {
    const certAlias = o.certAlias === undefined ? common["druid.server.https.certAlias"] : o.certAlias ?? undefined;
    const args = ["handshake", `label=${label}`, `server=${o.server ?? "aliased"}`, `host=${o.host}`, `sni=${o.sni ?? true}`,
        `keystore=${o.keystore ?? local(common["druid.server.https.keyStorePath"])}`,
        `keystoreType=${o.keystoreType ?? common["druid.server.https.keyStoreType"]}`,
        `keystorePassword=${passwordVariable(common["druid.server.https.keyStorePassword"], "druid.server.https.keyStorePassword")}`,
        ...(common["druid.server.https.keyManagerPassword"] !== undefined
            ? [`keyManagerPassword=${passwordVariable(common["druid.server.https.keyManagerPassword"], "druid.server.https.keyManagerPassword")}`] : []),
        ...(certAlias !== undefined ? [`certAlias=${certAlias}`] : []),
        `truststore=${local(common["druid.client.https.trustStorePath"])}`,
        `truststoreType=${common["druid.client.https.trustStoreType"]}`,
        `truststorePassword=${passwordVariable(common["druid.client.https.trustStorePassword"], "druid.client.https.trustStorePassword")}`,
        `protocol=${common["druid.client.https.protocol"] ?? "TLS"}`,
        `validateHostnames=${common["druid.client.https.validateHostnames"] ?? "true"}`];
    return args;
}

interface Listed { command: "list"; store: string; entries: { alias: string; key: boolean; trusted: boolean; chain: string[]; dnsNames: string[] }[]; aliasIsKey?: boolean }
interface Shaken {
    command: "handshake"; label: string; certAlias: string | null; sniLayer: boolean; keyEntry?: boolean; aliasListed?: boolean; keyAliases: string[];
    ok: boolean; serverAlias: string | null; protocol?: string; peer?: string; peerDnsNames?: string[]; peerIssuer?: string;
    clientError: string | null; serverError: string | null;
}
interface JavaRun { result: RunResult; lists: Listed[]; handshakes: Map<string, Shaken> }

async function tlsAliasRun(commands: string[][], env: Record<string, string>): Promise<JavaRun> {
    // C1 only and the serial collector: the single-file launch (javac in the JVM) starts about a third faster.
    const result = await run("java", ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", tlsAlias, ...commands.flatMap((c, i) => (i === 0 ? c : ["--", ...c]))], env, 60_000);
    const lines = result.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Listed | Shaken);
    assert.equal(lines.length, commands.length, `TlsAlias printed one line per command (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    return {
        result,
        lists: lines.filter((l): l is Listed => l.command === "list"),
        handshakes: new Map(lines.filter((l): l is Shaken => l.command === "handshake").map((h) => [h.label, h])),
    };
}

describe("TLS keystore alias: cert-manager's PKCS12 keystore, the rendered certAlias and a real JDK handshake", function () {
    this.timeout(60_000);
    const password = crypto.randomBytes(16).toString("hex"); // like the component's RandomPassword: 32 characters, no specials
    let stores: CertManagerKeystores | undefined;
    let certManager: Rendered;
    let byoNamed: Rendered;
    let byoPlain: Rendered;
    let podHost: string;
    let good: JavaRun;
    let bad: JavaRun;
    let keystoreInfo: string;
    let truststoreInfo: string;
    let passwordChain: { certificate: unknown; pod: { name: string; key: string } | undefined; variable: string };

    before(async function () {
        const missing = missingPrerequisites();
        // Not a skip: CI must have these (.ci/run installs them).
        assert.deepEqual(missing, [], `the keystore test needs, on Debian:\n  - ${missing.join("\n  - ")}`);
        const started = Date.now();

        certManager = await render({ certManagerIssuer: "druid-ca" });
        byoNamed = await render({ secretName: "my-tls", certAlias: "druid" });
        byoPlain = await render({ secretName: "my-tls" });
        const rendered = Date.now();

        // The certificate cert-manager would issue for the rendered Certificate.
        const cert = certManager.plan.get("kubernetes:cert-manager.io/v1:Certificate", "druid-tls");
        const dnsNames = at(cert.inputs, "spec", "dnsNames") as string[];
        const podWildcard = dnsNames.find((n) => n.startsWith("*.") && n.endsWith(".pod.cluster.local"));
        assert.ok(podWildcard !== undefined, `the Certificate covers the pods' DNS names: ${dnsNames.join(", ")}`);
        podHost = `10-1-2-3${podWildcard.slice(1)}`; // the name a pod announces (druid_host), from its IP 10.1.2.3
        const commonName = at(cert.inputs, "spec", "commonName") as string | undefined;
        stores = await makeCertManagerKeystores({ dnsNames, usages: at(cert.inputs, "spec", "usages") as string[], commonName, password });
        const s = stores;
        const made = Date.now();

        // Druid's password is the one cert-manager encrypts the keystores with.
        const variable = passwordVariable(certManager.common["druid.server.https.keyStorePassword"], "druid.server.https.keyStorePassword");
        const cmPod = podTls(certManager.plan);
        passwordChain = { certificate: at(cert.inputs, "spec", "keystores", "pkcs12", "passwordSecretRef"), pod: cmPod.passwordEnv.get(variable), variable };

        // The pods' view of each Secret.
        const cmLocal = mountSecret(cmPod, { ...s.secret }, path.join(s.dir, "pod-cert-manager"));
        const named = await s.namedKeystore("druid");
        const upper = await s.namedKeystore("Druid");
        const byoLocal = mountSecret(podTls(byoNamed.plan), { "keystore.p12": named, "truststore.p12": s.secret["truststore.p12"] }, path.join(s.dir, "pod-byo-named"));
        const plainLocal = mountSecret(podTls(byoPlain.plan), { "keystore.p12": s.secret["keystore.p12"], "truststore.p12": s.secret["truststore.p12"] },
            path.join(s.dir, "pod-byo-plain"));
        const cm = certManager.common;
        const ks = cmLocal(cm["druid.server.https.keyStorePath"]);
        const ts = cmLocal(cm["druid.client.https.trustStorePath"]);
        const env = { [variable]: password };

        // Two JVMs at once: what must work (exit 0) and what must not (exit 1).
        [good, bad, keystoreInfo, truststoreInfo] = await Promise.all([
            tlsAliasRun([
                ["list", `store=${ks}`, `type=${cm["druid.server.https.keyStoreType"]}`, `password=${variable}`,
                    ...(cm["druid.server.https.certAlias"] !== undefined ? [`alias=${cm["druid.server.https.certAlias"]}`] : [])],
                ["list", `store=${ts}`, `type=${cm["druid.client.https.trustStoreType"]}`, `password=${variable}`],
                ["list", `store=${s.keystoreJks}`, "type=jks", `password=${variable}`, "alias=certificate"],
                handshakeArgs("rendered, pod name", cm, cmLocal, { host: podHost }),
                handshakeArgs("rendered, Jetty, Service name", cm, cmLocal, { host: certManager.routerHost, server: "jetty" }),
                handshakeArgs("rendered, Jetty, no SNI", cm, cmLocal, { host: certManager.routerHost, server: "jetty", sni: false }),
                handshakeArgs("cert-manager JKS, certificate", cm, cmLocal, { host: podHost, keystore: s.keystoreJks, keystoreType: "jks", certAlias: "certificate" }),
                handshakeArgs("secretName with certAlias", byoNamed.common, byoLocal, { host: podHost }),
                handshakeArgs("secretName without certAlias", byoPlain.common, plainLocal, { host: podHost }),
            ], env),
            tlsAliasRun([
                handshakeArgs("old alias", cm, cmLocal, { host: podHost, certAlias: "certificate" }),
                handshakeArgs("old alias, Jetty, no SNI", cm, cmLocal, { host: podHost, server: "jetty", sni: false, certAlias: "certificate" }),
                handshakeArgs("old alias, Jetty, SNI", cm, cmLocal, { host: podHost, server: "jetty", certAlias: "certificate" }),
                handshakeArgs("upper-case alias", cm, cmLocal, { host: podHost, keystore: upper, certAlias: "Druid" }),
                // The key entry's own alias, so that only the host name can fail.
                handshakeArgs("wrong host", cm, cmLocal, { host: "druid-router.other.svc.cluster.local", certAlias: "1" }),
            ], env),
            s.pkcs12Info(s.secret["keystore.p12"]),
            s.pkcs12Info(s.secret["truststore.p12"]),
        ]);
        console.log(`      keystores: go-pkcs12 ${s.profile}${s.profileNote !== undefined ? ` (${s.profileNote})` : ""}; ` +
            `rendered certAlias ${JSON.stringify(cm["druid.server.https.certAlias"])}; ` +
            `renders ${rendered - started} ms, keystores ${made - rendered} ms, JVMs ${Date.now() - made} ms`);
    });

    after(() => stores?.dispose());

    const shaken = (r: JavaRun, label: string): Shaken => {
        const h = r.handshakes.get(label);
        assert.ok(h !== undefined, `handshake "${label}" ran`);
        return h;
    };

    it("cert-manager's keystore.p12 (no friendlyName, go-pkcs12 parameters): Java lists its only key entry as alias \"1\"", () => {
        // The file is what cert-manager writes: key bag with localKeyID only, no friendlyName.
        assert.doesNotMatch(keystoreInfo, /friendlyName/, keystoreInfo);
        assert.match(keystoreInfo, /localKeyID/);
        assert.match(keystoreInfo, /MAC: sha1, Iteration 1\b/);
        assert.match(keystoreInfo, stores!.profile === "LegacyRC2" ? /pbeWithSHA1And40BitRC2-CBC, Iteration 2048/ : /pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
        assert.match(keystoreInfo, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
        const list = good.lists[0];
        assert.deepEqual(list.entries.map((e) => [e.alias, e.key, e.trusted]), [["1", true, false]], JSON.stringify(list));
        assert.equal(list.entries[0].chain.length, 2, "leaf and CA (the CA bag has no attribute, so it is no entry of its own)");
    });

    it("the rendered certAlias names that key entry, and the handshake with the rendered truststore and host-name check succeeds", () => {
        const common = certManager.common;
        assert.equal(common["druid.server.https.certAlias"], "1",
            "druid.server.https.certAlias must be the alias Java gives cert-manager's PKCS12 key entry (\"certificate\" is the JKS one)");
        assert.equal(good.lists[0].aliasIsKey, true);
        for (const label of ["rendered, pod name", "rendered, Jetty, Service name", "rendered, Jetty, no SNI"]) {
            const h = shaken(good, label);
            assert.equal(h.ok, true, `${label}: ${JSON.stringify(h)}`);
            assert.equal(h.serverAlias, "1", label);
            assert.equal(h.peerIssuer, "CN=druid-ca", label);
        }
        // Druid's client speaks the rendered protocol.
        assert.equal(shaken(good, "rendered, pod name").protocol, common["druid.client.https.protocol"]);
        assert.equal(good.result.code, 0, `exit 0 when every handshake succeeds:\n${good.result.stderr}`);
    });

    it("the keystore password Druid reads is the one cert-manager encrypts the keystores with", () => {
        assert.ok(passwordChain.pod !== undefined, `the pod sets ${passwordChain.variable} from a Secret`);
        assert.deepEqual(passwordChain.pod, passwordChain.certificate, "the pod's password Secret key is the Certificate's passwordSecretRef");
        const c = certManager.common;
        for (const p of ["druid.server.https.keyManagerPassword", "druid.client.https.trustStorePassword"]) {
            assert.equal(passwordVariable(c[p], p), passwordChain.variable, `${p}: the same password (cert-manager encrypts keystore.p12 and truststore.p12 with one)`);
        }
    });

    it("the old alias \"certificate\" names no key there: the handshake fails", () => {
        const h = shaken(bad, "old alias");
        assert.equal(h.keyEntry, false);
        assert.deepEqual(h.keyAliases, ["1"]);
        assert.equal(h.ok, false, JSON.stringify(h));
        assert.equal(h.serverAlias, null);
        assert.match(String(h.serverError), /no cipher suites in common/);
        assert.equal(bad.result.code, 1, "exit 1 when a handshake fails or an alias has no key");
    });

    it("behind Jetty's SNI layer the old alias failed for clients without SNI (kubelet's HTTPS probes by pod IP) and only worked through SNI", () => {
        // The Certificate has a wildcard name, so Jetty adds SniX509ExtendedKeyManager, which picks the
        // key by the SNI host name from all of the keystore's key aliases, ignoring certAlias. A client
        // that connects to an IP sends no SNI (RFC 6066 section 3; Go's crypto/tls hostnameInSNI returns
        // "" for an IP literal), as kubelet's httpGet probes to the pod IP do: they reach the aliased
        // key manager, which has no "certificate" key.
        const noSni = shaken(bad, "old alias, Jetty, no SNI");
        assert.equal(noSni.sniLayer, true);
        assert.equal(noSni.ok, false, JSON.stringify(noSni));
        const sni = shaken(bad, "old alias, Jetty, SNI");
        assert.equal(sni.sniLayer, true);
        assert.equal(sni.ok, true, JSON.stringify(sni));
        assert.equal(sni.serverAlias, "1");
    });

    it("the rendered truststore holds the CA as a trusted certificate entry, and host names are verified", () => {
        assert.match(truststoreInfo, /friendlyName: CN=druid-ca/);
        assert.match(truststoreInfo, /2\.16\.840\.1\.113894\.746875\.1\.1/, "Java's trustedKeyUsage attribute, as go-pkcs12's EncodeTrustStore writes it");
        const list = good.lists[1];
        assert.deepEqual(list.entries.map((e) => [e.alias, e.key, e.trusted]), [["cn=druid-ca", false, true]], JSON.stringify(list));
        assert.equal(certManager.common["druid.client.https.validateHostnames"], "true");
        const wrong = shaken(bad, "wrong host");
        assert.equal(wrong.ok, false);
        assert.match(String(wrong.clientError), /No subject alternative DNS name matching/);
    });

    it("cert-manager's JKS keystore keeps its key under \"certificate\"", () => {
        const list = good.lists[2];
        assert.deepEqual(list.entries.map((e) => [e.alias, e.key, e.trusted]).sort(), [["ca", false, true], ["certificate", true, false]], JSON.stringify(list));
        assert.equal(list.aliasIsKey, true);
        assert.equal(shaken(good, "cert-manager JKS, certificate").ok, true);
    });

    it("tls.secretName with tls.certAlias: the alias is written through and names the key of a keystore with that friendlyName", () => {
        assert.equal(byoNamed.common["druid.server.https.certAlias"], "druid", "tls.certAlias is written to druid.server.https.certAlias");
        const h = shaken(good, "secretName with certAlias");
        assert.equal(h.ok, true, JSON.stringify(h));
        assert.equal(h.serverAlias, "druid");
    });

    it("tls.secretName without tls.certAlias: no certAlias, and the JDK picks the keystore's only key", () => {
        assert.equal(byoPlain.common["druid.server.https.certAlias"], undefined);
        const h = shaken(good, "secretName without certAlias");
        assert.equal(h.ok, true, JSON.stringify(h));
        assert.equal(h.serverAlias, "1");
    });

    it("aliases are compared exactly, and Java lower-cases them: an upper-case certAlias finds no key in Jetty", () => {
        const h = shaken(bad, "upper-case alias");
        assert.equal(h.keyEntry, true, "KeyStore.isKeyEntry ignores case");
        assert.equal(h.aliasListed, false, "but the key manager lists the alias as \"druid\"");
        assert.deepEqual(h.keyAliases, ["druid"]);
        assert.equal(h.ok, false, JSON.stringify(h));
    });
});
