import * as k8s from "@pulumi/kubernetes";
import { ContainerSecurityContext, Lifecycle, PlacementArgs, Probe } from "./args-placement";

// Kubernetes-shaped arguments, re-exported by args.ts: resources, scheduling, volumes and sidecar
// containers of a Druid service's pods (subsets of Kubernetes' core/v1 types, with the same field
// names), what a platform team adds to one service's pods (PodExtrasArgs) or to every object and pod
// of the cluster (Kubernetes), and what happens to StatefulSet volumes. Checked in resolve.ts,
// resolve-sidecar.ts and resolve-customization.ts.

/** What happens to a StatefulSet's volumes when it is deleted or scaled down. */
export const VolumeRetention = { Retain: "Retain", Delete: "Delete" } as const;

/** What happens to a StatefulSet's volumes when it is deleted or scaled down. */
export type VolumeRetention = (typeof VolumeRetention)[keyof typeof VolumeRetention];

/**
 * Container resources of one Druid or ZooKeeper pod: `cpu` and `memory` are the limits, and the
 * requests unless `cpuRequest`/`memoryRequest` are given (requests equal to limits: Guaranteed QoS).
 * Druid's heap, direct memory and thread pools are always sized from the limits.
 */
export interface Resources {
    /** CPU cores, as a Kubernetes quantity ("2", "500m"): the limit. Druid's thread pools are derived from it. */
    cpu: string;
    /** Memory, as a Kubernetes quantity ("8Gi"): the limit. Heap and direct memory are derived from it. */
    memory: string;
    /**
     * CPU request, at most `cpu` (Druid services and sidecars only; the pod is then Burstable QoS).
     * Default: `cpu`.
     */
    cpuRequest?: string;
    /**
     * Memory request, at most `memory` (Druid services and sidecars only). Below the limit the node
     * may be overcommitted: the JVM still takes the heap and direct memory sized from the limit, so
     * the pod can be OOM-killed or evicted under node memory pressure. Default: `memory`.
     */
    memoryRequest?: string;
}

/** Scheduling options shared by every workload. */
export interface Scheduling {
    /** Node selector labels for the pods. Default: none. */
    nodeSelector?: { [key: string]: string };
    /** Tolerations for the pods. Default: none. */
    tolerations?: Toleration[];
}

/** A Kubernetes toleration. */
export interface Toleration {
    /** Taint key. */
    key?: string;
    /** "Equal" or "Exists". Default "Equal". */
    operator?: string;
    /** Taint value. */
    value?: string;
    /** "NoSchedule", "PreferNoSchedule" or "NoExecute". Default: all effects. */
    effect?: string;
}

/**
 * A volume of a pod: only the sources Pod Security "restricted" allows (configMap, secret,
 * emptyDir, persistentVolumeClaim, csi), one per volume.
 */
export interface Volume {
    /** Volume name (a DNS label), unique in the pod and not one of the component's own volumes. */
    name: string;
    /** A ConfigMap's keys as files. */
    configMap?: k8s.types.input.core.v1.ConfigMapVolumeSource;
    /** A Secret's keys as files. */
    secret?: k8s.types.input.core.v1.SecretVolumeSource;
    /** Scratch space that lives as long as the pod. */
    emptyDir?: k8s.types.input.core.v1.EmptyDirVolumeSource;
    /** An existing claim (ReadWriteMany or ReadOnlyMany for a workload with several pods). */
    persistentVolumeClaim?: k8s.types.input.core.v1.PersistentVolumeClaimVolumeSource;
    /** A CSI inline volume (e.g. the Secrets Store CSI driver). */
    csi?: k8s.types.input.core.v1.CSIVolumeSource;
}

/** A container port of a sidecar. */
export interface ContainerPort {
    /** Port name (an IANA service name, at most 15 characters). Default: none. */
    name?: string;
    /** Port number, 1-65535, not one of the Druid container's ports. */
    containerPort: number;
    /** "TCP" (default), "UDP" or "SCTP". */
    protocol?: string;
}

/**
 * A sidecar or init container, the common subset of a Kubernetes container (the schema analyzer
 * cannot type `k8s.types.input.core.v1.Container`: its probes hold int-or-string ports). It runs
 * with the pod's security context and the "restricted" container security context the component
 * gives every container (non-root, read-only root filesystem, no capabilities). For anything else,
 * see "Customising the Kubernetes objects" in docs/customization.md (Pulumi transforms).
 */
export interface Container {
    /** Container name (a DNS label), unique in the pod and not "druid". */
    name: string;
    /** Image, with its tag or digest. */
    image: string;
    /** Entrypoint. Default: the image's. */
    command?: string[];
    /** Arguments. Default: the image's. */
    args?: string[];
    /** Environment variables. Default: none. */
    env?: k8s.types.input.core.v1.EnvVar[];
    /** Ports (sidecars only). Default: none. */
    ports?: ContainerPort[];
    /** CPU and memory, as requests and limits. Default: none (the pod is then no longer Guaranteed QoS). */
    resources?: Resources;
    /** Mounts of the pod's volumes: this service's `volumes`, or the component's `tmp`, `var` and data volume. Default: none. */
    volumeMounts?: k8s.types.input.core.v1.VolumeMount[];
    /** Readiness probe (sidecars only). Default: none. */
    readinessProbe?: Probe;
    /** Liveness probe (sidecars only). Default: none. */
    livenessProbe?: Probe;
    /** Startup probe (sidecars only). Default: none. */
    startupProbe?: Probe;
    /** postStart and preStop hooks (sidecars only). Default: none. */
    lifecycle?: Lifecycle;
    /** Security context laid over the component's "restricted" one; what Pod Security "restricted" refuses is refused. Default: the component's. */
    securityContext?: ContainerSecurityContext;
}

/** What a platform team adds to one service's pods, and where they run. */
export interface PodExtrasArgs extends PlacementArgs {
    /** Pod priority class of this service's pods. Default: `kubernetes.priorityClassName`. */
    priorityClassName?: string;
    /** Extra environment variables of the Druid container (not a name the component sets). Default: none. */
    env?: k8s.types.input.core.v1.EnvVar[];
    /** Extra volumes of the pods (mount them with `volumeMounts` or in a sidecar). Default: none. */
    volumes?: Volume[];
    /** Extra mounts in the Druid container, of this service's `volumes` (not over the component's own paths). Default: none. */
    volumeMounts?: k8s.types.input.core.v1.VolumeMount[];
    /** Containers running beside Druid in every pod. Default: none. */
    sidecars?: Container[];
    /** Containers run to completion before Druid starts. Default: none. */
    initContainers?: Container[];
}

/** What a platform team adds to every Kubernetes object and pod of the cluster. */
export interface Kubernetes {
    /** Labels on every Kubernetes object the component creates (not the component's own keys; selectors are never changed). Default: none. */
    labels?: { [key: string]: string };
    /** Annotations on every Kubernetes object the component creates. Default: none. */
    annotations?: { [key: string]: string };
    /** Labels on every pod (Druid, ZooKeeper, task and applier pods). Default: none. */
    podLabels?: { [key: string]: string };
    /** Annotations on every pod. Default: none. */
    podAnnotations?: { [key: string]: string };
    /** Secrets (of type kubernetes.io/dockerconfigjson, in the cluster's namespace) every pod pulls its images with. Default: none. */
    imagePullSecrets?: string[];
    /** Pod priority class of every pod; a service's own `priorityClassName` wins. Default: none. */
    priorityClassName?: string;
}
