import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your own stack: import { DruidCluster } from "pulumi-druid";
import { DruidCluster } from "../../index";

// Kubernetes-native Druid: no ZooKeeper ensemble and no MiddleManagers. Services find each other and
// elect their leaders through the Kubernetes API (druid-kubernetes-extensions), and the Overlord runs
// each ingestion task as a Kubernetes Job (druid-kubernetes-overlord-extensions). Both are marked
// experimental by Druid; the component grants the Druid service account the namespaced Role they need.
const config = new pulumi.Config("druid-kubernetes-native");
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
    // Discovery and leader election through pod labels and Leases: nothing to run, back up or
    // upgrade besides Druid itself. (A `zookeeper` argument is refused with this.)
    coordination: "kubernetes",
    data: {
        historicalTiers: [{ name: "default", volumeSize: "200Gi" }],
        ingestion: {
            // No standing MiddleManager pods: the Overlord creates one Job per task and the cluster's
            // autoscaler adds nodes when tasks queue up. Idle clusters cost only the services above.
            worker: "kubernetesJobs",
            // Each task pod: 2 CPU / 4Gi (the Peon's heap and direct memory are derived from it).
            taskResources: { cpu: "2", memory: "4Gi" },
            // At most 8 task Jobs at once (druid.indexer.runner.capacity): the cap on what ingestion
            // may take from the cluster.
            taskCapacity: 8,
            // Scratch space of each task pod (an emptyDir, requested as ephemeral storage, so the
            // scheduler places the pod on a node with that much free disk).
            taskStorageSize: "20Gi",
        },
    },
}, { providers: { aws: awsProvider, kubernetes: k8sProvider } });

export const routerUrl = cluster.routerUrl;
export const bucketName = cluster.bucketName;
export const adminPassword = cluster.adminPassword;
