/*
 * What the two images do to the filesystem when a pod starts, each fact with where it comes from.
 *
 * tests/support/pod-filesystem.ts replays these writes on a real filesystem laid out as the
 * kubelet and the container runtime lay out the pod, as the container's user. Nothing here is
 * hard-coded from this project's configuration: the Druid process' directories are read from the
 * rendered runtime.properties / jvm.config / log4j2.xml, the entrypoints' from the pod's env.
 *
 * Sources (line numbers are those of the cited revision):
 *   - apache/druid distribution/docker/druid.sh @ 71802abfc6510b9183960592c2835503500fd1dc (the
 *     entrypoint of `apache/druid:<version>`), distribution/docker/Dockerfile @
 *     349e8d91dbb02af1920cc70f0613f3b2d7f3b6c8 (upstream's: distroless Java + busybox);
 *   - 31z4/zookeeper-docker 3.8.6/Dockerfile and 3.8.6/docker-entrypoint.sh @
 *     52a83649bc332b3324e0f0ecd96a1c88b2793022 (the official `zookeeper:3.8.6` image);
 *   - apache/zookeeper @ release-3.8.6 (6df26081269769c160c8c3a24929c60c91cd19c3): bin/zkServer.sh,
 *     bin/zkEnv.sh, FileTxnSnapLog, QuorumPeer;
 *   - apache/druid server and indexing-service sources (SegmentLoaderConfig, SegmentLocalCacheManager,
 *     TaskConfig), cited by class and member where the stored copy's line numbers are not stable.
 */
import * as path from "node:path";
import { parseProperties, PropertyMap } from "../../components/core/properties";

/** Where a fact comes from. */
export interface Source {
    repo: string;
    path: string;
    /** Commit, tag or branch of the cited text. */
    ref: string;
    /** Line or line range ("55-57"), or the member it is in when no stable line exists. */
    at: string;
}

export function cite(s: Source): string {
    return `${s.repo} ${s.path}:${s.at} @ ${s.ref.length === 40 ? s.ref.slice(0, 12) : s.ref}`;
}

const DRUID_SH_REF = "71802abfc6510b9183960592c2835503500fd1dc";
const DRUID_DOCKERFILE_REF = "349e8d91dbb02af1920cc70f0613f3b2d7f3b6c8";
const ZK_DOCKER_REF = "52a83649bc332b3324e0f0ecd96a1c88b2793022";
const ZK_REF = "release-3.8.6";

const druidSh = (at: string): Source => ({ repo: "apache/druid", path: "distribution/docker/druid.sh", ref: DRUID_SH_REF, at });
const druidDockerfile = (at: string): Source => ({ repo: "apache/druid", path: "distribution/docker/Dockerfile", ref: DRUID_DOCKERFILE_REF, at });
const druidJava = (file: string, at: string): Source => ({ repo: "apache/druid", path: file, ref: "master", at });
const zkDockerfile = (at: string): Source => ({ repo: "31z4/zookeeper-docker", path: "3.8.6/Dockerfile", ref: ZK_DOCKER_REF, at });
const zkEntrypoint = (at: string): Source => ({ repo: "31z4/zookeeper-docker", path: "3.8.6/docker-entrypoint.sh", ref: ZK_DOCKER_REF, at });
const zk = (file: string, at: string): Source => ({ repo: "apache/zookeeper", path: file, ref: ZK_REF, at });
const jdkTmp: Source = { repo: "openjdk/jdk", path: "src/hotspot/os/linux/os_linux.cpp", ref: "master", at: "os::get_temp_directory (hsperfdata_<user> lives in /tmp, not java.io.tmpdir)" };

// ------------------------------------------------------------------------------------------ images

/** A directory or file the image has, with the owner and mode its Dockerfile gives it. */
export interface ImageEntry {
    path: string;
    type: "dir" | "file";
    uid: number;
    gid: number;
    mode: number;
    source?: Source;
}

/** The facts about an image that decide what its user can write. */
export interface ImageFacts {
    image: string;
    user: { name: string; uid: number; gid: number; source: Source };
    workdir: { path: string; source: Source };
    entrypoint: { argv: string[]; source: Source };
    /** Created in order; parents not listed are root:root 0755. */
    entries: ImageEntry[];
    /**
     * The image's VOLUMEs. A pod volume usually covers them; one that is not covered is an anonymous
     * volume whose existence and writability depend on the runtime's configuration (containerd
     * `ignore_image_defined_volumes`, CRI-O `image_volumes`), and whose data a restart loses, so the
     * check treats it as part of the read-only root filesystem.
     */
    volumes: { paths: string[]; source: Source };
}

const dir = (p: string, uid: number, gid: number, mode: number, source?: Source): ImageEntry => ({ path: p, type: "dir", uid, gid, mode, source });
const file = (p: string, uid: number, gid: number, mode: number, source?: Source): ImageEntry => ({ path: p, type: "file", uid, gid, mode, source });

/**
 * The `druid` service configuration directories druid.sh maps service names to (druid.sh:80-91,
 * getClusterConfPath), relative to /opt/druid/conf/druid/cluster. The distribution ships them from
 * apache/druid examples/conf/druid/cluster/ (a runtime.properties and jvm.config each, plus
 * _common/common.runtime.properties and _common/log4j2.xml).
 */
const druidClusterConfDirs: Record<string, string> = {
    _common: "_common",
    historical: "data/historical",
    middleManager: "data/middleManager",
    indexer: "data/indexer",
    coordinator: "master/coordinator-overlord",
    overlord: "master/coordinator-overlord",
    broker: "query/broker",
    router: "query/router",
};

/** `apache/druid:<version>`. */
export function druidImageFacts(): ImageFacts {
    const druid = 1000;
    const conf = "/opt/druid/conf/druid/cluster";
    // `chown -R druid:druid /opt/druid` (Dockerfile:97): everything the distribution unpacks is the
    // druid user's. The tarball's own modes are taken as 0755 directories and 0644 files.
    const owned = druidDockerfile("93-98");
    const entries: ImageEntry[] = [
        dir("/opt", 0, 0, 0o755),
        dir("/opt/druid", druid, druid, 0o755, owned),
        dir("/opt/druid/conf", druid, druid, 0o755, owned),
        dir("/opt/druid/conf/druid", druid, druid, 0o755, owned),
        dir(conf, druid, druid, 0o755, owned),
    ];
    for (const sub of [...new Set(Object.values(druidClusterConfDirs))]) {
        const parts = sub.split("/");
        for (let i = 1; i <= parts.length; i++) {
            const d = `${conf}/${parts.slice(0, i).join("/")}`;
            if (!entries.some((e) => e.path === d)) entries.push(dir(d, druid, druid, 0o755, owned));
        }
        const files = sub === "_common" ? ["common.runtime.properties", "log4j2.xml"] : ["runtime.properties", "jvm.config"];
        for (const f of files) entries.push(file(`${conf}/${sub}/${f}`, druid, druid, 0o644, owned));
    }
    entries.push(
        // `mkdir -p /opt/druid/var /opt/shared`, `chmod 775` (Dockerfile:94, 98).
        dir("/opt/druid/var", druid, druid, 0o775, druidDockerfile("94,97-98")),
        dir("/opt/shared", druid, druid, 0o775, druidDockerfile("94,98")),
        // The distroless base's /tmp (sticky, world-writable); every pod here mounts its own /tmp anyway.
        dir("/tmp", 0, 0, 0o1777),
    );
    return {
        image: "apache/druid",
        user: { name: "druid", uid: druid, gid: druid, source: druidDockerfile("78-79 (addgroup -g 1000 druid, adduser -u 1000 -G druid), 100 (USER druid)") },
        workdir: { path: "/opt/druid", source: druidDockerfile("102 (WORKDIR /opt/druid)") },
        entrypoint: { argv: ["/druid.sh"], source: druidDockerfile("104 (ENTRYPOINT [\"/druid.sh\"])") },
        entries,
        volumes: { paths: ["/opt/druid/var"], source: druidDockerfile("101 (VOLUME /opt/druid/var)") },
    };
}

/** The official `zookeeper:3.8.x` image (the facts are those of its 3.8.6 folder). */
export function zooKeeperImageFacts(image: string): ImageFacts {
    const tag = image.split(":")[1] ?? "";
    if (!/^3\.8\.\d+$/.test(tag)) {
        throw new Error(`zooKeeperImageFacts: the facts are those of the official zookeeper:3.8.x image, not "${image}"`);
    }
    const zkUser = 1000;
    const home = `/apache-zookeeper-${tag}-bin`;
    const made = zkDockerfile("20-21 (mkdir -p \"$ZOO_DATA_LOG_DIR\" \"$ZOO_DATA_DIR\" \"$ZOO_CONF_DIR\" \"$ZOO_LOG_DIR\"; chown zookeeper:zookeeper)");
    return {
        image: "zookeeper",
        user: { name: "zookeeper", uid: zkUser, gid: zkUser, source: zkDockerfile("16-19 (groupadd --gid=1000 zookeeper, useradd --uid=1000)") },
        workdir: { path: home, source: zkDockerfile("74 (WORKDIR $DISTRO_NAME, relative to /)") },
        entrypoint: { argv: ["/docker-entrypoint.sh"], source: zkDockerfile("83 (ENTRYPOINT [\"/docker-entrypoint.sh\"])") },
        entries: [
            // ENV ZOO_CONF_DIR=/conf ZOO_DATA_DIR=/data ZOO_DATA_LOG_DIR=/datalog ZOO_LOG_DIR=/logs (Dockerfile:3-6).
            dir("/conf", zkUser, zkUser, 0o755, made),
            dir("/data", zkUser, zkUser, 0o755, made),
            dir("/datalog", zkUser, zkUser, 0o755, made),
            dir("/logs", zkUser, zkUser, 0o755, made),
            // The distribution's conf/ moved into /conf (Dockerfile:70); no zoo.cfg among them.
            file("/conf/configuration.xsl", 0, 0, 0o644, zkDockerfile("70")),
            file("/conf/logback.xml", 0, 0, 0o644, zkDockerfile("70")),
            file("/conf/zoo_sample.cfg", 0, 0, 0o644, zkDockerfile("70")),
            dir(home, zkUser, zkUser, 0o755, zkDockerfile("72 (chown -R zookeeper:zookeeper \"/$DISTRO_NAME\")")),
            dir("/tmp", 0, 0, 0o1777),
        ],
        volumes: { paths: ["/data", "/datalog", "/logs"], source: zkDockerfile("75 (VOLUME [\"$ZOO_DATA_DIR\", \"$ZOO_DATA_LOG_DIR\", \"$ZOO_LOG_DIR\"])") },
    };
}

// ------------------------------------------------------------------------------------------ writes

/**
 * One filesystem write, as the program performs it:
 *   mkdir       `mkdir -p path`
 *   dirWritable `mkdir -p path` and create a file in it (what a Java process does with a working directory)
 *   copyTree    `cp -r from path`
 *   copyFile    `cp -f from path`
 *   removeTree  `rm -r path`
 *   rewrite     `sed -i` on path (a temporary file in the same directory, renamed over path)
 *   append      `>> path`
 *   overwrite   `> path`
 */
export type WriteOp = "mkdir" | "dirWritable" | "copyTree" | "copyFile" | "removeTree" | "rewrite" | "append" | "overwrite";

/** A shell test the program makes before the write (`[ -f path ]` …), run as the container user. */
export interface WriteCondition {
    test: "-f" | "!-f" | "-d" | "!-d" | "!-w";
    path: string;
}

export interface Write {
    op: WriteOp;
    /** As the program names it: relative paths are relative to `cwd`. */
    path: string;
    from?: string;
    cwd: string;
    when?: WriteCondition;
    /** Who writes: "druid.sh", "Druid", "ZooKeeper", "JVM" … */
    by: string;
    why: string;
    source: Source[];
    /** A failure stops the pod (or its work). A non-fatal one only loses a feature (e.g. jstat). */
    fatal: boolean;
}

export function absolutePath(w: Pick<Write, "path" | "cwd">): string {
    return path.posix.resolve(w.cwd, w.path);
}

/** How the container is started and with what environment (a variable set from a Secret or fieldRef has value undefined). */
export interface ContainerRun {
    /** command (or the image's ENTRYPOINT) followed by args. */
    argv: string[];
    env: Map<string, string | undefined>;
    cwd: string;
}

/** Variables a `sh -c` / `bash -c` command exports before exec'ing the entrypoint (`export NAME=…`). */
export function exportedByCommand(argv: string[]): string[] {
    const script = shellScript(argv);
    if (script === undefined) return [];
    return [...script.matchAll(/(?:^|[\s;&|(])export\s+([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]);
}

function shellScript(argv: string[]): string | undefined {
    const shells = ["sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/bash"];
    return argv.length >= 3 && shells.includes(argv[0]) && argv[1] === "-c" ? argv[2] : undefined;
}

/** The service druid.sh is started for: its first argument, directly or inside an `sh -c` command. */
export function druidServiceArgument(argv: string[]): string {
    const script = shellScript(argv);
    if (script !== undefined) {
        const m = /(?:^|\s)(?:exec\s+)?\/druid\.sh\s+([A-Za-z]+)/.exec(script);
        if (m === null) throw new Error(`the command does not run /druid.sh: ${script}`);
        return m[1];
    }
    if (argv[0] !== "/druid.sh" || argv.length < 2) throw new Error(`the container does not run /druid.sh <service>: ${JSON.stringify(argv)}`);
    return argv[1];
}

/** druid.sh's configuration directory of a service under /tmp/conf (druid.sh:59-91, getConfPath). */
function druidConfPath(service: string, singleNodeConf: string | undefined): string {
    if (singleNodeConf !== undefined && singleNodeConf !== "") {
        // getSingleServerConfPath (druid.sh:66-78).
        const base = `/tmp/conf/druid/single-server/${singleNodeConf}`;
        const sub: Record<string, string> = {
            _common: "_common", historical: "historical", middleManager: "middleManager",
            coordinator: "coordinator-overlord", overlord: "coordinator-overlord", broker: "broker", router: "router",
        };
        return sub[service] !== undefined ? `${base}/${sub[service]}` : `/tmp/conf/druid/single-server/misc/${service}`;
    }
    const sub = druidClusterConfDirs[service];
    return sub !== undefined ? `/tmp/conf/druid/cluster/${sub}` : `/tmp/conf/druid/cluster/misc/${service}`;
}

/**
 * Every write druid.sh makes before it execs Java, in its order. druid.sh runs under `set -e`
 * (druid.sh:48): the first write that fails ends the container with exit code 1.
 */
export function druidShWrites(run: ContainerRun): Write[] {
    const service = druidServiceArgument(run.argv);
    const env = new Map(run.env);
    for (const name of exportedByCommand(run.argv)) if (!env.has(name)) env.set(name, undefined);
    const isSet = (name: string): boolean => env.has(name) && env.get(name) !== "";
    const known = (name: string): string => {
        const v = env.get(name);
        if (v === undefined) throw new Error(`druid.sh reads ${name}, whose value is not in the pod spec (valueFrom): cannot tell what it writes`);
        return v;
    };
    const single = env.get("DRUID_SINGLE_NODE_CONF");
    const common = druidConfPath("_common", single);
    const serviceDir = druidConfPath(service, single);
    const cwd = run.cwd;
    const w = (op: WriteOp, p: string, why: string, at: string, extra: Partial<Write> = {}): Write =>
        ({ op, path: p, cwd, by: "druid.sh", why, source: [druidSh(at)], fatal: true, ...extra });

    const writes: Write[] = [
        w("mkdir", "/tmp/conf/", "configuration copy for a read-only root filesystem", "53-55"),
        w("removeTree", "/tmp/conf/druid", "a previous copy (container restart)", "56", { when: { test: "-d", path: "/tmp/conf/druid" } }),
        w("copyTree", "/tmp/conf/druid", "copy of /opt/druid/conf/druid", "57", { from: "/opt/druid/conf/druid" }),
    ];
    // setKey (druid.sh:97-109): delete the key from common, then from the service file and append it
    // there, or append it to common when the service has no runtime.properties.
    const setKey = (target: string, why: string, at: string): void => {
        const serviceConf = `${druidConfPath(target, single)}/runtime.properties`;
        writes.push(
            w("rewrite", `${common}/common.runtime.properties`, `setKey ${why}: sed -ri "/key=/d" (called at ${at})`, "103"),
            w("rewrite", serviceConf, `setKey ${why}: sed -ri "/key=/d"`, "104", { when: { test: "-f", path: serviceConf } }),
            w("append", serviceConf, `setKey ${why}: echo >> service runtime.properties`, "105", { when: { test: "-f", path: serviceConf } }),
            w("append", `${common}/common.runtime.properties`, `setKey ${why}: echo >> common (no service runtime.properties)`, "106", { when: { test: "!-f", path: serviceConf } }),
        );
    };
    if (isSet("DRUID_CONFIG_COMMON")) {
        writes.push(w("copyFile", `${common}/common.runtime.properties`, "DRUID_CONFIG_COMMON", "122-125", { from: known("DRUID_CONFIG_COMMON") }));
    }
    if (isSet(`DRUID_CONFIG_${service}`)) {
        writes.push(w("copyFile", `${serviceDir}/runtime.properties`, `DRUID_CONFIG_${service}`, "127-133", { from: known(`DRUID_CONFIG_${service}`) }));
    }
    if (isSet("ZOOKEEPER")) setKey("_common", "druid.zk.service.host (ZOOKEEPER)", "136-139");
    // DRUID_SET_HOST defaults to 1: druid.host from `ip r get 1` (druid.sh:141-145).
    if ((env.has("DRUID_SET_HOST") ? env.get("DRUID_SET_HOST") : "1") === "1") setKey(service, "druid.host (DRUID_SET_HOST=1)", "141-145");
    // Every druid_* variable becomes a property (druid.sh:147-153).
    for (const name of [...env.keys()].filter((n) => n.startsWith("druid_")).sort()) setKey(service, `${druidPropertyOfVariable(name)} (${name})`, "147-153");
    if ([...env.keys()].some((n) => n.startsWith("s3service"))) {
        writes.push(w("append", `${common}/jets3t.properties`, "s3service* variables", "155-160"));
    }
    // setJavaKey (druid.sh:111-118): sed -ri on jvm.config, then echo >>.
    for (const name of ["DRUID_XMX", "DRUID_XMS", "DRUID_MAXNEWSIZE", "DRUID_NEWSIZE", "DRUID_MAXDIRECTMEMORYSIZE"].filter(isSet)) {
        writes.push(
            w("rewrite", `${serviceDir}/jvm.config`, `setJavaKey (${name})`, "116, called at 164-168"),
            w("append", `${serviceDir}/jvm.config`, `setJavaKey (${name})`, "117, called at 164-168"),
        );
    }
    if (isSet("DRUID_LOG_LEVEL")) writes.push(w("rewrite", `${common}/log4j2.xml`, "DRUID_LOG_LEVEL", "175-178"));
    if (isSet("DRUID_LOG4J")) writes.push(w("overwrite", `${common}/log4j2.xml`, "DRUID_LOG4J", "180-183"));
    if (isSet("DRUID_SERVICE_LOG_LEVEL")) writes.push(w("rewrite", `${serviceDir}/log4j2.xml`, "DRUID_SERVICE_LOG_LEVEL", "187-190"));
    if (isSet("DRUID_SERVICE_LOG4J")) writes.push(w("overwrite", `${serviceDir}/log4j2.xml`, "DRUID_SERVICE_LOG4J", "192-195"));
    // `${DRUID_DIRS_TO_CREATE-default}`: an empty value creates nothing (druid.sh:197-201), relative to WORKDIR.
    const dirs = env.has("DRUID_DIRS_TO_CREATE")
        ? known("DRUID_DIRS_TO_CREATE")
        : "var/tmp var/druid/segments var/druid/indexing-logs var/druid/task var/druid/hadoop-tmp var/druid/segment-cache";
    for (const d of dirs.split(/\s+/).filter((s) => s !== "")) {
        writes.push(w("mkdir", d, "DRUID_DIRS_TO_CREATE (mkdir -p under set -e)", "197-201"));
    }
    return writes;
}

// ------------------------------------------------------------------------------ per-release facts

/**
 * What each supported release's entrypoints do, as facts with their sources. These are the test's
 * own record, read from Druid's history, independent of the component's matrix
 * (components/plan/druid-versions.ts), which a test compares with them.
 *
 * How far each source reaches, honestly: the release tags' own copies of druid.sh and peon.sh are
 * not among the stored files this project can read (the stored apache/druid history holds other
 * revisions), so each fact names the revision or pull request it was read from and why it holds at
 * the tag: a change merged to master after the commit a release was cut from is not in it.
 *   - peon.sh passes `"${TASK_DIR}" 1` to CliPeon since apache/druid#18206 (commit c494dd15ae,
 *     July 2025), before the 35.0.0 branch; 34 and older pass only `$@`.
 *   - peon.sh reads jvm.config only since apache/druid#19364, merged to master 2026-05-18; 37.0.0 was
 *     cut from druid-37.0.0-rc2 (7e761c14220cb25411593181589ddc71d06115ac, 2026-04-28), 35 and 36
 *     earlier; before it, the JVM gets `${JAVA_OPTS}` alone: `exec bin/run-java ${JAVA_OPTS} -cp …`.
 *     (The previous revision of this file cited peon.sh @ 09d8ba45, which is AFTER #19364: a fact no
 *     supported release has.)
 *   - druid.sh: the revision cited above (71802abf); the druid.sh facts this file uses (paths,
 *     setKey, DRUID_DIRS_TO_CREATE, the jvm.config it reads) are the same for the three rows.
 */
export interface PeonShRelease {
    /** peon.sh prepends jvm.config's flags to JAVA_OPTS. */
    readsJvmConfig: boolean;
    /** peon.sh passes CliPeon's `taskDirPath attemptId` itself, as `"${TASK_DIR}" 1`. */
    passesTaskDirAndAttempt: boolean;
    sources: Source[];
}

export interface ReleaseEntrypoints {
    /** "37.0.0" */
    release: string;
    tag: string;
    druidSh: Source;
    peonSh: PeonShRelease;
    /** The variables PodTemplateTaskAdapter.getEnv adds to a task pod's first container. */
    adapterEnv: { names: string[]; taskDirFrom: string; source: Source };
}

const peonArgumentsPr: Source = { repo: "apache/druid", path: "distribution/docker/peon.sh", ref: "c494dd15ae (pull request #18206)", at: "`Main internal peon` → `Main internal peon \"${TASK_DIR}\" 1`" };
const peonJvmConfigPr: Source = {
    repo: "apache/druid", path: "distribution/docker/peon.sh", ref: "pull request #19364, merged 2026-05-18 (after druid-37.0.0-rc2 7e761c14, 2026-04-28)",
    at: "before: `exec bin/run-java ${JAVA_OPTS} -cp …`, jvm.config never read; after: `JAVA_OPTS=\"$(cat $SERVICE_CONF_DIR/jvm.config | xargs) $JAVA_OPTS\"`",
};
/** The statements of peon.sh that write files, unchanged by #18206 and #19364 (read in the stored pre-#18206 revision and in 09d8ba45). */
const peonWritesRef = "stored revisions before #18206 and after #19364 (the write statements are the same in both)";
const adapterGetEnv: Source = {
    repo: "apache/druid", path: "extensions-core/kubernetes-overlord-extensions/src/main/java/org/apache/druid/k8s/overlord/taskadapter/PodTemplateTaskAdapter.java",
    ref: "023b1c7b39502e67b1139fadc7e1f63240f26d03", at: "getEnv(Task): TASK_DIR = taskConfig.getBaseDir(), TASK_ID, LOAD_BROADCAST_DATASOURCE_MODE, LOAD_BROADCAST_SEGMENTS, TASK_JSON (fieldRef); no JAVA_OPTS",
};
const release = (v: string): ReleaseEntrypoints => ({
    release: v,
    tag: `druid-${v}`,
    druidSh: druidSh("revision 71802abf (see above)"),
    peonSh: { readsJvmConfig: false, passesTaskDirAndAttempt: true, sources: [peonArgumentsPr, peonJvmConfigPr] },
    adapterEnv: { names: ["TASK_DIR", "TASK_ID", "LOAD_BROADCAST_DATASOURCE_MODE", "LOAD_BROADCAST_SEGMENTS", "TASK_JSON"], taskDirFrom: "druid.indexer.task.baseDir", source: adapterGetEnv },
});

/** The supported releases' entrypoint facts, oldest first. */
export const releaseEntrypoints: readonly ReleaseEntrypoints[] = [release("35.0.0"), release("36.0.0"), release("37.0.0")];

const peonSh = (at: string): Source => ({ repo: "apache/druid", path: "distribution/docker/peon.sh", ref: peonWritesRef, at });

/**
 * The JVM command line peon.sh execs, as the release builds it: `bin/run-java`, the JVM flags
 * (jvm.config's first when the release reads it, then JAVA_OPTS split by the shell: `split` does the
 * splitting with the image's shell), the class path, and CliPeon's arguments.
 */
export function peonJvmCommand(r: ReleaseEntrypoints, env: Map<string, string | undefined>, jvmConfigText: string, split: (value: string) => string[]): { flags: string[]; args: string[]; source: Source[] } {
    const javaOpts = env.get("JAVA_OPTS") ?? "";
    const fromConfig = r.peonSh.readsJvmConfig ? jvmConfigText.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "") : [];
    const flags = [...fromConfig, ...split(javaOpts)];
    const taskDir = env.get("TASK_DIR");
    if (taskDir === undefined) throw new Error("TASK_DIR is not set: the adapter always sets it");
    // CliPeon's positional arguments; whatever options follow them (later revisions add `--taskId`) are not modelled.
    const args = r.peonSh.passesTaskDirAndAttempt
        ? ["org.apache.druid.cli.Main", "internal", "peon", taskDir, "1"]
        : ["org.apache.druid.cli.Main", "internal", "peon"];
    return { flags, args, source: r.peonSh.sources };
}

/**
 * Every write peon.sh (the command of a task pod's container with the Kubernetes task runner) makes
 * before it execs the Peon, in its order, then the Peon's task directory. peon.sh is druid.sh for
 * one service, `SERVICE="overlord"`, under `set -e`; it reads TASK_DIR (the Overlord's
 * druid.indexer.task.baseDir, added to the pod by PodTemplateTaskAdapter.getEnv) and writes the
 * task from TASK_JSON into it. Cited by statement: the stored copies' lines are not those of the tags.
 */
export function peonShWrites(run: ContainerRun, taskDir: string): Write[] {
    const argv = run.argv;
    const script = shellScript(argv);
    if (!(argv[0] === "/peon.sh" || (script !== undefined && /(?:^|\s)(?:exec\s+)?\/peon\.sh(\s|$)/.test(script)))) {
        throw new Error(`the container does not run /peon.sh: ${JSON.stringify(argv)}`);
    }
    const env = new Map(run.env);
    for (const name of exportedByCommand(argv)) if (!env.has(name)) env.set(name, undefined);
    const cwd = run.cwd;
    const w = (op: WriteOp, p: string, why: string, at: string, extra: Partial<Write> = {}): Write =>
        ({ op, path: p, cwd, by: "peon.sh", why, source: [peonSh(at)], fatal: true, ...extra });
    const common = "/tmp/conf/druid/cluster/_common";
    const serviceConf = `/tmp/conf/druid/cluster/${druidClusterConfDirs.overlord}/runtime.properties`;
    const writes: Write[] = [
        w("mkdir", "/tmp/conf/", "configuration copy for a read-only root filesystem", "mkdir -p /tmp/conf/"),
        w("removeTree", "/tmp/conf/druid", "a previous copy", "test -d /tmp/conf/druid && rm -r /tmp/conf/druid", { when: { test: "-d", path: "/tmp/conf/druid" } }),
        w("copyTree", "/tmp/conf/druid", "copy of /opt/druid/conf/druid", "cp -r /opt/druid/conf/druid /tmp/conf/druid", { from: "/opt/druid/conf/druid" }),
    ];
    // In a pod the kubelet always sets KUBERNETES_SERVICE_HOST, so DRUID_SET_HOST_IP is 0: no druid.host from `ip r`.
    for (const name of [...env.keys()].filter((n) => n.startsWith("druid_")).sort()) {
        const why = `setKey overlord ${druidPropertyOfVariable(name)} (${name})`;
        writes.push(
            w("rewrite", `${common}/common.runtime.properties`, `${why}: sed -ri "/key=/d"`, "setKey"),
            w("rewrite", serviceConf, `${why}: sed -ri "/key=/d"`, "setKey", { when: { test: "-f", path: serviceConf } }),
            w("append", serviceConf, `${why}: echo >> service runtime.properties`, "setKey", { when: { test: "-f", path: serviceConf } }),
            w("append", `${common}/common.runtime.properties`, `${why}: echo >> common`, "setKey", { when: { test: "!-f", path: serviceConf } }),
        );
    }
    const dirs = env.has("DRUID_DIRS_TO_CREATE")
        ? env.get("DRUID_DIRS_TO_CREATE") ?? ""
        : "var/tmp var/druid/segments var/druid/indexing-logs var/druid/task var/druid/hadoop-tmp var/druid/segment-cache";
    for (const d of dirs.split(/\s+/).filter((x) => x !== "")) writes.push(w("mkdir", d, "DRUID_DIRS_TO_CREATE (mkdir -p under set -e)", "mkdir -p ${DRUID_DIRS_TO_CREATE}"));
    writes.push(
        w("mkdir", taskDir, "TASK_DIR", "mkdir -p ${TASK_DIR}"),
        w("overwrite", `${taskDir}/task.json`, "the task from TASK_JSON (set unless the payload goes through deep storage)", "echo ${TASK_JSON} | base64 -d | gzip -d > ${TASK_DIR}/task.json"),
        { op: "dirWritable", path: taskDir, cwd, by: "Peon", why: "the task's working files (CliPeon internal peon ${TASK_DIR})", source: [peonSh("exec bin/run-java ... internal peon \"${TASK_DIR}\"")], fatal: true },
    );
    return writes;
}

/** druid.sh's mapping of a variable name to a property: `__` is `_`, `_` is `.` (druid.sh:151). */
export function druidPropertyOfVariable(name: string): string {
    return name.replace(/__/g, "%UNDERSCORE%").replace(/_/g, ".").replace(/%UNDERSCORE%/g, "_");
}

/** The rendered files a Druid process reads. */
export interface DruidFiles {
    common: string;
    runtime: string;
    jvmConfig: string;
    /** The log4j2.xml the pod mounts, when it mounts one. */
    log4j2Xml?: string;
}

/** `-Dkey=value` flags of a JVM command line / jvm.config. */
export function systemProperties(flags: string[]): PropertyMap {
    const out: PropertyMap = {};
    for (const f of flags) {
        const m = /^-D([^=]+)=(.*)$/.exec(f.trim());
        if (m) out[m[1]] = m[2];
    }
    return out;
}

function jsonPaths(value: string | undefined, what: string): string[] | undefined {
    if (value === undefined) return undefined;
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) throw new Error(`${what} is not a JSON array: ${value}`);
    return parsed.map((entry: unknown) => {
        if (typeof entry === "string") return entry;
        if (entry !== null && typeof entry === "object" && typeof (entry as { path?: unknown }).path === "string") return (entry as { path: string }).path;
        throw new Error(`${what}: an entry without a path: ${JSON.stringify(entry)}`);
    });
}

/** File appenders' paths in a log4j2.xml (fileName / filePattern attributes), with ${sys:…}/${env:…} resolved. */
export function log4jFilePaths(xml: string, sys: PropertyMap, env: Map<string, string | undefined>): string[] {
    const out: string[] = [];
    for (const m of xml.matchAll(/\b(?:fileName|filePattern)\s*=\s*"([^"]*)"/g)) {
        out.push(m[1].replace(/\$\{(sys|env):([^}:]+)(?::-([^}]*))?\}/g, (_all, kind: string, key: string, dflt: string | undefined) =>
            (kind === "sys" ? sys[key] : env.get(key)) ?? dflt ?? `<unresolved ${kind}:${key}>`));
    }
    return out;
}

/**
 * The directories the Druid process writes, read from its rendered configuration. Properties are
 * layered as Druid loads them: common.runtime.properties, the service's runtime.properties, the
 * druid_* variables druid.sh adds, then -D system properties, which win.
 */
export function druidProcessWrites(service: string, files: DruidFiles, run: ContainerRun): Write[] {
    const jvmFlags = files.jvmConfig.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
    const sys = systemProperties(jvmFlags);
    const fromEnv: PropertyMap = {};
    for (const [name, value] of run.env) if (name.startsWith("druid_") && value !== undefined) fromEnv[druidPropertyOfVariable(name)] = value;
    const props: PropertyMap = { ...parseProperties(files.common), ...parseProperties(files.runtime), ...fromEnv, ...sys };
    const cwd = run.cwd;
    const writes: Write[] = [];
    const add = (p: string, why: string, source: Source[], by = "Druid", fatal = true): void => {
        writes.push({ op: "dirWritable", path: p, cwd, by, why, source, fatal });
    };
    const kind = service;
    const tmpdir = sys["java.io.tmpdir"] ?? "/tmp";
    add(tmpdir, sys["java.io.tmpdir"] !== undefined ? "java.io.tmpdir (-Djava.io.tmpdir in jvm.config)" : "java.io.tmpdir (JDK default /tmp)", [
        { repo: "this project", path: "rendered jvm.config", ref: "render", at: "-Djava.io.tmpdir" },
    ], "JVM");

    const processes = ["historical", "broker", "indexer"];
    if (props["druid.processing.tmpDir"] !== undefined || processes.includes(kind)) {
        add(props["druid.processing.tmpDir"] ?? tmpdir, "druid.processing.tmpDir (query spill files; default java.io.tmpdir)",
            [druidJava("docs/configuration/index.md", "druid.processing.tmpDir")]);
    }
    const locations = jsonPaths(props["druid.segmentCache.locations"], "druid.segmentCache.locations");
    if (locations !== undefined) {
        for (const l of locations) add(l, "druid.segmentCache.locations path", [druidJava("server/src/main/java/org/apache/druid/segment/loading/StorageLocation.java", "StorageLocation")]);
        const infoDir = props["druid.segmentCache.infoDir"] ?? (locations.length > 0 ? path.posix.join(locations[0], "info_dir") : undefined);
        if (infoDir !== undefined) {
            add(infoDir, "druid.segmentCache.infoDir (default <first location>/info_dir)", [
                druidJava("server/src/main/java/org/apache/druid/segment/loading/SegmentLoaderConfig.java", "getInfoDir()"),
                druidJava("server/src/main/java/org/apache/druid/segment/loading/SegmentLocalCacheManager.java", "getEffectiveInfoDir()"),
            ]);
        }
    }
    if (kind === "overlord" && props["druid.indexer.runner.type"] === "k8s") {
        // With the Kubernetes task runner the Overlord's baseDir is every task pod's TASK_DIR
        // (PodTemplateTaskAdapter.getEnv); the Overlord's own TaskConfig resolves under it too.
        add(props["druid.indexer.task.baseDir"] ?? tmpdir, "druid.indexer.task.baseDir (TaskConfig; TASK_DIR of the task pods)",
            [druidJava("indexing-service/src/main/java/org/apache/druid/indexing/common/config/TaskConfig.java", "getBaseDir()")]);
    }
    if (kind === "middleManager" || kind === "indexer") {
        const taskConfig = druidJava("indexing-service/src/main/java/org/apache/druid/indexing/common/config/TaskConfig.java", "TaskConfig(...) constructor");
        const baseDir = props["druid.indexer.task.baseDir"] ?? tmpdir;
        const baseTaskDir = props["druid.indexer.task.baseTaskDir"] ?? path.posix.join(baseDir, "persistent/task");
        for (const d of jsonPaths(props["druid.worker.baseTaskDirs"], "druid.worker.baseTaskDirs") ?? [baseTaskDir]) {
            add(d, "task directory (druid.indexer.task.baseTaskDir / druid.worker.baseTaskDirs; default <baseDir>/persistent/task)", [taskConfig]);
        }
        for (const d of jsonPaths(props["druid.indexer.task.shuffleDataLocations"], "druid.indexer.task.shuffleDataLocations") ?? [path.posix.join(baseDir, "intermediary-segments")]) {
            add(d, "druid.indexer.task.shuffleDataLocations (default <baseDir>/intermediary-segments)", [taskConfig]);
        }
        const logsType = props["druid.indexer.logs.type"] ?? "file";
        if (logsType === "file") add(props["druid.indexer.logs.directory"] ?? "log", "druid.indexer.logs.directory (file task logs)", [druidJava("docs/configuration/index.md", "druid.indexer.logs.directory")]);
        if ((props["druid.storage.type"] ?? "local") === "local") {
            add(props["druid.storage.storageDirectory"] ?? "/tmp/druid/localStorage", "druid.storage.storageDirectory (local deep storage)", [druidJava("docs/configuration/index.md", "druid.storage.storageDirectory")]);
        }
    }
    if (kind === "middleManager") {
        // Peons: the MiddleManager's druid.* properties with druid.indexer.fork.property.* on top, and
        // their own JVM flags (druid.indexer.runner.javaOptsArray, or javaOpts).
        const fork = "druid.indexer.fork.property.";
        const peonProps: PropertyMap = { ...props };
        for (const [k, v] of Object.entries(props)) if (k.startsWith(fork)) peonProps[k.slice(fork.length)] = v;
        const arrayOpts = props["druid.indexer.runner.javaOptsArray"];
        const peonFlags = arrayOpts !== undefined ? (JSON.parse(arrayOpts) as unknown[]).map(String) : (props["druid.indexer.runner.javaOpts"] ?? "").split(/\s+/);
        const peonTmp = systemProperties(peonFlags)["java.io.tmpdir"] ?? "/tmp";
        const runner = druidJava("indexing-service/src/main/java/org/apache/druid/indexing/overlord/ForkingTaskRunner.java", "Peon command line");
        add(peonTmp, "Peon java.io.tmpdir (druid.indexer.runner.javaOptsArray)", [runner], "Peon");
        add(peonProps["druid.processing.tmpDir"] ?? peonTmp, "Peon druid.processing.tmpDir", [runner], "Peon");
    }
    if (props["druid.msq.intermediate.storage.enable"] === "true" && props["druid.msq.intermediate.storage.tempDir"] !== undefined) {
        add(props["druid.msq.intermediate.storage.tempDir"], "druid.msq.intermediate.storage.tempDir (durable storage staging)",
            [druidJava("docs/multi-stage-query/reference.md", "druid.msq.intermediate.storage.tempDir")]);
    }
    if (props["druid.lookup.snapshotWorkingDir"] !== undefined) {
        add(props["druid.lookup.snapshotWorkingDir"], "druid.lookup.snapshotWorkingDir", [druidJava("docs/configuration/index.md", "druid.lookup.snapshotWorkingDir")]);
    }
    if (files.log4j2Xml !== undefined) {
        for (const f of log4jFilePaths(files.log4j2Xml, { ...props, ...sys }, run.env)) {
            add(path.posix.dirname(f), `log4j2 file appender (${f})`, [{ repo: "this project", path: "rendered log4j2.xml", ref: "render", at: "fileName/filePattern" }], "log4j2");
        }
    }
    return dedupe(writes);
}

/** The JVM's perf-data file, /tmp/hsperfdata_<user>: when it cannot be created the JVM warns and runs on. */
export function jvmPerfDataWrite(userName: string, cwd: string): Write {
    return { op: "dirWritable", path: `/tmp/hsperfdata_${userName}`, cwd, by: "JVM", why: "perf data (jps/jstat); a failure is only a warning", source: [jdkTmp], fatal: false };
}

/**
 * The official ZooKeeper image's entrypoint and zkServer.sh, then ZooKeeper itself. The directories
 * come from the ZOO_* variables (the pod's env, else the image's ENV: Dockerfile:3-6); the
 * entrypoint writes them into zoo.cfg, and ZOO_CFG_EXTRA entries appended after them win.
 */
export function zooKeeperWrites(run: ContainerRun, image: ImageFacts, uid: number): Write[] {
    const script = shellScript(run.argv);
    const runsEntrypoint = script !== undefined ? /\/docker-entrypoint\.sh\s+zkServer\.sh\s+start-foreground/.test(script)
        : run.argv[0] === "/docker-entrypoint.sh" && run.argv[1] === "zkServer.sh";
    if (!runsEntrypoint) throw new Error(`the ZooKeeper container does not run /docker-entrypoint.sh zkServer.sh: ${JSON.stringify(run.argv)}`);
    const get = (name: string, dflt: string): string => {
        if (!run.env.has(name)) return dflt;
        const v = run.env.get(name);
        if (v === undefined) throw new Error(`${name} is set from a reference: cannot tell where ZooKeeper writes`);
        return v;
    };
    const confDir = get("ZOO_CONF_DIR", "/conf");
    const dataDir = get("ZOO_DATA_DIR", "/data");
    const dataLogDir = get("ZOO_DATA_LOG_DIR", "/datalog");
    const logDir = get("ZOO_LOG_DIR", "/logs");
    const extra = parseProperties(get("ZOO_CFG_EXTRA", "").split(/\s+/).join("\n"));
    const cfgDataDir = extra.dataDir ?? dataDir;
    const cfgDataLogDir = extra.dataLogDir ?? dataLogDir;
    const cwd = run.cwd;
    const w = (op: WriteOp, p: string, by: string, why: string, source: Source[], extraFields: Partial<Write> = {}): Write =>
        ({ op, path: p, cwd, by, why, source, fatal: true, ...extraFields });
    if (uid === 0) {
        throw new Error("the entrypoint runs as root: it would chown the data directories and drop to zookeeper with gosu (docker-entrypoint.sh:6-9), which this model does not replay");
    }
    const fileTxnSnapLog = zk("zookeeper-server/src/main/java/org/apache/zookeeper/server/persistence/FileTxnSnapLog.java", "112-160");
    return [
        // As a non-root user the entrypoint does not chown anything (docker-entrypoint.sh:6-9).
        w("append", `${confDir}/zoo.cfg`, "docker-entrypoint.sh", "zoo.cfg, written only when absent", [zkEntrypoint("11-43")], { when: { test: "!-f", path: `${confDir}/zoo.cfg` } }),
        w("overwrite", `${dataDir}/myid`, "docker-entrypoint.sh", "myid, written only when absent", [zkEntrypoint("45-48")], { when: { test: "!-f", path: `${dataDir}/myid` } }),
        w("mkdir", cfgDataDir, "zkServer.sh", "dataDir for the pid file, when missing", [zk("bin/zkServer.sh", "119-121, 138-146")], { when: { test: "!-d", path: cfgDataDir }, fatal: false }),
        w("mkdir", logDir, "zkServer.sh", "ZOO_LOG_DIR when not writable (file logging only)", [zk("bin/zkServer.sh", "148-150"), zk("bin/zkEnv.sh", "68-71")], { when: { test: "!-w", path: logDir }, fatal: false }),
        w("dirWritable", path.posix.join(cfgDataLogDir, "version-2"), "ZooKeeper", "transaction logs: dataLogDir/version-2 (mkdirs, canWrite, or the server stops)", [fileTxnSnapLog, zkDockerfile("5 (ZOO_DATA_LOG_DIR, overridable by the pod env)")]),
        w("dirWritable", path.posix.join(cfgDataDir, "version-2"), "ZooKeeper", "snapshots, currentEpoch, acceptedEpoch: dataDir/version-2", [
            fileTxnSnapLog, zk("zookeeper-server/src/main/java/org/apache/zookeeper/server/quorum/QuorumPeer.java", "2178-2179, 2207-2208 (epoch files in getSnapDir())"),
        ]),
        jvmPerfDataWrite(image.user.uid === uid ? image.user.name : String(uid), cwd),
        // zkServer.sh starts the JVM with -XX:+HeapDumpOnOutOfMemoryError and no HeapDumpPath: the
        // dump (java_pid<pid>.hprof) goes to the working directory unless JVMFLAGS (appended by
        // zkServer.sh after SERVER_JVMFLAGS) names a -XX:HeapDumpPath. Only on an OOM, after which
        // -XX:OnOutOfMemoryError='kill -9 %p' ends the server anyway: the diagnostic is lost, nothing more.
        w("dirWritable", /-XX:HeapDumpPath=(\S+)/.exec(get("JVMFLAGS", ""))?.[1] ?? cwd, "JVM", "heap dump on OutOfMemoryError (java_pid<pid>.hprof; the working directory without -XX:HeapDumpPath)",
            [zk("bin/zkServer.sh", "202-205 (-XX:+HeapDumpOnOutOfMemoryError)"), image.workdir.source], { fatal: false }),
    ];
}

function dedupe(writes: Write[]): Write[] {
    const seen = new Map<string, Write>();
    for (const w of writes) {
        const key = `${w.op} ${absolutePath(w)} ${w.by}`;
        const prev = seen.get(key);
        if (prev === undefined) seen.set(key, { ...w });
        else if (!prev.why.includes(w.why)) prev.why = `${prev.why}; ${w.why}`;
    }
    return [...seen.values()];
}
