import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DruidCluster, DruidClusterArgs } from "../index";
import { DruidArgumentError } from "../components/core/errors";
import { parseProperties } from "../components/core/properties";
import { DruidProvider } from "../schema-provider";
import { Plan, planProgram, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";

// A platform team's program wires the cluster to resources it owns: a bucket, a KMS key, the VPC's
// subnets (an Output of a list), a CIDR and the metadata store's address from other resources'
// outputs. This file type-checks that program against the args (npm run typecheck), plans it under
// the mocks and follows each value to the resource input that uses it, over the TypeScript class
// and over Construct (the multi-language provider), and checks that a bad value arriving as an
// Output fails with the component's DruidArgumentError when it resolves.
//
// Mocks (testing/mocks.ts) stand for the AWS, Kubernetes and random providers: in update mode
// (`preview: false`, a `pulumi up`) they return the inputs plus fixed fake ids and ARNs
// (`<name>-id`, a KMS key ARN `arn:aws:kms:<region>:123456789012:key/<name>-id`, a bucket's
// `<name>-bucket`), so every output below resolves.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const region = "eu-west-1";
const keyArn = `arn:aws:kms:${region}:123456789012:key/platform-key-id`;

/** What a platform team's stack owns: a bucket, a key, its VPC's subnets and CIDR, a database name, a cost-centre tag. */
function platformResources() {
    const bucket = new aws.s3.Bucket("platform-bucket", { bucket: "platform-druid-data" });
    const key = new aws.kms.Key("platform-key", { description: "Druid deep storage" });
    // As a VPC component gives them: one Output of the whole list.
    const privateSubnetIds: pulumi.Output<string[]> = pulumi.output(["subnet-0aaa", "subnet-0bbb", "subnet-0ccc"]);
    const podCidr: pulumi.Output<string> = bucket.id.apply(() => "10.42.0.0/16");
    const suffix = new random.RandomString("db-suffix", { length: 6, special: false, upper: false, numeric: false });
    const costCentre: pulumi.Output<string> = key.keyId.apply((id) => `cc-${id}`);
    return { bucket, key, privateSubnetIds, podCidr, suffix, costCentre };
}

/** The cluster's arguments with every wiring the issue names. */
function wiredArgs(p: ReturnType<typeof platformResources>): DruidClusterArgs {
    const base = defaultArgs();
    return {
        ...base,
        deepStorage: { ...base.deepStorage, existingBucketName: p.bucket.bucket, kmsKeyArn: p.key.arn },
        metadataStore: {
            vpcId: "vpc-0123456789abcdef0",
            subnetIds: p.privateSubnetIds,
            allowedCidrBlocks: [p.podCidr],
            databaseName: pulumi.interpolate`druid_${p.suffix.result}`,
        },
        zookeeper: { storageClass: p.bucket.id.apply(() => "gp3-encrypted") },
        tags: { "cost-centre": p.costCentre },
        query: { router: { ingress: { host: pulumi.interpolate`druid.${p.suffix.result}.example.com`, className: pulumi.output("internal") } } },
        networkPolicies: { routerAllowedCidrs: [p.podCidr] },
    };
}

function checkWiring(plan: Plan): void {
    // The existing bucket and the key reach the IAM policy (no bucket of the component's own).
    assert.deepEqual(plan.ofType("aws:s3/bucket:Bucket").map((b) => b.name), ["platform-bucket"]);
    const policy = JSON.parse(String(plan.get("aws:iam/rolePolicy:RolePolicy", "druid-deep-storage-druid").inputs.policy)) as { Statement: { Sid: string; Resource: string[] }[] };
    assert.deepEqual(policy.Statement.find((s) => s.Sid === "ReadWriteDruidObjects")?.Resource, ["arn:aws:s3:::platform-druid-data/druid/*"]);
    assert.deepEqual(policy.Statement.find((s) => s.Sid === "UseBucketKey")?.Resource, [keyArn]);
    // Druid's configuration names the bucket.
    const common = parseProperties(String(at(plan.get("kubernetes:core/v1:ConfigMap", "druid-common").inputs, "data", "common.runtime.properties")));
    assert.equal(common["druid.storage.bucket"], "platform-druid-data");
    // The Output of the subnet list is the DB subnet group's; the CIDR Output is a security group rule's.
    assert.deepEqual(plan.get("aws:rds/subnetGroup:SubnetGroup", "druid-metadata").inputs.subnetIds, ["subnet-0aaa", "subnet-0bbb", "subnet-0ccc"]);
    const rule = plan.get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "druid-metadata-from-cidr-0");
    assert.equal(rule.inputs.cidrIpv4, "10.42.0.0/16");
    assert.equal(rule.inputs.description, "PostgreSQL from 10.42.0.0/16");
    // The generated database name is the instance's.
    const rds = plan.get("aws:rds/instance:Instance", "druid-metadata");
    assert.equal(rds.inputs.dbName, "druid_xxxxxx");
    // The tag value from another resource is on every AWS resource the component tags, beside its own.
    assert.deepEqual(rds.inputs.tags, { "cost-centre": "cc-platform-key-id", "druid.apache.org/cluster": "druid" });
    assert.deepEqual(plan.get("aws:iam/role:Role", "druid-deep-storage-druid").inputs.tags, { "cost-centre": "cc-platform-key-id", "druid.apache.org/cluster": "druid" });
    // The ZooKeeper data volume's class.
    const zk = plan.get("kubernetes:apps/v1:StatefulSet", "druid-zookeeper");
    assert.equal(at(zk.inputs, "spec", "volumeClaimTemplates", 0, "spec", "storageClassName"), "gp3-encrypted");
    // The Ingress host and class, and the Router's allowed CIDR in its NetworkPolicy.
    const ingress = plan.get("kubernetes:networking.k8s.io/v1:Ingress", "druid-router");
    assert.equal(at(ingress.inputs, "spec", "rules", 0, "host"), "druid.xxxxxx.example.com");
    assert.equal(at(ingress.inputs, "spec", "ingressClassName"), "internal");
    const policies = plan.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((n) => JSON.stringify(n.inputs).includes("ipBlock"));
    assert.deepEqual(policies.map((n) => at(n.inputs, "spec", "ingress", 0, "from", 0, "ipBlock")), [{ cidr: "10.42.0.0/16" }]);
}

describe("Other resources' outputs as arguments", () => {
    it("a consumer program wires the bucket, key, subnets, CIDR, database name, tag and storage class from outputs; each reaches its resource", async () => {
        const { plan } = await planProgram(() => new DruidCluster("druid", wiredArgs(platformResources())), { preview: false, config: { "aws:region": region } });
        checkWiring(plan);
    });

    it("a new bucket encrypts with the KMS key given as an Output", async () => {
        const { plan } = await planProgram(() => {
            const key = new aws.kms.Key("platform-key", {});
            return new DruidCluster("druid", { ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, kmsKeyArn: key.arn } });
        }, { preview: false, config: { "aws:region": region } });
        const sse = plan.get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "druid-deep-storage-encryption");
        assert.deepEqual(at(sse.inputs, "rules", 0, "applyServerSideEncryptionByDefault"), { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn });
    });

    it("an existing PostgreSQL server's host, port, database and user from outputs reach the Coordinator's connection", async () => {
        const { plan, result } = await planProgram(() => {
            const db = new random.RandomString("db-host", { length: 8, special: false, upper: false, numeric: false });
            const port = new random.RandomInteger("db-port", { min: 6432, max: 6432 });
            return new DruidCluster("druid", {
                ...defaultArgs(),
                metadataStore: {
                    existing: {
                        host: pulumi.interpolate`${db.result}.db.internal`,
                        port: port.result,
                        database: db.result.apply(() => "druid_prod"),
                        user: Promise.resolve("druid_app"),
                        password: pulumi.secret("s3cr3t"),
                    },
                },
            });
        }, { preview: false, config: { "aws:region": region } });
        const files = await valueOf(result.configuration);
        const props = parseProperties(files!.coordinator["runtime.properties"]);
        assert.match(props["druid.metadata.storage.connector.connectURI"], /^jdbc:postgresql:\/\/xxxxxxxx\.db\.internal:6432\/druid_prod\?sslmode=require$/);
        assert.equal(props["druid.metadata.storage.connector.user"], "druid_app");
        assert.equal(plan.resources.filter((r) => r.type.startsWith("aws:rds/")).length, 0);
    });

    it("Construct (the multi-language provider) takes the same Outputs", async () => {
        const provider = DruidProvider.fromPackage();
        const { plan } = await planProgram(async () => {
            const p = platformResources();
            // What the engine hands the provider: Outputs where the program gave other resources' outputs.
            const inputs = wiredArgs(p) as unknown as pulumi.Inputs;
            const awsProvider = new aws.Provider("aws-ml", { region });
            const k8sProvider = new k8s.Provider("k8s-ml", {});
            return provider.construct("druid", "druid:index:DruidCluster", inputs, { providers: { aws: awsProvider, kubernetes: k8sProvider } });
        }, { preview: false, config: { "aws:region": region } });
        checkWiring(plan);
    });

    it("a value known at plan time is still checked at plan time", async () => {
        const args = { ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, existingBucketName: "Not_A_Bucket" } };
        await assert.rejects(planProgram(() => new DruidCluster("druid", args), { preview: false }),
            (e: unknown) => e instanceof DruidArgumentError && /deepStorage\.existingBucketName/.test(e.message));
    });

    for (const [what, args, pattern] of [
        ["a bucket name", (): DruidClusterArgs => ({ ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, existingBucketName: pulumi.output("Not_A_Bucket") } }),
            /deepStorage\.existingBucketName.*"Not_A_Bucket".*valid S3 bucket name/],
        ["a KMS key ARN", (): DruidClusterArgs => ({ ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, kmsKeyArn: pulumi.output("alias/druid") } }),
            /deepStorage\.kmsKeyArn.*"alias\/druid".*KMS key ARN/],
        ["a subnet list of one", (): DruidClusterArgs => ({ ...defaultArgs(), metadataStore: { ...defaultArgs().metadataStore, subnetIds: pulumi.output(["subnet-0aaa"]) } }),
            /metadataStore\.subnetIds.*at least two private subnet ids/],
        ["a CIDR that opens the database to the internet", (): DruidClusterArgs => ({ ...defaultArgs(), metadataStore: { ...defaultArgs().metadataStore, allowedCidrBlocks: [pulumi.output("0.0.0.0/0")] } }),
            /metadataStore\.allowedCidrBlocks\[0\].*"0\.0\.0\.0\/0".*whole internet/],
        ["an existing server's port", (): DruidClusterArgs => ({ ...defaultArgs(), metadataStore: { existing: { host: "pg.internal", port: pulumi.output(70000), password: "x" } } }),
            /metadataStore\.existing\.port.*70000.*whole number from 1 to 65535/],
        ["an Ingress host", (): DruidClusterArgs => ({ ...defaultArgs(), query: { router: { ingress: { host: pulumi.output("Druid Console") } } } }),
            /query\.router\.ingress\.host.*"Druid Console".*DNS host name/],
        ["a CA bundle", (): DruidClusterArgs => ({ ...defaultArgs(), metadataStore: { ...defaultArgs().metadataStore, sslMode: "verify-full", caCertificate: { pem: pulumi.output("not a certificate") } } }),
            /metadataStore\.caCertificate\.pem.*PEM text/],
        ["a tag value", (): DruidClusterArgs => ({ ...defaultArgs(), tags: { team: pulumi.output("data{platform}") } }),
            /tags\.team.*"data\{platform\}".*AWS tag value/],
        ["ZooKeeper's storage class", (): DruidClusterArgs => ({ ...defaultArgs(), zookeeper: { storageClass: pulumi.output("ebs_sc") } }),
            /zookeeper\.storageClass.*"ebs_sc".*must name a StorageClass/],
        ["a volume's Secret name", (): DruidClusterArgs => ({ ...defaultArgs(), query: { broker: { volumes: [{ name: "certs", secret: { secretName: pulumi.output("Certs_A") } }] } } }),
            /query\.broker\.volumes\[0\]\.secret\.secretName.*"Certs_A".*must name a Secret/],
        ["a mount path over the component's", (): DruidClusterArgs => ({ ...defaultArgs(), query: { broker: { volumes: [{ name: "extra", emptyDir: {} }], volumeMounts: [{ name: "extra", mountPath: pulumi.output("/opt/druid/var") }] } } }),
            /query\.broker\.volumeMounts\[0\]\.mountPath.*"\/opt\/druid\/var".*overlaps/],
        ["an extra policy statement's resource", (): DruidClusterArgs => ({
            ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, extraPolicyStatements: [{ actions: ["s3:GetObject"], resources: [pulumi.output("team-input/*")] }] },
        }), /deepStorage\.extraPolicyStatements\[0\]\.resources\[0\].*"team-input\/\*".*must be "\*" or an ARN/],
        ["a managed policy ARN", (): DruidClusterArgs => ({
            ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, managedPolicyArns: [pulumi.output("AmazonMSKReadOnlyAccess")] },
        }), /deepStorage\.managedPolicyArns\[0\].*"AmazonMSKReadOnlyAccess".*IAM managed policy ARN/],
    ] as const) {
        it(`${what} arriving as an Output is checked when it resolves: the DruidArgumentError fails the resource that uses it`, async () => {
            // The engine reports a resource whose inputs failed as the program's error; under the
            // mocks the SDK raises it as an unhandled rejection (runtime/resource.js, runAsyncResourceOp).
            const rejected: unknown[] = [];
            const record = (e: unknown) => { rejected.push(e); };
            process.on("unhandledRejection", record);
            let result: DruidCluster | undefined;
            try {
                ({ result } = await planProgram(() => new DruidCluster("druid", args()), { preview: false, config: { "aws:region": region } }));
                await new Promise((resolve) => setImmediate(resolve));
            } finally {
                process.off("unhandledRejection", record);
            }
            // The constructor accepted the Output (nothing wrong is known at plan time) ...
            assert.ok(result instanceof DruidCluster);
            // ... and the check ran when it resolved, failing the registration of the resource that takes the value.
            const errors = rejected.filter((e): e is DruidArgumentError => e instanceof DruidArgumentError);
            assert.ok(errors.length > 0, `expected a DruidArgumentError, got ${rejected.map(String).join("; ") || "nothing"}`);
            assert.match(errors[0].message, pattern);
        });
    }
});

