import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { Access, DruidArgumentError, DruidCluster, DruidClusterArgs } from "../index";
import { accessScript, AccessScriptOptions } from "../components/config/access-requests";
import { AccessPlan, builtInRoles } from "../components/plan/access-plan";
import { resolveAccess } from "../components/plan/resolve-access";
import { ProblemCollector } from "../components/plan/validate-collect";
import { checkAccessFits } from "../components/parts/applier-fits";
import { javaRegexProblem } from "../components/plan/validate-java-regex";
import { Plan, PlannedResource, planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { runScript, ScriptRun, useBusybox } from "./support/busybox-run";
import { checkRestricted } from "./support/pod-security-restricted";
import { FakeCoordinator, Seen } from "./support/fake-basic-security";

// `access` (authorization as code): its validation, the Job in the plan, and the Job's script run
// with busybox (as in the Druid image) against a local server that plays the Coordinator's
// druid-basic-security API with state (tests/support/fake-basic-security.ts, with its sources).

const applets = ["sh", "wget", "nc", "base64", "tr", "date", "sleep", "printf", "sed", "head", "wc", "cat", "echo", "awk", "sort", "grep"];
const internalPassword = "s3cr:t p@ss";
const pipelinePassword = "pipe\"line\\pw 1";


const declared: Access = {
    roles: [
        { name: "analysts", permissions: [{ type: "DATASOURCE", name: "wiki.*", action: "READ" }, { type: "DATASOURCE", name: "sales_\\d+", action: "READ" }, { type: "STATE", name: "STATE", action: "READ" }] },
    ],
    users: [
        { name: "ann@example.com", roles: ["analysts"] },
        { name: "pipeline", roles: ["ingestion"], password: { name: "pipeline-account", key: "password" } },
    ],
    ldapGroups: [{ name: "ops", groupPattern: "cn=ops,ou=groups,dc=example,dc=com", roles: ["read-only", "analysts"] }],
};

function plan(access: Access, ldap = true): AccessPlan {
    const problems = new ProblemCollector();
    const p = resolveAccess(access, { authEnabled: true, ldap }, problems);
    problems.throwIfAny();
    return p!;
}

describe("access: validation (plan/resolve-access.ts)", () => {
    const problems = (access: Access, ctx = { authEnabled: true, ldap: true }): string[] => {
        const c = new ProblemCollector();
        c.attempt(() => resolveAccess(access, ctx, c), undefined);
        return c.problems.map((e) => `${e.argument}: ${e.message}`);
    };

    it("the declared example resolves: built-in roles added, names sorted, roles in both authorizers, a password as env from its Secret", () => {
        const p = plan(declared);
        assert.deepEqual(p.authorizers, ["MetadataStoreAuthorizer", "LdapAuthorizer"]);
        assert.deepEqual(p.roles.map((r) => r.name), ["analysts", "ingestion", "read-only"]);
        assert.deepEqual(p.users.find((u) => u.name === "pipeline")!.password, { secretName: "pipeline-account", key: "password", env: "DRUID_ACCESS_PASSWORD_0" });
        assert.deepEqual(plan({ roles: declared.roles, users: declared.users }, false).authorizers, ["MetadataStoreAuthorizer"]);
    });

    it("permissions are a set: repeats dropped, order irrelevant", () => {
        const p = plan({ roles: [{ name: "r", permissions: [{ type: "STATE", name: "STATE", action: "READ" }, { type: "DATASOURCE", name: "a", action: "READ" }, { type: "STATE", name: "STATE", action: "READ" }] }] });
        assert.deepEqual(p.roles.find((r) => r.name === "r")!.permissions, [{ type: "DATASOURCE", name: "a", action: "READ" }, { type: "STATE", name: "STATE", action: "READ" }]);
    });

    it("one problem per mistake, each with its argument path", () => {
        const found = problems({
            roles: [
                { name: "admin" },
                { name: "a/b" },
                { name: "x", permissions: [{ type: "LOOKUP" as never, name: "a", action: "READ" }, { type: "DATASOURCE", name: "(?i)wiki", action: "READ" }, { type: "STATE", name: "STATE", action: "DELETE" as never }] },
                { name: "x" },
                { name: "read-only" },
            ],
            users: [{ name: "druid_system", roles: [] }, { name: "admin", roles: [] }, { name: "bob", roles: ["nope", "admin"] }],
            ldapGroups: [{ name: "g", groupPattern: "cn=[[a]]", roles: ["x"] }],
        });
        const at = (prefix: string) => {
            const hits = found.filter((f) => f.startsWith(`${prefix}: `));
            assert.equal(hits.length, 1, `${prefix} in:\n${found.join("\n")}`);
            return hits[0];
        };
        assert.match(at("access.roles[0].name"), /reserved: Druid creates the role "admin"/);
        assert.match(at("access.roles[1].name"), /got "a\/b"; must be 1 to 256 letters, digits/);
        assert.match(at("access.roles[2].permissions[0].type"), /must be one of DATASOURCE, VIEW, STATE, CONFIG, SYSTEM_TABLE, EXTERNAL, QUERY_CONTEXT/);
        assert.match(at("access.roles[2].permissions[1].name"), /inline flags and atomic groups are Java only/);
        assert.match(at("access.roles[2].permissions[2].action"), /must be READ or WRITE/);
        assert.match(at("access.roles[3].name"), /is given twice in access.roles/);
        assert.match(at("access.roles[4].name"), /it is a built-in role: set access.builtInRoles false/);
        assert.match(at("access.users[0].name"), /Druid's own user with every permission/);
        assert.match(at("access.users[1].name"), /Druid's own user/);
        assert.match(at("access.users[2].roles[0]"), /got "nope"; names no role: the roles are "read-only", "ingestion"/);
        assert.match(at("access.users[2].roles[1]"), /Druid's own "admin" role is kept for admin and druid_system only/);
        assert.match(at("access.ldapGroups[0].groupPattern"), /a \[ inside a character class/);
        assert.equal(found.length, 12, found.join("\n"));
    });

    it("ldapGroups without auth.ldap, and access without auth, are refused", () => {
        assert.deepEqual(problems({ ldapGroups: [{ name: "g", groupPattern: "cn=g", roles: [] }] }, { authEnabled: true, ldap: false }),
            ["access.ldapGroups: DruidCluster: invalid access.ldapGroups: got \"1 group mapping(s)\"; needs auth.ldap (the LDAP authorizer maps a user's LDAP groups to roles): configure auth.ldap or assign the roles to users"]);
        assert.throws(() => resolveAccess({}, { authEnabled: false, ldap: false }, new ProblemCollector()),
            (e: DruidArgumentError) => e.argument === "access" && /auth.enabled: false turns off/.test(e.message));
    });

    it("with builtInRoles false, read-only and ingestion are the user's to define, and no longer defined otherwise", () => {
        assert.deepEqual(plan({ builtInRoles: false, roles: [{ name: "read-only" }] }).roles.map((r) => r.name), ["read-only"]);
        assert.match(problems({ builtInRoles: false, users: [{ name: "u", roles: ["ingestion"] }] })[0], /names no role: the roles are \(none\)/);
    });
});

describe("access: the Job's script fits its ConfigMap (parts/applier-fits.ts)", () => {
    const many = (n: number): Access => ({
        roles: Array.from({ length: n }, (_, i) => ({ name: `role-${i}`, permissions: [{ type: "DATASOURCE" as const, name: `datasource_${i}_.*`, action: "READ" as const }] })),
    });
    it("a few hundred roles fit; thousands are refused at construction, naming access and the size", () => {
        assert.doesNotThrow(() => checkAccessFits(plan(many(300))));
        assert.throws(() => checkAccessFits(plan(many(3000))), (e: DruidArgumentError) =>
            e.argument === "access" && /got "3002 roles, 0 users and 0 group mappings"; make an access script of \d+ bytes, over the 1048576 bytes a Kubernetes ConfigMap holds/.test(e.message));
        assert.throws(() => new DruidCluster("druid", { ...defaultArgs(), access: many(3000) }), (e: DruidArgumentError) => e.argument === "access");
    });
});

describe("access: permission patterns, compiled by the JDK's java.util.regex as Druid does", function () {
    this.timeout(60000);
    // [pattern, resource name]: the validator accepts each; Java must compile it and match as JavaScript does.
    const accepted: [string, string][] = [
        ["wiki.*", "wikipedia"], ["wiki.*", "xwiki"], ["sales_\\d+", "sales_2024"], ["sales_\\d+", "sales_x"], ["a|b", "b"], ["(?:ab)+", "abab"],
        ["[a-z]{2,3}", "abc"], ["[a-z]{2,3}", "abcd"], ["\\w+\\.\\w+", "a.b"], ["x(?=y)y", "xy"], ["(?<n>a)\\1", "aa"], ["\\x41\\u0042", "AB"],
        ["[^0-9]+", "abc"], ["a{2}?", "aa"], ["cn=ops,ou=groups,dc=example,dc=com", "cn=ops,ou=groups,dc=example,dc=com"], ["\\[x\\]", "[x]"], ["a\\-b", "a-b"],
        ["STATE", "STATE"], [".*", ""],
    ];
    // Refused: Java reads them differently from JavaScript (or only one of them compiles them).
    const refused = ["(?i)wiki", "[[a]]", "[a-z&&[^c]]", "a{", "a*+", "\\Qa.b\\E", "\\p{L}+", "\\s", "\\bx", "[^]", "(?>a)", "\\v", "\\0", "\\z", ""];

    it("every accepted pattern compiles in Java and matches the same names as in JavaScript; every refused one is named", () => {
        for (const [p] of accepted) assert.equal(javaRegexProblem(p), undefined, p);
        for (const p of refused) assert.notEqual(javaRegexProblem(p), undefined, p);
        const out = execFileSync("java", ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", path.join(__dirname, "java", "RegexCompile.java"), ...accepted.flat()], { encoding: "utf8" })
            .trim().split("\n");
        assert.deepEqual(out, accepted.map(([p, n]) => String(new RegExp(`^(?:${p})$`).test(n))));
        // And the refused ones do differ: Java compiles "[[a]]" as a union (it matches "a") where JavaScript reads "[[a]" then "]".
        const diff = execFileSync("java", ["-XX:TieredStopAtLevel=1", path.join(__dirname, "java", "RegexCompile.java"), "[[a]]", "a", "a{", "a", "(?i)wiki", "WIKI"], { encoding: "utf8" }).trim().split("\n");
        assert.deepEqual(diff, ["true", "error", "true"]);
        assert.equal(new RegExp("^(?:[[a]])$").test("a"), false);
    });
});

// ---- The script, run by busybox against the fake Coordinator.

describe("access Job script, run by busybox against a server playing the Coordinator's basic-security API", function () {
    this.timeout(120000);
    const bb = useBusybox(applets);
    const run = async (server: FakeCoordinator, access: Access, o: Partial<AccessScriptOptions> = {}, pipelinePw = pipelinePassword): Promise<ScriptRun & { requests: Seen[] }> => {
        const log = bb.nextLog();
        const before = server.seen.length;
        const script = accessScript({ plan: { ...plan(access), applyTimeoutSeconds: 20 }, coordinatorUrl: server.url, auth: true, comment: "DruidCluster druid", retrySeconds: 1, ioTimeoutSeconds: 5, ...o, terminationLog: log });
        const r = await runScript(bb.bin(), script, { DRUID_INTERNAL_CLIENT_PASSWORD: internalPassword, DRUID_ACCESS_PASSWORD_0: pipelinePw }, log, 90000);
        return { ...r, requests: server.seen.slice(before) };
    };
    const writes = (rs: Seen[]) => rs.filter((r) => r.method !== "GET");
    const az = (a: string) => `/druid-ext/basic-security/authorization/db/${a}`;
    const an = "/druid-ext/basic-security/authentication/db/MetadataStoreAuthenticator";
    const perm = (type: string, action: string, name: string) => `${type} ${action} ${name}`;
    const builtIn = Object.fromEntries(builtInRoles.map((r) => [r.name, r.permissions.map((p) => perm(p.type, p.action, p.name)).sort()]));
    const analysts = [perm("DATASOURCE", "READ", "sales_\\d+"), perm("DATASOURCE", "READ", "wiki.*"), perm("STATE", "READ", "STATE")];
    const record = (names: string[]) => names.map((n) => perm("CONFIG", "READ", n)).sort();

    let server: FakeCoordinator;
    beforeEach(async () => { server = new FakeCoordinator(internalPassword); await server.start(); });
    afterEach(async () => { await server.stop(); });

    it("from Druid's first state: roles, then permissions, then assignments; the final state is the declared one; a second run sends only GETs", async () => {
        const first = await run(server, declared);
        assert.equal(first.code, 0, first.stderr);
        const w = writes(first.requests);
        const index = (pred: (s: Seen) => boolean) => w.map((s, i) => (pred(s) ? i : -1)).filter((i) => i >= 0);
        const createRole = index((s) => s.method === "POST" && /\/roles\/[^/]+$/.test(s.url) && !s.url.includes("/users/") && !s.url.includes("/groupMappings/"));
        const setPerms = index((s) => s.url.endsWith("/permissions") && !s.url.includes("pulumi-druid-managed"));
        const assign = index((s) => /\/(users|groupMappings)\//.test(s.url));
        assert.equal(createRole.length, 2 * 4, "3 roles and the record role, in both authorizers");
        assert.equal(setPerms.length, 2 * 3);
        assert.ok(Math.max(...createRole) < Math.min(...setPerms), "roles before permissions");
        assert.ok(Math.max(...setPerms) < Math.min(...assign), "permissions before assignments");
        // Bodies: Druid's ResourceAction list; a group mapping's create body; the account's credentials.
        const analystsBody = w.find((s) => s.url === `${az("MetadataStoreAuthorizer")}/roles/analysts/permissions`)!;
        assert.deepEqual(JSON.parse(analystsBody.body), [
            { resource: { name: "sales_\\d+", type: "DATASOURCE" }, action: "READ" },
            { resource: { name: "wiki.*", type: "DATASOURCE" }, action: "READ" },
            { resource: { name: "STATE", type: "STATE" }, action: "READ" },
        ]);
        assert.deepEqual(JSON.parse(w.find((s) => s.method === "POST" && s.url === `${az("LdapAuthorizer")}/groupMappings/ops`)!.body),
            { name: "ops", groupPattern: "cn=ops,ou=groups,dc=example,dc=com", roles: ["analysts", "read-only"] });
        assert.deepEqual(JSON.parse(w.find((s) => s.url === `${an}/users/pipeline/credentials`)!.body), { password: pipelinePassword });
        for (const s of first.requests) {
            assert.equal(s.headers["x-druid-author"], "pulumi-druid");
            assert.equal(s.headers["content-length"], String(Buffer.byteLength(s.body)));
        }
        // The final state.
        const m = server.snapshot("MetadataStoreAuthorizer");
        assert.deepEqual(m.roles, { admin: m.roles.admin, analysts, ...builtIn,
            "pulumi-druid-managed": record(["role:analysts", "role:ingestion", "role:read-only", "user:ann@example.com", "user:pipeline", "account:pipeline"]) });
        assert.deepEqual(m.users, { admin: ["admin"], druid_system: ["admin"], "ann@example.com": ["analysts"], pipeline: ["ingestion"] });
        const l = server.snapshot("LdapAuthorizer");
        assert.deepEqual(l.groups, { ops: { groupPattern: "cn=ops,ou=groups,dc=example,dc=com", roles: ["analysts", "read-only"] } });
        assert.deepEqual(l.roles["pulumi-druid-managed"], record(["role:analysts", "role:ingestion", "role:read-only", "group:ops"]));
        assert.deepEqual(l.users, { admin: ["admin"], druid_system: ["admin"] }, "users are MetadataStoreAuthorizer's");
        assert.equal(server.accounts.get("pipeline"), pipelinePassword);
        assert.equal(first.message, `applied ${w.length} changes\n`);
        // Nothing logs the password.
        for (const text of [first.stdout, first.stderr, first.message]) assert.ok(!text.includes(pipelinePassword) && !text.includes(internalPassword));

        const second = await run(server, declared);
        assert.equal(second.code, 0, second.stderr);
        assert.deepEqual(writes(second.requests), [], "re-applying the same state changes nothing");
        assert.equal(second.message, "applied 0 changes\n");
        assert.ok(second.requests.some((s) => s.url === "/status" && s.headers.authorization === `Basic ${Buffer.from(`pipeline:${pipelinePassword}`).toString("base64")}`),
            "the account's password is checked by logging in with it");
    });

    it("drift is corrected: an extra permission and an extra role assignment are removed, a changed password and a changed group pattern are set again; what was never declared is left alone", async () => {
        assert.equal((await run(server, declared)).code, 0);
        const m = server.authz.get("MetadataStoreAuthorizer")!;
        m.roles.get("analysts")!.push({ resource: { name: ".*", type: "CONFIG" }, action: "WRITE" });
        m.users.get("ann@example.com")!.add("ingestion");
        m.roles.set("legacy", []);
        m.users.set("carol", new Set(["legacy"]));
        server.accounts.set("pipeline", "changed by hand");
        server.authz.get("LdapAuthorizer")!.groups.get("ops")!.groupPattern = "cn=other";
        const r = await run(server, declared);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(writes(r.requests).map((s) => `${s.method} ${s.url}`), [
            `POST ${az("MetadataStoreAuthorizer")}/roles/analysts/permissions`,
            `DELETE ${az("MetadataStoreAuthorizer")}/users/ann@example.com/roles/ingestion`,
            `DELETE ${az("LdapAuthorizer")}/groupMappings/ops`,
            `POST ${az("LdapAuthorizer")}/groupMappings/ops`,
            `POST ${an}/users/pipeline/credentials`,
        ]);
        const after = server.snapshot("MetadataStoreAuthorizer");
        assert.deepEqual(after.roles.analysts, analysts);
        assert.deepEqual(after.users["ann@example.com"], ["analysts"]);
        assert.deepEqual(after.roles.legacy, [], "a role never declared stays");
        assert.deepEqual(after.users.carol, ["legacy"]);
        assert.equal(server.accounts.get("pipeline"), pipelinePassword);
        assert.equal(server.snapshot("LdapAuthorizer").groups.ops.groupPattern, "cn=ops,ou=groups,dc=example,dc=com");
    });

    it("what an earlier apply made and access no longer declares is deleted (user, account, group mapping, role)", async () => {
        assert.equal((await run(server, declared)).code, 0);
        const fewer: Access = { roles: declared.roles, users: [{ name: "ann@example.com", roles: ["analysts"] }], builtInRoles: false };
        const r = await run(server, fewer);
        assert.equal(r.code, 0, r.stderr);
        const m = server.snapshot("MetadataStoreAuthorizer");
        assert.deepEqual(Object.keys(m.roles).sort(), ["admin", "analysts", "pulumi-druid-managed"]);
        assert.deepEqual(Object.keys(m.users).sort(), ["admin", "ann@example.com", "druid_system"]);
        assert.equal(server.accounts.has("pipeline"), false);
        assert.deepEqual(Object.keys(server.snapshot("LdapAuthorizer").groups), []);
        assert.deepEqual(m.roles["pulumi-druid-managed"], record(["role:analysts", "user:ann@example.com"]));
        assert.deepEqual(writes((await run(server, fewer)).requests), []);
    });

    it("a 400 stops the Job with the request, the status and Druid's answer in the termination message", async () => {
        const error = '{"error":"Invalid permission, resource name regex[wiki.*] does not compile."}';
        server.refuse = (s) => (s.method === "POST" && s.url.endsWith("/roles/analysts/permissions") ? [400, error] : undefined);
        const r = await run(server, declared);
        assert.equal(r.code, 1);
        assert.equal(r.message, `POST ${az("MetadataStoreAuthorizer")}/roles/analysts/permissions: the coordinator answered 400: ${error}\n`);
        assert.equal(writes(r.requests).filter((s) => /\/(users|groupMappings)\//.test(s.url)).length, 0, "no assignment after the failure");
    });

    it("an empty password, or one with a control character, fails the Job naming the variable, before any credentials are sent", async () => {
        for (const [pw, why] of [["", "DRUID_ACCESS_PASSWORD_0 is empty"], ["a\tb", "DRUID_ACCESS_PASSWORD_0 holds a control character"]]) {
            const fresh = new FakeCoordinator(internalPassword);
            await fresh.start();
            try {
                const r = await run(fresh, declared, {}, pw);
                assert.equal(r.code, 1);
                assert.match(r.message, new RegExp(`^${why}`));
                assert.equal(fresh.seen.filter((s) => s.url.endsWith("/credentials")).length, 0);
            } finally {
                await fresh.stop();
            }
        }
    });

    it("a Coordinator still starting (503, then answers): retried until the deadline", async () => {
        let n = 0;
        server.refuse = () => (++n <= 2 ? [503, ""] : undefined);
        const r = await run(server, declared);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /GET \/druid-ext\/basic-security\/authorization\/db\/MetadataStoreAuthorizer\/roles: 503, again in 1 s/);
    });

    it("wget transport (TLS): the same first apply; a needed DELETE fails the Job naming it, as busybox wget sends no DELETE", async () => {
        const first = await run(server, declared, { transport: "wget" });
        assert.equal(first.code, 0, first.stderr);
        assert.deepEqual(server.snapshot("MetadataStoreAuthorizer").users["ann@example.com"], ["analysts"]);
        assert.deepEqual(writes((await run(server, declared, { transport: "wget" })).requests), []);
        server.authz.get("MetadataStoreAuthorizer")!.users.get("ann@example.com")!.add("ingestion");
        const r = await run(server, declared, { transport: "wget" });
        assert.equal(r.code, 1);
        assert.equal(r.message, `DELETE ${az("MetadataStoreAuthorizer")}/users/ann@example.com/roles/ingestion: the coordinator answered 501: the image's busybox wget (the transport with TLS) cannot send DELETE\n`);
    });
});

// ---- The Job in the plan.

const jobType = "kubernetes:batch/v1:Job";
type Obj = Record<string, unknown>;
const at = (v: unknown, ...keys: string[]): unknown => keys.reduce((o, k) => (o as Obj | undefined)?.[k], v);

async function build(args: DruidClusterArgs): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { config: { "aws:region": "eu-west-1" } })).plan;
}

describe("access: the Job in the plan", function () {
    this.timeout(120000);
    let p: Plan;
    let job: PlannedResource;
    const withAccess = (access: Access = { roles: declared.roles, users: declared.users }): DruidClusterArgs => ({ ...defaultArgs(), access });
    before(async () => {
        p = await build(withAccess());
        job = p.get(jobType, "druid-access-applier");
    });
    const container = (j: PlannedResource) => (at(j.inputs, "spec", "template", "spec", "containers") as Obj[])[0];
    const script = (j: PlannedResource, pl: Plan = p) => {
        const name = String(at(j.inputs, "metadata", "name"));
        const map = pl.ofType("kubernetes:core/v1:ConfigMap").find((c) => at(c.inputs, "metadata", "name") === name);
        assert.ok(map !== undefined, `no ConfigMap ${name}`);
        assert.equal(at(map.inputs, "immutable"), true);
        return String(at(map.inputs, "data", "apply.sh"));
    };

    it("no access, no Job", async () => {
        assert.equal((await build(defaultArgs())).ofType(jobType).length, 0);
    });

    it("runs the script of its ConfigMap against the Coordinator Service, named after a hash of what it does: a change to access is a new Job", async () => {
        const name = String(at(job.inputs, "metadata", "name"));
        assert.match(name, /^druid-access-[0-9a-f]{10}$/);
        assert.deepEqual(container(job).command, ["/bin/sh", "/etc/druid-config-applier/apply.sh"]);
        const s = script(job);
        assert.ok(s.includes("base='http://druid-coordinator.druid.svc:8081'"), "the Coordinator Service");
        assert.ok(s.includes("/druid-ext/basic-security/authorization/db/MetadataStoreAuthorizer/roles/analysts/permissions"));
        assert.ok(!s.includes("LdapAuthorizer"), "no LDAP authorizer without auth.ldap");
        assert.equal(at((await build(withAccess())).get(jobType, "druid-access-applier").inputs, "metadata", "name"), name);
        const changed = withAccess({ roles: [{ name: "analysts", permissions: [{ type: "DATASOURCE", name: "wiki", action: "READ" }] }] });
        assert.notEqual(at((await build(changed)).get(jobType, "druid-access-applier").inputs, "metadata", "name"), name);
        assert.equal(job.deleteBeforeReplace, true);
    });

    it("its pod is a Druid pod of the cluster (the druid-internal NetworkPolicy lets it reach the Coordinator) under the restricted profile", () => {
        const labels = at(job.inputs, "spec", "template", "metadata", "labels") as Obj;
        assert.equal(labels["app.kubernetes.io/name"], "druid");
        assert.equal(labels["app.kubernetes.io/instance"], "druid");
        assert.equal(labels["app.kubernetes.io/component"], "access-applier");
        assert.deepEqual(checkRestricted(at(job.inputs, "spec", "template", "spec") as never), []);
        assert.equal(at(job.inputs, "spec", "template", "spec", "automountServiceAccountToken"), false);
    });

    it("starts after the Coordinator's workload and the replica patches (as the data-management Job)", () => {
        assert.ok(p.dependsOn(job, p.get("kubernetes:apps/v1:Deployment", "druid-coordinator")));
        assert.ok(p.dependsOn(job, p.get("kubernetes:apps/v1:DeploymentPatch", "druid-overlord-replicas")));
    });

    it("passwords only as secretKeyRef env: the internal client's and each basic account's; none in the script, the ConfigMap or the plan", () => {
        const env = container(job).env as Obj[];
        assert.deepEqual(env.map((e) => [e.name, at(e, "valueFrom", "secretKeyRef", "key"), e.value]), [
            ["DRUID_INTERNAL_CLIENT_PASSWORD", "internal-client-password", undefined],
            ["DRUID_ACCESS_PASSWORD_0", "password", undefined],
        ]);
        assert.equal(at(env[1], "valueFrom", "secretKeyRef", "name"), "pipeline-account");
        assert.ok(script(job).includes("login 'pipeline' DRUID_ACCESS_PASSWORD_0"));
        assert.ok(script(job).includes("pwb=$(pwbody DRUID_ACCESS_PASSWORD_0) || exit 1"));
    });

    it("a plain-text password is refused before anything is registered", () => {
        const args = withAccess({ users: [{ name: "p", roles: [], password: "hunter2" as never }] });
        assert.throws(() => new DruidCluster("druid", args), (e: DruidArgumentError) => e.argument === "access.users[0].password" && !e.message.includes("hunter2") &&
            e.message.includes("must not be the secret itself: give a reference to a key of an existing Kubernetes Secret"));
    });
});
