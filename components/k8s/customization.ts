import * as pulumi from "@pulumi/pulumi";
import { CustomizationPlan } from "../plan/resolve-customization";

type Obj = Record<string, unknown>;

/** Pod-template changes for one pod spec (the task template's text uses it too). */
export function customizePodTemplate(template: Obj, c: CustomizationPlan): Obj {
    const metadata = (template.metadata ?? {}) as Obj;
    const spec = (template.spec ?? {}) as Obj;
    const pullSecrets = (spec.imagePullSecrets ?? []) as { name: string }[];
    return {
        ...template,
        metadata: {
            ...metadata,
            // The component's labels (selectors) and annotations win; the keys are refused anyway.
            labels: { ...c.podLabels, ...(metadata.labels as Obj | undefined) },
            annotations: Object.keys(c.podAnnotations).length > 0 || metadata.annotations !== undefined
                ? { ...c.podAnnotations, ...(metadata.annotations as Obj | undefined) } : undefined,
        },
        spec: {
            ...spec,
            imagePullSecrets: pullSecrets.length > 0 || c.imagePullSecrets.length > 0
                ? [...pullSecrets, ...c.imagePullSecrets.filter((n) => !pullSecrets.some((s) => s.name === n)).map((name) => ({ name }))] : undefined,
            // A service's own priority class (set by DruidService) wins.
            priorityClassName: spec.priorityClassName ?? c.priorityClassName,
        },
    };
}

/** Kinds whose `spec.template` is a pod template. */
const workloadTypes = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:batch/v1:Job"];

function isPlainObject(v: unknown): v is Obj {
    return v !== null && typeof v === "object" && !pulumi.Output.isInstance(v) && !Array.isArray(v);
}

/**
 * A transformation registered on the DruidCluster (so every child, at any depth, goes through it):
 * the cluster-wide labels and annotations on every Kubernetes object the component creates (not on
 * Patch resources, which would take those fields over on the objects they patch), and the pod
 * labels, annotations, pull secrets and priority class on every workload's pod template. The
 * component's own keys win (and are refused in the arguments), so selectors never change.
 */
export function customizationTransformation(c: CustomizationPlan): pulumi.ResourceTransformation {
    const nothing = Object.keys(c.labels).length + Object.keys(c.annotations).length + Object.keys(c.podLabels).length
        + Object.keys(c.podAnnotations).length + c.imagePullSecrets.length === 0 && c.priorityClassName === undefined;
    return (a) => {
        if (nothing || !a.type.startsWith("kubernetes:") || a.type.endsWith("Patch")) return undefined;
        const props: Obj = a.props;
        const metadata: unknown = props.metadata ?? {};
        if (!isPlainObject(metadata)) return undefined;
        const out: Obj = {
            ...props,
            metadata: {
                ...metadata,
                labels: Object.keys(c.labels).length > 0 ? { ...c.labels, ...(metadata.labels as Obj | undefined) } : metadata.labels,
                annotations: Object.keys(c.annotations).length > 0 ? { ...c.annotations, ...(metadata.annotations as Obj | undefined) } : metadata.annotations,
            },
        };
        const spec: unknown = props.spec;
        if (workloadTypes.includes(a.type) && isPlainObject(spec) && isPlainObject(spec.template)) {
            out.spec = { ...spec, template: customizePodTemplate(spec.template, c) };
        }
        return { props: out, opts: a.opts };
    };
}
