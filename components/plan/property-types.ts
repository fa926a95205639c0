// The types Druid reads the properties the component writes as, so that an override Druid would
// refuse at start-up (or read as something else) is refused here. Each entry names the Druid class
// whose @JsonProperty field it binds to (apache/druid, master):
//
// - int: Java `int` (Jackson refuses a value outside -2147483648..2147483647, and Druid cannot start).
// - long: Java `long`.
// - bytes: HumanReadableBytes (docs/configuration/human-readable-byte.md), a long; `maxInt` for sizes Druid
//   allocates as one ByteBuffer (capacity is an int).
// - duration: an ISO-8601 period of weeks, days, hours, minutes and seconds. Several of these bind to
//   Joda `Duration` (DruidCoordinatorConfig, TaskQueueConfig, DruidHttpClientConfig), which refuses
//   years and months (they have no fixed length), so none is allowed for any of them.
// - boolean: "true" or "false" (Jackson's coercion of a String to boolean).

export type PropertyType =
    | { type: "int"; min: number }
    | { type: "long"; min: number }
    | { type: "bytes"; maxInt?: boolean }
    | { type: "duration" }
    | { type: "boolean" };

const int = (min = 1): PropertyType => ({ type: "int", min });
const long = (min = 0): PropertyType => ({ type: "long", min });
const duration: PropertyType = { type: "duration" };
const boolean: PropertyType = { type: "boolean" };

export const javaIntMax = 2147483647;
export const javaLongMax: bigint = BigInt("9223372036854775807");

/** Property name -> type, for the properties the component writes. */
export const propertyTypes: Record<string, PropertyType> = {
    // ServerConfig (server/.../initialization/ServerConfig.java): int numThreads @Min(1); Period gracefulShutdownTimeout, unannouncePropagationDelay.
    "druid.server.http.numThreads": int(),
    "druid.server.http.gracefulShutdownTimeout": duration,
    "druid.server.http.unannouncePropagationDelay": duration,
    // DruidProcessingConfig / DruidProcessingBufferConfig: int numThreads, numMergeBuffers; HumanReadableBytes sizeBytes, one direct ByteBuffer each.
    "druid.processing.numThreads": int(),
    "druid.processing.numMergeBuffers": int(0),
    "druid.processing.buffer.sizeBytes": { type: "bytes", maxInt: true },
    // DruidHttpClientConfig (druid.broker.http, druid.router.http): int numConnections, numMaxThreads; Duration readTimeout; HumanReadableBytes maxQueuedBytes.
    "druid.broker.http.numConnections": int(),
    "druid.broker.http.maxQueuedBytes": { type: "bytes" },
    "druid.router.http.numConnections": int(),
    "druid.router.http.numMaxThreads": int(),
    "druid.router.http.readTimeout": duration,
    // DruidServerConfig: HumanReadableBytes maxSize; int priority; SegmentLoaderConfig locations are the component's (refused as an override).
    "druid.server.maxSize": { type: "bytes" },
    "druid.server.priority": int(-javaIntMax - 1),
    // CaffeineCacheConfig: long sizeInBytes.
    "druid.cache.sizeInBytes": long(),
    // WorkerConfig: int capacity; long globalIngestionHeapLimitBytes.
    "druid.worker.capacity": int(),
    "druid.worker.globalIngestionHeapLimitBytes": long(1),
    // KubernetesTaskRunnerConfig: int capacity.
    "druid.indexer.runner.capacity": int(),
    // TaskQueueConfig: Duration startDelay.
    "druid.indexer.queue.startDelay": duration,
    // TaskLogAutoCleanerConfig: long durationToRetain, initialDelay, delay (milliseconds).
    "druid.indexer.logs.kill.durationToRetain": long(),
    "druid.indexer.logs.kill.initialDelay": long(),
    "druid.indexer.logs.kill.delay": long(1),
    "druid.indexer.logs.kill.enabled": boolean,
    // DruidCoordinatorConfig / coordinator duty configs: Duration startDelay, period, periods and retentions; int maxSegments.
    "druid.coordinator.startDelay": duration,
    "druid.coordinator.period": duration,
    "druid.coordinator.period.indexingPeriod": duration,
    "druid.coordinator.period.metadataStoreManagementPeriod": duration,
    "druid.coordinator.kill.on": boolean,
    "druid.coordinator.kill.period": duration,
    "druid.coordinator.kill.durationToRetain": duration,
    "druid.coordinator.kill.bufferPeriod": duration,
    "druid.coordinator.kill.maxSegments": int(),
    ...Object.fromEntries(["audit", "supervisor", "rule", "datasource", "compaction", "pendingSegments"].flatMap((k): [string, PropertyType][] => [
        [`druid.coordinator.kill.${k}.on`, boolean],
        [`druid.coordinator.kill.${k}.period`, duration],
        [`druid.coordinator.kill.${k}.durationToRetain`, duration],
    ])) as Record<string, PropertyType>,
    // DruidMonitorSchedulerConfig: Period emissionPeriod.
    "druid.monitoring.emissionPeriod": duration,
    // TLSServerConfig: int reloadSslContextSeconds; boolean reloadSslContext.
    "druid.server.https.reloadSslContextSeconds": int(),
    "druid.server.https.reloadSslContext": boolean,
    // S3 intermediate storage (MSQ durable storage) cleaner: long delaySeconds.
    "druid.msq.intermediate.storage.cleaner.delaySeconds": long(1),
    "druid.msq.intermediate.storage.cleaner.enabled": boolean,
    "druid.msq.intermediate.storage.enable": boolean,
    // Booleans the component writes.
    "druid.sql.enable": boolean,
    "druid.router.managementProxy.enabled": boolean,
    "druid.historical.cache.useCache": boolean,
    "druid.historical.cache.populateCache": boolean,
    "druid.coordinator.asOverlord.enabled": boolean,
    "druid.zk.service.enabled": boolean,
    "druid.storage.disableAcl": boolean,
    "druid.indexer.logs.disableAcl": boolean,
    "druid.client.https.validateHostnames": boolean,
    "druid.indexer.task.restoreTasksOnRestart": boolean,
    "druid.emitter.prometheus.addServiceAsLabel": boolean,
    "druid.startup.logging.logProperties": boolean,
};

/** ISO-8601 period without years or months (Joda's standard format, as Druid parses it). */
const durationRe = /^P(?=\d|T\d)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(?:\.\d{1,3})?S)?)?$/;

/** Whether `value` is a valid `type`; otherwise what is allowed. */
export function propertyValueProblem(t: PropertyType, value: string): string | undefined {
    const v = value.trim();
    switch (t.type) {
        case "int":
        case "long": {
            const max = t.type === "int" ? BigInt(javaIntMax) : javaLongMax;
            const ok = /^-?[0-9]+$/.test(v) && BigInt(v) >= BigInt(t.min) && BigInt(v) <= max;
            return ok ? undefined : `must be a whole number from ${t.min} to ${max} (Druid reads it as a Java ${t.type})`;
        }
        case "bytes": {
            const bytes = parseHumanReadableBytes(v);
            const max = t.maxInt ? BigInt(javaIntMax) : javaLongMax;
            return bytes !== undefined && bytes > 0n && bytes <= max ? undefined
                : `must be a byte size such as "500MiB", "1GiB" or a number of bytes, at most ${max} bytes${t.maxInt ? " (Druid allocates it as one buffer, whose size is a Java int)" : ""}`;
        }
        case "duration":
            return durationRe.test(v) ? undefined : "must be an ISO-8601 period of weeks, days, hours, minutes or seconds such as \"PT5M\", \"PT30S\" or \"P1D\" (no years or months: Druid reads it as a fixed duration)";
        case "boolean":
            return /^(true|false)$/i.test(v) ? undefined : "must be \"true\" or \"false\"";
    }
}

/** Druid's human-readable bytes (docs/configuration/human-readable-byte.md), exactly, as a BigInt. */
export function parseHumanReadableBytes(text: string): bigint | undefined {
    const m = /^([0-9]+)\s*(?:([kmgtp])(i|ib)?)?$/i.exec(text.trim());
    if (!m) return undefined;
    const power = m[2] === undefined ? 0 : "kmgtp".indexOf(m[2].toLowerCase()) + 1;
    return BigInt(m[1]) * (m[3] === undefined ? 1000n : 1024n) ** BigInt(power);
}
