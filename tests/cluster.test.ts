import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { DruidCluster, DruidClusterArgs } from "../index";
import { parseProperties } from "../components/core/properties";
import { isSecret, Plan, PlannedResource, planProgram, SECRET_MASK, UNKNOWN, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { checkRestricted } from "./support/pod-security-restricted";

// Mocks (testing/mocks.ts) stand for the AWS and Kubernetes providers: in update mode they return
// fixed fake ids, ARNs, an RDS address and "mock-password-<name>" for generated passwords; in
// preview mode those stay unknown, as in a real `pulumi preview`.

const T = {
    bucket: "aws:s3/bucket:Bucket",
    rds: "aws:rds/instance:Instance",
    sts: "kubernetes:apps/v1:StatefulSet",
    deploy: "kubernetes:apps/v1:Deployment",
    cm: "kubernetes:core/v1:ConfigMap",
    svc: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    secret: "kubernetes:core/v1:Secret",
};

async function build(args: DruidClusterArgs = defaultArgs(), preview = false): Promise<{ plan: Plan; cluster: DruidCluster }> {
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), { preview, config: { "aws:region": "eu-west-1" } });
    return { plan, cluster: result };
}

type Obj = Record<string, unknown>;
interface PolicyDocument { Statement: { Principal: { Federated: string }; Action: string | string[]; Resource: string[]; Condition: Obj }[] }
const policyOf = (text: unknown): PolicyDocument => JSON.parse(String(text)) as PolicyDocument;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const podSpec = (r: PlannedResource) => at(r.inputs, "spec", "template", "spec") as Obj;
const container = (r: PlannedResource) => (podSpec(r).containers as Obj[])[0];

describe("DruidCluster: AWS parts (update mode)", () => {
    let plan: Plan;
    before(async () => { ({ plan } = await build()); });

    it("the bucket is encrypted, private, owner-enforced, versioned, TLS-only and kept on delete", () => {
        const bucket = plan.get(T.bucket, "druid-deep-storage");
        assert.equal(bucket.inputs.forceDestroy, false);
        assert.equal(bucket.retainOnDelete, true);
        assert.equal(bucket.protect, true, "a replacement fails loudly instead of leaving Druid on an empty bucket");
        const sse = plan.get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "druid-deep-storage-encryption");
        assert.deepEqual(at(sse.inputs, "rules", 0, "applyServerSideEncryptionByDefault"), { sseAlgorithm: "AES256" });
        const pab = plan.get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "druid-deep-storage-public-access");
        for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(pab.inputs[k], true, k);
        assert.equal(at(plan.get("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "druid-deep-storage-ownership").inputs, "rule", "objectOwnership"), "BucketOwnerEnforced");
        assert.equal(at(plan.get("aws:s3/bucketVersioning:BucketVersioning", "druid-deep-storage-versioning").inputs, "versioningConfiguration", "status"), "Enabled");
        const policy = policyOf(plan.get("aws:s3/bucketPolicy:BucketPolicy", "druid-deep-storage-tls-only").inputs.policy);
        assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        const lifecycle = plan.get("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "druid-deep-storage-lifecycle");
        assert.deepEqual(at(lifecycle.inputs, "rules", 1, "filter"), { prefix: "druid/indexing-logs/" });
        assert.equal(at(lifecycle.inputs, "rules", 1, "expiration", "days"), 30);
    });

    it("protectStorage: false lifts the protection", async () => {
        const { plan: p } = await build({ ...defaultArgs(), protectStorage: false });
        assert.equal(p.get(T.bucket, "druid-deep-storage").protect, false);
        assert.equal(p.get(T.rds, "druid-metadata").protect, false);
    });

    it("SSE-KMS with a given key", async () => {
        const args = defaultArgs();
        args.deepStorage.kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const { plan: p } = await build(args);
        const sse = p.get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "druid-deep-storage-encryption");
        assert.deepEqual(at(sse.inputs, "rules", 0, "applyServerSideEncryptionByDefault"),
            { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.deepStorage.kmsKeyArn });
        const rolePolicy = policyOf(p.get("aws:iam/rolePolicy:RolePolicy", "druid-deep-storage-druid").inputs.policy);
        assert.deepEqual(rolePolicy.Statement[rolePolicy.Statement.length - 1].Resource, [args.deepStorage.kmsKeyArn]);
    });

    it("the IAM role trusts only the Druid service account through the cluster's OIDC provider, on the bucket's prefix only", () => {
        const role = plan.get("aws:iam/role:Role", "druid-deep-storage-druid");
        const trust = policyOf(role.inputs.assumeRolePolicy);
        const s = trust.Statement[0];
        assert.equal(s.Principal.Federated, defaultArgs().deepStorage.oidcProviderArn);
        assert.equal(s.Action, "sts:AssumeRoleWithWebIdentity");
        assert.deepEqual(s.Condition.StringEquals, {
            "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub": "system:serviceaccount:druid:druid",
            "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:aud": "sts.amazonaws.com",
        });
        const policy = policyOf(plan.get("aws:iam/rolePolicy:RolePolicy", "druid-deep-storage-druid").inputs.policy);
        assert.deepEqual(policy.Statement[2].Resource, ["arn:aws:s3:::druid-deep-storage-bucket/druid/*"]);
        assert.deepEqual(policy.Statement[0].Condition, { StringLike: { "s3:prefix": ["druid/*", "druid"] } });
        const sa = plan.get("kubernetes:core/v1:ServiceAccount", "druid");
        assert.equal(at(sa.inputs, "metadata", "annotations", "eks.amazonaws.com/role-arn"), "arn:aws:iam::123456789012:role/druid-deep-storage-druid");
    });

    it("RDS: encrypted gp3 PostgreSQL 17, deletion protection, final snapshot, backups, subnet group and a rule only from the node security group", () => {
        const db = plan.get(T.rds, "druid-metadata");
        assert.equal(db.inputs.engine, "postgres");
        assert.equal(db.inputs.engineVersion, "17");
        assert.equal(db.inputs.storageEncrypted, true);
        assert.equal(db.inputs.storageType, "gp3");
        assert.equal(db.inputs.deletionProtection, true);
        assert.equal(db.inputs.skipFinalSnapshot, false);
        assert.equal(db.inputs.finalSnapshotIdentifier, "druid-metadata-final");
        assert.equal(db.inputs.backupRetentionPeriod, 7);
        assert.equal(db.inputs.publiclyAccessible, false);
        assert.equal(db.inputs.dbSubnetGroupName, "druid-metadata-autoname");
        assert.equal(db.inputs.password, SECRET_MASK);
        assert.equal(db.retainOnDelete, true);
        assert.equal(db.protect, true);
        assert.deepEqual(plan.get("aws:rds/subnetGroup:SubnetGroup", "druid-metadata").inputs.subnetIds, ["subnet-aaaa", "subnet-bbbb"]);
        assert.equal(plan.get("aws:rds/parameterGroup:ParameterGroup", "druid-metadata").inputs.family, "postgres17");
        const rules = plan.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.equal(rules.length, 1);
        assert.equal(rules[0].inputs.referencedSecurityGroupId, "sg-0nodes");
        assert.equal(rules[0].inputs.fromPort, 5432);
        assert.equal(rules[0].inputs.cidrIpv4, undefined);
    });

    it("bring your own bucket and PostgreSQL: no bucket and no RDS resources, configuration points at them", async () => {
        const args = defaultArgs();
        const kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        args.deepStorage = { ...args.deepStorage, existingBucketName: "company-druid", prefix: "prod/druid", kmsKeyArn };
        args.metadataStore = { existing: { host: "pg.internal", port: 6432, database: "druid_prod", user: "druid_app", password: "s3cr3t-existing" } };
        const { plan: p, cluster } = await build(args);
        assert.equal(p.ofType(T.bucket).length, 0);
        assert.equal(p.resources.filter((r) => r.type.startsWith("aws:rds/") || r.type.startsWith("aws:ec2/")).length, 0);
        const files = await valueOf(cluster.configuration);
        assert.equal(parseProperties(files!._common["common.runtime.properties"])["druid.storage.bucket"], "company-druid");
        assert.equal(parseProperties(files!._common["common.runtime.properties"])["druid.storage.baseKey"], "prod/druid/segments");
        assert.equal(parseProperties(files!.coordinator["runtime.properties"])["druid.metadata.storage.connector.connectURI"],
            "jdbc:postgresql://pg.internal:6432/druid_prod?sslmode=require");
        const policy = policyOf(p.get("aws:iam/rolePolicy:RolePolicy", "druid-deep-storage-druid").inputs.policy);
        assert.deepEqual(policy.Statement[2].Resource, ["arn:aws:s3:::company-druid/prod/druid/*"]);
        assert.deepEqual(policy.Statement[3].Resource, [kmsKeyArn], "the existing bucket's KMS key can be used");
        assert.ok(!JSON.stringify(p.resources).includes("s3cr3t-existing"), "the given password is masked everywhere");
    });

    it("EKS Pod Identity: a role trusted by pods.eks.amazonaws.com and an association for the service account", async () => {
        const args = defaultArgs();
        args.deepStorage = { accessMode: "podIdentity", eksClusterName: "prod-eks" };
        const { plan: p } = await build(args);
        const trust = policyOf(p.get("aws:iam/role:Role", "druid-deep-storage-druid").inputs.assumeRolePolicy) as unknown as { Statement: { Principal: { Service: string }; Action: string[] }[] };
        assert.deepEqual(trust.Statement[0].Principal, { Service: "pods.eks.amazonaws.com" });
        assert.deepEqual(trust.Statement[0].Action, ["sts:AssumeRole", "sts:TagSession"]);
        const assoc = p.get("aws:eks/podIdentityAssociation:PodIdentityAssociation", "druid-deep-storage-druid");
        assert.equal(assoc.inputs.clusterName, "prod-eks");
        assert.equal(assoc.inputs.namespace, "druid");
        assert.equal(assoc.inputs.serviceAccount, "druid");
        assert.equal(assoc.inputs.roleArn, "arn:aws:iam::123456789012:role/druid-deep-storage-druid");
        assert.equal(at(p.get("kubernetes:core/v1:ServiceAccount", "druid").inputs, "metadata", "annotations"), undefined, "no IRSA annotation");
    });

    it("tasks as Jobs: the S3 role also trusts the Overlord's own service account (IRSA subject list, a second Pod Identity association)", async () => {
        const irsa = defaultArgs();
        irsa.data = { ingestion: { worker: "kubernetesJobs" } };
        const { plan: p } = await build(irsa);
        const trust = policyOf(p.get("aws:iam/role:Role", "druid-deep-storage-druid").inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
            "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub": ["system:serviceaccount:druid:druid", "system:serviceaccount:druid:druid-overlord"],
            "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:aud": "sts.amazonaws.com",
        });
        assert.equal(at(p.get("kubernetes:core/v1:ServiceAccount", "druid-overlord").inputs, "metadata", "annotations", "eks.amazonaws.com/role-arn"),
            "arn:aws:iam::123456789012:role/druid-deep-storage-druid");
        const podIdentity = defaultArgs();
        podIdentity.deepStorage = { accessMode: "podIdentity", eksClusterName: "prod-eks" };
        podIdentity.data = { ingestion: { worker: "kubernetesJobs" } };
        const { plan: q } = await build(podIdentity);
        const associations = q.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => `${String(a.inputs.namespace)}/${String(a.inputs.serviceAccount)} ${String(a.inputs.roleArn)}`);
        assert.deepEqual(associations.sort(), [
            "druid/druid arn:aws:iam::123456789012:role/druid-deep-storage-druid",
            "druid/druid-overlord arn:aws:iam::123456789012:role/druid-deep-storage-druid",
        ]);
    });

    it("static keys only when asked: an IAM user whose key reaches pods through a Secret", async () => {
        const args = defaultArgs();
        args.deepStorage = { accessMode: "staticKeys" };
        const { plan: p } = await build(args);
        assert.equal(p.ofType("aws:iam/role:Role").length, 0);
        assert.equal(p.ofType("aws:iam/accessKey:AccessKey").length, 1);
        const s3 = p.get(T.secret, "druid-s3");
        assert.deepEqual(at(s3.inputs, "stringData"), { "access-key-id": SECRET_MASK, "secret-access-key": SECRET_MASK }, "keys kept, values masked");
        const env = container(p.get(T.sts, "druid-historical-default")).env as Obj[];
        assert.deepEqual(env.find((e) => e.name === "AWS_SECRET_ACCESS_KEY")?.valueFrom, { secretKeyRef: { key: "secret-access-key", name: "druid-s3" } });
    });
});

describe("DruidCluster: secrets", () => {
    it("no password appears unmasked in any input, ConfigMap or plain output; secret outputs are secret", async () => {
        const { plan, cluster } = await build();
        const text = JSON.stringify(plan.resources);
        assert.ok(!/mock-password-/.test(text), "generated passwords are masked in every registered input");
        for (const cm of plan.ofType(T.cm)) assert.ok(!JSON.stringify(cm.inputs).includes(SECRET_MASK), `${cm.name} holds no secret at all`);
        assert.equal(await isSecret(cluster.adminPassword), true);
        assert.equal(await valueOf(cluster.adminPassword), "mock-password-druid-admin-password");
        assert.equal(await isSecret(cluster.configuration), false);
        assert.ok(!JSON.stringify(await valueOf(cluster.configuration)).includes("mock-password"));
        const auth = plan.get(T.secret, "druid-auth");
        assert.deepEqual(at(auth.inputs, "stringData"), { "admin-password": SECRET_MASK, "internal-client-password": SECRET_MASK });
    });

    it("the DB password reaches only the services that use the database, through a Secret", async () => {
        const { plan } = await build();
        const uses = (r: PlannedResource) => (container(r).env as Obj[]).some((e) => e.name === "DRUID_METADATA_PASSWORD");
        assert.equal(uses(plan.get(T.deploy, "druid-coordinator")), true);
        assert.equal(uses(plan.get(T.deploy, "druid-overlord")), true);
        assert.equal(uses(plan.get(T.sts, "druid-middlemanager")), false);
        assert.equal(uses(plan.get(T.sts, "druid-historical-default")), false);
        assert.equal(uses(plan.get(T.deploy, "druid-broker")), false);
        assert.equal(uses(plan.get(T.deploy, "druid-router")), false);
    });
});

describe("DruidCluster: preview mode", () => {
    it("builds with the RDS endpoint unknown: the coordinator's file is unknown, never the text \"undefined\"", async () => {
        const { plan, cluster } = await build(defaultArgs(), true);
        const coordinator = plan.get(T.cm, "druid-coordinator");
        assert.equal(at(coordinator.inputs, "data", "runtime.properties"), UNKNOWN);
        assert.ok(!JSON.stringify(plan.resources).includes("undefined"));
        // Files of services that do not use the database are fully known in a preview.
        const historical = String(at(plan.get(T.cm, "druid-historical-default").inputs, "data", "runtime.properties"));
        assert.equal(parseProperties(historical)["druid.server.tier"], "_default_tier");
        assert.equal(await valueOf(cluster.metadataEndpoint), undefined);
    });
});

describe("DruidCluster: Kubernetes parts", () => {
    let plan: Plan;
    before(async () => { ({ plan } = await build()); });

    it("registers the expected resource types and counts", () => {
        const count = (t: string) => plan.ofType(t).length;
        assert.equal(count(T.sts), 3, "ZooKeeper, one Historical tier, MiddleManagers");
        assert.equal(count(T.deploy), 4, "Coordinator, Overlord, Broker, Router");
        assert.equal(count(T.cm), 10, "common + six services + ZooKeeper logging + the volume records of the Historical tier and the MiddleManagers");
        assert.equal(count("kubernetes:core/v1:PersistentVolumeClaimPatch"), 4, "one per claim: 2 Historicals, 2 MiddleManagers");
        assert.equal(count("kubernetes:core/v1:ConfigMapPatch"), 2, "the volume records' updates");
        assert.equal(count(T.svc), 8);
        assert.equal(count(T.pdb), 7);
        assert.equal(count("kubernetes:core/v1:Namespace"), 1);
        assert.equal(count("kubernetes:networking.k8s.io/v1:NetworkPolicy"), 4);
        assert.equal(count("kubernetes:apps/v1:StatefulSetPatch"), 2, "replica patches: Historical tier, MiddleManagers");
        assert.equal(count("kubernetes:apps/v1:DeploymentPatch"), 3, "replica patches: Overlord, Broker, Router (not the Coordinator)");
        assert.equal(count("druid:kubernetes:DruidService"), 6);
    });

    it("every resource descends from the DruidCluster", () => {
        const root = plan.get("druid:index:DruidCluster", "druid");
        for (const r of plan.resources) {
            if (r === root) continue;
            let p = plan.byUrnOf(r.parent);
            while (p !== undefined && p !== root) p = plan.byUrnOf(p.parent);
            assert.equal(p, root, `${r.type} ${r.name} is not under the cluster`);
        }
    });

    it("uses the providers passed in", async () => {
        const { plan: p } = await planProgram(() => {
            const awsProvider = new aws.Provider("aws-prod", { region: "eu-west-1" });
            const k8sProvider = new k8s.Provider("eks-prod", {});
            return new DruidCluster("druid", defaultArgs(), { providers: { aws: awsProvider, kubernetes: k8sProvider } });
        }, { preview: false });
        const awsUrn = p.get("pulumi:providers:aws", "aws-prod").urn;
        const k8sUrn = p.get("pulumi:providers:kubernetes", "eks-prod").urn;
        for (const r of p.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) assert.ok(r.provider.startsWith(`${awsUrn}::`), `${r.name}: ${r.provider}`);
        for (const r of p.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) assert.ok(r.provider.startsWith(`${k8sUrn}::`), `${r.name}: ${r.provider}`);
    });

    it("uses a random provider passed in, as a map entry or in a list (a stack with default providers disabled)", async () => {
        // Children get their provider from the component's `providers` by package name ("random"),
        // through `parent: this`; a list is keyed by each provider's package.
        for (const asList of [false, true]) {
            const { plan: p } = await planProgram(() => {
                const awsProvider = new aws.Provider("aws-prod", { region: "eu-west-1" });
                const k8sProvider = new k8s.Provider("eks-prod", {});
                const randomProvider = new random.Provider("random-prod", {});
                // TLS with cert-manager adds the keystore password: every RandomPassword/RandomBytes of the component.
                return new DruidCluster("druid", { ...defaultArgs(), tls: { certManagerIssuer: "druid-ca" } }, {
                    providers: asList ? [awsProvider, k8sProvider, randomProvider] : { aws: awsProvider, kubernetes: k8sProvider, random: randomProvider },
                });
            }, { preview: false });
            const randomUrn = p.get("pulumi:providers:random", "random-prod").urn;
            const randoms = p.resources.filter((x) => x.custom && x.type.startsWith("random:"));
            assert.deepEqual(randoms.map((r) => `${r.type} ${r.name}`).sort(), [
                "random:index/randomBytes:RandomBytes druid-auth-record-salt",
                "random:index/randomPassword:RandomPassword druid-admin-password",
                "random:index/randomPassword:RandomPassword druid-internal-client-password",
                "random:index/randomPassword:RandomPassword druid-metadata-password",
                "random:index/randomPassword:RandomPassword druid-tls-password",
            ]);
            for (const r of randoms) assert.ok(r.provider.startsWith(`${randomUrn}::`), `${r.name}: ${r.provider || "(default provider)"}`);
        }
    });

    it("ZooKeeper: 3 servers, ids from the ordinal, PDB of one, anti-affinity; Druid's connect string names its pods", () => {
        const zk = plan.get(T.sts, "druid-zookeeper");
        assert.equal(at(zk.inputs, "spec", "replicas"), 3);
        assert.equal(at(zk.inputs, "spec", "serviceName"), "druid-zookeeper-headless");
        assert.match(String((container(zk).command as string[])[2]), /ZOO_MY_ID=\$\(\( \$\{HOSTNAME##\*-\} \+ 1 \)\)/);
        const servers = String((container(zk).env as Obj[]).find((e) => e.name === "ZOO_SERVERS")?.value);
        assert.equal(servers.split(" ")[2], "server.3=druid-zookeeper-2.druid-zookeeper-headless.druid.svc.cluster.local:2888:3888;2181");
        assert.equal(at(plan.get(T.pdb, "druid-zookeeper").inputs, "spec", "maxUnavailable"), 1);
        assert.equal(at(podSpec(zk), "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution", 0, "podAffinityTerm", "topologyKey"), "kubernetes.io/hostname");
        assert.equal(at(plan.get(T.svc, "druid-zookeeper-headless").inputs, "spec", "clusterIP"), "None");
        const common = parseProperties(String(at(plan.get(T.cm, "druid-common").inputs, "data", "common.runtime.properties")));
        assert.equal(common["druid.zk.service.host"], [0, 1, 2].map((i) => `druid-zookeeper-${i}.druid-zookeeper-headless.druid.svc.cluster.local:2181`).join(","));
        assert.equal(at(zk.inputs, "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"), "Retain");
        // Under the read-only root filesystem /conf is an emptyDir, so logback.xml comes from a ConfigMap.
        assert.ok((container(zk).volumeMounts as Obj[]).some((m) => m.mountPath === "/conf/logback.xml" && m.subPath === "logback.xml"));
        assert.match(String(at(plan.get(T.cm, "druid-zookeeper-logging").inputs, "data", "logback.xml")), /ConsoleAppender/);
        assert.equal(container(zk).image, "zookeeper:3.8.6");
    });

    it("an external ZooKeeper skips the ensemble", async () => {
        const { plan: p } = await build({ ...defaultArgs(), zookeeper: { externalConnectString: "zk1:2181,zk2:2181,zk3:2181/druid" } });
        assert.equal(p.ofType("druid:kubernetes:ZooKeeperEnsemble").length, 0);
        const common = parseProperties(String(at(p.get(T.cm, "druid-common").inputs, "data", "common.runtime.properties")));
        assert.equal(common["druid.zk.service.host"], "zk1:2181,zk2:2181,zk3:2181/druid");
    });

    it("each tier: its ConfigMap holds the generated files, volumes, probes, service account", () => {
        const hist = plan.get(T.sts, "druid-historical-default");
        const cm = plan.get(T.cm, "druid-historical-default");
        const props = parseProperties(String(at(cm.inputs, "data", "runtime.properties")));
        assert.equal(props["druid.processing.numThreads"], "3");
        assert.equal(String(at(cm.inputs, "data", "jvm.config")).split("\n")[2], "-Xmx2g");
        assert.equal(at(hist.inputs, "spec", "volumeClaimTemplates", 0, "spec", "resources", "requests", "storage"), "100Gi");
        const c = container(hist);
        assert.equal(at(c, "readinessProbe", "httpGet", "path"), "/druid/historical/v1/readiness");
        assert.equal(at(c, "startupProbe", "failureThreshold"), 360);
        assert.equal(at(container(plan.get(T.deploy, "druid-broker")), "readinessProbe", "httpGet", "path"), "/druid/broker/v1/readiness");
        assert.equal(at(container(plan.get(T.deploy, "druid-router")), "readinessProbe", "httpGet", "path"), "/status/health");
        assert.deepEqual(c.args, ["historical"]);
        assert.equal(c.image, "apache/druid:37.0.0");
        assert.equal(podSpec(hist).serviceAccountName, "druid");
        const mounts = (c.volumeMounts as Obj[]).map((m) => m.mountPath);
        assert.ok(mounts.includes("/opt/druid/conf/druid/cluster/data/historical/runtime.properties"));
        assert.ok(mounts.includes("/opt/druid/conf/druid/cluster/_common/common.runtime.properties"));
        assert.ok(mounts.includes("/opt/druid/segment-cache"), "the segment cache is mounted beside var, not inside it");
        assert.ok(!mounts.some((m) => String(m).startsWith("/opt/druid/var/")), "nothing is mounted inside the var emptyDir");
        assert.equal(at(hist.inputs, "spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"), "Retain");
    });

    it("a configuration change changes the pod template's checksum, and only that service's", async () => {
        const args = defaultArgs();
        const { plan: changed } = await build({ ...args, data: { historicalTiers: [{ name: "default", volumeSize: "100Gi", properties: { "druid.server.http.numThreads": "80" } }] } });
        const checksum = (p: Plan, type: string, name: string) => at(p.get(type, name).inputs, "spec", "template", "metadata", "annotations", "druid.apache.org/config-checksum");
        assert.match(String(checksum(plan, T.sts, "druid-historical-default")), /^[0-9a-f]{64}$/);
        assert.notEqual(checksum(changed, T.sts, "druid-historical-default"), checksum(plan, T.sts, "druid-historical-default"));
        assert.equal(checksum(changed, T.deploy, "druid-broker"), checksum(plan, T.deploy, "druid-broker"));
    });

    it("a second Historical tier gets its own name, tier and priority", async () => {
        const { plan: p } = await build({
            ...defaultArgs(),
            data: { historicalTiers: [{ name: "default", volumeSize: "100Gi" }, { name: "hot", volumeSize: "50Gi", priority: 10, replicas: 3, storageClass: "gp3" }] },
        });
        const hot = p.get(T.sts, "druid-historical-hot");
        assert.equal(at(hot.inputs, "spec", "replicas"), 0, "created empty, scaled after the Coordinator");
        assert.equal(at(p.get("kubernetes:apps/v1:StatefulSetPatch", "druid-historical-hot-replicas").inputs, "spec", "replicas"), 3);
        assert.equal(at(hot.inputs, "spec", "volumeClaimTemplates", 0, "spec", "storageClassName"), "gp3");
        const props = parseProperties(String(at(p.get(T.cm, "druid-historical-hot").inputs, "data", "runtime.properties")));
        assert.equal(props["druid.server.tier"], "hot");
        assert.equal(props["druid.server.priority"], "10");
    });

    it("ephemeral Historical storage puts the segment cache on emptyDir", async () => {
        const { plan: p } = await build({ ...defaultArgs(), data: { historicalStorage: "ephemeral" } });
        const hist = p.get(T.sts, "druid-historical-default");
        assert.deepEqual(at(hist.inputs, "spec", "volumeClaimTemplates"), []);
        assert.deepEqual((podSpec(hist).volumes as Obj[]).find((v) => v.name === "segment-cache"), { emptyDir: { sizeLimit: "100Gi" }, name: "segment-cache" });
    });

    it("the namespace carries the restricted labels and every pod passes the Pod Security Standards restricted profile", () => {
        const ns = plan.get("kubernetes:core/v1:Namespace", "druid");
        assert.equal(at(ns.inputs, "metadata", "labels", "pod-security.kubernetes.io/enforce"), "restricted");
        for (const r of [...plan.ofType(T.sts), ...plan.ofType(T.deploy)]) {
            assert.deepEqual(checkRestricted(podSpec(r) as Parameters<typeof checkRestricted>[0]), [], r.name);
            assert.equal(at(container(r), "securityContext", "readOnlyRootFilesystem"), true, r.name);
        }
    });

    it("Druid logs to the console only (the image's file appender would write to the read-only root filesystem)", () => {
        const xml = String(at(plan.get(T.cm, "druid-common").inputs, "data", "log4j2.xml"));
        assert.match(xml, /<Console name="Console" target="SYSTEM_OUT">/);
        assert.doesNotMatch(xml, /RollingRandomAccessFile|<File /);
        for (const r of [...plan.ofType(T.sts), ...plan.ofType(T.deploy)].filter((x) => x.name !== "druid-zookeeper")) {
            const mounts = container(r).volumeMounts as Obj[];
            assert.ok(mounts.some((m) => m.mountPath === "/opt/druid/conf/druid/cluster/_common/log4j2.xml" && m.subPath === "log4j2.xml"), r.name);
        }
    });

    it("probes only check the service's own health endpoint on its own port", () => {
        for (const r of [...plan.ofType(T.sts), ...plan.ofType(T.deploy)].filter((x) => x.name !== "druid-zookeeper")) {
            const c = container(r);
            const port = (c.ports as Obj[])[0].containerPort;
            for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
                assert.equal(at(c, probe, "httpGet", "port"), port, `${r.name} ${probe}`);
                assert.equal(at(c, probe, "httpGet", "host"), undefined);
            }
        }
    });

    it("the Router Service type is ClusterIP by default, LoadBalancer when asked, with an Ingress option", async () => {
        assert.equal(at(plan.get(T.svc, "druid-router").inputs, "spec", "type"), "ClusterIP");
        const { plan: p } = await build({ ...defaultArgs(), query: { router: { serviceType: "LoadBalancer", ingress: { host: "druid.example.com", className: "alb" } } } });
        assert.equal(at(p.get(T.svc, "druid-router").inputs, "spec", "type"), "LoadBalancer");
        const ing = p.get("kubernetes:networking.k8s.io/v1:Ingress", "druid-router");
        assert.equal(at(ing.inputs, "spec", "rules", 0, "http", "paths", 0, "backend", "service", "name"), "druid-router");
    });

    it("a default cluster's resource names are stable (renaming would replace stateful resources)", () => {
        const snapshotFile = path.join(__dirname, "fixtures", "default-resource-names.json");
        const names = [...new Set(plan.resources.map((r) => `${r.type} ${r.name}`))].sort();
        if (process.env.UPDATE_SNAPSHOTS === "1") fs.writeFileSync(snapshotFile, JSON.stringify(names, null, 2) + "\n");
        assert.deepEqual(names, JSON.parse(fs.readFileSync(snapshotFile, "utf8")));
    });
});

describe("DruidCluster: dependency graph", () => {
    let plan: Plan;
    before(async () => { ({ plan } = await build(defaultArgs(), true)); });
    const workload = (p: Plan, name: string) => p.resources.find((r) => (r.type === T.sts || r.type === T.deploy) && r.name === name)!;

    it("only the services that use the metadata store wait for RDS", () => {
        const rds = plan.get(T.rds, "druid-metadata");
        for (const name of ["druid-historical-default", "druid-middlemanager", "druid-broker", "druid-router"]) {
            assert.equal(plan.dependsOn(workload(plan, name), rds), false, `${name} must not wait for RDS`);
            assert.equal(plan.dependsOn(plan.get(T.cm, name), rds), false, `${name}'s ConfigMap must not wait for RDS`);
        }
        for (const name of ["druid-coordinator", "druid-overlord"]) {
            assert.equal(plan.dependsOn(plan.get(T.cm, name), rds), true, `${name} reads the metadata store`);
        }
    });

    it("rolling-update order: Historical, MiddleManager, Broker, Router, Overlord, Coordinator", () => {
        const order = ["druid-historical-default", "druid-middlemanager", "druid-broker", "druid-router", "druid-overlord", "druid-coordinator"];
        for (let i = 1; i < order.length; i++) {
            assert.equal(plan.dependsOn(workload(plan, order[i]), workload(plan, order[i - 1])), true, `${order[i]} after ${order[i - 1]}`);
            assert.equal(plan.dependsOn(workload(plan, order[i - 1]), workload(plan, order[i])), false, `${order[i - 1]} not after ${order[i]}`);
        }
    });

    it("combined Coordinator-Overlord comes after the Router", async () => {
        const { plan: p } = await build({ ...defaultArgs(), master: { combined: true } }, true);
        assert.equal(p.ofType(T.deploy).some((r) => r.name === "druid-overlord"), false);
        assert.equal(p.dependsOn(workload(p, "druid-coordinator"), workload(p, "druid-router")), true);
    });

});
