import assert from "node:assert/strict";
import { deepStorageLifecycleRules } from "../components/aws/lifecycle-rules";
import { serviceRuntimeProperties } from "../components/config/druid-config";
import { resolveCluster } from "../components/plan/resolve";
import { DruidCluster, DruidClusterArgs } from "../index";
import { planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";

// What is deleted, and when: the S3 lifecycle of the bucket the component creates, and Druid's own
// clean-up duties in the Coordinator's and the Overlord's runtime.properties.

const day = 86400000;

/** The runtime.properties of every service of a cluster, by service key. */
function files(args: DruidClusterArgs = defaultArgs()): Record<string, Record<string, string>> {
    const plan = resolveCluster("druid", args);
    return Object.fromEntries(plan.services.map((s) => [s.key, serviceRuntimeProperties({
        kind: s.kind, tuning: s.tuning, tier: s.tier, combinedWithOverlord: s.combinedWithOverlord, metrics: "prometheus", prometheusPort: 9000,
        tls: false, retention: plan.retention, overrides: s.properties,
    })]));
}

const pick = (props: Record<string, string>, prefix: string) =>
    Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b)));

describe("retention: Druid's clean-up duties", () => {
    it("default cluster, Coordinator: metadata records after 90 days, pending segments cleaned, unused segments never killed", () => {
        const c = files().coordinator;
        assert.deepEqual(pick(c, "druid.coordinator.kill."), {
            "druid.coordinator.kill.audit.durationToRetain": "P90D",
            "druid.coordinator.kill.audit.on": "true",
            "druid.coordinator.kill.audit.period": "P1D",
            "druid.coordinator.kill.compaction.on": "true",
            "druid.coordinator.kill.compaction.period": "P1D",
            "druid.coordinator.kill.datasource.durationToRetain": "P90D",
            "druid.coordinator.kill.datasource.on": "true",
            "druid.coordinator.kill.datasource.period": "P1D",
            "druid.coordinator.kill.on": "false",
            "druid.coordinator.kill.pendingSegments.on": "true",
            "druid.coordinator.kill.rule.durationToRetain": "P90D",
            "druid.coordinator.kill.rule.on": "true",
            "druid.coordinator.kill.rule.period": "P1D",
            "druid.coordinator.kill.supervisor.durationToRetain": "P90D",
            "druid.coordinator.kill.supervisor.on": "true",
            "druid.coordinator.kill.supervisor.period": "P1D",
        });
        // Overlord duties are not in the separate Coordinator's file.
        assert.equal(c["druid.indexer.logs.kill.enabled"], undefined);
        assert.equal(c["druid.msq.intermediate.storage.cleaner.enabled"], undefined);
    });

    it("default cluster, Overlord: task logs and their metadata after 30 days (in ms, as S3's expiry), the durable-storage cleaner, no Overlord segment killer", () => {
        const o = files().overlord;
        assert.deepEqual({ ...pick(o, "druid.indexer.logs.kill."), ...pick(o, "druid.msq.intermediate.storage.cleaner."), ...pick(o, "druid.manager.segments.killUnused.") }, {
            "druid.indexer.logs.kill.enabled": "true",
            "druid.indexer.logs.kill.durationToRetain": String(30 * day),
            "druid.indexer.logs.kill.initialDelay": "900000",
            "druid.indexer.logs.kill.delay": "21600000",
            "druid.msq.intermediate.storage.cleaner.enabled": "true",
            "druid.msq.intermediate.storage.cleaner.delaySeconds": "86400",
            "druid.manager.segments.killUnused.enabled": "false",
        });
        assert.equal(o["druid.coordinator.kill.on"], undefined, "Coordinator duties are not in the Overlord's file");
        for (const other of ["broker", "router", "historical-default", "middlemanager"]) {
            assert.deepEqual(Object.keys(files()[other]).filter((k) => /\.kill\.|cleaner|killUnused/.test(k)), [], other);
        }
    });

    it("combined Coordinator-Overlord: both sets in the one file", () => {
        const c = files({ ...defaultArgs(), master: { combined: true } }).coordinator;
        assert.equal(c["druid.coordinator.kill.audit.on"], "true");
        assert.equal(c["druid.indexer.logs.kill.durationToRetain"], String(30 * day));
        assert.equal(c["druid.msq.intermediate.storage.cleaner.enabled"], "true");
    });

    it("retention days follow the arguments; 0 turns the kills off", () => {
        const f = files({ ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, taskLogRetentionDays: 7 }, metadataStore: { ...defaultArgs().metadataStore, recordRetentionDays: 365 } });
        assert.equal(f.overlord["druid.indexer.logs.kill.durationToRetain"], String(7 * day));
        assert.equal(f.coordinator["druid.coordinator.kill.audit.durationToRetain"], "P365D");
        const off = files({ ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, taskLogRetentionDays: 0 }, metadataStore: { ...defaultArgs().metadataStore, recordRetentionDays: 0 } });
        assert.equal(off.overlord["druid.indexer.logs.kill.enabled"], "false");
        assert.equal(off.overlord["druid.indexer.logs.kill.durationToRetain"], undefined);
        for (const kind of ["audit", "supervisor", "rule", "datasource", "compaction"]) {
            assert.equal(off.coordinator[`druid.coordinator.kill.${kind}.on`], "false", kind);
            assert.equal(off.coordinator[`druid.coordinator.kill.${kind}.durationToRetain`], undefined, kind);
        }
    });

    it("unused segments are killed only when asked by name, with the retention given", () => {
        const asked = files({ ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, killUnusedSegments: { enabled: true, durationToRetainDays: 180 } } }).coordinator;
        assert.equal(asked["druid.coordinator.kill.on"], "true");
        assert.equal(asked["druid.coordinator.kill.period"], "PT1H");
        assert.equal(asked["druid.coordinator.kill.durationToRetain"], "P180D");
        assert.equal(asked["druid.coordinator.kill.bufferPeriod"], "P30D");
        assert.equal(asked["druid.coordinator.kill.maxSegments"], "100");
        const tuned = files({ ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, killUnusedSegments: { enabled: true, durationToRetainDays: 0, bufferPeriodDays: 7, maxSegments: 1000 } } }).coordinator;
        assert.equal(tuned["druid.coordinator.kill.durationToRetain"], "P0D");
        assert.equal(tuned["druid.coordinator.kill.bufferPeriod"], "P7D");
        assert.equal(tuned["druid.coordinator.kill.maxSegments"], "1000");
        const off = files({ ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, killUnusedSegments: { enabled: false } } }).coordinator;
        assert.equal(off["druid.coordinator.kill.on"], "false");
        assert.equal(off["druid.coordinator.kill.durationToRetain"], undefined);
    });

    it("a user's property still wins", () => {
        const f = files({ ...defaultArgs(), master: { overlord: { properties: { "druid.indexer.logs.kill.delay": "3600000" } } } });
        assert.equal(f.overlord["druid.indexer.logs.kill.delay"], "3600000");
    });
});

describe("retention: the S3 lifecycle of the bucket the component creates", () => {
    it("default: abort uploads, task logs after 30 days, old versions of segments and durable storage after 30 days, delete markers", () => {
        assert.deepEqual(deepStorageLifecycleRules({ prefix: "druid", taskLogRetentionDays: 30, noncurrentVersionExpirationDays: 30 }), [
            { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: { prefix: "druid/" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
            {
                id: "expire-task-logs", status: "Enabled", filter: { prefix: "druid/indexing-logs/" },
                expiration: { days: 30 }, noncurrentVersionExpiration: { noncurrentDays: 1 },
            },
            {
                id: "expire-old-segment-versions", status: "Enabled", filter: { prefix: "druid/segments/" },
                noncurrentVersionExpiration: { noncurrentDays: 30 }, expiration: { expiredObjectDeleteMarker: true },
            },
            {
                id: "expire-old-durable-storage-versions", status: "Enabled", filter: { prefix: "druid/msq-durable/" },
                noncurrentVersionExpiration: { noncurrentDays: 30 }, expiration: { expiredObjectDeleteMarker: true },
            },
        ]);
    });

    it("task logs kept: their old versions follow the noncurrent rule; 0 keeps old versions", () => {
        const kept = deepStorageLifecycleRules({ prefix: "prod/druid", taskLogRetentionDays: 0, noncurrentVersionExpirationDays: 14 });
        assert.deepEqual(kept.map((r) => [r.id, (r.filter as { prefix: string }).prefix]), [
            ["abort-incomplete-multipart-uploads", "prod/druid/"],
            ["expire-old-segment-versions", "prod/druid/segments/"],
            ["expire-old-durable-storage-versions", "prod/druid/msq-durable/"],
            ["expire-old-task-log-versions", "prod/druid/indexing-logs/"],
        ]);
        assert.deepEqual(kept[3].noncurrentVersionExpiration, { noncurrentDays: 14 });
        const forever = deepStorageLifecycleRules({ prefix: "druid", taskLogRetentionDays: 0, noncurrentVersionExpirationDays: 0 });
        assert.deepEqual(forever.map((r) => r.id), ["abort-incomplete-multipart-uploads"]);
    });

    it("S3 never expires a current segment, and no rule holds days beside expiredObjectDeleteMarker (S3 rejects it)", () => {
        for (const r of deepStorageLifecycleRules({ prefix: "druid", taskLogRetentionDays: 30, noncurrentVersionExpirationDays: 30 })) {
            const e = r.expiration as { days?: number; expiredObjectDeleteMarker?: boolean } | undefined;
            assert.ok(!(e?.days !== undefined && e.expiredObjectDeleteMarker !== undefined), r.id as string);
            if ((r.filter as { prefix: string }).prefix !== "druid/indexing-logs/") assert.equal(e?.days, undefined, r.id as string);
        }
    });

    it("the cluster's lifecycle resource carries the rules; an existing bucket gets none (its lifecycle is its owner's)", async () => {
        const { plan } = await planProgram(() => new DruidCluster("druid", defaultArgs()), { preview: true, config: { "aws:region": "eu-west-1" } });
        const lifecycle = plan.get("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "druid-deep-storage-lifecycle");
        assert.deepEqual((lifecycle.inputs.rules as { id: string }[]).map((r) => r.id),
            ["abort-incomplete-multipart-uploads", "expire-task-logs", "expire-old-segment-versions", "expire-old-durable-storage-versions"]);
        const existing = await planProgram(() => new DruidCluster("druid", {
            ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, existingBucketName: "company-druid", taskLogRetentionDays: 14 },
        }), { preview: false, config: { "aws:region": "eu-west-1" } });
        assert.equal(existing.plan.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").length, 0);
        // Druid's own task-log kill still applies to its prefix in that bucket.
        const overlord = existing.plan.get("kubernetes:core/v1:ConfigMap", "druid-overlord");
        assert.match(String((overlord.inputs.data as Record<string, string>)["runtime.properties"]), new RegExp(`druid.indexer.logs.kill.durationToRetain=${14 * day}`));
    });
});
