import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { tlsDnsNames } from "../k8s/tls-names";
import { recordSecretKeys } from "../k8s/preview";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";

/**
 * The cert-manager Certificate (with its keystore password) for `tls.certManagerIssuer`, with every
 * host name clients use to reach a Druid pod (k8s/tls-names.ts). Returns what the Druid services
 * wait for: nothing without cert-manager (no TLS, or the user's own Secret).
 */
export function createCertificate(name: string, plan: Pick<ClusterPlan, "tls" | "namespace" | "router" | "services">, namespace: pulumi.Input<string>,
    parent: Parent): pulumi.Resource[] {
    const tls = plan.tls;
    if (tls?.certManager === undefined) return [];
    const password = new random.RandomPassword(`${name}-tls-password`, { length: 32, special: false }, parent);
    const passwordSecret = new k8s.core.v1.Secret(`${name}-tls-password`, {
        metadata: { name: tls.passwordSecretName, namespace },
        stringData: { [tls.passwordKey]: password.result },
    }, parent);
    recordSecretKeys(`${name}-tls-password`, "stringData", [tls.passwordKey]);
    const dnsNames = pulumi.all([plan.namespace, plan.router.ingress?.host]).apply(([ns, host]) =>
        tlsDnsNames(name, ns, plan.services.map((s) => ({ key: s.key, stateful: s.volume !== undefined })), host));
    const certificate = new k8s.apiextensions.CustomResource(`${name}-tls`, {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: `${name}-tls`, namespace },
        spec: {
            secretName: tls.secretName,
            issuerRef: { name: tls.certManager.issuer, kind: tls.certManager.kind },
            dnsNames,
            usages: ["server auth", "client auth", "digital signature", "key encipherment"],
            keystores: { pkcs12: { create: true, passwordSecretRef: { name: passwordSecret.metadata.name, key: tls.passwordKey } } },
        },
    }, parent);
    return [certificate, passwordSecret];
}
