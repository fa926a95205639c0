import * as pulumi from "@pulumi/pulumi";
import { servicePort } from "../config/druid-config";
import { DruidService } from "../k8s/druid-service";
import { ConfigurationFiles } from "../k8s/preview";
import { ClusterPlan } from "../plan/resolve";
import { Coordination } from "./coordination";
import { Storage } from "./storage";

/** DruidCluster's outputs (each documented on the class, components/druid-cluster.ts), in the order they are registered. */
export interface ClusterOutputs {
    routerUrl: pulumi.Output<string>;
    brokerServiceName: pulumi.Output<string>;
    zookeeperConnectString: pulumi.Output<string>;
    bucketName: pulumi.Output<string>;
    bucketArn: pulumi.Output<string>;
    podRoleName: pulumi.Output<string>;
    podRoleArn: pulumi.Output<string>;
    podUserName: pulumi.Output<string>;
    podUserArn: pulumi.Output<string>;
    metadataEndpoint: pulumi.Output<string>;
    metadataInstanceIdentifier: pulumi.Output<string>;
    metadataSecurityGroupId: pulumi.Output<string>;
    namespace: pulumi.Output<string>;
    configuration: pulumi.Output<ConfigurationFiles>;
    adminPassword: pulumi.Output<string>;
}

/** What the parts built, as the component's outputs: plain ids and names, empty where the part is not the component's (multi-language friendly). */
export function clusterOutputs(plan: Pick<ClusterPlan, "tls">, parts: {
    namespace: pulumi.Output<string>; storage: Storage; coordination: Coordination; services: Map<string, DruidService>; brokerServiceName: pulumi.Output<string>;
    configuration: pulumi.Output<ConfigurationFiles>; adminPassword: pulumi.Output<string>;
}): ClusterOutputs {
    const { deepStorage, metadataStore } = parts.storage;
    const router = parts.services.get("router")!;
    const routerPort = servicePort("router", plan.tls !== undefined);
    return {
        routerUrl: pulumi.interpolate`${plan.tls !== undefined ? "https" : "http"}://${router.serviceName}.${parts.namespace}.svc.cluster.local:${routerPort}`,
        brokerServiceName: parts.brokerServiceName,
        zookeeperConnectString: pulumi.output(parts.coordination.zkConnect ?? ""),
        bucketName: deepStorage.bucketName,
        bucketArn: deepStorage.bucketArn,
        podRoleName: deepStorage.roleName.apply((v) => v ?? ""),
        podRoleArn: deepStorage.roleArn.apply((v) => v ?? ""),
        podUserName: deepStorage.userName.apply((v) => v ?? ""),
        podUserArn: deepStorage.userArn.apply((v) => v ?? ""),
        metadataEndpoint: pulumi.interpolate`${metadataStore.host}:${metadataStore.port}`,
        metadataInstanceIdentifier: metadataStore.instanceIdentifier,
        metadataSecurityGroupId: metadataStore.securityGroupId,
        namespace: parts.namespace,
        configuration: parts.configuration,
        adminPassword: pulumi.secret(parts.adminPassword),
    };
}
