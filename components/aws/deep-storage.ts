import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { mapInput } from "../core/validate-input";
import { deepStorageLifecycleRules } from "./lifecycle-rules";
import { DeepStoragePlan, bucketAccessPolicy } from "../plan/storage-plan";
export { DeepStoragePlan, bucketAccessPolicy } from "../plan/storage-plan";

export { deepStoragePrefixes } from "./lifecycle-rules";

/**
 * The S3 bucket (or an existing one) and the IAM access Druid pods get to it: a role for IRSA or
 * EKS Pod Identity, or, only when asked by name, an IAM user with a static access key.
 */
export class DeepStorage extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly region: pulumi.Output<string>;
    /** Role assumed by the Druid service account (irsa / podIdentity). */
    public readonly roleArn: pulumi.Output<string | undefined>;
    /** Name of that role (irsa / podIdentity). */
    public readonly roleName: pulumi.Output<string | undefined>;
    /** The IAM user of the static keys (staticKeys), name and ARN. */
    public readonly userName: pulumi.Output<string | undefined>;
    public readonly userArn: pulumi.Output<string | undefined>;
    /** ARN of the deep-storage bucket. */
    public readonly bucketArn: pulumi.Output<string>;
    /** Static credentials (staticKeys only), both secret. */
    public readonly accessKeyId: pulumi.Output<string | undefined>;
    public readonly secretAccessKey: pulumi.Output<string | undefined>;

    constructor(name: string, plan: DeepStoragePlan, opts?: pulumi.ComponentResourceOptions) {
        super("druid:aws:DeepStorage", name, {}, opts);
        const parent = { parent: this };

        let bucketArn: pulumi.Output<string>;
        if (plan.existingBucketName === undefined) {
            const bucket = new aws.s3.Bucket(`${name}`, {
                forceDestroy: plan.forceDestroy,
                region: plan.region,
                tags: plan.tags,
            }, { ...parent, retainOnDelete: plan.retainOnDelete, protect: plan.protect });
            new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
                region: plan.region,
            }, parent);
            new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
                bucket: bucket.id,
                rule: { objectOwnership: "BucketOwnerEnforced" },
                region: plan.region,
            }, parent);
            new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
                bucket: bucket.id,
                rules: [plan.kmsKeyArn === undefined
                    ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: plan.kmsKeyArn }, bucketKeyEnabled: true }],
                region: plan.region,
            }, parent);
            new aws.s3.BucketVersioning(`${name}-versioning`, {
                bucket: bucket.id,
                versioningConfiguration: { status: plan.versioning ? "Enabled" : "Suspended" },
                region: plan.region,
            }, parent);
            // With an existing bucket, its lifecycle is its owner's (docs/data-lifecycle.md, "What is deleted, and when").
            const rules = deepStorageLifecycleRules({
                prefix: plan.prefix, taskLogRetentionDays: plan.taskLogRetentionDays, noncurrentVersionExpirationDays: plan.noncurrentVersionExpirationDays,
            });
            new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules, region: plan.region }, parent);
            // Deny plain-HTTP access to the bucket.
            new aws.s3.BucketPolicy(`${name}-tls-only`, {
                bucket: bucket.id,
                policy: bucket.arn.apply((arn) => JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [arn, `${arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    }],
                })),
                region: plan.region,
            }, parent);
            this.bucketName = bucket.bucket;
            bucketArn = bucket.arn;
            this.region = plan.region !== undefined ? pulumi.output(plan.region) : bucket.region;
        } else {
            const partition = aws.getPartitionOutput({}, parent).partition;
            this.bucketName = pulumi.output(plan.existingBucketName);
            bucketArn = pulumi.interpolate`arn:${partition}:s3:::${plan.existingBucketName}`;
            this.region = plan.region !== undefined ? pulumi.output(plan.region) : aws.getRegionOutput({}, parent).region;
        }

        const policy = pulumi.all([bucketArn, plan.kmsKeyArn]).apply(([arn, kmsKeyArn]) => bucketAccessPolicy(arn, plan.prefix, kmsKeyArn));

        let roleArn: pulumi.Output<string | undefined> = pulumi.output(undefined);
        let roleName: pulumi.Output<string | undefined> = pulumi.output(undefined);
        let userName: pulumi.Output<string | undefined> = pulumi.output(undefined);
        let userArn: pulumi.Output<string | undefined> = pulumi.output(undefined);
        let accessKeyId: pulumi.Output<string | undefined> = pulumi.output(undefined);
        let secretAccessKey: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (plan.accessMode === "staticKeys") {
            const user = new aws.iam.User(`${name}-druid`, { tags: plan.tags }, parent);
            new aws.iam.UserPolicy(`${name}-druid`, { user: user.name, policy }, parent);
            // The team's extra access (ingestion sources), beside the deep-storage policy.
            if (plan.extraPolicy !== undefined) new aws.iam.UserPolicy(`${name}-druid-extra`, { user: user.name, policy: plan.extraPolicy }, parent);
            (plan.managedPolicyArns ?? []).forEach((policyArn, i) =>
                new aws.iam.UserPolicyAttachment(`${name}-druid-managed-${i}`, { user: user.name, policyArn }, parent));
            userName = user.name;
            userArn = user.arn;
            const key = new aws.iam.AccessKey(`${name}-druid`, { user: user.name }, { ...parent, additionalSecretOutputs: ["secret"] });
            accessKeyId = pulumi.secret(key.id);
            secretAccessKey = pulumi.secret(key.secret);
        } else {
            // The service accounts the role trusts, by the suffix of their Pod Identity association's name.
            const trusted: [string, string][] = [["druid", plan.serviceAccountName],
                ...(plan.overlordServiceAccountName !== undefined ? [["overlord", plan.overlordServiceAccountName] as [string, string]] : [])];
            const assumeRolePolicy = plan.accessMode === "irsa"
                ? pulumi.all([plan.oidcProviderArn, plan.oidcProviderUrl, plan.namespace]).apply(([arn, url, ns]) =>
                    irsaTrustPolicy(String(arn), String(url), ns, trusted.map(([, sa]) => sa)))
                : JSON.stringify(podIdentityTrustPolicy());
            const role = new aws.iam.Role(`${name}-druid`, {
                description: mapInput(plan.namespace, (ns) => `Druid pods (${ns}/${plan.serviceAccountName}) access to deep storage`),
                assumeRolePolicy,
                tags: plan.tags,
            }, parent);
            new aws.iam.RolePolicy(`${name}-druid`, { role: role.id, policy }, parent);
            // The team's extra access (ingestion sources), beside the deep-storage policy.
            if (plan.extraPolicy !== undefined) new aws.iam.RolePolicy(`${name}-druid-extra`, { role: role.id, policy: plan.extraPolicy }, parent);
            (plan.managedPolicyArns ?? []).forEach((policyArn, i) =>
                new aws.iam.RolePolicyAttachment(`${name}-druid-managed-${i}`, { role: role.name, policyArn }, parent));
            if (plan.accessMode === "podIdentity") {
                // An association names one service account (EKS CreatePodIdentityAssociation): the Overlord's gets its own.
                for (const [suffix, serviceAccount] of trusted) {
                    new aws.eks.PodIdentityAssociation(`${name}-${suffix}`, {
                        clusterName: plan.eksClusterName as pulumi.Input<string>,
                        namespace: plan.namespace,
                        serviceAccount,
                        roleArn: role.arn,
                        tags: plan.tags,
                    }, parent);
                }
            }
            roleArn = role.arn;
            roleName = role.name;
        }
        this.roleArn = roleArn;
        this.roleName = roleName;
        this.userName = userName;
        this.userArn = userArn;
        this.bucketArn = bucketArn;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn, region: this.region, roleArn, roleName, userName, userArn, accessKeyId, secretAccessKey });
    }
}

/**
 * IRSA trust: the cluster's OIDC provider, for the service account(s) given (one `sub` each, in the
 * namespace): give more names to let another service account of the cluster assume the role too.
 */
export function irsaTrustPolicy(oidcProviderArn: string, oidcProviderUrl: string, namespace: string, serviceAccount: string | string[]): string {
    const issuer = oidcProviderUrl.replace(/^https:\/\//, "");
    const subjects = (Array.isArray(serviceAccount) ? serviceAccount : [serviceAccount]).map((sa) => `system:serviceaccount:${namespace}:${sa}`);
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${issuer}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
                    [`${issuer}:aud`]: "sts.amazonaws.com",
                },
            },
        }],
    });
}

function podIdentityTrustPolicy(): object {
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
        }],
    };
}
