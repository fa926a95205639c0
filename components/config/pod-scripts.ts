import { authName, secretEnv } from "./druid-config";

// Shell scripts the pods run (probes, preStop hooks). Pure text, no Pulumi.
//
// The Druid image has no curl: its final stage is distroless Java with busybox installed into /bin
// (apache/druid distribution/docker/Dockerfile: `FROM busybox:1.34.1-glibc as busybox`, then
// `/busybox/busybox --install /bin` when the base has no bash), so these scripts use busybox `sh`
// and `wget` (`-q -O --header --post-data`; wget exits non-zero on an HTTP error). No `-T`:
// Debian's busybox 1.35 wget crashes (SIGSEGV) with it, and the probes' timeoutSeconds and the
// pod's termination grace period bound every call anyway. Busybox's
// built-in TLS does not verify certificates, which is acceptable for 127.0.0.1 and in-cluster
// Service names. tests/pod-scripts.test.ts runs each script with Debian's static busybox against
// a local HTTP server that answers as Druid does.

/** How a script reaches Druid's HTTP API. */
export interface DruidHttp {
    scheme: "http" | "https";
    /** Internal-client credentials from the pod's environment (basic security on). */
    auth: boolean;
    /**
     * `Host` of the requests to the pod's own port (127.0.0.1), a name of the certificate: with TLS,
     * Jetty 12 (Druid 35+) refuses a Host the certificate does not name (400 "Invalid SNI",
     * SecureRequestCustomizer.checkSni), and 127.0.0.1 is none. Busybox wget sends a `--header
     * "Host: ..."` instead of its own (checked with Debian's busybox in tests/pod-scripts.test.ts).
     * Default: none (wget's Host, 127.0.0.1:<port>).
     */
    localHost?: string;
}

/**
 * Shell lines setting `auth` to the internal client's basic-auth header line
 * (`Authorization: Basic ...`, password from the pod's environment), or to "" when auth is off.
 */
export function authHeaderLines(auth: boolean): string[] {
    return [
        'auth=""',
        ...(auth
            ? [`auth="Authorization: Basic $(printf '%s:%s' '${authName.internalUser}' "$${secretEnv.internalClientPassword}" | base64 | tr -d '\\n')"`]
            : []),
    ];
}

/** The `--header "Host: ..."` option of requests to the pod's own port, or nothing. */
function localHostOption(h: DruidHttp): string {
    return h.localHost === undefined ? "" : ` --header "Host: ${h.localHost}"`;
}

/** Shell lines defining `get`: wget with the internal client's basic-auth header when auth is on (and `own`: `get` with the Host of the pod's own port). */
function httpHelper(h: DruidHttp): string[] {
    return [
        ...authHeaderLines(h.auth),
        'get() { wget -q -O - ${auth:+--header "$auth"} "$@"; }',
        ...(h.localHost !== undefined ? [`own() { get${localHostOption(h)} "$@"; }`] : ["own() { get \"$@\"; }"]),
    ];
}

/** Options of the MiddleManager/Indexer drain. */
export interface DrainOptions extends DruidHttp {
    port: number;
    /** How long to wait for running tasks before letting the process stop. */
    drainSeconds: number;
    /** Seconds between two looks at the task list. Default 5. */
    pollSeconds?: number;
}

/**
 * preStop of a MiddleManager or Indexer: stop taking tasks (`POST /druid/worker/v1/disable`),
 * then wait until `GET /druid/worker/v1/tasks` lists none, at most `drainSeconds`
 * (docs/operations/rolling-updates.md, "Rolling restart (graceful-termination-based)"; the Indexer
 * serves the same WorkerResource: services/.../cli/CliIndexer.java installs
 * `CliMiddleManager.makeWorkerManagementModule`). Tasks still running afterwards are stopped by
 * SIGTERM; restorable ones resume on restart (`druid.indexer.task.restoreTasksOnRestart`).
 * Always exits 0: a failed drain must not block the pod's termination.
 */
export function drainScript(o: DrainOptions): string {
    return [
        ...httpHelper(o),
        `url="${o.scheme}://127.0.0.1:${o.port}/druid/worker/v1"`,
        'own --post-data "" "$url/disable" >/dev/null || echo "drain: could not disable the worker" >&2',
        `end=$(( $(date +%s) + ${o.drainSeconds} ))`,
        'while [ "$(date +%s)" -lt "$end" ]; do',
        '  tasks=$(own "$url/tasks") || { echo "drain: task list unavailable" >&2; exit 0; }',
        '  if [ "$(printf %s "$tasks" | tr -d " \\n\\r\\t")" = "[]" ]; then echo "drain: no running tasks"; exit 0; fi',
        `  sleep ${o.pollSeconds ?? 5}`,
        "done",
        'echo "drain: tasks still running after the drain timeout" >&2',
        "exit 0",
    ].join("\n");
}

/** Options of the Historical tier-loaded gate. */
export interface TierGateOptions extends DruidHttp {
    /** The Historical's own port. */
    port: number;
    /** `druid.server.tier` of the Historical. */
    tier: string;
    /** Base URL of the Coordinator Service (scheme://host:port). */
    coordinatorUrl: string;
    /** Seconds the process must have run before the Coordinator's answer counts. */
    minAgeSeconds: number;
}

/**
 * Startup probe of a Historical whose cache may be empty (emptyDir): ready only when its own
 * readiness endpoint answers (local cache loaded) AND the Coordinator reports no segment left to
 * load in its tier (`GET /druid/coordinator/v1/loadstatus?full`: per tier, per datasource, the
 * segments still to load, replicas included: docs/api-reference/legacy-metadata-api.md and
 * CoordinatorResource#getLoadStatus). Without `computeUsingClusterView`: that variant caps the
 * replicas asked for at the servers present, so a tier missing the restarting pod would count as
 * loaded. The Coordinator computes the figure on its runs (`druid.coordinator.period`), so the
 * answer only counts once the process is older than `minAgeSeconds` (process age from
 * /proc/1/stat's start time, in clock ticks of 1/100 s, against /proc/uptime).
 * A StatefulSet's rolling update waits for each pod to be Ready, which waits for the startup probe,
 * so a rollout never takes the next replica down before the tier has reloaded.
 */
export function tierLoadedScript(o: TierGateOptions): string {
    return [
        ...httpHelper(o),
        `wget -q -O /dev/null${localHostOption(o)} "${o.scheme}://127.0.0.1:${o.port}/druid/historical/v1/readiness" || exit 1`,
        "age=$(( $(cut -d. -f1 /proc/uptime) - $(cut -d' ' -f22 /proc/1/stat) / 100 ))",
        `[ "$age" -ge ${o.minAgeSeconds} ] || exit 1`,
        `status=$(get "${o.coordinatorUrl}/druid/coordinator/v1/loadstatus?full") || exit 1`,
        // {"<tier>":{"<datasource>":<segments left>,...},...}: any non-zero count in this tier fails.
        `if printf %s "$status" | tr -d " \\n\\r\\t" | grep -o '"${o.tier}":{[^}]*}' | grep -q ':[1-9]'; then exit 1; fi`,
        "exit 0",
    ].join("\n");
}

/** ZooKeeper's client port inside its pod. */
export const zooKeeperClientPort = 2181;

/**
 * ZooKeeper readiness: the server answers `srvr` with `Mode: leader`, `follower` or
 * `standalone` only once it serves in a quorum; `ruok` answers `imok` even when it does not
 * ("This ZooKeeper instance is not currently serving requests"). Bash's /dev/tcp (the official
 * image runs its entrypoint with bash) needs no nc. tests/real/zookeeper.test.ts runs it against a
 * real ensemble.
 */
export function zooKeeperReadyScript(port = zooKeeperClientPort): string {
    return `exec 3<>/dev/tcp/127.0.0.1/${port} && printf srvr >&3 && grep -qE '^Mode: (leader|follower|standalone)' <&3`;
}
