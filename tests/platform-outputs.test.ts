import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DruidCluster, DruidClusterArgs } from "../index";
import { irsaTrustPolicy } from "../components/aws/deep-storage";
import { DruidProvider } from "../schema-provider";
import { repoRoot } from "../scripts/schema";
import { everyPlacementField } from "./fixtures/platform-args";
import { Plan, planProgram, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";

// What a platform team wires onward (the pods' IAM role or user, the bucket's ARN, the RDS instance
// and its security group), and the extra IAM access of the pods (deepStorage.extraPolicyStatements,
// managedPolicyArns), attached to the role (IRSA, Pod Identity) or the static keys' user.

async function build(args: DruidClusterArgs, preview = false): Promise<{ plan: Plan; cluster: DruidCluster }> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview, config: { "aws:region": "eu-west-1" } });
    return { plan, cluster: result };
}

interface Statement { Sid?: string; Effect: string; Action: string[]; Resource: string[]; Condition?: Record<string, Record<string, string[]>> }
const statementsOf = (text: unknown): Statement[] => (JSON.parse(String(text)) as { Statement: Statement[] }).Statement;

const ingestion: DruidClusterArgs["deepStorage"]["extraPolicyStatements"] = [
    { sid: "ReadInputs", actions: ["s3:GetObject", "s3:ListBucket"], resources: ["arn:aws:s3:::team-input", "arn:aws:s3:::team-input/*"] },
    {
        actions: ["kinesis:Get*", "kinesis:DescribeStream*", "kinesis:ListShards"],
        resources: [pulumi.output("arn:aws:kinesis:eu-west-1:123456789012:stream/events")],
        conditions: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["eu-west-1"] }],
    },
];
const managed = ["arn:aws:iam::aws:policy/AmazonMSKReadOnlyAccess", "arn:aws:iam::123456789012:policy/druid-ingestion"];

describe("platform outputs", () => {
    it("a cluster the component creates everything of: role, bucket ARN, RDS identifier and security group, namespace, ZooKeeper", async () => {
        const { cluster } = await build(defaultArgs());
        assert.equal(await valueOf(cluster.podRoleName), "druid-deep-storage-druid");
        assert.equal(await valueOf(cluster.podRoleArn), "arn:aws:iam::123456789012:role/druid-deep-storage-druid");
        assert.equal(await valueOf(cluster.podUserName), "");
        assert.equal(await valueOf(cluster.podUserArn), "");
        assert.equal(await valueOf(cluster.bucketArn), "arn:aws:s3:::druid-deep-storage-bucket");
        assert.equal(await valueOf(cluster.metadataInstanceIdentifier), "druid-metadata-autoname");
        assert.equal(await valueOf(cluster.metadataSecurityGroupId), "druid-metadata-id");
        assert.equal(await valueOf(cluster.namespace), "druid");
        assert.equal(await valueOf(cluster.zookeeperConnectString),
            "druid-zookeeper-0.druid-zookeeper-headless.druid.svc.cluster.local:2181,druid-zookeeper-1.druid-zookeeper-headless.druid.svc.cluster.local:2181,druid-zookeeper-2.druid-zookeeper-headless.druid.svc.cluster.local:2181");
    });

    it("brought-your-own parts and static keys: the user's bucket ARN, empty RDS and role outputs, the IAM user's name and ARN", async () => {
        const args = defaultArgs();
        args.deepStorage = { existingBucketName: "company-druid", accessMode: "staticKeys" };
        args.metadataStore = { existing: { host: "pg.internal", password: "pw" } };
        args.coordination = "kubernetes";
        args.data = { ingestion: { worker: "indexer" } };
        const { cluster } = await build(args);
        assert.equal(await valueOf(cluster.bucketArn), "arn:aws:s3:::company-druid");
        assert.equal(await valueOf(cluster.bucketName), "company-druid");
        assert.equal(await valueOf(cluster.podRoleName), "");
        assert.equal(await valueOf(cluster.podRoleArn), "");
        assert.equal(await valueOf(cluster.podUserName), "druid-deep-storage-druid");
        assert.equal(await valueOf(cluster.podUserArn), "arn:aws:iam::123456789012:user/druid-deep-storage-druid");
        assert.equal(await valueOf(cluster.metadataInstanceIdentifier), "");
        assert.equal(await valueOf(cluster.metadataSecurityGroupId), "");
        assert.equal(await valueOf(cluster.zookeeperConnectString), "");
    });

    it("the outputs are in the schema, as required strings with descriptions", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "schema.json"), "utf8")) as {
            resources: Record<string, { properties: Record<string, { type: string; description?: string }>; required: string[] }>;
        };
        const r = schema.resources["druid:index:DruidCluster"];
        for (const o of ["podRoleName", "podRoleArn", "podUserName", "podUserArn", "bucketArn", "metadataInstanceIdentifier", "metadataSecurityGroupId", "namespace", "zookeeperConnectString"]) {
            assert.equal(r.properties[o]?.type, "string", o);
            assert.ok((r.properties[o].description ?? "").length > 20, o);
            assert.ok(r.required.includes(o), o);
        }
    });
});

describe("extra IAM for the pods", () => {
    it("IRSA: an extra inline policy on the pods' role (an output-valued ARN resolved) and each managed policy attached by the role's name", async () => {
        const args = defaultArgs();
        args.deepStorage = { ...args.deepStorage, extraPolicyStatements: ingestion, managedPolicyArns: managed };
        const { plan } = await build(args);
        const role = plan.get("aws:iam/role:Role", "druid-deep-storage-druid");
        const extra = plan.get("aws:iam/rolePolicy:RolePolicy", "druid-deep-storage-druid-extra");
        assert.ok(extra.dependencies.includes(role.urn));
        assert.deepEqual(statementsOf(extra.inputs.policy), [
            { Sid: "ReadInputs", Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::team-input", "arn:aws:s3:::team-input/*"] },
            {
                Effect: "Allow", Action: ["kinesis:Get*", "kinesis:DescribeStream*", "kinesis:ListShards"],
                Resource: ["arn:aws:kinesis:eu-west-1:123456789012:stream/events"], Condition: { StringEquals: { "aws:RequestedRegion": ["eu-west-1"] } },
            },
        ]);
        // The deep-storage policy is unchanged: the extra access is a policy of its own.
        const own = statementsOf(plan.get("aws:iam/rolePolicy:RolePolicy", "druid-deep-storage-druid").inputs.policy);
        assert.deepEqual(own.map((s) => s.Sid), ["ListDruidPrefix", "BucketLocation", "ReadWriteDruidObjects"]);
        const attachments = plan.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        assert.deepEqual(attachments.map((a) => [a.name, a.inputs.role, a.inputs.policyArn]), [
            ["druid-deep-storage-druid-managed-0", "druid-deep-storage-druid", managed[0]],
            ["druid-deep-storage-druid-managed-1", "druid-deep-storage-druid", managed[1]],
        ]);
        for (const a of attachments) assert.ok(a.dependencies.includes(role.urn), a.name);
    });

    it("Pod Identity: the same policy and attachments on the role the association names", async () => {
        const args = defaultArgs();
        args.deepStorage = { accessMode: "podIdentity", eksClusterName: "prod-eks", extraPolicyStatements: ingestion, managedPolicyArns: [managed[0]] };
        const { plan } = await build(args);
        assert.equal(statementsOf(plan.get("aws:iam/rolePolicy:RolePolicy", "druid-deep-storage-druid-extra").inputs.policy).length, 2);
        assert.equal(plan.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "druid-deep-storage-druid-managed-0").inputs.policyArn, managed[0]);
        assert.equal(plan.get("aws:eks/podIdentityAssociation:PodIdentityAssociation", "druid-deep-storage-druid").inputs.roleArn,
            "arn:aws:iam::123456789012:role/druid-deep-storage-druid");
    });

    it("static keys: the extra policy and managed policies go to the IAM user", async () => {
        const args = defaultArgs();
        args.deepStorage = { accessMode: "staticKeys", extraPolicyStatements: [ingestion[0]], managedPolicyArns: [managed[1]] };
        const { plan } = await build(args);
        const extra = plan.get("aws:iam/userPolicy:UserPolicy", "druid-deep-storage-druid-extra");
        assert.equal(extra.inputs.user, "druid-deep-storage-druid");
        assert.equal(statementsOf(extra.inputs.policy)[0].Sid, "ReadInputs");
        assert.equal(plan.get("aws:iam/userPolicyAttachment:UserPolicyAttachment", "druid-deep-storage-druid-managed-0").inputs.policyArn, managed[1]);
        assert.equal(plan.ofType("aws:iam/rolePolicy:RolePolicy").length, 0);
    });

    it("without extra access nothing more is created", async () => {
        const { plan } = await build(defaultArgs());
        assert.deepEqual(plan.ofType("aws:iam/rolePolicy:RolePolicy").map((r) => r.name), ["druid-deep-storage-druid"]);
        assert.equal(plan.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
    });

    it("the IRSA trust takes more service accounts (one sub each), for a second service account of the cluster", () => {
        const one = JSON.parse(irsaTrustPolicy("arn:aws:iam::1:oidc-provider/x", "https://x", "druid", "druid")) as { Statement: { Condition: { StringEquals: Record<string, unknown> } }[] };
        assert.equal(one.Statement[0].Condition.StringEquals["x:sub"], "system:serviceaccount:druid:druid");
        const two = JSON.parse(irsaTrustPolicy("arn:aws:iam::1:oidc-provider/x", "https://x", "druid", ["druid", "druid-overlord"])) as typeof one;
        assert.deepEqual(two.Statement[0].Condition.StringEquals["x:sub"], ["system:serviceaccount:druid:druid", "system:serviceaccount:druid:druid-overlord"]);
    });

    it("over Construct (another language's program): the statements, managed policies, placement and sidecar fields arrive, and the outputs are in the state", async function () {
        this.timeout(120000);
        const args = everyPlacementField();
        args.deepStorage = { ...args.deepStorage, extraPolicyStatements: [ingestion[0]], managedPolicyArns: [managed[0]] };
        // What the engine hands the provider for a Python or YAML program: plain values, no class instances.
        const inputs = JSON.parse(JSON.stringify(args)) as pulumi.Inputs;
        const provider = DruidProvider.fromPackage(repoRoot);
        const { plan, result } = await planProgram(() => provider.construct("ml", "druid:index:DruidCluster", inputs, {}), { preview: false, config: { "aws:region": "eu-west-1" } });
        assert.deepEqual(statementsOf(plan.get("aws:iam/rolePolicy:RolePolicy", "ml-deep-storage-druid-extra").inputs.policy).map((st) => st.Sid), ["ReadInputs"]);
        assert.equal(plan.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ml-deep-storage-druid-managed-0").inputs.policyArn, managed[0]);
        const broker = plan.get("kubernetes:apps/v1:Deployment", "ml-broker");
        const pod = ((broker.inputs.spec as { template: { spec: { containers: { name: string; livenessProbe?: unknown }[]; topologySpreadConstraints: unknown[] } } }).template.spec);
        assert.deepEqual(pod.containers.find((c) => c.name === "proxy")!.livenessProbe, { tcpSocket: { port: 9901 }, failureThreshold: 5 });
        assert.equal(pod.topologySpreadConstraints.length, 2);
        assert.equal(await valueOf(result.state.podRoleName as pulumi.Output<string>), "ml-deep-storage-druid");
        assert.equal(await valueOf(result.state.metadataSecurityGroupId as pulumi.Output<string>), "ml-metadata-id");
    });
});
