import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your own stack: import { DruidCluster } from "pulumi-druid";
import { DruidCluster } from "../../index";

// A platform team's Druid: the pods may read the team's ingestion sources (an S3 landing bucket, a
// Kinesis stream, MSK topics through the platform's managed policy); Historicals run on their own
// node pool, spread over zones; the Brokers scale on CPU against their request; every Broker runs a sidecar (probes,
// hook, requests); and the cluster's outputs feed the platform's own resources (an alarm on the RDS
// instance, the bastion's access to it, the bucket's replication role's trust, stack outputs).
const config = new pulumi.Config("druid-platform");
const kubeconfig = config.get("kubeconfig");
const inputBucketArn = config.require("inputBucketArn");

const awsProvider = new aws.Provider("aws", { region: new pulumi.Config("aws").require<aws.Region>("region") });
const k8sProvider = new k8s.Provider("eks", kubeconfig !== undefined ? { kubeconfig } : {});

const cluster = new DruidCluster("druid", {
    deepStorage: {
        oidcProviderArn: config.require("oidcProviderArn"),
        oidcProviderUrl: config.require("oidcProviderUrl"),
        extraPolicyStatements: [
            { sid: "ListLandingZone", actions: ["s3:ListBucket"], resources: [inputBucketArn] },
            { sid: "ReadLandingZone", actions: ["s3:GetObject"], resources: [`${inputBucketArn}/*`] },
            {
                sid: "ReadClickstream",
                actions: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
                resources: [config.require("kinesisStreamArn")],
            },
        ],
        managedPolicyArns: [config.require("mskReadPolicyArn")],
    },
    metadataStore: {
        vpcId: config.require("vpcId"),
        subnetIds: config.requireObject<string[]>("privateSubnetIds"),
        allowedSecurityGroupIds: [config.require("nodeSecurityGroupId")],
    },
    query: {
        broker: {
            // Scheduled on 1.5 cores, limited to 2 (Druid sizes its thread pools from the limit).
            resources: { cpu: "2", memory: "8Gi", cpuRequest: "1500m" },
            autoscaling: {
                minReplicas: 2, maxReplicas: 6,
                // CPU, in percent of the 1.5-core request. (Memory is a poor signal for Druid: the heap is
                // committed at start, -Xms = -Xmx, so memory use does not fall when the load does.)
                metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } }],
            },
            // A sidecar beside every Broker (standing in for a log shipper or an auth proxy): a
            // status page served by busybox httpd on 2020, from a file it writes under /tmp (the
            // pod's writable scratch volume; the root filesystem is read-only).
            sidecars: [{
                name: "status-page",
                image: "busybox:1.37",
                command: ["/bin/sh", "-c", "mkdir -p /tmp/www && echo ok > /tmp/www/index.html && exec httpd -f -p 2020 -h /tmp/www"],
                resources: { cpu: "100m", memory: "32Mi", cpuRequest: "10m", memoryRequest: "16Mi" },
                ports: [{ name: "status", containerPort: 2020 }],
                readinessProbe: { httpGet: { path: "/", port: 2020 }, periodSeconds: 10 },
                livenessProbe: { tcpSocket: { port: 2020 }, periodSeconds: 30 },
                // Kubernetes 1.30 or later (the sleep hook).
                lifecycle: { preStop: { sleep: { seconds: 5 } } },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            }],
        },
    },
    data: {
        historicalTiers: [{
            name: "default",
            volumeSize: "200Gi",
            affinity: {
                nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                        nodeSelectorTerms: [{ matchExpressions: [{ key: "platform.example.com/pool", operator: "In", values: ["druid-data"] }] }],
                    },
                },
            },
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }],
            // Drain one Historical at a time, and never while another is still loading its segments.
            disruptionBudget: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "IfHealthyBudget" },
        }],
    },
}, { providers: { aws: awsProvider, kubernetes: k8sProvider } });

// The platform's own resources, wired to the cluster's outputs.
new aws.cloudwatch.MetricAlarm("druid-metadata-cpu", {
    namespace: "AWS/RDS",
    metricName: "CPUUtilization",
    dimensions: { DBInstanceIdentifier: cluster.metadataInstanceIdentifier },
    statistic: "Average",
    period: 300,
    evaluationPeriods: 3,
    comparisonOperator: "GreaterThanThreshold",
    threshold: 80,
    alarmActions: [config.require("alarmTopicArn")],
}, { provider: awsProvider });
new aws.vpc.SecurityGroupIngressRule("bastion-to-druid-metadata", {
    securityGroupId: cluster.metadataSecurityGroupId,
    referencedSecurityGroupId: config.require("bastionSecurityGroupId"),
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    description: "PostgreSQL from the platform bastion",
}, { provider: awsProvider });
// A read-only grant the platform manages itself, on the pods' role by name.
new aws.iam.RolePolicyAttachment("druid-pods-cloudwatch-read", {
    role: cluster.podRoleName,
    policyArn: "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
}, { provider: awsProvider });

export const routerUrl = cluster.routerUrl;
export const podRoleArn = cluster.podRoleArn;
export const bucketArn = cluster.bucketArn;
export const namespace = cluster.namespace;
export const zookeeperConnectString = cluster.zookeeperConnectString;
export const metadataEndpoint = cluster.metadataEndpoint;
