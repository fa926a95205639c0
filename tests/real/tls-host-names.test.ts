/*
 * Every host name a client uses to reach a TLS pod is a name of the certificate, checked with a
 * REAL JDK TLS handshake (tests/java/TlsAlias.java: Jetty's SNI key manager as Druid's server
 * builds it, the client with SNI and the JDK's HTTPS host-name check, as Druid's
 * `druid.client.https.validateHostnames` does) against a certificate issued for the rendered
 * Certificate's dnsNames, with cert-manager's keystore layout (tests/support/cert-manager-keystore.ts).
 *
 * Why it matters from Druid 35 on: Druid serves with Jetty 12, whose SecureRequestCustomizer.checkSni
 * (jetty/jetty.project jetty-12.0.x, jetty-core/jetty-server/src/main/java/org/eclipse/jetty/server/
 * SecureRequestCustomizer.java) answers 400 "Invalid SNI" when `!x509.matches(serverName)`, the
 * request's Host against the served certificate, whether or not the client sent SNI; Druid turns the
 * check on by default (`druid.server.http.enforceStrictSNIHostChecking`, ServerConfig, default true:
 * apache/druid server/src/test/.../ServerConfigSerdeTest asserts it; Druid 35.0.0 release notes,
 * apache/druid#18424, #18623). Jetty's own check is not run here (the machine has Jetty 9.4 only):
 * the names it compares are the Host values below, which this test collects from the render.
 *
 * The host names: each pod's druid.host (Deployments: the rendered command run by busybox sh with a
 * pod IP; StatefulSets: the environment as the kubelet expands it), every Service in its four forms,
 * the Host header of every probe, the Router URL output and the Router Ingress host.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DruidCluster, DruidClusterArgs } from "../../index";
import { parseProperties, PropertyMap } from "../../components/core/properties";
import { Plan, planProgram, valueOf } from "../../testing";
import { defaultArgs } from "../fixtures/args";
import { makeCertManagerKeystores, missingPrerequisites, run } from "../support/cert-manager-keystore";
import { EnvVarLike, kubeletEnv } from "../support/kubelet-env";

const tlsAlias = path.join(__dirname, "..", "java", "TlsAlias.java");
const busybox = "/bin/busybox";

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

/** What busybox sh does with a Deployment's TLS command: the druid_host it exports (traced with -x; /druid.sh itself is absent here). */
function exportedHost(script: string, env: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(busybox, ["sh", "-xc", script], { env: { PATH: "/nonexistent", ...env }, timeout: 10_000 }, (_err, _stdout, stderr) => {
            const m = /^\+ export '?druid_host=([^'\s]+)'?$/m.exec(stderr);
            if (m === null) reject(new Error(`no druid_host exported:\n${stderr}`)); else resolve(m[1]);
        });
    });
}

/** Busybox sh runs `echo`/`tr` as applets only on its own PATH: give it one. */
function appletDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-names-bin-"));
    for (const a of ["echo", "tr"]) fs.symlinkSync(busybox, path.join(dir, a));
    return dir;
}

interface Rendered { plan: Plan; common: PropertyMap; namespace: string; routerUrl: string }

async function render(args: DruidClusterArgs): Promise<Rendered> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
    const files = await valueOf(result.configuration);
    return {
        plan, common: parseProperties(files!._common["common.runtime.properties"]),
        namespace: String(await valueOf(result.namespace)), routerUrl: String(await valueOf(result.routerUrl)),
    };
}

/** Every host name clients use, with where it comes from. */
async function clientHostNames(r: Rendered, bin: string): Promise<Map<string, string>> {
    const hosts = new Map<string, string>();
    const add = (host: string, from: string) => { if (!hosts.has(host)) hosts.set(host, from); };
    const workloads = [...r.plan.ofType("kubernetes:apps/v1:Deployment"), ...r.plan.ofType("kubernetes:apps/v1:StatefulSet")]
        .filter((w) => !w.name.includes("zookeeper"));
    for (const w of workloads) {
        const name = String(at(w.inputs, "metadata", "name"));
        const container = (at(w.inputs, "spec", "template", "spec", "containers") as Obj[]).find((c) => c.name === "druid")!;
        const env = kubeletEnv(container.env as EnvVarLike[], { name: `${name}-0`, namespace: r.namespace, ip: "10.1.2.3" });
        const command = container.command as string[] | undefined;
        const host = command === undefined ? env.druid_host : await exportedHost(command[2], { ...env, PATH: bin });
        assert.ok(host !== undefined, `${name} announces a druid.host`);
        add(host, `${name} druid.host`);
        for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
            for (const h of (at(container, probe, "httpGet", "httpHeaders") as { name: string; value: string }[] | undefined) ?? []) {
                if (h.name.toLowerCase() === "host") add(h.value, `${name} ${probe} Host`);
            }
        }
    }
    for (const s of r.plan.ofType("kubernetes:core/v1:Service").filter((x) => !x.name.includes("zookeeper"))) {
        const svc = String(at(s.inputs, "metadata", "name"));
        for (const form of [svc, `${svc}.${r.namespace}`, `${svc}.${r.namespace}.svc`, `${svc}.${r.namespace}.svc.cluster.local`]) add(form, `Service ${svc}`);
    }
    add(new URL(r.routerUrl).hostname, "routerUrl output");
    for (const ing of r.plan.ofType("kubernetes:networking.k8s.io/v1:Ingress")) {
        for (const rule of at(ing.inputs, "spec", "rules") as { host: string }[]) add(rule.host, "Router Ingress host");
    }
    return hosts;
}

interface Shaken { label: string; ok: boolean; clientError: string | null; serverError: string | null }

function handshakes(common: PropertyMap, dir: string, hosts: { label: string; host: string; sni: boolean }[], password: string): Promise<{ code: number; results: Shaken[]; stderr: string }> {
    const variable = (JSON.parse(common["druid.server.https.keyStorePassword"]) as { variable: string }).variable;
    const local = (podPath: string) => path.join(dir, path.basename(podPath));
    const commands = hosts.map((h) => ["handshake", `label=${h.label}`, "server=jetty", `host=${h.host}`, `sni=${h.sni}`,
        `keystore=${local(common["druid.server.https.keyStorePath"])}`, `keystoreType=${common["druid.server.https.keyStoreType"]}`,
        `keystorePassword=${variable}`, ...(common["druid.server.https.certAlias"] !== undefined ? [`certAlias=${common["druid.server.https.certAlias"]}`] : []),
        `truststore=${local(common["druid.client.https.trustStorePath"])}`, `truststoreType=${common["druid.client.https.trustStoreType"]}`,
        `truststorePassword=${variable}`, `protocol=${common["druid.client.https.protocol"] ?? "TLS"}`,
        `validateHostnames=${common["druid.client.https.validateHostnames"] ?? "true"}`]);
    return run("java", ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", tlsAlias, ...commands.flatMap((c, i) => (i === 0 ? c : ["--", ...c]))],
        { [variable]: password }, 120_000).then((res) => ({
        code: res.code, stderr: res.stderr,
        results: res.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Shaken),
    }));
}

describe("TLS: every host name clients use is a name of the certificate (real JDK handshakes)", function () {
    this.timeout(180_000);
    const cases: Record<string, () => DruidClusterArgs> = {
        "MiddleManagers, ZooKeeper, Router Ingress": () => ({
            ...defaultArgs(), tls: { certManagerIssuer: "druid-ca" },
            query: { router: { ingress: { host: "druid.example.com" } } },
        }),
        "Indexers, Kubernetes discovery, two Historical tiers, long namespace": () => ({
            ...defaultArgs(), namespace: "analytics-platform-production-eu-west-1", coordination: "kubernetes", tls: { certManagerIssuer: "druid-ca" },
            data: { ingestion: { worker: "indexer" }, historicalTiers: [{ name: "default", volumeSize: "50Gi" }, { name: "hot", volumeSize: "50Gi" }] },
        }),
    };
    let bin: string;
    before(() => {
        assert.deepEqual(missingPrerequisites(), [], "openssl and a JDK are needed (.ci/run installs them)");
        assert.ok(fs.existsSync(busybox), "Debian's busybox-static is needed (.ci/run installs it)");
        bin = appletDir();
    });
    after(() => fs.rmSync(bin, { recursive: true, force: true }));

    for (const [title, args] of Object.entries(cases)) {
        it(`${title}: a handshake with SNI and host-name verification succeeds for each; the bare pod IP (a probe without Host) is refused`, async () => {
            const r = await render(args());
            const cert = r.plan.get("kubernetes:cert-manager.io/v1:Certificate", "druid-tls");
            const dnsNames = at(cert.inputs, "spec", "dnsNames") as string[];
            const hosts = await clientHostNames(r, bin);
            const password = crypto.randomBytes(16).toString("hex");
            const stores = await makeCertManagerKeystores({ dnsNames, usages: at(cert.inputs, "spec", "usages") as string[], password });
            try {
                const dir = path.join(stores.dir, "pod");
                fs.mkdirSync(dir);
                fs.copyFileSync(stores.secret["keystore.p12"], path.join(dir, "keystore.p12"));
                fs.copyFileSync(stores.secret["truststore.p12"], path.join(dir, "truststore.p12"));
                const list = [...hosts].map(([host, from]) => ({ label: `${from}: ${host}`, host, sni: true }));
                // What the kubelet would send without the probe's Host header (and no SNI for an IP); also the host of
                // the location the Kubernetes task runner reports for a task (KubernetesPeonLifecycle.getTaskLocation:
                // the pod IP), which is why tls with worker "kubernetesJobs" is refused (components/plan/validate-task-jobs-tls.ts).
                list.push({ label: "pod IP", host: "10.1.2.3", sni: false });
                const res = await handshakes(r.common, dir, list, password);
                assert.equal(res.results.length, list.length, res.stderr);
                const failed = res.results.filter((h) => !h.ok && h.label !== "pod IP").map((h) => `${h.label} (${h.clientError ?? h.serverError})`);
                assert.deepEqual(failed, [], `host names clients use but the certificate lacks (${dnsNames.join(", ")})`);
                assert.equal(res.results.find((h) => h.label === "pod IP")?.ok, false, "an IP is no name of the certificate");
                // The classes of names the render produced, so the test cannot pass on an empty list.
                const froms = [...hosts.values()].join("\n");
                for (const what of [/middlemanager|indexer/, /historical/, /broker druid\.host/, /readinessProbe Host/, /Service /]) {
                    assert.match(froms, what);
                }
                assert.ok(hosts.has(new URL(r.routerUrl).hostname));
                console.log(`      ${hosts.size} host names, ${dnsNames.length} certificate names`);
            } finally {
                stores.dispose();
            }
        });
    }
});
