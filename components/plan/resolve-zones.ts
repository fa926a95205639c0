import { DruidClusterArgs, NodeSelectorTerm } from "../args";
import { DruidArgumentError } from "../core/errors";
import { ServicePlan } from "./cluster-plan";
import { zoneDruidTier, zoneNameSuffix, zoneServiceKey } from "./names";
import { ServicePlacement } from "./placement-plan";
import { startupSeconds, terminationGraceSeconds } from "./rolling-order";
import { ProblemCollector } from "./validate-collect";
import { isDns1123Label } from "./validate-kubernetes";
import { defaultZoneWaveImage, ZoneWave, ZoneWaveGroup, zoneLabel } from "./zone-wave-plan";
import { checkImageReference } from "./validate-objects";
import { DruidRelease } from "./druid-versions";
import { expandZoneBrokers, zoneBrokerTier } from "./resolve-zone-brokers";
import { shapeOf } from "./validate";

// Zone-aware Historical tiers and ingestion workers (issue #25, docs/zones.md): a group with
// `zones` becomes one ServicePlan per zone, each a StatefulSet pinned to its zone with
// `updateStrategy: OnDelete`, and (Historicals) its own Druid tier `<druidTier>-<zone>`. The tier
// builder (k8s/druid-service.ts) renders each like any other workload; the zone-wave Jobs
// (parts/zone-waves.ts) restart one zone at a time from `ClusterPlan.zoneWaves`.
//
// Why OnDelete: with it, a change to the pod template replaces no pod by itself, and Pulumi's await
// of a StatefulSet whose generation is above 1 completes once `.status.replicas` and
// `.status.readyReplicas` match `.spec.replicas`, without waiting for the new revision
// (pulumi/pulumi-kubernetes@0012b9d2d0417b46995cabe1edb9f659fbb65d7f:provider/pkg/await/statefulset.go:64-68,
// "For the OnDelete strategy: ... 2. If `.metadata.generation` > 1, `.status.replicas`, and
// `.status.readyReplicas` match the value of `.spec.replicas`"), so `pulumi up` moves on to the
// wave Job, which deletes the pods zone by zone.

/** One zone-aware Historical tier as the retention rules see it (resolve-data-management.ts expands rules naming it). */
export interface LogicalTier {
    /** The tier's `name` in data.historicalTiers ("hot"). */
    name: string;
    /** Its `druidTier` ("hot"), which no Historical announces: each zone's Historicals announce their zone tier. */
    druidTier: string;
    /** Its zones in the user's order, with each zone's Druid tier and Historicals. */
    zoneTiers: { zone: string; druidTier: string; replicas: number }[];
}

/** The services with every zone-aware group expanded, the zone-wave groups, and the zone-aware tiers. */
export interface ZonePlan {
    services: ServicePlan[];
    zoneWaves: ZoneWaveGroup[];
    logicalTiers: LogicalTier[];
}

/** At least two distinct zones, each a DNS label (it names the zone's objects and is a node label value). */
export function checkZones(argument: string, v: unknown): string[] {
    if (!Array.isArray(v)) {
        throw new DruidArgumentError(argument, shapeOf(v), "must be a list of at least 2 zones, e.g. [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]");
    }
    if (v.length < 2) {
        throw new DruidArgumentError(argument, v,
            "must name at least 2 zones: a zone-aware group restarts one zone at a time while the other zones serve, so one zone would leave nothing serving (leave zones out for a group that is not zone-aware)");
    }
    v.forEach((z, i) => {
        if (typeof z !== "string" || !isDns1123Label(z)) {
            throw new DruidArgumentError(`${argument}[${i}]`, z,
                "must be a zone as the nodes' label topology.kubernetes.io/zone holds it, such as \"eu-west-1a\": lower-case letters, digits and '-', at most 63 characters");
        }
        const first = v.indexOf(z);
        if (first !== i) throw new DruidArgumentError(`${argument}[${i}]`, z, `repeats ${argument}[${first}]: each zone once`);
    });
    const suffixes = v.map((z: string) => zoneNameSuffix(z));
    suffixes.forEach((s, i) => {
        const first = suffixes.indexOf(s);
        if (first !== i) {
            throw new DruidArgumentError(`${argument}[${i}]`, v[i],
                `names its objects "...-${s}" like ${argument}[${first}] ("${v[first]}"): zones in different AWS regions cannot both hold a cluster's nodes (an EKS cluster is in one region)`);
        }
    });
    return v as string[];
}

/** A node selector on the zone label would send every zone's pods to one zone: the component pins each zone's pods itself. */
function refuseZoneSelector(argument: string, nodeSelector: Record<string, string> | undefined): void {
    const value = nodeSelector?.[zoneLabel];
    if (value !== undefined) {
        throw new DruidArgumentError(`${argument}.scheduling.nodeSelector["${zoneLabel}"]`, value,
            `cannot be given with ${argument}.zones: each zone's pods are pinned to their own zone, and this selector would require all of them in one; leave it out`);
    }
}

/** Seconds one wave may take: the pods stop (their grace period), then start and load their segments (the startup budget, rolling-order.ts). */
export function waveTimeoutSeconds(svc: ServicePlan): number {
    return terminationGraceSeconds(svc) + startupSeconds(svc);
}

function expand(svc: ServicePlan, zones: string[], kind: ZoneWaveGroup["kind"]): { plans: ServicePlan[]; group: ZoneWaveGroup } {
    const plans = zones.map((zone): ServicePlan => ({
        ...svc,
        key: zoneServiceKey(svc.key, zone),
        label: `${svc.label}, zone ${zone}`,
        tier: svc.tier === undefined ? undefined : { ...svc.tier, name: zoneDruidTier(svc.tier.name, zone) },
        zone,
        zoneGroup: svc.key,
        updateStrategy: "OnDelete",
    }));
    const waves = plans.map((p): ZoneWave => ({ zone: p.zone!, serviceKey: p.key, replicas: p.replicas, druidTier: p.tier?.name }));
    return { plans, group: { key: svc.key, kind, logicalTier: svc.tier?.name, waves, waveTimeoutSeconds: waveTimeoutSeconds(svc) } };
}

/**
 * Expands the zone-aware groups of `services` (resolve-services.ts: one plan per Historical tier and
 * one for the ingestion workers), and the Brokers when they are zone-local (`query.broker.preferZoneOf`,
 * resolve-zone-brokers.ts; checked against `release`, when given). With a collector, each group is
 * checked even when another failed.
 */
export function resolveZones(args: DruidClusterArgs, services: ServicePlan[], problems?: ProblemCollector, release?: DruidRelease): ZonePlan {
    const each = (check: () => void) => { if (problems !== undefined) problems.attempt(check, undefined); else check(); };
    const byKey = new Map<string, { zones: string[]; kind: ZoneWaveGroup["kind"]; tierName?: string }>();
    (Array.isArray(args.data?.historicalTiers) ? args.data.historicalTiers : []).forEach((t, i) => each(() => {
        if (t?.zones === undefined) return;
        const zones = checkZones(`data.historicalTiers[${i}].zones`, t.zones);
        refuseZoneSelector(`data.historicalTiers[${i}]`, t.scheduling?.nodeSelector);
        byKey.set(`historical-${t.name}`, { zones, kind: "historical", tierName: t.name });
    }));
    const ing = args.data?.ingestion;
    if (ing?.zones !== undefined) {
        each(() => {
            if (ing.worker === "kubernetesJobs") {
                throw new DruidArgumentError("data.ingestion.zones", shapeOf(ing.zones),
                    "applies to MiddleManagers and Indexers, which worker \"kubernetesJobs\" does not run: each task is a Job the Overlord starts, with no pod of its own to restart by zone; leave zones out");
            }
            const zones = checkZones("data.ingestion.zones", ing.zones);
            refuseZoneSelector("data.ingestion", ing.scheduling?.nodeSelector);
            const worker = ing.worker ?? "middleManager";
            byKey.set(worker === "indexer" ? "indexer" : "middlemanager", { zones, kind: worker === "indexer" ? "indexer" : "middleManager" });
        });
    }
    let jobImage = defaultZoneWaveImage;
    each(() => { if (args.data?.zoneWaveImage !== undefined) jobImage = checkImageReference("data.zoneWaveImage", args.data.zoneWaveImage, defaultZoneWaveImage); });
    const out: ServicePlan[] = [];
    const zoneWaves: ZoneWaveGroup[] = [];
    const logicalTiers: LogicalTier[] = [];
    for (const svc of services) {
        const z = byKey.get(svc.key);
        if (z === undefined) {
            out.push(svc);
            continue;
        }
        const { plans, group } = expand(svc, z.zones, z.kind);
        out.push(...plans);
        zoneWaves.push({ ...group, jobImage });
        if (svc.tier !== undefined && z.tierName !== undefined) {
            logicalTiers.push({ name: z.tierName, druidTier: svc.tier.name, zoneTiers: plans.map((p) => ({ zone: p.zone!, druidTier: p.tier!.name, replicas: p.replicas })) });
        }
    }
    // Zone-local Brokers: one per zone of the tier they prefer, in the Broker's place (not a wave group: Deployments roll themselves).
    if (release !== undefined) {
        each(() => {
            const tier = zoneBrokerTier(args, logicalTiers, release);
            const at = out.findIndex((s) => s.key === "broker");
            if (tier !== undefined && at >= 0) out.splice(at, 1, ...expandZoneBrokers(out[at], tier));
        });
    }
    // Rules name a zone-aware tier by its druidTier: it must be its own (two tiers may otherwise share one).
    each(() => {
        for (const l of logicalTiers) {
            const other = services.find((s) => s.tier?.name === l.druidTier && s.key !== `historical-${l.name}`);
            if (other !== undefined) {
                const i = (args.data?.historicalTiers ?? []).findIndex((t) => t.name === l.name);
                throw new DruidArgumentError(`data.historicalTiers[${i}].druidTier`, l.druidTier,
                    `is also the Druid tier of ${other.label}: a zone-aware tier's druidTier is the name rules use for its zone tiers, so it cannot be shared; give each tier its own`);
            }
        }
    });
    // A zone's key may meet another tier's ("hot" in zone "eu-west-1a" and a tier named "hot-a").
    each(() => {
        const seen = new Map<string, ServicePlan>();
        for (const s of out) {
            const other = seen.get(s.key);
            if (other !== undefined) {
                const zoned = s.zone !== undefined ? s : other;
                const plain = zoned === s ? other : s;
                throw new DruidArgumentError(zoneArgument(args, zoned), zoned.zone,
                    `gives its StatefulSet the key "${s.key}", which ${plain.label} already has: rename that tier`);
            }
            seen.set(s.key, s);
        }
    });
    return { services: out, zoneWaves, logicalTiers };
}

/** The argument that names a zone-aware service's zone, for errors: "data.historicalTiers[0].zones[1]". */
export function zoneArgument(args: DruidClusterArgs, svc: ServicePlan): string {
    const tiers = args.data?.historicalTiers ?? [];
    // A zone-local Broker's zones are those of the tier it prefers.
    const i = tiers.findIndex((t) => `historical-${t.name}` === svc.zoneGroup || (svc.zoneGroup === "broker" && t.name === args.query?.broker?.preferZoneOf));
    const zones = i >= 0 ? tiers[i].zones ?? [] : args.data?.ingestion?.zones ?? [];
    const base = i >= 0 ? `data.historicalTiers[${i}].zones` : "data.ingestion.zones";
    return `${base}[${zones.indexOf(svc.zone ?? "")}]`;
}

/**
 * A zone's placement: the user's (from the group's arguments) with the zone required. The zone
 * requirement is added to each of the user's required node-selector terms (Kubernetes ORs the
 * terms and ANDs the requirements of a term), or is the only term. The PodDisruptionBudget, unless
 * the user gives one, lets the whole zone be evicted at once (maxUnavailable = the zone's pods):
 * the layout keeps every segment in every zone so that a zone may be down, and a wave is a zone
 * down at once (the wave Jobs delete the pods, which no budget governs). That only one zone drains
 * at a time is the platform's to keep (docs/zones.md): a budget cannot span the zones' StatefulSets,
 * since the eviction API refuses a pod that more than one budget selects.
 */
export function pinToZone(p: ServicePlacement, svc: ServicePlan): ServicePlacement {
    if (svc.zone === undefined) return p;
    const requirement = { key: zoneLabel, operator: "In", values: [svc.zone] };
    const given = p.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    const nodeSelectorTerms: NodeSelectorTerm[] = given.length > 0
        ? given.map((t) => ({ ...t, matchExpressions: [...(t.matchExpressions ?? []), requirement] }))
        : [{ matchExpressions: [requirement] }];
    const b = p.disruptionBudget;
    return {
        ...p,
        affinity: { ...p.affinity, nodeAffinity: { ...p.affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } },
        // Zone-local Brokers keep the Brokers' budget in each zone (one at a time by default): a Broker
        // restarts in seconds with nothing to load, so a drain need not take a zone's Brokers at once.
        disruptionBudget: b.maxUnavailable !== undefined || b.minAvailable !== undefined || svc.kind === "broker" ? b : { ...b, maxUnavailable: svc.replicas },
    };
}

/** Every service's placement with the zone-aware ones pinned to their zone (pinToZone). */
export function pinZones(services: ServicePlan[], placement: Record<string, ServicePlacement>): Record<string, ServicePlacement> {
    return Object.fromEntries(services.map((s) => [s.key, pinToZone(placement[s.key], s)]));
}
