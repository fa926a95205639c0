import * as k8s from "@pulumi/kubernetes";

type SecurityContext = k8s.types.input.core.v1.SecurityContext;

// The restricted Pod Security Standard's contexts, which the plan sets on every container it plans.

/** Pod-level security context meeting the Pod Security Standards "restricted" profile. */
export function restrictedPodSecurityContext(uid: number, gid: number): k8s.types.input.core.v1.PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: gid,
        fsGroup: gid,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Container-level security context meeting the "restricted" profile, read-only root filesystem. */
export function restrictedContainerSecurityContext(): SecurityContext {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}
