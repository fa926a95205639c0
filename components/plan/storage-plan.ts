import * as pulumi from "@pulumi/pulumi";
import { S3AccessMode } from "../args";

// What the plan decides for the AWS builders (aws/deep-storage.ts, aws/metadata-store.ts): the
// bucket, the database and the IAM policy text the pods get.

/** Deep storage settings after validation and defaults (see `resolveCluster`). */
export interface DeepStoragePlan {
    /** Tags of every taggable AWS resource (the user's `tags` and the component's own). Default: none. */
    tags?: Record<string, pulumi.Input<string>>;
    /** Existing bucket to use; undefined creates one. */
    existingBucketName?: pulumi.Input<string>;
    /** Root prefix; segments, task logs and MSQ durable storage live under it. */
    prefix: string;
    region?: pulumi.Input<string>;
    kmsKeyArn?: pulumi.Input<string>;
    versioning: boolean;
    /** Days S3 keeps current task logs (bucket created by the component); 0 keeps them. */
    taskLogRetentionDays: number;
    /** Days S3 keeps noncurrent versions (bucket created by the component); 0 keeps them. */
    noncurrentVersionExpirationDays: number;
    forceDestroy: boolean;
    retainOnDelete: boolean;
    /** `protect` the bucket against replacement and deletion. */
    protect: boolean;
    accessMode: S3AccessMode;
    oidcProviderArn?: pulumi.Input<string>;
    oidcProviderUrl?: pulumi.Input<string>;
    eksClusterName?: pulumi.Input<string>;
    /** Namespace and service account the IAM role trusts (the namespace plain, or another resource's output). */
    namespace: string | pulumi.Output<string>;
    serviceAccountName: string;
    /** The Overlord's own service account (tasks as Jobs), trusted too. Default: none. */
    overlordServiceAccountName?: string;
    /** The pods' extra inline policy (JSON), beside the deep-storage one. Default: none. */
    extraPolicy?: pulumi.Input<string>;
    /** Managed policies attached to the pods' role (or IAM user). Default: none. */
    managedPolicyArns?: pulumi.Input<string>[];
}

/** Least privilege: list only under the prefix, read/write/delete only objects under it. */
export function bucketAccessPolicy(bucketArn: string, prefix: string, kmsKeyArn?: string): string {
    const statements: object[] = [
        {
            Sid: "ListDruidPrefix",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: [bucketArn],
            Condition: { StringLike: { "s3:prefix": [`${prefix}/*`, prefix] } },
        },
        { Sid: "BucketLocation", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: [bucketArn] },
        {
            Sid: "ReadWriteDruidObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: [`${bucketArn}/${prefix}/*`],
        },
    ];
    if (kmsKeyArn !== undefined) {
        statements.push({ Sid: "UseBucketKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: [kmsKeyArn] });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Settings for a new RDS PostgreSQL instance, after validation and defaults. */
export interface RdsPlan {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    allowedSecurityGroupIds: pulumi.Input<string>[];
    allowedCidrBlocks: pulumi.Input<string>[];
    engineVersion: string;
    /** PostgreSQL major version, for the parameter group family. */
    major: number;
    instanceClass: string;
    allocatedStorageGb: number;
    maxAllocatedStorageGb: number;
    multiAz: boolean;
    backupRetentionDays: number;
    deletionProtection: boolean;
    skipFinalSnapshot: boolean;
    databaseName: pulumi.Input<string>;
    username: pulumi.Input<string>;
    retainOnDelete: boolean;
    protect: boolean;
}

/** The metadata store: created RDS, or an existing server. */
export interface MetadataStorePlan {
    /** Tags of every taggable AWS resource (the user's `tags` and the component's own). Default: none. */
    tags?: Record<string, pulumi.Input<string>>;
    existing?: { host: pulumi.Input<string>; port: pulumi.Input<number>; database: pulumi.Input<string>; user: pulumi.Input<string>; password: pulumi.Input<string> };
    rds?: RdsPlan;
}

export const postgresPort = 5432;
