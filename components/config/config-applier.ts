import { ApplyRequest } from "./data-management";
import { authHeaderLines } from "./pod-scripts";

// The script of the data-management Job (components/k8s/config-applier.ts): it POSTs every request
// of dataManagementRequests() to the Coordinator (or Overlord) from inside the cluster, with the
// busybox of the Druid image (see pod-scripts.ts for what that busybox is).
//
// Transport. Busybox wget exits 1 on an HTTP error and throws the answer's body away ("server
// returned error: HTTP/1.1 400 Bad Request" is all it prints), so over plain HTTP the script speaks
// HTTP/1.0 itself through busybox `nc` and reads the status line and the body; Jetty closes the
// connection after an HTTP/1.0 answer. With TLS, nc cannot help: wget (busybox's own TLS, which
// verifies no certificate, as for the probes) POSTs, and a failure reports the status line only.
//
// Retries. Each request is tried until it succeeds or `deadlineSeconds` have passed since the script
// started: no answer, 5xx, 404 (a Coordinator still starting) and any other status are retried
// every `retrySeconds`; 400 (Druid refused the body), 401/403 (credentials or permissions), 405
// and 415 cannot heal and fail at once. A 307/308 (a Coordinator or Overlord that is not the leader
// redirects to the leader: Druid's RedirectFilter) is followed up to 3 times.
//
// Failure. The script writes the request, the status and the answer's body (at most 3000 bytes:
// the kubelet keeps 4096 bytes of a termination message) to `terminationLog` and exits 1; the pod's
// terminated state carries it, and Pulumi's Kubernetes provider reports it when it fails the Job
// (pulumi-kubernetes provider/pkg/await/checker/pod/check.go, containerTerminatedError: "[Reason]
// Message" of the terminated container).

/** What the applier script needs. */
export interface ApplierScriptOptions {
    requests: ApplyRequest[];
    /** Base URLs (scheme://host:port) of the services the requests go to. */
    coordinatorUrl: string;
    overlordUrl: string;
    /** Authenticate as the internal client (password from DRUID_INTERNAL_CLIENT_PASSWORD). */
    auth: boolean;
    /** Give up (exit 1) when no success came this many seconds after the start. */
    deadlineSeconds: number;
    /** Seconds between two tries. Default 5. */
    retrySeconds?: number;
    /** Where the outcome is written. Default "/dev/termination-log" (the container's terminationMessagePath). */
    terminationLog?: string;
    /** Seconds nc waits for a connection and for the answer. Default 30. */
    ioTimeoutSeconds?: number;
    /** `X-Druid-Comment` of the audit entries Druid records for each change. */
    comment: string;
    /** How to speak HTTP. Default: "wget" when a URL is https, else "nc". */
    transport?: "nc" | "wget";
}

/** The termination-message file the Job's container declares. */
export const applierTerminationLog = "/dev/termination-log";

/** `X-Druid-Author` of the audit entries (docs/api-reference/retention-rules-api.md, header parameters). */
export const applierAuthor = "pulumi-druid";

/** A shell word holding `s` exactly (single quotes, each ' written as '\''). */
export function shellQuote(s: string): string {
    return `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * Shell lines defining `msg` (the termination-message file) and `fail MESSAGE`: writes the message
 * (at most 3000 bytes: the kubelet keeps 4096 bytes of a termination message) to it and to stderr,
 * then exits 1.
 */
export function terminationLines(terminationLog: string): string[] {
    return [
        `msg=${shellQuote(terminationLog)}`,
        `fail() { printf '%s\\n' "$1" | head -c 3000 > "$msg"; printf '%s\\n' "$1" >&2; exit 1; }`,
    ];
}

/**
 * Shell lines defining `parse_response`: from a raw HTTP/1.x answer in `resp` (carriage returns
 * removed), sets `code` to its status (000 when there is no status line, `answer` then the
 * transport's error) and `answer` to its body.
 */
export function parseResponseLines(): string[] {
    return [
        "parse_response() {",
        `  code=$(printf '%s\\n' "$resp" | head -n 1 | sed -n 's/^HTTP\\/[0-9.]* \\([0-9][0-9][0-9]\\).*/\\1/p')`,
        '  if [ -z "$code" ]; then code=000; answer=${resp:-no answer}; return; fi',
        `  answer=$(printf '%s\\n' "$resp" | sed '1,/^$/d')`,
        "}",
    ];
}

/** HTTP/1.0 request through nc (`send METHOD BASE PATH BODY`): sets `code` (000 when nothing answered) and `answer` (the body, or nc's error). */
function ncSend(ioTimeout: number): string[] {
    return [
        "send() {",
        '  method=$1; base=$2; path=$3; body=$4; hops=0',
        "  while :; do",
        '    hostport=${base#*://}; host=${hostport%:*}; port=${hostport##*:}',
        '    len=$(printf %s "$body" | wc -c)',
        "    resp=$({",
        `      printf '%s %s HTTP/1.0\\r\\nHost: %s\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\nX-Druid-Author: %s\\r\\nX-Druid-Comment: %s\\r\\n' "$method" "$path" "$hostport" "$len" "$author" "$comment"`,
        `      if [ -n "$auth" ]; then printf '%s\\r\\n' "$auth"; fi`,
        `      printf '\\r\\n%s' "$body"`,
        `    } | nc -w ${ioTimeout} "$host" "$port" 2>&1 | tr -d '\\r')`,
        "    parse_response",
        '    if [ "$code" = 000 ]; then return; fi',
        '    case $code in',
        "      307|308)",
        `        loc=$(printf '%s\\n' "$resp" | sed -n '/^$/q; s/^[Ll]ocation: *//p' | head -n 1)`,
        '        if [ -z "$loc" ] || [ "$hops" -ge 3 ]; then return; fi',
        '        hops=$((hops + 1)); base=${loc%%/druid*}; path=/druid${loc#*/druid}',
        '        echo "following the redirect to $base" >&2',
        "        ;;",
        "      *) return ;;",
        "    esac",
        "  done",
        "}",
    ];
}

/**
 * GET or POST through busybox wget (TLS): on failure only the status line of the answer is known.
 * Busybox wget sends no other method: a DELETE answers code 501 without a request.
 */
function wgetSend(): string[] {
    return [
        "send() {",
        '  case $1 in',
        '    GET) set -- "$2$3" ;;',
        '    POST) set -- --header "Content-Type: application/json" --post-data "$4" "$2$3" ;;',
        `    *) code=501; answer="the image's busybox wget (the transport with TLS) cannot send $1"; return ;;`,
        '  esac',
        '  if answer=$(wget -q -O - ${auth:+--header "$auth"} --header "X-Druid-Author: $author" --header "X-Druid-Comment: $comment" "$@" 2>&1); then code=200; return; fi',
        `  code=$(printf '%s\\n' "$answer" | sed -n 's/.*server returned error: HTTP\\/[0-9.]* \\([0-9][0-9][0-9]\\).*/\\1/p' | head -n 1)`,
        '  if [ -z "$code" ]; then code=000; fi',
        "}",
    ];
}

/** The shell function `send METHOD BASE PATH BODY` of a transport (sets `code` and `answer`; reads `auth`, `author`, `comment`). */
export function sendFunction(transport: "nc" | "wget", ioTimeoutSeconds = 30): string[] {
    // nc's `send` parses the raw answer with `parse_response`, defined with it.
    return transport === "wget" ? wgetSend() : [...parseResponseLines(), ...ncSend(ioTimeoutSeconds)];
}

/** What the shell lines every applier script starts with need. */
export interface ApplierPreambleOptions {
    auth: boolean;
    terminationLog?: string;
    comment: string;
    deadlineSeconds: number;
    retrySeconds: number;
    transport: "nc" | "wget";
    ioTimeoutSeconds?: number;
}

/**
 * The start of an applier script: the internal client's header, the audit headers, the deadline,
 * `fail MESSAGE` (termination message, exit 1), `send` (the transport), and
 * `request SERVICE METHOD BASE PATH BODY`: tries until a 2xx (answer in $answer) or the deadline;
 * 400, 401, 403, 405 and 415 (and 501, a method the transport cannot send) fail at once.
 */
export function applierPreamble(o: ApplierPreambleOptions): string[] {
    return [
        ...authHeaderLines(o.auth),
        ...terminationLines(o.terminationLog ?? applierTerminationLog),
        `author=${shellQuote(applierAuthor)}`,
        `comment=${shellQuote(o.comment)}`,
        `end=$(( $(date +%s) + ${o.deadlineSeconds} ))`,
        ...sendFunction(o.transport, o.ioTimeoutSeconds),
        "request() {",
        "  while :; do",
        '    send "$2" "$3" "$4" "$5"',
        '    case $code in',
        "      2??) return 0 ;;",
        '      400|401|403|405|415|501) fail "$2 $4: the $1 answered $code: $answer" ;;',
        "    esac",
        `    if [ "$(date +%s)" -ge "$end" ]; then fail "$2 $4: the $1 gave no success in ${o.deadlineSeconds} s; last answer $code: $answer"; fi`,
        `    echo "$2 $4: $code, again in ${o.retrySeconds} s" >&2`,
        `    sleep ${o.retrySeconds}`,
        "  done",
        "}",
    ];
}

/**
 * The applier: POSTs each request until it succeeds, in order; exits 0 after the last one, or
 * exits 1 with the failing request's status and answer in the termination log. Every request sets
 * a full desired state (a datasource's whole rule list, a datasource's whole compaction
 * configuration, dynamic configuration fields), so running it again POSTs the same bodies and
 * changes nothing.
 */
export function configApplierScript(o: ApplierScriptOptions): string {
    const transport = o.transport ?? ([o.coordinatorUrl, o.overlordUrl].some((u) => u.startsWith("https://")) ? "wget" : "nc");
    const retry = o.retrySeconds ?? 5;
    const base = (r: ApplyRequest) => (r.service === "overlord" ? o.overlordUrl : o.coordinatorUrl);
    return [
        ...applierPreamble({ ...o, transport, retrySeconds: retry }),
        // apply SERVICE BASE PATH BODY
        'apply() { request "$1" POST "$2" "$3" "$4"; echo "POST $3: $code"; }',
        ...o.requests.map((r) => `apply ${r.service} ${shellQuote(base(r))} ${shellQuote(r.path)} ${shellQuote(r.body)}`),
        `printf 'applied %s requests\\n' ${o.requests.length} > "$msg"`,
        "exit 0",
    ].join("\n");
}
