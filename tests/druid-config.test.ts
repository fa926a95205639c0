import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import {
    authProperties, commonRuntimeProperties, jvmConfig, metadataStoreProperties, serviceRuntimeProperties,
} from "../components/config/druid-config";
import { msqExtensionFor } from "../components/plan/extensions";
import { GiB, MiB } from "../components/core/quantities";
import { brokerConnections, dataServerHttpThreads, directMemoryFor, tuneService } from "../components/plan/tuning";
import { resolveCluster } from "../components/plan/resolve";
import { defaultArgs } from "./fixtures/args";
import {
    kubernetesDiscoveryProperties, kubernetesJobsCommonProperties, overlordRunnerProperties, taskPodRuntimeProperties, tuneTaskPod,
} from "../components/config/kubernetes-native";

// Property names Druid documents, extracted from apache/druid docs (see the fixture's "source").
const documented = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "druid-documented-properties.json"), "utf8")) as {
    source: string; properties: Record<string, string>; patterns: Record<string, string>;
};
const patterns = Object.keys(documented.patterns).map((p) => new RegExp(`^${p.replace(/\./g, "\\.").replace(/\{name\}/g, "[^.]+")}$`));

function isDocumented(name: string): boolean {
    if (name in documented.properties || patterns.some((p) => p.test(name))) return true;
    // Peon properties are documented properties behind the documented prefix.
    const fork = "druid.indexer.fork.property.";
    return name.startsWith(fork) && isDocumented(name.slice(fork.length));
}

function allGeneratedFiles(args = defaultArgs()): Record<string, Record<string, string>> {
    const plan = resolveCluster("druid", args);
    const out: Record<string, Record<string, string>> = {
        _common: commonRuntimeProperties({
            extensions: plan.extensions, zkConnect: "zk:2181", bucket: "bucket", prefix: "druid", metrics: "prometheus",
            prometheusPort: 9000, auth: plan.auth.enabled, tls: plan.tls !== undefined, overrides: {},
        }),
    };
    for (const s of plan.services) {
        out[s.key] = {
            ...(s.usesMetadataStore ? metadataStoreProperties({ host: "db", port: 5432, database: "druid", user: "druid" }) : {}),
            ...serviceRuntimeProperties({
                kind: s.kind, tuning: s.tuning, tier: s.tier, combinedWithOverlord: s.combinedWithOverlord, metrics: "prometheus", prometheusPort: 9000,
                tls: plan.tls !== undefined, retention: plan.retention, overrides: {},
            }),
        };
    }
    return out;
}

describe("configuration generator", () => {
    it("writes only property names Druid documents, for every service and variant", () => {
        const variants = [
            defaultArgs(),
            { ...defaultArgs(), master: { combined: true }, data: { ingestion: { worker: "indexer" as const }, historicalCacheSize: "256Mi" } },
            { ...defaultArgs(), tls: { certManagerIssuer: "ca" } },
            { ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, killUnusedSegments: { enabled: true, durationToRetainDays: 90 } } },
        ];
        const unknown: string[] = [];
        for (const v of variants) {
            for (const [service, props] of Object.entries(allGeneratedFiles(v))) {
                for (const name of Object.keys(props)) if (!isDocumented(name)) unknown.push(`${service}: ${name}`);
            }
        }
        assert.deepEqual(unknown, [], `undocumented properties (source: ${documented.source})`);
    });

    it("the Kubernetes-native modes write only documented names (kubernetes.md, k8s-jobs.md, configuration/index.md)", () => {
        const tuning = tuneTaskPod(2 * 1024 ** 3, {}, "data.ingestion.properties");
        const names = [
            ...Object.keys(kubernetesDiscoveryProperties("druid")),
            ...Object.keys(overlordRunnerProperties({ namespace: "druid", capacity: 4 })),
            ...Object.keys(kubernetesJobsCommonProperties),
            ...Object.keys(taskPodRuntimeProperties({ tuning, tls: false, overrides: {} })),
            ...Object.keys(taskPodRuntimeProperties({ tuning, tls: true, overrides: {} })),
        ];
        assert.deepEqual(names.filter((n) => !isDocumented(n)), [], `undocumented properties (source: ${documented.source})`);
    });

    it("the documented-name check rejects a misspelt name", () => {
        assert.equal(isDocumented("druid.storage.bukket"), false);
        assert.equal(isDocumented("druid.indexer.fork.property.druid.processing.numThreadz"), false);
        assert.equal(isDocumented("druid.auth.authenticator.MetadataStoreAuthenticator.type"), true);
    });

    it("common.runtime.properties: extensions, ZooKeeper, S3 deep storage and task logs, emitter, request logging off", () => {
        const c = allGeneratedFiles()._common;
        assert.deepEqual(JSON.parse(c["druid.extensions.loadList"]), [
            "druid-s3-extensions", "postgresql-metadata-storage", "druid-datasketches", "druid-kafka-indexing-service", "druid-basic-security", "prometheus-emitter",
        ]);
        assert.equal(c["druid.zk.service.host"], "zk:2181");
        assert.equal(c["druid.metadata.storage.type"], "postgresql");
        assert.equal(c["druid.storage.type"], "s3");
        assert.equal(c["druid.storage.bucket"], "bucket");
        assert.equal(c["druid.storage.baseKey"], "druid/segments");
        assert.equal(c["druid.indexer.logs.type"], "s3");
        assert.equal(c["druid.indexer.logs.s3Prefix"], "druid/indexing-logs");
        assert.equal(c["druid.msq.intermediate.storage.prefix"], "druid/msq-durable");
        assert.equal(c["druid.emitter"], "prometheus");
        assert.equal(c["druid.emitter.prometheus.strategy"], "exporter");
        assert.equal(c["druid.request.logging.type"], "noop");
        assert.equal(c["druid.metadata.storage.connector.connectURI"], undefined, "the endpoint must not be in the common file");
    });

    it("loads no multi-stage-query extension on any supported release: MSQ is core from 35 (apache/druid#18394), and older releases are refused", () => {
        for (const v of ["35.0.0", "36.0.0", "37.0.0", "37.0.1"]) {
            assert.deepEqual(msqExtensionFor(v), []);
            assert.ok(!resolveCluster("druid", { ...defaultArgs(), druidVersion: v }).extensions.includes("druid-multi-stage-query"), v);
        }
        assert.throws(() => resolveCluster("druid", { ...defaultArgs(), druidVersion: "34.0.0" }), /is not a supported Druid release: choose 35\.0\.x, 36\.0\.x or 37\.0\.x/);
    });

    it("metadata store: JDBC URL and the environment password provider, no secret", () => {
        const m = metadataStoreProperties({ host: "db.example", port: 5432, database: "druid", user: "druid" });
        assert.equal(m["druid.metadata.storage.connector.connectURI"], "jdbc:postgresql://db.example:5432/druid?sslmode=require");
        assert.deepEqual(JSON.parse(m["druid.metadata.storage.connector.password"]), { type: "environment", variable: "DRUID_METADATA_PASSWORD" });
    });

    it("basic security reads both passwords through environment variables", () => {
        const a = authProperties();
        assert.deepEqual(JSON.parse(a["druid.escalator.internalClientPassword"]), { type: "environment", variable: "DRUID_INTERNAL_CLIENT_PASSWORD" });
        assert.deepEqual(JSON.parse(a["druid.auth.authenticator.MetadataStoreAuthenticator.initialAdminPassword"]), { type: "environment", variable: "DRUID_ADMIN_PASSWORD" });
    });

    it("per-service files: service names, ports, tiers, worker capacity, router proxy", () => {
        const f = allGeneratedFiles({
            ...defaultArgs(),
            data: { historicalTiers: [{ name: "hot", volumeSize: "200Gi", priority: 10 }, { name: "default", volumeSize: "1000Gi", resources: { cpu: "2", memory: "8Gi" } }] },
        });
        assert.equal(f["historical-hot"]["druid.server.tier"], "hot");
        assert.equal(f["historical-hot"]["druid.server.priority"], "10");
        assert.equal(f["historical-default"]["druid.server.tier"], "_default_tier");
        assert.equal(f["historical-default"]["druid.server.priority"], "0");
        assert.equal(f.coordinator["druid.service"], "druid/coordinator");
        assert.equal(f.overlord["druid.plaintextPort"], "8090");
        assert.equal(f.broker["druid.plaintextPort"], "8082");
        assert.equal(f.router["druid.router.managementProxy.enabled"], "true");
        assert.equal(f.router["druid.router.defaultBrokerServiceName"], "druid/broker");
        assert.equal(f.middlemanager["druid.worker.capacity"], "4", "start-druid's task count: min(4 CPUs, 16Gi / 2GiB)");
        const peon = JSON.parse(f.middlemanager["druid.indexer.runner.javaOptsArray"]) as string[];
        // Each of 4 slots gets a quarter of what the MiddleManager leaves: 1g direct (the cluster reference's Peons) and the rest as heap.
        assert.ok(peon.includes("-Xmx2432m") && peon.includes("-XX:MaxDirectMemorySize=1g"), peon.join(" "));
        assert.equal(f.router["druid.router.http.numMaxThreads"], "100", "examples/conf/druid/cluster/query/router/runtime.properties");
        assert.equal(f.router["druid.router.http.numConnections"], "25", "50 connections into each Broker, split over the 2 Routers");
        // 90% of a 200Gi volume for the segment cache.
        const locations = JSON.parse(f["historical-hot"]["druid.segmentCache.locations"]) as { path: string; maxSize: number }[];
        assert.equal(locations[0].maxSize, Math.floor(200 * GiB * 0.9 / MiB) * MiB);
        assert.equal(locations[0].path, "/opt/druid/segment-cache");
    });
});

describe("sizing (docs/operations/basic-cluster-tuning.md)", () => {
    it("a 4-CPU/16GiB Historical: heap 0.5GiB x cores, cores-1 threads, 500MiB buffers, cores/4 merge buffers (floor 2)", () => {
        const t = tuneService({ label: "historical", kind: "historical", cpu: 4, memoryBytes: 16 * GiB, properties: {}, brokerReplicas: 2, volumeBytes: 100 * GiB });
        assert.equal(t.heapBytes, 2 * GiB);
        assert.deepEqual(t.processing, { numThreads: 3, numMergeBuffers: 2, bufferSizeBytes: 500 * MiB });
        assert.equal(t.directBytes, 3904 * MiB, "(3 + 2 + 1) x 500MiB + 30% (the guide's fuzzy +1; reference 13g for 9.8GiB), rounded up to 64MiB");
        assert.equal(t.httpNumThreads, 60);
    });

    it("the tutorial's 16-CPU data server: 15 threads, 500MiB buffers; merge buffers cores / 4", () => {
        const t = tuneService({ label: "historical", kind: "historical", cpu: 16, memoryBytes: 128 * GiB, properties: {}, brokerReplicas: 2, volumeBytes: 1000 * GiB });
        assert.equal(t.processing?.numThreads, 15);
        assert.equal(t.processing?.bufferSizeBytes, 500 * MiB);
        assert.equal(t.processing?.numMergeBuffers, 4, "examples/conf/druid/cluster/data/historical/runtime.properties: numMergeBuffers=4");
        assert.equal(t.heapBytes, 8 * GiB);
    });

    it("a 2-CPU/8GiB Broker: twice (merge buffers + 1) x 500MiB direct, the rest heap, connections per broker", () => {
        const t = tuneService({ label: "broker", kind: "broker", cpu: 2, memoryBytes: 8 * GiB, properties: {}, brokerReplicas: 2, routerReplicas: 2 });
        assert.equal(t.processing?.numMergeBuffers, 2);
        assert.equal(t.directBytes, 3008 * MiB, "2 x (2 + 1) x 500MiB, as the references give Brokers (6g for 3.4GiB), rounded up to 64MiB");
        assert.equal(t.heapBytes, 4480 * MiB, "8Gi - 3008m direct - (256MiB + 10% of the heap)");
        assert.ok(t.heapBytes >= 4 * GiB && t.heapBytes <= 8 * GiB, "the guide's 4-8GiB for small clusters");
        assert.equal(t.brokerNumConnections, 25);
        assert.equal(t.httpNumThreads, 60, "2 Routers x 25 connections + 10 (was 35, which 2 Routers x 50 overran)");
    });

    it("connection pools: 3 brokers x 10 connections need 40 server threads; 50 queries + 10 other requests give 60", () => {
        assert.equal(dataServerHttpThreads(3, 10), 40);
        assert.equal(dataServerHttpThreads(2, brokerConnections(2)), 60);
        assert.equal(dataServerHttpThreads(1, brokerConnections(1)), 60);
    });

    it("direct memory is (numThreads + numMergeBuffers + 1) x buffer, and (merge + 1) x buffer on Brokers", () => {
        const p = { numThreads: 15, numMergeBuffers: 4, bufferSizeBytes: 500 * MiB };
        assert.equal(directMemoryFor(p), 10000 * MiB);
        assert.equal(directMemoryFor(p, false), 2500 * MiB);
    });

    it("Router: 512MiB heap (reference 512m/128m), the rest of a larger pod headroom; MiddleManager 128MiB heap and Peons sized from the pod", () => {
        const r = tuneService({ label: "router", kind: "router", cpu: 1, memoryBytes: 1 * GiB, properties: {}, brokerReplicas: 2 });
        assert.equal(r.heapBytes, 512 * MiB, "single-server medium router jvm.config: -Xmx512m (1Gi could hold 576MiB)");
        assert.equal(r.budget.headroomBytes, 1 * GiB - 512 * MiB - 128 * MiB - (256 + 52) * MiB);
        const big = tuneService({ label: "router", kind: "router", cpu: 8, memoryBytes: 32 * GiB, properties: {}, brokerReplicas: 2 });
        assert.equal(big.heapBytes, 512 * MiB, "not the rest of the pod (was 29GiB at 8 CPU / 32Gi)");
        assert.equal(r.directBytes, 128 * MiB, "single-server router jvm.config: -XX:MaxDirectMemorySize=128m");
        const mm = tuneService({ label: "middleManager", kind: "middleManager", cpu: 4, memoryBytes: 16 * GiB, properties: {}, brokerReplicas: 2 });
        assert.equal(mm.heapBytes, 128 * MiB, "cluster middleManager jvm.config: -Xmx128m");
        assert.equal(mm.workerCapacity, 4, "start-druid: min(CPUs, memory / 2048MB)");
        assert.equal(mm.peon?.heapBytes, 2432 * MiB, "a quarter of what the MiddleManager leaves, less 1g direct and the Peon's overhead");
        assert.equal(mm.peon?.directBytes, GiB, "cluster middleManager runtime.properties: Peon -XX:MaxDirectMemorySize=1g");
        assert.deepEqual(mm.peon?.processing, { numThreads: 1, numMergeBuffers: 2, bufferSizeBytes: 100 * MiB }, "cluster reference Peons: 1 thread, 2 merge buffers, 100MB");
    });

    it("user overrides of buffers and threads feed the sizing", () => {
        const t = tuneService({
            label: "historical", kind: "historical", cpu: 4, memoryBytes: 16 * GiB, brokerReplicas: 2, volumeBytes: 100 * GiB,
            properties: { "druid.processing.buffer.sizeBytes": "1GiB", "druid.processing.numThreads": "2" },
        });
        assert.deepEqual(t.processing, { numThreads: 2, numMergeBuffers: 2, bufferSizeBytes: GiB });
        assert.equal(t.directBytes, 6656 * MiB, "(2 + 2 + 1) x 1GiB + 30%");
    });

    it("an impossible size raises an error naming the service, the figures and the fix", () => {
        assert.throws(() => tuneService({ label: "historical tier \"hot\"", kind: "historical", cpu: 8, memoryBytes: 4 * GiB, properties: {}, brokerReplicas: 2, volumeBytes: GiB }),
            /historical tier "hot" does not fit its container: heap 4096MiB \+ direct memory 6528MiB \+ JVM overhead 666MiB = 11290MiB, over the container's 4096MiB\. Give it at least 12Gi of memory/);
        assert.throws(() => tuneService({ label: "middleManager", kind: "middleManager", cpu: 4, memoryBytes: 4 * GiB, properties: {}, brokerReplicas: 2, workerCapacity: 8 }),
            /middleManager does not fit .*8 task slots x 1562MiB.*workerCapacity/);
        assert.throws(() => tuneService({ label: "historical tier \"x\"", kind: "historical", cpu: 4, memoryBytes: 16 * GiB, properties: { "druid.server.maxSize": "200GiB" }, brokerReplicas: 2, volumeBytes: 100 * GiB }),
            /segment cache 204800MiB is larger than its volume 102400MiB/);
    });

    it("jvm.config: derived heap and direct memory, G1, exit on OOM; user -Xmx replaces the derived one", () => {
        const t = tuneService({ label: "historical", kind: "historical", cpu: 4, memoryBytes: 16 * GiB, properties: {}, brokerReplicas: 2, volumeBytes: 100 * GiB });
        const text = jvmConfig(t, []);
        assert.deepEqual(text.split("\n").slice(0, 6), ["-server", "-Xms2g", "-Xmx2g", "-XX:MaxDirectMemorySize=3904m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"]);
        const custom = jvmConfig(t, ["-Xmx3g", "-Xms3g"]).split("\n");
        assert.equal(custom.filter((l) => l.startsWith("-Xmx")).length, 1);
        assert.ok(custom.includes("-Xmx3g"));
    });
});

describe("Druid's human-readable bytes", () => {
    it("K/M/G are decimal, Ki/KiB binary, case-insensitive, integers only", async () => {
        const { parseDruidBytes } = await import("../components/plan/tuning");
        assert.equal(parseDruidBytes("3g"), 3_000_000_000);
        assert.equal(parseDruidBytes("1T"), 1e12);
        assert.equal(parseDruidBytes("256MiB"), 256 * MiB);
        assert.equal(parseDruidBytes("1gi"), GiB);
        assert.equal(parseDruidBytes("100000000"), 100_000_000);
        assert.equal(parseDruidBytes("1.2t"), undefined);
        assert.equal(parseDruidBytes("lots"), undefined);
    });
});
