/*
 * Every Druid and ZooKeeper pod of every mode's render, for each supported Druid release
 * (image-entrypoints.ts `releaseEntrypoints`), checked on a REAL filesystem: the image's
 * directories, the pod's volumes laid out as the kubelet and the container runtime lay them out,
 * a read-only root, and then every write of the entrypoint (druid.sh, docker-entrypoint.sh +
 * zkServer.sh) and of the process (the directories its rendered configuration names) performed as
 * the container's user. See tests/support/pod-filesystem.ts (the layout, with its sources) and
 * tests/support/image-entrypoints.ts (the writes, with theirs).
 *
 * The bug this guards against: a volume mounted INSIDE the `var` emptyDir makes the runtime create
 * the missing parent (/opt/druid/var/druid) as root 0755, and druid.sh's `mkdir -p var/druid/segments`
 * (under `set -e`) then fails for uid 1000: the pod exits 1. The last block proves the check fails
 * on exactly that layout.
 *
 * Task pods (Kubernetes Jobs) are started as the Overlord's PodTemplateTaskAdapter starts them (its
 * variables, TASK_DIR from druid.indexer.task.baseDir), and the JVM the release's peon.sh would start
 * is started for real (this machine's JDK, the flags split by busybox sh): it must have the task's
 * -Xmx and -XX:MaxDirectMemorySize, UTC and exit-on-OOM, and TASK_DIR must be on the sized volume.
 *
 * Needs root and the Debian packages util-linux, mount, coreutils and busybox-static: a missing one
 * FAILS the suite with the package to install (.ci/run must install busybox-static).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { parse } from "yaml";
import { parseProperties } from "../../components/core/properties";
import { DruidCluster, DruidClusterArgs } from "../../index";
import { Plan, planProgram, valueOf } from "../../testing";
import { defaultArgs } from "../fixtures/args";
import {
    cite, ContainerRun, druidImageFacts, druidProcessWrites, druidServiceArgument, druidShWrites, ImageFacts, jvmPerfDataWrite, peonJvmCommand, peonShWrites,
    ReleaseEntrypoints, releaseEntrypoints, systemProperties, Write, zooKeeperImageFacts, zooKeeperWrites,
} from "../support/image-entrypoints";
import {
    checkPodFilesystem, containerUser, formatCheck, missingPrerequisites, PodCheck, PodSpecLike, PodUnderTest, VolumeLike,
} from "../support/pod-filesystem";

type ConfigurationFiles = Record<string, Record<string, string>>;

interface Rendered {
    pods: PodUnderTest[];
    files: ConfigurationFiles;
    /** The task pod of `kubernetesJobs`, from the pod template the Overlord reads. */
    taskPod?: PodUnderTest;
}

interface WorkloadInputs {
    metadata: { name: string };
    spec: { template: { spec: PodSpecLike }; volumeClaimTemplates?: { metadata: { name: string } }[] };
}

/** Renders a cluster and returns every workload's pod with the ConfigMaps it can mount. */
async function render(args: DruidClusterArgs): Promise<Rendered> {
    // Not a preview: the configuration files (and the ConfigMaps' data) are then known values.
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
    const files = await valueOf(result.configuration);
    if (files === undefined) throw new Error("the rendered configuration is unknown");
    const pods = podsOf(plan);
    const template = plan.ofType("kubernetes:core/v1:ConfigMap").find((r) => r.name === "druid-task-template");
    const taskPod = template === undefined ? undefined : {
        name: "druid-task (pod template)",
        spec: (parse((template.inputs as { data: Record<string, string> }).data["base.yaml"]) as { template: { spec: PodSpecLike } }).template.spec,
        claimTemplates: [],
        configMaps: pods[0].configMaps,
    };
    return { pods, files, taskPod };
}

/** What the JVM of a task pod receives and resolves, from the real JDK. */
interface TaskJvm {
    flags: string[];
    args: string[];
    maxHeapBytes: number;
    maxDirectMemoryBytes: number;
    exitOnOutOfMemory: boolean;
    timezone: string | undefined;
}

/** The pod's variables as a shell expands them: the image's shell (busybox sh) splits ${JAVA_OPTS}, unquoted, in an empty directory. */
function shellSplit(value: string): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "split-"));
    try {
        const r = spawnSync("/bin/busybox", ["sh", "-c", "for a in ${JAVA_OPTS}; do printf '%s\\n' \"$a\"; done"], { cwd: dir, env: { JAVA_OPTS: value }, encoding: "utf8", timeout: 10_000 });
        if (r.status !== 0) throw new Error(`busybox sh: ${r.stderr}`);
        return r.stdout.split("\n").filter((l) => l !== "");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Starts this machine's JDK with the flags the Peon's JVM gets and reads back what it resolved (heap, direct memory, OOM behaviour, time zone). */
function resolveJvm(flags: string[], args: string[]): TaskJvm {
    const r = spawnSync("java", [...flags, "-XshowSettings:properties", "-XX:+PrintFlagsFinal", "-version"], { encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) throw new Error(`java refused the Peon's flags ${flags.join(" ")}: ${r.stderr}`);
    const out = `${r.stdout}\n${r.stderr}`;
    const flag = (name: string): string | undefined => new RegExp(`\\s${name}\\s+=\\s+(\\S+)`).exec(out)?.[1];
    return {
        flags, args,
        maxHeapBytes: Number(flag("MaxHeapSize")),
        maxDirectMemoryBytes: Number(flag("MaxDirectMemorySize")),
        exitOnOutOfMemory: flag("ExitOnOutOfMemoryError") === "true",
        timezone: /^\s*user\.timezone = (.*)$/m.exec(out)?.[1]?.trim(),
    };
}

/** A JVM size flag's bytes (-Xmx1200m, -XX:MaxDirectMemorySize=500m). */
function jvmBytes(flags: string[], prefix: string): number | undefined {
    const v = [...flags].reverse().find((f) => f.startsWith(prefix))?.slice(prefix.length);
    const m = v === undefined ? null : /^(\d+)([kmgt]?)$/i.exec(v);
    if (m === null) return undefined;
    return Number(m[1]) * 1024 ** "bkmgt".indexOf((m[2] || "b").toLowerCase());
}

/** The mount of the container that holds `p`, and its volume. */
function volumeHolding(pod: PodUnderTest, p: string): { mountPath: string; volume: VolumeLike | undefined } | undefined {
    const c = pod.spec.containers[0];
    const holding = (c.volumeMounts ?? []).filter((m) => p === m.mountPath || p.startsWith(`${m.mountPath.replace(/\/$/, "")}/`))
        .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    return holding === undefined ? undefined : { mountPath: holding.mountPath, volume: (pod.spec.volumes ?? []).find((v) => v.name === holding.name) };
}

interface TaskPodRun { check: PodCheck; jvm: TaskJvm; taskDir: string; pod: PodUnderTest }

/**
 * A task pod as the Overlord starts it: the template's pod with the variables
 * PodTemplateTaskAdapter.getEnv adds to its first container (TASK_DIR from the Overlord's
 * druid.indexer.task.baseDir, default its java.io.tmpdir; TASK_ID; TASK_JSON, the gzipped, base64
 * task), then peon.sh's writes and the Peon's, and the JVM the release's peon.sh starts.
 */
function startTaskPod(template: PodUnderTest, files: ConfigurationFiles, release: ReleaseEntrypoints): TaskPodRun {
    const image = druidImageFacts();
    const overlordFiles = files.overlord ?? files.coordinator;
    const overlord = { ...parseProperties(files._common["common.runtime.properties"]), ...parseProperties(overlordFiles["runtime.properties"]) };
    const overlordTmp = systemProperties(overlordFiles["jvm.config"].split("\n"))["java.io.tmpdir"] ?? "/tmp";
    // TaskConfig: baseDir defaults to java.io.tmpdir.
    const taskDir = overlord[release.adapterEnv.taskDirFrom] ?? overlordTmp;
    const taskId = "index_parallel_wikipedia_abcdefgh_2026-01-01T00:00:00.000Z";
    const taskJson = gzipSync(JSON.stringify({ type: "index_parallel", id: taskId })).toString("base64");
    const adapterEnv = [
        { name: "TASK_DIR", value: taskDir },
        { name: "TASK_ID", value: taskId },
        { name: "LOAD_BROADCAST_DATASOURCE_MODE", value: "ALL" },
        { name: "LOAD_BROADCAST_SEGMENTS", value: "false" },
        { name: "TASK_JSON", value: taskJson },
    ];
    assert.deepEqual(adapterEnv.map((e) => e.name), release.adapterEnv.names, `the variables of ${cite(release.adapterEnv.source)}`);
    const [c0, ...rest] = template.spec.containers;
    const pod: PodUnderTest = { ...template, spec: { ...template.spec, containers: [{ ...c0, env: [...(c0.env ?? []), ...adapterEnv] }, ...rest] } };
    const run = containerRun(pod.spec, image);
    const conf = "/opt/druid/conf/druid/cluster/master/coordinator-overlord";
    const runtime = mountedConfigMapFile(pod, `${conf}/runtime.properties`);
    const jvmConfigText = mountedConfigMapFile(pod, `${conf}/jvm.config`);
    if (runtime === undefined || jvmConfigText === undefined) throw new Error("the task pod mounts no runtime.properties / jvm.config where peon.sh reads them");
    assert.equal(runtime, files.task["runtime.properties"], "the task pod mounts the Peon's runtime.properties where peon.sh reads it");
    assert.equal(jvmConfigText, files.task["jvm.config"]);
    const command = peonJvmCommand(release, run.env, jvmConfigText, shellSplit);
    const user = containerUser(pod.spec, image);
    const check = checkPodFilesystem(pod, image, [
        ...peonShWrites(run, taskDir),
        // The Peon's directories from the flags its JVM really gets, not from a file peon.sh may not read.
        ...druidProcessWrites("peon", {
            common: files._common["common.runtime.properties"], runtime, jvmConfig: command.flags.join("\n"),
            log4j2Xml: mountedConfigMapFile(pod, "/opt/druid/conf/druid/cluster/_common/log4j2.xml"),
        }, run),
        jvmPerfDataWrite(user.uid === image.user.uid ? image.user.name : String(user.uid), run.cwd),
    ]);
    return { check, jvm: resolveJvm(command.flags, command.args), taskDir, pod };
}

/** The checks a started task pod must pass: it boots, its JVM has the task's sizes, its task directory is on the sized volume. */
function assertTaskPodRuns(t: TaskPodRun, files: ConfigurationFiles, release: ReleaseEntrypoints): void {
    assertBoots(t.check);
    const jvmConfig = files.task["jvm.config"].split("\n").map((l) => l.trim()).filter((l) => l !== "");
    const heap = jvmBytes(jvmConfig, "-Xmx");
    const direct = jvmBytes(jvmConfig, "-XX:MaxDirectMemorySize=");
    assert.ok(heap !== undefined && direct !== undefined, `the task's jvm.config names no -Xmx / -XX:MaxDirectMemorySize:\n${files.task["jvm.config"]}`);
    const sources = release.peonSh.sources.map(cite).join("; ");
    console.log(`      ${release.release}: java ${t.jvm.flags.join(" ")} … ${t.jvm.args.join(" ")}\n      (peon.sh: ${sources})`);
    assert.equal(t.jvm.maxHeapBytes, heap, `Druid ${release.release}: the Peon's JVM runs with MaxHeapSize ${t.jvm.maxHeapBytes}, not the task's -Xmx (${heap}); it got: ${t.jvm.flags.join(" ") || "(no flags)"}`);
    assert.equal(t.jvm.maxDirectMemoryBytes, direct, `Druid ${release.release}: the Peon's JVM runs with MaxDirectMemorySize ${t.jvm.maxDirectMemoryBytes}, not the task's ${direct}`);
    assert.ok(t.jvm.exitOnOutOfMemory, "the Peon's JVM does not exit on OutOfMemoryError");
    assert.equal(t.jvm.timezone, "UTC", "the Peon's JVM is not in UTC");
    // CliPeon's taskDirPath is TASK_DIR, and it lies on the pod's sized scratch volume.
    assert.equal(t.jvm.args[3], t.taskDir);
    const holder = volumeHolding(t.pod, t.taskDir);
    const emptyDir = holder?.volume?.emptyDir as { sizeLimit?: string } | undefined;
    assert.ok(holder !== undefined && emptyDir?.sizeLimit !== undefined,
        `TASK_DIR ${t.taskDir} is not on the task pod's sized volume: it lies on ${holder === undefined ? "the root filesystem" : `${holder.volume?.name ?? "?"} at ${holder.mountPath} (${JSON.stringify(holder.volume)})`}`);
}

function podsOf(plan: Plan): PodUnderTest[] {
    const configMaps: Record<string, Record<string, string>> = {};
    for (const cm of plan.ofType("kubernetes:core/v1:ConfigMap")) {
        const inputs = cm.inputs as { metadata?: { name?: string }; data?: Record<string, string> };
        if (inputs.metadata?.name !== undefined) configMaps[inputs.metadata.name] = inputs.data ?? {};
    }
    return [...plan.ofType("kubernetes:apps/v1:StatefulSet"), ...plan.ofType("kubernetes:apps/v1:Deployment")].map((r) => {
        const inputs = r.inputs as unknown as WorkloadInputs;
        return {
            name: inputs.metadata.name,
            spec: inputs.spec.template.spec,
            claimTemplates: (inputs.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name),
            configMaps,
        };
    });
}

/** How the pod's first container is started, as the runtime starts it. */
function containerRun(spec: PodSpecLike, image: ImageFacts): ContainerRun {
    const c = spec.containers[0];
    if (c.envFrom !== undefined && c.envFrom.length > 0) throw new Error("envFrom: the variables are not in the pod spec");
    const argv = [...(c.command ?? image.entrypoint.argv), ...(c.args ?? [])];
    return {
        argv,
        env: new Map((c.env ?? []).map((e) => [e.name, e.valueFrom !== undefined ? undefined : e.value ?? ""])),
        cwd: c.workingDir ?? image.workdir.path,
    };
}

/** The mounted file at `mountPath`, read from the ConfigMap the pod mounts there (subPath). */
function mountedConfigMapFile(pod: PodUnderTest, mountPath: string): string | undefined {
    const c = pod.spec.containers[0];
    const m = (c.volumeMounts ?? []).find((vm) => vm.mountPath === mountPath);
    const v = m && (pod.spec.volumes ?? []).find((vol) => vol.name === m.name);
    const name = v?.configMap?.name;
    return name !== undefined && m?.subPath !== undefined ? pod.configMaps[name]?.[m.subPath] : undefined;
}

/** Every write a Druid pod makes: druid.sh, then the JVM and Druid with the files the pod mounts. */
function druidWrites(pod: PodUnderTest, files: ConfigurationFiles, key: string): Write[] {
    const image = druidImageFacts();
    const run = containerRun(pod.spec, image);
    const service = druidServiceArgument(run.argv);
    const serviceFiles = files[key];
    if (serviceFiles === undefined) throw new Error(`${pod.name}: no rendered files for "${key}" (have ${Object.keys(files).join(", ")})`);
    const user = containerUser(pod.spec, image);
    return [
        ...druidShWrites(run),
        ...druidProcessWrites(service, {
            common: files._common["common.runtime.properties"],
            runtime: serviceFiles["runtime.properties"],
            jvmConfig: serviceFiles["jvm.config"],
            log4j2Xml: mountedConfigMapFile(pod, "/opt/druid/conf/druid/cluster/_common/log4j2.xml"),
        }, run),
        jvmPerfDataWrite(user.uid === image.user.uid ? image.user.name : String(user.uid), run.cwd),
    ];
}

function check(pod: PodUnderTest, files: ConfigurationFiles): PodCheck {
    const c = pod.spec.containers[0];
    if (pod.name === "druid-zookeeper") {
        const image = zooKeeperImageFacts(c.image ?? "");
        return checkPodFilesystem(pod, image, zooKeeperWrites(containerRun(pod.spec, image), image, containerUser(pod.spec, image).uid));
    }
    if (!(c.image ?? "").startsWith("apache/druid:")) throw new Error(`${pod.name}: unexpected image ${c.image ?? "(none)"}`);
    return checkPodFilesystem(pod, druidImageFacts(), druidWrites(pod, files, pod.name.replace(/^druid-/, "")));
}

function assertBoots(result: PodCheck): void {
    console.log(formatCheck(result).split("\n").map((l) => `      ${l}`).join("\n"));
    assert.ok(result.results.length > 0, "no write was checked");
    assert.deepEqual(result.failures.map((f) => `${f.write.path}: ${f.error ?? ""}`), [], `${result.pod} cannot write what it must:\n${formatCheck(result)}`);
}

const scenarios: { name: string; args: () => DruidClusterArgs; workloads: string[] }[] = [
    {
        name: "default cluster",
        args: defaultArgs,
        workloads: ["coordinator", "overlord", "broker", "router", "historical-default", "middlemanager", "zookeeper"],
    },
    {
        name: "TLS cluster (cert-manager issuer)",
        args: () => ({ ...defaultArgs(), tls: { certManagerIssuer: "druid-ca" } }),
        workloads: ["coordinator", "overlord", "broker", "router", "historical-default", "middlemanager", "zookeeper"],
    },
    {
        name: "Indexer, ephemeral Historical cache, two tiers",
        args: () => ({
            ...defaultArgs(),
            data: {
                historicalStorage: "ephemeral",
                ingestion: { worker: "indexer" },
                historicalTiers: [{ name: "default", volumeSize: "100Gi" }, { name: "hot", volumeSize: "50Gi", priority: 10 }],
            },
        }),
        workloads: ["coordinator", "overlord", "broker", "router", "historical-default", "historical-hot", "indexer", "zookeeper"],
    },
    {
        name: "ZooKeeper-less (coordination kubernetes), tasks as Kubernetes Jobs",
        args: () => ({ ...defaultArgs(), coordination: "kubernetes", data: { ingestion: { worker: "kubernetesJobs" } } }),
        workloads: ["coordinator", "overlord", "broker", "router", "historical-default"],
    },
    // No "TLS with tasks as Kubernetes Jobs": refused (components/plan/validate-task-jobs-tls.ts).
    {
        // The CA bundle is a read-only ConfigMap volume at /opt/druid/metadata-ca on the Coordinator and Overlord.
        name: "high availability, metadata store verify-full (CA bundle mounted)",
        args: () => ({
            ...defaultArgs(),
            highAvailability: true,
            metadataStore: { ...defaultArgs().metadataStore, sslMode: "verify-full", caCertificate: { pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" } },
        }),
        workloads: ["coordinator", "overlord", "broker", "router", "historical-default", "middlemanager", "zookeeper"],
    },
];

describe("pod filesystem: every write of the entrypoints and processes succeeds as the container user", function () {
    this.timeout(120_000);

    before(function () {
        const missing = missingPrerequisites();
        // The task pods' JVM flags are resolved by a real JVM.
        if (spawnSync("java", ["-version"], { encoding: "utf8" }).status !== 0) missing.push("java: Debian package default-jdk-headless");
        assert.deepEqual(missing, [], `the pod filesystem check cannot run here; .ci/run must provide:\n  ${missing.join("\n  ")}`);
    });

    for (const release of releaseEntrypoints) for (const scenario of scenarios) {
        describe(`Druid ${release.release}: ${scenario.name}`, function () {
            let rendered: Rendered;
            before(async function () {
                rendered = await render({ ...scenario.args(), druidVersion: release.release });
            });

            it("renders the expected Druid and ZooKeeper workloads, on this release's image", function () {
                assert.deepEqual(rendered.pods.map((p) => p.name).sort(), scenario.workloads.map((w) => `druid-${w}`).sort());
                for (const p of rendered.pods.filter((x) => x.name !== "druid-zookeeper")) assert.equal(p.spec.containers[0].image, `apache/druid:${release.release}`, p.name);
            });

            if (scenario.args().data?.ingestion?.worker === "kubernetesJobs") {
                it("a task pod started as PodTemplateTaskAdapter starts it boots, its JVM gets the task's heap, direct memory, UTC and exit-on-OOM, and TASK_DIR is on the sized volume", function () {
                    assert.ok(rendered.taskPod !== undefined, "no task pod template rendered");
                    assert.equal(rendered.taskPod.spec.containers[0].image, `apache/druid:${release.release}`);
                    assertTaskPodRuns(startTaskPod(rendered.taskPod, rendered.files, release), rendered.files, release);
                });
            }

            for (const workload of scenario.workloads) {
                it(`druid-${workload} boots: every write succeeds as the container user`, function () {
                    const pod = rendered.pods.find((p) => p.name === `druid-${workload}`);
                    assert.ok(pod !== undefined, `druid-${workload} is not rendered`);
                    assertBoots(check(pod, rendered.files));
                });
            }
        });
    }

    describe("the check fails where a pod would", function () {
        /** A Historical laid out by hand: `var` emptyDir, the segment cache at `cacheAt` (a PVC). */
        function historical(cacheAt: string, tmpVolume = true): { pod: PodUnderTest; files: ConfigurationFiles } {
            const conf = "/opt/druid/conf/druid/cluster";
            const runtime = `druid.service=druid/historical\ndruid.segmentCache.locations=[{"path":"${cacheAt}","maxSize":1000000000}]\n`;
            const jvm = "-server\n-Xmx1g\n-Djava.io.tmpdir=/opt/druid/var/tmp\n";
            const common = "druid.extensions.loadList=[]\n";
            const spec: PodSpecLike = {
                securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
                automountServiceAccountToken: false,
                containers: [{
                    name: "druid",
                    image: "apache/druid:37.0.0",
                    args: ["historical"],
                    env: [{ name: "druid_host", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
                    securityContext: { readOnlyRootFilesystem: true },
                    volumeMounts: [
                        { name: "common", mountPath: `${conf}/_common/common.runtime.properties`, subPath: "common.runtime.properties" },
                        { name: "service", mountPath: `${conf}/data/historical/runtime.properties`, subPath: "runtime.properties" },
                        { name: "service", mountPath: `${conf}/data/historical/jvm.config`, subPath: "jvm.config" },
                        ...(tmpVolume ? [{ name: "tmp", mountPath: "/tmp" }] : []),
                        { name: "var", mountPath: "/opt/druid/var" },
                        { name: "segment-cache", mountPath: cacheAt },
                    ],
                }],
                volumes: [
                    { name: "common", configMap: { name: "common" } },
                    { name: "service", configMap: { name: "historical" } },
                    { name: "tmp", emptyDir: {} },
                    { name: "var", emptyDir: {} },
                ],
            };
            const pod: PodUnderTest = {
                name: "druid-historical-by-hand",
                spec,
                claimTemplates: ["segment-cache"],
                configMaps: { common: { "common.runtime.properties": common }, historical: { "runtime.properties": runtime, "jvm.config": jvm } },
            };
            return { pod, files: { _common: { "common.runtime.properties": common }, "historical-by-hand": { "runtime.properties": runtime, "jvm.config": jvm } } };
        }

        it("a PVC mounted inside the var emptyDir (the old layout) fails druid.sh's mkdir -p var/druid/segments with Permission denied", function () {
            const { pod, files } = historical("/opt/druid/var/druid/segment-cache");
            const result = checkPodFilesystem(pod, druidImageFacts(), druidWrites(pod, files, "historical-by-hand"));
            console.log(formatCheck(result).split("\n").map((l) => `      ${l}`).join("\n"));
            assert.ok(result.runtimeCreated.some((m) => / \/opt\/druid\/var\/druid$/.test(m) && /^0:\d+ \d?755 /.test(m)),
                `the runtime should have created /opt/druid/var/druid as root 0755: ${result.runtimeCreated.join("; ")}`);
            const segments = result.failures.find((f) => f.write.by === "druid.sh" && f.write.path === "var/druid/segments");
            assert.ok(segments !== undefined, `var/druid/segments did not fail:\n${formatCheck(result)}`);
            assert.match(segments.error ?? "", /Permission denied/);
        });

        it("the same pod with the PVC beside var passes", function () {
            const { pod, files } = historical("/opt/druid/segment-cache");
            const result = checkPodFilesystem(pod, druidImageFacts(), druidWrites(pod, files, "historical-by-hand"));
            assert.deepEqual(result.failures.map((f) => `${f.write.path}: ${f.error ?? ""}`), []);
        });

        it("without a /tmp volume the read-only root filesystem refuses druid.sh's /tmp/conf copy", function () {
            const { pod, files } = historical("/opt/druid/segment-cache", false);
            const result = checkPodFilesystem(pod, druidImageFacts(), druidWrites(pod, files, "historical-by-hand"));
            const conf = result.failures.find((f) => f.write.path === "/tmp/conf/");
            assert.ok(conf !== undefined, `/tmp/conf/ did not fail:\n${formatCheck(result)}`);
            assert.match(conf.error ?? "", /Read-only file system/);
        });
    });
});
