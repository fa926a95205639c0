import * as pulumi from "@pulumi/pulumi";
import { haDefaultInstanceClass, ClusterPlan } from "./cluster-plan";
import { DruidClusterArgs } from "../args";
import { bucketAccessPolicy, MetadataStorePlan } from "./storage-plan";
import { resolveExtraIam } from "./resolve-iam";
import { UnusedSegmentKill } from "./retention-plan";
import { DruidArgumentError } from "../core/errors";
import { checkBucketName, checkCidr, checkExclusive, checkInteger, checkKmsKeyArn, checkOneOf } from "./validate";
import { checkInput, isDeferred } from "../core/validate-input";

// The plan of storage: S3 deep storage (bucket, prefix, access) and the metadata store (RDS or yours).

export function resolveDeepStorage(args: DruidClusterArgs): ClusterPlan["deepStorage"] {
    const d = args.deepStorage;
    if (d === undefined || d === null) {
        throw new DruidArgumentError("deepStorage", d, "is required: give the IRSA OIDC provider (oidcProviderArn, oidcProviderUrl) or an existing bucket");
    }
    // kmsKeyArn stays allowed with an existing bucket: the IAM policy then grants use of its key.
    // taskLogRetentionDays stays allowed too: with an existing bucket it drives Druid's own task-log kill only.
    checkExclusive("deepStorage", "existingBucketName", d as Record<string, unknown>, ["versioning", "noncurrentVersionExpirationDays", "forceDestroy", "retainOnDelete"]);
    // The bucket, key and region may be other resources' outputs: checked now when known, else when they resolve (validate-input.ts).
    const existingBucketName = d.existingBucketName === undefined ? undefined : checkInput(d.existingBucketName, (v) => checkBucketName("deepStorage.existingBucketName", v));
    const kmsKeyArn = d.kmsKeyArn === undefined ? undefined : checkInput(d.kmsKeyArn, (v) => checkKmsKeyArn("deepStorage.kmsKeyArn", v));
    const prefix = d.prefix ?? "druid";
    // The prefix lands in the IAM policy's Resource ARN and its s3:prefix StringLike condition, where
    // '*' and '?' are wildcards and '${...}' a policy variable (IAM User Guide,
    // reference_policies_elements_resource.html "Using wildcards in resource ARNs",
    // reference_policies_elements_condition_operators.html "String condition operators",
    // reference_policies_variables.html): only S3's safe characters without them are allowed.
    if (typeof prefix !== "string" || prefix.length > 512 || !/^[A-Za-z0-9!_.'()-]+(\/[A-Za-z0-9!_.'()-]+)*$/.test(prefix)) {
        throw new DruidArgumentError("deepStorage.prefix", prefix,
            "must be an S3 key prefix without leading or trailing '/', e.g. \"druid\" or \"prod/druid\": letters, digits and ! _ . ' ( ) - in '/'-separated parts " +
            "(no '*', '?', '$', '{' or '}': IAM reads them as wildcards or policy variables, and the access policy would reach beyond the prefix)");
    }
    const region = d.region === undefined ? undefined : checkInput(d.region, (v) => {
        if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(v)) throw new DruidArgumentError("deepStorage.region", v, "must be an AWS region such as \"eu-west-1\"");
        return v;
    });
    const accessMode = checkOneOf("deepStorage.accessMode", d.accessMode, "irsa", ["irsa", "podIdentity", "staticKeys"] as const);
    for (const key of ["oidcProviderArn", "oidcProviderUrl"] as const) {
        if (accessMode === "irsa" && d[key] === undefined) {
            throw new DruidArgumentError(`deepStorage.${key}`, undefined,
                "is required for accessMode \"irsa\": give the EKS cluster's IAM OIDC provider ARN and issuer URL, or choose accessMode \"podIdentity\"");
        }
    }
    if (typeof d.oidcProviderArn === "string" && !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/[A-Za-z0-9.\-/_]+$/.test(d.oidcProviderArn)) {
        // The trust policy's Principal: no wildcard or policy variable can reach it.
        throw new DruidArgumentError("deepStorage.oidcProviderArn", d.oidcProviderArn,
            "must be an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE");
    }
    if (typeof d.oidcProviderUrl === "string" && !/^(https:\/\/)?[A-Za-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/.test(d.oidcProviderUrl)) {
        // The trust policy's condition keys are "<issuer>:sub" and "<issuer>:aud".
        throw new DruidArgumentError("deepStorage.oidcProviderUrl", d.oidcProviderUrl,
            "must be the OIDC issuer URL such as https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE (host and path only)");
    }
    if (accessMode === "podIdentity" && d.eksClusterName === undefined) {
        throw new DruidArgumentError("deepStorage.eksClusterName", undefined, "is required for accessMode \"podIdentity\"");
    }
    const extraIam = resolveExtraIam(d, accessMode === "staticKeys" ? "user" : "role");
    if (typeof extraIam.extraPolicy === "string") {
        // IAM quotas (reference_iam-quotas.html): a role's inline policies together hold at most 10,240
        // characters, a user's 2,048 (whitespace not counted). The deep-storage policy takes its share,
        // counted here with the longest bucket name and the KMS key ARN when known.
        const limit = accessMode === "staticKeys" ? 2048 : 10240;
        const builtIn = bucketAccessPolicy(`arn:aws:s3:::${"x".repeat(63)}`, prefix, typeof kmsKeyArn === "string" ? kmsKeyArn : undefined).length;
        if (builtIn + extraIam.extraPolicy.length > limit) {
            throw new DruidArgumentError("deepStorage.extraPolicyStatements", `${extraIam.extraPolicy.length} characters of policy`,
                `must fit, with the deep-storage policy (up to ${builtIn}), in the ${limit} characters IAM allows the inline policies of ${accessMode === "staticKeys" ? "a user" : "a role"}: ` +
                "use wildcards, fewer statements, or a managed policy (managedPolicyArns)");
        }
    }
    return {
        ...extraIam,
        existingBucketName,
        prefix,
        region,
        kmsKeyArn,
        versioning: d.versioning ?? true,
        taskLogRetentionDays: checkInteger("deepStorage.taskLogRetentionDays", d.taskLogRetentionDays, 30, 0, 3650),
        noncurrentVersionExpirationDays: checkInteger("deepStorage.noncurrentVersionExpirationDays", d.noncurrentVersionExpirationDays, 30, 0, 3650),
        forceDestroy: d.forceDestroy ?? false,
        retainOnDelete: d.retainOnDelete ?? true,
        protect: args.protectStorage ?? true,
        accessMode,
        oidcProviderArn: d.oidcProviderArn,
        oidcProviderUrl: d.oidcProviderUrl,
        eksClusterName: d.eksClusterName,
    };
}

/** The Coordinator's kill of unused segments: off unless `enabled: true` is given with a retention. */
export function resolveUnusedSegmentKill(args: DruidClusterArgs): UnusedSegmentKill | undefined {
    const k = args.deepStorage.killUnusedSegments;
    if (k === undefined) return undefined;
    const argument = "deepStorage.killUnusedSegments";
    if (k === null || typeof k !== "object" || Array.isArray(k)) {
        throw new DruidArgumentError(argument, k, "must be an object such as { enabled: true, durationToRetainDays: 90 }");
    }
    if (typeof k.enabled !== "boolean") {
        throw new DruidArgumentError(`${argument}.enabled`, k.enabled,
            "must be given as true or false: the kill deletes unused segments from deep storage and the metadata store for good, so it is only turned on by name");
    }
    if (!k.enabled) return undefined;
    if (k.durationToRetainDays === undefined) {
        throw new DruidArgumentError(`${argument}.durationToRetainDays`, undefined,
            "is required with enabled: true: unused segments whose interval ended less than this many days ago are kept (druid.coordinator.kill.durationToRetain); 0 makes every unused segment eligible");
    }
    return {
        durationToRetainDays: checkInteger(`${argument}.durationToRetainDays`, k.durationToRetainDays, 0, 0, 36500),
        bufferPeriodDays: checkInteger(`${argument}.bufferPeriodDays`, k.bufferPeriodDays, 30, 1, 3650),
        maxSegments: checkInteger(`${argument}.maxSegments`, k.maxSegments, 100, 1, 100000),
    };
}

export function resolveMetadataStore(args: DruidClusterArgs, protect: boolean, highAvailability: boolean): MetadataStorePlan {
    const m = args.metadataStore;
    if (m === undefined || m === null) {
        throw new DruidArgumentError("metadataStore", m, "is required: give vpcId, subnetIds and allowedSecurityGroupIds to create RDS, or an existing server");
    }
    const createKeys = ["vpcId", "subnetIds", "allowedSecurityGroupIds", "allowedCidrBlocks", "engineVersion", "instanceClass", "allocatedStorageGb",
        "maxAllocatedStorageGb", "multiAz", "backupRetentionDays", "deletionProtection", "skipFinalSnapshot", "databaseName", "username", "retainOnDelete"];
    checkExclusive("metadataStore", "existing", m as Record<string, unknown>, createKeys);
    if (m.existing !== undefined) {
        const e = m.existing;
        if (e.host === undefined || e.password === undefined) {
            throw new DruidArgumentError("metadataStore.existing", e.host === undefined ? "no host" : "no password", "needs host and password (a secret)");
        }
        return {
            existing: {
                host: e.host,
                port: checkInput(e.port ?? 5432, (v) => checkInteger("metadataStore.existing.port", v, 5432, 1, 65535)),
                database: checkInput(e.database ?? "druid", (v) => checkSqlName("metadataStore.existing.database", v)),
                user: checkInput(e.user ?? "druid", (v) => checkSqlName("metadataStore.existing.user", v)),
                password: e.password,
            },
        };
    }
    if (m.vpcId === undefined) {
        throw new DruidArgumentError("metadataStore.vpcId", undefined, "is required when the component creates the RDS instance (or give metadataStore.existing)");
    }
    const checkSubnets = <T>(ids: T[] | undefined): T[] => {
        if (ids === undefined || ids.length < 2) {
            throw new DruidArgumentError("metadataStore.subnetIds", ids,
                "needs at least two private subnet ids in different availability zones when the component creates the RDS instance");
        }
        return ids;
    };
    // A list known now is checked now (its entries may be outputs); an Output of a list (`vpc.privateSubnetIds`) when it resolves.
    const subnetIds = m.subnetIds === undefined || !isDeferred(m.subnetIds)
        ? checkSubnets(m.subnetIds)
        : pulumi.output(m.subnetIds).apply((ids) => checkSubnets(ids));
    const sgs = m.allowedSecurityGroupIds ?? [];
    const cidrs = (m.allowedCidrBlocks ?? []).map((c, i) => checkInput(c, (v) => checkCidr(`metadataStore.allowedCidrBlocks[${i}]`, v)));
    if (sgs.length === 0 && cidrs.length === 0) {
        throw new DruidArgumentError("metadataStore.allowedSecurityGroupIds", undefined,
            "or metadataStore.allowedCidrBlocks must name who may connect (the Kubernetes nodes' or pods' security group)");
    }
    const engineVersion = m.engineVersion ?? "17";
    const ev = /^(16|17)(\.\d+)?$/.exec(engineVersion);
    if (!ev) {
        throw new DruidArgumentError("metadataStore.engineVersion", engineVersion, "must be PostgreSQL 16 or 17, as a major (\"17\") or full version (\"17.4\")");
    }
    const instanceClass = m.instanceClass ?? (highAvailability ? haDefaultInstanceClass : "db.t4g.medium");
    if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceClass)) {
        throw new DruidArgumentError("metadataStore.instanceClass", m.instanceClass, "must be an RDS instance class such as \"db.t4g.medium\" or \"db.m7g.large\"");
    }
    if (highAvailability && /^db\.t\d/.test(instanceClass)) {
        // Burstable classes run on CPU credits: a credit-starved primary, or a standby promoted onto
        // an instance without credits, slows every Coordinator and Overlord query.
        throw new DruidArgumentError("metadataStore.instanceClass", instanceClass,
            `is a burstable class, refused with highAvailability: choose a non-burstable class such as "${haDefaultInstanceClass}" or "db.r7g.large" (or leave it unset for "${haDefaultInstanceClass}")`);
    }
    if (highAvailability && m.multiAz === false) {
        throw new DruidArgumentError("metadataStore.multiAz", false, "cannot be false with highAvailability: the profile runs RDS with a standby in a second availability zone");
    }
    const allocated = checkInteger("metadataStore.allocatedStorageGb", m.allocatedStorageGb, 50, 20, 65536);
    return {
        rds: {
            vpcId: m.vpcId,
            subnetIds,
            allowedSecurityGroupIds: sgs,
            allowedCidrBlocks: cidrs,
            engineVersion,
            major: Number(ev[1]),
            instanceClass,
            allocatedStorageGb: allocated,
            maxAllocatedStorageGb: checkInteger("metadataStore.maxAllocatedStorageGb", m.maxAllocatedStorageGb, Math.max(200, allocated), allocated, 65536),
            multiAz: m.multiAz ?? highAvailability,
            backupRetentionDays: checkInteger("metadataStore.backupRetentionDays", m.backupRetentionDays, 7, 1, 35),
            deletionProtection: m.deletionProtection ?? true,
            skipFinalSnapshot: m.skipFinalSnapshot ?? false,
            databaseName: checkInput(m.databaseName ?? "druid", (v) => checkSqlName("metadataStore.databaseName", v)),
            username: checkInput(m.username ?? "druid", (v) => checkSqlName("metadataStore.username", v)),
            retainOnDelete: m.retainOnDelete ?? true,
            protect,
        },
    };
}

export function checkSqlName(argument: string, value: string): string {
    // typeof first: RegExp.test would read `false` as the string "false".
    if (typeof value !== "string" || !/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(value) || ["postgres", "rdsadmin", "admin", "template0", "template1"].includes(value)) {
        throw new DruidArgumentError(argument, value, "must start with a letter, hold only letters, digits and '_', at most 63 characters, and not be a reserved name");
    }
    return value;
}
