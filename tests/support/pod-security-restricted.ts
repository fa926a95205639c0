/*
 * Pod Security Standards checker: "baseline" and "restricted" profiles, field by field.
 *
 * Spec: kubernetes/website, content/en/docs/concepts/security/pod-security-standards.md,
 * the page as published for Kubernetes v1.34 (release-1.34 docs, which add the
 * "Host Probes / Lifecycle Hooks (v1.34+)" baseline control).
 * Exact allowed values, pod/container inheritance and which restricted checks replace
 * which baseline checks follow the Pod Security Admission code in kubernetes/kubernetes,
 * staging/src/k8s.io/pod-security-admission/policy/ (tag kubernetes-1.34.0), evaluated
 * as the enforce-version "v1.34". Each `rule` is the PSA check ID. Where the code is
 * ahead of the page, the code wins:
 *   - sysctls: net.ipv4.tcp_rmem and net.ipv4.tcp_wmem are allowed since v1.32;
 *   - restricted volume types: `image` volumes are allowed since v1.33.
 * Not covered: metadata annotations (the legacy AppArmor/seccomp annotations); only the
 * pod spec is read. The user-namespace relaxations (hostUsers: false) are not applied:
 * in v1.34 they sit behind an alpha feature gate that is off by default.
 */

export interface Violation { rule: string; path: string; message: string }

export interface CommonSecurityContextLike {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seccompProfile?: { type?: string; localhostProfile?: string };
  appArmorProfile?: { type?: string; localhostProfile?: string };
  seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
  windowsOptions?: { hostProcess?: boolean };
}
export interface SecurityContextLike extends CommonSecurityContextLike {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  procMount?: string;
  capabilities?: { add?: string[]; drop?: string[] };
}
export interface PodSecurityContextLike extends CommonSecurityContextLike {
  sysctls?: { name?: string; value?: string }[];
}
export interface HandlerLike { httpGet?: { host?: string }; tcpSocket?: { host?: string } }
export interface ContainerLike {
  name?: string;
  image?: string;
  securityContext?: SecurityContextLike;
  ports?: { containerPort?: number; hostPort?: number }[];
  livenessProbe?: HandlerLike;
  readinessProbe?: HandlerLike;
  startupProbe?: HandlerLike;
  lifecycle?: { postStart?: HandlerLike; preStop?: HandlerLike };
}
/** One volume: `name` plus exactly one source field (emptyDir, secret, hostPath, nfs, ...). */
export interface VolumeLike { name?: string; [source: string]: unknown }
export interface PodSpecLike {
  os?: { name?: string };
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: PodSecurityContextLike;
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  ephemeralContainers?: ContainerLike[];
  volumes?: VolumeLike[];
}

// Allowed values (PSA v1.34).
const BASELINE_CAPABILITIES = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
  "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);
const SAFE_SYSCTLS = new Set(["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const PROFILE_TYPES = new Set(["RuntimeDefault", "Localhost"]); // seccomp and AppArmor
const RESTRICTED_VOLUME_SOURCES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image",
  "persistentVolumeClaim", "projected", "secret"];

type Check = (spec: PodSpecLike) => Violation[];
const isSet = (value: unknown): boolean => value !== undefined && value !== null;
const v = (rule: string, path: string, message: string): Violation => ({ rule, path, message });
const isWindows = (spec: PodSpecLike): boolean => spec.os?.name === "windows";

/** Every container (regular, init, ephemeral) with its path, e.g. "spec.initContainers[1]". */
function containers(spec: PodSpecLike): { c: ContainerLike; path: string }[] {
  const fields = ["containers", "initContainers", "ephemeralContainers"] as const;
  return fields.flatMap((field) => (spec[field] ?? []).map((c, i) => ({ c, path: `spec.${field}[${i}]` })));
}

/** Pod-level security context first, then each container's, with their paths. */
function contexts(spec: PodSpecLike): { sc: CommonSecurityContextLike | undefined; path: string }[] {
  return [{ sc: spec.securityContext, path: "spec.securityContext" },
    ...containers(spec).map(({ c, path }) => ({ sc: c.securityContext, path: `${path}.securityContext` }))];
}

// ---------------------------------------------------------------- baseline
const baseline: Record<string, Check> = {
  windowsHostProcess: (spec) => contexts(spec).filter(({ sc }) => sc?.windowsOptions?.hostProcess === true)
    .map(({ path }) => v("windowsHostProcess", `${path}.windowsOptions.hostProcess`, "HostProcess containers are not allowed")),

  hostNamespaces: (spec) => (["hostNetwork", "hostPID", "hostIPC"] as const).filter((f) => spec[f] === true)
    .map((f) => v("hostNamespaces", `spec.${f}`, `${f}=true shares a host namespace`)),

  privileged: (spec) => containers(spec).filter(({ c }) => c.securityContext?.privileged === true)
    .map(({ path }) => v("privileged", `${path}.securityContext.privileged`, "privileged=true is not allowed")),

  capabilities_baseline: (spec) => containers(spec).flatMap(({ c, path }) =>
    (c.securityContext?.capabilities?.add ?? []).flatMap((cap, j) => BASELINE_CAPABILITIES.has(cap) ? []
      : [v("capabilities_baseline", `${path}.securityContext.capabilities.add[${j}]`, `capability ${cap} is beyond the baseline set`)])),

  hostPathVolumes: (spec) => (spec.volumes ?? []).flatMap((vol, i) => isSet(vol.hostPath)
    ? [v("hostPathVolumes", `spec.volumes[${i}].hostPath`, `volume ${vol.name ?? i} is a hostPath volume`)] : []),

  hostPorts: (spec) => containers(spec).flatMap(({ c, path }) => (c.ports ?? []).flatMap((port, j) =>
    isSet(port.hostPort) && port.hostPort !== 0
      ? [v("hostPorts", `${path}.ports[${j}].hostPort`, `hostPort ${port.hostPort} is not allowed`)] : [])),

  hostProbesAndHostLifecycle: (spec) => containers(spec).flatMap(({ c, path }) => {
    const handlers: [string, HandlerLike | undefined][] = [["livenessProbe", c.livenessProbe],
      ["readinessProbe", c.readinessProbe], ["startupProbe", c.startupProbe],
      ["lifecycle.postStart", c.lifecycle?.postStart], ["lifecycle.preStop", c.lifecycle?.preStop]];
    return handlers.flatMap(([name, h]) => (["httpGet", "tcpSocket"] as const).flatMap((kind) => {
      const host = h?.[kind]?.host;
      return host ? [v("hostProbesAndHostLifecycle", `${path}.${name}.${kind}.host`, `host "${host}" must be unset`)] : [];
    }));
  }),

  appArmorProfile: (spec) => contexts(spec).flatMap(({ sc, path }) =>
    isSet(sc?.appArmorProfile) && !PROFILE_TYPES.has(sc?.appArmorProfile?.type ?? "")
      ? [v("appArmorProfile", `${path}.appArmorProfile.type`, `AppArmor profile type ${sc?.appArmorProfile?.type} is not allowed`)] : []),

  seLinuxOptions: (spec) => contexts(spec).flatMap(({ sc, path }) => {
    const opts = sc?.seLinuxOptions;
    const out: Violation[] = [];
    if (opts && !SELINUX_TYPES.has(opts.type ?? "")) {
      out.push(v("seLinuxOptions", `${path}.seLinuxOptions.type`, `SELinux type ${opts.type} is not allowed`));
    }
    if (opts?.user) out.push(v("seLinuxOptions", `${path}.seLinuxOptions.user`, "SELinux user must not be set"));
    if (opts?.role) out.push(v("seLinuxOptions", `${path}.seLinuxOptions.role`, "SELinux role must not be set"));
    return out;
  }),

  procMount: (spec) => containers(spec).flatMap(({ c, path }) => {
    const procMount = c.securityContext?.procMount;
    return isSet(procMount) && procMount !== "Default"
      ? [v("procMount", `${path}.securityContext.procMount`, `procMount ${procMount} is not allowed`)] : [];
  }),

  seccompProfile_baseline: (spec) => contexts(spec).flatMap(({ sc, path }) =>
    isSet(sc?.seccompProfile) && !PROFILE_TYPES.has(sc?.seccompProfile?.type ?? "")
      ? [v("seccompProfile_baseline", `${path}.seccompProfile.type`, `seccomp profile type ${sc?.seccompProfile?.type} is not allowed`)] : []),

  sysctls: (spec) => (spec.securityContext?.sysctls ?? []).flatMap((s, i) => SAFE_SYSCTLS.has(s.name ?? "") ? []
    : [v("sysctls", `spec.securityContext.sysctls[${i}].name`, `sysctl ${s.name} is not in the safe set`)]),
};

// -------------------------------------------------------------- restricted
/** Restricted checks; `overrides` names the baseline check each one replaces (as PSA does). */
const restricted: { id: string; overrides?: string; check: Check }[] = [
  { id: "restrictedVolumes", overrides: "hostPathVolumes", check: (spec) => (spec.volumes ?? []).flatMap((vol, i) => {
    if (RESTRICTED_VOLUME_SOURCES.some((src) => isSet(vol[src]))) return [];
    const source = Object.keys(vol).find((k) => k !== "name" && isSet(vol[k]));
    const path = source ? `spec.volumes[${i}].${source}` : `spec.volumes[${i}]`;
    return [v("restrictedVolumes", path, `volume ${vol.name ?? i} uses restricted volume type ${source ?? "unknown"}`)];
  }) },

  { id: "allowPrivilegeEscalation", check: (spec) => isWindows(spec) ? [] : containers(spec)
    .filter(({ c }) => c.securityContext?.allowPrivilegeEscalation !== false)
    .map(({ path }) => v("allowPrivilegeEscalation", `${path}.securityContext.allowPrivilegeEscalation`, "must be set to false")) },

  // Pod-level true covers containers that leave it unset; an explicit false anywhere violates.
  { id: "runAsNonRoot", check: (spec) => {
    const pod = spec.securityContext?.runAsNonRoot;
    const out = pod === false ? [v("runAsNonRoot", "spec.securityContext.runAsNonRoot", "must not be false")] : [];
    for (const { c, path } of containers(spec)) {
      const own = c.securityContext?.runAsNonRoot;
      const where = `${path}.securityContext.runAsNonRoot`;
      if (own === false) out.push(v("runAsNonRoot", where, "must not be false"));
      else if (!isSet(own) && pod !== true) out.push(v("runAsNonRoot", where, "must be true here or at pod level"));
    }
    return out;
  } },

  { id: "runAsUser", check: (spec) => contexts(spec).filter(({ sc }) => sc?.runAsUser === 0)
    .map(({ path }) => v("runAsUser", `${path}.runAsUser`, "runAsUser must not be 0")) },

  // Pod-level RuntimeDefault/Localhost covers containers that leave it unset; a bad explicit value anywhere violates.
  { id: "seccompProfile_restricted", overrides: "seccompProfile_baseline", check: (spec) => {
    if (isWindows(spec)) return [];
    const out: Violation[] = [];
    const pod = spec.securityContext?.seccompProfile;
    const podValid = isSet(pod) && PROFILE_TYPES.has(pod?.type ?? "");
    if (isSet(pod) && !podValid) {
      out.push(v("seccompProfile_restricted", "spec.securityContext.seccompProfile.type", `seccomp profile type ${pod?.type} is not allowed`));
    }
    for (const { c, path } of containers(spec)) {
      const own = c.securityContext?.seccompProfile;
      const where = `${path}.securityContext.seccompProfile.type`;
      if (isSet(own) && !PROFILE_TYPES.has(own?.type ?? "")) {
        out.push(v("seccompProfile_restricted", where, `seccomp profile type ${own?.type} is not allowed`));
      } else if (!isSet(own) && !podValid) {
        out.push(v("seccompProfile_restricted", where, "must be RuntimeDefault or Localhost here or at pod level"));
      }
    }
    return out;
  } },

  { id: "capabilities_restricted", overrides: "capabilities_baseline", check: (spec) => isWindows(spec) ? []
    : containers(spec).flatMap(({ c, path }) => {
      const caps = c.securityContext?.capabilities;
      const out = (caps?.drop ?? []).includes("ALL") ? []
        : [v("capabilities_restricted", `${path}.securityContext.capabilities.drop`, 'must include "ALL"')];
      (caps?.add ?? []).forEach((cap, j) => {
        if (cap !== "NET_BIND_SERVICE") {
          out.push(v("capabilities_restricted", `${path}.securityContext.capabilities.add[${j}]`, `capability ${cap} may not be added`));
        }
      });
      return out;
    }) },
];

/** Violations of the Baseline profile. An empty list means the pod spec is compliant. */
export function checkBaseline(spec: PodSpecLike): Violation[] {
  return Object.values(baseline).flatMap((check) => check(spec));
}

/** Violations of the Restricted profile (Baseline included). An empty list means compliant. */
export function checkRestricted(spec: PodSpecLike): Violation[] {
  const replaced = new Set(restricted.map((r) => r.overrides));
  return [
    ...Object.entries(baseline).filter(([id]) => !replaced.has(id)).flatMap(([, check]) => check(spec)),
    ...restricted.flatMap((r) => r.check(spec)),
  ];
}
