import { commonJvmFlags, druidPaths } from "./druid-config";
import { PropertyMap } from "../core/properties";
import { formatJvmBytes } from "../core/quantities";
import { taskPodPorts, taskTemplateMount } from "../plan/layout";
import { TaskPodTuning } from "../plan/task-pod-tuning";
export { TaskPodTuning, tuneTaskPod } from "../plan/task-pod-tuning";
export { leaderElectionConfigMaps } from "../plan/names";
export { kubernetesExtensions, podIdentityEnv, taskPodPorts, taskTemplateMount, taskContainerName } from "../plan/layout";

// Kubernetes-native Druid, as pure functions: discovery and leader election through the Kubernetes
// API (druid-kubernetes-extensions, apache/druid docs/development/extensions-core/kubernetes.md)
// and tasks as Kubernetes Jobs (druid-kubernetes-overlord-extensions,
// docs/development/extensions-core/k8s-jobs.md). Druid calls both experimental.

/**
 * common.runtime.properties of a ZooKeeper-less cluster (kubernetes.md, "Configuration": "must be
 * set on all Druid nodes"): no ZooKeeper, HTTP segment and task management, discovery through
 * pod labels and annotations. `druid.indexer.runner.type` is the Overlord's (httpRemote or k8s),
 * never ZooKeeper's `remote`: see `overlordRunnerProperties`.
 */
export function kubernetesDiscoveryProperties(clusterIdentifier: string, leaderElection?: LeaderElectionTiming): PropertyMap {
    return {
        "druid.zk.service.enabled": "false",
        "druid.discovery.type": "k8s",
        "druid.discovery.k8s.clusterIdentifier": clusterIdentifier,
        "druid.serverview.type": "http",
        "druid.coordinator.loadqueuepeon.type": "http",
        ...(leaderElection !== undefined ? leaderElectionProperties(leaderElection) : {}),
    };
}

/** Leader-election timing in seconds. */
export interface LeaderElectionTiming {
    leaseDurationSeconds: number;
    renewDeadlineSeconds: number;
    retryPeriodSeconds: number;
}

/**
 * The leader-election timing as Druid reads it: `druid.discovery.k8s.leaseDuration`,
 * `renewDeadline` and `retryPeriod` (apache/druid@druid-37.0.0 extensions-core/kubernetes-extensions/
 * src/main/java/org/apache/druid/k8s/discovery/K8sDiscoveryConfig.java:71-73, Joda `Duration`s,
 * which Jackson reads from ISO-8601 text; docs/development/extensions-core/kubernetes.md gives
 * the defaults as PT60S, PT17S, PT5S). DefaultK8sLeaderElectorFactory.create passes them to the
 * Kubernetes client's LeaderElectionConfig.
 */
export function leaderElectionProperties(t: LeaderElectionTiming): PropertyMap {
    return {
        "druid.discovery.k8s.leaseDuration": `PT${t.leaseDurationSeconds}S`,
        "druid.discovery.k8s.renewDeadline": `PT${t.renewDeadlineSeconds}S`,
        "druid.discovery.k8s.retryPeriod": `PT${t.retryPeriodSeconds}S`,
    };
}

/** What the Overlord needs to run tasks as Jobs. */
export interface KubernetesJobsRunner {
    namespace: string;
    /** `druid.indexer.runner.capacity`. */
    capacity: number;
}

/**
 * The Overlord's runner: Kubernetes Jobs from the custom pod template (k8s-jobs.md, "Configuration"
 * and "Custom Template Pod Adapter"), or Druid's default HTTP worker runner.
 */
export function overlordRunnerProperties(jobs: KubernetesJobsRunner | undefined): PropertyMap {
    if (jobs === undefined) return { "druid.indexer.runner.type": "httpRemote" };
    return {
        "druid.indexer.runner.type": "k8s",
        "druid.indexer.runner.namespace": jobs.namespace,
        "druid.indexer.runner.capacity": String(jobs.capacity),
        "druid.indexer.runner.k8s.adapter.type": "customTemplateAdapter",
        "druid.indexer.runner.k8s.podTemplate.base": taskTemplateMount.path,
        "druid.indexer.task.encapsulatedTask": "true",
        // PodTemplateTaskAdapter.getEnv gives each task pod TASK_DIR = taskConfig.getBaseDir(), the
        // Overlord's druid.indexer.task.baseDir (default java.io.tmpdir, in the unsized var emptyDir),
        // not baseTaskDir (config/druid-versions.ts `taskPodEnv`). The template mounts the task's sized
        // scratch volume there; the Overlord mounts a writable volume at the same path, because its
        // own TaskConfig resolves its directories under baseDir.
        "druid.indexer.task.baseDir": druidPaths.taskDir,
        "druid.indexer.task.baseTaskDir": druidPaths.taskDir,
    };
}

/** Shuffle data of parallel ingestion goes through deep storage when no MiddleManager holds it (k8s-jobs.md). */
export const kubernetesJobsCommonProperties: PropertyMap = { "druid.processing.intermediaryData.storage.type": "deepstore" };

/** What a task pod's runtime.properties needs. */
export interface TaskPodConfigInput {
    tuning: TaskPodTuning;
    tls: boolean;
    overrides: PropertyMap;
}

/**
 * The Peon's runtime.properties in a task pod (k8s-jobs.md, "Custom Template Pod Adapter": the
 * properties "passed to the Job's peon process"). peon.sh reads it from the Overlord's
 * configuration directory (distribution/docker/peon.sh: `SERVICE="overlord"`).
 */
export function taskPodRuntimeProperties(t: TaskPodConfigInput): PropertyMap {
    return {
        "druid.service": "druid/peon",
        ...(t.tls ? { "druid.tlsPort": String(taskPodPorts.tls) } : { "druid.plaintextPort": String(taskPodPorts.plaintext) }),
        "druid.peon.mode": "remote",
        "druid.indexer.runner.type": "k8s",
        "druid.indexer.task.encapsulatedTask": "true",
        // The Peon's own scratch space (TaskConfig's baseDir and the directories under it) on the sized
        // task volume, where TASK_DIR also is; without it they default to java.io.tmpdir in var.
        "druid.indexer.task.baseDir": druidPaths.taskDir,
        "druid.server.http.numThreads": "60",
        "druid.processing.numThreads": String(t.tuning.processing.numThreads),
        "druid.processing.numMergeBuffers": String(t.tuning.processing.numMergeBuffers),
        "druid.processing.buffer.sizeBytes": String(t.tuning.processing.bufferSizeBytes),
        "druid.processing.tmpDir": `${druidPaths.tmp}/processing`,
        ...t.overrides,
    };
}

/**
 * The Peon's jvm.config in a task pod; a -Xmx/-Xms/MaxDirectMemorySize in `extra` replaces the derived one.
 * No supported release's peon.sh reads it (config/druid-versions.ts `peonSh.readsJvmConfig`): the
 * task pod template passes the same flags as JAVA_OPTS (`taskPodJavaOpts`).
 */
export function taskPodJvmConfig(t: TaskPodTuning, extra: string[]): string {
    const has = (prefix: string) => extra.some((f) => f.startsWith(prefix));
    const flags = ["-server"];
    if (!has("-Xms")) flags.push(`-Xms${formatJvmBytes(t.heapBytes)}`);
    if (!has("-Xmx")) flags.push(`-Xmx${formatJvmBytes(t.heapBytes)}`);
    if (!has("-XX:MaxDirectMemorySize")) flags.push(`-XX:MaxDirectMemorySize=${formatJvmBytes(t.directBytes)}`);
    return [...flags, ...commonJvmFlags, ...extra].join("\n") + "\n";
}

/**
 * JAVA_OPTS of a task pod: the flags of its rendered jvm.config, space-separated. peon.sh runs
 * `exec bin/run-java ${JAVA_OPTS} …` (config/druid-versions.ts `peonSh`), so the shell splits the
 * value at whitespace; no flag holds any (jvm-options.ts checkJvmOptionForms).
 */
export function taskPodJavaOpts(jvmConfigText: string): string {
    return jvmConfigText.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")).join(" ");
}

