/*
 * A REAL 3-server ZooKeeper ensemble on this machine, started from the configuration the
 * component renders, to show the rendered ZooKeeper pods would form a quorum, that their own
 * readiness probe tells a serving member from one that is not, and that Druid's rendered
 * druid.zk.service.host reaches the ensemble.
 *
 * How a pod is reproduced (see tests/support/zookeeper-image.ts for the image model and its sources):
 *  1. The pod's command (from the plan) runs under real bash with the pod's environment (image ENV +
 *     HOSTNAME=<pod name> + the rendered env). The image's /docker-entrypoint.sh in that command is
 *     textually replaced by a stub that records the environment and arguments it was exec'd with,
 *     so ZOO_MY_ID and anything else the command exports are computed by bash itself.
 *  2. The entrypoint model writes that pod's zoo.cfg and myid; the zkServer.sh/zkEnv.sh model gives
 *     the java command line (heap from ZK_SERVER_HEAP, JVMFLAGS, JMX properties, main class).
 *  3. Each pod gets a directory standing for its filesystem: a container path P is <pod dir>/P.
 *  4. The servers run with Debian's ZooKeeper 3.8.0 jars (package libzookeeper-java; the image runs
 *     3.8.6). Stand-ins, each documented where it is done:
 *     - Pod DNS -> loopback: druid-zookeeper-<i>.<headless svc>.<ns>.svc.cluster.local resolves to
 *       127.0.0.(11+i) through the JDK's -Djdk.net.hosts.file (servers and client). With that
 *       property the JDK resolves ONLY names in that file, so nothing but these loopback addresses
 *       can be contacted. The names themselves stay verbatim everywhere.
 *     - "Each pod has its own IP": in a pod the client port binds 0.0.0.0:2181 (a server line's
 *       `;2181` means 0.0.0.0, QuorumPeer.java:318). Three servers on one machine cannot, so each
 *       `server.N=...;2181` becomes `server.N=...;<that server's own host name>:2181` (same name as
 *       its quorum address, i.e. its pod IP). A clientPortAddress line would not do: QuorumPeerConfig
 *       rejects a clientPortAddress that differs from the server line's client address
 *       (QuorumPeerConfig.java:750-757). Quorum/election ports already bind the server line's own
 *       address (quorumListenOnAllIPs defaults to false).
 *     - The probe's 127.0.0.1 / localhost (its own pod's loopback) is textually replaced by that
 *       server's loopback address before it runs with real bash.
 *     - metricsProvider.* lines are dropped from the cfg the servers run with: Debian's jars lack
 *       the zookeeper-prometheus-metrics module, and QuorumPeerConfig refuses to start when the class
 *       is missing (QuorumPeerConfig.java:477-482). The rendered class name is checked against
 *       ZooKeeper's source in its own test instead.
 *     - Logging goes through slf4j-simple to a file per server (the image's logback.xml is not used).
 *     - The heap is what zkEnv.sh gives (-Xmx, a maximum: nothing is committed up front), not
 *       shrunk for CI.
 * Every wait is bounded; every process started here is killed in after(), failures included.
 */
import assert from "node:assert/strict";
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { parseProperties } from "../../components/core/properties";
import { DruidCluster } from "../../index";
import { PlannedResource, planProgram, valueOf } from "../../testing";
import { defaultArgs } from "../fixtures/args";
import {
    ContainerLike, containerArgv, containerEnv, containerUid, dockerEntrypoint, EntrypointResult, IMAGE,
    parseServerLine, parseZooCfg, quantityBytes, ServerLine, ZkServerStart, zkServerStartForeground, ZOOKEEPER,
} from "../support/zookeeper-image";

/** Debian's ZooKeeper: zookeeper.jar's manifest Class-Path names its dependencies (all under /usr/share/java). */
const ZK_JAR = "/usr/share/java/zookeeper.jar";
/** An slf4j binding (Debian's zookeeper.jar brings only slf4j-api, so the servers would log nothing). */
const SLF4J_SIMPLE = "/usr/share/java/slf4j-simple.jar";
const CLASSPATH = [ZK_JAR, SLF4J_SIMPLE].join(":");
const APT_HINT = ".ci/run must `apt-get install -y --no-install-recommends default-jdk-headless libzookeeper-java` "
    + "(libzookeeper-java brings zookeeper.jar and, through libslf4j-java, slf4j-simple.jar)";
/** How long any one wait may take. */
const WAIT_MS = 60_000;
const ROOT = path.resolve(__dirname, "..", "..");

interface ProbeLike { exec?: { command?: string[] }; tcpSocket?: { port: number | string }; httpGet?: unknown; timeoutSeconds?: number }
interface ZkContainer extends ContainerLike {
    name: string;
    image?: string;
    readinessProbe?: ProbeLike;
    livenessProbe?: ProbeLike;
    resources?: { limits?: { memory?: string } };
    volumeMounts?: { mountPath: string; subPath?: string }[];
    ports?: { containerPort: number; name?: string }[];
}
interface StatefulSetInputs {
    metadata: { name: string; namespace: string };
    spec: {
        replicas: number;
        serviceName: string;
        podManagementPolicy?: string;
        template: {
            metadata?: { annotations?: Record<string, string> };
            spec: { containers: ZkContainer[]; securityContext?: { runAsUser?: number } };
        };
    };
}

interface Pod {
    index: number;
    name: string;
    fqdn: string;
    /** The loopback address standing for this pod's IP. */
    ip: string;
    /** The directory standing for this pod's filesystem root. */
    dir: string;
    env: Record<string, string>;
    entry: EntrypointResult;
    zk: ZkServerStart;
    renderedCfg: string;
    server: ServerLine;
    javaArgs: string[];
    log: string;
    /** The server's JVM, once started (each pod's server is started at most once). */
    proc?: ChildProcess;
}

/** Started and has not exited yet (Node sets exitCode or signalCode when the child exits). */
function running(p: Pod): boolean {
    return p.proc !== undefined && p.proc.exitCode === null && p.proc.signalCode === null;
}

/** Started and exited. */
function exited(p: Pod): boolean {
    return p.proc !== undefined && !running(p);
}

function fail(msg: string): never {
    throw new Error(msg);
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs: number }): SpawnSyncReturns<string> {
    return spawnSync(cmd, args, { encoding: "utf8", env: opts.env ?? process.env, timeout: opts.timeoutMs, killSignal: "SIGKILL" });
}

/** What this test needs on the machine; a list of what is missing. */
function missingPrerequisites(): string[] {
    const missing: string[] = [];
    const java = run("java", ["--list-modules"], { timeoutMs: 20_000 });
    if (java.error || java.status !== 0) missing.push("java (a JDK 17+: default-jdk-headless)");
    else if (!/^jdk\.compiler@/m.test(java.stdout)) missing.push("a JDK, not only a JRE (java File.java needs jdk.compiler: default-jdk-headless)");
    const bash = run("bash", ["-c", "echo ok"], { timeoutMs: 5_000 });
    if (bash.stdout?.trim() !== "ok") missing.push("bash");
    if (!fs.existsSync(ZK_JAR)) missing.push(`${ZK_JAR} (libzookeeper-java)`);
    if (!fs.existsSync(SLF4J_SIMPLE)) missing.push(`${SLF4J_SIMPLE} (libslf4j-java)`);
    return missing;
}

/** Sends a four-letter word with a plain socket and returns everything the server answers. */
function fourLetter(host: string, port: number, word: string, timeoutMs = 3_000): Promise<string> {
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        const sock = net.connect({ host, port });
        const done = (s: string) => { sock.destroy(); resolve(s); };
        sock.setTimeout(timeoutMs, () => done(Buffer.concat(chunks).toString("utf8")));
        sock.on("connect", () => sock.write(word));
        sock.on("data", (d: Buffer) => chunks.push(d));
        sock.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
        sock.on("error", (e) => done(`ERROR ${e.message}`));
    });
}

function modeOf(srvr: string): string | undefined {
    return srvr.split("\n").find((l) => l.startsWith(ZOOKEEPER.modeLinePrefix))?.slice(ZOOKEEPER.modeLinePrefix.length).trim();
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, describeLast: () => string = () => ""): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > deadline) fail(`${what}: not within ${timeoutMs / 1000} s. ${describeLast()}`);
        await new Promise((r) => setTimeout(r, 250));
    }
}

function tail(file: string, lines = 25): string {
    if (!fs.existsSync(file)) return "(no log)";
    return fs.readFileSync(file, "utf8").split("\n").filter((l) => !/^\s+at /.test(l)).slice(-lines).join("\n");
}

describe("ZooKeeper ensemble, run for real from the rendered StatefulSet", function () {
    this.timeout(WAIT_MS + 20_000);

    let sts: StatefulSetInputs;
    let container: ZkContainer;
    let headless: PlannedResource;
    let druidCommon: Record<string, string>;
    let tmp: string;
    let hostsFile: string;
    const pods: Pod[] = [];
    /** Whether the current test used the servers (their logs are shown when it fails). */
    let touched = false;
    const killAll = () => {
        for (const p of pods) {
            if (p.proc?.pid !== undefined && running(p)) {
                try { process.kill(p.proc.pid, "SIGKILL"); } catch { /* already gone */ }
            }
        }
    };

    before(async function () {
        this.timeout(60_000);
        const missing = missingPrerequisites();
        if (missing.length > 0) fail(`ZooKeeper e2e test cannot run, missing: ${missing.join("; ")}. ${APT_HINT}.`);

        // `pulumi up` mode: the configuration output (druid.zk.service.host) is only known after apply.
        const { plan, result } = await planProgram(() => new DruidCluster("druid", defaultArgs()),
            { preview: false, config: { "aws:region": "eu-west-1" } });
        sts = plan.get("kubernetes:apps/v1:StatefulSet", "druid-zookeeper").inputs as unknown as StatefulSetInputs;
        container = sts.spec.template.spec.containers.find((c) => c.name === "zookeeper") ?? sts.spec.template.spec.containers[0];
        headless = plan.resources.find((r) => r.type === "kubernetes:core/v1:Service"
            && (r.inputs.metadata as { name?: string } | undefined)?.name === sts.spec.serviceName)
            ?? fail(`no Service named ${sts.spec.serviceName} (the StatefulSet's serviceName) in the plan`);
        const files = await valueOf(result.configuration);
        druidCommon = parseProperties(files?._common?.["common.runtime.properties"] ?? fail("no _common/common.runtime.properties in the configuration output"));

        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zk-e2e-"));
        assert.ok(!/\s/.test(tmp), "the temp dir path has no whitespace (it is pasted into a bash script)");
        process.once("exit", killAll);

        // StatefulSet pod identity (K8S StatefulSets, "Stable Network ID"): pod <sts>-<i>, DNS name
        // <pod>.<serviceName>.<namespace>.svc.<cluster domain>; cluster.local is the default domain.
        const { name, namespace } = sts.metadata;
        hostsFile = path.join(tmp, "hosts");
        const podIds = Array.from({ length: sts.spec.replicas }, (_, i) => ({
            index: i, name: `${name}-${i}`, fqdn: `${name}-${i}.${sts.spec.serviceName}.${namespace}.svc.cluster.local`, ip: `127.0.0.${11 + i}`,
        }));
        // Only these names resolve for the JVMs started here (jdk.net.hosts.file replaces DNS entirely).
        fs.writeFileSync(hostsFile, podIds.map((p) => `${p.ip} ${p.fqdn}\n`).join(""));

        for (const id of podIds) {
            const dir = path.join(tmp, id.name);
            // The pod's volumes start empty (PVC / emptyDir); a subPath mount is a single file and is not needed here.
            for (const m of container.volumeMounts ?? []) if (m.subPath === undefined) fs.mkdirSync(path.join(dir, m.mountPath), { recursive: true });
            const env = containerEnv(container, { name: id.name, namespace });

            // 1. The pod's own command under real bash; the image's entrypoint path is swapped for a recorder.
            const stub = path.join(dir, "entrypoint-recorder.sh");
            fs.writeFileSync(stub, `#!/bin/bash\nenv -0 > '${dir}/entrypoint.env'\nprintf '%s\\0' "$@" > '${dir}/entrypoint.args'\n`, { mode: 0o755 });
            const argv = containerArgv(container, { name: id.name, namespace });
            const entry0 = IMAGE.entrypoint[0];
            if (!argv.some((a) => a.includes(entry0))) fail(`the container command ${JSON.stringify(argv)} no longer runs the image's ${entry0}; the harness must learn the new start-up`);
            const runArgv = argv.map((a) => a.split(entry0).join(stub));
            const r = run(runArgv[0], runArgv.slice(1), { env: { ...env, PATH: process.env.PATH }, timeoutMs: 10_000 });
            assert.equal(r.status, 0, `the pod command under bash failed: ${r.stderr}`);
            const captured: Record<string, string> = {};
            for (const kv of fs.readFileSync(path.join(dir, "entrypoint.env"), "utf8").split("\0").filter(Boolean)) {
                const eq = kv.indexOf("=");
                captured[kv.slice(0, eq)] = kv.slice(eq + 1);
            }
            const args = fs.readFileSync(path.join(dir, "entrypoint.args"), "utf8").split("\0").slice(0, -1);

            // 2. docker-entrypoint.sh: zoo.cfg and myid, as the pod would have them.
            const uid = containerUid(container, sts.spec.template.spec.securityContext);
            const entry = dockerEntrypoint(captured, args, uid, {
                zooCfg: fs.existsSync(path.join(dir, `${captured.ZOO_CONF_DIR}/zoo.cfg`)),
                myid: fs.existsSync(path.join(dir, `${captured.ZOO_DATA_DIR}/myid`)),
            });
            const renderedCfg = entry.zooCfg ?? fail("zoo.cfg already existed");
            const myidText = entry.myid ?? fail("myid already existed");
            for (const f of [entry.zooCfgPath, entry.myidPath]) {
                // Only the pod's volumes exist here: the root filesystem is read-only in the pod.
                if (!fs.existsSync(path.dirname(path.join(dir, f)))) fail(`docker-entrypoint.sh writes ${f}, but the pod has no volume at ${path.dirname(f)}`);
            }
            fs.writeFileSync(path.join(dir, entry.zooCfgPath), renderedCfg);
            fs.writeFileSync(path.join(dir, entry.myidPath), myidText);

            // 3. zkServer.sh start-foreground: the JVM's command line.
            const zk = zkServerStartForeground(captured, entry.exec);
            const cfg = parseZooCfg(renderedCfg);
            const myid = Number(myidText.trim());
            const ownLine = cfg.get(`server.${myid}`) ?? fail(`myid ${myid} has no server.${myid} line in zoo.cfg:\n${renderedCfg}`);
            const server = parseServerLine(`server.${myid}`, ownLine);

            // 4. The cfg the server runs with here: the stand-ins described at the top, nothing else.
            const hostCfg = renderedCfg.split("\n").flatMap((line): string[] => {
                const kv = /^([^=]+)=(.*)$/.exec(line);
                if (!kv) return [line];
                const [, key, value] = kv;
                if (key === "dataDir" || key === "dataLogDir") return [`${key}=${path.join(dir, value)}`]; // the pod's filesystem
                if (key.startsWith("metricsProvider.")) return []; // Debian's jars lack the Prometheus provider
                if (/^server\.\d+$/.test(key)) {
                    const s = parseServerLine(key, value);
                    // `;2181` (0.0.0.0 in the pod) -> `;<own name>:2181` (the pod's own IP).
                    if (s.clientHost === "0.0.0.0" && !value.includes(";0.0.0.0:")) return [`${key}=${value.replace(/;(\d+)$/, `;${s.host}:$1`)}`];
                    return [line];
                }
                if (key === "admin.enableServer" && value === "true") return [line, `admin.serverAddress=${id.ip}`]; // 0.0.0.0:8080 -> the pod's own IP
                return [line];
            }).join("\n");
            const hostCfgPath = path.join(dir, "zoo.host.cfg");
            fs.writeFileSync(hostCfgPath, hostCfg);
            const javaArgs = [
                `-Djdk.net.hosts.file=${hostsFile}`,
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                ...zk.javaArgs(CLASSPATH).map((a) => a.startsWith("-Dzookeeper.log.dir=") ? `-Dzookeeper.log.dir=${path.join(dir, zk.logDir)}` : a),
            ];
            javaArgs[javaArgs.length - 1] = hostCfgPath; // was the pod's $ZOOCFG
            pods.push({ ...id, dir, env, entry, zk, renderedCfg, server, javaArgs, log: path.join(dir, "server.log") });
        }
        if (process.env.ZK_E2E_VERBOSE) {
            console.log(`--- ${pods[0].name}: ${pods[0].entry.zooCfgPath}\n${pods[0].renderedCfg}--- myid ${pods[0].entry.myid}--- java ${pods[0].javaArgs.join(" ")}`);
        }
    });

    beforeEach(() => { touched = false; });

    afterEach(function () {
        if (this.currentTest?.state === "failed" && touched) {
            for (const p of pods.filter((q) => q.proc)) console.log(`--- ${p.name} log tail (${p.log})\n${tail(p.log)}`);
        }
    });

    after(async function () {
        this.timeout(15_000);
        killAll();
        try {
            await Promise.all(pods.map((p) => until(`${p.name} to exit`, 10_000, () => Promise.resolve(running(p) ? undefined : true))));
        } finally {
            process.removeListener("exit", killAll);
            if (tmp && !process.env.ZK_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    function start(p: Pod): void {
        touched = true;
        if (exited(p)) fail(`${p.name}'s server exited earlier (exit ${p.proc?.exitCode ?? p.proc?.signalCode}); its log ends:\n${tail(p.log)}`);
        if (p.proc) return;
        const out = fs.openSync(p.log, "a");
        p.proc = spawn("java", p.javaArgs, { stdio: ["ignore", out, out], cwd: p.dir });
        fs.closeSync(out);
    }

    const srvr = (p: Pod) => fourLetter(p.ip, p.server.clientPort ?? 2181, "srvr");

    /** All pods started and each reporting leader or follower. */
    async function quorum(): Promise<Map<Pod, string>> {
        pods.forEach(start);
        const last = new Map<Pod, string>();
        return until("three servers report Mode: leader/follower", WAIT_MS, async () => {
            const modes = new Map<Pod, string>();
            for (const p of pods) {
                if (exited(p)) fail(`${p.name} exited; its log ends:\n${tail(p.log)}`);
                const answer = await srvr(p);
                last.set(p, answer.split("\n")[0]);
                const mode = modeOf(answer);
                if (mode === undefined) return undefined;
                modes.set(p, mode);
            }
            return modes;
        }, () => pods.map((p) => `${p.name}: ${last.get(p) ?? ""}`).join("; "));
    }

    /**
     * One of the pod's own probes. exec: the command with real bash, where 127.0.0.1/localhost (the
     * pod's own loopback) become the pod's stand-in IP; tcpSocket: a connection to <pod IP>:<port>,
     * as the kubelet makes it. Exit status 0 means success.
     */
    async function runProbe(p: Pod, kind: "readinessProbe" | "livenessProbe"): Promise<{ status: number | null; argv: string[]; out: string }> {
        touched = true;
        const probe = container[kind] ?? fail(`the ZooKeeper container has no ${kind}`);
        // Kubernetes' default probe timeout is 1 s; the rendered one is used when given.
        const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
        if (probe.tcpSocket) {
            const named = container.ports?.find((cp) => cp.name === probe.tcpSocket!.port)?.containerPort;
            const port = typeof probe.tcpSocket.port === "number" ? probe.tcpSocket.port : named ?? fail(`${kind} port ${probe.tcpSocket.port} is not a container port`);
            const ok = await new Promise<boolean>((resolve) => {
                const sock = net.connect({ host: p.ip, port });
                sock.setTimeout(timeoutMs, () => { sock.destroy(); resolve(false); });
                sock.on("connect", () => { sock.destroy(); resolve(true); });
                sock.on("error", () => resolve(false));
            });
            return { status: ok ? 0 : 1, argv: [`tcp ${p.ip}:${port}`], out: "" };
        }
        const command = probe.exec?.command ?? fail(`${kind} is neither exec nor tcpSocket (${JSON.stringify(probe)}); not modelled`);
        // A probe runs inside the pod, where 127.0.0.1 is the pod's own loopback; here that is p.ip.
        const argv = command.map((a) => a.replace(/(?<![\d.])127\.0\.0\.1(?![\d])/g, p.ip).replace(/\blocalhost\b/g, p.ip));
        if (argv.some((a) => /\bnc\b/.test(a)) && run("bash", ["-c", "command -v nc"], { timeoutMs: 5_000 }).status !== 0) {
            fail("the probe uses nc, which this machine lacks: .ci/run must apt-get install netcat-openbsd (the image has nc: its Dockerfile installs netcat)");
        }
        const r = run(argv[0], argv.slice(1), { env: { ...p.env, PATH: process.env.PATH }, timeoutMs });
        return { status: r.status, argv, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
    }
    const readinessProbe = (p: Pod) => runProbe(p, "readinessProbe");

    it("renders pods that can find each other: ZOO_SERVERS, myid and Druid's connect string name the StatefulSet's pods", function () {
        const ids = pods.map((p) => p.server.id);
        assert.deepEqual(ids, pods.map((p) => p.index + 1), "myid (from the pod command under bash) is ordinal+1 and has its own server line");
        for (const p of pods) {
            assert.equal(p.server.host, p.fqdn, `server.${p.server.id} is ${p.name}'s DNS name`);
            const servers = [...parseZooCfg(p.renderedCfg)].filter(([k]) => k.startsWith("server.")).map(([k, v]) => parseServerLine(k, v));
            assert.deepEqual(servers.map((s) => s.host), pods.map((q) => q.fqdn), `${p.name}'s zoo.cfg lists every pod, in order`);
        }
        // The hosts file gives every pod a name from the start: true in the cluster only when the
        // headless Service publishes not-ready pods. It must: a probe that waits for a quorum keeps
        // pods unready until they have found each other through these very names.
        const hs = headless.inputs.spec as { clusterIP?: string; publishNotReadyAddresses?: boolean };
        assert.equal(hs.clusterIP, "None", "the StatefulSet's serviceName is a headless Service");
        assert.equal(hs.publishNotReadyAddresses, true, "the headless Service publishes not-ready pods' DNS records");
        const connect = druidCommon["druid.zk.service.host"];
        assert.ok(connect, "druid.zk.service.host is rendered");
        for (const hp of connect.split(",")) {
            const [host, port] = hp.split(":");
            const p = pods.find((q) => q.fqdn === host) ?? fail(`druid.zk.service.host names ${host}, not a ZooKeeper pod`);
            assert.equal(Number(port), p.server.clientPort, `${host}'s client port`);
        }
    });

    it("the rendered metrics provider is a class ZooKeeper 3.8.6 has, on the port Prometheus is told to scrape", function () {
        const cfg = parseZooCfg(pods[0].renderedCfg);
        const cls = cfg.get("metricsProvider.className");
        const annotations = sts.spec.template.metadata?.annotations ?? {};
        if (cls === undefined) {
            assert.notEqual(annotations["prometheus.io/scrape"], "true", "pods are announced for scraping but no metrics provider is configured");
            return;
        }
        // apache/zookeeper release-3.8.6: ZOOKEEPER.prometheusProviderPath, line 69 declares the class;
        // nothing called PrometheusMetricsProviderFactory exists in that tree.
        assert.equal(cls, ZOOKEEPER.prometheusProviderClass,
            `metricsProvider.className=${cls}: ZooKeeper would not start (metrics provider class was not found, QuorumPeerConfig.java:478-482); the class is ${ZOOKEEPER.prometheusProviderClass} (${ZOOKEEPER.prometheusProviderPath})`);
        const port = Number(cfg.get("metricsProvider.httpPort") ?? ZOOKEEPER.prometheusDefaults.httpPort);
        if (annotations["prometheus.io/port"] !== undefined) assert.equal(Number(annotations["prometheus.io/port"]), port, "prometheus.io/port is the provider's httpPort");
        assert.ok((container.ports ?? []).some((p) => p.containerPort === port), `the metrics port ${port} is a container port`);
    });

    it("the heap zkEnv.sh gives fits the container's memory limit (at most the 75% the component asks for)", function () {
        const limit = container.resources?.limits?.memory ?? fail("the ZooKeeper container has no memory limit");
        const bytes = quantityBytes(limit);
        // The real JVM, told the container's memory (-XX:MaxRAM stands for the cgroup limit), with the
        // exact JVM flags zkServer.sh passes ($JVMFLAGS after zkEnv.sh added -Xmx${ZK_SERVER_HEAP:-1000}m).
        const flags = pods[0].zk.jvmFlags;
        const r = run("java", [`-XX:MaxRAM=${bytes}`, ...flags, "-XX:+PrintFlagsFinal", "-version"], { timeoutMs: 20_000 });
        const max = Number(/\bMaxHeapSize\s*=\s*(\d+)/.exec(r.stdout)?.[1] ?? fail(`no MaxHeapSize in java -XX:+PrintFlagsFinal output: ${r.stderr}`));
        assert.ok(max <= 0.75 * bytes,
            `JVM flags ${flags.join(" ")} give a max heap of ${Math.round(max / 2 ** 20)} MiB in a ${limit} container `
            + `(${Math.round((100 * max) / bytes)}%): zkEnv.sh always prepends -Xmx\${ZK_SERVER_HEAP:-1000}m (apache/zookeeper bin/zkEnv.sh:137-139), `
            + "which overrides -XX:MaxRAMPercentage; set ZK_SERVER_HEAP");
    });

    it("a server that is up but not in a quorum: ruok says imok, srvr says it is not serving, the readiness probe fails, the liveness probe passes", async function () {
        const alone = pods[0];
        start(alone);
        const port = alone.server.clientPort ?? 2181;
        await until(`${alone.name} to answer ruok`, WAIT_MS, async () => {
            if (exited(alone)) fail(`${alone.name} exited; its log ends:\n${tail(alone.log)}`);
            return (await fourLetter(alone.ip, port, "ruok")) === ZOOKEEPER.ruokAnswer ? true : undefined;
        },
            () => tail(alone.log, 5));
        assert.equal(modeOf(await srvr(alone)), undefined);
        assert.match(await srvr(alone), new RegExp(ZOOKEEPER.notServing));
        const probe = await readinessProbe(alone);
        assert.notEqual(probe.status, 0,
            `the readiness probe ${JSON.stringify(probe.argv)} passes on a server that is not serving (ruok answers imok whatever the quorum state, `
            + "RuokCommand.java:31-33): ZooKeeper pods would be Ready, and behind the client Service, before there is a quorum");
        // So the pods must be created together: with the default OrderedReady, pod 1 is only created
        // once pod 0 is Ready, which this probe rules out for a server alone (a deadlock).
        assert.equal(sts.spec.podManagementPolicy, "Parallel",
            "the readiness probe needs a quorum, so the StatefulSet must start its pods in parallel (OrderedReady would wait forever for pod 0)");
        // ...while its liveness probe passes: a server waiting for its peers must not be restarted.
        const live = await runProbe(alone, "livenessProbe");
        assert.equal(live.status, 0, `the liveness probe ${JSON.stringify(live.argv)} fails on a server waiting for its peers: it would be restarted in a loop (${live.out})`);
    });

    it("three servers form a quorum: one leader, two followers", async function () {
        const modes = await quorum();
        assert.deepEqual([...modes.values()].sort(), ["follower", "follower", "leader"]);
    });

    it("each pod's own readiness probe passes once the quorum is formed", async function () {
        await quorum();
        for (const p of pods) {
            const probe = await readinessProbe(p);
            assert.equal(probe.status, 0, `${p.name}: probe ${JSON.stringify(probe.argv)} exited ${probe.status}: ${probe.out}`);
        }
    });

    it("Druid's druid.zk.service.host, verbatim, reaches the ensemble: a znode under druid.zk.paths.base is written and read back from every server", async function () {
        await quorum();
        const connect = druidCommon["druid.zk.service.host"];
        const base = druidCommon["druid.zk.paths.base"] ?? "/druid";
        const data = `druid-e2e-${process.pid}-${Date.now()}`;
        const each = pods.map((p) => `${p.fqdn}:${p.server.clientPort ?? 2181}`);
        const r = run("java", [`-Djdk.net.hosts.file=${hostsFile}`, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", CLASSPATH,
            path.join(ROOT, "tests", "java", "ZkDruidRoundTrip.java"), connect, base, "e2e", data, ...each], { timeoutMs: WAIT_MS });
        assert.equal(r.status, 0, `ZkDruidRoundTrip failed (${r.signal ?? r.status}): ${r.stderr}`);
        const reads = r.stdout.split("\n").filter((l) => l.startsWith("READ "));
        assert.deepEqual(reads, [`READ connect-string ${data}`, ...each.map((e) => `READ ${e} ${data}`)]);
    });

    it("losing a follower keeps the quorum: the other two still serve and pass the probe, the lost one fails it", async function () {
        const modes = await quorum();
        const victim = [...modes].find(([, m]) => m === "follower")![0];
        process.kill(victim.proc!.pid!, "SIGKILL");
        await until(`${victim.name} to exit`, 10_000, () => Promise.resolve(exited(victim) ? true : undefined));
        const rest = pods.filter((p) => p !== victim);
        const restModes = await until("the remaining two to serve", WAIT_MS, async () => {
            const m = await Promise.all(rest.map(async (p) => modeOf(await srvr(p))));
            return m.every((x) => x !== undefined) ? m : undefined;
        });
        assert.deepEqual([...restModes].sort(), ["follower", "leader"]);
        for (const p of rest) assert.equal((await readinessProbe(p)).status, 0, `${p.name}'s probe`);
        assert.notEqual((await readinessProbe(victim)).status, 0, "the stopped server's probe fails");
    });
});
