/*
 * LDAP authentication with real programs: Debian's OpenLDAP server (slapd 2.5, mdb backend, the
 * memberof overlay) on a loopback port over LDAPS with a certificate from a test CA (openssl), and
 * the JDK's JNDI LDAP client and TLS (tests/java/LdapLogin.java) doing what Druid's
 * LDAPCredentialsValidator and LDAPRoleProvider do (sources cited in LdapLogin.java), from ONLY:
 *   - the common.runtime.properties the component renders (url replaced by the port slapd got),
 *   - the truststore made by the init container command the component renders, run with this
 *     machine's JDK on a directory laid out as the pod (the CA mounted at the rendered path),
 *   - the two secrets as the environment variables the pods get (DRUID_LDAP_BIND_PASSWORD from the
 *     user's Secret, DRUID_LDAP_TRUSTSTORE_PASSWORD from <name>-auth).
 * The group mappings (groupPattern → roles) are part 2's (`access`), written here by hand; what is
 * checked is the role provider's matching of the directory's memberOf values against them.
 *
 * Needs (Debian): slapd, ldap-utils, openssl, default-jdk-headless (.ci/run installs them).
 */
import assert from "node:assert/strict";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DruidCluster } from "../../index";
import { Plan, planProgram, valueOf } from "../../testing";
import { authModesArgs } from "../fixtures/auth-args";
import { run, RunResult } from "../support/cert-manager-keystore";
import { freePort } from "../support/free-port";

const loginProgram = path.join(__dirname, "..", "java", "LdapLogin.java");
const slapdPath = "/usr/sbin/slapd";
const base = "dc=example,dc=com";
const adminDn = `cn=admin,${base}`;
const adminPw = "admin-test-password";
const bindPw = "bind-test-password-7f3a";
const truststorePw = "truststore-test-password-91c2";

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);


async function must(cmd: string, args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> {
    const r = input === undefined ? await run(cmd, args, env) : await new Promise<RunResult>((resolve) => {
        const child = spawn(cmd, args, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } });
        let stdout = ""; let stderr = "";
        child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
        child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
        const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        child.on("close", (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
        child.stdin.end(input);
    });
    if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r;
}

const directory = [
    ["ou=people", "objectClass: organizationalUnit\nou: people"],
    ["ou=outsiders", "objectClass: organizationalUnit\nou: outsiders"],
    ["ou=groups", "objectClass: organizationalUnit\nou: groups"],
    ["ou=services", "objectClass: organizationalUnit\nou: services"],
    ["cn=druid,ou=services", `objectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: druid\nuserPassword: ${bindPw}`],
    ["uid=alice,ou=people", "objectClass: inetOrgPerson\nuid: alice\ncn: Alice\nsn: A\nuserPassword: alice-pw"],
    ["uid=bob,ou=people", "objectClass: inetOrgPerson\nuid: bob\ncn: Bob\nsn: B\nuserPassword: bob-pw"],
    ["uid=mallory,ou=outsiders", "objectClass: inetOrgPerson\nuid: mallory\ncn: Mallory\nsn: M\nuserPassword: mallory-pw"],
    ["cn=analysts,ou=groups", "objectClass: groupOfNames\ncn: analysts\nmember: uid=alice,ou=people,dc=example,dc=com"],
    ["cn=pipelines,ou=groups", "objectClass: groupOfNames\ncn: pipelines\nmember: uid=bob,ou=people,dc=example,dc=com"],
].map(([rdn, body]) => `dn: ${rdn},${base}\n${body}\n`).join("\n");

describe("LDAP authentication against a real OpenLDAP over LDAPS (rendered properties, JDK JNDI)", function () {
    this.timeout(60_000);
    let tmp = "";
    let slapd: ChildProcess | undefined;
    let url = "";
    let commonFile = "";
    let podRoot = "";
    let plan: Plan | undefined;

    before(async function () {
        const missing = [["slapd", slapdPath], ["ldapadd", "/usr/bin/ldapadd"], ["openssl", "/usr/bin/openssl"], ["java", "/usr/bin/java"]]
            .filter(([, p]) => !fs.existsSync(p)).map(([n]) => n);
        assert.deepEqual(missing, [], "missing programs: apt-get install slapd ldap-utils openssl default-jdk-headless (.ci/run installs them)");
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ldap-test-"));
        const f = (n: string) => path.join(tmp, n);
        await must("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca.key"), "-out", f("ca.pem"), "-days", "2", "-subj", "/CN=LDAP Test CA"]);
        await must("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost"]);
        fs.writeFileSync(f("san.ext"), "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
        await must("openssl", ["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f("server.pem"), "-days", "2", "-extfile", f("san.ext")]);
        fs.mkdirSync(f("db"));
        fs.writeFileSync(f("slapd.conf"), [
            "include /etc/ldap/schema/core.schema", "include /etc/ldap/schema/cosine.schema", "include /etc/ldap/schema/inetorgperson.schema",
            "modulepath /usr/lib/ldap", "moduleload back_mdb", "moduleload memberof",
            `pidfile ${f("slapd.pid")}`, `argsfile ${f("slapd.args")}`,
            `TLSCACertificateFile ${f("ca.pem")}`, `TLSCertificateFile ${f("server.pem")}`, `TLSCertificateKeyFile ${f("server.key")}`,
            "database mdb", `suffix "${base}"`, `rootdn "${adminDn}"`, `rootpw ${adminPw}`, `directory ${f("db")}`,
            "overlay memberof", "",
        ].join("\n"));
        const port = await freePort();
        url = `ldaps://localhost:${port}`;
        slapd = spawn(slapdPath, ["-f", f("slapd.conf"), "-h", `${url}/`, "-d", "0"], { stdio: ["ignore", "ignore", "pipe"] });
        let log = "";
        slapd.stderr?.on("data", (d: Buffer) => { log += d.toString(); });
        // For the setup tools only (ldapsearch/ldapadd): libldap checks the certificate against the
        // canonical name it resolves for 127.0.0.1 (this machine's host name), not "localhost". The
        // login under test (Java) verifies the chain and "localhost" itself.
        const ldapEnv = { LDAPTLS_CACERT: f("ca.pem"), LDAPTLS_REQCERT: "never" };
        let up = false;
        for (let i = 0; i < 50 && !up; i++) {
            up = (await run("ldapsearch", ["-x", "-H", url, "-b", "", "-s", "base", "namingContexts"], ldapEnv, 5000)).code === 0;
            if (!up) await new Promise((r) => setTimeout(r, 200));
        }
        assert.ok(up, `slapd did not start: ${log}`);
        await must("ldapadd", ["-x", "-H", url, "-D", adminDn, "-w", adminPw], ldapEnv, `dn: ${base}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n${directory}`);

        // The cluster as rendered (the fixture's directory values; only the URL is the port slapd got).
        const args = authModesArgs();
        args.auth!.ldap!.url = url;
        const { plan: p, result } = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
        plan = p;
        const files = (await valueOf(result.configuration)) as Record<string, Record<string, string>>;
        commonFile = f("common.runtime.properties");
        fs.writeFileSync(commonFile, files._common["common.runtime.properties"]);

        // The pod's file system: the CA where the rendered Secret volume puts it, then the rendered
        // init container command (with this machine's java) making the truststore the Druid container reads.
        podRoot = f("pod");
        const broker = plan.get("kubernetes:apps/v1:Deployment", "druid-broker");
        const spec = at(broker.inputs, "spec", "template", "spec") as Obj;
        const init = (spec.initContainers as Obj[]).find((c) => c.name === "ldap-truststore") as Obj;
        const caMount = (init.volumeMounts as Obj[]).find((m) => m.name === "ldap-ca") as Obj;
        const caItem = at((spec.volumes as Obj[]).find((v) => v.name === "ldap-ca"), "secret", "items", 0) as Obj;
        fs.mkdirSync(path.join(podRoot, String(caMount.mountPath)), { recursive: true });
        fs.copyFileSync(f("ca.pem"), path.join(podRoot, String(caMount.mountPath), String(caItem.path)));
        for (const m of init.volumeMounts as Obj[]) fs.mkdirSync(path.join(podRoot, String(m.mountPath)), { recursive: true });
        const [java, ...rest] = init.command as string[];
        assert.equal(java, "java");
        const envName = String((init.env as Obj[])[0].name);
        await must("/usr/bin/java", rest.map((a) => (a.startsWith("/opt/druid/") ? path.join(podRoot, a) : a)), { [envName]: truststorePw });
    });

    after(() => {
        if (slapd?.pid !== undefined) slapd.kill("SIGTERM");
        if (tmp !== "") fs.rmSync(tmp, { recursive: true, force: true });
    });

    // Part 2 (`access`) writes these to LdapAuthorizer's groupMappings; written here by hand.
    const mappings = [
        `cn=analysts,ou=groups,${base} -> analyst`,
        `*,ou=groups,${base} -> everyone`,
        `cn=pipelines,ou=groups,${base} -> ingestion+reader`,
    ];
    const login = (user: string, password: string, secrets = { DRUID_LDAP_BIND_PASSWORD: bindPw, DRUID_LDAP_TRUSTSTORE_PASSWORD: truststorePw }) =>
        run("/usr/bin/java", [loginProgram, commonFile, podRoot, user, password, ...mappings], secrets, 30_000);

    it("the right password is accepted and the user's groups map to the roles of the matching group mappings", async () => {
        const alice = await login("alice", "alice-pw");
        assert.equal(alice.stdout.trim(), `OK roles=[analyst, everyone] groups=[cn=analysts,ou=groups,${base}]`, alice.stderr);
        const bob = await login("bob", "bob-pw");
        assert.equal(bob.stdout.trim(), `OK roles=[everyone, ingestion, reader] groups=[cn=pipelines,ou=groups,${base}]`, bob.stderr);
    });

    it("a wrong password is refused", async () => {
        const r = await login("alice", "not-alice-pw");
        assert.equal(r.stdout.trim(), "WRONG_PASSWORD", r.stderr);
    });

    it("a user outside the rendered baseDn is not found (Druid answers 401: skipOnFailure false on the last basic authenticator)", async () => {
        const r = await login("mallory", "mallory-pw");
        assert.equal(r.stdout.trim(), "NOT_FOUND", r.stderr);
    });

    it("a filter injection in the user name finds nobody (the validator escapes it)", async () => {
        const r = await login("*", "alice-pw");
        assert.equal(r.stdout.trim(), "NOT_FOUND", r.stderr);
    });

    it("TLS is verified: a truststore without the CA fails the bind (the JDK checks the chain and the host name)", async () => {
        const other = path.join(tmp, "other-pod");
        const otherTs = path.join(other, "opt/druid/ldap-truststore");
        fs.mkdirSync(otherTs, { recursive: true });
        await must("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(tmp, "o.key"), "-out", path.join(tmp, "o.pem"), "-days", "1", "-subj", "/CN=Other CA"]);
        await must("keytool", ["-importcert", "-noprompt", "-alias", "x", "-file", path.join(tmp, "o.pem"), "-keystore", path.join(otherTs, "truststore.p12"),
            "-storetype", "PKCS12", "-storepass", truststorePw]);
        const r = await run("/usr/bin/java", [loginProgram, commonFile, other, "alice", "alice-pw"], { DRUID_LDAP_BIND_PASSWORD: bindPw, DRUID_LDAP_TRUSTSTORE_PASSWORD: truststorePw }, 30_000);
        // The JDK's LDAP client reports the refused handshake as a closed connection; the same call with
        // the rendered truststore succeeds (the first test), so the CA is what differs.
        assert.match(r.stdout, /^ERROR javax\.naming\.CommunicationException/, r.stdout + r.stderr);
    });

    it("a wrong bind password (the Secret the pods read) fails the lookup", async () => {
        const r = await login("alice", "alice-pw", { DRUID_LDAP_BIND_PASSWORD: "wrong", DRUID_LDAP_TRUSTSTORE_PASSWORD: truststorePw });
        assert.match(r.stdout, /^ERROR .*AuthenticationException/, r.stdout + r.stderr);
    });
});
