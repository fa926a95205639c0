import { MetricsEmitter } from "../args";
import { authChainProperties, AuthModes, ldapProperties } from "./auth-modes";
import { formatJvmBytes } from "../core/quantities";
import { PropertyMap } from "../core/properties";
import { coordinatorRetentionProperties, overlordRetentionProperties, RetentionConfig } from "./retention";
import { emissionPeriodSeconds } from "./monitoring";
import { ServiceKind, Tuning } from "../plan/tuning";
import { SegmentCachePlan, segmentCacheProperties } from "../plan/resolve-segment-cache";
import { plaintextPorts, tlsPorts, peonStartPort, druidServiceNames, druidPaths, queryShutdown, coordinatorPeriodSeconds, secretEnv, tlsMount, authName, metadataCaMount } from "../plan/layout";
export { plaintextPorts, tlsPorts, servicePort, peonStartPort, druidServiceNames, imageConfDirs, druidPaths, queryShutdown, coordinatorPeriodSeconds, defaultTerminationGraceSeconds, secretEnv, tlsMount, defaultExtensions, authName, certManagerPkcs12Alias, metadataCaMount } from "../plan/layout";

// Pure functions from plain values to the files Druid reads. Every property name written here is
// checked against Druid's documentation by tests/druid-config.test.ts.

/** Druid's environment-variable password provider (docs/operations/password-provider.md). */
export function environmentPassword(variable: string): string {
    return JSON.stringify({ type: "environment", variable });
}

/** Inputs of common.runtime.properties. */
export interface CommonConfigInput {
    extensions: string[];
    /** ZooKeeper connect string; undefined when `coordination` replaces ZooKeeper. */
    zkConnect?: string;
    /** Discovery without ZooKeeper and other mode-wide properties (config/kubernetes-native.ts). */
    coordination?: PropertyMap;
    bucket: string;
    /** Root prefix in the bucket. */
    prefix: string;
    metrics: MetricsEmitter;
    prometheusPort: number;
    auth: boolean;
    /** `auth.ldap` / `auth.oidc` (config/auth-modes.ts); none: the metadata-store authenticator alone. */
    authModes?: AuthModes;
    /** Serve on TLS ports only (simple-client-sslcontext for Druid's own clients). */
    tls: boolean;
    /** Key alias in the keystore (TLS only); undefined leaves the choice to Jetty. */
    certAlias?: string;
    /** Extra/overriding entries from the user. */
    overrides: PropertyMap;
}

/**
 * `common.runtime.properties`. It holds no endpoint of the metadata store (see
 * `metadataStoreProperties`): only the services that use the database get it, so the others do
 * not wait for the database to exist.
 */
export function commonRuntimeProperties(c: CommonConfigInput): PropertyMap {
    const p: PropertyMap = {
        "druid.extensions.loadList": JSON.stringify(c.extensions),
        "druid.startup.logging.logProperties": "true",
        ...(c.zkConnect !== undefined ? { "druid.zk.service.host": c.zkConnect, "druid.zk.paths.base": "/druid" } : {}),
        ...c.coordination,
        "druid.metadata.storage.type": "postgresql",
        "druid.storage.type": "s3",
        "druid.storage.bucket": c.bucket,
        "druid.storage.baseKey": `${c.prefix}/segments`,
        "druid.storage.disableAcl": "true",
        "druid.indexer.logs.type": "s3",
        "druid.indexer.logs.s3Bucket": c.bucket,
        "druid.indexer.logs.s3Prefix": `${c.prefix}/indexing-logs`,
        "druid.indexer.logs.disableAcl": "true",
        // Durable storage for multi-stage queries, so queries can read segments from deep storage.
        "druid.msq.intermediate.storage.enable": "true",
        "druid.msq.intermediate.storage.type": "s3",
        "druid.msq.intermediate.storage.bucket": c.bucket,
        "druid.msq.intermediate.storage.prefix": `${c.prefix}/msq-durable`,
        "druid.msq.intermediate.storage.tempDir": `${druidPaths.tmp}/msq`,
        "druid.selectors.indexing.serviceName": druidServiceNames.overlord,
        "druid.selectors.coordinator.serviceName": druidServiceNames.coordinator,
        "druid.request.logging.type": "noop",
        "druid.sql.enable": "true",
        "druid.monitoring.monitors": JSON.stringify(["org.apache.druid.java.util.metrics.JvmMonitor"]),
        // Druid's default, written out: the alerts turn per-period counts into values with it (monitoring.ts).
        "druid.monitoring.emissionPeriod": `PT${emissionPeriodSeconds}S`,
        "druid.server.hiddenProperties": JSON.stringify([
            "druid.s3.accessKey", "druid.s3.secretKey", "druid.metadata.storage.connector.password",
            "password", "key", "token", "pwd",
        ]),
        ...emitterProperties(c.metrics, c.prometheusPort),
        ...(c.auth ? authProperties(c.authModes) : {}),
        ...(c.tls ? tlsProperties(c.certAlias) : {}),
    };
    return { ...p, ...c.overrides };
}

function emitterProperties(metrics: MetricsEmitter, port: number): PropertyMap {
    switch (metrics) {
        case "prometheus":
            return {
                "druid.emitter": "prometheus",
                "druid.emitter.prometheus.strategy": "exporter",
                "druid.emitter.prometheus.port": String(port),
                "druid.emitter.prometheus.namespace": "druid",
                "druid.emitter.prometheus.addServiceAsLabel": "true",
            };
        case "logging":
            return { "druid.emitter": "logging", "druid.emitter.logging.logLevel": "info" };
        case "none":
            return { "druid.emitter": "noop" };
    }
}

/** druid-basic-security: metadata-store authenticator and authorizer, internal-client escalator. */
export function authProperties(modes: AuthModes = {}): PropertyMap {
    const a = `druid.auth.authenticator.${authName.authenticator}`;
    const z = `druid.auth.authorizer.${authName.authorizer}`;
    return {
        // The chain of a service without pac4j (historical); pac4j services override it (auth-modes.ts).
        ...authChainProperties("historical", modes),
        [`${a}.initialAdminPassword`]: environmentPassword(secretEnv.adminPassword),
        [`${a}.initialInternalClientPassword`]: environmentPassword(secretEnv.internalClientPassword),
        [`${a}.credentialsValidator.type`]: "metadata",
        ...(modes.ldap !== undefined ? ldapProperties(modes.ldap) : {}),
        [`${z}.type`]: "basic",
        "druid.escalator.type": "basic",
        "druid.escalator.internalClientUsername": authName.internalUser,
        "druid.escalator.internalClientPassword": environmentPassword(secretEnv.internalClientPassword),
        "druid.escalator.authorizerName": authName.authorizer,
        // Kubernetes probes call these without credentials.
        "druid.auth.unsecuredPaths": JSON.stringify(["/status/health", "/druid/historical/v1/readiness", "/druid/broker/v1/readiness"]),
    };
}

/**
 * TLS only (docs/operations/tls-support.md, simple-client-sslcontext): PKCS12 stores, password
 * from the environment. `certAlias` picks the key entry; without it Jetty uses the keystore's
 * only key.
 */
export function tlsProperties(certAlias?: string): PropertyMap {
    const password = environmentPassword(secretEnv.tlsPassword);
    return {
        "druid.enablePlaintextPort": "false",
        "druid.enableTlsPort": "true",
        "druid.server.https.keyStorePath": tlsMount.keystore,
        "druid.server.https.keyStoreType": "pkcs12",
        "druid.server.https.keyStorePassword": password,
        "druid.server.https.keyManagerPassword": password,
        ...(certAlias !== undefined ? { "druid.server.https.certAlias": certAlias } : {}),
        // The mounted Secret is updated when the certificate is renewed; reload it without a restart.
        "druid.server.https.reloadSslContext": "true",
        "druid.server.https.reloadSslContextSeconds": "300",
        "druid.client.https.protocol": "TLSv1.2",
        "druid.client.https.trustStorePath": tlsMount.truststore,
        "druid.client.https.trustStoreType": "pkcs12",
        "druid.client.https.trustStorePassword": password,
        "druid.client.https.validateHostnames": "true",
    };
}

/** Metadata-store connection: only in the files of services that use the database. */
export interface MetadataStoreInput {
    host: string;
    port: number;
    database: string;
    user: string;
    /** pgJDBC sslmode; default "require". */
    sslMode?: "require" | "verify-full";
}

/**
 * The JDBC URL. pgJDBC (pgjdbc/pgjdbc docs/content/documentation/security/ssl-tls.md, and the
 * connection parameters in docs/content/documentation/use.md): `sslmode=require` encrypts and
 * accepts any certificate; `verify-full` checks the chain against `sslrootcert` and the host name
 * against the certificate (PGjdbcHostnameVerifier). The file may hold several certificates, such as
 * the RDS bundle: pgjdbc/src/main/java/org/postgresql/ssl/LibPQFactory.java loads every one
 * (`CertificateFactory.generateCertificates`) into its trust store. tests/real/postgres.test.ts
 * connects with Debian's driver to a server whose certificate is signed by a CA the test makes. Druid's PostgreSQLConnector passes the URL to the driver as given (it adds driver
 * properties only with `druid.metadata.postgres.ssl.useSSL`, which the component does not set).
 */
export function metadataConnectUri(m: MetadataStoreInput): string {
    const ssl = m.sslMode === "verify-full" ? `sslmode=verify-full&sslrootcert=${metadataCaMount.path}` : "sslmode=require";
    return `jdbc:postgresql://${m.host}:${m.port}/${m.database}?${ssl}`;
}

export function metadataStoreProperties(m: MetadataStoreInput): PropertyMap {
    return {
        "druid.metadata.storage.connector.connectURI": metadataConnectUri(m),
        "druid.metadata.storage.connector.user": m.user,
        "druid.metadata.storage.connector.password": environmentPassword(secretEnv.metadataPassword),
    };
}

/** What a service's runtime.properties needs besides its tuning. */
export interface ServiceConfigInput {
    kind: ServiceKind;
    tuning: Tuning;
    /** Historical tier. */
    tier?: { name: string; priority: number };
    /** Historical: segment-cache loading at start (written only where it differs from Druid's defaults). */
    segmentCache?: SegmentCachePlan;
    /** A zone-local Broker: the Druid tier it prefers (plan/resolve-zone-brokers.ts). */
    preferredTier?: string;
    /** Coordinator runs the Overlord too. */
    combinedWithOverlord?: boolean;
    /** JVM flags for Peons (MiddleManager: `data.ingestion.peonJvmOptions`); a -Xmx/-Xms/MaxDirectMemorySize replaces the derived one. */
    peonJvmOptions?: string[];
    metrics: MetricsEmitter;
    prometheusPort: number;
    tls: boolean;
    /** What the Coordinator and the Overlord delete, and when (see retention.ts). */
    retention: RetentionConfig;
    /** The Overlord's task runner properties (config/kubernetes-native.ts `overlordRunnerProperties`). Default: httpRemote. */
    overlordRunner?: PropertyMap;
    /** `druid.monitoring.monitors` of this service (monitoring.ts `monitorsFor`); none keeps the common list. */
    monitors?: string[];
    overrides: PropertyMap;
}

/** Per-service `runtime.properties` (without the metadata store: see `metadataStoreProperties`). */
export function serviceRuntimeProperties(s: ServiceConfigInput): PropertyMap {
    const t = s.tuning;
    const p: PropertyMap = {
        "druid.service": druidServiceNames[s.kind],
        ...(s.tls ? { "druid.tlsPort": String(tlsPorts[s.kind]) } : { "druid.plaintextPort": String(plaintextPorts[s.kind]) }),
        "druid.server.http.numThreads": String(t.httpNumThreads),
    };
    if (s.monitors !== undefined) p["druid.monitoring.monitors"] = JSON.stringify(s.monitors);
    if (t.processing) {
        p["druid.processing.numThreads"] = String(t.processing.numThreads);
        p["druid.processing.numMergeBuffers"] = String(t.processing.numMergeBuffers);
        p["druid.processing.buffer.sizeBytes"] = String(t.processing.bufferSizeBytes);
        p["druid.processing.tmpDir"] = `${druidPaths.tmp}/processing`;
    }
    if (s.kind === "historical" || s.kind === "broker" || s.kind === "indexer") {
        p["druid.server.http.unannouncePropagationDelay"] = `PT${queryShutdown.unannounceSeconds}S`;
        p["druid.server.http.gracefulShutdownTimeout"] = `PT${queryShutdown.gracefulSeconds}S`;
    }
    if (s.kind === "middleManager" || s.kind === "indexer") {
        // Restorable tasks (streaming ingestion) stop gracefully on SIGTERM and resume from the task
        // directory, kept on the pod's volume, when the process comes back (docs/configuration/index.md).
        p["druid.indexer.task.restoreTasksOnRestart"] = "true";
    }
    switch (s.kind) {
        case "coordinator":
            p["druid.coordinator.startDelay"] = "PT10S";
            p["druid.coordinator.period"] = `PT${coordinatorPeriodSeconds}S`;
            Object.assign(p, coordinatorRetentionProperties(s.retention));
            if (s.combinedWithOverlord) {
                p["druid.coordinator.asOverlord.enabled"] = "true";
                p["druid.coordinator.asOverlord.overlordService"] = druidServiceNames.overlord;
                Object.assign(p, overlordProperties(s.retention, s.overlordRunner));
            }
            break;
        case "overlord":
            Object.assign(p, overlordProperties(s.retention, s.overlordRunner));
            break;
        case "broker":
            p["druid.broker.http.numConnections"] = String(t.brokerNumConnections);
            p["druid.broker.http.maxQueuedBytes"] = "10MiB";
            p["druid.sql.enable"] = "true";
            if (s.preferredTier !== undefined) {
                // PreferredTierSelectorStrategy (apache/druid#18136; plan/druid-versions.ts preferredTierSelector):
                // this tier's Historicals first, the other tiers' when it has too few. `priority` stays
                // its default, "highest" (PreferredTierSelectorStrategy's constructor: null → HighestPriorityTierSelectorStrategy).
                p["druid.broker.select.tier"] = "preferred";
                p["druid.broker.select.tier.preferred.tier"] = s.preferredTier;
            }
            break;
        case "router":
            p["druid.router.managementProxy.enabled"] = "true";
            p["druid.router.defaultBrokerServiceName"] = druidServiceNames.broker;
            // examples/conf/druid/cluster/query/router/runtime.properties: 100 proxy and server threads;
            // the pool into each Broker is split over the Routers (the Broker's threads count them).
            p["druid.router.http.numConnections"] = String(t.routerNumConnections);
            p["druid.router.http.numMaxThreads"] = String(t.routerNumMaxThreads);
            p["druid.router.http.readTimeout"] = "PT5M";
            break;
        case "historical":
            p["druid.server.tier"] = s.tier?.name ?? "_default_tier";
            p["druid.server.priority"] = String(s.tier?.priority ?? 0);
            p["druid.server.maxSize"] = String(t.segmentCacheBytes);
            p["druid.segmentCache.locations"] = JSON.stringify([{ path: druidPaths.segmentCache, maxSize: t.segmentCacheBytes }]);
            // Only what differs from Druid's defaults, so a tier without the options renders as before (no rollout).
            if (s.segmentCache?.lazyLoadOnStart === true) p[segmentCacheProperties.lazyLoadOnStart] = "true";
            if (s.segmentCache?.bootstrapThreads !== undefined) p[segmentCacheProperties.bootstrapThreads] = String(s.segmentCache.bootstrapThreads);
            if (t.cacheBytes !== undefined && t.cacheBytes > 0) {
                p["druid.historical.cache.useCache"] = "true";
                p["druid.historical.cache.populateCache"] = "true";
                p["druid.cache.type"] = "caffeine";
                p["druid.cache.sizeInBytes"] = String(t.cacheBytes);
            }
            break;
        case "middleManager": {
            const peon = t.peon!;
            p["druid.worker.capacity"] = String(t.workerCapacity);
            p["druid.indexer.task.baseTaskDir"] = druidPaths.taskDir;
            p["druid.indexer.runner.startPort"] = String(peonStartPort);
            p["druid.indexer.runner.javaOptsArray"] = JSON.stringify(jvmFlags(peon, s.peonJvmOptions ?? []));
            p["druid.indexer.fork.property.druid.processing.numThreads"] = String(peon.processing.numThreads);
            p["druid.indexer.fork.property.druid.processing.numMergeBuffers"] = String(peon.processing.numMergeBuffers);
            p["druid.indexer.fork.property.druid.processing.buffer.sizeBytes"] = String(peon.processing.bufferSizeBytes);
            p["druid.indexer.fork.property.druid.server.http.numThreads"] = String(peon.httpNumThreads);
            if (s.metrics === "prometheus") {
                // Peons inherit the MiddleManager's properties, so with the exporter strategy every Peon
                // would try to bind the MiddleManager's metrics port and fail to start. Druid documents
                // no per-Peon exporter port (only the pushgateway strategy), so Peons emit nothing.
                p["druid.indexer.fork.property.druid.emitter"] = "noop";
            }
            break;
        }
        case "indexer":
            p["druid.worker.capacity"] = String(t.workerCapacity);
            p["druid.indexer.task.baseTaskDir"] = druidPaths.taskDir;
            p["druid.worker.globalIngestionHeapLimitBytes"] = String(t.globalIngestionHeapLimitBytes);
            break;
    }
    return { ...p, ...s.overrides };
}

function overlordProperties(retention: RetentionConfig, runner: PropertyMap | undefined): PropertyMap {
    return {
        // Druid's default and recommended runner: workers over HTTP, not ZooKeeper (docs/configuration/index.md).
        "druid.indexer.runner.type": "httpRemote",
        ...runner,
        "druid.indexer.storage.type": "metadata",
        "druid.indexer.queue.startDelay": "PT5S",
        ...overlordRetentionProperties(retention),
    };
}

/** The flags every Druid JVM gets (the tuning guide's general recommendations). */
export const commonJvmFlags = [
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Duser.timezone=UTC",
    "-Dfile.encoding=UTF-8",
    `-Djava.io.tmpdir=${druidPaths.tmp}`,
    "-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager",
];

/** A JVM's flags: derived sizes (unless `extra` gives its own, which the sizing already counted), the common flags, then `extra`. */
function jvmFlags(t: { heapBytes: number; directBytes: number }, extra: string[]): string[] {
    const has = (prefix: string) => extra.some((f) => f.startsWith(prefix));
    const flags = ["-server"];
    if (!has("-Xms")) flags.push(`-Xms${formatJvmBytes(t.heapBytes)}`);
    if (!has("-Xmx")) flags.push(`-Xmx${formatJvmBytes(t.heapBytes)}`);
    if (!has("-XX:MaxDirectMemorySize")) flags.push(`-XX:MaxDirectMemorySize=${formatJvmBytes(t.directBytes)}`);
    return [...flags, ...commonJvmFlags, ...extra];
}

/** `jvm.config`: one flag per line; a -Xmx/-Xms/MaxDirectMemorySize in `extra` replaces the derived one. */
export function jvmConfig(t: Tuning, extra: string[]): string {
    return jvmFlags(t, extra).join("\n") + "\n";
}

/**
 * `log4j2.xml` for every Druid process: everything to the console (kubectl logs; Peons' output
 * is captured into their task logs by the MiddleManager). The image's own file logs to
 * /opt/druid/log, which a read-only root filesystem does not allow; the upstream
 * docker-compose setup (distribution/docker/environment, DRUID_LOG4J) logs to the console too.
 */
export function log4j2Xml(): string {
    return [
        '<?xml version="1.0" encoding="UTF-8" ?>',
        '<Configuration status="WARN">',
        "  <Appenders>",
        '    <Console name="Console" target="SYSTEM_OUT">',
        '      <PatternLayout pattern="%d{ISO8601} %p [%t] %c -%notEmpty{ [%markerSimpleName]} %m%n"/>',
        "    </Console>",
        "  </Appenders>",
        "  <Loggers>",
        '    <Root level="info">',
        '      <AppenderRef ref="Console"/>',
        "    </Root>",
        '    <Logger name="org.apache.druid.jetty.RequestLog" additivity="false" level="info">',
        '      <AppenderRef ref="Console"/>',
        "    </Logger>",
        "  </Loggers>",
        "</Configuration>",
        "",
    ].join("\n");
}
