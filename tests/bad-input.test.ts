import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { Container, DruidArgumentError, DruidCluster, DruidClusterArgs, DruidSizingError, HistoricalTier, LdapAuth, OidcAuth } from "../index";
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
    /** The rule, for the input-rules table of docs/input-rules.md. */
    rule: string;
    /** The rejected value as docs/input-rules.md shows it. */
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

/** Valid `auth.oidc` arguments. */
function oidcArgs(): OidcAuth {
    return { discoveryUri: "https://idp.example.com/.well-known/openid-configuration", clientId: "druid", clientSecret: { name: "druid-oidc", key: "client-secret" } };
}

/** Valid `auth.ldap` arguments. */
function ldapArgs(): LdapAuth {
    return {
        url: "ldaps://ldap.example.com", caCertificate: { name: "ldap-ca", key: "ca.pem" }, bindUser: "cn=druid,ou=services,dc=example,dc=com",
        bindPassword: { name: "druid-ldap", key: "bind-password" }, baseDn: "ou=people,dc=example,dc=com",
    };
}

/** A sidecar with extra fields (possibly out of type, as another language could pass). */
function sidecar(extra: object): Container {
    return Object.assign<Container, object>({ name: "proxy", image: "envoyproxy/envoy:v1.31.0" }, extra);
}

/** A valid Historical tier, to break one field of. */
function tier(overrides: Partial<HistoricalTier> = {}): HistoricalTier {
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
        // Kubernetes-Job tasks cannot start on 34's peon.sh (no task directory argument before apache/druid#18206), and MSQ is an extension there.
        description: "druidVersion \"34.0.0\" (below the supported releases)", breaks: (a) => { a.druidVersion = "34.0.0"; },
        argument: "druidVersion", message: lit('got "34.0.0"; is not a supported Druid release: choose 35.0.x, 36.0.x or 37.0.x (see docs/versions.md); releases before 35.0.0 start Kubernetes-Job tasks differently'),
        rule: "a supported release (35, 36, 37)", given: "34.0.0",
    },
    {
        description: "druidVersion \"38.0.0\" (newer than the checked releases)", breaks: (a) => { a.druidVersion = "38.0.0"; },
        argument: "druidVersion", message: lit('got "38.0.0"; is not a supported Druid release: choose 35.0.x, 36.0.x or 37.0.x', "have not been checked yet"),
        rule: "a supported release (35, 36, 37)", given: "38.0.0",
    },
    {
        description: "druidVersion \"37.1.0\" (no such release line)", breaks: (a) => { a.druidVersion = "37.1.0"; },
        argument: "druidVersion", message: lit('got "37.1.0"; is not a supported Druid release: choose 35.0.x, 36.0.x or 37.0.x'),
        rule: "a supported release (35, 36, 37)", given: "37.1.0",
    },
    {
        // PodTemplateTaskAdapter.getEnv: TASK_DIR = the Overlord's baseDir, which the component points at the task pods' sized volume.
        description: "druid.indexer.task.baseDir in the Overlord's properties", breaks: (a) => { a.master = { overlord: { properties: { "druid.indexer.task.baseDir": "/data" } } }; },
        argument: "master.overlord.properties[\"druid.indexer.task.baseDir\"]", message: lit('got "/data"; cannot be overridden: it is set by the component with Kubernetes Jobs to the task pods\' scratch volume'),
        rule: "component-owned property", given: "/data",
    },
    {
        // peon.sh of 35-37 expands ${JAVA_OPTS} unquoted.
        description: "a glob character in the task pods' JVM options (Kubernetes Jobs)",
        breaks: (a) => { a.data = { ingestion: { worker: "kubernetesJobs", jvmOptions: ["-Dpattern=*.json"] } }; },
        argument: "data.ingestion.jvmOptions[0]", message: lit('got "-Dpattern=*.json"; must not hold *, ? or [: Druid 37\'s peon.sh passes the task pods\' JVM options through JAVA_OPTS unquoted'),
        rule: "no glob characters in JAVA_OPTS", given: "-Dpattern=*.json",
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
        // A fraction is refused by the type model (validate-shape.ts), before the range check.
        argument: t.argument, message: lit(`got ${v}; ${Number.isInteger(v) ? wholeNumber(1, t.max) : "must be a whole number"}`),
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
    {
        description: "bootstrapThreads 0", breaks: (a) => { a.data = { historicalTiers: [tier({ bootstrapThreads: 0 })] }; },
        argument: "data.historicalTiers[0].bootstrapThreads", message: lit("got 0", wholeNumber(1, 256)),
        rule: "whole number, 1-256", given: "0",
    },
    {
        description: "bootstrapThreads negative", breaks: (a) => { a.data = { historicalTiers: [tier({ bootstrapThreads: -4 })] }; },
        argument: "data.historicalTiers[0].bootstrapThreads", message: lit("got -4", wholeNumber(1, 256)),
        rule: "whole number, 1-256", given: "-4",
    },
    {
        description: "bootstrapThreads not a whole number", breaks: (a) => { a.data = { historicalTiers: [tier({ bootstrapThreads: 2.5 })] }; },
        argument: "data.historicalTiers[0].bootstrapThreads", message: lit("got 2.5"),
        rule: "whole number", given: "2.5",
    },
    {
        description: "bootstrapThreads above 256", breaks: (a) => { a.data = { historicalTiers: [tier({ bootstrapThreads: 1000 })] }; },
        argument: "data.historicalTiers[0].bootstrapThreads", message: lit("got 1000", wholeNumber(1, 256)),
        rule: "whole number, 1-256", given: "1000",
    },
    {
        description: "lazyLoadOnStart with an ephemeral segment cache",
        breaks: (a) => { a.data = { historicalStorage: "ephemeral", historicalTiers: [tier({ lazyLoadOnStart: true })] }; },
        argument: "data.historicalTiers[0].lazyLoadOnStart",
        message: lit("got true; cannot be true with data.historicalStorage \"ephemeral\": an emptyDir cache is empty after a restart", "lazy loading does not shorten"),
        rule: "not with historicalStorage \"ephemeral\"", given: "true",
    },
    {
        description: "lazyLoadOnStart with SegmentStatsMonitor among the tier's monitors",
        breaks: (a) => { a.data = { historicalTiers: [tier({ lazyLoadOnStart: true, properties: { "druid.monitoring.monitors": '["org.apache.druid.server.metrics.SegmentStatsMonitor"]' } })] }; },
        argument: "data.historicalTiers[0].lazyLoadOnStart",
        message: lit("got true; cannot be true while data.historicalTiers[0].properties[\"druid.monitoring.monitors\"] lists org.apache.druid.server.metrics.SegmentStatsMonitor",
            "Monitor doesn't support working with lazy loading on start"),
        rule: "not with SegmentStatsMonitor (Druid refuses it)", given: "true",
    },
    {
        description: "lazyLoadOnStart as a property of the tier",
        breaks: (a) => { a.data = { historicalTiers: [tier({ properties: { "druid.segmentCache.lazyLoadOnStart": "true" } })] }; },
        argument: "data.historicalTiers[0].properties[\"druid.segmentCache.lazyLoadOnStart\"]",
        message: lit("got \"true\"; cannot be overridden", "start-up budget", "use data.historicalTiers[0].lazyLoadOnStart instead"),
        rule: "set by lazyLoadOnStart", given: "true",
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
        description: "extra policy action without a service prefix", breaks: (a) => { a.deepStorage.extraPolicyStatements = [{ actions: ["GetObject"], resources: ["arn:aws:s3:::in/*"] }]; },
        argument: "deepStorage.extraPolicyStatements[0].actions[0]", message: lit('got "GetObject"; must be an IAM action service:Action'),
        rule: "IAM action service:Action (wildcards in the action name)", given: "GetObject",
    },
    {
        description: "extra policy action with a wildcard service", breaks: (a) => { a.deepStorage.extraPolicyStatements = [{ actions: ["s*:GetObject"], resources: ["arn:aws:s3:::in/*"] }]; },
        argument: "deepStorage.extraPolicyStatements[0].actions[0]", message: lit('got "s*:GetObject"; must be an IAM action service:Action'),
        rule: "IAM action service:Action (wildcards in the action name)", given: "s*:GetObject",
    },
    {
        description: "extra policy resource not an ARN", breaks: (a) => { a.deepStorage.extraPolicyStatements = [{ actions: ["s3:GetObject"], resources: ["team-input/*"] }]; },
        argument: "deepStorage.extraPolicyStatements[0].resources[0]", message: lit('got "team-input/*"; must be "*" or an ARN'),
        rule: "resource ARN or \"*\"", given: "team-input/*",
    },
    {
        description: "extra policy: every action on every resource", breaks: (a) => { a.deepStorage.extraPolicyStatements = [{ actions: ["*"], resources: ["*"] }]; },
        argument: "deepStorage.extraPolicyStatements[0]", message: lit("would give the Druid pods every AWS permission", "managedPolicyArns"),
        rule: "no Allow of \"*\" on \"*\" (attach a managed policy by ARN instead)", given: "actions [\"*\"], resources [\"*\"]",
    },
    {
        description: "extra policy without actions", breaks: (a) => { a.deepStorage.extraPolicyStatements = [{ actions: [], resources: ["*"] }]; },
        argument: "deepStorage.extraPolicyStatements[0].actions", message: lit("must be a non-empty list of IAM actions"),
        rule: "at least one action", given: "[]",
    },
    {
        description: "extra policy condition operator misspelt", breaks: (a) => {
            a.deepStorage.extraPolicyStatements = [{ actions: ["s3:GetObject"], resources: ["*"], conditions: [{ test: "StringEqual", variable: "aws:SourceVpce", values: ["vpce-1"] }] }];
        },
        argument: "deepStorage.extraPolicyStatements[0].conditions[0].test", message: lit('got "StringEqual"; must be an IAM condition operator'),
        rule: "IAM condition operator", given: "StringEqual",
    },
    {
        description: "extra policy sids repeated", breaks: (a) => {
            a.deepStorage.extraPolicyStatements = [{ sid: "Read", actions: ["s3:GetObject"], resources: ["*"] }, { sid: "Read", actions: ["kinesis:Get*"], resources: ["*"] }];
        },
        argument: "deepStorage.extraPolicyStatements[1].sid", message: lit('got "Read"; is the sid of another statement'),
        rule: "unique Sids", given: "Read twice",
    },
    {
        description: "extra policy too long for an IAM user's inline policies", breaks: (a) => {
            a.deepStorage = { accessMode: "staticKeys", extraPolicyStatements: Array.from({ length: 40 }, (_, i) => ({ actions: ["s3:GetObject"], resources: [`arn:aws:s3:::input-bucket-${i}/*`] })) };
        },
        argument: "deepStorage.extraPolicyStatements", message: lit("characters of policy", "in the 2048 characters IAM allows the inline policies of a user"),
        rule: "inline policies within IAM's size quota (role 10,240, user 2,048 characters)", given: "40 statements with static keys",
    },
    {
        description: "managed policy given by name", breaks: (a) => { a.deepStorage.managedPolicyArns = ["AmazonMSKReadOnlyAccess"]; },
        argument: "deepStorage.managedPolicyArns[0]", message: lit('got "AmazonMSKReadOnlyAccess"; must be an IAM managed policy ARN'),
        rule: "IAM managed policy ARN", given: "AmazonMSKReadOnlyAccess",
    },
    {
        description: "26 managed policies on the role", breaks: (a) => { a.deepStorage.managedPolicyArns = Array.from({ length: 26 }, (_, i) => `arn:aws:iam::123456789012:policy/p${i}`); },
        argument: "deepStorage.managedPolicyArns", message: lit("got \"26 ARNs\"; must hold at most 25 ARNs"),
        rule: "at most 25 managed policies on a role, 20 on a user", given: "26 ARNs",
    },
    {
        description: "21 managed policies on the static keys' user", breaks: (a) => {
            a.deepStorage = { accessMode: "staticKeys", managedPolicyArns: Array.from({ length: 21 }, (_, i) => `arn:aws:iam::123456789012:policy/p${i}`) };
        },
        argument: "deepStorage.managedPolicyArns", message: lit("got \"21 ARNs\"; must hold at most 20 ARNs"),
        rule: "at most 25 managed policies on a role, 20 on a user", given: "21 ARNs (static keys)",
    },
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
        rule: "not with versioning, noncurrentVersionExpirationDays, forceDestroy or retainOnDelete", given: "\"druid-segments\" + versioning",
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
    // ---- Authentication modes (auth.oidc, auth.ldap)
    {
        description: "OIDC without a Router Ingress host",
        breaks: (a) => { a.auth = { oidc: oidcArgs() }; },
        argument: "auth.oidc",
        message: lit('got "no query.router.ingress.host"; needs the Router\'s Ingress host', "https://<host>/druid-ext/druid-pac4j/callback", "set query.router.ingress"),
        rule: "needs query.router.ingress.host (the redirect URI is derived from it)", given: "auth.oidc without an Ingress",
    },
    {
        description: "OIDC client secret given as plain text",
        breaks: (a) => { a.auth = { oidc: { ...oidcArgs(), clientSecret: invalid("s3cr3t-client-value") } }; a.query = { router: { ingress: { host: "druid.example.com" } } }; },
        argument: "auth.oidc.clientSecret",
        message: lit('got "a plain-text value (not shown)"; must not be the secret itself', "{ name: \"<secret>\", key: \"<key>\" }"),
        rule: "a Secret reference { name, key }, never the secret", given: "a plain string",
    },
    {
        description: "OIDC client secret given as a Pulumi secret (as a Construct caller may)",
        breaks: (a) => { a.auth = { oidc: { ...oidcArgs(), clientSecret: invalid(pulumi.secret("s3cr3t-client-value")) } }; a.query = { router: { ingress: { host: "druid.example.com" } } }; },
        argument: "auth.oidc.clientSecret",
        message: lit('got "a plain-text value (not shown)"; must not be the secret itself'),
        rule: "a Secret reference { name, key }, never the secret", given: "pulumi.secret(...)",
    },
    {
        description: "LDAP bind password given as plain text",
        breaks: (a) => { a.auth = { ldap: { ...ldapArgs(), bindPassword: invalid("bind-pw") } }; },
        argument: "auth.ldap.bindPassword",
        message: lit('got "a plain-text value (not shown)"; must not be the secret itself'),
        rule: "a Secret reference { name, key }, never the secret", given: "a plain string",
    },
    {
        description: "OIDC discovery URI over http",
        breaks: (a) => { a.auth = { oidc: { ...oidcArgs(), discoveryUri: "http://idp.example.com/.well-known/openid-configuration" } }; a.query = { router: { ingress: { host: "druid.example.com" } } }; },
        argument: "auth.oidc.discoveryUri",
        message: lit('got "http://idp.example.com/.well-known/openid-configuration"; must be an https:// URL'),
        rule: "an https:// URL", given: "http://idp.example.com/…",
    },
    {
        description: "LDAP URL of another scheme",
        breaks: (a) => { a.auth = { ldap: { ...ldapArgs(), url: "https://ldap.example.com" } }; },
        argument: "auth.ldap.url",
        message: lit('got "https://ldap.example.com"; must be ldaps://host[:port]'),
        rule: "ldaps://host[:port]", given: "https://ldap.example.com",
    },
    {
        description: "plain ldap:// without dangerouslyAllowPlaintext",
        breaks: (a) => { a.auth = { ldap: { ...ldapArgs(), url: "ldap://ldap.example.com:389" } }; },
        argument: "auth.ldap.url",
        message: lit('got "ldap://ldap.example.com:389"; is plain LDAP', "no StartTLS", "use ldaps:// with caCertificate, or set auth.ldap.dangerouslyAllowPlaintext: true"),
        rule: "ldap:// only with dangerouslyAllowPlaintext", given: "ldap://ldap.example.com:389",
    },
    {
        description: "ldaps:// without a CA certificate",
        breaks: (a) => { a.auth = { ldap: { ...ldapArgs(), caCertificate: undefined } }; },
        argument: "auth.ldap.caCertificate",
        message: lit("is required with ldaps://", "must specify a trustStorePath"),
        rule: "required with ldaps://", given: "none",
    },
    {
        description: "empty LDAP baseDn",
        breaks: (a) => { a.auth = { ldap: { ...ldapArgs(), baseDn: "" } }; },
        argument: "auth.ldap.baseDn",
        message: lit('got ""; must be the DN under which users are searched'),
        rule: "a non-empty DN", given: "\"\"",
    },
    {
        description: "LDAP userSearch without %s",
        breaks: (a) => { a.auth = { ldap: { ...ldapArgs(), userSearch: "(uid=alice)" } }; },
        argument: "auth.ldap.userSearch",
        message: lit('got "(uid=alice)"; must be an LDAP filter in parentheses with exactly one %s'),
        rule: "a filter with exactly one %s", given: "(uid=alice)",
    },
    {
        description: "auth disabled with OIDC",
        breaks: (a) => { a.auth = { enabled: false, oidc: oidcArgs() }; a.query = { router: { ingress: { host: "druid.example.com" } } }; },
        argument: "auth.oidc",
        message: lit('got "auth.oidc with auth.enabled false"; needs Druid\'s authentication'),
        rule: "refused while auth.enabled is false", given: "auth.oidc + auth.enabled false",
    },
    {
        description: "auth disabled with LDAP",
        breaks: (a) => { a.auth = { enabled: false, ldap: ldapArgs() }; },
        argument: "auth.ldap",
        message: lit('got "auth.ldap with auth.enabled false"; needs Druid\'s authentication'),
        rule: "refused while auth.enabled is false", given: "auth.ldap + auth.enabled false",
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
        // Direct memory (1 + 2 + 1) x 500MiB + 30% (the guide's fuzzy "+1"; reference 13g for 9.8GiB), rounded to 64MiB.
        message: lit('historical tier "x" does not fit its container: heap 512MiB + direct memory 2624MiB',
            "over the container's 2048MiB. Give it at least 4Gi of memory"),
        rule: "heap + direct memory + JVM overhead must fit the container", given: "cpu \"1\", memory \"2Gi\"",
    },
    {
        description: "middleManager with workerCapacity 8 in 4Gi", error: "sizing",
        breaks: (a) => { a.data = { ingestion: { workerCapacity: 8, resources: { cpu: "4", memory: "4Gi" } } }; },
        argument: "data.ingestion.workerCapacity",
        // Each slot at least a 256MiB heap (start-druid's smallest task) + 1g direct (the references) + 282MiB overhead.
        message: lit("middleManager does not fit its container", "8 task slots x 1562MiB",
            "over the container's 4096MiB. Give it at least 13Gi of memory", "or its workerCapacity."),
        rule: "task slots x (Peon heap + direct + JVM overhead) must fit the container", given: "8 slots in 4Gi",
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
        argument: "extraExtensions", message: lit('got "druid-s3-extensions"; must be a list of strings (Extensions loaded besides the defaults'),
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
        argument: "tls.truststoreKey", message: lit('got ""; must name the Secret/ConfigMap key that holds the PKCS12 truststore'),
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
    },    {
        description: "Peon JVM flags with the Indexer, which has no Peons",
        breaks: (a) => { a.data = { ingestion: { worker: "indexer", peonJvmOptions: ["-Xmx2g"] } }; },
        argument: "data.ingestion.peonJvmOptions", message: lit('only applies to worker "middleManager"'),
        rule: "only with worker \"middleManager\"", given: "[\"-Xmx2g\"] with worker \"indexer\"",
    },
    {
        description: "a heap flag without a size the JVM accepts",
        breaks: (a) => { a.query = { broker: { jvmOptions: ["-Xmxlots"] } }; },
        argument: "query.broker.jvmOptions[0]", message: lit('got "-Xmxlots"; must give a size such as "-Xmx4g"'),
        rule: "-Xmx, -Xms, -XX:MaxDirectMemorySize with a JVM size", given: "-Xmxlots",
    },
    {
        description: "Peon heaps that do not fit the MiddleManager's pod",
        breaks: (a) => { a.data = { ingestion: { peonJvmOptions: ["-Xmx6g"] } }; },
        error: "sizing", argument: "data.ingestion.peonJvmOptions",
        // Per Peon: 6g heap + 1g direct + (256MiB + 10% of the heap) = 8039MiB, 4 slots (start-druid: min(4 CPUs, 16Gi / 2GiB)).
        message: lit("middleManager does not fit its container", "4 task slots x 8039MiB = 32156MiB", "over the container's 16384MiB"),
        rule: "Peon -Xmx/-XX:MaxDirectMemorySize count in the fit check (task slots x Peon memory)", given: "[\"-Xmx6g\"] in 16Gi with 4 slots",
    },
    {
        description: "a service heap flag that does not fit its pod",
        breaks: (a) => { a.query = { broker: { jvmOptions: ["-Xmx8g"] } }; },
        error: "sizing", argument: "query.broker.jvmOptions",
        message: lit("broker does not fit its container: heap 8192MiB", "over the container's 8192MiB"),
        rule: "-Xmx/-XX:MaxDirectMemorySize in jvmOptions count in the fit check", given: "[\"-Xmx8g\"] in 8Gi",
    },
    {
        description: "JVM flags that are not a list",
        breaks: (a) => { a.data = { ingestion: { jvmOptions: "-Xmx1g" as unknown as string[] } }; },
        argument: "data.ingestion.jvmOptions", message: lit('got "-Xmx1g"; must be a list of strings (Extra JVM flags'),
        rule: "a list of JVM flags", given: "\"-Xmx1g\" (a string)",
    },
    // ---- Retention: what is deleted, and when
    {
        description: "taskLogRetentionDays -1", breaks: (a) => { a.deepStorage.taskLogRetentionDays = -1; },
        argument: "deepStorage.taskLogRetentionDays", message: lit(`got -1; ${wholeNumber(0, 3650)}`),
        rule: "whole number of days, 0-3650 (0 keeps task logs)", given: "-1",
    },
    {
        description: "noncurrentVersionExpirationDays 2.5", breaks: (a) => { a.deepStorage.noncurrentVersionExpirationDays = 2.5; },
        argument: "deepStorage.noncurrentVersionExpirationDays", message: lit("got 2.5; must be a whole number (Days S3 keeps"),
        rule: "whole number of days, 0-3650 (0 keeps old versions)", given: "2.5",
    },
    {
        description: "noncurrentVersionExpirationDays with an existing bucket (whose lifecycle is its owner's)",
        breaks: (a) => {
            a.deepStorage.existingBucketName = "druid-segments";
            a.deepStorage.noncurrentVersionExpirationDays = 7;
        },
        argument: "deepStorage.existingBucketName",
        message: lit('got "druid-segments"; cannot be combined with deepStorage.noncurrentVersionExpirationDays, which only apply when the component creates it'),
        rule: "S3 lifecycle only on a bucket the component creates", given: "\"druid-segments\" + noncurrentVersionExpirationDays",
    },
    {
        description: "killUnusedSegments without enabled",
        breaks: (a) => { a.deepStorage.killUnusedSegments = invalid({ durationToRetainDays: 90 }); },
        argument: "deepStorage.killUnusedSegments.enabled",
        message: lit("got nothing; must be given as true or false", "only turned on by name"),
        rule: "the kill is asked for by name (enabled: true)", given: "{ durationToRetainDays: 90 }",
    },
    {
        description: "killUnusedSegments enabled without durationToRetainDays",
        breaks: (a) => { a.deepStorage.killUnusedSegments = { enabled: true }; },
        argument: "deepStorage.killUnusedSegments.durationToRetainDays",
        message: lit("got nothing; is required with enabled: true", "druid.coordinator.kill.durationToRetain"),
        rule: "required when the kill is enabled", given: "{ enabled: true }",
    },
    {
        description: "killUnusedSegments durationToRetainDays -30",
        breaks: (a) => { a.deepStorage.killUnusedSegments = { enabled: true, durationToRetainDays: -30 }; },
        argument: "deepStorage.killUnusedSegments.durationToRetainDays", message: lit(`got -30; ${wholeNumber(0, 36500)}`),
        rule: "whole number of days, 0-36500", given: "-30",
    },
    {
        description: "killUnusedSegments bufferPeriodDays 0 (no grace after a segment is marked unused)",
        breaks: (a) => { a.deepStorage.killUnusedSegments = { enabled: true, durationToRetainDays: 90, bufferPeriodDays: 0 }; },
        argument: "deepStorage.killUnusedSegments.bufferPeriodDays", message: lit(`got 0; ${wholeNumber(1, 3650)}`),
        rule: "whole number of days, 1-3650", given: "0",
    },
    {
        description: "killUnusedSegments maxSegments 0",
        breaks: (a) => { a.deepStorage.killUnusedSegments = { enabled: true, durationToRetainDays: 90, maxSegments: 0 }; },
        argument: "deepStorage.killUnusedSegments.maxSegments", message: lit(`got 0; ${wholeNumber(1, 100000)}`),
        rule: "whole number, 1-100000", given: "0",
    },
    {
        description: "killUnusedSegments that is not an object",
        breaks: (a) => { a.deepStorage.killUnusedSegments = invalid(true); },
        argument: "deepStorage.killUnusedSegments", message: lit("got true; must be an object (UnusedSegmentKill: enabled, durationToRetainDays"),
        rule: "an object with enabled and durationToRetainDays", given: "true",
    },
    {
        description: "recordRetentionDays -1", breaks: (a) => { a.metadataStore.recordRetentionDays = -1; },
        argument: "metadataStore.recordRetentionDays", message: lit(`got -1; ${wholeNumber(0, 36500)}`),
        rule: "whole number of days, 0-36500 (0 keeps the records)", given: "-1",
    },
    {
        description: "passwordGeneration -1", breaks: (a) => { a.auth = { passwordGeneration: -1 }; },
        argument: "auth.passwordGeneration", message: lit(`got -1; ${wholeNumber(0, 10000)}`),
        rule: "whole number, 0-10000, raised by one per rotation", given: "-1",
    },
    {
        description: "passwordGeneration \"1\" (a string)", breaks: (a) => { a.auth = { passwordGeneration: invalid("1") }; },
        argument: "auth.passwordGeneration", message: lit('got "1"; must be a whole number (Generation of the two passwords'),
        rule: "whole number, 0-10000, raised by one per rotation", given: "\"1\"",
    },
    // ---- Authorization as code (access)
    {
        description: "a user given a role no one defined",
        breaks: (a) => { a.access = { users: [{ name: "ann@example.com", roles: ["analyst"] }] }; },
        argument: "access.users[0].roles[0]", message: lit('got "analyst"; names no role: the roles are "read-only", "ingestion"; define it in access.roles'),
        rule: "a role of access.roles or a built-in one", given: "analyst",
    },
    {
        description: "a permission on an unknown resource type",
        breaks: (a) => { a.access = { roles: [{ name: "r", permissions: [{ type: invalid("TABLE"), name: "wiki", action: "READ" }] }] }; },
        argument: "access.roles[0].permissions[0].type", message: lit('got "TABLE"; must be one of "DATASOURCE", "VIEW", "STATE", "CONFIG", "SYSTEM_TABLE", "EXTERNAL", "QUERY_CONTEXT"'),
        rule: "one of Druid's resource types", given: "TABLE",
    },
    {
        description: "a permission pattern Java reads differently (an inline flag)",
        breaks: (a) => { a.access = { roles: [{ name: "r", permissions: [{ type: "DATASOURCE", name: "(?i)wiki", action: "READ" }] }] }; },
        argument: "access.roles[0].permissions[0].name", message: lit('got "(?i)wiki"; must be a regular expression Druid compiles with java.util.regex', "inline flags and atomic groups are Java only"),
        rule: "a regex Java and JavaScript read alike", given: "(?i)wiki",
    },
    {
        description: "a role named admin (Druid's own, which would lock out admin and druid_system)",
        breaks: (a) => { a.access = { roles: [{ name: "admin" }] }; },
        argument: "access.roles[0].name", message: lit('got "admin"; is reserved: Druid creates the role "admin" with every permission'),
        rule: "not admin (nor a built-in role's name)", given: "admin",
    },
    {
        description: "druid_system declared as a user",
        breaks: (a) => { a.access = { users: [{ name: "druid_system", roles: ["read-only"] }] }; },
        argument: "access.users[0].name", message: lit('got "druid_system"; is Druid\'s own user with every permission'),
        rule: "not admin or druid_system", given: "druid_system",
    },
    {
        description: "a role name that is not a safe URL path segment",
        breaks: (a) => { a.access = { roles: [{ name: "data/readers" }] }; },
        argument: "access.roles[0].name", message: lit('got "data/readers"; must be 1 to 256 letters, digits, ".", "_" or "-" (Druid\'s API takes it as a path segment)'),
        rule: "letters, digits, . _ -", given: "data/readers",
    },
    {
        description: "a basic account's password in plain text",
        breaks: (a) => { a.access = { users: [{ name: "pipeline", roles: ["ingestion"], password: invalid("hunter2") }] }; },
        argument: "access.users[0].password", message: lit('got "a plain-text value (not shown)"; must not be the secret itself: give a reference to a key of an existing Kubernetes Secret'),
        rule: "a SecretKeyRef { name, key }", given: "a plain string",
    },
    {
        description: "LDAP group mappings without auth.ldap",
        breaks: (a) => { a.access = { ldapGroups: [{ name: "ops", groupPattern: "cn=ops,.*", roles: ["read-only"] }] }; },
        argument: "access.ldapGroups", message: lit("needs auth.ldap (the LDAP authorizer maps a user's LDAP groups to roles)"),
        rule: "needs auth.ldap", given: "(no auth.ldap)",
    },
    {
        description: "access with auth disabled",
        breaks: (a) => { a.auth = { enabled: false }; a.access = { roles: [{ name: "r" }] }; },
        argument: "access", message: lit("needs Druid's basic-security authorizer, which auth.enabled: false turns off"),
        rule: "needs auth enabled", given: "auth.enabled false",
    },
    // ---- Retention rules, compaction and dynamic configuration (dataManagement)
    {
        description: "hot and cold tiers, no \"_default_tier\", no default rules (Druid's default rule would load nothing)",
        breaks: (a) => { a.data = { historicalTiers: [tier(), tier({ name: "cold" })] }; },
        argument: "dataManagement.defaultRules",
        message: lit('no Historical tier is "_default_tier" (tiers "hot", "cold")', "would load nothing", 'tieredReplicants: { "hot": 2 }', 'or name a tier "default"'),
        rule: "required when no Historical tier is \"_default_tier\"", given: "(tiers hot + cold, no rules)",
    },
    {
        description: "a rule naming a tier that does not exist",
        breaks: (a) => { a.dataManagement = { rules: { wiki: [{ type: "loadForever", tieredReplicants: { warm: 1 } }] } }; },
        argument: 'dataManagement.rules["wiki"][0].tieredReplicants["warm"]', message: lit('got "warm"; names no Historical tier: the Druid tiers are "_default_tier"'),
        rule: "Druid tiers of data.historicalTiers only", given: "warm",
    },
    {
        description: "a rule naming the tier \"default\" instead of its Druid tier",
        breaks: (a) => { a.dataManagement = { defaultRules: [{ type: "loadForever", tieredReplicants: { default: 2 } }] }; },
        argument: 'dataManagement.defaultRules[0].tieredReplicants["default"]', message: lit('"default" is the name of a Historical tier whose Druid tier is "_default_tier"'),
        rule: "Druid tiers of data.historicalTiers only", given: "default",
    },
    {
        description: "a zone-aware tier with one zone",
        breaks: (a) => { a.data = { historicalTiers: [tier({ zones: ["eu-west-1a"] })] }; },
        argument: "data.historicalTiers[0].zones", message: lit('got ["eu-west-1a"]; must name at least 2 zones', "one zone would leave nothing serving"),
        rule: "at least 2 zones", given: "[\"eu-west-1a\"]",
    },
    {
        description: "a zone-wave image that is not an image reference",
        breaks: (a) => { a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b"] })], zoneWaveImage: "curl image please" }; },
        argument: "data.zoneWaveImage", message: lit('got "curl image please"; must be an image reference: [registry[:port]/]path[:tag][@digest], e.g. "curlimages/curl:8.16.0"'),
        rule: "an image reference", given: "curl image please",
    },
    {
        description: "a zone listed twice",
        breaks: (a) => { a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b", "eu-west-1a"] })] }; },
        argument: "data.historicalTiers[0].zones[2]", message: lit('got "eu-west-1a"; repeats data.historicalTiers[0].zones[0]: each zone once'),
        rule: "each zone once", given: "eu-west-1a twice",
    },
    {
        description: "a zone that is not a node zone label value",
        breaks: (a) => { a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "EU West 1b"] })] }; },
        argument: "data.historicalTiers[0].zones[1]", message: lit('got "EU West 1b"; must be a zone as the nodes\' label topology.kubernetes.io/zone holds it', "lower-case letters, digits and '-'"),
        rule: "a DNS label (every AWS zone name is one)", given: "EU West 1b",
    },
    {
        description: "zones of two AWS regions (their objects would share a name)",
        breaks: (a) => { a.data = { ingestion: { zones: ["eu-west-1a", "eu-west-2a"] } }; },
        argument: "data.ingestion.zones[1]", message: lit('got "eu-west-2a"; names its objects "...-a" like data.ingestion.zones[0] ("eu-west-1a")', "in one region"),
        rule: "zones of one region", given: "eu-west-1a, eu-west-2a",
    },
    {
        description: "zone-aware workers with tasks as Kubernetes Jobs",
        breaks: (a) => { a.data = { ingestion: { worker: "kubernetesJobs", zones: ["eu-west-1a", "eu-west-1b"] } }; },
        argument: "data.ingestion.zones", message: lit('applies to MiddleManagers and Indexers, which worker "kubernetesJobs" does not run', "leave zones out"),
        rule: "not with worker \"kubernetesJobs\"", given: "zones with kubernetesJobs",
    },
    {
        description: "a zone-aware tier with a node selector on the zone label",
        breaks: (a) => { a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b"], scheduling: { nodeSelector: { "topology.kubernetes.io/zone": "eu-west-1a" } } })] }; },
        argument: 'data.historicalTiers[0].scheduling.nodeSelector["topology.kubernetes.io/zone"]',
        message: lit('got "eu-west-1a"; cannot be given with data.historicalTiers[0].zones', "would require all of them in one"),
        rule: "no zone node selector with zones", given: "eu-west-1a",
    },
    {
        description: "a zone's workload named like another tier",
        breaks: (a) => { a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b"] }), tier({ name: "hot-a" })] }; a.dataManagement = { defaultRules: [] }; },
        argument: "data.historicalTiers[0].zones[0]", message: lit('got "eu-west-1a"; gives its StatefulSet the key "historical-hot-a", which historical tier "hot-a" already has'),
        rule: "zone workloads' keys unique", given: "tier hot in eu-west-1a + tier hot-a",
    },
    {
        description: "a zone-aware tier sharing its druidTier",
        breaks: (a) => { a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b"] }), tier({ name: "warm", druidTier: "hot" })] }; a.dataManagement = { defaultRules: [] }; },
        argument: "data.historicalTiers[0].druidTier", message: lit('got "hot"; is also the Druid tier of historical tier "warm"', "cannot be shared"),
        rule: "a zone-aware tier's druidTier is its own", given: "hot (also tier warm's)",
    },
    {
        description: "a zone-aware tier's objects with too long a name",
        name: "analytics-production-westeu",
        breaks: (a) => { a.data = { historicalTiers: [tier({ name: "realtime", zones: ["us-west-2-lax-1a", "us-west-2-lax-1b"] })] }; a.dataManagement = { defaultRules: [] }; },
        argument: "data.historicalTiers[0].zones[0]",
        message: lit('got "us-west-2-lax-1a"; gives the StatefulSet name "analytics-production-westeu-historical-realtime-lax-1a" (54 characters'),
        rule: "generated names within Kubernetes limits", given: "us-west-2-lax-1a",
    },
    {
        description: "zone-local Brokers naming no Historical tier",
        breaks: (a) => { a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b"] })] }; a.dataManagement = { defaultRules: [] }; a.query = { broker: { preferZoneOf: "warm" } }; },
        argument: "query.broker.preferZoneOf", message: lit('got "warm"; names no Historical tier', 'the zone-aware tiers are "hot"'),
        rule: "a zone-aware tier of data.historicalTiers", given: "warm",
    },
    {
        description: "zone-local Brokers naming a tier that is not zone-aware",
        breaks: (a) => { a.data = { historicalTiers: [tier()] }; a.query = { broker: { preferZoneOf: "hot" } }; },
        argument: "query.broker.preferZoneOf", message: lit('got "hot"; names data.historicalTiers[0], which is not zone-aware', "the tier needs zones", "no Historical tier has zones"),
        rule: "a zone-aware tier of data.historicalTiers", given: "hot (no zones)",
    },
    {
        description: "zone-local Brokers with a node selector on the zone label",
        breaks: (a) => {
            a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b"] })] }; a.dataManagement = { defaultRules: [] };
            a.query = { broker: { preferZoneOf: "hot", scheduling: { nodeSelector: { "topology.kubernetes.io/zone": "eu-west-1a" } } } };
        },
        argument: 'query.broker.scheduling.nodeSelector["topology.kubernetes.io/zone"]',
        message: lit('got "eu-west-1a"; cannot be given with query.broker.preferZoneOf', "would require all of them in one"),
        rule: "no zone node selector with preferZoneOf", given: "eu-west-1a",
    },
    {
        description: "zone-local Brokers with their own tier selection",
        breaks: (a) => {
            a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b"] })] }; a.dataManagement = { defaultRules: [] };
            a.query = { broker: { preferZoneOf: "hot", properties: { "druid.broker.select.tier": "highestPriority" } } };
        },
        argument: 'query.broker.properties["druid.broker.select.tier"]',
        message: lit('got "highestPriority"; cannot be given with query.broker.preferZoneOf', "prefer their own zone's tier"),
        rule: "no tier selection of one's own with preferZoneOf", given: "highestPriority",
    },
    {
        description: "zone-local Brokers named by something else than a tier name",
        breaks: (a) => { a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b"] })] }; a.dataManagement = { defaultRules: [] }; a.query = { broker: { preferZoneOf: invalid<string>(["hot"]) } }; },
        argument: "query.broker.preferZoneOf", message: lit('got ["hot"]; must be a string', "the `name` of a zone-aware Historical tier"),
        rule: "a zone-aware tier of data.historicalTiers", given: "[\"hot\"]",
    },
    {
        description: "replicants of a zone-aware tier not divisible by its zones",
        breaks: (a) => {
            a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] })] };
            a.dataManagement = { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 2 } }] };
        },
        argument: 'dataManagement.defaultRules[0].tieredReplicants["hot"]',
        message: lit('got 2; must be a whole multiple of 3, the zones of zone-aware tier "hot"', '"hot-eu-west-1a", "hot-eu-west-1b", "hot-eu-west-1c"'),
        rule: "a multiple of the tier's zones", given: "2 (3 zones)",
    },
    {
        description: "more replicants per zone than Historicals in a zone",
        breaks: (a) => {
            a.data = { historicalTiers: [tier({ replicas: 1, zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] })] };
            a.dataManagement = { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 6 } }] };
        },
        argument: 'dataManagement.defaultRules[0].tieredReplicants["hot"]',
        message: lit('got 6; asks 2 replica(s) in each zone of tier "hot", but zone eu-west-1a has 1 Historical(s)', "at most 3"),
        rule: "per zone at most the zone's Historicals", given: "6 (3 zones × 1 Historical)",
    },
    {
        description: "a zone tier given twice (by the logical tier and by itself)",
        breaks: (a) => {
            a.data = { historicalTiers: [tier({ zones: ["eu-west-1a", "eu-west-1b"] })] };
            a.dataManagement = { defaultRules: [{ type: "loadForever", tieredReplicants: { hot: 2, "hot-eu-west-1b": 1 } }] };
        },
        argument: 'dataManagement.defaultRules[0].tieredReplicants["hot-eu-west-1b"]',
        message: lit('gives zone tier "hot-eu-west-1b" a count twice'),
        rule: "each zone tier once", given: "hot and hot-eu-west-1b",
    },
    {
        description: "no default rules with only zone-aware tiers (no Historical announces \"_default_tier\")",
        breaks: (a) => { a.data = { historicalTiers: [tier({ name: "default", zones: ["eu-west-1a", "eu-west-1b"] })] }; },
        argument: "dataManagement.defaultRules",
        message: lit('no Historical tier is "_default_tier" (tiers "_default_tier-eu-west-1a", "_default_tier-eu-west-1b")', 'tieredReplicants: { "_default_tier": 2 }', "one replica in each zone"),
        rule: "required when no Historical tier is \"_default_tier\"", given: "(tier default in 2 zones, no rules)",
    },
    {
        description: "more replicants than Historicals in the tier",
        breaks: (a) => { a.dataManagement = { defaultRules: [{ type: "loadForever", tieredReplicants: { _default_tier: 3 } }] }; },
        argument: 'dataManagement.defaultRules[0].tieredReplicants["_default_tier"]', message: lit("got 3; must be a whole number from 0 to 2", "more could never be loaded"),
        rule: "whole number, 0 to the tier's replicas", given: "3 (2 Historicals)",
    },
    {
        description: "a fractional replicant count",
        breaks: (a) => { a.dataManagement = { defaultRules: [{ type: "loadForever", tieredReplicants: { _default_tier: 1.5 } }] }; },
        argument: 'dataManagement.defaultRules[0].tieredReplicants["_default_tier"]', message: lit("got 1.5; must be a whole number"),
        rule: "whole number, 0 to the tier's replicas", given: "1.5",
    },
    {
        description: "a load rule without tieredReplicants",
        breaks: (a) => { a.dataManagement = { defaultRules: [{ type: "loadByPeriod", period: "P30D" }] }; },
        argument: "dataManagement.defaultRules[0].tieredReplicants", message: lit('is required for "loadByPeriod"', '{ "_default_tier": 2 }'),
        rule: "required for load rules", given: "(missing)",
    },
    {
        description: "a rule type Druid does not have",
        breaks: (a) => { a.dataManagement = { defaultRules: [{ type: invalid("keepForever") }] }; },
        argument: "dataManagement.defaultRules[0].type", message: lit('got "keepForever"; must be one of "loadForever"', '"broadcastByPeriod"'),
        rule: "one of Druid's rule types", given: "keepForever",
    },
    {
        description: "a period that is not ISO-8601",
        breaks: (a) => { a.dataManagement = { rules: { wiki: [{ type: "dropBeforeByPeriod", period: "30 days" }] } }; },
        argument: 'dataManagement.rules["wiki"][0].period', message: lit('got "30 days"; must be an ISO-8601 period such as "P30D"'),
        rule: "ISO-8601 period", given: "30 days",
    },
    {
        description: "an interval without an end",
        breaks: (a) => { a.dataManagement = { rules: { wiki: [{ type: "dropByInterval", interval: "2024-01-01" }] } }; },
        argument: 'dataManagement.rules["wiki"][0].interval', message: lit('got "2024-01-01"; must be an ISO-8601 interval such as "2024-01-01/2025-01-01"'),
        rule: "ISO-8601 interval (start/end, start/period, period/end)", given: "2024-01-01",
    },
    {
        description: "an interval that ends before it starts",
        breaks: (a) => { a.dataManagement = { rules: { wiki: [{ type: "dropByInterval", interval: "2025-01-01/2024-01-01" }] } }; },
        argument: 'dataManagement.rules["wiki"][0].interval', message: lit('got "2025-01-01/2024-01-01"; must end after it starts'),
        rule: "ISO-8601 interval (start/end, start/period, period/end)", given: "2025-01-01/2024-01-01",
    },
    {
        description: "a period on a rule that has none",
        breaks: (a) => { a.dataManagement = { rules: { wiki: [{ type: "dropForever", period: "P1M" }] } }; },
        argument: 'dataManagement.rules["wiki"][0].period', message: lit('got "P1M"; only applies to the ...ByPeriod rules, not "dropForever"'),
        rule: "period / interval / includeFuture / tieredReplicants only on the rule types that have them", given: "dropForever + period",
    },
    {
        description: "a datasource name with '/'",
        breaks: (a) => { a.dataManagement = { rules: { "logs/app": [] } }; },
        argument: 'dataManagement.rules["logs/app"]', message: lit('got "logs/app"; must be a Druid datasource name'),
        rule: "Druid datasource name (not empty, no leading '.', no '/', no whitespace but spaces), not _default", given: "logs/app",
    },
    {
        description: "\"_default\" as a datasource",
        breaks: (a) => { a.dataManagement = { rules: { _default: [] } }; },
        argument: 'dataManagement.rules["_default"]', message: lit("is the key of Druid's default rules: set them in dataManagement.defaultRules"),
        rule: "Druid datasource name (not empty, no leading '.', no '/', no whitespace but spaces), not _default", given: "_default",
    },
    {
        description: "compaction skipOffsetFromLatest that is not a period",
        breaks: (a) => { a.dataManagement = { compaction: { wiki: { skipOffsetFromLatest: "1d" } } }; },
        argument: 'dataManagement.compaction["wiki"].skipOffsetFromLatest', message: lit('got "1d"; must be an ISO-8601 period'),
        rule: "ISO-8601 period", given: "1d",
    },
    {
        description: "compaction segmentGranularity that Druid does not know",
        breaks: (a) => { a.dataManagement = { compaction: { wiki: { segmentGranularity: "DAILY" } } }; },
        argument: 'dataManagement.compaction["wiki"].segmentGranularity', message: lit('got "DAILY"; must be a Druid granularity', "DAY"),
        rule: "a Druid granularity (HOUR, DAY, MONTH, ...)", given: "DAILY",
    },
    {
        description: "compaction segmentGranularity given twice",
        breaks: (a) => { a.dataManagement = { compaction: { wiki: { segmentGranularity: "DAY", spec: JSON.stringify({ granularitySpec: { segmentGranularity: "HOUR" } }) } } }; },
        argument: 'dataManagement.compaction["wiki"].spec.granularitySpec.segmentGranularity', message: lit('got "HOUR"; is also given as dataManagement.compaction["wiki"].segmentGranularity'),
        rule: "a typed field is not repeated in spec", given: "segmentGranularity + spec.granularitySpec.segmentGranularity",
    },
    {
        description: "maxSegmentsToMove while smart segment loading is on",
        breaks: (a) => { a.dataManagement = { coordinatorDynamicConfig: { maxSegmentsToMove: 50 } }; },
        argument: "dataManagement.coordinatorDynamicConfig.maxSegmentsToMove", message: lit("got 50; is ignored by Druid while smartSegmentLoading is on", "smartSegmentLoading: false"),
        rule: "needs smartSegmentLoading: false", given: "50",
    },
    {
        description: "coordinatorDynamicConfig.extra that is not JSON", breaks: (a) => { a.dataManagement = { coordinatorDynamicConfig: { extra: "{maxKillTaskSlots: 2" } }; },
        argument: "dataManagement.coordinatorDynamicConfig.extra", message: lit("got \"{maxKillTaskSlots: 2\"; must be the text of a JSON object"),
        rule: "the text of a JSON object (JSON.stringify({...}))", given: "{maxKillTaskSlots: 2",
    },
    {
        description: "a worker select strategy Druid does not have",
        breaks: (a) => { a.dataManagement = { workerSelectStrategy: JSON.stringify({ type: "roundRobin" }) }; },
        argument: "dataManagement.workerSelectStrategy.type", message: lit('got "roundRobin"; must be one of "equalDistribution"'),
        rule: "one of Druid's select strategies", given: "roundRobin",
    },
    {
        description: "a worker select strategy with Kubernetes Jobs (no worker to select)",
        breaks: (a) => { a.coordination = "kubernetes"; a.data = { ingestion: { worker: "kubernetesJobs" } }; a.dataManagement = { workerSelectStrategy: JSON.stringify({ type: "fillCapacity" }) }; },
        argument: "dataManagement.workerSelectStrategy", message: lit('selects MiddleManagers or Indexers, which worker "kubernetesJobs" does not run', "data.ingestion.taskCapacity"),
        rule: "only with MiddleManagers or Indexers", given: "{\"type\":\"fillCapacity\"} with kubernetesJobs",
    },
    {
        description: "a kill whitelist while unused segments are never killed",
        breaks: (a) => { a.dataManagement = { coordinatorDynamicConfig: { killDataSourceWhitelist: ["wikipedia"] } }; },
        argument: "dataManagement.coordinatorDynamicConfig.killDataSourceWhitelist", message: lit("does nothing while unused segments are never killed", "set deepStorage.killUnusedSegments"),
        rule: "needs deepStorage.killUnusedSegments", given: "[\"wikipedia\"] without kills",
    },
    {
        description: "a kill whitelist given through extra while kills are off",
        breaks: (a) => { a.deepStorage = { ...a.deepStorage, killUnusedSegments: { enabled: false } }; a.dataManagement = { coordinatorDynamicConfig: { extra: JSON.stringify({ killDataSourceWhitelist: ["wikipedia"] }) } }; },
        argument: "dataManagement.coordinatorDynamicConfig.extra.killDataSourceWhitelist", message: lit("does nothing while unused segments are never killed"),
        rule: "needs deepStorage.killUnusedSegments", given: "extra whitelist, enabled: false",
    },
    {
        description: "an apply timeout under a minute",
        breaks: (a) => { a.dataManagement = { applyTimeoutSeconds: 10, defaultRules: [] }; },
        argument: "dataManagement.applyTimeoutSeconds", message: lit("got 10; must be a whole number from 60 to 3600"),
        rule: "whole number of seconds, 60-3600", given: "10",
    },
    {
        description: "coordination that Druid does not offer",
        breaks: (a) => { a.coordination = invalid("etcd"); },
        argument: "coordination", message: lit('got "etcd"; must be one of "zookeeper", "kubernetes"'),
        rule: "\"zookeeper\" or \"kubernetes\"", given: "\"etcd\"",
    },
    {
        description: "a ZooKeeper ensemble asked for in a ZooKeeper-less cluster",
        breaks: (a) => { a.coordination = "kubernetes"; a.zookeeper = { replicas: 3 }; },
        argument: "zookeeper", message: lit('got "an object with replicas"; cannot be given with coordination "kubernetes"'),
        rule: "no zookeeper with coordination \"kubernetes\"", given: "{ replicas: 3 }",
    },
    {
        description: "MiddleManagers with Kubernetes discovery (their Peons share one pod's announcement)",
        breaks: (a) => { a.coordination = "kubernetes"; },
        argument: "data.ingestion.worker",
        message: lit('got "middleManager"; cannot run with coordination "kubernetes"', 'choose worker "indexer" or "kubernetesJobs"', '(or coordination "zookeeper")'),
        rule: "not \"middleManager\" with coordination \"kubernetes\"", given: "\"middleManager\" (the default)",
    },
    {
        // The task runner reports the pod IP as the task's location (KubernetesPeonLifecycle.getTaskLocation);
        // no certificate names it (components/plan/validate-task-jobs-tls.ts).
        description: "tasks as Kubernetes Jobs with TLS (clients reach task pods at their pod IP, which no certificate names)",
        breaks: (a) => { a.tls = { certManagerIssuer: "druid-ca" }; a.data = { ingestion: { worker: "kubernetesJobs" } }; },
        argument: "data.ingestion.worker",
        message: lit('got "kubernetesJobs"; cannot run with tls', "at its pod IP", "druid.client.https.validateHostnames", "druid.server.http.enforceStrictSNIHostChecking",
            'choose worker "indexer" or "middleManager" with tls, or leave tls out'),
        rule: "not \"kubernetesJobs\" with tls", given: "\"kubernetesJobs\" with tls",
    },
    {
        description: "a one-character name with Kubernetes discovery (Druid's clusterIdentifier needs two)",
        name: "d",
        breaks: (a) => { a.coordination = "kubernetes"; a.data = { ingestion: { worker: "indexer" } }; a.namespace = "analytics"; },
        argument: "name (the resource name)",
        message: lit('got "d"; must be at least 2 characters with coordination "kubernetes"', "druid.discovery.k8s.clusterIdentifier", "[a-z0-9][a-z0-9-]*[a-z0-9]"),
        rule: "at least 2 characters with coordination \"kubernetes\"", given: "\"d\"",
    },
    {
        description: "leader-election timing with ZooKeeper coordination",
        breaks: (a) => { a.leaderElection = { leaseDurationSeconds: 15 }; },
        argument: "leaderElection", message: lit('got "an object with leaseDurationSeconds"; applies only to coordination "kubernetes"'),
        rule: "only with coordination \"kubernetes\"", given: "{ leaseDurationSeconds: 15 }",
    },
    {
        description: "a renew deadline as long as the lease",
        breaks: (a) => { a.coordination = "kubernetes"; a.data = { ingestion: { worker: "indexer" } }; a.leaderElection = { leaseDurationSeconds: 15, renewDeadlineSeconds: 15 }; },
        argument: "leaderElection.renewDeadlineSeconds", message: lit("got 15; must be less than leaderElection.leaseDurationSeconds (15)"),
        rule: "less than leaseDurationSeconds", given: "15 with a lease of 15",
    },
    {
        description: "a retry period as long as the renew deadline (the HA default 10 s)",
        breaks: (a) => { a.coordination = "kubernetes"; a.highAvailability = true; a.data = { ingestion: { worker: "indexer" } }; a.leaderElection = { retryPeriodSeconds: 10 }; },
        argument: "leaderElection.retryPeriodSeconds", message: lit("got 10; must be less than leaderElection.renewDeadlineSeconds (10)"),
        rule: "less than renewDeadlineSeconds", given: "10 with highAvailability",
    },
    {
        description: "task slots per MiddleManager with tasks as Kubernetes Jobs",
        breaks: (a) => { a.data = { ingestion: { worker: "kubernetesJobs", workerCapacity: 8 } }; },
        argument: "data.ingestion.workerCapacity", message: lit('got 8; sizes MiddleManager/Indexer pods, which worker "kubernetesJobs" does not run', "taskCapacity"),
        rule: "not with worker \"kubernetesJobs\" (use taskCapacity)", given: "8",
    },
    {
        description: "MiddleManager replicas with tasks as Kubernetes Jobs",
        breaks: (a) => { a.data = { ingestion: { worker: "kubernetesJobs", replicas: 2 } }; },
        argument: "data.ingestion.replicas", message: lit('got 2; sizes MiddleManager/Indexer pods, which worker "kubernetesJobs" does not run'),
        rule: "not with worker \"kubernetesJobs\"", given: "2",
    },
    {
        description: "task pod resources without Kubernetes Jobs",
        breaks: (a) => { a.data = { ingestion: { taskResources: { cpu: "1", memory: "2Gi" } } }; },
        argument: "data.ingestion.taskResources", message: lit('got "an object with cpu, memory"; only applies with data.ingestion.worker "kubernetesJobs" (the worker is "middleManager")'),
        rule: "only with worker \"kubernetesJobs\"", given: "{ cpu, memory }",
    },
    {
        description: "no Kubernetes Jobs allowed at once",
        breaks: (a) => { a.data = { ingestion: { worker: "kubernetesJobs", taskCapacity: 0 } }; },
        argument: "data.ingestion.taskCapacity", message: lit("got 0; must be a whole number from 1 to 1000"),
        rule: "whole number 1-1000", given: "0",
    },
    {
        description: "task pods too small for the Peon's buffers and heap",
        breaks: (a) => { a.data = { ingestion: { worker: "kubernetesJobs", taskResources: { cpu: "1", memory: "1Gi" } } }; },
        error: "sizing", argument: "data.ingestion.taskResources",
        message: lit("the task pods (data.ingestion.taskResources) would leave the Peon a heap of", "give them at least 2Gi"),
        rule: "Peon heap of at least 512MiB after direct memory and overhead", given: "1Gi",
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
    // ---- Domain rules: generated names (validate-names.ts)
    {
        description: "a 40-character name: the Historical StatefulSet's name is over 52 characters", name: `d${"x".repeat(39)}`,
        argument: "name (the resource name)", message: lit(`got "d${"x".repeat(39)}"; gives the StatefulSet name "d${"x".repeat(39)}-historical-default" (59 characters)`, "at most 52 characters", "#64023"),
        rule: "every generated name fits its kind: StatefulSets at most 52 characters (controller-revision-hash label), Services DNS-1035 labels, Jobs and Deployments DNS labels, the rest DNS subdomains",
        given: "(a 40-character name)",
    },
    {
        description: "a tier name that makes its StatefulSet's name too long", name: "analytics-production",
        breaks: (a) => { a.data = { historicalTiers: [tier({ name: "very-long-tier-name-for-30-chr", druidTier: "_default_tier" })] }; },
        argument: "data.historicalTiers[0].name", message: lit('got "very-long-tier-name-for-30-chr"; gives the StatefulSet name "analytics-production-historical-very-long-tier-name-for-30-chr" (62 characters)', "shorten the tier name by 10"),
        rule: "the tier's generated names fit their kinds (the longer of resource and tier name is named)", given: "very-long-tier-name-for-30-chr",
    },
    {
        description: "a name starting with a digit (Service \"4a-zookeeper\" is no DNS-1035 label)", name: "4a",
        argument: "name (the resource name)", message: lit('got "4a"; must start with a letter', "DNS-1035 label"),
        rule: "starts with a letter (Service names are DNS-1035 labels)", given: "4a",
    },
    // ---- Ports (validate-druid.ts checkPorts)
    {
        description: "metrics port equal to the Router's port", breaks: (a) => { a.metrics = { prometheusPort: 8888 }; },
        argument: "metrics.prometheusPort", message: lit("got 8888; collides with the router's port", "cannot have two ports of one number"),
        rule: "differs from every port of the pods it is added to", given: "8888",
    },
    {
        description: "metrics port equal to the Coordinator's TLS port", breaks: (a) => { a.tls = { certManagerIssuer: "ca" }; a.metrics = { prometheusPort: 8281 }; },
        argument: "metrics.prometheusPort", message: lit("got 8281; collides with the coordinator's TLS port"),
        rule: "differs from the TLS ports with TLS", given: "8281 (with tls)",
    },
    {
        description: "metrics port inside the Peons' port range", breaks: (a) => { a.data = { ingestion: { workerCapacity: 4 } }; a.metrics = { prometheusPort: 8102 }; },
        argument: "metrics.prometheusPort", message: lit("got 8102; collides with a Peon's port (8100 to 8103 for 4 task slots)"),
        rule: "outside 8100 + task slots", given: "8102 (4 slots)",
    },
    {
        description: "metrics port equal to ZooKeeper's metrics port", breaks: (a) => { a.metrics = { prometheusPort: 7000 }; },
        argument: "metrics.prometheusPort", message: lit("got 7000; collides with ZooKeeper's metrics port"),
        rule: "differs from ZooKeeper's 2181, 2888, 3888, 8080 and 7000", given: "7000",
    },
    // ---- Labels, image references, pod spec (validate-kubernetes.ts, config/image-reference.ts)
    {
        description: "ZooKeeper image whose tag is no label value", breaks: (a) => { a.zookeeper = { image: "registry.example.com:5000/zookeeper:3.8.6_" }; },
        argument: "zookeeper.image", message: lit('got "registry.example.com:5000/zookeeper:3.8.6_"; has the tag "3.8.6_"', "label value"),
        rule: "the tag must be a label value (app.kubernetes.io/version)", given: "registry.example.com:5000/zookeeper:3.8.6_",
    },
    {
        description: "ZooKeeper image that is no image reference", breaks: (a) => { a.zookeeper = { image: "Zookeeper:3.8.6" }; },
        argument: "zookeeper.image", message: lit('got "Zookeeper:3.8.6"; must be an image reference: [registry[:port]/]path[:tag][@digest]'),
        rule: "an image reference (distribution/reference grammar)", given: "Zookeeper:3.8.6",
    },
    {
        description: "Druid image with a tag (the tag is druidVersion)", breaks: (a) => { a.image = "apache/druid:37.0.0"; },
        argument: "image", message: lit('got "apache/druid:37.0.0"; must be an image repository', "without tag or digest"),
        rule: "a repository name, registry[:port] allowed", given: "apache/druid:37.0.0",
    },
    {
        description: "node selector with a number as value", breaks: (a) => { a.query = { broker: { scheduling: { nodeSelector: invalid({ pool: 4 }) } } }; },
        argument: "query.broker.scheduling.nodeSelector[\"pool\"]", message: lit("got 4; must be a string (Node selector labels"),
        rule: "label keys to label values (strings)", given: "{ pool: 4 }",
    },
    {
        description: "toleration without a key and operator Equal", breaks: (a) => { a.data = { historicalTiers: [tier({ scheduling: { tolerations: [{ value: "x", effect: "NoSchedule" }] } })] }; },
        argument: "data.historicalTiers[0].scheduling.tolerations[0].operator", message: lit('got "Equal (the default)"; must be "Exists" for a toleration without a key'),
        rule: "operator Exists when the key is empty", given: "{ value: \"x\" }",
    },
    {
        description: "toleration effect misspelt", breaks: (a) => { a.zookeeper = { scheduling: { tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoScheduel" }] } }; },
        argument: "zookeeper.scheduling.tolerations[0].effect", message: lit('got "NoScheduel"; must be "NoSchedule", "PreferNoSchedule" or "NoExecute"'),
        rule: "Equal/Exists; NoSchedule, PreferNoSchedule or NoExecute", given: "NoScheduel",
    },
    {
        description: "annotation key with two '/'", breaks: (a) => { a.query = { router: { serviceAnnotations: { "service.beta.kubernetes.io/aws/internal": "true" } } }; },
        argument: "query.router.serviceAnnotations[\"service.beta.kubernetes.io/aws/internal\"]", message: lit('got "service.beta.kubernetes.io/aws/internal"; is not a Kubernetes annotation key', "one '/' at most"),
        rule: "[DNS subdomain prefix (≤ 253) '/'] name (≤ 63)", given: "service.beta.kubernetes.io/aws/internal",
    },
    {
        description: "rule label value with a space", breaks: (a) => { a.metrics = { alerts: true, ruleLabels: { release: "kube prometheus" } }; },
        argument: "metrics.ruleLabels[\"release\"]", message: lit('got "kube prometheus"; is not a Kubernetes label value'),
        rule: "label values: ≤ 63 of [A-Za-z0-9-_.], alphanumeric at both ends", given: "kube prometheus",
    },
    // ---- Values that land in IAM policies
    {
        description: "prefix with '*' (the IAM policy would grant beyond the prefix)",
        breaks: (a) => { a.deepStorage = { existingBucketName: "company-druid", prefix: "x!y*z'(1)", oidcProviderArn: a.deepStorage.oidcProviderArn, oidcProviderUrl: a.deepStorage.oidcProviderUrl }; },
        argument: "deepStorage.prefix", message: lit(`got "x!y*z'(1)"; must be an S3 key prefix`, "IAM reads them as wildcards or policy variables"),
        rule: "no '*', '?', '$', '{', '}' (IAM wildcards and policy variables)", given: "x!y*z'(1)",
    },
    {
        description: "prefix with a policy variable", breaks: (a) => { a.deepStorage.prefix = "druid/${aws:username}"; },
        argument: "deepStorage.prefix", message: lit('got "druid/${aws:username}"; must be an S3 key prefix'),
        rule: "no policy variables", given: "druid/${aws:username}",
    },
    {
        description: "OIDC provider ARN with a wildcard", breaks: (a) => { a.deepStorage.oidcProviderArn = "arn:aws:iam::123456789012:oidc-provider/*"; },
        argument: "deepStorage.oidcProviderArn", message: lit('got "arn:aws:iam::123456789012:oidc-provider/*"; must be an IAM OIDC provider ARN'),
        rule: "an IAM OIDC provider ARN", given: "arn:aws:iam::123456789012:oidc-provider/*",
    },
    // ---- Quantities: finite, bounded, whole bytes (config/quantities.ts)
    {
        description: "memory \"1e400\" (infinite)", breaks: (a) => { a.query = { broker: { resources: { cpu: "2", memory: "1e400" } } }; },
        argument: "query.broker.resources.memory", message: lit('got "1e400"; must be at most 16Ti'),
        rule: "memory at most 16Ti", given: "1e400",
    },
    {
        description: "memory in the zettabytes", breaks: (a) => { a.master = { coordinator: { resources: { cpu: "2", memory: "99999999999999999999Ei" } } }; },
        argument: "master.coordinator.resources.memory", message: lit('got "99999999999999999999Ei"; must be at most 16Ti'),
        rule: "memory at most 16Ti", given: "99999999999999999999Ei",
    },
    {
        description: "volume \"1e400\"", breaks: (a) => { a.data = { historicalTiers: [tier({ volumeSize: "1e400" })] }; },
        argument: "data.historicalTiers[0].volumeSize", message: lit('got "1e400"; must be at most 64Ti'),
        rule: "volumes at most 64Ti (the largest EBS volume)", given: "1e400",
    },
    {
        description: "memory of a fraction of a byte", breaks: (a) => { a.zookeeper = { resources: { cpu: "1", memory: "1073741824.5" } }; },
        argument: "zookeeper.resources.memory", message: lit('got "1073741824.5"; must be a whole number of bytes'),
        rule: "whole bytes", given: "1073741824.5",
    },
    {
        description: "-Xms above -Xmx", breaks: (a) => { a.query = { broker: { jvmOptions: ["-Xmx4g", "-Xms32g"] } }; },
        argument: "query.broker.jvmOptions[1]", message: lit('got "-Xms32g"; sets an initial heap larger than the maximum heap (-Xmx4g)'),
        rule: "-Xms at most -Xmx", given: "[\"-Xmx4g\", \"-Xms32g\"]",
    },
    {
        description: "direct memory flag larger than a Historical's container", error: "sizing",
        breaks: (a) => { a.data = { historicalTiers: [tier({ jvmOptions: ["-XX:MaxDirectMemorySize=100g"] })] }; },
        argument: "data.historicalTiers[0].jvmOptions", message: lit('historical tier "hot" does not fit its container', "direct memory 102400MiB"),
        rule: "JVM memory flags count in the fit check", given: "-XX:MaxDirectMemorySize=100g",
    },
    {
        description: "task pods' -Xmx larger than their container", error: "sizing",
        breaks: (a) => { a.data = { ingestion: { worker: "kubernetesJobs", jvmOptions: ["-Xmx8g"] } }; },
        argument: "data.ingestion.jvmOptions", message: lit("the task pods (data.ingestion.taskResources) do not fit their container: heap 8192MiB"),
        rule: "task pods' JVM flags count in their fit check", given: "-Xmx8g (2Gi pods)",
    },
    // ---- Overrides of what the component controls (validate-druid.ts)
    {
        description: "druid.plaintextPort override (the Service and probes stay on 8091)", breaks: (a) => { a.data = { ingestion: { properties: { "druid.plaintextPort": "9999" } } }; },
        argument: "data.ingestion.properties[\"druid.plaintextPort\"]", message: lit('got "9999"; cannot be overridden', "Druid's default port"),
        rule: "not overridable: ports, druid.service, druid.host, volume paths, capacity, Peon JVM options, storage and metadata connection", given: "9999",
    },
    {
        description: "Prometheus emitter port as a common property", breaks: (a) => { a.commonProperties = { "druid.emitter.prometheus.port": "9999" }; },
        argument: "commonProperties[\"druid.emitter.prometheus.port\"]", message: lit('got "9999"; cannot be overridden', "use metrics.prometheusPort instead"),
        rule: "use metrics.prometheusPort", given: "9999",
    },
    {
        description: "segment-cache locations override", breaks: (a) => { a.data = { historicalTiers: [tier({ properties: { "druid.segmentCache.locations": "[{\"path\":\"/data\",\"maxSize\":1}]" } })] }; },
        argument: "data.historicalTiers[0].properties[\"druid.segmentCache.locations\"]", message: lit("cannot be overridden", "use data.historicalTiers[0].volumeSize instead"),
        rule: "use the tier's volumeSize", given: "[{\"path\":\"/data\",...}]",
    },
    {
        description: "existing server's user given as false", breaks: (a) => { a.metadataStore = { existing: { host: "pg", password: "p", user: invalid(false) } }; },
        argument: "metadataStore.existing.user", message: lit("got false; must be a string (User name.)"),
        rule: "a PostgreSQL name (a string)", given: "false",
    },
    // ---- Druid's value types (config/property-types.ts)
    {
        description: "HTTP threads above a Java int", breaks: (a) => { a.query = { broker: { properties: { "druid.server.http.numThreads": "99999999999999999999" } } }; },
        argument: "query.broker.properties[\"druid.server.http.numThreads\"]", message: lit('got "99999999999999999999"; must be a whole number from 1 to 2147483647 (Druid reads it as a Java int)'),
        rule: "known int/long properties within Java's range", given: "99999999999999999999",
    },
    {
        description: "a duration that is no ISO-8601 period", breaks: (a) => { a.query = { router: { properties: { "druid.router.http.readTimeout": "5 minutes" } } }; },
        argument: "query.router.properties[\"druid.router.http.readTimeout\"]", message: lit('got "5 minutes"; must be an ISO-8601 period'),
        rule: "durations as ISO-8601 periods (weeks to seconds)", given: "5 minutes",
    },
    {
        description: "processing buffer of 4GiB (one Java ByteBuffer)", breaks: (a) => { a.data = { historicalTiers: [tier({ properties: { "druid.processing.buffer.sizeBytes": "4GiB" } })] }; },
        argument: "data.historicalTiers[0].properties[\"druid.processing.buffer.sizeBytes\"]", message: lit('got "4GiB"; must be a byte size', "at most 2147483647 bytes"),
        rule: "buffer sizes under 2GiB", given: "4GiB",
    },
    {
        description: "task slots as a property (bypassing the fit check)", breaks: (a) => { a.data = { ingestion: { properties: { "druid.worker.capacity": "64" } } }; },
        argument: "data.ingestion.properties[\"druid.worker.capacity\"]", message: lit('got "64"; cannot be overridden', "use data.ingestion.workerCapacity instead"),
        rule: "use workerCapacity", given: "64",
    },
    {
        description: "a JVM option without its '-'", breaks: (a) => { a.master = { overlord: { jvmOptions: ["Xmx4g"] } }; },
        argument: "master.overlord.jvmOptions[0]", message: lit('got "Xmx4g"; must be one JVM option', "starts with \"-\""),
        rule: "JVM option forms: -X…, -XX:±Flag, -XX:Name=value, -Dname=value, --option, -standard", given: "Xmx4g",
    },
    // ---- Runtime types, from schema.json (components/plan/validate-shape.ts): found by the property-based test
    {
        description: "a JVM flag that is an object",
        breaks: (a) => { a.query = { router: { jvmOptions: [invalid<string>({})] } }; },
        argument: "query.router.jvmOptions[0]", message: lit('got "an object with no keys"; must be a string (Extra JVM flags'),
        rule: "each entry a string", given: "[{}]",
    },
    {
        description: "null in a list",
        breaks: (a) => { a.extraExtensions = [invalid<string>(null)]; },
        argument: "extraExtensions[0]", message: lit("got null; must be a string, not null: a list holds no empty entries"),
        rule: "no null or undefined entries in lists", given: "[null]",
    },
    {
        description: "a list where a string goes",
        breaks: (a) => { a.zookeeper = { externalConnectString: invalid<string>(["zk:2181"]) }; },
        argument: "zookeeper.externalConnectString", message: lit('got ["zk:2181"]; must be a string (Use this connect string'),
        rule: "a string", given: "[\"zk:2181\"] (a list)",
    },
    {
        description: "a string where a list goes",
        breaks: (a) => { a.networkPolicies = { routerAllowedNamespaces: invalid<string[]>("monitoring") }; },
        argument: "networkPolicies.routerAllowedNamespaces", message: lit('got "monitoring"; must be a list of strings (Namespaces (by name) allowed to reach the Router'),
        rule: "a list of namespace names", given: "\"monitoring\" (a string)",
    },
    {
        description: "a huge number where a list goes",
        breaks: (a) => { a.metadataStore.allowedCidrBlocks = invalid<string[]>(1e308); },
        argument: "metadataStore.allowedCidrBlocks", message: lit("got 1e+308; must be a list of strings (CIDR blocks allowed to connect on 5432"),
        rule: "a list of CIDR blocks", given: "1e308",
    },
    {
        description: "an argument that does not exist",
        breaks: (a) => { a.query = { router: invalid({ replica: 3 }) }; },
        argument: "query.router.replica", message: lit('got 3; is not an argument of Router; did you mean "query.router.replicas"?'),
        rule: "known arguments only, with the closest name", given: "replica",
    },
    {
        description: "null for an optional argument",
        breaks: (a) => { a.tls = invalid(null); },
        argument: "tls", message: lit("got null; must be an object (Tls:", "not null: leave it out for its default"),
        rule: "leave an argument out for its default (no null)", given: "null",
    },
    // ---- Customisation: tags, labels, annotations, pod extras
    {
        description: "an AWS tag key in the reserved aws: namespace",
        breaks: (a) => { a.tags = { "aws:team": "data" }; },
        argument: "tags key", message: lit('got "aws:team"', "must be an AWS tag key", "not starting with \"aws:\""),
        rule: "AWS tag key: 1-128 letters, digits, spaces and _ . : / = + - @, not aws:", given: "\"aws:team\"",
    },
    {
        description: "the component's own AWS tag",
        breaks: (a) => { a.tags = { "druid.apache.org/cluster": "other" }; },
        argument: "tags key", message: lit('got "druid.apache.org/cluster"', "is the component's own tag"),
        rule: "not the component's own tag key", given: "\"druid.apache.org/cluster\"",
    },
    {
        description: "a label key the component sets (a selector label)",
        breaks: (a) => { a.kubernetes = { labels: { "app.kubernetes.io/instance": "x" } }; },
        argument: 'kubernetes.labels["app.kubernetes.io/instance"]', message: lit('got "app.kubernetes.io/instance"', "is set by the component itself"),
        rule: "Kubernetes qualified name, not one of the component's keys or prefixes", given: "\"app.kubernetes.io/instance\"",
    },
    {
        description: "a label value that is not a label value",
        breaks: (a) => { a.kubernetes = { podLabels: { team: "data platform" } }; },
        argument: 'kubernetes.podLabels["team"]', message: lit('got "data platform"', "must be a label value"),
        rule: "label value: at most 63 letters, digits, '-', '_', '.'", given: "\"data platform\"",
    },
    {
        description: "an annotation key under pulumi.com/ (it would change how Pulumi handles the objects)",
        breaks: (a) => { a.kubernetes = { annotations: { "pulumi.com/skipAwait": "true" } }; },
        argument: 'kubernetes.annotations["pulumi.com/skipAwait"]', message: lit('got "pulumi.com/skipAwait"', "is set by the component itself"),
        rule: "Kubernetes qualified name, not under druid.apache.org/, pulumi.com/, pod-security.kubernetes.io/, prometheus.io/", given: "\"pulumi.com/skipAwait\"",
    },
    {
        description: "an image pull secret that is not an object name",
        breaks: (a) => { a.kubernetes = { imagePullSecrets: ["Registry_Creds"] }; },
        argument: "kubernetes.imagePullSecrets[0]", message: lit('got "Registry_Creds"', "must be a Kubernetes object name"),
        rule: "DNS subdomain", given: "\"Registry_Creds\"",
    },
    {
        description: "a priority class name that is not an object name",
        breaks: (a) => { a.query = { broker: { priorityClassName: "High Priority" } }; },
        argument: "query.broker.priorityClassName", message: lit('got "High Priority"', "must be a Kubernetes object name"),
        rule: "DNS subdomain", given: "\"High Priority\"",
    },
    {
        description: "an env variable the component sets",
        breaks: (a) => { a.query = { broker: { env: [{ name: "AWS_REGION", value: "us-east-1" }] } }; },
        argument: "query.broker.env[0].name", message: lit('got "AWS_REGION"', "is set by the component"),
        rule: "not a variable the component sets; exactly one of value/valueFrom", given: "\"AWS_REGION\"",
    },
    {
        description: "an env variable with both value and valueFrom",
        breaks: (a) => { a.master = { coordinator: { env: [{ name: "X", value: "1", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] } }; },
        argument: "master.coordinator.env[0]", message: lit("needs exactly one of value and valueFrom"),
        rule: "exactly one of value/valueFrom", given: "value and valueFrom",
    },
    {
        description: "a volume named like one of the component's volumes",
        breaks: (a) => { a.data = { historicalTiers: [tier({ name: "default", volumes: [{ name: "segment-cache", emptyDir: {} }] })] }; },
        argument: "data.historicalTiers[0].volumes[0].name", message: lit('got "segment-cache"', "is one of the component's own volumes"),
        rule: "DNS label, not a component volume", given: "\"segment-cache\"",
    },
    {
        description: "a hostPath volume (not allowed by Pod Security restricted)",
        breaks: (a) => { a.query = { router: { volumes: [invalid({ name: "host", hostPath: { path: "/var/log" } })] } }; },
        argument: "query.router.volumes[0].hostPath", message: lit("is not an argument of DruidVolume (its arguments: name, configMap, secret, emptyDir, persistentVolumeClaim, csi)"),
        rule: "exactly one of configMap, secret, emptyDir, persistentVolumeClaim, csi", given: "hostPath",
    },
    {
        description: "a mount over the component's configuration",
        breaks: (a) => { a.query = { broker: { volumes: [{ name: "extra", emptyDir: {} }], volumeMounts: [{ name: "extra", mountPath: "/opt/druid/conf/druid/cluster/query" }] } }; },
        argument: "query.broker.volumeMounts[0].mountPath", message: lit('got "/opt/druid/conf/druid/cluster/query"', "overlaps /opt/druid/conf/druid/cluster"),
        rule: "absolute, outside the component's mount paths", given: "\"/opt/druid/conf/druid/cluster/query\"",
    },
    {
        description: "a mount of a volume the service does not have",
        breaks: (a) => { a.query = { broker: { volumeMounts: [{ name: "missing", mountPath: "/data" }] } }; },
        argument: "query.broker.volumeMounts[0].name", message: lit('got "missing"', "must name a volume of the pod"),
        rule: "one of the service's volumes", given: "\"missing\"",
    },
    {
        description: "a sidecar named druid",
        breaks: (a) => { a.query = { router: { sidecars: [{ name: "druid", image: "busybox:1.37" }] } }; },
        argument: "query.router.sidecars[0].name", message: lit('got "druid"', "is the name of another container of the pod"),
        rule: "DNS label, unique in the pod, not \"druid\"", given: "\"druid\"",
    },
    {
        description: "a sidecar port Druid uses (the metrics port)",
        breaks: (a) => { a.query = { broker: { sidecars: [{ name: "proxy", image: "envoyproxy/envoy:v1.31.0", ports: [{ containerPort: 9000 }] }] } }; },
        argument: "query.broker.sidecars[0].ports[0].containerPort", message: lit("got 9000", "is used by Druid in this pod (8082, 9000)"),
        rule: "not a Druid port of the pod (service, metrics, Peons)", given: "9000",
    },
    {
        description: "pod extras for task Jobs (no MiddleManager or Indexer pod)",
        breaks: (a) => { a.data = { ingestion: { worker: "kubernetesJobs", env: [{ name: "X", value: "1" }] } }; },
        argument: "data.ingestion.env", message: lit("applies to MiddleManager and Indexer pods", "worker \"kubernetesJobs\" does not run; shape task pods with a Pulumi transform on the task template ConfigMap (docs/customization.md"),
        rule: "MiddleManager/Indexer only", given: "(env with kubernetesJobs)",
    },
    // ---- Issue #22: values another program reads, checked by that program's rules
    {
        description: "a single quote in a JVM option (druid.sh's xargs would empty the JVM command line)",
        breaks: (a) => { a.query = { broker: { jvmOptions: ["-Dquote='x"] } }; },
        argument: "query.broker.jvmOptions[0]", message: lit(`got "-Dquote='x"; must not hold a quote`, "xargs"),
        rule: "no ', \" or \\ (druid.sh reads jvm.config through xargs)", given: "-Dquote='x",
    },
    {
        description: "a double quote in a Peon JVM option",
        breaks: (a) => { a.data = { ingestion: { peonJvmOptions: ['-Dx="y"'] } }; },
        argument: "data.ingestion.peonJvmOptions[0]", message: lit("must not hold a quote", "xargs"),
        rule: "no ', \" or \\ (druid.sh reads jvm.config through xargs)", given: '-Dx="y"',
    },
    {
        description: "a backslash in a Historical tier's JVM option",
        breaks: (a) => { a.data = { historicalTiers: [tier({ name: "default", jvmOptions: ["-Dpath=C:\\druid"] })] }; },
        argument: "data.historicalTiers[0].jvmOptions[0]", message: lit("must not hold a quote", "or a backslash"),
        rule: "no ', \" or \\ (druid.sh reads jvm.config through xargs)", given: "-Dpath=C:\\druid",
    },
    {
        description: "a storage class with an underscore (not a Kubernetes object name)",
        breaks: (a) => { a.data = { historicalTiers: [tier({ name: "default", storageClass: "ebs_sc" })] }; },
        argument: "data.historicalTiers[0].storageClass", message: lit('got "ebs_sc"; must name a StorageClass', "DNS-1123 subdomain"),
        rule: "a StorageClass name (DNS-1123 subdomain, at most 253)", given: "ebs_sc",
    },
    {
        description: "an ingestion storage class of 254 characters",
        breaks: (a) => { a.data = { ingestion: { storageClass: "s".repeat(254) } }; },
        argument: "data.ingestion.storageClass", message: lit("must name a StorageClass", "at most 253"),
        rule: "a StorageClass name (DNS-1123 subdomain, at most 253)", given: "(254 characters)",
    },
    {
        description: "a ZooKeeper storage class in capitals",
        breaks: (a) => { a.zookeeper = { storageClass: "GP3" }; },
        argument: "zookeeper.storageClass", message: lit('got "GP3"; must name a StorageClass'),
        rule: "a StorageClass name (DNS-1123 subdomain, at most 253)", given: "GP3",
    },
    {
        description: "a keystore key \".\" (no Secret can hold it)",
        breaks: (a) => { a.tls = { secretName: "druid-keystores", keystoreKey: "." }; },
        argument: "tls.keystoreKey", message: lit('got "."; must name the Secret/ConfigMap key that holds the PKCS12 keystore', 'not "." or ".."'),
        rule: "a Secret key: 1-253 of [-._a-zA-Z0-9], not \".\" or \"..\"", given: ".",
    },
    {
        description: "a password key \"..\"",
        breaks: (a) => { a.tls = { secretName: "druid-keystores", passwordKey: ".." }; },
        argument: "tls.passwordKey", message: lit('got ".."', 'not "." or ".."'),
        rule: "a Secret key: 1-253 of [-._a-zA-Z0-9], not \".\" or \"..\"", given: "..",
    },
    {
        description: "a CA certificate key of 254 characters",
        breaks: (a) => { a.metadataStore.sslMode = "verify-full"; a.metadataStore.caCertificate = { secretName: "rds-ca", key: "k".repeat(254) }; },
        argument: "metadataStore.caCertificate.key", message: lit("must name the Secret/ConfigMap key that holds the CA certificate(s)", "1-253"),
        rule: "a Secret/ConfigMap key: 1-253 of [-._a-zA-Z0-9], not \".\" or \"..\"", given: "(254 characters)",
    },
    {
        description: "a sidecar image that is not an image reference",
        breaks: (a) => { a.query = { broker: { sidecars: [{ name: "shipper", image: "busybox:" }] } }; },
        argument: "query.broker.sidecars[0].image", message: lit('got "busybox:"; must be an image reference: [registry[:port]/]path[:tag][@digest]'),
        rule: "an image reference (distribution/reference grammar)", given: "busybox:",
    },
    {
        description: "an init container image in capitals",
        breaks: (a) => { a.master = { coordinator: { initContainers: [{ name: "wait", image: "Busybox:1.37" }] } }; },
        argument: "master.coordinator.initContainers[0].image", message: lit('got "Busybox:1.37"; must be an image reference'),
        rule: "an image reference (distribution/reference grammar)", given: "Busybox:1.37",
    },
    {
        description: "a volume's Secret name of 254 characters",
        breaks: (a) => { a.query = { broker: { volumes: [{ name: "certs", secret: { secretName: "x".repeat(254) } }] } }; },
        argument: "query.broker.volumes[0].secret.secretName", message: lit("must name a Secret", "at most 253"),
        rule: "a Secret name (DNS-1123 subdomain)", given: "(254 characters)",
    },
    {
        description: "a volume's ConfigMap name with an underscore",
        breaks: (a) => { a.query = { router: { volumes: [{ name: "conf", configMap: { name: "my_conf" } }] } }; },
        argument: "query.router.volumes[0].configMap.name", message: lit('got "my_conf"; must name a ConfigMap'),
        rule: "a ConfigMap name (DNS-1123 subdomain)", given: "my_conf",
    },
    {
        description: "a volume's claim name in capitals",
        breaks: (a) => { a.query = { router: { volumes: [{ name: "shared", persistentVolumeClaim: { claimName: "Shared" } }] } }; },
        argument: "query.router.volumes[0].persistentVolumeClaim.claimName", message: lit('got "Shared"; must name a PersistentVolumeClaim'),
        rule: "a PersistentVolumeClaim name (DNS-1123 subdomain)", given: "Shared",
    },
    {
        description: "a volume item key \"..\"",
        breaks: (a) => { a.query = { router: { volumes: [{ name: "conf", configMap: { name: "conf", items: [{ key: "..", path: "x" }] } }] } }; },
        argument: "query.router.volumes[0].configMap.items[0].key", message: lit('got ".."', 'not "." or ".."'),
        rule: "a ConfigMap key", given: "..",
    },
    {
        description: "an env variable's Secret key \"..\"",
        breaks: (a) => { a.query = { broker: { env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "api", key: ".." } } }] } }; },
        argument: "query.broker.env[0].valueFrom.secretKeyRef.key", message: lit('got ".."', 'not "." or ".."'),
        rule: "a Secret key", given: "..",
    },
    {
        description: "an env variable's ConfigMap name with an underscore",
        breaks: (a) => { a.query = { broker: { env: [{ name: "MODE", valueFrom: { configMapKeyRef: { name: "app_conf", key: "mode" } } }] } }; },
        argument: "query.broker.env[0].valueFrom.configMapKeyRef.name", message: lit('got "app_conf"; must name a ConfigMap'),
        rule: "a ConfigMap name (DNS-1123 subdomain)", given: "app_conf",
    },
    {
        description: "a compaction spec whose tuningConfig is not an object",
        breaks: (a) => { a.dataManagement = { compaction: { wiki: { maxRowsPerSegment: 10, spec: '{"tuningConfig":"x"}' } } }; },
        argument: 'dataManagement.compaction["wiki"].spec.tuningConfig', message: lit('got "x"; must be a JSON object'),
        rule: "tuningConfig, granularitySpec, ioConfig, dimensionsSpec, transformSpec, taskContext are objects", given: '{"tuningConfig":"x"}',
    },
    {
        description: "a compaction spec whose metricsSpec is an object (Druid reads a list)",
        breaks: (a) => { a.dataManagement = { compaction: { wiki: { spec: '{"metricsSpec":{"type":"count"}}' } } }; },
        argument: 'dataManagement.compaction["wiki"].spec.metricsSpec', message: lit("must be a JSON list of aggregator objects"),
        rule: "metricsSpec is a list of aggregators", given: '{"metricsSpec":{"type":"count"}}',
    },
    {
        description: "a compaction spec granularitySpec that is a list",
        breaks: (a) => { a.dataManagement = { compaction: { wiki: { spec: '{"granularitySpec":["DAY"]}' } } }; },
        argument: 'dataManagement.compaction["wiki"].spec.granularitySpec', message: lit("must be a JSON object"),
        rule: "tuningConfig, granularitySpec, ioConfig, dimensionsSpec, transformSpec, taskContext are objects", given: '{"granularitySpec":["DAY"]}',
    },
    {
        description: "a compaction tuningConfig.type the typed maxRowsPerSegment sets",
        breaks: (a) => { a.dataManagement = { compaction: { wiki: { maxRowsPerSegment: 10, spec: '{"tuningConfig":{"type":"index"}}' } } }; },
        argument: 'dataManagement.compaction["wiki"].spec.tuningConfig.type', message: lit('got "index"; must be "index_parallel" (or left out)', "give it once"),
        rule: "a field the typed arguments set is given once", given: '{"tuningConfig":{"type":"index"}}',
    },
    {
        description: "so many rules that the applier's script does not fit a ConfigMap",
        breaks: (a) => {
            const rules: NonNullable<NonNullable<DruidClusterArgs["dataManagement"]>["rules"]> = {};
            for (let i = 0; i < 4000; i++) rules[`events_${i}`] = [{ type: "loadByPeriod", period: "P7D", tieredReplicants: { _default_tier: 2 } }, { type: "dropForever" }];
            a.dataManagement = { rules };
        },
        argument: "dataManagement", message: lit('got "8000 rules in 4000 rule lists and 0 compaction configurations"', "over the 1048576 bytes a Kubernetes ConfigMap holds"),
        rule: "the applier's script fits a ConfigMap (1 MiB)", given: "(4000 rule lists)",
    },
    {
        description: "a Broker too small for its direct memory", error: "sizing",
        breaks: (a) => { a.query = { broker: { resources: { cpu: "16", memory: "2Gi" } } }; },
        argument: "query.broker.resources", message: lit("broker would get a heap of only -192MiB in 2048MiB", "direct memory 1984MiB", "Give it at least 3Gi of memory"),
        rule: "the heap is at least 128MiB beside direct memory and overhead", given: "16 cores in 2Gi",
    },

    // ---- Placement, disruption, autoscaler metrics, sidecar fields
    {
        description: "a CPU request above the limit",
        breaks: (a) => { a.query = { broker: { resources: { cpu: "2", memory: "8Gi", cpuRequest: "3" } } }; },
        argument: "query.broker.resources.cpuRequest", message: lit('got "3"; must be at most the limit cpu (2)'),
        rule: "request at most the limit", given: "\"3\" with cpu \"2\"",
    },
    {
        description: "a memory request above the limit",
        breaks: (a) => { a.data = { historicalTiers: [tier({ name: "default", resources: { cpu: "4", memory: "16Gi", memoryRequest: "20Gi" } })] }; },
        argument: "data.historicalTiers[0].resources.memoryRequest", message: lit('got "20Gi"; must be at most the limit memory (16Gi)', "sized from the limit"),
        rule: "request at most the limit", given: "\"20Gi\" with memory \"16Gi\"",
    },
    {
        description: "a request on ZooKeeper",
        breaks: (a) => { a.zookeeper = { resources: { cpu: "1", memory: "2Gi", cpuRequest: "500m" } }; },
        argument: "zookeeper.resources.cpuRequest", message: lit('got "500m"; is not supported for ZooKeeper'),
        rule: "requests below limits: Druid services and sidecars only", given: "\"500m\"",
    },
    {
        description: "a preferred node affinity weight of 0",
        breaks: (a) => { a.query = { broker: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } } } }; },
        argument: "query.broker.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", message: lit("got 0; must be a whole number from 1 to 100"),
        rule: "weight 1-100", given: "0",
    },
    {
        description: "required node affinity without terms",
        breaks: (a) => { a.master = { coordinator: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } } }; },
        argument: "master.coordinator.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", message: lit("must be a non-empty list"),
        rule: "at least one node selector term", given: "[]",
    },
    {
        description: "a node requirement In without values",
        breaks: (a) => { a.query = { router: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "pool", operator: "In" }] }] } } } } }; },
        argument: "query.router.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
        message: lit('must be non-empty with operator "In"'), rule: "In/NotIn need values", given: "(no values)",
    },
    {
        description: "a pod anti-affinity term without a topology key",
        breaks: (a) => { a.query = { broker: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "" }] } } } }; },
        argument: "query.broker.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey", message: lit('got ""; must be a node label key'),
        rule: "node label key", given: "\"\"",
    },
    {
        description: "two spread constraints on the same key and policy",
        breaks: (a) => {
            const c = { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" };
            a.query = { broker: { topologySpreadConstraints: [c, { ...c, maxSkew: 2 }] } };
        },
        argument: "query.broker.topologySpreadConstraints[1]", message: lit("repeats the topologyKey and whenUnsatisfiable of another constraint"),
        rule: "unique (topologyKey, whenUnsatisfiable)", given: "zone/DoNotSchedule twice",
    },
    {
        description: "minDomains with ScheduleAnyway",
        breaks: (a) => { a.query = { broker: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", minDomains: 3 }] } }; },
        argument: "query.broker.topologySpreadConstraints[0].minDomains", message: lit('got 3; only applies with whenUnsatisfiable "DoNotSchedule"'),
        rule: "minDomains with DoNotSchedule only", given: "3",
    },
    {
        description: "matchLabelKeys repeating a selector key",
        breaks: (a) => { a.query = { broker: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", matchLabelKeys: ["app.kubernetes.io/instance"] }] } }; },
        argument: "query.broker.topologySpreadConstraints[0].matchLabelKeys[0]", message: lit("is also a key of the labelSelector"),
        rule: "a key not in the labelSelector", given: "app.kubernetes.io/instance",
    },
    {
        description: "a disruption budget with both counts",
        breaks: (a) => { a.data = { ingestion: { disruptionBudget: { maxUnavailable: 1, minAvailable: 1 } } }; },
        argument: "data.ingestion.disruptionBudget", message: lit("cannot set both maxUnavailable and minAvailable"),
        rule: "one of maxUnavailable and minAvailable", given: "both",
    },
    {
        description: "a disruption budget for task Jobs",
        breaks: (a) => { a.data = { ingestion: { worker: "kubernetesJobs", disruptionBudget: { maxUnavailable: 1 } } }; },
        argument: "data.ingestion.disruptionBudget", message: lit("applies to MiddleManager and Indexer pods", "worker \"kubernetesJobs\" does not run; place task pods with a Pulumi transform on the task template ConfigMap"),
        rule: "MiddleManager/Indexer only", given: "(disruptionBudget with kubernetesJobs)",
    },
    {
        description: "a Pods metric with a Utilization target",
        breaks: (a) => { a.query = { broker: { autoscaling: { minReplicas: 2, maxReplicas: 4, metrics: [{ type: "Pods", pods: { metric: { name: "qps" }, target: { type: "Utilization", averageUtilization: 50 } } }] } } }; },
        argument: "query.broker.autoscaling.metrics[0].pods.target.type", message: lit('got "Utilization"; must be "AverageValue" for this metric'),
        rule: "target type the metric kind allows", given: "Utilization on Pods",
    },
    {
        description: "metrics with targetCpuUtilizationPercent",
        breaks: (a) => { a.query = { router: { autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 60, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } }] } } }; },
        argument: "query.router.autoscaling.targetCpuUtilizationPercent", message: lit("cannot be combined with query.router.autoscaling.metrics"),
        rule: "metrics replace the CPU target", given: "both",
    },
    {
        description: "a resource metric on the network",
        breaks: (a) => { a.query = { broker: { autoscaling: { minReplicas: 2, maxReplicas: 4, metrics: [{ type: "Resource", resource: { name: "network", target: { type: "AverageValue", averageValue: "1M" } } }] } } }; },
        argument: "query.broker.autoscaling.metrics[0].resource.name", message: lit('got "network"; must be "cpu" or "memory"'),
        rule: "cpu or memory", given: "network",
    },
    {
        description: "CPU autoscaling with a sidecar that requests no CPU",
        breaks: (a) => { a.query = { broker: { autoscaling: { minReplicas: 2, maxReplicas: 4 }, sidecars: [sidecar({})] } }; },
        argument: "query.broker.sidecars[0].resources", message: lit("is required: the autoscaler scales query.broker on cpu utilization"),
        rule: "sidecars request what the autoscaler measures", given: "(no resources)",
    },
    {
        description: "a sidecar running as root",
        breaks: (a) => { a.query = { broker: { sidecars: [sidecar({ securityContext: { runAsUser: 0 } })] } }; },
        argument: "query.broker.sidecars[0].securityContext.runAsUser", message: lit("got 0", "refuses root"),
        rule: "Pod Security restricted", given: "0",
    },
    {
        description: "a sidecar adding SYS_ADMIN",
        breaks: (a) => { a.query = { broker: { sidecars: [sidecar({ securityContext: { capabilities: { add: ["SYS_ADMIN"] } } })] } }; },
        argument: "query.broker.sidecars[0].securityContext.capabilities.add[0]", message: lit('got "SYS_ADMIN"; must be "NET_BIND_SERVICE"'),
        rule: "Pod Security restricted", given: "SYS_ADMIN",
    },
    {
        description: "a sidecar with privilege escalation",
        breaks: (a) => { a.query = { router: { sidecars: [sidecar({ securityContext: { allowPrivilegeEscalation: true } })] } }; },
        argument: "query.router.sidecars[0].securityContext.allowPrivilegeEscalation", message: lit("got true; must stay false"),
        rule: "Pod Security restricted", given: "true",
    },
    {
        description: "a sidecar Unconfined seccomp profile",
        breaks: (a) => { a.query = { router: { sidecars: [sidecar({ securityContext: { seccompProfile: { type: "Unconfined" } } })] } }; },
        argument: "query.router.sidecars[0].securityContext.seccompProfile.type", message: lit('got "Unconfined"', "refuses \"Unconfined\""),
        rule: "Pod Security restricted", given: "Unconfined",
    },
    {
        description: "a probe with two handlers",
        breaks: (a) => { a.query = { broker: { sidecars: [sidecar({ readinessProbe: { tcpSocket: { port: 9901 }, exec: { command: ["true"] } } })] } }; },
        argument: "query.broker.sidecars[0].readinessProbe", message: lit("needs exactly one of exec, httpGet, tcpSocket, grpc"),
        rule: "exactly one handler", given: "tcpSocket and exec",
    },
    {
        description: "a liveness probe with successThreshold 2",
        breaks: (a) => { a.query = { broker: { sidecars: [sidecar({ livenessProbe: { tcpSocket: { port: 9901 }, successThreshold: 2 } })] } }; },
        argument: "query.broker.sidecars[0].livenessProbe.successThreshold", message: lit("got 2; must be 1 for a liveness probe"),
        rule: "successThreshold 1 (liveness, startup)", given: "2",
    },
    {
        description: "a probe on another host",
        breaks: (a) => { a.query = { broker: { sidecars: [sidecar({ readinessProbe: { httpGet: { port: 9901, host: "10.0.0.1" } } })] } }; },
        argument: "query.broker.sidecars[0].readinessProbe.httpGet.host", message: lit('got "10.0.0.1"; is not an argument of HttpGetAction'),
        rule: "no host field (Pod Security refuses another host)", given: "10.0.0.1",
    },
    {
        description: "an init container with a probe",
        breaks: (a) => { a.query = { broker: { initContainers: [sidecar({ readinessProbe: { tcpSocket: { port: 9901 } } })] } }; },
        argument: "query.broker.initContainers[0].readinessProbe", message: lit("only applies to sidecars"),
        rule: "sidecars only", given: "(readinessProbe)",
    },
    {
        description: "a preStop sleep of 0 seconds",
        breaks: (a) => { a.query = { broker: { sidecars: [sidecar({ lifecycle: { preStop: { sleep: { seconds: 0 } } } })] } }; },
        argument: "query.broker.sidecars[0].lifecycle.preStop.sleep.seconds", message: lit("got 0; must be a whole number from 1 to 3600"),
        rule: "1-3600 seconds", given: "0",
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
