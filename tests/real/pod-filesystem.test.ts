/*
 * Every Druid and ZooKeeper pod of three renders, checked on a REAL filesystem: the image's
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
 * Needs root and the Debian packages util-linux, mount, coreutils and busybox-static: a missing one
 * FAILS the suite with the package to install (.ci/run must install busybox-static).
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { parseProperties } from "../../components/config/properties";
import { DruidCluster, DruidClusterArgs } from "../../index";
import { Plan, planProgram, valueOf } from "../../testing";
import { defaultArgs } from "../fixtures/args";
import {
    ContainerRun, druidImageFacts, druidProcessWrites, druidServiceArgument, druidShWrites, ImageFacts, jvmPerfDataWrite, peonShWrites, Write, zooKeeperImageFacts,
    zooKeeperWrites,
} from "../support/image-entrypoints";
import {
    checkPodFilesystem, containerUser, formatCheck, missingPrerequisites, PodCheck, PodSpecLike, PodUnderTest,
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

/** A task pod: peon.sh's writes, then the Peon's with the files the pod mounts (the Overlord's directory, as peon.sh reads it). */
function checkTaskPod(pod: PodUnderTest, files: ConfigurationFiles): PodCheck {
    const image = druidImageFacts();
    const run = containerRun(pod.spec, image);
    // TASK_DIR is the Overlord's druid.indexer.task.baseTaskDir (PodTemplateTaskAdapter.getEnv adds it to the container).
    const taskDir = parseProperties(files.overlord["runtime.properties"])["druid.indexer.task.baseTaskDir"];
    assert.ok(taskDir !== undefined, "the Overlord names no task directory");
    const conf = "/opt/druid/conf/druid/cluster/master/coordinator-overlord";
    const runtime = mountedConfigMapFile(pod, `${conf}/runtime.properties`);
    const jvm = mountedConfigMapFile(pod, `${conf}/jvm.config`);
    if (runtime === undefined || jvm === undefined) throw new Error("the task pod mounts no runtime.properties / jvm.config where peon.sh reads them");
    assert.equal(runtime, files.task["runtime.properties"], "the task pod mounts the Peon's runtime.properties where peon.sh reads it");
    assert.equal(jvm, files.task["jvm.config"]);
    const user = containerUser(pod.spec, image);
    return checkPodFilesystem(pod, image, [
        ...peonShWrites(run, taskDir),
        ...druidProcessWrites("peon", {
            common: files._common["common.runtime.properties"], runtime, jvmConfig: jvm,
            log4j2Xml: mountedConfigMapFile(pod, "/opt/druid/conf/druid/cluster/_common/log4j2.xml"),
        }, run),
        jvmPerfDataWrite(user.uid === image.user.uid ? image.user.name : String(user.uid), run.cwd),
    ]);
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
        assert.deepEqual(missing, [], `the pod filesystem check cannot run here; .ci/run must provide:\n  ${missing.join("\n  ")}`);
    });

    for (const scenario of scenarios) {
        describe(scenario.name, function () {
            let rendered: Rendered;
            before(async function () {
                rendered = await render(scenario.args());
            });

            it("renders the expected Druid and ZooKeeper workloads", function () {
                assert.deepEqual(rendered.pods.map((p) => p.name).sort(), scenario.workloads.map((w) => `druid-${w}`).sort());
            });

            if (scenario.args().data?.ingestion?.worker === "kubernetesJobs") {
                it("a task pod from the Overlord's pod template boots: peon.sh's and the Peon's writes succeed as the container user", function () {
                    assert.ok(rendered.taskPod !== undefined, "no task pod template rendered");
                    assertBoots(checkTaskPod(rendered.taskPod, rendered.files));
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
