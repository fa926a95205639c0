import { AccessPermissionPlan, AccessPlan, managedRecordRole } from "../plan/access-plan";
import { applierPreamble, shellQuote } from "./config-applier";

// The access Job's script: it makes Druid's basic-security authorization state what `access`
// declares, from inside the cluster, with the busybox of the Druid image (as config-applier.ts).
// Paths, methods, bodies and answers are druid-basic-security's (apache/druid
// extensions-core/druid-basic-security/src/main/java/org/apache/druid/security/basic/, read at the
// stored revision c87fb1334874196681fa12618301ad184a7c9852 of authorization/endpoint/BasicAuthorizerResource.java
// and 042766f1cc23564df92c5f4a024ac1250fdc5b60 of CoordinatorBasicAuthorizerResourceHandler.java, not
// at the druid-37.0.0 tag, which this machine cannot resolve; docs/development/extensions-core/druid-basic-security.md,
// "Authentication API" and "Authorization API"), under /druid-ext/basic-security/authorization/db/{authorizer}:
//   GET  roles                               -> JSON array of role names (getAllRoles: roleMap.keySet())
//   GET  roles/{r}?simplifyPermissions       -> {"name","users":null,"permissions":[{"resource":{"name","type"},"action"}]}
//   POST roles/{r}                           -> 200; 400 {"error":"Role [r] already exists."}
//   POST roles/{r}/permissions [ResourceAction...] -> replaces the role's permissions
//   DELETE roles/{r}
//   GET  users -> names; GET users/{u} -> {"name","roles":[names]}; POST/DELETE users/{u};
//   POST/DELETE users/{u}/roles/{r}          -> 400 when the user already has / has not the role
//   GET  groupMappings -> names; GET groupMappings/{g} -> {"name","groupPattern","roles":[names]};
//   POST groupMappings/{g} {"name","groupPattern","roles"}; DELETE groupMappings/{g}; POST/DELETE groupMappings/{g}/roles/{r}
// and /druid-ext/basic-security/authentication/db/{authenticator}: GET users -> names, POST users/{u},
// POST users/{u}/credentials {"password"}, DELETE users/{u}. Errors answer 400 with {"error": message}
// (makeResponseForBasicSecurityDBResourceException). There is no update of a group mapping's pattern:
// a changed pattern is a DELETE and a new POST.
//
// Idempotence: the script GETs first and sends only what differs, so applying the same state again
// sends GETs only. Permissions are compared as sets of "TYPE ACTION name" lines. A password cannot be
// read back: the script authenticates as the account (GET /status on the Coordinator) and sets the
// credentials only when that answers 401. GET /status is authenticated and then authorized with
// STATE READ (apache/druid server/src/main/java/org/apache/druid/server/StatusResource.java, stored
// revision 108aea4c53e966038731ccdf56af0021baa56acc: `doGet` has @ResourceFilters(StateResourceFilter.class);
// only /status/health is in the unsecured paths), so right credentials answer 200 or 403, wrong ones 401.
//
// Ownership: the role `managedRecordRole` of each authorizer, assigned to nobody, lists what the
// component made (one permission of type CONFIG named "role:<r>", "user:<u>", "group:<g>" or
// "account:<u>", names no CONFIG resource has: Druid's CONFIG names are "CONFIG" and "security",
// docs/operations/security-user-auth.md). Before it changes anything the script adds the declared
// names to it; at the end, what it lists and `access` no longer declares is deleted, and it lists
// exactly the declared names. Everything else (roles, users and mappings never declared, `admin`,
// `druid_system`) is left alone.

/** What the access script needs. */
export interface AccessScriptOptions {
    plan: AccessPlan;
    /** Base URL (scheme://host:port) of the Coordinator. */
    coordinatorUrl: string;
    /** Authenticate as the internal client (always, in a cluster: access needs auth). */
    auth: boolean;
    /** Seconds between two tries. Default 5. */
    retrySeconds?: number;
    /** Where the outcome is written. Default "/dev/termination-log". */
    terminationLog?: string;
    ioTimeoutSeconds?: number;
    comment: string;
    /** Default: "wget" when the URL is https, else "nc". */
    transport?: "nc" | "wget";
}

const authorizationBase = (authorizer: string) => `/druid-ext/basic-security/authorization/db/${authorizer}`;
const authenticationBase = (authenticator: string) => `/druid-ext/basic-security/authentication/db/${authenticator}`;

/** A permission as Druid's ResourceAction JSON. */
export function resourceAction(p: AccessPermissionPlan): { resource: { name: string; type: string }; action: string } {
    return { resource: { name: p.name, type: p.type }, action: p.action };
}

/** A permission as the script compares it: "TYPE ACTION name", the name JSON-escaped as Druid's answer has it. */
export function permissionLine(p: { type: string; action: string; name: string }): string {
    return `${p.type} ${p.action} ${JSON.stringify(p.name).slice(1, -1)}`;
}

/** The body of POST groupMappings/{g}. */
export function groupMappingBody(g: { name: string; groupPattern: string; roles: string[] }): string {
    return JSON.stringify({ name: g.name, groupPattern: g.groupPattern, roles: g.roles });
}

/**
 * awk: flattens a JSON document into lines "PATH<TAB>VALUE" (PATH like `.permissions[0].resource.name`,
 * `[2]` for an array's element; a string VALUE is its JSON text without the quotes, escapes kept).
 */
const jsonFlattener = [
    "jflat() {",
    "  awk '",
    '    function at(   p, k) { p = ""; for (k = 1; k <= d; k++) p = p (kind[k] == "o" ? "." key[k] : "[" idx[k] "]"); return p }',
    '    { s = s $0 "\\n" }',
    "    END {",
    "      n = length(s); i = 1; d = 0",
    "      while (i <= n) {",
    "        c = substr(s, i, 1)",
    '        if (c == "{") { d++; kind[d] = "o"; key[d] = ""; iskey[d] = 1; i++; continue }',
    '        if (c == "[") { d++; kind[d] = "a"; idx[d] = 0; i++; continue }',
    '        if (c == "}" || c == "]") { d--; i++; continue }',
    '        if (c == ",") { if (kind[d] == "a") idx[d]++; else iskey[d] = 1; i++; continue }',
    '        if (c == ":") { iskey[d] = 0; i++; continue }',
    '        if (c == " " || c == "\\n" || c == "\\t" || c == "\\r") { i++; continue }',
    "        if (c == \"\\\"\") {",
    "          j = i + 1",
    "          while (j <= n) { ch = substr(s, j, 1); if (ch == \"\\\\\") { j += 2; continue }; if (ch == \"\\\"\") break; j++ }",
    "          t = substr(s, i + 1, j - i - 1); i = j + 1",
    '          if (kind[d] == "o" && iskey[d]) { key[d] = t; continue }',
    '          print at() "\\t" t; continue',
    "        }",
    "        j = i; while (j <= n && index(\",}] \\n\\t\\r\", substr(s, j, 1)) == 0) j++",
    '        print at() "\\t" substr(s, i, j - i); i = j',
    "      }",
    "    }'",
    "}",
];

/** Shell helpers reading Druid's answers (stdin): list items, a list at a path, a field, permission lines. */
const readers = [
    ...jsonFlattener,
    "items() { jflat | awk -F '\\t' '$1 ~ /^\\[[0-9]+\\]$/ { print $2 }'; }",
    "listat() { jflat | awk -F '\\t' -v p=\"$1\" 'substr($1, 1, length(p)) == p && substr($1, length(p) + 1) ~ /^\\[[0-9]+\\]$/ { print $2 }'; }",
    "field() { jflat | awk -F '\\t' -v p=\"$1\" '$1 == p { print $2 }'; }",
    "perms() {",
    "  jflat | awk -F '\\t' '",
    '    match($1, /^\\.permissions\\[[0-9]+\\]/) { k = substr($1, 1, RLENGTH); f = substr($1, RLENGTH + 1); seen[k] = 1',
    '      if (f == ".resource.name") nm[k] = $2; else if (f == ".resource.type") ty[k] = $2; else if (f == ".action") ac[k] = $2 }',
    '    END { for (k in seen) print ty[k] " " ac[k] " " nm[k] }\' | sort -u',
    "}",
    // has LIST NAME: NAME is a line of LIST.
    "has() { printf '%s\\n' \"$1\" | grep -qxF -- \"$2\"; }",
    // A name read from Druid that the script would put in a path must need no escaping.
    "pathsafe() { case $1 in *[!A-Za-z0-9._@-]*|'') return 1 ;; esac; }",
];

/** Shell lines setting VAR to the sorted lines given. */
function sortedLines(variable: string, lines: string[]): string {
    return lines.length === 0 ? `${variable}=''` : `${variable}=$(printf '%s\\n' ${lines.map(shellQuote).join(" ")} | sort -u)`;
}

/** The access Job's script (see the header of this file). */
export function accessScript(o: AccessScriptOptions): string {
    const p = o.plan;
    const transport = o.transport ?? (o.coordinatorUrl.startsWith("https://") ? "wget" : "nc");
    const retry = o.retrySeconds ?? 5;
    const q = shellQuote;
    const lines: string[] = [
        ...applierPreamble({
            auth: o.auth, terminationLog: o.terminationLog, comment: o.comment, deadlineSeconds: p.applyTimeoutSeconds, retrySeconds: retry,
            transport, ioTimeoutSeconds: o.ioTimeoutSeconds,
        }),
        `base=${q(o.coordinatorUrl)}`,
        "changes=0",
        ...readers,
        // call METHOD PATH [BODY]: a request to the Coordinator until a 2xx (answer in $answer), or fail.
        'call() { request coordinator "$1" "$base" "$2" "$3"; }',
        // change METHOD PATH [BODY]: a request that changes Druid's state, logged and counted.
        'change() { call "$@"; changes=$((changes + 1)); echo "$1 $2: $code"; }',
        // login USER VAR: the status of GET /status as USER with the password in $VAR (401: wrong).
        "login() {",
        '  saved=$auth; eval "pw=\\${$2}"',
        `  auth="Authorization: Basic $(printf '%s:%s' "$1" "$pw" | base64 | tr -d '\\n')"`,
        "  while :; do",
        '    send GET "$base" /status ""',
        '    case $code in 2??|401|403) break ;; esac',
        `    if [ "$(date +%s)" -ge "$end" ]; then auth=$saved; fail "GET /status as $1: the coordinator gave no success in ${p.applyTimeoutSeconds} s; last answer $code: $answer"; fi`,
        `    sleep ${retry}`,
        "  done",
        "  auth=$saved",
        "}",
        // pwbody VAR: {"password": ...} with the password of $VAR, JSON-escaped.
        "pwbody() {",
        '  eval "pw=\\${$1}"',
        `  if [ -z "$pw" ]; then fail "$1 is empty: the Secret key of an access.users password must hold the password"; fi`,
        `  if printf '%s' "$pw" | tr -d '\\040-\\176\\200-\\377' | grep -q .; then fail "$1 holds a control character, which the component does not send"; fi`,
        `  printf '{"password":"%s"}' "$(printf '%s' "$pw" | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g')"`,
        "}",
        // sync KIND PATH CURRENT WANTED: POSTs PATH/roles/R for each wanted role missing, DELETEs each other current role.
        "sync() {",
        "  while IFS= read -r r; do",
        '    if [ -n "$r" ] && ! has "$3" "$r"; then change POST "$2/roles/$r"; fi',
        "  done <<EOF",
        "$4",
        "EOF",
        "  while IFS= read -r r; do",
        '    if [ -z "$r" ] || has "$4" "$r"; then continue; fi',
        `    pathsafe "$r" || fail "$1 has the role $r, whose name needs URL encoding: remove it by hand"`,
        '    change DELETE "$2/roles/$r"',
        "  done <<EOF",
        "$3",
        "EOF",
        "}",
        // record AUTHZ CURRENT WANTED: sets the record role's permissions to the names WANTED when they differ from CURRENT.
        "record() {",
        '  if [ "$2" = "$3" ]; then return; fi',
        "  b=''",
        "  while IFS= read -r n; do",
        `    if [ -n "$n" ]; then b="$b\${b:+,}{\\"resource\\":{\\"name\\":\\"$n\\",\\"type\\":\\"CONFIG\\"},\\"action\\":\\"READ\\"}"; fi`,
        "  done <<EOF",
        "$3",
        "EOF",
        `  change POST "$1/roles/${managedRecordRole}/permissions" "[$b]"`,
        "}",
    ];

    // What each authorizer records: its roles, and users and accounts (user authorizer) or group mappings.
    const accounts = p.users.filter((u) => u.password !== undefined);
    const declared = (authorizer: string): string[] => [
        ...p.roles.map((r) => `role:${r.name}`),
        ...(authorizer === p.userAuthorizer ? [...p.users.map((u) => `user:${u.name}`), ...accounts.map((u) => `account:${u.name}`)] : []),
        ...(authorizer === p.groupAuthorizer ? p.ldapGroups.map((g) => `group:${g.name}`) : []),
    ];

    // 1. Read each authorizer's roles and record; record the union of old and declared; create the roles.
    p.authorizers.forEach((a, k) => {
        const az = authorizationBase(a);
        lines.push(
            `# authorizer ${a}`,
            `call GET ${q(`${az}/roles`)}; roles${k}=$(printf '%s' "$answer" | items)`,
            `if has "$roles${k}" ${q(managedRecordRole)}; then`,
            `  call GET ${q(`${az}/roles/${managedRecordRole}?simplifyPermissions`)}; old${k}=$(printf '%s' "$answer" | perms | awk '$1 == "CONFIG" { print $3 }' | sort -u)`,
            "else",
            `  change POST ${q(`${az}/roles/${managedRecordRole}`)}; old${k}=''`,
            "fi",
            sortedLines(`want${k}`, declared(a)),
            `union${k}=$(printf '%s\\n%s\\n' "$old${k}" "$want${k}" | grep . | sort -u)`,
            `record ${q(az)} "$old${k}" "$union${k}"`,
            ...p.roles.map((r) => `has "$roles${k}" ${q(r.name)} || change POST ${q(`${az}/roles/${r.name}`)}`),
        );
    });
    // 2. Permissions, as sets.
    p.authorizers.forEach((a) => {
        const az = authorizationBase(a);
        for (const r of p.roles) {
            lines.push(
                `call GET ${q(`${az}/roles/${r.name}?simplifyPermissions`)}; cur=$(printf '%s' "$answer" | perms)`,
                sortedLines("want", r.permissions.map(permissionLine)),
                `[ "$cur" = "$want" ] || change POST ${q(`${az}/roles/${r.name}/permissions`)} ${q(JSON.stringify(r.permissions.map(resourceAction)))}`,
            );
        }
    });
    // 3. Users and their roles; group mappings; basic accounts and their passwords.
    const uk = p.authorizers.indexOf(p.userAuthorizer);
    const uz = authorizationBase(p.userAuthorizer);
    lines.push(`call GET ${q(`${uz}/users`)}; users=$(printf '%s' "$answer" | items)`);
    for (const u of p.users) {
        const path = `${uz}/users/${u.name}`;
        lines.push(
            `if has "$users" ${q(u.name)}; then call GET ${q(path)}; cur=$(printf '%s' "$answer" | listat .roles | sort -u); else change POST ${q(path)}; cur=''; fi`,
            sortedLines("want", u.roles),
            `sync ${q(`user ${u.name}`)} ${q(path)} "$cur" "$want"`,
        );
    }
    const gz = p.groupAuthorizer !== undefined ? authorizationBase(p.groupAuthorizer) : undefined;
    if (gz !== undefined) {
        lines.push(`call GET ${q(`${gz}/groupMappings`)}; groups=$(printf '%s' "$answer" | items)`);
        for (const g of p.ldapGroups) {
            const path = `${gz}/groupMappings/${g.name}`;
            const body = groupMappingBody(g);
            lines.push(
                `if has "$groups" ${q(g.name)}; then`,
                `  call GET ${q(path)}; pattern=$(printf '%s' "$answer" | field .groupPattern); cur=$(printf '%s' "$answer" | listat .roles | sort -u)`,
                `  if [ "$pattern" != ${q(JSON.stringify(g.groupPattern).slice(1, -1))} ]; then change DELETE ${q(path)}; change POST ${q(path)} ${q(body)}; cur=${q([...g.roles].sort().join("\n"))}; fi`,
                `else change POST ${q(path)} ${q(body)}; cur=${q([...g.roles].sort().join("\n"))}; fi`,
                `cur=$(printf '%s\\n' "$cur" | sort -u)`,
                sortedLines("want", g.roles),
                `sync ${q(`group mapping ${g.name}`)} ${q(path)} "$cur" "$want"`,
            );
        }
    }
    const an = authenticationBase(p.authenticator);
    lines.push(`call GET ${q(`${an}/users`)}; accounts=$(printf '%s' "$answer" | items)`);
    for (const u of accounts) {
        const env = u.password!.env;
        lines.push(
            `if has "$accounts" ${q(u.name)}; then login ${q(u.name)} ${env}; [ "$code" != 401 ]; else change POST ${q(`${an}/users/${u.name}`)}; false; fi ||`,
            // pwbody fails (termination message written) in its subshell: the script stops with it.
            `  { pwb=$(pwbody ${env}) || exit 1; change POST ${q(`${an}/users/${u.name}/credentials`)} "$pwb"; }`,
        );
    }
    // 4. Delete what an earlier apply made and `access` no longer declares; then record exactly the declared names.
    p.authorizers.forEach((a, k) => {
        const az = authorizationBase(a);
        lines.push(
            "while IFS= read -r n; do",
            `  if [ -z "$n" ] || has "$want${k}" "$n"; then continue; fi`,
            '  x=${n#*:}; pathsafe "$x" || continue',
            '  case $n in',
            ...(k === uk ? [
                `    user:*) has "$users" "$x" && change DELETE ${q(`${az}/users/`)}"$x" ;;`,
                `    account:*) has "$accounts" "$x" && change DELETE ${q(`${an}/users/`)}"$x" ;;`,
            ] : []),
            ...(a === p.groupAuthorizer ? [`    group:*) has "$groups" "$x" && change DELETE ${q(`${az}/groupMappings/`)}"$x" ;;`] : []),
            "  esac",
            "done <<EOF",
            `$old${k}`,
            "EOF",
            "while IFS= read -r n; do",
            `  case $n in role:*) x=\${n#role:}; if ! has "$want${k}" "$n" && pathsafe "$x" && has "$roles${k}" "$x"; then change DELETE ${q(`${az}/roles/`)}"$x"; fi ;; esac`,
            "done <<EOF",
            `$old${k}`,
            "EOF",
            `record ${q(az)} "$union${k}" "$want${k}"`,
        );
    });
    lines.push(
        `printf 'applied %s changes\\n' "$changes" > "$msg"`,
        'echo "applied $changes changes"',
        "exit 0",
    );
    return lines.join("\n");
}
