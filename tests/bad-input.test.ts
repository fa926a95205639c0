import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DruidArgumentError, DruidCluster, DruidClusterArgs, DruidSizingError, HistoricalTierArgs } from "../index";
import { planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";

/**
 * Bad input: every row takes the valid `defaultArgs()`, breaks one thing, and expects
 * `new DruidCluster(...)` to throw a DruidArgumentError (or DruidSizingError) that names the
 * argument, the value given and what is allowed, before any resource is registered.
 *
 * Rows with `pending` are known gaps of the component (wrong argument named, unclear message, no
 * check): they run as `it.skip` until the component is fixed. Run them anyway with
 * `BAD_INPUT_RUN_PENDING=1 npx mocha tests/bad-input.test.ts`.
 */
export interface BadInputCase {
    /** What is wrong, as the test title. */
    description: string;
    /** Resource name passed to DruidCluster. Default "druid". */
    name?: string;
    /** Breaks one thing in valid arguments (mutates them in place). */
    breaks?: (args: DruidClusterArgs) => void;
    /** DruidArgumentError (default) or DruidSizingError. */
    error?: "argument" | "sizing";
    /** Argument path: asserted on `DruidArgumentError.argument`; for sizing errors only documents where to look. */
    argument: string;
    /** Must match the message: the value given and what is allowed. */
    message: RegExp;
    /** The rule, for the README's validation table. */
    rule: string;
    /** The rejected value as the README shows it. */
    given: string;
    /** Why the row is skipped: the component does not (yet) throw the expected error. */
    pending?: string;
}

/** An out-of-type value, as a user of another Pulumi language (or plain JavaScript) could pass. */
function invalid<T>(value: unknown): T {
    return value as T;
}

/** A regex matching the given literal parts, in order, with anything between them. */
function lit(...parts: string[]): RegExp {
    return new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".*"));
}

/** A valid Historical tier, to break one field of. */
function tier(overrides: Partial<HistoricalTierArgs> = {}): HistoricalTierArgs {
    return { name: "hot", volumeSize: "100Gi", ...overrides };
}

const dnsLabel = "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit";
const wholeNumber = (min: number, max: number) => `must be a whole number from ${min} to ${max}`;
const quantity = "expected a Kubernetes quantity such as \"512Mi\", \"16Gi\" or \"100G\"";
const cpuQuantity = "expected a Kubernetes CPU quantity greater than zero such as \"500m\", \"2\" or \"1.5\"";
const bucketRule = "must be a valid S3 bucket name: 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit";

/** Where each service's replicas live, with the allowed range. */
const replicaTargets: { service: string; argument: string; max: number; set: (a: DruidClusterArgs, v: number) => void }[] = [
    { service: "broker", argument: "query.broker.replicas", max: 100, set: (a, v) => { a.query = { broker: { replicas: v } }; } },
    { service: "router", argument: "query.router.replicas", max: 100, set: (a, v) => { a.query = { router: { replicas: v } }; } },
    { service: "coordinator", argument: "master.coordinator.replicas", max: 100, set: (a, v) => { a.master = { coordinator: { replicas: v } }; } },
    { service: "overlord", argument: "master.overlord.replicas", max: 100, set: (a, v) => { a.master = { overlord: { replicas: v } }; } },
    { service: "historical tier", argument: "data.historicalTiers[0].replicas", max: 500, set: (a, v) => { a.data = { historicalTiers: [tier({ replicas: v })] }; } },
    { service: "ingestion", argument: "data.ingestion.replicas", max: 500, set: (a, v) => { a.data = { ingestion: { replicas: v } }; } },
];

export const cases: BadInputCase[] = [
    // ---- Names, version, image
    {
        description: "resource name that is not a DNS label", name: "Druid_Cluster",
        argument: "name (the resource name)", message: lit('got "Druid_Cluster"', dnsLabel, "at most 40 characters"),
        rule: "DNS label, at most 40 characters", given: "Druid_Cluster",
    },
    {
        description: "resource name longer than 40 characters", name: `druid-${"x".repeat(35)}`,
        argument: "name (the resource name)", message: lit(`got "druid-${"x".repeat(35)}"`, dnsLabel, "at most 40 characters"),
        rule: "DNS label, at most 40 characters", given: "(a 41-character name)",
    },
    {
        description: "namespace that is not a DNS label", breaks: (a) => { a.namespace = "Druid NS"; },
        argument: "namespace", message: lit('got "Druid NS"', dnsLabel, "at most 63 characters"),
        rule: "DNS label, at most 63 characters", given: "Druid NS",
    },
    {
        description: "druidVersion \"latest\"", breaks: (a) => { a.druidVersion = "latest"; },
        argument: "druidVersion", message: lit('got "latest"; must be a Druid release number such as "37.0.0"'),
        rule: "a release number x.y.z", given: "latest",
    },
    {
        description: "druidVersion \"37\" (not x.y.z)", breaks: (a) => { a.druidVersion = "37"; },
        argument: "druidVersion", message: lit('got "37"; must be a Druid release number such as "37.0.0"'),
        rule: "a release number x.y.z", given: "37",
    },
    {
        description: "image with upper-case letters", breaks: (a) => { a.image = "Apache/Druid"; },
        argument: "image", message: lit('got "Apache/Druid"; must be an image repository such as "apache/druid"'),
        rule: "lower-case image repository, without tag", given: "Apache/Druid",
    },
    {
        description: "image with a space", breaks: (a) => { a.image = "apache/ druid"; },
        argument: "image", message: lit('got "apache/ druid"; must be an image repository such as "apache/druid"'),
        rule: "lower-case image repository, without tag", given: "apache/ druid",
    },

    // ---- Replicas of every Druid service
    ...replicaTargets.flatMap((t) => [0, -1, 1.5].map((v): BadInputCase => ({
        description: `${t.service} replicas ${v}`, breaks: (a) => t.set(a, v),
        argument: t.argument, message: lit(`got ${v}; ${wholeNumber(1, t.max)}`),
        rule: `whole number, 1-${t.max}`, given: String(v),
    }))),

    // ---- ZooKeeper
    {
        description: "zookeeper replicas 2 (even)", breaks: (a) => { a.zookeeper = { replicas: 2 }; },
        argument: "zookeeper.replicas", message: lit("got 2; must be odd (1, 3, 5 or 7)"),
        rule: "odd, 1-7", given: "2",
    },
    {
        description: "zookeeper replicas 0", breaks: (a) => { a.zookeeper = { replicas: 0 }; },
        argument: "zookeeper.replicas", message: lit(`got 0; ${wholeNumber(1, 7)}`),
        rule: "odd, 1-7", given: "0",
    },
    {
        description: "zookeeper externalConnectString combined with replicas",
        breaks: (a) => { a.zookeeper = { externalConnectString: "zk-0.zk:2181", replicas: 3 }; },
        argument: "zookeeper.externalConnectString",
        message: lit('got "zk-0.zk:2181"; cannot be combined with zookeeper.replicas', "give one or the other"),
        rule: "not with replicas, image, resources, volumeSize, storageClass or scheduling", given: "\"zk-0.zk:2181\" + replicas 3",
    },
    {
        description: "zookeeper externalConnectString without a port", breaks: (a) => { a.zookeeper = { externalConnectString: "zk" }; },
        argument: "zookeeper.externalConnectString", message: lit('got "zk"; must be host:port[,host:port...][/chroot]'),
        rule: "host:port[,host:port...][/chroot]", given: "zk",
    },

    // ---- CPU and memory quantities
    {
        description: "broker CPU \"two\"", breaks: (a) => { a.query = { broker: { resources: { cpu: "two", memory: "8Gi" } } }; },
        argument: "query.broker.resources.cpu", message: lit(`got "two"; ${cpuQuantity}`),
        rule: "CPU quantity greater than zero", given: "two",
    },
    {
        description: "historical CPU \"0\"", breaks: (a) => { a.data = { historicalTiers: [tier({ resources: { cpu: "0", memory: "16Gi" } })] }; },
        argument: "data.historicalTiers[0].resources.cpu", message: lit(`got "0"; ${cpuQuantity}`),
        rule: "CPU quantity greater than zero", given: "0",
    },
    {
        description: "zookeeper CPU \"-1\"", breaks: (a) => { a.zookeeper = { resources: { cpu: "-1", memory: "1Gi" } }; },
        argument: "zookeeper.resources.cpu", message: lit(`got "-1"; ${cpuQuantity}`),
        rule: "CPU quantity greater than zero", given: "-1",
    },
    {
        description: "historical memory \"16GB\"", breaks: (a) => { a.data = { historicalTiers: [tier({ resources: { cpu: "4", memory: "16GB" } })] }; },
        argument: "data.historicalTiers[0].resources.memory", message: lit(`got "16GB"; ${quantity}`),
        rule: "Kubernetes quantity greater than zero", given: "16GB",
    },
    {
        description: "coordinator memory \"lots\"", breaks: (a) => { a.master = { coordinator: { resources: { cpu: "2", memory: "lots" } } }; },
        argument: "master.coordinator.resources.memory", message: lit(`got "lots"; ${quantity}`),
        rule: "Kubernetes quantity greater than zero", given: "lots",
    },
    {
        description: "ingestion memory \"0\"", breaks: (a) => { a.data = { ingestion: { resources: { cpu: "4", memory: "0" } } }; },
        argument: "data.ingestion.resources.memory", message: lit('got "0"; must be greater than zero'),
        rule: "Kubernetes quantity greater than zero", given: "0",
    },

    // ---- Historical tiers and ingestion
    {
        description: "historical tier without volumeSize",
        breaks: (a) => { a.data = { historicalTiers: [{ name: "hot", volumeSize: invalid<string>(undefined) }] }; },
        argument: "data.historicalTiers[0].volumeSize", message: lit('got nothing; is required', 'such as "100Gi"'),
        rule: "required, a Kubernetes quantity", given: "(missing)",
    },
    {
        description: "historical volumeSize \"100 gigs\"", breaks: (a) => { a.data = { historicalTiers: [tier({ volumeSize: "100 gigs" })] }; },
        argument: "data.historicalTiers[0].volumeSize", message: lit(`got "100 gigs"; ${quantity}`),
        rule: "required, a Kubernetes quantity", given: "100 gigs",
    },
    {
        description: "ingestion volumeSize \"50 GB\"", breaks: (a) => { a.data = { ingestion: { volumeSize: "50 GB" } }; },
        argument: "data.ingestion.volumeSize", message: lit(`got "50 GB"; ${quantity}`),
        rule: "Kubernetes quantity greater than zero", given: "50 GB",
    },
    {
        description: "two historical tiers with the same name", breaks: (a) => { a.data = { historicalTiers: [tier(), tier()] }; },
        argument: "data.historicalTiers[1].name", message: lit('got "hot"; is used by another tier; tier names must be unique'),
        rule: "unique among tiers", given: "(\"hot\" twice)",
    },
    {
        description: "historical tier name \"Hot_Tier\"", breaks: (a) => { a.data = { historicalTiers: [tier({ name: "Hot_Tier" })] }; },
        argument: "data.historicalTiers[0].name", message: lit('got "Hot_Tier"', dnsLabel, "at most 30 characters"),
        rule: "DNS label, at most 30 characters", given: "Hot_Tier",
    },
    {
        description: "druidTier with spaces", breaks: (a) => { a.data = { historicalTiers: [tier({ druidTier: "hot tier" })] }; },
        argument: "data.historicalTiers[0].druidTier", message: lit('got "hot tier"; must hold only letters, digits, \'_\' and \'-\''),
        rule: "letters, digits, '_' and '-'", given: "hot tier",
    },

    // ---- Extensions and properties
    {
        description: "extraExtensions typo \"druid-s3-extension\"", breaks: (a) => { a.extraExtensions = ["druid-s3-extension"]; },
        argument: "extraExtensions[0]", message: lit('got "druid-s3-extension"; is not a Druid extension; did you mean "druid-s3-extensions"?'),
        rule: "a Druid extension name (with a \"did you mean\" hint)", given: "druid-s3-extension",
    },
    {
        description: "unknown extension \"druid-foo\" (no hint)", breaks: (a) => { a.extraExtensions = ["druid-foo"]; },
        argument: "extraExtensions[0]", message: /got "druid-foo"; is not a Druid extension \(see docs\/configuration\/extensions\.md\)/,
        rule: "a Druid extension name (with a \"did you mean\" hint)", given: "druid-foo",
    },
    {
        description: "commonProperties key with a space", breaks: (a) => { a.commonProperties = { "druid.server.http numThreads": "40" }; },
        argument: "commonProperties[\"druid.server.http numThreads\"]",
        message: lit('got "druid.server.http numThreads"; property names are dotted identifiers such as druid.server.http.numThreads'),
        rule: "keys are dotted identifiers; values strings", given: "druid.server.http numThreads",
    },

    // ---- Deep storage
    {
        description: "existingBucketName \"My_Bucket\"", breaks: (a) => { a.deepStorage.existingBucketName = "My_Bucket"; },
        argument: "deepStorage.existingBucketName", message: lit(`got "My_Bucket"; ${bucketRule}`),
        rule: "S3 bucket name", given: "My_Bucket",
    },
    {
        description: "existingBucketName \"ab\" (too short)", breaks: (a) => { a.deepStorage.existingBucketName = "ab"; },
        argument: "deepStorage.existingBucketName", message: lit(`got "ab"; ${bucketRule}`),
        rule: "S3 bucket name", given: "ab",
    },
    {
        description: "existingBucketName \"x..y\" (consecutive dots)", breaks: (a) => { a.deepStorage.existingBucketName = "x..y"; },
        argument: "deepStorage.existingBucketName", message: lit(`got "x..y"; ${bucketRule}`),
        rule: "S3 bucket name", given: "x..y",
    },
    {
        description: "existingBucketName combined with versioning",
        breaks: (a) => {
            a.deepStorage.existingBucketName = "druid-segments";
            a.deepStorage.versioning = false;
        },
        argument: "deepStorage.existingBucketName",
        message: lit('got "druid-segments"; cannot be combined with deepStorage.versioning, which only apply when the component creates it; give one or the other'),
        rule: "not with versioning, taskLogRetentionDays, forceDestroy or retainOnDelete", given: "\"druid-segments\" + versioning",
    },
    {
        description: "kmsKeyArn that is not an ARN", breaks: (a) => { a.deepStorage.kmsKeyArn = "alias/druid"; },
        argument: "deepStorage.kmsKeyArn", message: lit('got "alias/druid"; must be a KMS key ARN such as arn:aws:kms:'),
        rule: "KMS key or alias ARN", given: "alias/druid",
    },
    {
        description: "prefix with a leading slash", breaks: (a) => { a.deepStorage.prefix = "/druid"; },
        argument: "deepStorage.prefix", message: lit('got "/druid"; must be an S3 key prefix without leading or trailing \'/\''),
        rule: "S3 key prefix without leading or trailing '/'", given: "/druid",
    },
    {
        description: "region \"Europe\"", breaks: (a) => { a.deepStorage.region = "Europe"; },
        argument: "deepStorage.region", message: lit('got "Europe"; must be an AWS region such as "eu-west-1"'),
        rule: "AWS region code", given: "Europe",
    },
    {
        description: "accessMode \"irsa\" without the OIDC provider",
        breaks: (a) => { a.deepStorage = { accessMode: "irsa" }; },
        argument: "deepStorage.oidcProviderArn",
        message: lit("got nothing;", 'required for accessMode "irsa"', 'or choose accessMode "podIdentity"'),
        rule: "oidcProviderArn and oidcProviderUrl required for \"irsa\"", given: "(both missing)",
    },
    {
        description: "accessMode \"irsa\" with oidcProviderArn but no oidcProviderUrl",
        breaks: (a) => { delete a.deepStorage.oidcProviderUrl; },
        argument: "deepStorage.oidcProviderUrl",
        message: lit('got nothing; is required for accessMode "irsa"', 'or choose accessMode "podIdentity"'),
        rule: "oidcProviderArn and oidcProviderUrl required for \"irsa\"", given: "(oidcProviderUrl missing)",
    },
    {
        description: "accessMode \"podIdentity\" without eksClusterName", breaks: (a) => { a.deepStorage.accessMode = "podIdentity"; },
        argument: "deepStorage.eksClusterName", message: lit('got nothing; is required for accessMode "podIdentity"'),
        rule: "required for \"podIdentity\"", given: "(missing)",
    },
    {
        description: "accessMode \"keys\"", breaks: (a) => { a.deepStorage.accessMode = invalid("keys"); },
        argument: "deepStorage.accessMode", message: lit('got "keys"; must be one of "irsa", "podIdentity", "staticKeys"'),
        rule: "\"irsa\", \"podIdentity\" or \"staticKeys\"", given: "keys",
    },

    // ---- Metadata store
    {
        description: "metadataStore.existing combined with subnetIds",
        breaks: (a) => { a.metadataStore = { existing: { host: "pg.internal", password: "secret" }, subnetIds: ["subnet-aaaa", "subnet-bbbb"] }; },
        argument: "metadataStore.existing",
        message: lit('got "an object with host, password"; cannot be combined with metadataStore.subnetIds, which only apply when the component creates it; give one or the other'),
        rule: "not with any RDS option (vpcId, subnetIds, instanceClass, ...)", given: "existing + subnetIds",
    },
    {
        description: "metadataStore without vpcId", breaks: (a) => { delete a.metadataStore.vpcId; },
        argument: "metadataStore.vpcId", message: lit("got nothing; is required when the component creates the RDS instance"),
        rule: "required when creating RDS", given: "(missing)",
    },
    {
        description: "metadataStore with a single subnet", breaks: (a) => { a.metadataStore.subnetIds = ["subnet-aaaa"]; },
        argument: "metadataStore.subnetIds", message: lit('got ["subnet-aaaa"]; needs at least two private subnet ids in different availability zones'),
        rule: "at least two subnets when creating RDS", given: "[\"subnet-aaaa\"]",
    },
    {
        description: "metadataStore with no allowed sources", breaks: (a) => { delete a.metadataStore.allowedSecurityGroupIds; },
        argument: "metadataStore.allowedSecurityGroupIds",
        message: lit("got nothing; or metadataStore.allowedCidrBlocks must name who may connect"),
        rule: "this or allowedCidrBlocks must be given", given: "(neither given)",
    },
    {
        description: "allowedCidrBlocks \"0.0.0.0/0\"", breaks: (a) => { a.metadataStore.allowedCidrBlocks = ["0.0.0.0/0"]; },
        argument: "metadataStore.allowedCidrBlocks[0]", message: lit('got "0.0.0.0/0"; must not open the service to the whole internet (/0)'),
        rule: "IPv4 CIDR, never /0", given: "0.0.0.0/0",
    },
    {
        description: "allowedCidrBlocks \"10.0.0.0/33\"", breaks: (a) => { a.metadataStore.allowedCidrBlocks = ["10.0.0.0/33"]; },
        argument: "metadataStore.allowedCidrBlocks[0]", message: lit('got "10.0.0.0/33"; must be an IPv4 CIDR block such as 10.0.0.0/16'),
        rule: "IPv4 CIDR, never /0", given: "10.0.0.0/33",
    },
    {
        description: "engineVersion \"15\"", breaks: (a) => { a.metadataStore.engineVersion = "15"; },
        argument: "metadataStore.engineVersion", message: lit('got "15"; must be PostgreSQL 16 or 17'),
        rule: "PostgreSQL 16 or 17 (\"17\" or \"17.4\")", given: "15",
    },
    {
        description: "engineVersion \"postgres17\"", breaks: (a) => { a.metadataStore.engineVersion = "postgres17"; },
        argument: "metadataStore.engineVersion", message: lit('got "postgres17"; must be PostgreSQL 16 or 17'),
        rule: "PostgreSQL 16 or 17 (\"17\" or \"17.4\")", given: "postgres17",
    },
    {
        description: "instanceClass \"large\"", breaks: (a) => { a.metadataStore.instanceClass = "large"; },
        argument: "metadataStore.instanceClass", message: lit('got "large"; must be an RDS instance class such as "db.t4g.medium"'),
        rule: "RDS instance class db.<family>.<size>", given: "large",
    },
    {
        description: "backupRetentionDays 0", breaks: (a) => { a.metadataStore.backupRetentionDays = 0; },
        argument: "metadataStore.backupRetentionDays", message: lit(`got 0; ${wholeNumber(1, 35)}`),
        rule: "whole number, 1-35", given: "0",
    },
    {
        description: "backupRetentionDays 36", breaks: (a) => { a.metadataStore.backupRetentionDays = 36; },
        argument: "metadataStore.backupRetentionDays", message: lit(`got 36; ${wholeNumber(1, 35)}`),
        rule: "whole number, 1-35", given: "36",
    },
    {
        description: "allocatedStorageGb 10", breaks: (a) => { a.metadataStore.allocatedStorageGb = 10; },
        argument: "metadataStore.allocatedStorageGb", message: lit(`got 10; ${wholeNumber(20, 65536)}`),
        rule: "whole number, 20-65536", given: "10",
    },
    {
        description: "databaseName \"postgres\" (reserved)", breaks: (a) => { a.metadataStore.databaseName = "postgres"; },
        argument: "metadataStore.databaseName", message: lit('got "postgres"; must start with a letter', "not be a reserved name"),
        rule: "SQL identifier, not a reserved name", given: "postgres",
    },
    {
        description: "databaseName \"1db\"", breaks: (a) => { a.metadataStore.databaseName = "1db"; },
        argument: "metadataStore.databaseName", message: lit('got "1db"; must start with a letter, hold only letters, digits and \'_\''),
        rule: "SQL identifier, not a reserved name", given: "1db",
    },

    // ---- Master, Router, auth
    {
        description: "master.combined with master.overlord given",
        breaks: (a) => { a.master = { combined: true, overlord: { replicas: 1 } }; },
        argument: "master.overlord", message: lit('got "an object with replicas"; cannot be given with master.combined = true'),
        rule: "not with combined = true", given: "overlord + combined: true",
    },
    {
        description: "auth disabled with a LoadBalancer Router",
        breaks: (a) => { a.auth = { enabled: false }; a.query = { router: { serviceType: "LoadBalancer" } }; },
        argument: "query.router.serviceType",
        message: lit('got "LoadBalancer"; exposes the Druid console and SQL API outside the cluster, which is refused while auth.enabled is false'),
        rule: "ClusterIP while auth.enabled is false", given: "LoadBalancer + auth.enabled false",
    },
    {
        description: "auth disabled with a Router Ingress",
        breaks: (a) => { a.auth = { enabled: false }; a.query = { router: { ingress: { host: "druid.example.com" } } }; },
        argument: "query.router.ingress",
        message: lit('got "an Ingress"; exposes the Druid console and SQL API outside the cluster, which is refused while auth.enabled is false'),
        rule: "refused while auth.enabled is false", given: "an Ingress + auth.enabled false",
    },
    {
        description: "Router serviceType \"Public\"", breaks: (a) => { a.query = { router: { serviceType: invalid("Public") } }; },
        argument: "query.router.serviceType", message: lit('got "Public"; must be one of "ClusterIP", "NodePort", "LoadBalancer"'),
        rule: "\"ClusterIP\", \"NodePort\" or \"LoadBalancer\"", given: "Public",
    },

    // ---- Metrics, volumes, network policies
    {
        description: "metrics emitter \"statsd\"", breaks: (a) => { a.metrics = { emitter: invalid("statsd") }; },
        argument: "metrics.emitter", message: lit('got "statsd"; must be one of "prometheus", "logging", "none"'),
        rule: "\"prometheus\", \"logging\" or \"none\"", given: "statsd",
    },
    {
        description: "metrics prometheusPort 80", breaks: (a) => { a.metrics = { prometheusPort: 80 }; },
        argument: "metrics.prometheusPort", message: lit(`got 80; ${wholeNumber(1024, 65535)}`),
        rule: "whole number, 1024-65535", given: "80",
    },
    {
        description: "volumeRetention \"Keep\"", breaks: (a) => { a.volumeRetention = invalid("Keep"); },
        argument: "volumeRetention", message: lit('got "Keep"; must be one of "Retain", "Delete"'),
        rule: "\"Retain\" or \"Delete\"", given: "Keep",
    },
    {
        description: "routerAllowedCidrs \"0.0.0.0/0\"", breaks: (a) => { a.networkPolicies = { routerAllowedCidrs: ["0.0.0.0/0"] }; },
        argument: "networkPolicies.routerAllowedCidrs[0]", message: lit('got "0.0.0.0/0"; must not open the service to the whole internet (/0)'),
        rule: "IPv4 CIDR, never /0", given: "0.0.0.0/0",
    },

    // ---- Sizing
    {
        description: "historical tier too small for its heap and direct memory", error: "sizing",
        breaks: (a) => { a.data = { historicalTiers: [tier({ name: "x", resources: { cpu: "1", memory: "2Gi" } })] }; },
        argument: "data.historicalTiers[0].resources",
        message: lit('historical tier "x" does not fit its container: heap 512MiB + direct memory 2000MiB',
            "over the container's 2048MiB. Give it at least 3Gi of memory"),
        rule: "heap + direct memory + JVM overhead must fit the container", given: "cpu \"1\", memory \"2Gi\"",
    },
    {
        description: "middleManager with workerCapacity 8 in 4Gi", error: "sizing",
        breaks: (a) => { a.data = { ingestion: { workerCapacity: 8, resources: { cpu: "4", memory: "4Gi" } } }; },
        argument: "data.ingestion.workerCapacity",
        message: lit("middleManager does not fit its container", "8 task slots x 1780MiB",
            "over the container's 4096MiB. Give it at least 15Gi of memory", "or its workerCapacity."),
        rule: "task slots x (Peon heap + direct + 256MiB) must fit the container", given: "8 slots in 4Gi",
    },
    {
        description: "historical druid.server.maxSize larger than its volume", error: "sizing",
        breaks: (a) => { a.data = { historicalTiers: [tier({ volumeSize: "100Gi", properties: { "druid.server.maxSize": "200000000000" } })] }; },
        argument: "data.historicalTiers[0].properties[\"druid.server.maxSize\"]",
        message: lit('historical tier "hot": segment cache 190735MiB is larger than its volume 102400MiB; lower druid.server.maxSize or raise volumeSize.'),
        rule: "segment cache (druid.server.maxSize) must fit volumeSize", given: "200000000000 with volumeSize \"100Gi\"",
    },

    // ---- Gaps found while writing this table (accepted silently, or a TypeError, at 54d8b0a), since fixed
    {
        description: "non-numeric druid.processing.numThreads override",
        breaks: (a) => { a.data = { historicalTiers: [tier({ properties: { "druid.processing.numThreads": "lots" } })] }; },
        argument: "data.historicalTiers[0].properties[\"druid.processing.numThreads\"]",
        message: lit('got "lots"; must be a whole number'),
        rule: "sizing overrides (numThreads, numMergeBuffers, http.numThreads, ...) are whole numbers", given: "lots",
    },
    {
        description: "non-numeric druid.server.maxSize override",
        breaks: (a) => { a.data = { historicalTiers: [tier({ properties: { "druid.server.maxSize": "lots" } })] }; },
        argument: "data.historicalTiers[0].properties[\"druid.server.maxSize\"]",
        message: lit('got "lots"; must be a byte size'),
        rule: "byte-size overrides (server.maxSize, processing.buffer.sizeBytes) are byte sizes", given: "lots",
    },
    {
        description: "Router ingress without a host",
        breaks: (a) => { a.query = { router: { ingress: invalid({ className: "alb" }) } }; },
        argument: "query.router.ingress.host", message: lit("got nothing; must be a DNS host name"),
        rule: "DNS host name", given: "(missing)",
    },
    {
        description: "extraExtensions given as a string instead of a list",
        breaks: (a) => { a.extraExtensions = invalid("druid-s3-extensions"); },
        argument: "extraExtensions", message: lit('got "druid-s3-extensions"; must be a list of extension names'),
        rule: "a list of Druid extension names", given: "\"druid-s3-extensions\" (a string)",
    },
    {
        description: "tls.certManagerIssuerKind \"Foo\"", breaks: (a) => { a.tls = { certManagerIssuer: "letsencrypt", certManagerIssuerKind: invalid("Foo") }; },
        argument: "tls.certManagerIssuerKind", message: lit('got "Foo"; must be one of "Issuer", "ClusterIssuer"'),
        rule: "\"Issuer\" or \"ClusterIssuer\"", given: "Foo",
    },
    {
        description: "tls.certAlias with a space", breaks: (a) => { a.tls = { secretName: "druid-keystores", certAlias: "my key" }; },
        argument: "tls.certAlias", message: lit('got "my key"; must be a keystore alias: 1-128 lower-case letters, digits'),
        rule: "a keystore alias: lower-case letters, digits, '.', '_', '-'", given: "my key",
    },
    {
        description: "tls.certAlias in upper case", breaks: (a) => { a.tls = { secretName: "druid-keystores", certAlias: "Druid" }; },
        argument: "tls.certAlias", message: lit('got "Druid"', "Java lower-cases PKCS12 aliases"),
        rule: "a keystore alias: lower-case letters, digits, '.', '_', '-'", given: "Druid",
    },
    {
        description: "data.ingestion.drainTimeoutSeconds negative", breaks: (a) => { a.data = { ingestion: { drainTimeoutSeconds: -1 } }; },
        argument: "data.ingestion.drainTimeoutSeconds", message: lit("got -1", wholeNumber(0, 86400)),
        rule: "whole number of seconds, 0-86400", given: "-1",
    },
    {
        description: "zookeeper.resources.memory below 512Mi", breaks: (a) => { a.zookeeper = { resources: { cpu: "500m", memory: "256Mi" } }; },
        argument: "zookeeper.resources.memory", message: lit('got "256Mi"; must be at least 512Mi'),
        rule: "at least 512Mi (75% becomes ZooKeeper's heap)", given: "256Mi",
    },
    {
        description: "TLS from an existing Secret without a truststore key",
        breaks: (a) => { a.tls = { secretName: "druid-keystores", truststoreKey: "" }; },
        argument: "tls.truststoreKey", message: lit('got ""; must name the Secret key that holds the PKCS12 truststore'),
        rule: "the Secret key of the truststore (Druid's clients verify every service's certificate)", given: "\"\"",
    },
    {
        description: "TLS with both an existing Secret and a cert-manager issuer",
        breaks: (a) => { a.tls = { secretName: "druid-keystores", certManagerIssuer: "ca" }; },
        argument: "tls", message: lit('got "both secretName and certManagerIssuer"; needs exactly one of tls.secretName'),
        rule: "exactly one of secretName or certManagerIssuer", given: "both",
    },
    {
        description: "TLS with neither an existing Secret nor an issuer",
        breaks: (a) => { a.tls = {}; },
        argument: "tls", message: lit('got "neither secretName nor certManagerIssuer"; needs exactly one of tls.secretName'),
        rule: "exactly one of secretName or certManagerIssuer", given: "{}",
    },
    {
        description: "Broker autoscaling with one replica at least (the PDB would let a drain take it)",
        breaks: (a) => { a.query = { broker: { autoscaling: { minReplicas: 1, maxReplicas: 4 } } }; },
        argument: "query.broker.autoscaling.minReplicas", message: lit("got 1; must be at least 2: the PodDisruptionBudget lets one pod be unavailable"),
        rule: "at least 2", given: "1",
    },
    {
        description: "Router autoscaling maximum below its minimum",
        breaks: (a) => { a.query = { router: { autoscaling: { minReplicas: 3, maxReplicas: 2 } } }; },
        argument: "query.router.autoscaling.maxReplicas", message: lit("got 2; must be at least minReplicas (3)"),
        rule: "at least minReplicas", given: "2 with minReplicas 3",
    },
    {
        description: "Broker autoscaling together with a fixed replica count",
        breaks: (a) => { a.query = { broker: { replicas: 3, autoscaling: { minReplicas: 2, maxReplicas: 4 } } }; },
        argument: "query.broker.replicas", message: lit("got 3; cannot be combined with query.broker.autoscaling"),
        rule: "not with autoscaling", given: "3 + autoscaling",
    },
    {
        description: "an in-memory Historical cache bigger than the container allows",
        breaks: (a) => { a.data = { historicalCacheSize: "14Gi" }; },
        error: "sizing", argument: "data.historicalCacheSize",
        message: lit('historical tier "default" does not fit its container: heap 16384MiB', "over the container's 16384MiB"),
        rule: "heap (with the cache) + direct memory + overhead within the container", given: "\"14Gi\" in 16Gi",
    },
    {
        description: "high availability with one Coordinator given explicitly",
        breaks: (a) => { a.highAvailability = true; a.master = { coordinator: { replicas: 1 } }; },
        argument: "master.coordinator.replicas", message: lit("got 1; must be at least 2 with highAvailability"),
        rule: "at least 2 with highAvailability", given: "1 + highAvailability",
    },
    {
        description: "high availability with one Overlord given explicitly",
        breaks: (a) => { a.highAvailability = true; a.master = { overlord: { replicas: 1 } }; },
        argument: "master.overlord.replicas", message: lit("got 1; must be at least 2 with highAvailability"),
        rule: "at least 2 with highAvailability", given: "1 + highAvailability",
    },
    {
        description: "high availability with one Router given explicitly",
        breaks: (a) => { a.highAvailability = true; a.query = { router: { replicas: 1 } }; },
        argument: "query.router.replicas", message: lit("got 1; must be at least 2 with highAvailability"),
        rule: "at least 2 with highAvailability", given: "1 + highAvailability",
    },
    {
        description: "high availability with a three-server ZooKeeper ensemble",
        breaks: (a) => { a.highAvailability = true; a.zookeeper = { replicas: 3 }; },
        argument: "zookeeper.replicas", message: lit("got 3; must be at least 5 with highAvailability"),
        rule: "at least 5 with highAvailability", given: "3 + highAvailability",
    },
    {
        description: "high availability on a burstable RDS class",
        breaks: (a) => { a.highAvailability = true; a.metadataStore.instanceClass = "db.t4g.large"; },
        argument: "metadataStore.instanceClass", message: lit('got "db.t4g.large"; is a burstable class, refused with highAvailability', '"db.m7g.large"'),
        rule: "not a burstable db.t* class with highAvailability", given: "db.t4g.large + highAvailability",
    },
    {
        description: "high availability with RDS Multi-AZ turned off",
        breaks: (a) => { a.highAvailability = true; a.metadataStore.multiAz = false; },
        argument: "metadataStore.multiAz", message: lit("got false; cannot be false with highAvailability"),
        rule: "not false with highAvailability", given: "false + highAvailability",
    },
    {
        description: "an unknown metadata-store sslMode",
        breaks: (a) => { a.metadataStore.sslMode = invalid("verify-ca"); },
        argument: "metadataStore.sslMode", message: lit('got "verify-ca"; must be one of "require", "verify-full"'),
        rule: "\"require\" or \"verify-full\"", given: "verify-ca",
    },
    {
        description: "verify-full without a CA bundle",
        breaks: (a) => { a.metadataStore.sslMode = "verify-full"; },
        argument: "metadataStore.caCertificate", message: lit("got nothing; needs exactly one of pem", "secretName or configMapName"),
        rule: "exactly one of pem, secretName, configMapName with \"verify-full\"", given: "(missing)",
    },
    {
        description: "verify-full with both a PEM and a Secret",
        breaks: (a) => { a.metadataStore.sslMode = "verify-full"; a.metadataStore.caCertificate = { pem: "x", secretName: "rds-ca" }; },
        argument: "metadataStore.caCertificate", message: lit('got "pem and secretName"; needs exactly one of pem'),
        rule: "exactly one of pem, secretName, configMapName with \"verify-full\"", given: "pem + secretName",
    },
    {
        description: "a CA bundle that is not PEM",
        breaks: (a) => { a.metadataStore.sslMode = "verify-full"; a.metadataStore.caCertificate = { pem: "MIIB...not a pem" }; },
        argument: "metadataStore.caCertificate.pem", message: lit('got "MIIB...not a pem..."; must be PEM text with at least one "-----BEGIN CERTIFICATE-----" block'),
        rule: "PEM text with a certificate", given: "MIIB...",
    },
    {
        description: "a CA bundle with sslMode require, which would ignore it",
        breaks: (a) => { a.metadataStore.caCertificate = { secretName: "rds-ca" }; },
        argument: "metadataStore.caCertificate", message: lit('got "an object with secretName"; only applies with metadataStore.sslMode "verify-full"'),
        rule: "only with sslMode \"verify-full\"", given: "{ secretName } + require",
    },
    {
        description: "alerts with the logging emitter",
        breaks: (a) => { a.metrics = { emitter: "logging", alerts: true }; },
        argument: "metrics.alerts", message: lit('got true; needs metrics.emitter "prometheus" (got "logging")'),
        rule: "needs the \"prometheus\" emitter", given: "true + emitter \"logging\"",
    },
    {
        description: "a dashboard with no emitter",
        breaks: (a) => { a.metrics = { emitter: "none", dashboards: true }; },
        argument: "metrics.dashboards", message: lit('got true; needs metrics.emitter "prometheus" (got "none")'),
        rule: "needs the \"prometheus\" emitter", given: "true + emitter \"none\"",
    },
    {
        description: "alert thresholds without alerts",
        breaks: (a) => { a.metrics = { alertThresholds: { queryP95Seconds: 5 } }; },
        argument: "metrics.alertThresholds", message: lit('got "an object with queryP95Seconds"; only applies with metrics.alerts = true'),
        rule: "only with alerts", given: "{ queryP95Seconds: 5 }",
    },
    {
        description: "a heap ratio above 1",
        breaks: (a) => { a.metrics = { alerts: true, alertThresholds: { heapUsedRatio: 90 } }; },
        argument: "metrics.alertThresholds.heapUsedRatio", message: lit("got 90; must be a ratio greater than 0 and at most 1"),
        rule: "a ratio in (0, 1]", given: "90",
    },
    {
        description: "a p95 threshold beyond the emitter's largest histogram bucket",
        breaks: (a) => { a.metrics = { alerts: true, alertThresholds: { queryP95Seconds: 600 } }; },
        argument: "metrics.alertThresholds.queryP95Seconds", message: lit("got 600; must be greater than 0 and at most 300 seconds"),
        rule: "seconds in (0, 300]", given: "600",
    },
    {
        description: "a zero-minute service-down delay",
        breaks: (a) => { a.metrics = { alerts: true, alertThresholds: { serviceDownMinutes: 0 } }; },
        argument: "metrics.alertThresholds.serviceDownMinutes", message: lit("got 0; must be a whole number from 1 to 1440"),
        rule: "whole minutes, 1-1440", given: "0",
    },
];

/** Mocks that only count registrations. */
async function countingMocks(): Promise<{ count: () => number }> {
    let n = 0;
    await pulumi.runtime.setMocks({
        newResource: (args: pulumi.runtime.MockResourceArgs) => {
            n++;
            return { id: undefined, state: args.inputs as Record<string, unknown> };
        },
        call: () => ({}),
    }, "project", "stack", true);
    return { count: () => n };
}

/** Lets the SDK's asynchronous registrations (started by a constructor) reach the mock monitor. */
const settle = () => new Promise((r) => setTimeout(r, 50));

function argsFor(c: BadInputCase): DruidClusterArgs {
    const args = defaultArgs();
    c.breaks?.(args);
    return args;
}

function expectedError(c: BadInputCase): (err: unknown) => true {
    return (err: unknown) => {
        if (c.error === "sizing") {
            assert.ok(err instanceof DruidSizingError, `expected a DruidSizingError, got ${String(err)}`);
        } else {
            assert.ok(err instanceof DruidArgumentError, `expected a DruidArgumentError, got ${String(err)}`);
            assert.equal(err.argument, c.argument);
        }
        assert.match(err.message, c.message);
        return true;
    };
}

describe("DruidCluster rejects bad input before registering anything", () => {
    it("the fixture's arguments are valid and register resources (control)", async () => {
        const { plan } = await planProgram(() => new DruidCluster("druid", defaultArgs()), { preview: true });
        assert.ok(plan.resources.length > 0);
        const mocks = await countingMocks();
        new DruidCluster("druid", defaultArgs());
        await settle();
        assert.ok(mocks.count() > 0, "the counting mocks saw no registration of a valid cluster");
        await pulumi.runtime.disconnect();
    });

    const runPending = process.env.BAD_INPUT_RUN_PENDING !== undefined;
    for (const c of cases) {
        const test = c.pending !== undefined && !runPending ? it.skip : it;
        const title = `${c.argument}: ${c.description}${c.pending !== undefined ? ` (pending: ${c.pending})` : ""}`;
        test(title, async () => {
            const name = c.name ?? "druid";
            // planProgram rethrows the program's error.
            await assert.rejects(planProgram(() => new DruidCluster(name, argsFor(c)), { preview: true }), expectedError(c));
            // planProgram keeps what was recorded to itself when the program throws, so count under our own mocks.
            const mocks = await countingMocks();
            assert.throws(() => new DruidCluster(name, argsFor(c)), expectedError(c));
            await settle();
            assert.equal(mocks.count(), 0, "a resource was registered before the error");
        });
    }

    it("the sizing rows name the service and its figures", () => {
        const historical = cases.find((c) => c.description.startsWith("historical tier too small"));
        assert.ok(historical);
        assert.throws(() => new DruidCluster("druid", argsFor(historical)), (err: unknown) => {
            assert.ok(err instanceof DruidSizingError);
            for (const part of ['historical tier "x"', "heap", "direct memory", "Give it at least"]) {
                assert.ok(err.message.includes(part), `message lacks ${JSON.stringify(part)}: ${err.message}`);
            }
            return true;
        });
    });
});
