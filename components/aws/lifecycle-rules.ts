import type * as aws from "@pulumi/aws";

/** The prefixes Druid writes under the root prefix (commonRuntimeProperties in config/druid-config.ts). */
export function deepStoragePrefixes(prefix: string): { segments: string; taskLogs: string; durable: string } {
    return { segments: `${prefix}/segments`, taskLogs: `${prefix}/indexing-logs`, durable: `${prefix}/msq-durable` };
}

/** What the lifecycle of a bucket the component creates is made from. */
export interface LifecycleInput {
    /** Root prefix. */
    prefix: string;
    /** Current task logs expire after this many days; 0 keeps them. */
    taskLogRetentionDays: number;
    /** Noncurrent versions expire after this many days; 0 keeps them. */
    noncurrentVersionExpirationDays: number;
}

type Rule = aws.types.input.s3.BucketLifecycleConfigurationRule;

/**
 * The S3 lifecycle rules of the deep-storage bucket: one rule per prefix Druid writes, so each
 * holds one policy (a `filter.prefix` with a trailing '/' matches only that folder).
 *
 * - everything under the root prefix: incomplete multipart uploads are aborted after 7 days;
 * - task logs: the current version expires after `taskLogRetentionDays` (the same days as Druid's
 *   own task-log kill), old versions a day later. A rule with `expiration.days` also removes the
 *   delete markers it leaves (S3 rejects `expiredObjectDeleteMarker` beside `days`);
 * - segments and MSQ durable storage (and task logs when they are kept): old versions expire after
 *   `noncurrentVersionExpirationDays`, and delete markers with no version left behind them go.
 *   Current versions are never expired by S3: Druid decides which segments exist.
 */
export function deepStorageLifecycleRules(l: LifecycleInput): Rule[] {
    const p = deepStoragePrefixes(l.prefix);
    const rules: Rule[] = [{
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: { prefix: `${l.prefix}/` },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    }];
    if (l.taskLogRetentionDays > 0) {
        rules.push({
            id: "expire-task-logs",
            status: "Enabled",
            filter: { prefix: `${p.taskLogs}/` },
            expiration: { days: l.taskLogRetentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
        });
    }
    if (l.noncurrentVersionExpirationDays > 0) {
        const noncurrent = (id: string, prefix: string): Rule => ({
            id,
            status: "Enabled",
            filter: { prefix: `${prefix}/` },
            noncurrentVersionExpiration: { noncurrentDays: l.noncurrentVersionExpirationDays },
            expiration: { expiredObjectDeleteMarker: true },
        });
        rules.push(noncurrent("expire-old-segment-versions", p.segments));
        rules.push(noncurrent("expire-old-durable-storage-versions", p.durable));
        if (l.taskLogRetentionDays === 0) rules.push(noncurrent("expire-old-task-log-versions", p.taskLogs));
    }
    return rules;
}
