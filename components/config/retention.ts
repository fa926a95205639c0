import { PropertyMap } from "../core/properties";
import { RetentionConfig } from "../plan/retention-plan";
export { UnusedSegmentKill, RetentionConfig } from "../plan/retention-plan";

// What Druid deletes, and when: the Coordinator's and the Overlord's clean-up duties. Every kill is
// written out, on or off, so a cluster does not depend on defaults that change between releases
// (Druid 37's CoordinatorKillConfigs turns the metadata kills on by default, at P90D; its docs and
// its source disagree on the Overlord's unused-segment killer). Sources: docs/configuration/index.md
// ("Data management", "Metadata management", "Task logging", "Auto-kill unused segments"),
// docs/operations/clean-metadata-store.md, docs/multi-stage-query/reference.md ("Durable storage").

const dayMillis = 24 * 60 * 60 * 1000;

/** How often each metadata kill runs: at least `druid.coordinator.period.metadataStoreManagementPeriod` (PT1H). */
export const metadataKillPeriod = "P1D";

/** How often the Coordinator submits kill tasks: at least `druid.coordinator.period.indexingPeriod` (PT1800S). */
export const segmentKillPeriod = "PT1H";

/** The Overlord's task-log kill: first run this long after start (ms), then every `delay` (ms, Druid's default of 6 hours). */
export const taskLogKillSchedule = { initialDelayMillis: 15 * 60 * 1000, delayMillis: 6 * 60 * 60 * 1000 };

/** The MSQ durable-storage cleaner's period, in seconds (Druid's default). */
export const durableStorageCleanerDelaySeconds = 86400;

/** `runtime.properties` of the Coordinator: metadata records and, when asked, unused segments. */
export function coordinatorRetentionProperties(r: RetentionConfig): PropertyMap {
    const p: PropertyMap = {};
    const records = r.recordRetentionDays > 0;
    for (const kind of ["audit", "supervisor", "rule", "datasource"] as const) {
        p[`druid.coordinator.kill.${kind}.on`] = String(records);
        if (records) {
            p[`druid.coordinator.kill.${kind}.period`] = metadataKillPeriod;
            p[`druid.coordinator.kill.${kind}.durationToRetain`] = `P${r.recordRetentionDays}D`;
        }
    }
    // Compaction configurations of datasources with no segments left have no retention of their own
    // (clean-metadata-store.md, "Compaction configuration records"): they follow the other records.
    p["druid.coordinator.kill.compaction.on"] = String(records);
    if (records) p["druid.coordinator.kill.compaction.period"] = metadataKillPeriod;
    // Stale pendingSegments rows slow segment allocation; Druid's default, pinned.
    p["druid.coordinator.kill.pendingSegments.on"] = "true";
    const k = r.killUnusedSegments;
    p["druid.coordinator.kill.on"] = String(k !== undefined);
    if (k !== undefined) {
        p["druid.coordinator.kill.period"] = segmentKillPeriod;
        p["druid.coordinator.kill.durationToRetain"] = `P${k.durationToRetainDays}D`;
        p["druid.coordinator.kill.bufferPeriod"] = `P${k.bufferPeriodDays}D`;
        p["druid.coordinator.kill.maxSegments"] = String(k.maxSegments);
    }
    return p;
}

/** `runtime.properties` of the Overlord (or the combined Coordinator-Overlord): task logs, MSQ durable storage. */
export function overlordRetentionProperties(r: RetentionConfig): PropertyMap {
    const p: PropertyMap = {};
    const logs = r.taskLogRetentionDays > 0;
    // Deletes task logs in S3 and the tasks' rows in the metadata store older than durationToRetain (milliseconds).
    p["druid.indexer.logs.kill.enabled"] = String(logs);
    if (logs) {
        p["druid.indexer.logs.kill.durationToRetain"] = String(r.taskLogRetentionDays * dayMillis);
        p["druid.indexer.logs.kill.initialDelay"] = String(taskLogKillSchedule.initialDelayMillis);
        p["druid.indexer.logs.kill.delay"] = String(taskLogKillSchedule.delayMillis);
    }
    // Deletes what MSQ tasks left under the durable-storage prefix once no controller task runs for it
    // (query results are kept for druid.msq.intermediate.storage.cleaner.durationToRetain, 6 hours by default).
    p["druid.msq.intermediate.storage.cleaner.enabled"] = "true";
    p["druid.msq.intermediate.storage.cleaner.delaySeconds"] = String(durableStorageCleanerDelaySeconds);
    // The Overlord's own unused-segment killer "MUST NOT be enabled if druid.coordinator.kill.on is
    // true" (docs/configuration/index.md, "Auto-kill unused segments"); unused segments are killed by
    // the Coordinator only, when asked.
    p["druid.manager.segments.killUnused.enabled"] = "false";
    return p;
}
