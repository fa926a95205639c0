import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { zoneWaveScript } from "../config/zone-wave";
import { mapInput } from "../core/validate-input";
import { standardLabels } from "../k8s/pod-spec";
import { createZoneWaveAccess, createZoneWaveJob, createZoneWaveScript, zoneWaveComponent, zoneWaveGrants } from "../k8s/zone-wave";
import { druidObjectName } from "../plan/names";
import { ClusterPlan } from "../plan/resolve";
import { zoneWaveSettleSeconds } from "../plan/zone-wave-plan";
import { Parent } from "./parent";
import { Secrets } from "./secrets";
import { AfterWave, coordinatorUrl } from "./services";

type ZoneWavesPlan = Pick<ClusterPlan, "zoneWaves" | "namespace" | "tls" | "image" | "druidVersion" | "auth" | "services">;

/**
 * The zone waves (docs/zones.md "Zone waves"): for each zone-aware group, one Job per zone, in wave
 * order, each after its zone's StatefulSet and the previous zone's Job. Returns the step
 * createServices calls after each rolling wave: it makes the Jobs of the groups in that wave and
 * returns the last Job of each, which the next rolling wave then waits for. Nothing is made for a
 * plan without zone-aware groups. The plan's waves are checked before anything is registered
 * (parts/applier-fits.ts checkZoneWaves).
 */
export function createZoneWaves(name: string, plan: ZoneWavesPlan, namespace: pulumi.Input<string>, secrets: Secrets, parent: Parent): AfterWave {
    const groups = plan.zoneWaves;
    if (groups.length === 0) return () => [];
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
