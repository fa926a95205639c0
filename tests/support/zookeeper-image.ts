/*
 * A model, in TypeScript, of what the official `zookeeper` Docker image (Docker Hub "zookeeper",
 * built from GitHub 31z4/zookeeper-docker) does with a container's environment before the JVM
 * starts: the Dockerfile's ENV defaults, docker-entrypoint.sh (zoo.cfg and myid), and the
 * start-foreground path of ZooKeeper's own bin/zkServer.sh + bin/zkEnv.sh (heap, JVM flags, the
 * java command line). Only pure functions here: tests/real/zookeeper.test.ts does the I/O.
 *
 * Sources (read, not copied; every rule below cites file:line of these exact versions):
 *   IMG = 31z4/zookeeper-docker @ 52a83649bc332b3324e0f0ecd96a1c88b2793022 ("Upgrade Zookeeper to
 *         3.8.6"): 3.8.6/Dockerfile, 3.8.6/docker-entrypoint.sh. The 3.9.4/ entrypoint at the same
 *         commit is byte-identical, and so is its Dockerfile's ENV block.
 *   ZK  = apache/zookeeper @ tag release-3.8.6 (commit 6df26081269769c160c8c3a24929c60c91cd19c3):
 *         bin/zkEnv.sh, bin/zkServer.sh, zookeeper-server/src/main/java/... .
 *   K8S = kubernetes.io docs: "Define a Command and Arguments for a Container"
 *         (/docs/tasks/inject-data-application/define-command-argument-container/), the Container
 *         and EnvVar API field docs ($(VAR) expansion), and "StatefulSets" (Stable Network ID).
 */

/** Where the facts below come from. */
export const SOURCES = {
    image: { repo: "31z4/zookeeper-docker", commit: "52a83649bc332b3324e0f0ecd96a1c88b2793022", dir: "3.8.6" },
    zookeeper: { repo: "apache/zookeeper", tag: "release-3.8.6", commit: "6df26081269769c160c8c3a24929c60c91cd19c3" },
} as const;

/** The image `zookeeper:3.8.6` as built from IMG 3.8.6/Dockerfile. */
export const IMAGE = {
    tag: "3.8.6",
    /** IMG 3.8.6/Dockerfile:1 `FROM eclipse-temurin:17-jre-jammy` (Ubuntu 22.04, JRE 17). */
    base: "eclipse-temurin:17-jre-jammy",
    /**
     * IMG 3.8.6/Dockerfile:3-14 (the ENV block) and :79-80 (`ZOOCFGDIR=$ZOO_CONF_DIR`, which
     * zkEnv.sh reads). PATH (:79, appends /apache-zookeeper-3.8.6-bin/bin) and the base image's
     * JAVA_HOME are left out: the test runs its own java and bash.
     */
    env: {
        ZOO_CONF_DIR: "/conf",
        ZOO_DATA_DIR: "/data",
        ZOO_DATA_LOG_DIR: "/datalog",
        ZOO_LOG_DIR: "/logs",
        ZOO_TICK_TIME: "2000",
        ZOO_INIT_LIMIT: "5",
        ZOO_SYNC_LIMIT: "2",
        ZOO_AUTOPURGE_PURGEINTERVAL: "0",
        ZOO_AUTOPURGE_SNAPRETAINCOUNT: "3",
        ZOO_MAX_CLIENT_CNXNS: "60",
        ZOO_STANDALONE_ENABLED: "true",
        ZOO_ADMINSERVER_ENABLED: "true",
        ZOOCFGDIR: "/conf",
    } as Record<string, string>,
    /** IMG 3.8.6/Dockerfile:82-83 (COPY docker-entrypoint.sh /; ENTRYPOINT). */
    entrypoint: ["/docker-entrypoint.sh"],
    /** IMG 3.8.6/Dockerfile:84. */
    cmd: ["zkServer.sh", "start-foreground"],
    /** IMG 3.8.6/Dockerfile has no USER instruction: the container starts as root unless the pod says otherwise. */
    defaultUid: 0,
    /** IMG 3.8.6/Dockerfile:18-19: `groupadd -r zookeeper --gid=1000; useradd -r -g zookeeper --uid=1000 zookeeper`. */
    zookeeperUid: 1000,
    /** IMG 3.8.6/Dockerfile:39-40,74,79: the release tarball is unpacked at /apache-zookeeper-3.8.6-bin, its bin/ is on PATH. */
    zookeeperHome: "/apache-zookeeper-3.8.6-bin",
    /**
     * bash is in the image: docker-entrypoint.sh starts with `#!/bin/bash` (IMG 3.8.6/docker-entrypoint.sh:1),
     * uses [[ ]] (:6,:12), and zkServer.sh/zkEnv.sh are `#!/usr/bin/env bash` (ZK bin/zkServer.sh:1,
     * bin/zkEnv.sh:1); the base is Ubuntu, where bash is Essential. So `bash -c` and bash's /dev/tcp work.
     */
    hasBash: true,
    /**
     * nc is in the image: IMG 3.8.6/Dockerfile:27-33 apt-get installs `netcat` (on Ubuntu jammy the
     * `netcat` package is the transitional package for netcat-openbsd). Not guaranteed for future tags.
     */
    hasNc: true,
    /** IMG 3.8.6/Dockerfile:70 moves the tarball's conf/ into $ZOO_CONF_DIR: configuration.xsl, logback.xml, zoo_sample.cfg (ZK conf/ at release-3.8.6). No zoo.cfg. */
    confDirContents: ["configuration.xsl", "logback.xml", "zoo_sample.cfg"],
} as const;

/** Facts from ZooKeeper's own source at ZK release-3.8.6. */
export const ZOOKEEPER = {
    /**
     * The Prometheus metrics provider: class `PrometheusMetricsProvider` in package
     * org.apache.zookeeper.metrics.prometheus, file
     * zookeeper-metrics-providers/zookeeper-prometheus-metrics/src/main/java/org/apache/zookeeper/metrics/prometheus/PrometheusMetricsProvider.java
     * (:19 package, :69 `public class PrometheusMetricsProvider implements MetricsProvider`); its
     * jar is a dependency of the binary assembly (zookeeper-assembly/pom.xml:75). No file or
     * identifier named PrometheusMetricsProviderFactory exists anywhere in the tree at that tag
     * (`git grep PrometheusMetricsProviderFactory release-3.8.6` finds nothing).
     */
    prometheusProviderClass: "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider",
    prometheusProviderPath: "zookeeper-metrics-providers/zookeeper-prometheus-metrics/src/main/java/org/apache/zookeeper/metrics/prometheus/PrometheusMetricsProvider.java",
    /** PrometheusMetricsProvider.java:117-118: httpHost defaults to 0.0.0.0, httpPort to 7000. */
    prometheusDefaults: { httpHost: "0.0.0.0", httpPort: 7000 },
    /** AbstractFourLetterCommand.java:38, answered by StatCommand.java:43-44 (srvr/stat) while the peer is not serving. */
    notServing: "This ZooKeeper instance is not currently serving requests",
    /** RuokCommand.java:31-33: `ruok` prints imok whenever the process answers, quorum or not. */
    ruokAnswer: "imok",
    /** ServerStats.java:134: srvr prints `Mode: <state>` (leader, follower, observer, standalone, read-only). */
    modeLinePrefix: "Mode: ",
} as const;

// ---------------------------------------------------------------------------------------------
// Kubernetes: what process the container runs, with which environment.

export interface EnvVarLike { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath?: string } } }
export interface ContainerLike {
    command?: string[];
    args?: string[];
    env?: EnvVarLike[];
    securityContext?: { runAsUser?: number };
}

/**
 * K8S $(VAR) expansion, as the API field docs state it for command, args and env values:
 * "$(VAR_NAME) are expanded using the previously defined environment variables in the container";
 * an unresolvable reference is left unchanged; "$$" becomes "$" (escape).
 */
export function expandK8sRefs(s: string, vars: Record<string, string>): string {
    return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m: string, name: string | undefined) => {
        if (m === "$$") return "$";
        return name !== undefined && Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : m;
    });
}

/**
 * The container's own env list, in order, with K8S $(VAR) expansion against the entries before
 * it. Only `value` and the fieldRefs metadata.name / metadata.namespace are modelled; any other
 * valueFrom throws.
 */
export function listedEnv(c: ContainerLike, pod: { name: string; namespace: string }): Record<string, string> {
    const own: Record<string, string> = {};
    for (const e of c.env ?? []) {
        if (e.value !== undefined) own[e.name] = expandK8sRefs(e.value, own);
        else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.name") own[e.name] = pod.name;
        else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.namespace") own[e.name] = pod.namespace;
        else if (e.valueFrom === undefined) own[e.name] = "";
        else throw new Error(`env ${e.name}: valueFrom ${JSON.stringify(e.valueFrom)} is not modelled`);
    }
    return own;
}

/**
 * The environment the container's process starts with: the image's ENV (IMAGE.env), HOSTNAME (the
 * CRI runtime adds HOSTNAME=<pod hostname>, e.g. containerd's CRI `hostnameEnv = "HOSTNAME"`; a
 * StatefulSet pod's hostname is its name, K8S StatefulSets "Stable Network ID"), then the
 * container's env list (a pod's env overrides the image's ENV of the same name). Service-link
 * variables (KUBERNETES_SERVICE_HOST, ...) are left out: nothing here reads them.
 */
export function containerEnv(c: ContainerLike, pod: { name: string; namespace: string }): Record<string, string> {
    return { ...IMAGE.env, HOSTNAME: pod.name, ...listedEnv(c, pod) };
}

/**
 * K8S "Define a Command and Arguments": command replaces the image's ENTRYPOINT, args its CMD; a
 * command without args ignores the image's CMD; args without command run the ENTRYPOINT with
 * them. $(VAR) references in both are expanded from the container's env list.
 */
export function containerArgv(c: ContainerLike, pod: { name: string; namespace: string }): string[] {
    const command = c.command ?? [...IMAGE.entrypoint];
    const args = c.args ?? (c.command === undefined ? [...IMAGE.cmd] : []);
    const own = listedEnv(c, pod);
    return [...command, ...args].map((a) => expandK8sRefs(a, own));
}

/** The uid the container process starts as: container securityContext, else the pod's, else the image's. */
export function containerUid(c: ContainerLike, podSecurityContext?: { runAsUser?: number }): number {
    return c.securityContext?.runAsUser ?? podSecurityContext?.runAsUser ?? IMAGE.defaultUid;
}

// ---------------------------------------------------------------------------------------------
// docker-entrypoint.sh

/** bash word splitting of an unquoted $VAR with the default IFS (space, tab, newline). */
function splitWords(v: string | undefined): string[] {
    return (v ?? "").split(/[ \t\n]+/).filter((w) => w !== "");
}

export interface EntrypointResult {
    /** IMG docker-entrypoint.sh:6-9: started as root with `zkServer.sh`: chown the volumes and re-exec as `zookeeper` (uid 1000) through gosu. */
    reexecAsZookeeper: boolean;
    /** The zoo.cfg it writes when $ZOO_CONF_DIR/zoo.cfg does not exist yet (undefined when it already does). */
    zooCfg?: string;
    zooCfgPath: string;
    /** Content of $ZOO_DATA_DIR/myid when that file does not exist yet (undefined when it already does). */
    myid?: string;
    myidPath: string;
    /** IMG docker-entrypoint.sh:50 `exec "$@"`. */
    exec: string[];
}

/**
 * IMG 3.8.6/docker-entrypoint.sh, given the environment it runs with and its arguments.
 * `existing` says which of zoo.cfg and myid are already there (both are only written when absent).
 */
export function dockerEntrypoint(env: Record<string, string>, args: string[], uid: number,
    existing: { zooCfg?: boolean; myid?: boolean } = {}): EntrypointResult {
    const v = (k: string) => env[k] ?? "";
    // :6-9 root + zkServer.sh -> `chown -R zookeeper $ZOO_DATA_DIR $ZOO_DATA_LOG_DIR $ZOO_LOG_DIR; exec gosu zookeeper "$0" "$@"`;
    // the second pass (as uid 1000) then does the rest with the same environment.
    const reexecAsZookeeper = args[0] === "zkServer.sh" && uid === 0;
    const zooCfgPath = `${v("ZOO_CONF_DIR")}/zoo.cfg`;
    let zooCfg: string | undefined;
    // :11-12 "Generate the config only if it doesn't exist".
    if (!existing.zooCfg) {
        const lines: string[] = [
            // :13-27, in this order, each `echo "key=$VAR"` (an unset VAR gives an empty value).
            `dataDir=${v("ZOO_DATA_DIR")}`,
            `dataLogDir=${v("ZOO_DATA_LOG_DIR")}`,
            `tickTime=${v("ZOO_TICK_TIME")}`,
            `initLimit=${v("ZOO_INIT_LIMIT")}`,
            `syncLimit=${v("ZOO_SYNC_LIMIT")}`,
            `autopurge.snapRetainCount=${v("ZOO_AUTOPURGE_SNAPRETAINCOUNT")}`,
            `autopurge.purgeInterval=${v("ZOO_AUTOPURGE_PURGEINTERVAL")}`,
            `maxClientCnxns=${v("ZOO_MAX_CLIENT_CNXNS")}`,
            `standaloneEnabled=${v("ZOO_STANDALONE_ENABLED")}`,
            `admin.enableServer=${v("ZOO_ADMINSERVER_ENABLED")}`,
        ];
        // :28-30 empty ZOO_SERVERS -> a single local server.
        const servers = v("ZOO_SERVERS") === "" ? "server.1=localhost:2888:3888;2181" : v("ZOO_SERVERS");
        // :32-34 `for server in $ZOO_SERVERS; do echo "$server"` (unquoted: one line per word).
        lines.push(...unglobbed(splitWords(servers), "ZOO_SERVERS"));
        // :36-38 the whitelist is written as one line, quoted (not split).
        if (v("ZOO_4LW_COMMANDS_WHITELIST") !== "") lines.push(`4lw.commands.whitelist=${v("ZOO_4LW_COMMANDS_WHITELIST")}`);
        // :40-42 `for cfg_extra_entry in $ZOO_CFG_EXTRA; do echo "$cfg_extra_entry"` (one line per word).
        lines.push(...unglobbed(splitWords(env.ZOO_CFG_EXTRA), "ZOO_CFG_EXTRA"));
        zooCfg = lines.join("\n") + "\n";
    }
    // :45-48 "Write myid only if it doesn't exist": `echo "${ZOO_MY_ID:-1}" > "$ZOO_DATA_DIR/myid"`.
    const myidPath = `${v("ZOO_DATA_DIR")}/myid`;
    const myid = existing.myid ? undefined : `${v("ZOO_MY_ID") === "" ? "1" : v("ZOO_MY_ID")}\n`;
    return { reexecAsZookeeper, zooCfg, zooCfgPath, myid, myidPath, exec: [...args] };
}

/** The entrypoint's unquoted loops also glob-expand each word; refuse words where that could change the result. */
function unglobbed(words: string[], from: string): string[] {
    for (const w of words) {
        if (/[*?[]/.test(w)) throw new Error(`${from} word ${JSON.stringify(w)} would be glob-expanded by docker-entrypoint.sh; not modelled`);
    }
    return words;
}

// ---------------------------------------------------------------------------------------------
// zkServer.sh start-foreground, with zkEnv.sh sourced.

export interface ZkServerStart {
    /** zkEnv.sh:43-50 + 56-61: $ZOOCFGDIR/zoo.cfg. */
    zooCfgPath: string;
    /** zkEnv.sh:68-71. */
    logDir: string;
    /** zkServer.sh:152 ZOO_LOG_FILE default `zookeeper-$USER-server-$HOSTNAME.log`. */
    logFile: string;
    /** zkEnv.sh:137-139 and zkServer.sh:84-87: the final $JVMFLAGS, word-split (zkServer.sh:205 leaves it unquoted). */
    jvmFlags: string[];
    /** zkServer.sh:45-82: the (word-split) $ZOOMAIN, i.e. JMX properties then the main class. */
    main: string[];
    /** zkServer.sh:198-205: the java argument vector after `exec java`, with `-cp` given `classpath`. */
    javaArgs(classpath: string): string[];
    /** Files zkEnv.sh would source if they existed in $ZOOCFGDIR (zkEnv.sh:52-54, 63-66). */
    sourcedIfPresent: string[];
}

/**
 * ZK bin/zkServer.sh `start-foreground` (with bin/zkEnv.sh sourced at zkServer.sh:30-34), run with
 * `env`. Only what decides the JVM's command line is modelled.
 */
export function zkServerStartForeground(env: Record<string, string>, args: string[]): ZkServerStart {
    if (args[0] !== "zkServer.sh" || args[1] !== "start-foreground") {
        throw new Error(`the container ends in ${JSON.stringify(args)}, not zkServer.sh start-foreground: not modelled`);
    }
    if (args.length > 2) throw new Error("zkServer.sh start-foreground with a config argument (zkServer.sh:89-98) is not modelled");
    const has = (k: string) => (env[k] ?? "") !== "";
    // zkEnv.sh:28-29 ZOOBINDIR is the script's directory (zkServer.sh:26-28), here $ZOOKEEPER_HOME/bin.
    // zkEnv.sh:43-50: $ZOOCFGDIR if set (the image sets /conf, Dockerfile:80), else <prefix>/conf.
    const cfgDir = has("ZOOCFGDIR") ? env.ZOOCFGDIR : `${IMAGE.zookeeperHome}/bin/../conf`;
    // zkEnv.sh:56-61.
    const zooCfgPath = `${cfgDir}/${has("ZOOCFG") ? env.ZOOCFG : "zoo.cfg"}`;
    // zkEnv.sh:68-71.
    const logDir = has("ZOO_LOG_DIR") ? env.ZOO_LOG_DIR : `${IMAGE.zookeeperHome}/bin/../logs`;
    // zkEnv.sh:137-139: `ZK_SERVER_HEAP="${ZK_SERVER_HEAP:-1000}"; export SERVER_JVMFLAGS="-Xmx${ZK_SERVER_HEAP}m $SERVER_JVMFLAGS"`.
    const heap = has("ZK_SERVER_HEAP") ? env.ZK_SERVER_HEAP : "1000";
    const serverJvmFlags = `-Xmx${heap}m ${env.SERVER_JVMFLAGS ?? ""}`;
    // zkServer.sh:84-87: SERVER_JVMFLAGS is never empty here, so JVMFLAGS="$SERVER_JVMFLAGS $JVMFLAGS".
    const jvmFlags = splitWords(`${serverJvmFlags} ${env.JVMFLAGS ?? ""}`);
    // zkServer.sh:40-43 JMXLOCALONLY defaults to false; :45-82 ZOOMAIN.
    const jmxLocalOnly = has("JMXLOCALONLY") ? env.JMXLOCALONLY : "false";
    const mainClass = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
    let main: string[];
    if (!has("JMXDISABLE") || env.JMXDISABLE === "false") {
        if (!has("JMXPORT")) {
            main = ["-Dcom.sun.management.jmxremote", `-Dcom.sun.management.jmxremote.local.only=${jmxLocalOnly}`, mainClass]; // :53
        } else {
            const auth = has("JMXAUTH") ? env.JMXAUTH : "false"; // :55-58
            const ssl = has("JMXSSL") ? env.JMXSSL : "false"; // :59-62
            const log4j = has("JMXLOG4J") ? env.JMXLOG4J : "true"; // :63-66
            main = ["-Dcom.sun.management.jmxremote",
                ...(has("JMXHOSTNAME") ? [`-Djava.rmi.server.hostname=${env.JMXHOSTNAME}`] : []), // :76
                `-Dcom.sun.management.jmxremote.port=${env.JMXPORT}`, `-Dcom.sun.management.jmxremote.authenticate=${auth}`,
                `-Dcom.sun.management.jmxremote.ssl=${ssl}`, `-Dzookeeper.jmx.log4j.disable=${log4j}`, mainClass]; // :73
        }
    } else {
        main = [mainClass]; // :79-81
    }
    // zkServer.sh:125-136: ZOO_DATADIR_AUTOCREATE_DISABLE -> -Dzookeeper.datadir.autocreate=false.
    const autocreate = has("ZOO_DATADIR_AUTOCREATE_DISABLE") ? ["-Dzookeeper.datadir.autocreate=false"] : [];
    // zkServer.sh:152 ($USER is unset in the container unless the pod sets it).
    const logFile = has("ZOO_LOG_FILE") ? env.ZOO_LOG_FILE : `zookeeper-${env.USER ?? ""}-server-${env.HOSTNAME ?? ""}.log`;
    return {
        zooCfgPath, logDir, logFile, jvmFlags, main,
        sourcedIfPresent: [`${cfgDir}/zookeeper-env.sh`, `${cfgDir}/java.env`],
        // zkServer.sh:198-205: exec "$JAVA" $ZOO_DATADIR_AUTOCREATE "-Dzookeeper.log.dir=..." "-Dzookeeper.log.file=..."
        //   -XX:+HeapDumpOnOutOfMemoryError -XX:OnOutOfMemoryError='kill -9 %p' -cp "$CLASSPATH" $JVMFLAGS $ZOOMAIN "$ZOOCFG"
        javaArgs: (classpath: string) => [...autocreate, `-Dzookeeper.log.dir=${logDir}`, `-Dzookeeper.log.file=${logFile}`,
            "-XX:+HeapDumpOnOutOfMemoryError", "-XX:OnOutOfMemoryError=kill -9 %p", "-cp", classpath, ...jvmFlags, ...main, zooCfgPath],
    };
}

// ---------------------------------------------------------------------------------------------
// Reading a zoo.cfg the way QuorumPeerConfig does (java.util.Properties; last duplicate wins).

/** zoo.cfg as ZooKeeper reads it: key=value lines (QuorumPeerConfig.parse loads a java.util.Properties; a later duplicate key wins; keys and values are trimmed, QuorumPeerConfig.java:280-282). */
export function parseZooCfg(text: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
        if (line.includes("\\")) throw new Error(`zoo.cfg line ${JSON.stringify(line)} has a backslash: Properties escapes are not modelled`);
        const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
        if (m) out.set(m[1], m[2].trim());
    }
    return out;
}

export interface ServerLine { id: number; host: string; quorumPort: number; electionPort: number; clientHost?: string; clientPort?: number }

/**
 * A `server.N=host:quorumPort:electionPort[:type][;[clientHost:]clientPort]` entry
 * (QuorumPeer.java:301-324, QuorumServer.initializeWithAddressString): without a client host the
 * client address is 0.0.0.0 (QuorumPeer.java:318).
 */
export function parseServerLine(key: string, value: string): ServerLine {
    const id = Number(/^server\.(\d+)$/.exec(key)?.[1]);
    const [serverPart, clientPart] = value.split(";");
    const [host, quorumPort, electionPort] = serverPart.split("|")[0].split(":");
    let clientHost: string | undefined;
    let clientPort: number | undefined;
    if (clientPart !== undefined) {
        const c = clientPart.split(":");
        clientPort = Number(c[c.length - 1]);
        clientHost = c.length === 2 ? c[0] : "0.0.0.0";
    }
    return { id, host, quorumPort: Number(quorumPort), electionPort: Number(electionPort), clientHost, clientPort };
}

/** Kubernetes quantity ("1Gi", "512Mi", "1G", "1000M", plain bytes) in bytes. */
export function quantityBytes(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
    if (!m) throw new Error(`memory quantity ${q} not understood`);
    const mult: Record<string, number> = { "": 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
    return Number(m[1]) * mult[m[2] ?? ""];
}
