import * as pulumi from "@pulumi/pulumi";

// Extra AWS access for the Druid pods (their IAM role, or the IAM user with static keys), re-exported
// by args.ts. Checked in resolve-iam.ts; attached in aws/deep-storage.ts.

/** Whether an IAM statement allows or denies. */
export const PolicyEffect = { Allow: "Allow", Deny: "Deny" } as const;
/** Whether an IAM statement allows or denies. */
export type PolicyEffect = (typeof PolicyEffect)[keyof typeof PolicyEffect];

/** One IAM condition of a statement: `{ "<test>": { "<variable>": [<values>] } }` in the policy JSON. */
export interface PolicyCondition {
    /** Condition operator, e.g. "StringEquals", "StringLike", "ArnLike", "IpAddress", "Bool"; an `IfExists` suffix and a `ForAllValues:`/`ForAnyValue:` prefix are allowed. */
    test: string;
    /** Condition key, e.g. "aws:SourceVpce", "s3:prefix", "kafka-cluster:topicName". */
    variable: string;
    /** Values compared with the key (at least one). */
    values: string[];
}

/**
 * One statement of the extra IAM policy of the Druid pods (e.g. read the team's S3 input buckets,
 * Kinesis streams or MSK topics). An Allow of every action ("*") on every resource ("*") is
 * refused: to grant full access, attach a managed policy by its ARN (`managedPolicyArns`).
 */
export interface PolicyStatement {
    /** Statement id (letters and digits). Default: none. */
    sid?: string;
    /** "Allow" (default) or "Deny". */
    effect?: PolicyEffect;
    /** Actions as `service:Action`, `*` and `?` wildcards allowed ("s3:GetObject", "kinesis:Get*", "kafka-cluster:*"). At least one. */
    actions: string[];
    /** Resource ARNs (another resource's output, e.g. `bucket.arn`, is accepted; `*` and `?` wildcards allowed), or "*". At least one. */
    resources: pulumi.Input<string>[];
    /** Conditions, all of which must hold. Default: none. */
    conditions?: PolicyCondition[];
}
