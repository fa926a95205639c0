import { DruidClusterArgs } from "../args";
import { DruidArgumentError } from "../core/errors";
import { ServicePlan } from "./cluster-plan";
import { DruidRelease } from "./druid-versions";
import { zoneServiceKey } from "./names";
import { zoneLabel } from "./zone-wave-plan";

// Zone-local Brokers (issue #25, docs/zones.md "Brokers"): with `query.broker.preferZoneOf` naming a
// zone-aware Historical tier, the one Broker plan becomes one per zone of that tier, pinned to the
// zone like the tier's Historicals (resolve-zones.ts pinToZone) and preferring the zone's Druid tier.
//
// What Druid does with it (apache/druid#18136, in every supported release: druid-versions.ts
// `preferredTierSelector`): `druid.broker.select.tier=preferred` makes the Broker's
// TierSelectorStrategy a PreferredTierSelectorStrategy, which for each segment picks among the
// servers of `druid.broker.select.tier.preferred.tier` first and fills from the other tiers when that
// tier has too few (apache/druid@326f46d62a13058e366c932a45e638c01ff99297:server/src/main/java/org/apache/druid/client/selector/PreferredTierSelectorStrategy.java,
// `pick`), so a Broker keeps answering while its zone's Historicals restart.
//
// Every zone's Brokers keep `druid.service` = druid/broker (config/druid-config.ts): the Router picks
// a Broker by service name (`druid.router.defaultBrokerServiceName`), not by zone, so it spreads
// queries over the Brokers of every zone.

/** What the Brokers need of a zone-aware tier (resolve-zones.ts LogicalTier): its name and each zone's Druid tier. */
export interface ZoneTiers {
    name: string;
    zoneTiers: { zone: string; druidTier: string }[];
}

/** Broker properties the zone-local Brokers set themselves: a user's value would undo the zone preference. */
export const zoneBrokerProperties = ["druid.broker.select.tier", "druid.broker.select.tier.preferred.tier"] as const;

/** The zone-aware tier `query.broker.preferZoneOf` names, checked; undefined when the Brokers are not zone-local. */
export function zoneBrokerTier(args: DruidClusterArgs, logicalTiers: ZoneTiers[], release: DruidRelease): ZoneTiers | undefined {
    const broker = args.query?.broker;
    const name = broker?.preferZoneOf;
    if (name === undefined) return undefined;
    const argument = "query.broker.preferZoneOf";
    const tiers = Array.isArray(args.data?.historicalTiers) ? args.data.historicalTiers : [];
    const zoneAware = tiers.filter((t) => t?.zones !== undefined).map((t) => `"${t.name}"`);
    const choices = zoneAware.length > 0 ? `the zone-aware tiers are ${zoneAware.join(", ")}` : "no Historical tier has zones";
    if (typeof name !== "string") {
        throw new DruidArgumentError(argument, name, `must be the name of a zone-aware Historical tier (data.historicalTiers[].name); ${choices}`);
    }
    const i = tiers.findIndex((t) => t?.name === name);
    if (i < 0) {
        throw new DruidArgumentError(argument, name, `names no Historical tier: it must be the name of a zone-aware tier in data.historicalTiers; ${choices}`);
    }
    if (tiers[i].zones === undefined) {
        throw new DruidArgumentError(argument, name,
            `names data.historicalTiers[${i}], which is not zone-aware: zone-local Brokers prefer their zone's Historicals, so the tier needs zones (data.historicalTiers[${i}].zones); ${choices}`);
    }
    if (!release.preferredTierSelector.supported) {
        throw new DruidArgumentError(argument, name,
            `needs the Broker's "preferred" tier selector (apache/druid#18136), which Druid ${release.release} does not have; leave preferZoneOf out or choose a later druidVersion`);
    }
    const zoneValue = broker?.scheduling?.nodeSelector?.[zoneLabel];
    if (zoneValue !== undefined) {
        throw new DruidArgumentError(`query.broker.scheduling.nodeSelector["${zoneLabel}"]`, zoneValue,
            `cannot be given with ${argument}: each zone's Brokers are pinned to their own zone, and this selector would require all of them in one; leave it out`);
    }
    for (const key of zoneBrokerProperties) {
        const v = broker?.properties?.[key];
        if (v !== undefined) {
            throw new DruidArgumentError(`query.broker.properties["${key}"]`, v,
                `cannot be given with ${argument}: each zone's Brokers set it to prefer their own zone's tier; leave it out (or leave preferZoneOf out to choose the Brokers' tier selection yourself)`);
        }
    }
    // The tier's zones were checked by resolveZones; a tier whose zones were refused has no LogicalTier.
    return logicalTiers.find((l) => l.name === name);
}

/** The Broker plan made one per zone of `tier`: key "broker-<zone suffix>", pinned to the zone, preferring the zone's Druid tier. */
export function expandZoneBrokers(broker: ServicePlan, tier: ZoneTiers): ServicePlan[] {
    return tier.zoneTiers.map((z) => ({
        ...broker,
        key: zoneServiceKey(broker.key, z.zone),
        label: `${broker.label}, zone ${z.zone}`,
        zone: z.zone,
        zoneGroup: broker.key,
        preferredTier: z.druidTier,
    }));
}

/** How many Brokers run in all: the Brokers of each zone times the zones, or the count given (connection pools are split over them, tuning.ts). */
export function brokerCount(args: DruidClusterArgs, perWorkload: number): number {
    const name = args.query?.broker?.preferZoneOf;
    const tier = (Array.isArray(args.data?.historicalTiers) ? args.data.historicalTiers : []).find((t) => t?.name === name);
    return name !== undefined && Array.isArray(tier?.zones) && tier.zones.length > 0 ? perWorkload * tier.zones.length : perWorkload;
}
