import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your own stack: import { DruidCluster } from "pulumi-druid";
import { DruidCluster } from "../../index";

// A zone-aware hot tier: its Historicals split by zone, one Druid tier per zone, every recent
// segment once in each zone, so a whole zone can restart at once while the others serve (docs/zones.md).
// A plain cold tier for everything, MiddleManagers split by zone too, and Brokers in each zone that
// prefer their zone's hot Historicals.
const config = new pulumi.Config("druid-zone-aware");
const kubeconfig = config.get("kubeconfig");
// The rollout order: the first zone restarts first.
const zones = config.requireObject<string[]>("zones");

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
    query: {
        // Zone-local Brokers: 2 in each zone of the hot tier, each preferring its own zone's hot
        // Historicals, so the Broker→Historical bytes stay in the zone (docs/zones.md, "Brokers").
        broker: { preferZoneOf: "hot", replicas: 2 },
    },
    data: {
        historicalTiers: [
            {
                // Recent data, queried first. 2 Historicals in EACH zone (6 with 3 zones): each zone's
                // pair holds the whole tier, so size the volume for all of it, not a third.
                name: "hot",
                zones,
                replicas: 2,
                resources: { cpu: "8", memory: "32Gi" },
                volumeSize: "200Gi",
                priority: 1,
            },
            {
                // Everything, not zone-aware: 3 Historicals the scheduler spreads over the zones.
                name: "cold",
                replicas: 3,
                volumeSize: "1Ti",
            },
        ],
        // 2 MiddleManagers in each zone: a zone drains at once while the others take new tasks.
        ingestion: { zones, replicas: 2 },
    },
    dataManagement: {
        // Rules name the logical tier "hot": its count is split equally over the zones' tiers
        // ("hot-eu-west-1a", ...), so one replica per zone here.
        defaultRules: [
            { type: "loadByPeriod", period: "P7D", tieredReplicants: { hot: zones.length, cold: 1 } },
            { type: "loadForever", tieredReplicants: { cold: 2 } },
        ],
    },
}, { providers: { aws: awsProvider, kubernetes: k8sProvider } });

export const routerUrl = cluster.routerUrl;
export const bucketName = cluster.bucketName;
export const adminPassword = cluster.adminPassword;
