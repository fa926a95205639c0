import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your own stack: import { DruidCluster } from "pulumi-druid";
import { DruidCluster } from "../../index";

// Druid on storage that already exists: an S3 bucket another stack owns (Druid writes under a
// prefix of it), a PostgreSQL server the database team runs (checked against its CA), and the
// organisation's ZooKeeper ensemble. The component then creates no bucket, no RDS instance and no
// ZooKeeper pods; it still creates the IAM role the Druid pods use for the bucket.
const config = new pulumi.Config("druid-bring-your-own");
const kubeconfig = config.get("kubeconfig");

const awsProvider = new aws.Provider("aws", { region: new pulumi.Config("aws").require<aws.Region>("region") });
const k8sProvider = new k8s.Provider("eks", kubeconfig !== undefined ? { kubeconfig } : {});

const cluster = new DruidCluster("druid", {
    deepStorage: {
        // The bucket is used as it is: no versioning, lifecycle or encryption settings are changed on it.
        existingBucketName: config.require("bucketName"),
        // Segments and task logs go under this prefix, so several clusters (or other data) can share the bucket.
        prefix: config.get("bucketPrefix") ?? "druid/prod",
        // The role the Druid pods assume (IRSA) is granted this bucket, under the prefix.
        oidcProviderArn: config.require("oidcProviderArn"),
        oidcProviderUrl: config.require("oidcProviderUrl"),
    },
    metadataStore: {
        existing: {
            host: config.require("postgresHost"),
            port: config.getNumber("postgresPort") ?? 5432,
            database: config.get("postgresDatabase") ?? "druid",
            user: config.get("postgresUser") ?? "druid",
            // A stack secret (`pulumi config set --secret postgresPassword ...`): it stays encrypted in
            // the state and reaches the pods through a Kubernetes Secret, never a ConfigMap.
            password: config.requireSecret("postgresPassword"),
        },
        // Check the server's certificate and host name, not only encrypt: a man in the middle on the
        // network path to a database outside the cluster is refused.
        sslMode: "verify-full",
        // The CA that signed the server's certificate, in PEM (for RDS: AWS's global-bundle.pem). The
        // component puts it in a ConfigMap the pods mount.
        caCertificate: { pem: config.require("postgresCaPem") },
    },
    zookeeper: {
        // The ensemble's servers (host:port, comma-separated); the component runs no ZooKeeper pods.
        externalConnectString: config.require("zookeeperConnectString"),
    },
    data: {
        historicalTiers: [{ name: "default", volumeSize: "200Gi" }],
    },
}, { providers: { aws: awsProvider, kubernetes: k8sProvider } });

export const routerUrl = cluster.routerUrl;
export const podRoleArn = cluster.podRoleArn;
export const adminPassword = cluster.adminPassword;
