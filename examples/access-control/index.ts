import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your own stack: import { DruidCluster } from "pulumi-druid";
import { DruidCluster } from "../../index";

// Access control as code: people log in to the console through the company's OpenID provider,
// services and scripts authenticate against LDAP, and who may read or write which datasource is
// declared here, checked before anything is deployed, and applied by an in-cluster Job
// (docs/security.md, "Authentication modes" and "Access control as code").
//
// Three Secrets are created beforehand in the cluster's namespace by whoever holds the credentials
// (never in this program, its state or the render): the OIDC client secret, the LDAP bind password,
// and the pipeline account's password. The directory's CA certificate is in a ConfigMap.
const config = new pulumi.Config("druid-access-control");
const kubeconfig = config.get("kubeconfig");

const awsProvider = new aws.Provider("aws", { region: new pulumi.Config("aws").require<aws.Region>("region") });
const k8sProvider = new k8s.Provider("eks", kubeconfig !== undefined ? { kubeconfig } : {});

const cluster = new DruidCluster("druid", {
    namespace: "druid",
    deepStorage: {
        oidcProviderArn: config.require("oidcProviderArn"),
        oidcProviderUrl: config.require("oidcProviderUrl"),
    },
    metadataStore: {
        vpcId: config.require("vpcId"),
        subnetIds: config.requireObject<string[]>("privateSubnetIds"),
        allowedSecurityGroupIds: [config.require("nodeSecurityGroupId")],
    },
    // The console behind an Ingress: its host is where the OpenID provider sends people back
    // (register https://<consoleHost>/druid-ext/druid-pac4j/callback as the client's redirect URI).
    query: { router: { ingress: { host: config.require("consoleHost"), tlsSecretName: config.require("consoleTlsSecret") } } },
    auth: {
        // People: single sign-on. Their Druid identity is the ID token's `sub`.
        oidc: {
            discoveryUri: config.require("oidcDiscoveryUri"),
            clientId: config.require("oidcClientId"),
            clientSecret: { name: "druid-oidc-client", key: "client-secret" },
        },
        // Services and people with directory accounts: basic credentials checked against LDAP over
        // TLS, and their LDAP groups mapped to roles (`access.ldapGroups`).
        ldap: {
            url: config.require("ldapUrl"),
            caCertificate: { kind: "ConfigMap", name: "ldap-ca", key: "ca.pem" },
            bindUser: "cn=druid,ou=services,dc=example,dc=com",
            bindPassword: { name: "druid-ldap-bind", key: "password" },
            baseDn: "ou=people,dc=example,dc=com",
            userSearch: "(&(uid=%s)(objectClass=inetOrgPerson))",
            userAttribute: "uid",
        },
    },
    access: {
        roles: [
            {
                // Analysts read the web and sales datasources only, and see the cluster's state and
                // system tables (the console needs them).
                name: "analysts",
                permissions: [
                    { type: "DATASOURCE", name: "(web|sales)_.*", action: "READ" },
                    { type: "STATE", name: "STATE", action: "READ" },
                    { type: "SYSTEM_TABLE", name: ".*", action: "READ" },
                ],
            },
        ],
        users: [
            // People who log in through OIDC, by their `sub`.
            ...config.requireObject<string[]>("analystSubs").map((sub) => ({ name: sub, roles: ["analysts"] })),
            // The ingestion pipeline: a basic account with the built-in "ingestion" role (read and
            // write every datasource, read external data and state). Its password is in a Secret.
            { name: "pipeline", roles: ["ingestion"], password: { name: "druid-pipeline-account", key: "password" } },
        ],
        ldapGroups: [
            { name: "analysts", groupPattern: "cn=analysts,ou=groups,dc=example,dc=com", roles: ["analysts"] },
            // Operators read everything (the built-in "read-only" role); administration stays with `admin`.
            { name: "operators", groupPattern: "cn=druid-operators,ou=groups,dc=example,dc=com", roles: ["read-only"] },
        ],
    },
}, { providers: { aws: awsProvider, kubernetes: k8sProvider } });

export const routerUrl = cluster.routerUrl;
export const adminPassword = cluster.adminPassword;
