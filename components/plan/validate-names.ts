import { leaderElectionConfigMaps } from "./names";
import { DruidArgumentError } from "../core/errors";
import { accessApplierJobName, configApplierJobName, zoneWaveNames } from "./names";
import { druidObjectName } from "./names";
import { networkPolicyPlans } from "./network-policy-plan";
import { passwordRecordName } from "./names";
import { claimName, volumeRecordName, zoneNameSuffix } from "./names";
import { taskConfigMapNames } from "./names";
import { zooKeeperNames } from "./names";
import type { ClusterPlan } from "./cluster-plan";
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from "./validate-kubernetes";

// Every object name the component (or Druid, for it) creates, computed from the plan with the
// same naming functions the wiring uses, and checked against the rule of its kind. A name that
// passes here is accepted by the API server, and its controller can create its pods.
// tests/generated-names.test.ts checks that this list holds every Kubernetes object of a plan.

/** What a kind's names must be. */
interface NameRule {
    test: (name: string) => boolean;
    max: number;
    text: string;
}

const rules = {
    /** Services: a DNS-1035 label (validation.go IsDNS1035Label via ValidateServiceName): starts with a letter. */
    service: { test: (n: string) => isDns1035Label(n), max: 63, text: "a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, at most 63 characters" },
    /**
     * StatefulSets: each pod gets the label controller-revision-hash = "<name>-<hash>" (a
     * ControllerRevision name, pkg/controller/history/controller_history.go ControllerRevisionName,
     * the hash up to 10 characters); a label value has at most 63 characters, so a longer name
     * leaves the controller unable to create any pod (kubernetes/kubernetes#64023, #79337).
     */
    statefulSet: { test: (n: string) => isDns1123Label(n, 52), max: 52,
        text: "a DNS label of at most 52 characters: the StatefulSet controller labels each pod controller-revision-hash=<name>-<10-character hash>, " +
            "and a longer value than 63 characters makes every pod creation fail (kubernetes/kubernetes#64023)" },
    /** Deployments and Jobs: DNS labels (their pods' host names; a Job's name is also its pods' job-name label value). */
    label: { test: (n: string) => isDns1123Label(n), max: 63, text: "a DNS label: lower-case letters, digits and '-', at most 63 characters" },
    /** Everything else (ConfigMaps, Secrets, PDBs, RBAC, NetworkPolicies, custom resources): a DNS-1123 subdomain. */
    subdomain: { test: (n: string) => isDns1123Subdomain(n), max: 253, text: "a DNS subdomain: lower-case letters, digits, '-' and '.', at most 253 characters" },
} satisfies Record<string, NameRule>;

/** One object name, the rule of its kind, and the tier argument it derives from (if any). */
export interface GeneratedName {
    kind: string;
    name: string;
    rule: keyof typeof rules;
    /** Set for a Historical tier's objects: the tier's index in data.historicalTiers. */
    tierIndex?: number;
    /** Set for a zone-aware group's objects: the zone, and the part of the name it gives (names.ts zoneNameSuffix). */
    zone?: { zone: string; suffix: string };
}

/** Every Kubernetes object name the plan leads to, with its kind. */
export function generatedNames(plan: ClusterPlan): GeneratedName[] {
    const name = plan.name;
    const out: GeneratedName[] = [];
    let zone: GeneratedName["zone"];
    const add = (kind: string, n: string, rule: keyof typeof rules, tierIndex?: number) => out.push({ kind, name: n, rule, tierIndex, ...(zone !== undefined ? { zone } : {}) });
    add("ConfigMap", `${name}-common`, "subdomain");
    add("Secret", `${name}-metadata`, "subdomain");
    if (plan.auth.enabled) {
        add("Secret", `${name}-auth`, "subdomain");
        add("Secret", passwordRecordName(name, plan.auth.passwordGeneration), "subdomain");
    }
    if (plan.deepStorage.accessMode === "staticKeys") add("Secret", `${name}-s3`, "subdomain");
    // The index of each Historical tier: its services in order, a zone-aware tier's zones one after another.
    const tierGroups: string[] = [];
    for (const s of plan.services) {
        const n = druidObjectName(name, s.key);
        const group = s.zoneGroup ?? s.key;
        if (s.kind === "historical" && !tierGroups.includes(group)) tierGroups.push(group);
        const tier = s.kind === "historical" ? tierGroups.indexOf(group) : undefined;
        zone = s.zone !== undefined ? { zone: s.zone, suffix: zoneNameSuffix(s.zone) } : undefined;
        add("ConfigMap", n, "subdomain", tier);
        add("Service", n, "service", tier);
        add("PodDisruptionBudget", n, "subdomain", tier);
        if (s.volume !== undefined) add("StatefulSet", n, "statefulSet", tier);
        else add("Deployment", n, "label", tier);
        if (s.volume !== undefined && !s.volume.ephemeral) {
            // The volume record and the claims the claim patches create (k8s/volume-resize.ts).
            add("ConfigMap", volumeRecordName(n), "subdomain", tier);
            const template = s.kind === "historical" ? "segment-cache" : "task-storage";
            for (let ordinal = 0; ordinal < s.replicas; ordinal++) add("PersistentVolumeClaim", claimName(template, n, ordinal), "subdomain", tier);
        }
        if (s.autoscaling !== undefined) add("HorizontalPodAutoscaler", n, "subdomain", tier);
    }
    zone = undefined;
    // Zone-local Brokers: the Service in front of every zone's (k8s/broker-front-service.ts).
    if (plan.services.some((s) => s.kind === "broker" && s.zone !== undefined)) add("Service", druidObjectName(name, "broker"), "service");
    const hasZooKeeper = plan.coordination === "zookeeper" && plan.zookeeper.external === undefined;
    if (hasZooKeeper) {
        const z = zooKeeperNames(name);
        add("StatefulSet", z.statefulSet, "statefulSet");
        add("PodDisruptionBudget", z.statefulSet, "subdomain");
        add("Service", z.headless, "service");
        add("Service", z.client, "service");
        add("ConfigMap", `${z.statefulSet}-logging`, "subdomain");
    }
    if (plan.coordination === "kubernetes") {
        add("Role", `${name}-druid`, "subdomain");
        add("RoleBinding", `${name}-druid`, "subdomain");
    }
    if (plan.overlordServiceAccountName !== undefined) {
        add("ServiceAccount", plan.overlordServiceAccountName, "subdomain");
        add("Role", `${name}-overlord`, "subdomain");
        add("RoleBinding", `${name}-overlord`, "subdomain");
    }
    if (plan.coordination === "kubernetes") {
        // Druid creates these leader-election locks itself.
        for (const lock of leaderElectionConfigMaps(name)) add("ConfigMap", lock, "subdomain");
    }
    if (plan.taskPods !== undefined) {
        const t = taskConfigMapNames(name);
        add("ConfigMap", t.config, "subdomain");
        add("ConfigMap", t.template, "subdomain");
    }
    if (plan.dataManagement !== undefined) {
        add("Job", configApplierJobName(name, "0123456789"), "label");
        // The Job's script: a ConfigMap of the Job's name.
        add("ConfigMap", configApplierJobName(name, "0123456789"), "subdomain");
    }
    if (plan.access !== undefined) {
        add("Job", accessApplierJobName(name, "0123456789"), "label");
        add("ConfigMap", accessApplierJobName(name, "0123456789"), "subdomain");
    }
    if (plan.zoneWaves.length > 0) {
        // The wave Jobs (k8s/zone-wave.ts): their account and Role, the script's ConfigMap, a Job per zone (names end in a hash).
        const w = zoneWaveNames(name);
        add("ServiceAccount", w.account, "subdomain");
        add("Role", w.role, "subdomain");
        add("RoleBinding", w.role, "subdomain");
        add("ConfigMap", w.script("0123456789"), "subdomain");
        add("Job", w.job("0123456789"), "label");
    }
    if (plan.router.ingress !== undefined) add("Ingress", `${name}-router`, "subdomain");
    if (plan.network.enabled) {
        for (const p of networkPolicyPlans(plan, hasZooKeeper)) add("NetworkPolicy", p.name, "subdomain");
    }
    const prometheus = plan.metrics.emitter === "prometheus";
    if (plan.metrics.serviceMonitor && prometheus) add("ServiceMonitor", `${name}-druid`, "subdomain");
    if (plan.metrics.alerts) add("PrometheusRule", `${name}-alerts`, "subdomain");
    if (plan.metrics.dashboards) add("ConfigMap", `${name}-dashboard`, "subdomain");
    if (plan.metadataTls.ca?.source === "pem") add("ConfigMap", `${name}-metadata-ca`, "subdomain");
    if (plan.tls?.certManager !== undefined) {
        add("Secret", plan.tls.passwordSecretName, "subdomain");
        add("Certificate", `${name}-tls`, "subdomain");
        add("Secret", plan.tls.secretName, "subdomain");
    }
    return out;
}

/**
 * Refuses arguments whose generated names break their kind's rule. The error names the argument
 * that makes the name too long: a Historical tier's name when it is the longer part, otherwise
 * the resource name.
 */
export function checkGeneratedNames(plan: ClusterPlan, tierNames: string[], zoneArgument?: (zone: string, tierIndex?: number) => string): void {
    for (const g of generatedNames(plan)) {
        const rule: NameRule = rules[g.rule];
        if (rule.test(g.name)) continue;
        if (g.zone !== undefined && g.name.length > rule.max && zoneArgument !== undefined) {
            // A zone-aware group's name: every part may be what to shorten.
            const tierName = g.tierIndex !== undefined ? tierNames[g.tierIndex] : undefined;
            throw new DruidArgumentError(zoneArgument(g.zone.zone, g.tierIndex), g.zone.zone,
                `gives the ${g.kind} name "${g.name}" (${g.name.length} characters: the resource name "${plan.name}", ` +
                `${tierName !== undefined ? `the tier name "${tierName}", ` : ""}and "${g.zone.suffix}" for the zone), which must be ${rule.text}; ` +
                `shorten the resource name${tierName !== undefined ? " or the tier name" : ""} by ${g.name.length - rule.max}`);
        }
        const tierName = g.tierIndex !== undefined ? tierNames[g.tierIndex] : undefined;
        const blameTier = tierName !== undefined && tierName.length > plan.name.length && g.name.length > rule.max;
        const argument = blameTier ? `data.historicalTiers[${g.tierIndex}].name` : "name (the resource name)";
        const given = blameTier ? tierName : plan.name;
        const tooLong = g.name.length > rule.max;
        throw new DruidArgumentError(argument, given,
            `gives the ${g.kind} name "${g.name}" (${g.name.length} characters), which must be ${rule.text}` +
            (tooLong ? `; shorten ${blameTier ? "the tier name" : "the resource name"}${tierName !== undefined && !blameTier ? ` (or the tier name "${tierName}")` : ""} by ${g.name.length - rule.max}` : ""));
    }
}
