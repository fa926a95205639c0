import * as pulumi from "@pulumi/pulumi";

// Security, re-exported by args.ts: Druid's authentication, TLS of every Druid service, and the
// NetworkPolicies. Checked in resolve.ts.

/** Druid authentication and authorization (druid-basic-security, metadata-store backed). */
export interface Auth {
    /** Turn auth on. Default true. With false, a LoadBalancer Router or an Ingress is refused. */
    enabled?: boolean;
    /** Admin password (secret). Default: generated. */
    adminPassword?: pulumi.Input<string>;
    /** Internal-client (escalator) password (secret). Default: generated. */
    internalClientPassword?: pulumi.Input<string>;
    /**
     * Generation of the two passwords above. Druid sets `admin`'s and `druid_system`'s passwords
     * only when it creates those users, so the component records the passwords' salted hashes at
     * creation and refuses a later change. To rotate a password: change it in Druid first
     * (`POST /druid-ext/basic-security/authentication/db/MetadataStoreAuthenticator/users/{admin|druid_system}/credentials`),
     * then give the new password here and raise this number by one: the new generation records
     * the new hashes and rolls every Druid pod. Default 0.
     */
    passwordGeneration?: number;
}

/** A key of an existing Kubernetes Secret: how a credential reaches the pods without appearing in the plan, the render or the ConfigMaps. */
export interface SecretKeyRef {
    /** Name of an existing Secret in the cluster's namespace. */
    name: string;
    /** Key in the Secret. */
    key: string;
}

/** Kind of the cert-manager issuer. */
export const CertManagerIssuerKind = { Issuer: "Issuer", ClusterIssuer: "ClusterIssuer" } as const;

/** Kind of the cert-manager issuer. */
export type CertManagerIssuerKind = (typeof CertManagerIssuerKind)[keyof typeof CertManagerIssuerKind];

/** TLS for every Druid service: Druid then serves on its TLS ports only. Give `secretName` or `certManagerIssuer`. */
export interface Tls {
    /** An existing Secret with a PKCS12 keystore, truststore and their password (the shape of cert-manager's `keystores.pkcs12`). */
    secretName?: string;
    /** Key of the keystore in the Secret. Default "keystore.p12". */
    keystoreKey?: string;
    /** Key of the truststore in the Secret. Default "truststore.p12". */
    truststoreKey?: string;
    /** Key of the keystore/truststore password in the Secret. Default "password". */
    passwordKey?: string;
    /** A cert-manager issuer: the component creates the Certificate (DNS names of every Druid Service and pod) and its keystore password. */
    certManagerIssuer?: string;
    /** Kind of `certManagerIssuer`. Default "Issuer". */
    certManagerIssuerKind?: CertManagerIssuerKind;
    /**
     * Alias of the key entry in the keystore (`druid.server.https.certAlias`). Default: "1" with
     * `certManagerIssuer` (cert-manager's PKCS12 keystore); with `secretName`, none, so Druid uses
     * the keystore's only key.
     */
    certAlias?: string;
}

/** NetworkPolicies. */
export interface NetworkPolicy {
    /** Create NetworkPolicies. Default true. */
    enabled?: boolean;
    /** Namespaces (by name) allowed to reach the Router. Default: none besides the cluster's own. */
    routerAllowedNamespaces?: string[];
    /** CIDR blocks allowed to reach the Router (e.g. the load balancer's subnets); one NetworkPolicy peer each, so the list is known at plan time, its entries may be outputs. Default: none. */
    routerAllowedCidrs?: pulumi.Input<string>[];
    /** Also open the Broker to the Router's allowed sources (direct SQL / native queries). Default false. */
    brokerDirectAccess?: boolean;
}
