// Extension names from apache/druid docs/configuration/extensions.md (core and community tables),
// so that a typo in `extraExtensions` fails at construction instead of at Druid start-up.
export const knownExtensions: readonly string[] = [
    "aliyun-oss-extensions", "ambari-metrics-emitter", "druid-avro-extensions", "druid-aws-rds-extensions", "druid-azure-extensions",
    "druid-basic-security", "druid-bloom-filter", "druid-cassandra-storage", "druid-catalog", "druid-cloudfiles-extensions",
    "druid-compressed-bigdecimal", "druid-datasketches", "druid-ddsketch", "druid-deltalake-extensions", "druid-distinctcount",
    "druid-ec2-extensions", "druid-exact-count-bitmap", "druid-google-extensions", "druid-hdfs-storage", "druid-histogram",
    "druid-iceberg-extensions", "druid-influxdb-emitter", "druid-kafka-extraction-namespace", "druid-kafka-indexing-service",
    "druid-kerberos", "druid-kinesis-indexing-service", "druid-kubernetes-extensions", "druid-kubernetes-overlord-extensions",
    "druid-lookups-cached-global", "druid-lookups-cached-single", "druid-momentsketch", "druid-moving-average-query",
    "druid-opentsdb-emitter", "druid-orc-extensions", "druid-pac4j", "druid-parquet-extensions", "druid-protobuf-extensions",
    "druid-rabbit-indexing-service", "druid-ranger-security", "druid-redis-cache", "druid-s3-extensions", "druid-spectator-histogram",
    "druid-stats", "druid-tdigestsketch", "druid-thrift-extensions", "druid-time-min-max", "gce-extensions", "graphite-emitter",
    "kafka-emitter", "mysql-metadata-storage", "openlineage-emitter", "postgresql-metadata-storage", "prometheus-emitter",
    "simple-client-sslcontext", "sqlserver-metadata-storage", "statsd-emitter",
];

/** The multi-stage query engine's extensions by release: decided in the version matrix (druid-versions.ts). */
export { msqExtensionFor } from "./druid-versions";

/**
 * The closest of `candidates` (by default the known extension names), for "did you mean":
 * Levenshtein distance at most `maxDistance` (3 by default).
 */
export function suggest(name: string, candidates: readonly string[] = knownExtensions, maxDistance = 3): string | undefined {
    let best: string | undefined;
    let bestDistance = maxDistance + 1;
    for (const candidate of candidates) {
        const d = distance(name, candidate);
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}

function distance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = cur;
    }
    return prev[b.length];
}
