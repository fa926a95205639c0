import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your own stack: import { DruidCluster } from "pulumi-druid";
import { DruidCluster } from "../../index";

// A production-shaped Druid that keeps serving through the loss of a node or an availability zone's
// database: `highAvailability` runs two Coordinators and two Overlords (Druid elects a leader of
// each), at least two Brokers and Routers, the masters on different nodes with PodDisruptionBudgets,
// a 5-server ZooKeeper ensemble and RDS Multi-AZ.
const config = new pulumi.Config("druid-high-availability");
const kubeconfig = config.get("kubeconfig");

const awsProvider = new aws.Provider("aws", { region: new pulumi.Config("aws").require<aws.Region>("region") });
const k8sProvider = new k8s.Provider("eks", kubeconfig !== undefined ? { kubeconfig } : {});

const cluster = new DruidCluster("druid", {
    highAvailability: true,
    deepStorage: {
        oidcProviderArn: config.require("oidcProviderArn"),
        oidcProviderUrl: config.require("oidcProviderUrl"),
    },
    metadataStore: {
        vpcId: config.require("vpcId"),
        // Subnets in at least two availability zones: RDS puts the Multi-AZ standby in another one.
        subnetIds: config.requireObject<string[]>("privateSubnetIds"),
        allowedSecurityGroupIds: [config.require("nodeSecurityGroupId")],
        // The profile turns Multi-AZ on and refuses a burstable "db.t*" class (a standby that runs out
        // of CPU credits during a failover is no standby). "db.m7g.large" is its default; it is
        // written here so the bill is visible in the code.
        instanceClass: config.get("metadataInstanceClass") ?? "db.m7g.large",
        // A month of point-in-time recovery instead of the default 7 days.
        backupRetentionDays: 30,
    },
    query: {
        // Three Brokers: one can roll or be drained while two carry the query load (the profile's
        // minimum is two; counts below it are refused).
        broker: { replicas: 3 },
    },
    data: {
        historicalTiers: [{
            name: "default",
            // Three Historicals, so Druid's default load rule (2 replicas per segment) still has a
            // Historical to re-replicate to while one is down.
            replicas: 3,
            volumeSize: "500Gi",
            // Historicals spread over the zones, so one zone's loss leaves a replica of every segment.
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }],
        }],
    },
}, { providers: { aws: awsProvider, kubernetes: k8sProvider } });

export const routerUrl = cluster.routerUrl;
export const bucketName = cluster.bucketName;
export const metadataEndpoint = cluster.metadataEndpoint;
export const zookeeperConnectString = cluster.zookeeperConnectString;
export const adminPassword = cluster.adminPassword;
