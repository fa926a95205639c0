import { DruidClusterArgs } from "../args";
import { certManagerPkcs12Alias } from "./layout";
import { DruidArgumentError } from "../core/errors";
import { checkDnsSubdomain, checkOneOf, shapeOf } from "./validate";
import { checkInput } from "../core/validate-input";
import { checkConfigMapKey } from "./validate-objects";
import { MetadataTlsPlan, TlsPlan } from "./cluster-plan";

// The plan of TLS: Druid's own (cert-manager) and the metadata store's connection.

/** The metadata store's TLS verification (pgJDBC sslmode) and the CA bundle it needs. */
export function resolveMetadataTls(args: DruidClusterArgs): MetadataTlsPlan {
    const m = args.metadataStore;
    const sslMode = checkOneOf("metadataStore.sslMode", m.sslMode, "require", ["require", "verify-full"] as const);
    const c = m.caCertificate;
    if (sslMode === "require") {
        if (c !== undefined) {
            throw new DruidArgumentError("metadataStore.caCertificate", shapeOf(c),
                "only applies with metadataStore.sslMode \"verify-full\" (with \"require\" the driver accepts any certificate and would ignore it)");
        }
        return { sslMode };
    }
    const given = c === undefined ? [] : (["pem", "secretName", "configMapName"] as const).filter((k) => c[k] !== undefined);
    if (c === undefined || given.length !== 1) {
        throw new DruidArgumentError("metadataStore.caCertificate", c === undefined ? undefined : given.length === 0 ? "none of pem, secretName, configMapName" : given.join(" and "),
            "needs exactly one of pem (the PEM text), secretName or configMapName (an existing object holding it) with sslMode \"verify-full\": the driver checks the server's certificate against it");
    }
    const key = checkConfigMapKey("metadataStore.caCertificate.key", c.key ?? "ca.pem", "the CA certificate(s)");
    if (c.pem !== undefined) {
        const pem = checkInput(c.pem, (p) => {
            if (typeof p !== "string" || !/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(p)) {
                throw new DruidArgumentError("metadataStore.caCertificate.pem", typeof p === "string" ? `${p.slice(0, 30)}...` : p,
                    "must be PEM text with at least one \"-----BEGIN CERTIFICATE-----\" block (e.g. the RDS global-bundle.pem)");
            }
            return p;
        });
        return { sslMode, ca: { source: "pem", pem, key: "ca.pem" } };
    }
    if (c.secretName !== undefined) return { sslMode, ca: { source: "secret", name: checkDnsSubdomain("metadataStore.caCertificate.secretName", c.secretName), key } };
    return { sslMode, ca: { source: "configMap", name: checkDnsSubdomain("metadataStore.caCertificate.configMapName", c.configMapName!), key } };
}

export function resolveTls(name: string, args: DruidClusterArgs): TlsPlan | undefined {
    const t = args.tls;
    if (t === undefined) return undefined;
    if ((t.secretName === undefined) === (t.certManagerIssuer === undefined)) {
        throw new DruidArgumentError("tls", t.secretName === undefined ? "neither secretName nor certManagerIssuer" : "both secretName and certManagerIssuer",
            "needs exactly one of tls.secretName (an existing PKCS12 keystore Secret) or tls.certManagerIssuer (the component creates the Certificate)");
    }
    const key = (argument: "keystoreKey" | "truststoreKey" | "passwordKey", fallback: string, what: string): string => {
        return checkConfigMapKey(`tls.${argument}`, t[argument] ?? fallback, what);
    };
    const keystoreKey = key("keystoreKey", "keystore.p12", "the PKCS12 keystore");
    const truststoreKey = key("truststoreKey", "truststore.p12", "the PKCS12 truststore (Druid's clients verify every service's certificate with it)");
    const passwordKey = key("passwordKey", "password", "the keystore and truststore password");
    // Java's PKCS12 keystore lower-cases aliases (PKCS12KeyStore), and Jetty compares certAlias exactly.
    if (t.certAlias !== undefined && (typeof t.certAlias !== "string" || !/^[-._a-z0-9]{1,128}$/.test(t.certAlias))) {
        throw new DruidArgumentError("tls.certAlias", t.certAlias,
            "must be a keystore alias: 1-128 lower-case letters, digits, '.', '_' or '-' (Java lower-cases PKCS12 aliases, and Jetty compares them exactly)");
    }
    if (t.certManagerIssuer !== undefined) {
        checkDnsSubdomain("tls.certManagerIssuer", t.certManagerIssuer);
        return {
            secretName: `${name}-tls`, keystoreKey: "keystore.p12", truststoreKey: "truststore.p12", passwordSecretName: `${name}-tls-password`, passwordKey: "password",
            certAlias: t.certAlias ?? certManagerPkcs12Alias,
            certManager: { issuer: t.certManagerIssuer, kind: checkOneOf("tls.certManagerIssuerKind", t.certManagerIssuerKind, "Issuer", ["Issuer", "ClusterIssuer"] as const) },
        };
    }
    if (t.certManagerIssuerKind !== undefined) {
        throw new DruidArgumentError("tls.certManagerIssuerKind", t.certManagerIssuerKind, "only applies with tls.certManagerIssuer");
    }
    return { secretName: checkDnsSubdomain("tls.secretName", t.secretName!), keystoreKey, truststoreKey, passwordSecretName: t.secretName!, passwordKey, certAlias: t.certAlias };
}
