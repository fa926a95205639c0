import { ServiceKind } from "./tuning";

// The layout of every pod the plan decides: ports, paths, mounts, environment-variable names and
// the extension names the plan loads. The plan validates against them and the generators and
// builders read them from here (config/druid-config.ts, config/kubernetes-native.ts and
// k8s/zookeeper.ts re-export them for their older importers).

/** Default plaintext ports (docs/configuration/index.md). */
export const plaintextPorts: Record<ServiceKind, number> = {
    coordinator: 8081, broker: 8082, historical: 8083, overlord: 8090, middleManager: 8091, indexer: 8091, router: 8888,
};

/** Default TLS ports (docs/configuration/index.md; the Indexer's is documented as 8283, the Historical's, so it uses the MiddleManager's 8291 it replaces). */
export const tlsPorts: Record<ServiceKind, number> = {
    coordinator: 8281, broker: 8282, historical: 8283, overlord: 8290, middleManager: 8291, indexer: 8291, router: 9088,
};

/** The port a service serves on: its TLS port when TLS is on (plaintext is then off). */
export function servicePort(kind: ServiceKind, tls: boolean): number {
    return tls ? tlsPorts[kind] : plaintextPorts[kind];
}

/** First Peon port (`druid.indexer.runner.startPort`). */
export const peonStartPort = 8100;

/** `druid.service` of each kind (Druid's defaults, which the Router and selectors refer to). */
export const druidServiceNames: Record<ServiceKind, string> = {
    coordinator: "druid/coordinator", overlord: "druid/overlord", broker: "druid/broker", router: "druid/router",
    historical: "druid/historical", middleManager: "druid/middlemanager", indexer: "druid/indexer",
};

/** Where the official image reads each service's files (distribution/docker/druid.sh, getClusterConfPath). */
export const imageConfDirs: Record<ServiceKind | "_common", string> = {
    _common: "/opt/druid/conf/druid/cluster/_common",
    historical: "/opt/druid/conf/druid/cluster/data/historical",
    middleManager: "/opt/druid/conf/druid/cluster/data/middleManager",
    indexer: "/opt/druid/conf/druid/cluster/data/indexer",
    coordinator: "/opt/druid/conf/druid/cluster/master/coordinator-overlord",
    overlord: "/opt/druid/conf/druid/cluster/master/coordinator-overlord",
    broker: "/opt/druid/conf/druid/cluster/query/broker",
    router: "/opt/druid/conf/druid/cluster/query/router",
};

/**
 * Paths inside the pods. The data volumes (segment cache, task directory) are mounted beside
 * `var`, never inside it: a volume mounted inside the `var` emptyDir makes the container runtime
 * create the missing parent (`var/druid`) as root 0755 (runc `createIfNotExists` →
 * `MkdirAll(…, 0755)`, libcontainer/rootfs_linux.go), and druid.sh's
 * `mkdir -p ${DRUID_DIRS_TO_CREATE}` (`var/druid/segments` …, under `set -e`) then fails for
 * uid 1000. tests/real/pod-filesystem.test.ts replays those writes on a real filesystem.
 */
export const druidPaths = {
    var: "/opt/druid/var",
    tmp: "/opt/druid/var/tmp",
    segmentCache: "/opt/druid/segment-cache",
    taskDir: "/opt/druid/task",
};

/**
 * How query-serving processes stop (docs/configuration/index.md, "Server configuration"): after
 * unannouncing, wait for Brokers/Routers to see it (`unannouncePropagationDelay`) before Jetty
 * stops taking queries, then let running queries finish (`gracefulShutdownTimeout`). The pod's
 * termination grace period covers both plus a margin.
 */
export const queryShutdown = { unannounceSeconds: 15, gracefulSeconds: 30, marginSeconds: 15 };

/** `druid.coordinator.period`: how often the Coordinator recomputes load status (its default is 60 s). */
export const coordinatorPeriodSeconds = 30;

/** Druid's JVM stop budget for processes without a drain (Coordinator, Overlord, Router). */
export const defaultTerminationGraceSeconds = 60;

/** Names of the environment variables that carry secrets (never `druid_*`: druid.sh turns those into properties). */
export const secretEnv = {
    metadataPassword: "DRUID_METADATA_PASSWORD",
    adminPassword: "DRUID_ADMIN_PASSWORD",
    internalClientPassword: "DRUID_INTERNAL_CLIENT_PASSWORD",
    s3AccessKey: "AWS_ACCESS_KEY_ID",
    s3SecretKey: "AWS_SECRET_ACCESS_KEY",
    tlsPassword: "DRUID_TLS_PASSWORD",
    ldapBindPassword: "DRUID_LDAP_BIND_PASSWORD",
    ldapTruststorePassword: "DRUID_LDAP_TRUSTSTORE_PASSWORD",
    oidcClientSecret: "DRUID_OIDC_CLIENT_SECRET",
    oidcCookiePassphrase: "DRUID_OIDC_COOKIE_PASSPHRASE",
};

/** Keys of the generated values the component adds to the `<name>-auth` Secret for `auth.oidc` / `auth.ldap`. */
export const authSecretKeys = { oidcCookiePassphrase: "oidc-cookie-passphrase", ldapTruststorePassword: "ldap-truststore-password" } as const;

/** Where the keystore and truststore are mounted. */
export const tlsMount = { dir: "/opt/druid/tls", keystore: "/opt/druid/tls/keystore.p12", truststore: "/opt/druid/tls/truststore.p12" };

/** Extensions always loaded (the multi-stage query engine too: see `msqExtensionFor`). */
export const defaultExtensions = [
    "druid-s3-extensions",
    "postgresql-metadata-storage",
    "druid-datasketches",
    "druid-kafka-indexing-service",
];

/**
 * Names of the authenticators and authorizers the component configures (plan/auth-chain.ts orders
 * them): the basic metadata-store pair (always), the LDAP pair (`auth.ldap`: type basic with the
 * ldap credentials validator, type basic with the ldap role provider) and the pac4j authenticator
 * (`auth.oidc`, authorized by the metadata-store authorizer: OIDC users are mapped to roles by name there).
 */
export const authName = {
    authenticator: "MetadataStoreAuthenticator", authorizer: "MetadataStoreAuthorizer", internalUser: "druid_system",
    ldapAuthenticator: "LdapAuthenticator", ldapAuthorizer: "LdapAuthorizer", oidcAuthenticator: "OidcAuthenticator",
};

/**
 * druid-pac4j's callback path, served by every process running the pac4j filter
 * (Pac4jCallbackResource.SELF_URL, matched in Pac4jFilter.doFilter): the provider redirects the
 * browser there, on the host it was sent from (Pac4jAuthenticator sets `DefaultUrlResolver(true)`).
 */
export const pac4jCallbackPath = "/druid-ext/druid-pac4j/callback";

/** Where the LDAP CA (PEM) is mounted read-only, and the PKCS12 truststore an init container makes of it (an emptyDir). */
export const ldapTrustMount = {
    caDir: "/opt/druid/ldap-ca", caFile: "ca.pem", caPath: "/opt/druid/ldap-ca/ca.pem",
    truststoreDir: "/opt/druid/ldap-truststore", truststorePath: "/opt/druid/ldap-truststore/truststore.p12",
    caVolume: "ldap-ca", truststoreVolume: "ldap-truststore", initContainer: "ldap-truststore",
} as const;

/**
 * Key alias of cert-manager's PKCS12 keystore. cert-manager encodes it with go-pkcs12 without a
 * friendlyName, and the JDK's PKCS12KeyStore names such an entry with its "unfriendly name"
 * counter, starting at "1" (cert-manager issues 3681 and 7066; its JKS keystore uses
 * "certificate" instead). tests/real/tls-keystore.test.ts checks it with a real handshake.
 */
export const certManagerPkcs12Alias = "1";

/** Where the metadata store's CA bundle is mounted in the Coordinator and Overlord pods (sslMode "verify-full"). */
export const metadataCaMount = { dir: "/opt/druid/metadata-ca", file: "ca.pem", path: "/opt/druid/metadata-ca/ca.pem" };

/** The extension of each mode (docs/configuration/extensions.md, core extensions). */
export const kubernetesExtensions = { discovery: "druid-kubernetes-extensions", jobs: "druid-kubernetes-overlord-extensions" } as const;

/**
 * Environment variables the discovery extension reads for its own pod's name and namespace
 * (K8sDiscoveryConfig defaults `podNameEnvKey` POD_NAME, `podNamespaceEnvKey` POD_NAMESPACE).
 */
export const podIdentityEnv = { name: "POD_NAME", namespace: "POD_NAMESPACE" } as const;

/**
 * Ports of a task pod. The Overlord reports a task's location as the pod IP with these fixed ports
 * (druid-kubernetes-overlord-extensions DruidK8sConstants.PORT = 8100, TLS_PORT = 8091), so the
 * Peon must listen on them.
 */
export const taskPodPorts = { plaintext: 8100, tls: 8091 } as const;

/** Where the Overlord reads the task pod template (a ConfigMap mounted as a directory, so edits reach it without a restart). */
export const taskTemplateMount = { dir: "/opt/druid/task-template", file: "base.yaml", path: "/opt/druid/task-template/base.yaml" } as const;

/** Name of the task pod's container: the Overlord reads task logs from the container named "main" (AbstractKubernetesPeonClient.getPeonLogs, `.inContainer("main")`). */
export const taskContainerName = "main";

/** Port of ZooKeeper's Prometheus metrics provider (zookeeperMonitor.md's example port). */
export const zooKeeperMetricsPort = 7000;

/**
 * ZooKeeper's Prometheus metrics provider class (apache/zookeeper
 * zookeeper-metrics-providers/zookeeper-prometheus-metrics/src/main/java/org/apache/zookeeper/metrics/prometheus/PrometheusMetricsProvider.java;
 * QuorumPeerConfig loads it with Class.forName, and a wrong name stops the server at start).
 */
export const zooKeeperPrometheusProvider = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider";

export const zkPorts = { client: 2181, quorum: 2888, election: 3888, admin: 8080 };

/** Environment variable of the access Job holding the password of the i-th basic account of `access.users` (from its secretKeyRef). */
export function accessPasswordEnv(i: number): string {
    return `DRUID_ACCESS_PASSWORD_${i}`;
}
