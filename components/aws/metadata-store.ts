import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { RdsPlan, MetadataStorePlan, postgresPort } from "../plan/storage-plan";
export { RdsPlan, MetadataStorePlan, postgresPort } from "../plan/storage-plan";

/**
 * Druid's metadata store. The master password is a generated random value (kept as a secret in
 * the stack) rather than an RDS-managed Secrets Manager secret: RDS rotates managed secrets on its
 * own schedule, and Druid reads the password only at start-up, so a rotation would silently break
 * the Coordinator and Overlord.
 */
export class MetadataStore extends pulumi.ComponentResource {
    public readonly host: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    public readonly database: pulumi.Output<string>;
    public readonly user: pulumi.Output<string>;
    /** Always a secret output. */
    public readonly password: pulumi.Output<string>;
    /** The RDS instance's identifier; empty with an existing server. */
    public readonly instanceIdentifier: pulumi.Output<string>;
    /** The RDS instance's security group id; empty with an existing server. */
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, plan: MetadataStorePlan, opts?: pulumi.ComponentResourceOptions) {
        super("druid:aws:MetadataStore", name, {}, opts);
        const parent = { parent: this };
        if (plan.existing !== undefined) {
            const e = plan.existing;
            this.host = pulumi.output(e.host);
            this.port = pulumi.output(e.port);
            this.database = pulumi.output(e.database);
            this.user = pulumi.output(e.user);
            this.password = pulumi.secret(e.password);
            this.instanceIdentifier = pulumi.output("");
            this.securityGroupId = pulumi.output("");
        } else {
            const rds = plan.rds as RdsPlan;
            const tags = plan.tags;
            const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, parent);
            const subnetGroup = new aws.rds.SubnetGroup(name, {
                subnetIds: rds.subnetIds,
                description: "Druid metadata store",
                tags,
            }, parent);
            const securityGroup = new aws.ec2.SecurityGroup(name, {
                vpcId: rds.vpcId,
                description: "Druid metadata store: PostgreSQL from the Kubernetes cluster only",
                tags,
            }, parent);
            rds.allowedSecurityGroupIds.forEach((sg, i) => new aws.vpc.SecurityGroupIngressRule(`${name}-from-sg-${i}`, {
                securityGroupId: securityGroup.id,
                referencedSecurityGroupId: sg,
                ipProtocol: "tcp",
                fromPort: postgresPort,
                toPort: postgresPort,
                description: "PostgreSQL from Druid (Kubernetes security group)",
                tags,
            }, parent));
            rds.allowedCidrBlocks.forEach((cidr, i) => new aws.vpc.SecurityGroupIngressRule(`${name}-from-cidr-${i}`, {
                securityGroupId: securityGroup.id,
                cidrIpv4: cidr,
                ipProtocol: "tcp",
                fromPort: postgresPort,
                toPort: postgresPort,
                description: pulumi.interpolate`PostgreSQL from ${cidr}`,
                tags,
            }, parent));
            const parameterGroup = new aws.rds.ParameterGroup(name, {
                family: `postgres${rds.major}`,
                description: "Druid metadata store",
                parameters: [{ name: "rds.force_ssl", value: "1" }],
                tags,
            }, parent);
            const instance = new aws.rds.Instance(name, {
                engine: "postgres",
                engineVersion: rds.engineVersion,
                instanceClass: rds.instanceClass,
                allocatedStorage: rds.allocatedStorageGb,
                maxAllocatedStorage: rds.maxAllocatedStorageGb,
                storageType: "gp3",
                storageEncrypted: true,
                dbName: rds.databaseName,
                username: rds.username,
                password: password.result,
                port: postgresPort,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [securityGroup.id],
                parameterGroupName: parameterGroup.name,
                publiclyAccessible: false,
                multiAz: rds.multiAz,
                backupRetentionPeriod: rds.backupRetentionDays,
                deletionProtection: rds.deletionProtection,
                skipFinalSnapshot: rds.skipFinalSnapshot,
                finalSnapshotIdentifier: rds.skipFinalSnapshot ? undefined : `${name}-final`,
                copyTagsToSnapshot: true,
                autoMinorVersionUpgrade: true,
                tags,
            }, { ...parent, retainOnDelete: rds.retainOnDelete, protect: rds.protect, additionalSecretOutputs: ["password"] });
            this.host = instance.address;
            this.port = instance.port;
            this.database = pulumi.output(rds.databaseName);
            this.user = pulumi.output(rds.username);
            this.password = pulumi.secret(password.result);
            this.instanceIdentifier = instance.identifier;
            this.securityGroupId = securityGroup.id;
        }
        this.registerOutputs({
            host: this.host, port: this.port, database: this.database, user: this.user, password: this.password,
            instanceIdentifier: this.instanceIdentifier, securityGroupId: this.securityGroupId,
        });
    }
}
