import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DeepStorage } from "../aws/deep-storage";
import { MetadataStore } from "../aws/metadata-store";
import { secretEnv } from "../config/druid-config";
import { ServiceKind } from "../plan/tuning";
import { SecretEnv } from "../k8s/druid-service";
import { recordedPasswords } from "../k8s/password-record";
import { recordSecretKeys } from "../k8s/preview";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";
import { runsPac4j } from "../plan/auth-chain";
import { authSecretKeys } from "../plan/layout";

/** The cluster's Secrets, as what the pods read from them. */
export interface Secrets {
    /** The environment variables a service (or a task pod, "peon") reads from the Secrets. */
    envFor: (svc: { kind: ServiceKind | "peon"; usesMetadataStore: boolean }) => SecretEnv[];
    /** The internal client's password, for the data-management Job; empty without auth. */
    internalClientEnv: SecretEnv[];
    /** Password of the Druid `admin` user; empty when auth is disabled. */
    adminPassword: pulumi.Output<string>;
}

/** The Kubernetes Secrets of the cluster and which service reads which key. */
export function createSecrets(name: string, plan: Pick<ClusterPlan, "auth" | "deepStorage" | "tls">, namespace: pulumi.Input<string>,
    metadataStore: MetadataStore, deepStorage: DeepStorage, parent: Parent): Secrets {
    const metadataSecret = new k8s.core.v1.Secret(`${name}-metadata`, {
        metadata: { name: `${name}-metadata`, namespace },
        stringData: { password: metadataStore.password },
    }, parent);
    recordSecretKeys(`${name}-metadata`, "stringData", ["password"]);
    let authSecret: k8s.core.v1.Secret | undefined;
    let adminPassword: pulumi.Output<string> = pulumi.output("");
    if (plan.auth.enabled) {
        const generated = (purpose: string) => new random.RandomPassword(`${name}-${purpose}`, { length: 32, special: false }, parent).result;
        // Druid takes these passwords only when it creates its users: a later change is refused
        // (password-record.ts), and the Secret the pods read waits for that check.
        const checked = recordedPasswords(name, namespace, plan.auth.passwordGeneration, {
            adminPassword: plan.auth.adminPassword ?? generated("admin-password"),
            internalClientPassword: plan.auth.internalClientPassword ?? generated("internal-client-password"),
        }, parent);
        adminPassword = checked.adminPassword;
        // Generated for auth.oidc / auth.ldap: pac4j's cookie passphrase, the LDAP truststore's password.
        const modeValues: Record<string, pulumi.Output<string>> = {
            ...(plan.auth.oidc !== undefined ? { [authSecretKeys.oidcCookiePassphrase]: generated("oidc-cookie-passphrase") } : {}),
            ...(plan.auth.ldap?.ca !== undefined ? { [authSecretKeys.ldapTruststorePassword]: generated("ldap-truststore-password") } : {}),
        };
        authSecret = new k8s.core.v1.Secret(`${name}-auth`, {
            metadata: { name: `${name}-auth`, namespace },
            stringData: {
                "admin-password": checked.adminPassword,
                "internal-client-password": checked.internalClientPassword,
                ...modeValues,
            },
        }, parent);
        recordSecretKeys(`${name}-auth`, "stringData", ["admin-password", "internal-client-password", ...Object.keys(modeValues)]);
    }
    let s3Secret: k8s.core.v1.Secret | undefined;
    if (plan.deepStorage.accessMode === "staticKeys") {
        s3Secret = new k8s.core.v1.Secret(`${name}-s3`, {
            metadata: { name: `${name}-s3`, namespace },
            stringData: {
                "access-key-id": deepStorage.accessKeyId.apply((v) => v ?? ""),
                "secret-access-key": deepStorage.secretAccessKey.apply((v) => v ?? ""),
            },
        }, parent);
        recordSecretKeys(`${name}-s3`, "stringData", ["access-key-id", "secret-access-key"]);
    }
    const envFor = (svc: { kind: ServiceKind | "peon"; usesMetadataStore: boolean }): SecretEnv[] => {
        const env: SecretEnv[] = [];
        if (svc.usesMetadataStore) env.push({ name: secretEnv.metadataPassword, secretName: metadataSecret.metadata.name, key: "password" });
        if (authSecret !== undefined) {
            // Only the Coordinator creates the admin user; every service needs the escalator's password.
            if (svc.kind === "coordinator") env.push({ name: secretEnv.adminPassword, secretName: authSecret.metadata.name, key: "admin-password" });
            env.push({ name: secretEnv.internalClientPassword, secretName: authSecret.metadata.name, key: "internal-client-password" });
            env.push(...authModeEnv(plan.auth, svc.kind, authSecret.metadata.name));
        }
        if (plan.tls !== undefined) env.push({ name: secretEnv.tlsPassword, secretName: plan.tls.passwordSecretName, key: plan.tls.passwordKey });
        if (s3Secret !== undefined && svc.kind !== "router") {
            env.push({ name: secretEnv.s3AccessKey, secretName: s3Secret.metadata.name, key: "access-key-id" });
            env.push({ name: secretEnv.s3SecretKey, secretName: s3Secret.metadata.name, key: "secret-access-key" });
        }
        return env;
    };
    const internalClientEnv = authSecret !== undefined
        ? [{ name: secretEnv.internalClientPassword, secretName: authSecret.metadata.name, key: "internal-client-password" }] : [];
    return { envFor, internalClientEnv, adminPassword };
}

/**
 * The variables of auth.ldap and auth.oidc: the LDAP bind password (and truststore password) in every
 * Druid process and task pod (each runs the whole authenticator chain), the OIDC client secret and
 * cookie passphrase where pac4j runs. Each comes from a Secret; Druid reads it through its
 * environment password provider (config/auth-modes.ts).
 */
function authModeEnv(auth: ClusterPlan["auth"], kind: ServiceKind | "peon", authSecretName: pulumi.Input<string>): SecretEnv[] {
    const env: SecretEnv[] = [];
    if (auth.ldap !== undefined) {
        env.push({ name: secretEnv.ldapBindPassword, secretName: auth.ldap.bindPassword.name, key: auth.ldap.bindPassword.key });
        if (auth.ldap.ca !== undefined && kind !== "peon") {
            env.push({ name: secretEnv.ldapTruststorePassword, secretName: authSecretName, key: authSecretKeys.ldapTruststorePassword });
        }
    }
    if (auth.oidc !== undefined && kind !== "peon" && runsPac4j(kind, true)) {
        env.push({ name: secretEnv.oidcClientSecret, secretName: auth.oidc.clientSecret.name, key: auth.oidc.clientSecret.key });
        env.push({ name: secretEnv.oidcCookiePassphrase, secretName: authSecretName, key: authSecretKeys.oidcCookiePassphrase });
    }
    return env;
}
