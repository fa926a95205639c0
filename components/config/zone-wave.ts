import { authHeaderLines, tierSegmentsLeft } from "./pod-scripts";
import { parseResponseLines, shellQuote, terminationLines } from "./config-applier";

// The script of a zone-wave Job (components/k8s/zone-wave.ts, docs/zones.md "Zone waves"): it restarts
// every outdated pod of one zone's StatefulSet (`updateStrategy: OnDelete`) at once, then waits until
// the zone serves again. Pure text, no Pulumi. It runs with the Druid image's busybox (pod-scripts.ts
// says what that busybox is); one script serves every zone, which its environment names (waveEnv).
//
// The Kubernetes API (Kubernetes docs, kubernetes/website
// content/en/docs/tasks/run-application/access-api-from-pod.md: the API server is reachable at
// KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT and as `kubernetes.default.svc`, authenticated by
// the pod's service-account token as a bearer token). Busybox wget sends only GET and POST, so the
// script speaks HTTP/1.0 itself through busybox `ssl_client HOST:PORT`: without -s/-r the applet
// connects to its argument and pipes stdin/stdout through TLS (mirror/busybox@1_34_1
// networking/ssl_client.c:42-48, "without -s and -r, takes HOST arg and connects to it"; the applet
// is on by default, ssl_client.c:8 `default y`). No `-n SNI`: getopt moves the options in front of
// the host, which the debug mode then reads as argv[1] ("bad address '-n'"), so the server name sent
// is the HOST:PORT argument, which a server accepts and answers with its default certificate. The answer's status line and body are parsed as the
// data-management applier parses Druid's (config-applier.ts parseResponseLines).
//
// Trust. Busybox's TLS verifies no certificate (mirror/busybox@1_34_1 networking/wget.c:101, only
// the OpenSSL build verifies), so the pod's ca.crt cannot be used: the token goes to whatever answers
// at the Service IP of `kubernetes`. The Job therefore carries a token of its own, projected with a
// 10-minute lifetime (read again before every request; the kubelet renews it), whose account may
// only read the zone StatefulSets, read and delete their pods by name, and read nodes.
// Busybox's TLS 1.2 ClientHello carries no signature_algorithms extension
// (mirror/busybox@1_34_1 networking/tls.c:1543, commented out), so a server must accept SHA-1
// signatures in TLS 1.2 (RFC 5246 7.4.1.4.1 default): OpenSSL 3 at its default security level
// refuses ("no suitable signature algorithm", tests/zone-waves.test.ts), and so does a Go 1.25+
// server at Go's defaults (GODEBUG tlssha1=0, golang/go#72883). docs/zones.md says what to check.
//
// So the wave Jobs run an image that has curl by default (`data.zoneWaveImage`, default
// curlimages/curl, whose Alpine busybox has the other tools: plan/zone-wave-plan.ts
// defaultZoneWaveImage): with curl on PATH the script calls the API through it, verifying the server
// against the namespace's `kube-root-ca.crt` bundle; busybox remains for a Druid image given there
// (tests/zone-waves.test.ts runs both transports).
//
// Each call is bounded by busybox `timeout SECS PROG` (mirror/busybox@1_34_1 coreutils/timeout.c:42,
// on by default), as ssl_client itself waits for ever on a silent server.
//
// Kubernetes JSON is compact (no whitespace between tokens): fields are read with grep/sed.

/** What a zone-wave script is built from (the zone itself comes from the environment: waveEnv). */
export interface ZoneWaveScriptOptions {
    /** Base URL (scheme://host:port) of the Coordinator's Service. */
    coordinatorUrl: string;
    /** Authenticate to the Coordinator as the internal client (password from DRUID_INTERNAL_CLIENT_PASSWORD). */
    auth: boolean;
    /** Seconds between two looks at the pods or the load status. Default 10. */
    pollSeconds?: number;
    /**
     * Seconds to wait, once every pod of the zone is Ready, before the Coordinator's load status
     * counts: the under-replication counts come from the Coordinator's last run
     * (DruidCoordinator.computeUnderReplicationCountsPerDataSourcePerTier reads the replica view
     * each run refreshes), so an answer from before the restarted Historicals were seen could say 0.
     */
    settleSeconds: number;
    /** The service-account token the requests carry. Default `zoneWaveTokenPath`. */
    tokenFile?: string;
    /** The cluster's CA bundle (curl only: busybox cannot verify). Default `zoneWaveCaPath`. */
    caFile?: string;
    /** Where the outcome is written. Default "/dev/termination-log". */
    terminationLog?: string;
    /** Seconds one Kubernetes API call may take. Default 30. */
    ioTimeoutSeconds?: number;
}

/** Where the Job mounts its projected service-account token. */
export const zoneWaveTokenPath = "/var/run/secrets/druid-zone-wave/token";

/** Where the Job mounts the cluster's CA bundle (the `kube-root-ca.crt` ConfigMap every namespace holds), beside the token. */
export const zoneWaveCaPath = "/var/run/secrets/druid-zone-wave/ca.crt";

/** The node label holding a node's zone (Kubernetes well-known labels). */
const nodeZoneLabel = "topology.kubernetes.io/zone";

/** The environment variables naming the zone a Job rolls. */
export const waveEnv = {
    namespace: "WAVE_NAMESPACE",
    statefulSet: "WAVE_STATEFULSET",
    /** Pods the plan gives the zone: pods <statefulset>-0 .. -(n-1) are looked at (RBAC names them). */
    replicas: "WAVE_REPLICAS",
    zone: "WAVE_ZONE",
    /** The zone's Druid tier (Historicals); empty for MiddleManagers/Indexers. */
    tier: "WAVE_TIER",
    timeoutSeconds: "WAVE_TIMEOUT_SECONDS",
} as const;

/**
 * The wave: (1) reads the zone's StatefulSet once the controller has seen its latest spec
 * (`status.observedGeneration` ≥ `metadata.generation`) and its `status.updateRevision`; a
 * StatefulSet with no pods (a cluster being created: the replica patch scales it later) is done at
 * once. (2) Reads every pod and the zone label of its node; a pod on a node of another zone (or of
 * no zone) fails the wave before anything is deleted. (3) Deletes every pod whose
 * `controller-revision-hash` label is not the update revision, all together (a pod deletion is not
 * an eviction: PodDisruptionBudgets do not apply, Kubernetes docs
 * content/en/docs/concepts/workloads/pods/disruptions.md). (4) Waits until every pod is at the
 * update revision, Ready and not being deleted (and on a node of its zone). (5) Historicals: waits
 * `settleSeconds`, then until the Coordinator reports no segment left to load in the zone's tier.
 * Past WAVE_TIMEOUT_SECONDS it fails, naming the zone, what it waited for and how far it got.
 */
export function zoneWaveScript(o: ZoneWaveScriptOptions): string {
    const poll = o.pollSeconds ?? 10;
    const io = o.ioTimeoutSeconds ?? 30;
    return [
        ...authHeaderLines(o.auth),
        ...terminationLines(o.terminationLog ?? "/dev/termination-log"),
        ...parseResponseLines(),
        `ns=$${waveEnv.namespace}; sts=$${waveEnv.statefulSet}; planned=$${waveEnv.replicas}; zone=$${waveEnv.zone}; tier=$${waveEnv.tier}`,
        `deadline=$${waveEnv.timeoutSeconds}; start=$(date +%s); end=$(( start + deadline ))`,
        `token_file=${shellQuote(o.tokenFile ?? zoneWaveTokenPath)}; ca_file=${shellQuote(o.caFile ?? zoneWaveCaPath)}`,
        `coordinator=${shellQuote(o.coordinatorUrl)}`,
        'api_host=$KUBERNETES_SERVICE_HOST; case $api_host in *:*) api_host="[$api_host]" ;; esac',
        'api="$api_host:${KUBERNETES_SERVICE_PORT:-443}"',
        'elapsed() { echo $(( $(date +%s) - start )); }',
        'left_time() { [ "$(date +%s)" -lt "$end" ]; }',
        // kube METHOD PATH: one call; sets code and answer.
        // With curl in the image (wave Jobs given another image), the API server's certificate is verified against ca.crt.
        "if command -v curl >/dev/null 2>&1; then",
        "kube() {",
        `  resp=$(curl -sS -i --http1.1 --max-time ${io} --cacert "$ca_file" -X "$1" -H "Authorization: Bearer $(cat "$token_file")" -H 'Accept: application/json' \\`,
        `      "https://$api$2" 2>&1 | tr -d '\\r')`,
        "  parse_response",
        "}",
        "else",
        "kube() {",
        "  resp=$(printf '%s %s HTTP/1.0\\r\\nHost: kubernetes.default.svc\\r\\nAuthorization: Bearer %s\\r\\nAccept: application/json\\r\\n\\r\\n' \\",
        `      "$1" "$2" "$(cat "$token_file")" | timeout ${io} ssl_client "$api" 2>&1 | tr -d '\\r')`,
        "  parse_response",
        "}",
        "fi",
        // call METHOD PATH: until an answer that counts (2xx, 404); 401/403 fail at once; the rest is retried until the deadline.
        "call() {",
        "  while :; do",
        '    kube "$1" "$2"',
        "    case $code in",
        "      2??|404) return 0 ;;",
        '      401|403) fail "zone $zone: the Kubernetes API refused $1 $2 ($code): $answer" ;;',
        "    esac",
        '    left_time || fail "zone $zone: no answer from the Kubernetes API to $1 $2 in $(elapsed) s; last $code: $answer"',
        `    echo "$1 $2: $code, again in ${poll} s" >&2`,
        `    sleep ${poll}`,
        "  done",
        "}",
        // jstr KEY JSON / jnum KEY JSON: the first string / number field KEY.
        `jstr() { printf '%s' "$2" | grep -o "\\"$1\\":\\"[^\\"]*\\"" | head -n 1 | sed 's/^.*":"//; s/"$//'; }`,
        `jnum() { printf '%s' "$2" | grep -o "\\"$1\\":[0-9]*" | head -n 1 | sed 's/^.*"://'; }`,
        // node_zone_ok POD NODE: fails unless the node carries this zone.
        "node_zone_ok() {",
        '  call GET "/api/v1/nodes/$2"',
        `  nz=$(jstr ${shellQuote(nodeZoneLabel.replace(/\./g, "\\."))} "$answer")`,
        '  if [ "$nz" != "$zone" ]; then',
        `    fail "zone $zone: pod $1 of $sts runs on node $2, whose ${nodeZoneLabel} is \${nz:-not set}: refused; $3"`,
        "  fi",
        "}",
        // The StatefulSet, as its controller last saw it.
        "while :; do",
        '  call GET "/apis/apps/v1/namespaces/$ns/statefulsets/$sts"',
        '  [ "$code" = 404 ] && fail "zone $zone: StatefulSet $sts not found in namespace $ns"',
        '  gen=$(jnum generation "$answer"); seen=$(jnum observedGeneration "$answer")',
        '  [ "${seen:-0}" -ge "${gen:-1}" ] && break',
        '  left_time || fail "zone $zone: the StatefulSet controller has not observed generation $gen of $sts after $(elapsed) s"',
        `  sleep ${poll}`,
        "done",
        'rev=$(jstr updateRevision "$answer"); live=$(jnum replicas "$answer")',
        'n=${live:-0}; [ "$n" -gt "$planned" ] && n=$planned',
        'if [ "$n" -eq 0 ]; then',
        '  printf "zone %s: %s has no pods yet (a cluster being created): nothing to roll\\n" "$zone" "$sts" | tee "$msg"',
        "  exit 0",
        "fi",
        '[ -n "$rev" ] || fail "zone $zone: $sts reports no status.updateRevision"',
        // Every pod looked at before any is deleted.
        'outdated=""; i=0',
        'while [ "$i" -lt "$n" ]; do',
        '  pod="$sts-$i"; i=$(( i + 1 ))',
        '  call GET "/api/v1/namespaces/$ns/pods/$pod"',
        '  [ "$code" = 404 ] && continue',
        '  p=$answer; node=$(jstr nodeName "$p")',
        '  [ -n "$node" ] && node_zone_ok "$pod" "$node" "no pod was deleted"',
        '  [ "$(jstr controller-revision-hash "$p")" = "$rev" ] || outdated="$outdated $pod"',
        "done",
        'for pod in $outdated; do',
        '  call DELETE "/api/v1/namespaces/$ns/pods/$pod"',
        '  echo "zone $zone: deleted $pod ($code)"',
        "done",
        '[ -n "$outdated" ] || echo "zone $zone: every pod of $sts is at revision $rev"',
        // Every pod back: at the update revision, Ready, not being deleted.
        "while :; do",
        "  ready=0; i=0",
        '  while [ "$i" -lt "$n" ]; do',
        '    pod="$sts-$i"; i=$(( i + 1 ))',
        '    call GET "/api/v1/namespaces/$ns/pods/$pod"',
        '    [ "$code" = 404 ] && continue',
        '    p=$answer',
        '    [ "$(jstr controller-revision-hash "$p")" = "$rev" ] || continue',
        "    case $p in *'\"deletionTimestamp\"'*) continue ;; esac",
        `    printf '%s' "$p" | grep -o '{"type":"Ready"[^}]*}' | grep -q '"status":"True"' || continue`,
        '    node_zone_ok "$pod" "$(jstr nodeName "$p")" "the pods already restarted stay as they are"',
        "    ready=$(( ready + 1 ))",
        "  done",
        '  [ "$ready" -eq "$n" ] && break',
        '  left_time || fail "zone $zone: $ready of $n pods of $sts Ready at revision $rev after $(elapsed) s (waveTimeoutSeconds $deadline); the other zones still serve; see the pods of $sts"',
        `  sleep ${poll}`,
        "done",
        'echo "zone $zone: $n pods of $sts Ready at revision $rev after $(elapsed) s"',
        'if [ -z "$tier" ]; then',
        '  printf "zone %s: %s pods of %s restarted and Ready in %s s\\n" "$zone" "$n" "$sts" "$(elapsed)" | tee "$msg"',
        "  exit 0",
        "fi",
        // Historicals: the Coordinator has run with the restarted servers in view, then nothing left in the tier.
        `settle=${o.settleSeconds}; rest=$(( end - $(date +%s) )); [ "$settle" -gt "$rest" ] && settle=$rest`,
        '[ "$settle" -gt 0 ] && sleep "$settle"',
        "left=unknown",
        "while :; do",
        '  if status=$(wget -q -O - ${auth:+--header "$auth"} "$coordinator/druid/coordinator/v1/loadstatus?full" 2>&1); then',
        `    left=${tierSegmentsLeft("status", "$tier")}`,
        '    [ "$left" -eq 0 ] && break',
        "  else",
        '    echo "loadstatus: $status" >&2',
        "  fi",
        '  left_time || fail "zone $zone: tier $tier still had $left segments to load after $(elapsed) s (waveTimeoutSeconds $deadline); its pods are Ready at revision $rev; the other zones still serve every segment"',
        `  sleep ${poll}`,
        "done",
        'printf "zone %s: %s pods of %s restarted; tier %s loaded in %s s\\n" "$zone" "$n" "$sts" "$tier" "$(elapsed)" | tee "$msg"',
        "exit 0",
    ].join("\n");
}
