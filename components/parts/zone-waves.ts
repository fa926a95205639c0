import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { zoneWaveScript } from "../config/zone-wave";
import { DruidArgumentError } from "../core/errors";
import { mapInput } from "../core/validate-input";
import { standardLabels } from "../k8s/pod-spec";
import { createZoneWaveAccess, createZoneWaveJob, createZoneWaveScript, zoneWaveComponent, zoneWaveGrants } from "../k8s/zone-wave";
import { druidObjectName } from "../plan/names";
import { ClusterPlan, ServicePlan } from "../plan/resolve";
import { ZoneWaveGroup, zoneWaveSettleSeconds } from "../plan/zone-wave-plan";
import { configMapMaxBytes } from "./applier-fits";
import { Parent } from "./parent";
import { Secrets } from "./secrets";
import { AfterWave, coordinatorUrl } from "./services";


type ZoneWavesPlan = Pick<ClusterPlan, "zoneWaves" | "namespace" | "tls" | "image" | "druidVersion" | "auth" | "services">;

/**
 * The zone waves (docs/zones.md "Zone waves"): for each zone-aware group, one Job per zone, in wave
 * order, each after its zone's StatefulSet and the previous zone's Job. Returns the step
 * createServices calls after each rolling wave: it makes the Jobs of the groups in that wave and
 * returns the last Job of each, which the next rolling wave then waits for. Nothing is made for a
 * plan without zone-aware groups.
 */
export function createZoneWaves(name: string, plan: ZoneWavesPlan, namespace: pulumi.Input<string>, secrets: Secrets, parent: Parent): AfterWave {
    const groups = plan.zoneWaves ?? [];
    if (groups.length === 0) return () => [];
    checkZoneWaves(name, groups, plan.services);
    const labels = standardLabels(name, zoneWaveComponent, plan.druidVersion);
    const access = createZoneWaveAccess(name, namespace, zoneWaveGrants(groups, (key) => druidObjectName(name, key)), labels, parent);
    const script = createZoneWaveScript(name, namespace,
        mapInput(coordinatorUrl(name, plan), (url) => zoneWaveScript({ coordinatorUrl: url, auth: plan.auth.enabled, settleSeconds: zoneWaveSettleSeconds })), labels, parent);
    const done = new Set<string>();
    return (wave, services) => {
        const last: pulumi.Resource[] = [];
        for (const group of groups.filter((g) => !done.has(g.key) && g.waves.some((w) => wave.some((s) => s.key === w.serviceKey)))) {
            done.add(group.key);
            let previous: pulumi.Resource | undefined;
            for (const w of group.waves) {
                const service = services.get(w.serviceKey)!;
                const spec: pulumi.Output<{ template: k8s.types.output.core.v1.PodTemplateSpec }> = service.workload.spec;
                previous = createZoneWaveJob(`${name}-wave-${w.serviceKey}`, {
                    cluster: name,
                    namespace,
                    namespaceName: plan.namespace,
                    group,
                    wave: w,
                    statefulSetName: druidObjectName(name, w.serviceKey),
                    podTemplate: spec.apply((s) => s.template),
                    script,
                    accountName: access.accountName,
                    image: plan.image,
                    druidVersion: plan.druidVersion,
                    secretEnv: w.druidTier !== undefined ? secrets.internalClientEnv : [],
                    scheduling: plan.services.find((s) => s.key === w.serviceKey)?.scheduling,
                    after: [service.workload, script, ...access.ready, ...(previous !== undefined ? [previous] : [])],
                }, parent);
            }
            last.push(previous!);
        }
        return last;
    };
}

/**
 * What the wave Jobs need of the plan, refused before any of them is made: each wave's service is a
 * StatefulSet of the plan, of the group's kind; the script fits its ConfigMap (measured with the
 * longest Coordinator URL a Service can have, as parts/applier-fits.ts does).
 */
export function checkZoneWaves(name: string, groups: ZoneWaveGroup[], services: ServicePlan[]): void {
    for (const group of groups) {
        if (group.waves.length < 2) {
            throw new DruidArgumentError(`zone waves of ${group.key} (its zones)`, group.waves.map((w) => w.zone), "a zone-aware group needs at least 2 zones: one restarts while the others serve");
        }
        for (const w of group.waves) {
            const svc = services.find((s) => s.key === w.serviceKey);
            if (svc === undefined || svc.kind !== group.kind || svc.volume === undefined) {
                throw new DruidArgumentError(`zone waves of ${group.key}, zone ${w.zone}`, w.serviceKey,
                    `must name a ${group.kind} StatefulSet of the plan (${services.filter((s) => s.kind === group.kind).map((s) => s.key).join(", ") || "none"})`);
            }
        }
    }
    const longest = zoneWaveScript({ coordinatorUrl: `https://${"x".repeat(253)}:65535`, auth: true, settleSeconds: zoneWaveSettleSeconds });
    const bytes = Buffer.byteLength(longest, "utf8") + "wave.sh".length;
    if (bytes > configMapMaxBytes) {
        throw new DruidArgumentError(`zone waves of ${name}`, `a script of ${bytes} bytes`, `must fit the ${configMapMaxBytes} bytes of a ConfigMap`);
    }
}
