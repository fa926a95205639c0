import * as k8s from "@pulumi/kubernetes";
import { Container, ContainerSecurityContext, HttpGetAction, LifecycleHandler, Probe } from "../args";
import { DruidArgumentError } from "../core/errors";
import { shapeOf } from "./validate";

// The probe, lifecycle and security-context fields of a sidecar or init container, checked with the
// API server's rules (kubernetes/kubernetes pkg/apis/core/validation/validation.go: validateProbe,
// validateHandler / validateLifecycleHandler, validateInitContainers: probes and lifecycle "may not
// be set for init containers" without restartPolicy Always) and kept within Pod Security
// "restricted" (staging/src/k8s.io/pod-security-admission/policy/: check_allowPrivilegeEscalation.go,
// check_capabilities_restricted.go, check_runAsNonRoot.go, check_runAsUser.go,
// check_seccompProfile_restricted.go, check_privileged.go), whose checker in
// tests/support/pod-security-restricted.ts runs on rendered pods.

type Obj = Record<string, unknown>;

function checkObject(argument: string, v: unknown, what: string): Obj {
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new DruidArgumentError(argument, shapeOf(v), `must be ${what}`);
    return v as Obj;
}

function checkPort(argument: string, p: unknown): void {
    if (!Number.isInteger(p) || (p as number) < 1 || (p as number) > 65535) throw new DruidArgumentError(argument, p, "must be a port number, 1-65535 (named ports are not supported)");
}

function checkCommand(argument: string, c: unknown): void {
    if (!Array.isArray(c) || c.length === 0 || c.some((x) => typeof x !== "string")) throw new DruidArgumentError(argument, shapeOf(c), "must be a non-empty list of strings");
}

function checkHttpGet(argument: string, h: HttpGetAction): void {
    // No \`host\` field: Pod Security refuses probes and hooks to another host (the shape check refuses the key).
    checkObject(argument, h, "an object { path, port, scheme, httpHeaders }");
    checkPort(`${argument}.port`, h.port);
    if (h.path !== undefined && (typeof h.path !== "string" || !h.path.startsWith("/"))) throw new DruidArgumentError(`${argument}.path`, h.path, "must be an absolute URL path such as \"/healthz\"");
    if (h.scheme !== undefined && h.scheme !== "HTTP" && h.scheme !== "HTTPS") throw new DruidArgumentError(`${argument}.scheme`, h.scheme, "must be \"HTTP\" or \"HTTPS\"");
    (h.httpHeaders ?? []).forEach((x, i) => {
        if (x === null || typeof x !== "object" || typeof x.name !== "string" || !/^[-A-Za-z0-9!#$%&'*+.^_`|~]+$/.test(x.name) || typeof x.value !== "string") {
            throw new DruidArgumentError(`${argument}.httpHeaders[${i}]`, shapeOf(x), "must be { name, value } with an HTTP header name");
        }
    });
}

function exactlyOne(argument: string, o: Obj, kinds: string[]): string {
    const given = kinds.filter((k) => o[k] !== undefined);
    if (given.length !== 1) throw new DruidArgumentError(argument, shapeOf(o), `needs exactly one of ${kinds.join(", ")}`);
    return given[0];
}

function checkProbe(argument: string, p: Probe, kind: "readiness" | "liveness" | "startup"): k8s.types.input.core.v1.Probe {
    const o = checkObject(argument, p, "a probe object");
    const handler = exactlyOne(argument, o, ["exec", "httpGet", "tcpSocket", "grpc"]);
    if (handler === "exec") checkCommand(`${argument}.exec.command`, p.exec?.command);
    if (handler === "httpGet" && p.httpGet !== undefined) checkHttpGet(`${argument}.httpGet`, p.httpGet);
    if (handler === "tcpSocket") checkPort(`${argument}.tcpSocket.port`, p.tcpSocket?.port);
    if (handler === "grpc") checkPort(`${argument}.grpc.port`, p.grpc?.port);
    for (const [key, min] of [["initialDelaySeconds", 0], ["periodSeconds", 1], ["timeoutSeconds", 1], ["successThreshold", 1], ["failureThreshold", 1]] as const) {
        const v = p[key];
        if (v !== undefined && (!Number.isInteger(v) || v < min || v > 86400)) throw new DruidArgumentError(`${argument}.${key}`, v, `must be a whole number from ${min} to 86400`);
    }
    if (kind !== "readiness" && p.successThreshold !== undefined && p.successThreshold !== 1) {
        throw new DruidArgumentError(`${argument}.successThreshold`, p.successThreshold, `must be 1 for a ${kind} probe`);
    }
    return p;
}

function checkHandler(argument: string, h: LifecycleHandler): void {
    const o = checkObject(argument, h, "a hook { exec | httpGet | sleep }");
    const handler = exactlyOne(argument, o, ["exec", "httpGet", "sleep"]);
    if (handler === "exec") checkCommand(`${argument}.exec.command`, h.exec?.command);
    if (handler === "httpGet" && h.httpGet !== undefined) checkHttpGet(`${argument}.httpGet`, h.httpGet);
    const seconds = h.sleep?.seconds;
    if (handler === "sleep" && (seconds === undefined || !Number.isInteger(seconds) || seconds < 1 || seconds > 3600)) {
        throw new DruidArgumentError(`${argument}.sleep.seconds`, seconds, "must be a whole number from 1 to 3600 (and below the pod's termination grace period)");
    }
}

/** The user's security context over the restricted one, refused where Pod Security "restricted" would refuse the pod. */
function securityContext(argument: string, s: ContainerSecurityContext | undefined, base: k8s.types.input.core.v1.SecurityContext): k8s.types.input.core.v1.SecurityContext {
    if (s === undefined) return base;
    checkObject(argument, s, "a security context object");
    if (s.runAsUser !== undefined && (!Number.isInteger(s.runAsUser) || s.runAsUser < 1 || s.runAsUser > 2147483647)) {
        throw new DruidArgumentError(`${argument}.runAsUser`, s.runAsUser, "must be a user id from 1 to 2147483647 (Pod Security \"restricted\" refuses root, 0)");
    }
    if (s.runAsGroup !== undefined && (!Number.isInteger(s.runAsGroup) || s.runAsGroup < 0 || s.runAsGroup > 2147483647)) {
        throw new DruidArgumentError(`${argument}.runAsGroup`, s.runAsGroup, "must be a group id from 0 to 2147483647");
    }
    if (s.runAsNonRoot === false) throw new DruidArgumentError(`${argument}.runAsNonRoot`, false, "must stay true (Pod Security \"restricted\")");
    if (s.allowPrivilegeEscalation === true) throw new DruidArgumentError(`${argument}.allowPrivilegeEscalation`, true, "must stay false (Pod Security \"restricted\")");
    if (s.privileged === true) throw new DruidArgumentError(`${argument}.privileged`, true, "must stay false (Pod Security \"baseline\" and \"restricted\")");
    const add = s.capabilities?.add ?? [];
    add.forEach((c, i) => {
        if (c !== "NET_BIND_SERVICE") throw new DruidArgumentError(`${argument}.capabilities.add[${i}]`, c, "must be \"NET_BIND_SERVICE\", the only capability Pod Security \"restricted\" allows adding");
    });
    const drop = [...new Set(["ALL", ...(s.capabilities?.drop ?? [])])];
    const seccomp = s.seccompProfile;
    if (seccomp !== undefined) {
        if (seccomp.type !== "RuntimeDefault" && seccomp.type !== "Localhost") {
            throw new DruidArgumentError(`${argument}.seccompProfile.type`, seccomp.type, "must be \"RuntimeDefault\" or \"Localhost\" (Pod Security \"restricted\" refuses \"Unconfined\")");
        }
        if ((seccomp.type === "Localhost") !== (seccomp.localhostProfile !== undefined)) {
            throw new DruidArgumentError(`${argument}.seccompProfile.localhostProfile`, seccomp.localhostProfile, "is required with type \"Localhost\" and only with it");
        }
    }
    return {
        ...base,
        ...(s.runAsUser !== undefined ? { runAsUser: s.runAsUser } : {}),
        ...(s.runAsGroup !== undefined ? { runAsGroup: s.runAsGroup } : {}),
        ...(s.readOnlyRootFilesystem !== undefined ? { readOnlyRootFilesystem: s.readOnlyRootFilesystem } : {}),
        capabilities: { ...(add.length > 0 ? { add } : {}), drop },
        ...(seccomp !== undefined ? { seccompProfile: seccomp } : {}),
    };
}

/** Probes, lifecycle and security context of one added container (`sidecar`: probes and hooks allowed). */
export function containerExtras(argument: string, c: Container, sidecar: boolean, base: k8s.types.input.core.v1.SecurityContext): Pick<k8s.types.input.core.v1.Container,
    "readinessProbe" | "livenessProbe" | "startupProbe" | "lifecycle" | "securityContext"> {
    if (!sidecar) {
        for (const key of ["readinessProbe", "livenessProbe", "startupProbe", "lifecycle"] as const) {
            if (c[key] !== undefined) throw new DruidArgumentError(`${argument}.${key}`, shapeOf(c[key]), "only applies to sidecars (Kubernetes refuses it on an init container, which runs to completion)");
        }
    }
    if (c.lifecycle !== undefined) {
        checkObject(`${argument}.lifecycle`, c.lifecycle, "an object { postStart, preStop }");
        if (c.lifecycle.postStart !== undefined) checkHandler(`${argument}.lifecycle.postStart`, c.lifecycle.postStart);
        if (c.lifecycle.preStop !== undefined) checkHandler(`${argument}.lifecycle.preStop`, c.lifecycle.preStop);
    }
    return {
        readinessProbe: c.readinessProbe === undefined ? undefined : checkProbe(`${argument}.readinessProbe`, c.readinessProbe, "readiness"),
        livenessProbe: c.livenessProbe === undefined ? undefined : checkProbe(`${argument}.livenessProbe`, c.livenessProbe, "liveness"),
        startupProbe: c.startupProbe === undefined ? undefined : checkProbe(`${argument}.startupProbe`, c.startupProbe, "startup"),
        lifecycle: c.lifecycle,
        securityContext: securityContext(`${argument}.securityContext`, c.securityContext, base),
    };
}
