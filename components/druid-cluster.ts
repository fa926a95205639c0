import * as pulumi from "@pulumi/pulumi";
import { DruidClusterArgs } from "./args";
import { customizationTransformation } from "./k8s/customization";
import { createCertificate } from "./parts/certificate";
import { createConfiguration } from "./parts/configuration";
import { createCoordination } from "./parts/coordination";
import { checkApplierFits } from "./parts/applier-fits";
import { createDataManagement } from "./parts/data-management";
import { createAccess } from "./parts/access";
import { createClusterMonitoring } from "./parts/monitoring";
import { createNamespace } from "./parts/namespace";
import { createNetwork } from "./parts/network-policies";
import { createBrokerService } from "./parts/zone-brokers";
import { clusterOutputs } from "./parts/outputs";
import { Parent } from "./parts/parent";
import { createReplicaPatches } from "./parts/replica-patches";
import { createRouterIngress } from "./parts/router-ingress";
import { createSecrets } from "./parts/secrets";
import { createAccounts } from "./parts/service-accounts";
import { createServices } from "./parts/services";
import { createStorage } from "./parts/storage";
import { createZoneWaves } from "./parts/zone-waves";
import { checkKubernetesProvider } from "./provider-requirements";
import { resolveCluster } from "./plan/resolve";
import { refuseSecretOutputs } from "./plan/validate-secrets";

// The component: validation, then its parts in the order they are created, each in its own file
// under parts/ (taking the slice of the plan it needs, and what earlier parts made).

/**
 * Apache Druid on AWS and Kubernetes: S3 deep storage with IAM access for the pods, an RDS
 * PostgreSQL metadata store, a ZooKeeper ensemble and every Druid service, with configuration
 * generated from the parts' connection outputs.
 */
export class DruidCluster extends pulumi.ComponentResource {
    /** URL of the Router (web console, SQL API) inside the Kubernetes cluster. */
    public readonly routerUrl: pulumi.Output<string>;
    /** Kubernetes Service name of the Brokers. */
    public readonly brokerServiceName: pulumi.Output<string>;
    /** ZooKeeper connect string Druid uses (the component's ensemble, or `zookeeper.externalConnectString`); empty with coordination "kubernetes". */
    public readonly zookeeperConnectString: pulumi.Output<string>;
    /** Deep-storage bucket (the component's, or `deepStorage.existingBucketName`). */
    public readonly bucketName: pulumi.Output<string>;
    /** ARN of the deep-storage bucket (e.g. for a bucket policy or a replication rule of the platform's). */
    public readonly bucketArn: pulumi.Output<string>;
    /** Name of the IAM role the Druid pods assume (accessMode "irsa" or "podIdentity"); empty with "staticKeys". Attach more policies to it by name. */
    public readonly podRoleName: pulumi.Output<string>;
    /** ARN of the IAM role the Druid pods assume (e.g. for a KMS key policy, a bucket policy or MSK access); empty with "staticKeys". */
    public readonly podRoleArn: pulumi.Output<string>;
    /** Name of the IAM user of the static keys (accessMode "staticKeys"); empty otherwise. */
    public readonly podUserName: pulumi.Output<string>;
    /** ARN of the IAM user of the static keys (accessMode "staticKeys"); empty otherwise. */
    public readonly podUserArn: pulumi.Output<string>;
    /** Metadata store host:port. */
    public readonly metadataEndpoint: pulumi.Output<string>;
    /** Identifier of the RDS instance (for alarms, snapshots, parameter changes); empty with `metadataStore.existing`. */
    public readonly metadataInstanceIdentifier: pulumi.Output<string>;
    /** Id of the RDS instance's security group (to allow more clients on 5432); empty with `metadataStore.existing`. */
    public readonly metadataSecurityGroupId: pulumi.Output<string>;
    /** Namespace of the Kubernetes objects. */
    public readonly namespace: pulumi.Output<string>;
    /** Generated files per service ("_common" holds common.runtime.properties). No secret is ever in them. */
    public readonly configuration: pulumi.Output<{ [service: string]: { [file: string]: string } }>;
    /** Password of the Druid `admin` user (secret); empty when auth is disabled. */
    public readonly adminPassword: pulumi.Output<string>;

    constructor(name: string, args: DruidClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate everything before the component (or anything else) is registered. A secret
        // given where the component writes plain text fails (validate-secrets.ts).
        const plan = resolveCluster(name, refuseSecretOutputs(args));
        // The data-management, access and zone-wave Jobs' scripts must fit their ConfigMaps (and each request one exec argument); the waves must match the plan.
        checkApplierFits(plan);
        // A Kubernetes provider that cannot deploy the cluster (SDK below the floor, client-side apply, render to directory) is refused once, here.
        const providerChecks = checkKubernetesProvider(opts);
        // Cluster-wide labels, annotations and pod settings reach every Kubernetes object through
        // one transformation, inherited by every child (k8s/customization.ts).
        super("druid:index:DruidCluster", name, {}, { ...opts, transformations: [...(opts?.transformations ?? []), customizationTransformation(plan.customization), ...providerChecks] });
        const parent: Parent = { parent: this };

        const namespace = createNamespace(name, plan, parent);
        // Storage and metadata (AWS): S3 deep storage with the pods' IAM access, the PostgreSQL metadata store.
        const storage = createStorage(name, plan, parent);
        const accounts = createAccounts(name, plan, namespace, storage.deepStorage, parent);
        const secrets = createSecrets(name, plan, namespace, storage.metadataStore, storage.deepStorage, parent);
        const tlsReady = createCertificate(name, plan, namespace, parent);
        // ZooKeeper (the component's ensemble or an external one) or Kubernetes discovery.
        const coordination = createCoordination(name, plan, namespace, accounts, parent);
        const configuration = createConfiguration(name, plan, namespace, storage, coordination.zkConnect, parent);
        // The Druid services in rolling-update waves, the task template in the MiddleManagers' place,
        // zone-aware groups rolled zone by zone by their wave Jobs.
        const services = createServices(name, plan, {
            namespace, accounts, secrets, deepStorage: storage.deepStorage, configuration, coordinationReady: coordination.ready, tlsReady,
            afterWave: createZoneWaves(name, plan, namespace, secrets, parent),
        }, parent);
        const replicas = createReplicaPatches(plan, services, namespace);
        createDataManagement(name, plan, namespace, secrets, replicas, parent);
        createAccess(name, plan, namespace, secrets, replicas, parent);
        const brokerServiceName = createBrokerService(name, plan, namespace, services, parent);
        createRouterIngress(name, plan, namespace, services.get("router")!, parent);
        createNetwork(plan, namespace, parent);
        createClusterMonitoring(name, plan, namespace, parent);

        const outputs = clusterOutputs(plan, { namespace, storage, coordination, services, brokerServiceName, configuration: configuration.files, adminPassword: secrets.adminPassword });
        this.routerUrl = outputs.routerUrl;
        this.brokerServiceName = outputs.brokerServiceName;
        this.zookeeperConnectString = outputs.zookeeperConnectString;
        this.bucketName = outputs.bucketName;
        this.bucketArn = outputs.bucketArn;
        this.podRoleName = outputs.podRoleName;
        this.podRoleArn = outputs.podRoleArn;
        this.podUserName = outputs.podUserName;
        this.podUserArn = outputs.podUserArn;
        this.metadataEndpoint = outputs.metadataEndpoint;
        this.metadataInstanceIdentifier = outputs.metadataInstanceIdentifier;
        this.metadataSecurityGroupId = outputs.metadataSecurityGroupId;
        this.namespace = outputs.namespace;
        this.configuration = outputs.configuration;
        this.adminPassword = outputs.adminPassword;
        this.registerOutputs(outputs);
    }
}
