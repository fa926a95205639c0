import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "./args-iam";

// Storage, re-exported by args.ts: S3 deep storage (with the pods' access to it and the kill of
// unused segments) and the PostgreSQL metadata store (RDS, or an existing server, with its TLS).
// Checked in resolve.ts and resolve-iam.ts; built in aws/deep-storage.ts and aws/metadata-store.ts.

/** How Druid pods reach S3. */
export const S3AccessMode = { Irsa: "irsa", PodIdentity: "podIdentity", StaticKeys: "staticKeys" } as const;

/** How Druid pods reach S3. */
export type S3AccessMode = (typeof S3AccessMode)[keyof typeof S3AccessMode];

/** How the Coordinator and Overlord check the metadata store's TLS. */
export const MetadataSslMode = { Require: "require", VerifyFull: "verify-full" } as const;

/** How the Coordinator and Overlord check the metadata store's TLS. */
export type MetadataSslMode = (typeof MetadataSslMode)[keyof typeof MetadataSslMode];

/** Deep storage: the S3 bucket that holds every segment, task logs and durable query results. */
export interface DeepStorageSettings {
    /** Use this existing bucket instead of creating one (another resource's output, e.g. `bucket.bucket`, is accepted). Default: a new bucket. */
    existingBucketName?: pulumi.Input<string>;
    /** Key prefix under which Druid writes (segments, task logs and MSQ durable storage each get a sub-prefix). Default "druid". */
    prefix?: string;
    /** AWS region of the bucket. Default: the AWS provider's region. */
    region?: pulumi.Input<string>;
    /** KMS key ARN for SSE-KMS (another resource's output, e.g. `key.arn`, is accepted). Default: SSE-S3 (AES256). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Keep object versions. Default true. */
    versioning?: boolean;
    /**
     * Days a task log is kept. Druid's Overlord deletes older task logs and their tasks' rows in the
     * metadata store (`druid.indexer.logs.kill.*`); on a bucket the component creates, an S3
     * lifecycle rule expires them after the same number of days (and their old versions a day
     * later), as a backstop. Default 30; 0 keeps them forever (both off).
     */
    taskLogRetentionDays?: number;
    /**
     * Days S3 keeps an object's old (noncurrent) versions under the segment and MSQ
     * durable-storage prefixes (and the task-log prefix when `taskLogRetentionDays` is 0; otherwise
     * old task-log versions go after a day) before deleting them; delete markers left with no
     * version behind them are removed. With versioning on, a killed segment stays recoverable from its old version this
     * long. Only on a bucket the component creates (an existing bucket's lifecycle is yours).
     * Default 30; 0 keeps old versions forever.
     */
    noncurrentVersionExpirationDays?: number;
    /**
     * Permanently delete unused segments (from deep storage and the metadata store) with the
     * Coordinator's kill duty (`druid.coordinator.kill.*`). Dangerous: only when asked by name with
     * `enabled: true`. Default: off (`druid.coordinator.kill.on=false`).
     */
    killUnusedSegments?: UnusedSegmentKill;
    /** Allow `pulumi destroy` to delete a non-empty bucket. Default false. */
    forceDestroy?: boolean;
    /** Leave the bucket in AWS when it is removed from the stack. Default true. */
    retainOnDelete?: boolean;
    /** How pods get S3 credentials. Default "irsa". "staticKeys" creates an IAM user and access key stored in a Kubernetes Secret. */
    accessMode?: S3AccessMode;
    /** ARN of the EKS cluster's IAM OIDC provider (required for "irsa"). */
    oidcProviderArn?: pulumi.Input<string>;
    /** Issuer URL of the EKS cluster's OIDC provider, with or without "https://" (required for "irsa"). */
    oidcProviderUrl?: pulumi.Input<string>;
    /** EKS cluster name (required for "podIdentity"). */
    eksClusterName?: pulumi.Input<string>;
    /**
     * More IAM statements for the Druid pods (reading the team's ingestion sources: S3 input buckets,
     * Kinesis streams, MSK topics), an inline policy of their role (or, with "staticKeys", of their
     * IAM user) beside the deep-storage policy. Default: none.
     */
    extraPolicyStatements?: PolicyStatement[];
    /**
     * ARNs of IAM managed policies attached to the pods' role (or, with "staticKeys", their IAM user),
     * at most 25 for a role and 20 for a user (AWS's default quota is 10 for both). Another resource's output, e.g.
     * `policy.arn`, is accepted. Default: none.
     */
    managedPolicyArns?: pulumi.Input<string>[];
}

/** The Coordinator's kill of unused segments: what is deleted for good, and when. */
export interface UnusedSegmentKill {
    /** Turn the kill on. Required, so that deleting data is always asked for by name. */
    enabled: boolean;
    /**
     * Keep unused segments whose time interval ended less than this many days ago
     * (`druid.coordinator.kill.durationToRetain`). Required when `enabled`; 0 makes every unused
     * segment eligible, whatever its interval.
     */
    durationToRetainDays?: number;
    /** Days a segment must have been unused before it is killed (`druid.coordinator.kill.bufferPeriod`). Default 30, at least 1. */
    bufferPeriodDays?: number;
    /** Segments deleted per kill task (`druid.coordinator.kill.maxSegments`). Default 100. */
    maxSegments?: number;
}

/** A PostgreSQL server the user already runs. */
export interface ExistingPostgres {
    /** Host name. */
    host: pulumi.Input<string>;
    /** Port. Default 5432. */
    port?: pulumi.Input<number>;
    /** Database name. Default "druid". */
    database?: pulumi.Input<string>;
    /** User name. Default "druid". */
    user?: pulumi.Input<string>;
    /** Password (a secret). */
    password: pulumi.Input<string>;
}

/**
 * The CA certificate(s) that sign the metadata store's server certificate (for RDS, AWS's regional
 * or global bundle, e.g. `global-bundle.pem`), in PEM. Give exactly one of `pem`, `secretName` or
 * `configMapName`.
 */
export interface MetadataCaCertificate {
    /** The PEM text itself; the component stores it in a ConfigMap. */
    pem?: pulumi.Input<string>;
    /** An existing Secret in the cluster's namespace that holds the PEM under `key`. */
    secretName?: string;
    /** An existing ConfigMap in the cluster's namespace that holds the PEM under `key`. */
    configMapName?: string;
    /** Key of the PEM in the Secret or ConfigMap. Default "ca.pem". */
    key?: string;
}

/** Metadata storage: an RDS PostgreSQL instance, or an existing PostgreSQL server. */
export interface MetadataStoreSettings {
    /** Use this PostgreSQL server instead of creating RDS. Default: create RDS. */
    existing?: ExistingPostgres;
    /** VPC of the RDS instance (required when creating RDS). */
    vpcId?: pulumi.Input<string>;
    /** Private subnet ids for the DB subnet group, at least two AZs (required when creating RDS). */
    subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups allowed to connect on 5432 (the Kubernetes nodes' or pods' group). */
    allowedSecurityGroupIds?: pulumi.Input<string>[];
    /** CIDR blocks allowed to connect on 5432, one security group rule each (so the list itself is known at plan time; each entry may be an output). Never 0.0.0.0/0. */
    allowedCidrBlocks?: pulumi.Input<string>[];
    /** PostgreSQL major version, 16 or 17, or a full version such as "17.4". Default "17". */
    engineVersion?: string;
    /** Instance class. Default "db.t4g.medium". */
    instanceClass?: string;
    /** Allocated storage in GiB (gp3). Default 50. */
    allocatedStorageGb?: number;
    /** Storage autoscaling ceiling in GiB. Default 200. */
    maxAllocatedStorageGb?: number;
    /** Standby in a second AZ. Default false. */
    multiAz?: boolean;
    /** Days of automated backups, 1-35. Default 7. */
    backupRetentionDays?: number;
    /** RDS deletion protection. Default true. */
    deletionProtection?: boolean;
    /** Skip the final snapshot on delete. Default false; only when asked by name. */
    skipFinalSnapshot?: boolean;
    /** Database name. Default "druid". */
    databaseName?: pulumi.Input<string>;
    /** Master user name. Default "druid". */
    username?: pulumi.Input<string>;
    /** Leave the instance in AWS when it is removed from the stack. Default true. */
    retainOnDelete?: boolean;
    /**
     * Days Druid keeps audit records, terminated supervisors' records, and the rules and
     * datasource records of datasources that are gone, before the Coordinator deletes them
     * (`druid.coordinator.kill.{audit,supervisor,rule,datasource}.*`; compaction configurations of
     * such datasources are deleted too). Applies to an existing server as well. Default 90
     * (Druid's own default, now written down); 0 keeps them forever.
     */
    recordRetentionDays?: number;
    /**
     * TLS check of the connection (pgJDBC `sslmode`): "require" (default) encrypts but accepts any
     * server certificate; "verify-full" also checks the certificate against `caCertificate` and the
     * host name, so a man in the middle is refused. Applies to RDS and to an existing server.
     */
    sslMode?: MetadataSslMode;
    /** The CA bundle that signs the server's certificate; required with sslMode "verify-full", refused otherwise. */
    caCertificate?: MetadataCaCertificate;
}
