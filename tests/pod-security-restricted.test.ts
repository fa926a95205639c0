import assert from "node:assert/strict";
import { checkBaseline, checkRestricted, type PodSpecLike, type Violation } from "./support/pod-security-restricted";

/** A pod that satisfies the Restricted profile with the least configuration. */
function compliantPod(): PodSpecLike {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{
      name: "app",
      image: "example/app:1",
      ports: [{ containerPort: 8080 }],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    }],
    volumes: [{ name: "tmp", emptyDir: {} }],
  };
}

const podSc = (pod: PodSpecLike) => (pod.securityContext ??= {});
const app = (pod: PodSpecLike) => (pod.containers ??= [{}])[0];
const appSc = (pod: PodSpecLike) => (app(pod).securityContext ??= {});
const initContainer = () => ({ name: "init", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } });
const rulesAndPaths = (vs: Violation[]) => vs.map(({ rule, path }) => ({ rule, path }));

interface Case {
  name: string;
  mutate: (pod: PodSpecLike) => void;
  rule: string;
  path: string;
  /** Defaults to checkRestricted; checkBaseline for checks the Restricted profile replaces. */
  check?: (spec: PodSpecLike) => Violation[];
}

const cases: Case[] = [
  // ---- Baseline
  { name: "pod-level HostProcess", rule: "windowsHostProcess", path: "spec.securityContext.windowsOptions.hostProcess",
    mutate: (p) => { podSc(p).windowsOptions = { hostProcess: true }; } },
  { name: "container-level HostProcess", rule: "windowsHostProcess", path: "spec.containers[0].securityContext.windowsOptions.hostProcess",
    mutate: (p) => { appSc(p).windowsOptions = { hostProcess: true }; } },
  { name: "hostNetwork", rule: "hostNamespaces", path: "spec.hostNetwork", mutate: (p) => { p.hostNetwork = true; } },
  { name: "hostPID", rule: "hostNamespaces", path: "spec.hostPID", mutate: (p) => { p.hostPID = true; } },
  { name: "hostIPC", rule: "hostNamespaces", path: "spec.hostIPC", mutate: (p) => { p.hostIPC = true; } },
  { name: "privileged container", rule: "privileged", path: "spec.containers[0].securityContext.privileged",
    mutate: (p) => { appSc(p).privileged = true; } },
  { name: "capability beyond the baseline set", rule: "capabilities_baseline", check: checkBaseline,
    path: "spec.containers[0].securityContext.capabilities.add[1]",
    mutate: (p) => { appSc(p).capabilities = { add: ["CHOWN", "NET_ADMIN"] }; } },
  { name: "hostPath volume (baseline)", rule: "hostPathVolumes", path: "spec.volumes[1].hostPath", check: checkBaseline,
    mutate: (p) => { p.volumes?.push({ name: "host", hostPath: { path: "/var/run" } }); } },
  { name: "hostPort", rule: "hostPorts", path: "spec.containers[0].ports[0].hostPort",
    mutate: (p) => { app(p).ports = [{ containerPort: 8080, hostPort: 8080 }]; } },
  { name: "probe host", rule: "hostProbesAndHostLifecycle", path: "spec.containers[0].livenessProbe.httpGet.host",
    mutate: (p) => { app(p).livenessProbe = { httpGet: { host: "10.0.0.1" } }; } },
  { name: "lifecycle hook host", rule: "hostProbesAndHostLifecycle", path: "spec.containers[0].lifecycle.preStop.tcpSocket.host",
    mutate: (p) => { app(p).lifecycle = { preStop: { tcpSocket: { host: "metadata.internal" } } }; } },
  { name: "AppArmor Unconfined", rule: "appArmorProfile", path: "spec.securityContext.appArmorProfile.type",
    mutate: (p) => { podSc(p).appArmorProfile = { type: "Unconfined" }; } },
  { name: "SELinux type", rule: "seLinuxOptions", path: "spec.containers[0].securityContext.seLinuxOptions.type",
    mutate: (p) => { appSc(p).seLinuxOptions = { type: "spc_t" }; } },
  { name: "SELinux user", rule: "seLinuxOptions", path: "spec.securityContext.seLinuxOptions.user",
    mutate: (p) => { podSc(p).seLinuxOptions = { type: "container_t", user: "system_u" }; } },
  { name: "SELinux role", rule: "seLinuxOptions", path: "spec.securityContext.seLinuxOptions.role",
    mutate: (p) => { podSc(p).seLinuxOptions = { role: "system_r" }; } },
  { name: "unmasked /proc", rule: "procMount", path: "spec.containers[0].securityContext.procMount",
    mutate: (p) => { appSc(p).procMount = "Unmasked"; } },
  { name: "seccomp Unconfined (baseline)", rule: "seccompProfile_baseline", check: checkBaseline,
    path: "spec.containers[0].securityContext.seccompProfile.type",
    mutate: (p) => { appSc(p).seccompProfile = { type: "Unconfined" }; } },
  { name: "unsafe sysctl", rule: "sysctls", path: "spec.securityContext.sysctls[1].name",
    mutate: (p) => { podSc(p).sysctls = [{ name: "net.ipv4.tcp_syncookies", value: "1" }, { name: "kernel.msgmax", value: "1" }]; } },

  // ---- Restricted
  { name: "nfs volume", rule: "restrictedVolumes", path: "spec.volumes[1].nfs",
    mutate: (p) => { p.volumes?.push({ name: "share", nfs: { server: "nfs", path: "/" } }); } },
  { name: "hostPath volume (restricted replaces hostPathVolumes)", rule: "restrictedVolumes", path: "spec.volumes[1].hostPath",
    mutate: (p) => { p.volumes?.push({ name: "host", hostPath: { path: "/" } }); } },
  { name: "allowPrivilegeEscalation unset", rule: "allowPrivilegeEscalation",
    path: "spec.containers[0].securityContext.allowPrivilegeEscalation",
    mutate: (p) => { delete appSc(p).allowPrivilegeEscalation; } },
  { name: "allowPrivilegeEscalation true in an init container", rule: "allowPrivilegeEscalation",
    path: "spec.initContainers[0].securityContext.allowPrivilegeEscalation",
    mutate: (p) => { const c = initContainer(); c.securityContext.allowPrivilegeEscalation = true; p.initContainers = [c]; } },
  { name: "runAsNonRoot false on a container overrides pod-level true", rule: "runAsNonRoot",
    path: "spec.containers[0].securityContext.runAsNonRoot", mutate: (p) => { appSc(p).runAsNonRoot = false; } },
  { name: "runAsNonRoot set neither on pod nor container", rule: "runAsNonRoot",
    path: "spec.containers[0].securityContext.runAsNonRoot", mutate: (p) => { delete podSc(p).runAsNonRoot; } },
  { name: "runAsNonRoot false on pod even if every container sets true", rule: "runAsNonRoot",
    path: "spec.securityContext.runAsNonRoot", mutate: (p) => { podSc(p).runAsNonRoot = false; appSc(p).runAsNonRoot = true; } },
  { name: "runAsUser 0 on pod", rule: "runAsUser", path: "spec.securityContext.runAsUser",
    mutate: (p) => { podSc(p).runAsUser = 0; } },
  { name: "runAsUser 0 on container", rule: "runAsUser", path: "spec.containers[0].securityContext.runAsUser",
    mutate: (p) => { appSc(p).runAsUser = 0; } },
  { name: "seccomp set neither on pod nor container", rule: "seccompProfile_restricted",
    path: "spec.containers[0].securityContext.seccompProfile.type", mutate: (p) => { delete podSc(p).seccompProfile; } },
  { name: "seccomp Unconfined on container overrides pod RuntimeDefault", rule: "seccompProfile_restricted",
    path: "spec.containers[0].securityContext.seccompProfile.type",
    mutate: (p) => { appSc(p).seccompProfile = { type: "Unconfined" }; } },
  { name: "seccomp Unconfined on pod even if every container sets Localhost", rule: "seccompProfile_restricted",
    path: "spec.securityContext.seccompProfile.type",
    mutate: (p) => { podSc(p).seccompProfile = { type: "Unconfined" }; appSc(p).seccompProfile = { type: "Localhost", localhostProfile: "x.json" }; } },
  { name: "capabilities without drop ALL", rule: "capabilities_restricted", path: "spec.containers[0].securityContext.capabilities.drop",
    mutate: (p) => { appSc(p).capabilities = { drop: ["NET_RAW"] }; } },
  { name: "capability other than NET_BIND_SERVICE added", rule: "capabilities_restricted",
    path: "spec.containers[0].securityContext.capabilities.add[1]",
    mutate: (p) => { appSc(p).capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE", "CHOWN"] }; } },
];

describe("Pod Security Standards checker", () => {
  it("accepts the compliant pod under both profiles", () => {
    assert.deepEqual(checkRestricted(compliantPod()), []);
    assert.deepEqual(checkBaseline(compliantPod()), []);
  });

  for (const c of cases) {
    it(`${c.rule}: ${c.name}`, () => {
      const pod = compliantPod();
      c.mutate(pod);
      assert.deepEqual(rulesAndPaths((c.check ?? checkRestricted)(pod)), [{ rule: c.rule, path: c.path }]);
    });
  }

  it("accepts runAsNonRoot and seccomp set on every container instead of the pod", () => {
    const pod = compliantPod();
    pod.securityContext = {};
    Object.assign(appSc(pod), { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    pod.initContainers = [{ ...initContainer(), securityContext: { ...initContainer().securityContext, runAsNonRoot: true, seccompProfile: { type: "Localhost" } } }];
    assert.deepEqual(checkRestricted(pod), []);
  });

  it("accepts every allowed value", () => {
    const pod = compliantPod();
    Object.assign(podSc(pod), {
      appArmorProfile: { type: "RuntimeDefault" },
      seLinuxOptions: { type: "container_t", level: "s0:c1,c2" },
      sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }, { name: "net.ipv4.tcp_keepalive_time", value: "60" },
        { name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" }], // PSA allows tcp_rmem/tcp_wmem since v1.32
    });
    Object.assign(appSc(pod), {
      capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
      appArmorProfile: { type: "Localhost", localhostProfile: "k8s-app" },
      procMount: "Default", privileged: false, runAsUser: 1001,
    });
    app(pod).ports = [{ containerPort: 80, hostPort: 0 }];
    app(pod).readinessProbe = { httpGet: { host: "" } };
    pod.volumes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
      "image"] // `image` is allowed by the PSA code since v1.33, though the v1.34 page does not list it
      .map((source) => ({ name: source.toLowerCase(), [source]: {} }));
    assert.deepEqual(checkRestricted(pod), []);
  });

  it("baseline accepts a bare pod that restricted rejects", () => {
    const pod: PodSpecLike = { containers: [{ name: "app", image: "example/app:1" }] };
    assert.deepEqual(checkBaseline(pod), []);
    assert.deepEqual(checkRestricted(pod).map((v) => v.rule).sort(),
      ["allowPrivilegeEscalation", "capabilities_restricted", "runAsNonRoot", "seccompProfile_restricted"]);
  });

  it("relaxes the Linux-only restricted controls for Windows pods", () => {
    const pod: PodSpecLike = { os: { name: "windows" }, securityContext: { runAsNonRoot: true }, containers: [{ name: "app" }] };
    assert.deepEqual(checkRestricted(pod), []);
  });

  it("checks ephemeral containers too", () => {
    const pod = compliantPod();
    pod.ephemeralContainers = [{ name: "debug", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, privileged: true } }];
    assert.deepEqual(rulesAndPaths(checkRestricted(pod)), [{ rule: "privileged", path: "spec.ephemeralContainers[0].securityContext.privileged" }]);
  });
});
