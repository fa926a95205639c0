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
    /**
     * Seconds the tier's count of segments left may stay the same before the gate stops waiting
     * (a segment that cannot load, a replica that cannot be placed). Default `tierGateStallSeconds`.
     */
    stallSeconds?: number;
    /**
     * Process age after which the gate passes whatever the Coordinator says (or when it does not
     * answer): keep it below the startup probe's budget so the kubelet never restarts the container.
     */
    maxWaitSeconds: number;
    /** Where the gate keeps the last count it saw and since when (a writable volume). Default `/tmp/druid-tier-gate`. */
    stateFile?: string;
    /** Where the gate says why it let the pod start without the tier loaded. Default the main process's stdout, `/proc/1/fd/1`. */
    logFile?: string;
}

/** Default `stallSeconds`: ten minutes without a segment of the tier loading (20 Coordinator runs at PT30S). */
export const tierGateStallSeconds = 600;

/** How long before the startup probe's budget ends the tier gate passes regardless. */
export const tierGateMarginSeconds = 300;

/**
 * Startup probe of a Historical whose cache may be empty (emptyDir): the pod is Ready once this
 * Historical has reloaded its share of its tier, and a StatefulSet's rolling update waits for
 * each pod to be Ready, so a rollout never takes the next replica down before that.
 *
 * 1. Its own readiness endpoint answers (local cache loaded; `/druid/historical/v1/readiness`),
 *    and the process is older than `minAgeSeconds` (process age from /proc/1/stat's start time, in
 *    clock ticks of 1/100 s, against /proc/uptime), so the Coordinator has run with it in view.
 * 2. Passes when the Coordinator reports nothing left to load in the tier, computed over the
 *    servers present (`GET /druid/coordinator/v1/loadstatus?full&computeUsingClusterView`,
 *    apache/druid@118d26bb26c304f3204742c72c839de14112b9c9:server/src/main/java/org/apache/druid/server/http/CoordinatorResource.java,
 *    getLoadStatus: `computeUnderReplicationCountsPerDataSourcePerTierUsingClusterView`): the
 *    replicas asked for are capped at the Historicals the tier has now, so another replica that is
 *    down does not hold this one (without the flag its missing copies count for ever).
 * 3. Passes, saying so in the container's log, when that count has not changed for
 *    `stallSeconds` (nothing more is loading: a segment that fails to load, a replica with
 *    nowhere to go), or when the process is older than `maxWaitSeconds` (also when the
 *    Coordinator does not answer).
 *
 * The startup probe runs until it succeeds once; if it fails `failureThreshold` times in a row
 * the kubelet kills the container and restarts it under the pod's restartPolicy (Kubernetes docs,
 * kubernetes/website content/en/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes.md,
 * "Protect slow starting containers with startup probes"): `maxWaitSeconds` below that budget
 * means a gate that waits never becomes a restart loop.
 */
export function tierLoadedScript(o: TierGateOptions): string {
    const state = o.stateFile ?? "/tmp/druid-tier-gate";
    const log = o.logFile ?? "/proc/1/fd/1";
    const stall = o.stallSeconds ?? tierGateStallSeconds;
    return [
        ...httpHelper(o),
        `log() { echo "tier gate: $*"; echo "tier gate: $*" >> ${log} 2>/dev/null || true; }`,
        `wget -q -O /dev/null${localHostOption(o)} "${o.scheme}://127.0.0.1:${o.port}/druid/historical/v1/readiness" || exit 1`,
        "started=$(cut -d' ' -f22 /proc/1/stat)",
        "now=$(cut -d. -f1 /proc/uptime)",
        "age=$(( now - started / 100 ))",
        `[ "$age" -ge ${o.minAgeSeconds} ] || exit 1`,
        `if status=$(get "${o.coordinatorUrl}/druid/coordinator/v1/loadstatus?full&computeUsingClusterView"); then`,
        // {"<tier>":{"<datasource>":<segments left>,...},...}: the sum over this tier (0 when no rule names it).
        `  left=${tierSegmentsLeft("status", o.tier)}`,
        '  [ "$left" -eq 0 ] && exit 0',
        "else",
        "  left=unknown",
        "fi",
        `if [ "$age" -ge ${o.maxWaitSeconds} ]; then`,
        `  log "starting after ${o.maxWaitSeconds} s although tier ${o.tier} is not loaded (segments left: $left); the Coordinator keeps loading it"`,
        "  exit 0",
        "fi",
        '[ "$left" = unknown ] && exit 1',
        // The last count and since when (uptime), for this process only.
        `seen_started=""; seen_left=""; since=0; [ -f ${state} ] && read -r seen_started seen_left since < ${state}`,
        `if [ "$seen_started" != "$started" ] || [ "$seen_left" != "$left" ]; then echo "$started $left $now" > ${state}; exit 1; fi`,
        `if [ $(( now - since )) -ge ${stall} ]; then`,
        `  log "starting although $left segments of tier ${o.tier} have waited $(( now - since )) s without any loading (a segment that fails to load, or a replica with no Historical to go to); see the Coordinator's load queue"`,
        "  exit 0",
        "fi",
        "exit 1",
    ].join("\n");
}

/**
 * Shell arithmetic: the segments left to load in `tier` according to the Coordinator's answer in
 * the variable `variable` (`GET /druid/coordinator/v1/loadstatus?full`: {"<tier>":{"<datasource>":
 * <segments left>,...},...}), summed over the tier's datasources; 0 when the tier has no entry (no
 * rule names it, or an empty cluster).
 */
export function tierSegmentsLeft(variable: string, tier: string): string {
    return `$(( $(printf %s "$${variable}" | tr -d " \\n\\r\\t" | grep -o "\\"${tier}\\":{[^}]*}" | grep -o ':[0-9]*' | tr -d : | tr '\\n' +)0 ))`;
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
