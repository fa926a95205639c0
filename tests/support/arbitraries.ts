import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { DruidClusterArgs } from "../../index";
import { argsSchema, ArgsSchema, SchemaProperty } from "../../components/plan/validate-shape";

// fast-check arbitraries over the whole DruidClusterArgs space.
//
// `validLookingArgs` draws every option of components/args.ts with values a user could plausibly
// give (realistic names, quantities, counts, property overrides with awkward text, every enum
// value, edge values such as the longest names), combined freely: many combinations still break a
// domain rule (auth off with a LoadBalancer, a Historical too small for its tier, ...), which is
// the point. `mutatedArgs` takes such arguments and breaks one position named by the package
// schema itself (every argument path of schema.json, so a new argument is mutated as soon as it
// exists) with a wrong type, a null, an out-of-range or non-finite number, a bad string, or adds
// an unknown key.

type Args = Record<string, unknown>;

/** Optional keys: each may be absent (never present as undefined, which is a different input). */
const some = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(model, { requiredKeys: [] });

const cpu = fc.oneof({ weight: 1, arbitrary: fc.constantFrom("250m", "500m", "1.5") }, { weight: 4, arbitrary: fc.constantFrom("1", "2", "4", "8", "16") });
const memory = fc.oneof({ weight: 1, arbitrary: fc.constantFrom("512Mi", "1Gi", "3G") }, { weight: 6, arbitrary: fc.constantFrom("4Gi", "8Gi", "16Gi", "32Gi", "64Gi", "122Gi") });
const resources = fc.record({ cpu, memory });
const volume = fc.constantFrom("1Gi", "10Gi", "50Gi", "100Gi", "500Gi", "2Ti");
// Storage classes are object names (DNS-1123 subdomains); a few are not.
const storageClass = fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom("gp3", "gp2", "io2-fast", "standard", "ebs.csi.aws.com-gp3") },
    { weight: 1, arbitrary: fc.constantFrom("ebs_sc", "GP3", "s".repeat(254), "") },
);
const dnsLabel = fc.constantFrom("druid", "analytics", "d", "monitoring", "kube-system", "a".repeat(63), "x-1");
const awkwardText = fc.oneof(
    fc.constantFrom("", " ", "true", "100MiB", "a=b:c", "#!", "C:\\druid\\var\\", "  lead", "trail  ", "ünï 日本 😀", "tab\there\nnl", "{\"a\":1}", "[object Object]"),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: "grapheme", maxLength: 6 }),
);
const propertyName = fc.constantFrom(
    "druid.server.http.numThreads", "druid.processing.numThreads", "druid.processing.numMergeBuffers", "druid.processing.buffer.sizeBytes",
    "druid.query.groupBy.maxOnDiskStorage", "druid.sql.enable", "druid.emitter.logging.logLevel", "druid.broker.http.numConnections",
    "druid.worker.capacity", "druid.segmentCache.locations", "custom.key", "x-y_z[0]",
);
const properties = fc.oneof(
    fc.dictionary(fc.constantFrom("druid.server.http.numThreads", "druid.processing.numThreads", "druid.processing.numMergeBuffers", "druid.broker.http.numConnections"),
        fc.constantFrom("1", "2", "8", "64"), { maxKeys: 2 }),
    fc.dictionary(fc.constantFrom("druid.processing.buffer.sizeBytes"), fc.constantFrom("100MiB", "500000000"), { maxKeys: 1 }),
    fc.dictionary(fc.constantFrom("druid.sql.enable"), fc.constantFrom("true", "false"), { maxKeys: 1 }),
    fc.dictionary(fc.constantFrom("druid.emitter.logging.logLevel"), fc.constantFrom("info", "debug"), { maxKeys: 1 }),
    // Keys Druid does not know take any text (written and read back as java.util.Properties does).
    fc.dictionary(fc.constantFrom("custom.key", "x-y_z[0]", "druid.query.default.context.priority"), awkwardText, { maxKeys: 3 }),
    // Mixed, with values that may not fit the key (the domain rules refuse those).
    fc.dictionary(propertyName, fc.oneof(fc.constantFrom("1", "8", "100MiB", "true", "info"), awkwardText), { maxKeys: 2 }),
);
const jvmOptions = fc.oneof(
    { weight: 45, arbitrary: fc.subarray(["-XX:+HeapDumpOnOutOfMemoryError", "-Duser.timezone=UTC", "-Dfile.encoding=UTF-8", "-XX:+UseG1GC", "-Dx=a"], { maxLength: 3 }) },
    { weight: 15, arbitrary: fc.subarray(["-Xmx1g", "-Xms512m", "-XX:MaxDirectMemorySize=1g"], { maxLength: 2 }) },
    // A value with a space is one argument in jvm.config's lines but not a single JVM option: refused.
    { weight: 3, arbitrary: fc.constant(["-Dx=a b"]) },
    // Characters druid.sh's `cat jvm.config | xargs` treats as quoting (refused), and legal ones a shell would not leave alone.
    { weight: 1, arbitrary: fc.constantFrom(["-Dq='x"], ['-Dq="x"'], ["-Dp=C:\\x"], ["-Dx=a$b*c?", "-Dy=#;|&"], ["-Dz=ünï"]) },
);
const labelMap = fc.dictionary(fc.constantFrom("pool", "team", "node.kubernetes.io/instance-type", "release"), fc.constantFrom("ingest", "query", "m5.2xlarge", "prometheus", ""), { maxKeys: 2 });
// Kubernetes takes a value only with "Equal", and a toleration without a key only with "Exists"
// (validateTolerations); a few cases break those rules.
const tolerationKey = fc.constantFrom("dedicated", "spot", "example.com/gpu");
const tolerationEffect = fc.constantFrom("NoSchedule", "PreferNoSchedule", "NoExecute");
const toleration = fc.oneof(
    { weight: 8, arbitrary: fc.record({ key: tolerationKey, operator: fc.constant("Equal"), value: fc.constantFrom("ingest", "true") }).chain((t) => some({ effect: tolerationEffect }).map((e) => ({ ...t, ...e }))) },
    { weight: 8, arbitrary: fc.record({ operator: fc.constant("Exists") }).chain((t) => some({ key: tolerationKey, effect: tolerationEffect }).map((e) => ({ ...t, ...e }))) },
    { weight: 1, arbitrary: some({ key: fc.constantFrom("dedicated"), operator: fc.constant("Exists"), value: fc.constant("true") }) },
);
const scheduling = some({ nodeSelector: labelMap, tolerations: fc.array(toleration, { maxLength: 2 }) });
const replicas = fc.constantFrom(1, 2, 3, 5);
// What a platform team adds to a service's pods (customisation): volumes of every allowed source,
// mounts, env, sidecars and init containers, with images and object names that may break their rules.
const image = fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom("fluent/fluent-bit:3.2.2", "busybox:1.37", "registry.example.com:5000/tools/shipper@sha256:" + "a".repeat(64)) },
    { weight: 1, arbitrary: fc.constantFrom("busybox:", "Busybox:1.37", "a b", "") },
);
const objectName = fc.oneof({ weight: 20, arbitrary: fc.constantFrom("app-config", "certs.example", "c") }, { weight: 1, arbitrary: fc.constantFrom("My_Conf", "x".repeat(254), "") });
const objectKey = fc.oneof({ weight: 20, arbitrary: fc.constantFrom("ca.pem", "config.yaml", "K_1") }, { weight: 1, arbitrary: fc.constantFrom(".", "..", "a/b", "k".repeat(254)) });
const userVolume = fc.oneof(
    fc.record({ name: fc.constant("extra"), emptyDir: fc.constant({}) }),
    fc.record({ name: fc.constant("conf"), configMap: some({ items: fc.array(fc.record({ key: objectKey, path: fc.constant("f") }), { maxLength: 1 }) }).chain((c) => objectName.map((n) => ({ name: n, ...c }))) }),
    fc.record({ name: fc.constant("certs"), secret: objectName.map((secretName) => ({ secretName })) }),
    fc.record({ name: fc.constant("shared"), persistentVolumeClaim: objectName.map((claimName) => ({ claimName })) }),
);
const podExtras = some({
    volumes: fc.uniqueArray(userVolume, { maxLength: 2, selector: (v) => v.name }),
    env: fc.array(fc.record({ name: fc.constantFrom("TZ", "EXTRA_OPTS"), value: fc.constantFrom("UTC", "x y") }), { maxLength: 1 }),
    sidecars: fc.array(fc.record({ name: fc.constant("shipper"), image }).chain((c) => some({ args: fc.constant(["-c", "/fluent-bit/etc/fluent-bit.conf"]), ports: fc.constant([{ containerPort: 2020, name: "http" }]) }).map((x) => ({ ...c, ...x }))), { maxLength: 1 }),
    initContainers: fc.array(fc.record({ name: fc.constant("wait"), image, command: fc.constant(["sh", "-c", "true"]) }), { maxLength: 1 }),
}).map((e) => {
    // Mount the first user volume (when any) in the Druid container, away from the component's paths.
    const first = (e.volumes as { name: string }[] | undefined)?.[0];
    return first === undefined ? e : { ...e, volumeMounts: [{ name: first.name, mountPath: "/mnt/extra" }] };
});
const service = fc.tuple(some({ replicas, resources, properties, jvmOptions, scheduling }), fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: podExtras }))
    .map(([s, e]) => ({ ...s, ...e }));
const autoscaling = fc.record({ minReplicas: fc.constantFrom(2, 3), maxReplicas: fc.constantFrom(3, 6, 10) }).chain((a) =>
    some({ targetCpuUtilizationPercent: fc.constantFrom(50, 70, 90) }).map((t) => ({ ...a, ...t })));
const annotations = fc.dictionary(fc.constantFrom("service.beta.kubernetes.io/aws-load-balancer-internal", "example.com/owner", "alb.ingress.kubernetes.io/scheme"),
    fc.constantFrom("true", "team-a", "internal"), { maxKeys: 2 });

const deepStorage = fc.oneof(
    some({
        oidcProviderArn: fc.constant("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"),
        oidcProviderUrl: fc.constantFrom("https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"),
    }).map((d) => ({ oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", ...d })),
    fc.constant({ accessMode: "podIdentity", eksClusterName: "acme" }),
    fc.constant({ accessMode: "staticKeys" }),
).chain((access) => fc.oneof(
    some({ existingBucketName: fc.constantFrom("acme-druid", "a.b-c", "x".repeat(63)), kmsKeyArn: fc.constant("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab") }),
    some({
        versioning: fc.boolean(), noncurrentVersionExpirationDays: fc.constantFrom(0, 1, 30, 3650), forceDestroy: fc.boolean(), retainOnDelete: fc.boolean(),
        kmsKeyArn: fc.constant("arn:aws:kms:eu-west-1:123456789012:alias/druid"),
    }),
).chain((bucket) => some({
    prefix: fc.constantFrom("druid", "prod/druid", "a", "x".repeat(100)),
    region: fc.constantFrom("eu-west-1", "us-east-1"),
    taskLogRetentionDays: fc.constantFrom(0, 1, 30, 3650),
    killUnusedSegments: fc.oneof(
        fc.constant({ enabled: false }),
        fc.record({ enabled: fc.constant(true), durationToRetainDays: fc.constantFrom(0, 90, 36500) }).chain((k) =>
            some({ bufferPeriodDays: fc.constantFrom(1, 30), maxSegments: fc.constantFrom(1, 100, 100000) }).map((x) => ({ ...k, ...x }))),
    ),
}).map((rest) => ({ ...access, ...bucket, ...rest }))));

const pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUXr2vLq\n-----END CERTIFICATE-----\n";
const metadataTls = fc.oneof(
    fc.constant({}),
    fc.constant({ sslMode: "require" }),
    fc.constantFrom({ pem }, { secretName: "rds-ca" }, { configMapName: "rds-ca", key: "global-bundle.pem" }).map((caCertificate) => ({ sslMode: "verify-full", caCertificate })),
);
const metadataStore = fc.oneof(
    some({
        port: fc.constantFrom(5432, 6432, 65535), database: fc.constantFrom("druid", "Druid_2"), user: fc.constantFrom("druid", "svc_druid"),
    }).map((e) => ({ existing: { host: "postgres.example.com", password: "s3cret", ...e } })),
    some({
        allowedCidrBlocks: fc.subarray(["10.0.0.0/16", "192.168.1.0/24", "10.1.2.3/32"], { minLength: 1 }),
        engineVersion: fc.constantFrom("16", "17", "17.4"),
        instanceClass: fc.constantFrom("db.t4g.medium", "db.m7g.large", "db.r7g.2xlarge"),
        allocatedStorageGb: fc.constantFrom(20, 50, 1000),
        maxAllocatedStorageGb: fc.constantFrom(200, 2000, 65536),
        multiAz: fc.boolean(),
        backupRetentionDays: fc.constantFrom(1, 7, 35),
        deletionProtection: fc.boolean(),
        skipFinalSnapshot: fc.boolean(),
        databaseName: fc.constantFrom("druid", "metadata"),
        username: fc.constantFrom("druid", "druid_admin"),
        retainOnDelete: fc.boolean(),
    }).map((r) => ({ vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0nodes"], ...r })),
).chain((m) => fc.tuple(metadataTls, some({ recordRetentionDays: fc.constantFrom(0, 90, 36500) })).map(([t, r]) => ({ ...m, ...t, ...r })));

const zookeeper = fc.oneof(
    fc.constant({ externalConnectString: "zk-0.zk:2181,zk-1.zk:2181/druid" }),
    some({ replicas: fc.constantFrom(1, 3, 5, 7), image: fc.constantFrom("zookeeper:3.8.6", "zookeeper:3.9"), resources, volumeSize: volume, storageClass, scheduling }),
);

const tier = fc.record({ name: fc.constantFrom("default", "hot", "cold", "t1", "a".repeat(30)), volumeSize: volume }).chain((t) => some({
    replicas: fc.constantFrom(1, 2, 3), resources, storageClass, druidTier: fc.constantFrom("_default_tier", "hot", "Tier_2"),
    priority: fc.constantFrom(-1000, 0, 10, 1000), properties, jvmOptions, scheduling,
}).map((x) => ({ ...t, ...x })));
const ingestion = fc.oneof(
    some({
        worker: fc.constantFrom("middleManager", "indexer"), replicas: fc.constantFrom(1, 2, 4), resources, workerCapacity: fc.constantFrom(1, 2, 4, 8),
        volumeSize: volume, storageClass, properties, jvmOptions, scheduling, drainTimeoutSeconds: fc.constantFrom(0, 60, 900, 86400),
    }),
    fc.subarray(["-Xmx1g", "-XX:MaxDirectMemorySize=512m", "-XX:+UseG1GC"], { maxLength: 2 }).map((peonJvmOptions) => ({ worker: "middleManager", peonJvmOptions })),
    some({ taskResources: resources, taskCapacity: fc.constantFrom(1, 4, 1000), taskStorageSize: volume, properties, jvmOptions, scheduling })
        .map((k) => ({ worker: "kubernetesJobs", ...k })),
);
const data = some({
    historicalTiers: fc.uniqueArray(tier, { minLength: 1, maxLength: 3, selector: (t) => t.name }),
    historicalStorage: fc.constantFrom("persistent", "ephemeral"),
    historicalCacheSize: fc.constantFrom("256Mi", "1Gi"),
    ingestion,
});

const tls = fc.oneof(
    some({ certManagerIssuerKind: fc.constantFrom("Issuer", "ClusterIssuer"), certAlias: fc.constantFrom("1", "druid") }).map((t) => ({ certManagerIssuer: "druid-ca", ...t })),
    some({ keystoreKey: fc.oneof({ weight: 10, arbitrary: fc.constantFrom("keystore.p12", "ks", "KS_1.p12") }, { weight: 1, arbitrary: fc.constantFrom(".", "..", "k".repeat(254)) }), truststoreKey: fc.constant("truststore.p12"), passwordKey: fc.constant("password"), certAlias: fc.constant("druid") })
        .map((t) => ({ secretName: "druid-tls", ...t })),
);
const metrics = some({
    emitter: fc.constantFrom("prometheus", "logging", "none"),
    prometheusPort: fc.constantFrom(1024, 9000, 65535, 8081),
    serviceMonitor: fc.boolean(),
    alerts: fc.boolean(),
    dashboards: fc.boolean(),
    ruleLabels: labelMap,
}).chain((m) => (m.alerts === true
    ? some({
        serviceDownMinutes: fc.constantFrom(1, 5, 1440), failedTasksPerHour: fc.constantFrom(1, 100000), queryFailureRatio: fc.constantFrom(0.01, 1),
        queryP95Seconds: fc.constantFrom(0.5, 10, 300), heapUsedRatio: fc.constantFrom(0.9, 1), directMemoryHeadroomRatio: fc.constantFrom(0.5, 0.9),
    }).map((alertThresholds) => ({ ...m, alertThresholds }))
    : fc.constant(m)));

const rule = fc.oneof(
    fc.record({ type: fc.constant("loadForever"), tieredReplicants: fc.dictionary(fc.constantFrom("_default_tier", "hot", "cold"), fc.constantFrom(0, 1, 2), { maxKeys: 2 }) }),
    fc.record({ type: fc.constant("loadByPeriod"), period: fc.constantFrom("P7D", "P1M", "PT6H"), tieredReplicants: fc.constant({ _default_tier: 1 }) }).chain((r) =>
        some({ includeFuture: fc.boolean() }).map((x) => ({ ...r, ...x }))),
    fc.record({ type: fc.constantFrom("dropByInterval", "loadByInterval", "broadcastByInterval"), interval: fc.constantFrom("2024-01-01/2025-01-01", "2020-01-01T00:00:00Z/P1Y") })
        .map((r) => (r.type === "loadByInterval" ? { ...r, tieredReplicants: { _default_tier: 1 } } : r)),
    fc.record({ type: fc.constantFrom("dropForever", "broadcastForever") }),
    fc.record({ type: fc.constantFrom("dropByPeriod", "dropBeforeByPeriod", "broadcastByPeriod"), period: fc.constantFrom("P30D", "P1Y") }),
);
const compaction = some({
    skipOffsetFromLatest: fc.constantFrom("P1D", "PT1H"), taskPriority: fc.constantFrom(0, 25, 100), inputSegmentSizeBytes: fc.constantFrom(1, 100_000_000_000_000),
    segmentGranularity: fc.constantFrom("HOUR", "DAY", "MONTH"), maxRowsPerSegment: fc.constantFrom(1, 5_000_000),
    spec: fc.constantFrom("{}", JSON.stringify({ tuningConfig: { maxNumConcurrentSubTasks: 2 } }), JSON.stringify({ taskContext: { priority: 10 } })),
});
const dataManagement = some({
    defaultRules: fc.array(rule, { maxLength: 3 }),
    rules: fc.dictionary(fc.constantFrom("wikipedia", "events", "Metrics-2"), fc.array(rule, { maxLength: 2 }), { maxKeys: 2 }),
    compaction: fc.dictionary(fc.constantFrom("wikipedia", "events"), compaction, { maxKeys: 2 }),
    coordinatorDynamicConfig: some({
        smartSegmentLoading: fc.boolean(), maxSegmentsToMove: fc.constantFrom(0, 100), replicationThrottleLimit: fc.constantFrom(1, 500),
        killDataSourceWhitelist: fc.subarray(["wikipedia", "events"]), pauseCoordination: fc.boolean(), extra: fc.constantFrom("{}", JSON.stringify({ maxKillTaskSlots: 2 })),
    }),
    workerSelectStrategy: fc.constantFrom(JSON.stringify({ type: "fillCapacity" }), JSON.stringify({ type: "equalDistribution" })),
    applyTimeoutSeconds: fc.constantFrom(60, 600, 3600),
});

/** Resource names: the default, short, the longest allowed. */
// Up to 33 characters the default tier's StatefulSet name fits its 52; the 40-character name is refused.
export const clusterName = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom("druid", "d", "analytics-prod", `druid-${"x".repeat(27)}`) },
    { weight: 1, arbitrary: fc.constant(`druid-${"x".repeat(34)}`) },
);

const lookingArgs: fc.Arbitrary<Args> = fc.tuple(
    fc.record({ deepStorage, metadataStore }),
    some({
        druidVersion: fc.constantFrom("37.0.0", "36.0.0", "35.0.0", "37.0.1"),
        image: fc.constantFrom("apache/druid", "registry.example.com/druid/druid"),
        namespace: dnsLabel,
        createNamespace: fc.boolean(),
        extraExtensions: fc.subarray(["druid-parquet-extensions", "druid-avro-extensions", "druid-histogram", "druid-kinesis-indexing-service", "druid-stats"], { maxLength: 3 }),
        commonProperties: properties,
        coordination: fc.constantFrom("zookeeper", "kubernetes"),
        zookeeper,
        master: some({ combined: fc.boolean(), coordinator: service, overlord: service }),
        query: some({
            broker: fc.oneof(service, fc.tuple(service, autoscaling).map(([s, a]) => { const rest: Record<string, unknown> = { ...s }; delete rest.replicas; return { ...rest, autoscaling: a }; })),
            router: fc.tuple(service, some({ serviceType: fc.constantFrom("ClusterIP", "NodePort", "LoadBalancer"), serviceAnnotations: annotations,
                ingress: fc.record({ host: fc.constantFrom("druid.example.com", "*.example.com") }).chain((i) => some({ className: fc.constantFrom("alb", "nginx"), tlsSecretName: fc.constant("druid-ingress-tls"), annotations }).map((x) => ({ ...i, ...x }))),
            })).map(([s, r]) => ({ ...s, ...r })),
        }),
        data,
        auth: some({ enabled: fc.boolean(), adminPassword: fc.constantFrom("admin-pass", "p@ss word=1"), internalClientPassword: fc.constant("internal-pass"), passwordGeneration: fc.constantFrom(0, 1, 10000) }),
        tls,
        networkPolicies: some({
            enabled: fc.boolean(), routerAllowedNamespaces: fc.subarray(["monitoring", "ingress-nginx", "a".repeat(63)]),
            routerAllowedCidrs: fc.subarray(["10.0.0.0/8", "172.16.5.0/24"]), brokerDirectAccess: fc.boolean(),
        }),
        metrics,
        serviceAccountName: fc.constantFrom("druid", "druid-sa", "a".repeat(63)),
        volumeRetention: fc.constantFrom("Retain", "Delete"),
        highAvailability: fc.boolean(),
        protectStorage: fc.boolean(),
        dataManagement,
        kubernetes: some({
            labels: labelMap,
            annotations,
            imagePullSecrets: fc.subarray(["regcred", "ecr-pull"]),
            priorityClassName: fc.constantFrom("druid-high", "system-cluster-critical"),
        }),
        tags: fc.dictionary(fc.constantFrom("team", "cost-centre", "env"), fc.constantFrom("data", "cc-42", "prod"), { maxKeys: 2 }),
    }),
).map(([required, optional]) => ({ ...required, ...optional }));
/**
 * Most of the time, make the drawn options agree with the documented combination rules (ZooKeeper
 * settings only with coordination "zookeeper", alerts and dashboards only with the Prometheus
 * emitter, no Overlord when combined, exposure only with auth, the high-availability minimums), so
 * that most cases get past them and render; the rest keep the clash, to exercise those rules.
 */
function agree(a: Args): Args {
    const o = structuredClone(a);
    const obj = (v: unknown) => v as Record<string, unknown> | undefined;
    if (o.coordination === "kubernetes") {
        delete o.zookeeper;
        // MiddleManagers are refused with Kubernetes discovery: run Indexers instead.
        const ingestion = (o.data as Record<string, Record<string, unknown>> | undefined)?.ingestion;
        if (ingestion !== undefined && (ingestion.worker ?? "middleManager") === "middleManager") {
            ingestion.worker = "indexer"; delete ingestion.peonJvmOptions;
        } else if (ingestion === undefined) {
            o.data = { ...(o.data as Record<string, unknown> | undefined), ingestion: { worker: "indexer" } };
        }
        // Leader-election timing only exists in this mode: a valid one now and then (bad ones are bad-input rows).
        if (o.highAvailability !== true && o.namespace !== undefined) o.leaderElection = { leaseDurationSeconds: 30, renewDeadlineSeconds: 20, retryPeriodSeconds: 4 };
    } else {
        delete o.leaderElection;
    }
    const metrics = obj(o.metrics);
    if (metrics !== undefined && metrics.emitter !== undefined && metrics.emitter !== "prometheus") {
        delete metrics.alerts; delete metrics.dashboards; delete metrics.alertThresholds;
    }
    const master = obj(o.master);
    if (master?.combined === true) delete master.overlord;
    const router = obj(obj(o.query)?.router);
    if (obj(o.auth)?.enabled === false && router !== undefined) { delete router.ingress; delete router.serviceType; }
    if (o.highAvailability === true) {
        const m = obj(o.metadataStore)!;
        delete m.multiAz; delete m.instanceClass;
        for (const svc of [obj(master?.coordinator), obj(master?.overlord), obj(obj(o.query)?.broker), router]) {
            if (svc !== undefined && typeof svc.replicas === "number" && svc.replicas < 2) svc.replicas = 2;
        }
        const zk = obj(o.zookeeper);
        if (zk !== undefined && typeof zk.replicas === "number" && zk.replicas < 5) zk.replicas = 5;
    }
    const dm = obj(o.dataManagement);
    const dyn = obj(dm?.coordinatorDynamicConfig);
    if (dyn !== undefined && (dyn.maxSegmentsToMove !== undefined || dyn.replicationThrottleLimit !== undefined)) dyn.smartSegmentLoading = false;
    // A kill whitelist only with kills on; a worker select strategy only with MiddleManagers or Indexers.
    const killsOn = (obj(obj(o.deepStorage)?.killUnusedSegments) as { enabled?: unknown } | undefined)?.enabled === true;
    if (dyn !== undefined && !killsOn) delete dyn.killDataSourceWhitelist;
    const taskJobs = (obj(obj(o.data)?.ingestion) as { worker?: unknown } | undefined)?.worker === "kubernetesJobs";
    if (dm !== undefined && taskJobs) delete dm.workerSelectStrategy;
    // Task Jobs are refused with TLS (components/plan/validate-task-jobs-tls.ts).
    if (taskJobs) delete o.tls;
    const rds = obj(o.metadataStore)!;
    if (typeof rds.allocatedStorageGb === "number" && typeof rds.maxAllocatedStorageGb === "number" && rds.maxAllocatedStorageGb < rds.allocatedStorageGb) delete rds.maxAllocatedStorageGb;
    const data = obj(o.data);
    const tiers = data?.historicalTiers as Record<string, unknown>[] | undefined;
    if (data !== undefined && tiers !== undefined && !tiers.some((t) => t.name === "default" && t.druidTier === undefined)) {
        const first: Record<string, unknown> = { ...(tiers.find((t) => t.name === "default") ?? tiers[0]), name: "default" };
        delete first.druidTier;
        data.historicalTiers = [first, ...tiers.filter((t) => t.name !== "default" && t !== tiers[0])];
    }
    if (dm !== undefined) {
        // Rules name only the tiers that exist.
        const names = new Set(((data?.historicalTiers ?? [{ name: "default" }]) as { name?: unknown; druidTier?: unknown }[]).map((t) => String(t.druidTier ?? (t.name === "default" ? "_default_tier" : t.name))));
        const fix = (rules: unknown) => {
            for (const r of (rules ?? []) as Record<string, Record<string, number> | undefined>[]) {
                for (const k of Object.keys(r.tieredReplicants ?? {})) if (!names.has(k)) delete r.tieredReplicants![k];
            }
        };
        fix(dm.defaultRules);
        for (const rules of Object.values(obj(dm.rules) ?? {})) fix(rules);
    }
    return o;
}

/**
 * Where schema.json says a field takes another resource's output (a property not `plain`), the
 * value as an Output that resolves to it, or as an unknown Output (what a preview has for a value
 * another resource computes), or a Promise; `choices` says which, leaf by leaf, deterministically.
 */
export function deferInputs(args: Args, choices: number[], schema: ArgsSchema = argsSchema()): Args {
    let n = 0;
    const pick = (v: unknown): unknown => {
        const c = choices.length === 0 ? 9 : choices[n++ % choices.length];
        if (c === 0) return pulumi.output(v);
        if (c === 1) return pulumi.output(pulumi.unknown);
        if (c === 2) return Promise.resolve(v);
        return v;
    };
    const leaf = (v: unknown) => typeof v === "string" || typeof v === "number";
    const walk = (value: unknown, prop: SchemaProperty | undefined): unknown => {
        if (prop === undefined || value === null || value === undefined) return value;
        if (leaf(value)) return prop.plain !== true && (prop.type === "string" || prop.type === "integer" || prop.type === "number") ? pick(value) : value;
        if (Array.isArray(value)) return prop.items === undefined ? value : value.map((v) => walk(v, prop.items));
        if (typeof value !== "object") return value;
        if (prop.$ref !== undefined) {
            const props = schema.types[prop.$ref.replace(/^#\/types\//, "")]?.properties ?? {};
            return Object.fromEntries(Object.entries(value as Args).map(([k, v]) => [k, walk(v, props[k])]));
        }
        if (prop.additionalProperties !== undefined) return Object.fromEntries(Object.entries(value as Args).map(([k, v]) => [k, walk(v, prop.additionalProperties)]));
        return value;
    };
    return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, walk(v, schema.inputProperties[k])]));
}

/** Valid-looking arguments, all plain values (what the mutations break: they copy with structuredClone). */
const plainLookingArgs = fc.tuple(lookingArgs, fc.integer({ min: 0, max: 4 })).map(([a, n]) => (n === 0 ? a : agree(a)));

/** Every option of DruidClusterArgs, with values a user could plausibly give, freely combined; now and then some Inputs as (unknown) Outputs. */
export const validLookingArgs = fc.tuple(lookingArgs, fc.integer({ min: 0, max: 4 }), fc.oneof({ weight: 4, arbitrary: fc.constant([] as number[]) }, { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 8 }) }))
    .map(([a, n, choices]) => deferInputs(n === 0 ? a : agree(a), choices)) as unknown as fc.Arbitrary<DruidClusterArgs>;

/** One step into the arguments: a property name, a list index or a map key. */
export type Step = { key: string } | { index: number } | { mapKey: string };

/** Every argument path of the schema (objects, lists' first entries, maps' entries), to a depth that covers every type. */
export function schemaPaths(schema: ArgsSchema = argsSchema()): Step[][] {
    const out: Step[][] = [];
    type Prop = ArgsSchema["inputProperties"][string];
    const visit = (prefix: Step[], prop: Prop, seen: string[]) => {
        out.push(prefix);
        if (prop.$ref !== undefined) {
            const ref = prop.$ref.replace(/^#\/types\//, "");
            const t = schema.types[ref];
            if (t?.properties === undefined || seen.includes(ref)) return;
            for (const [k, p] of Object.entries(t.properties)) visit([...prefix, { key: k }], p, [...seen, ref]);
        } else if (prop.type === "array" && prop.items !== undefined) {
            visit([...prefix, { index: 0 }], prop.items, seen);
        } else if (prop.type === "object" && prop.additionalProperties !== undefined) {
            visit([...prefix, { mapKey: "k" }], prop.additionalProperties, seen);
        }
    };
    for (const [k, p] of Object.entries(schema.inputProperties)) visit([{ key: k }], p, []);
    return out;
}

/** A value of the wrong type or out of any sensible range. */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(null, undefined, NaN, Infinity, -Infinity, 1e308, -1, 0, 1.5, 2 ** 53, -0, "", " ", "x".repeat(300), "[object Object]", "undefined", "NaN",
        true, false, {}, [], [null], [undefined], [{}], ["zk:2181"], { k: null }, { k: {} }, "0", "1", "-1", "Infinity", "1e308", "a\nb", "ä", "../..", "UPPER", "with space"),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 20 }),
);

/** Sets `value` at `path` in a copy of `args`, creating the objects, lists and maps on the way. */
export function setAt(args: Args, path: Step[], value: unknown): Args {
    const root: Args = structuredClone(args);
    let node: Record<string | number, unknown> = root;
    path.forEach((step, i) => {
        const last = i === path.length - 1;
        const key: string | number = "key" in step ? step.key : "index" in step ? step.index : step.mapKey;
        if (last) {
            // defineProperty: an own key even for "__proto__".
            Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
            return;
        }
        const next = path[i + 1];
        const wantsList = "index" in next;
        const current = node[key];
        const fits = wantsList ? Array.isArray(current) : current !== null && typeof current === "object" && !Array.isArray(current);
        if (!fits) node[key] = wantsList ? [] : {};
        node = node[key] as Record<string | number, unknown>;
    });
    return root;
}

/** The path as an argument path (`query.router.jvmOptions[0]`), for titles and statistics. */
export function pathText(path: Step[]): string {
    return path.map((s, i) => ("key" in s ? `${i === 0 ? "" : "."}${s.key}` : "index" in s ? `[${s.index}]` : `[${JSON.stringify(s.mapKey)}]`)).join("");
}

/** Valid-looking arguments with one position broken, or one unknown key added. */
export function mutatedArgs(schema: ArgsSchema = argsSchema()): fc.Arbitrary<DruidClusterArgs> {
    const paths = schemaPaths(schema);
    const unknownKey = fc.constantFrom("replica", "vpc_id", "Namespace", "extra", "__proto__", "constructor", "toString");
    return fc.oneof(
        { weight: 4, arbitrary: fc.tuple(plainLookingArgs, fc.constantFrom(...paths), badValue).map(([a, p, v]) => setAt(a, p, v) as unknown as DruidClusterArgs) },
        {
            // An unknown key beside any property (its parent object: the arguments or one of their objects).
            weight: 1, arbitrary: fc.tuple(plainLookingArgs, fc.constantFrom(...paths.filter((p) => "key" in p[p.length - 1])), unknownKey, badValue)
                .map(([a, p, k, v]) => setAt(a, [...p.slice(0, -1), { key: k }], v) as unknown as DruidClusterArgs),
        },
    );
}

/** The whole space: valid-looking arguments and their mutations, half and half. */
export function anyArgs(schema: ArgsSchema = argsSchema()): fc.Arbitrary<DruidClusterArgs> {
    return fc.oneof(validLookingArgs, mutatedArgs(schema));
}
