import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your own stack: import { DruidCluster } from "pulumi-druid";
import { DruidCluster } from "../../index";

// Hot/cold tiers: the last 7 days of every datasource on a small, fast "hot" tier (2 replicas, so a
// Historical can restart without a gap in recent data), everything on a large, cheaper "default"
// tier, retention and auto-compaction as code.
const config = new pulumi.Config("druid-hot-cold");
const kubeconfig = config.get("kubeconfig");

const awsProvider = new aws.Provider("aws", { region: new pulumi.Config("aws").require<aws.Region>("region") });
const k8sProvider = new k8s.Provider("eks", kubeconfig !== undefined ? { kubeconfig } : {});

const cluster = new DruidCluster("druid", {
    deepStorage: {
        oidcProviderArn: config.require("oidcProviderArn"),
        oidcProviderUrl: config.require("oidcProviderUrl"),
    },
    metadataStore: {
        vpcId: config.require("vpcId"),
        subnetIds: config.requireObject<string[]>("privateSubnetIds"),
        allowedSecurityGroupIds: [config.require("nodeSecurityGroupId")],
    },
    data: {
        historicalTiers: [
            {
                // Recent data: queried most, so on fast disks and queried first (higher priority).
                name: "hot",
                replicas: 2,
                resources: { cpu: "8", memory: "32Gi" },
                // A StorageClass the cluster already has (e.g. gp3 with raised IOPS/throughput, or local
                // NVMe). It cannot change once the tier exists: to move, add a new tier and drop this one.
                storageClass: config.get("hotStorageClass") ?? "gp3-fast",
                // 7 days of segments x 2 replicas spread over 2 pods, plus headroom for compaction's rewrites.
                volumeSize: "200Gi",
                priority: 1,
            },
            {
                // Everything else. Named "default", so it is Druid's "_default_tier", where segments
                // go when no rule names a tier.
                name: "default",
                replicas: 2,
                volumeSize: "1Ti",
            },
        ],
    },
    dataManagement: {
        // Rules are matched in order; the first that applies to a segment wins.
        defaultRules: [
            // The last 7 days: one copy on each hot Historical and one on the default tier, so the
            // default tier already holds the segment when it ages out of the hot tier.
            { type: "loadByPeriod", period: "P7D", tieredReplicants: { hot: 2, _default_tier: 1 } },
            // Older data: on the default tier only (2 copies, one per Historical).
            { type: "loadForever", tieredReplicants: { _default_tier: 2 } },
        ],
        rules: {
            // Raw clickstream: kept 90 days, then dropped from the Historicals (it stays in S3 until
            // a kill task deletes it), recent days hot like every datasource.
            clickstream: [
                { type: "dropBeforeByPeriod", period: "P90D" },
                { type: "loadByPeriod", period: "P7D", tieredReplicants: { hot: 2, _default_tier: 1 } },
                { type: "loadForever", tieredReplicants: { _default_tier: 2 } },
            ],
        },
        compaction: {
            // Streaming ingestion writes many small hourly segments: compact yesterday and older into
            // daily segments of up to 5 million rows (the last day is left to the streaming tasks).
            clickstream: { skipOffsetFromLatest: "P1D", segmentGranularity: "DAY", maxRowsPerSegment: 5000000 },
        },
    },
}, { providers: { aws: awsProvider, kubernetes: k8sProvider } });

export const routerUrl = cluster.routerUrl;
export const bucketName = cluster.bucketName;
export const adminPassword = cluster.adminPassword;
