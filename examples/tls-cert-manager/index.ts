import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your own stack: import { DruidCluster } from "pulumi-druid";
import { DruidCluster } from "../../index";

// Druid with TLS between every service, certificates from cert-manager, and the Router (web console
// and query API) published through an Ingress on a host name, behind Druid's own login.
const config = new pulumi.Config("druid-tls-cert-manager");
const kubeconfig = config.get("kubeconfig");
const host = config.require("routerHost");

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
    tls: {
        // The component asks this issuer for one Certificate naming every Druid Service and pod (and
        // the Ingress host), as a PKCS12 keystore and truststore; Druid then serves on its TLS ports
        // only. A ClusterIssuer, because the namespace is created by the component: an Issuer would
        // have to exist in it first.
        certManagerIssuer: config.get("certManagerIssuer") ?? "druid-internal-ca",
        certManagerIssuerKind: "ClusterIssuer",
    },
    // Druid's basic-security login (the default, written here because an Ingress needs it: an
    // Ingress without auth is refused). Give the admin password as a stack secret, or leave it unset
    // and read the generated one from the `adminPassword` output.
    auth: {
        enabled: true,
        adminPassword: config.getSecret("adminPassword"),
    },
    query: {
        router: {
            // Only the Ingress controller reaches the Router (no LoadBalancer of its own).
            serviceType: "ClusterIP",
            ingress: {
                host,
                className: config.get("ingressClassName") ?? "nginx",
                // The public certificate of `host`, which the Ingress controller serves to browsers.
                tlsSecretName: "druid-router-public-tls",
                annotations: {
                    // The Router only speaks HTTPS: ingress-nginx must call it over TLS (its annotation
                    // "<prefix>/backend-protocol", values HTTP|HTTPS|GRPC|...: kubernetes/ingress-nginx@05a0480c4982145d222f2fbd7c5dee91f4e76dfc
                    // internal/ingress/annotations/backendprotocol/main.go, prefix "nginx.ingress.kubernetes.io" in
                    // internal/ingress/annotations/parser/main.go). Another controller has its own annotation for this.
                    "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS",
                    // cert-manager's ingress-shim issues the public certificate into tlsSecretName
                    // (IngressClusterIssuerNameAnnotationKey, cert-manager/cert-manager@045a552dad0bf8bb57274f47f9ebd503f8dd1a3b
                    // pkg/apis/certmanager/v1/types.go).
                    "cert-manager.io/cluster-issuer": config.get("publicIssuer") ?? "letsencrypt",
                },
            },
        },
    },
    networkPolicies: {
        // The Router's NetworkPolicy admits only the Ingress controller's namespace.
        routerAllowedNamespaces: [config.get("ingressNamespace") ?? "ingress-nginx"],
    },
    data: {
        historicalTiers: [{ name: "default", volumeSize: "200Gi" }],
        // Task Jobs are refused with TLS (the Overlord calls task pods at their pod IP, which no
        // certificate names); MiddleManagers serve their Peons under the Certificate's pod names.
        ingestion: { worker: "middleManager" },
    },
}, { providers: { aws: awsProvider, kubernetes: k8sProvider } });

export const routerUrl = cluster.routerUrl;
export const consoleUrl = `https://${host}/`;
export const adminPassword = cluster.adminPassword;
