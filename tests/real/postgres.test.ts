/*
 * The metadata-store connection Druid's Coordinator and Overlord open, taken from the rendered
 * runtime.properties, against a REAL PostgreSQL server that enforces TLS the way RDS does with
 * `rds.force_ssl=1` (the parameter the component sets on its parameter group): only `hostssl`
 * pg_hba rules, so an unencrypted client is refused. See tests/support/postgres-server.ts.
 *
 * What `sslmode=require` means for pgJDBC (the driver Druid's postgresql-metadata-storage extension
 * uses): encrypt, but do NOT verify the server certificate.
 *   - pgjdbc/pgjdbc, docs/content/documentation/security/ssl-tls.md ("SSL / TLS"): with
 *     `sslmode=require` "the connection will fail if it can't be encrypted", and "In this mode we
 *     will accept all server certificates"; its table gives require: eavesdropping protection Yes,
 *     MITM protection No; `verify-full` is the mode that checks the chain and the host name.
 *   - pgjdbc/pgjdbc, pgjdbc/src/main/java/org/postgresql/jdbc/SslMode.java: `requireEncryption()`
 *     is true from REQUIRE up, `verifyCertificate()` only for VERIFY_CA and VERIFY_FULL; and
 *     pgjdbc/src/main/java/org/postgresql/ssl/LibPQFactory.java installs `NonValidatingTM` (trust
 *     any certificate) when `!sslMode.verifyCertificate()`.
 * The first test shows both halves: the session is encrypted (pg_stat_ssl.ssl = true) although the
 * server's certificate is self-signed and trusted by nobody.
 *
 * Druid's PostgreSQLConnector (apache/druid, extensions-core/postgresql-metadata-storage,
 * PostgreSQLConnector.java) only adds driver properties when `druid.metadata.postgres.ssl.useSSL`
 * is true; the component does not set it, so the URL's `sslmode` is what the driver gets, exactly
 * as this test passes it.
 *
 * Needs (Debian): postgresql, libpostgresql-jdbc-java, openssl, default-jdk-headless. A missing
 * one FAILS the suite with the package to install: .ci/run must install them.
 */
import assert from "node:assert/strict";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DruidCluster } from "../../index";
import { parseProperties } from "../../components/core/properties";
import { Plan, planProgram, valueOf } from "../../testing";
import { defaultArgs } from "../fixtures/args";
import { CertificateAuthority, makeCertificateAuthority, missingPrerequisites, PostgresServer, postgresJdbcJar, startTlsOnlyPostgres } from "../support/postgres-server";

const database = "druid";
const user = "druid";
const password = "s3cret-pass";
const jdbcConnect = path.join(__dirname, "..", "java", "JdbcConnect.java");

interface JavaResult { code: number; stdout: string; stderr: string }

/** Runs JdbcConnect.java with ONLY PATH and the password variable in its environment. */
function connect(url: string, jdbcUser: string, env: Record<string, string>): Promise<JavaResult> {
    return new Promise((resolve) => {
        execFile("java", ["-cp", postgresJdbcJar, jdbcConnect, url, jdbcUser], {
            env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, timeout: 30_000, killSignal: "SIGKILL", encoding: "utf8",
        }, (error, stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
            resolve({ code, stdout, stderr: error?.killed ? `${stderr}\n(killed: timeout)` : stderr });
        });
    });
}

function keyValues(text: string): Record<string, string> {
    return Object.fromEntries(text.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

/** The same JDBC URL with one query parameter replaced. */
function withParameter(jdbcUrl: string, key: string, value: string): string {
    assert.ok(jdbcUrl.startsWith("jdbc:"), jdbcUrl);
    const u = new URL(jdbcUrl.slice("jdbc:".length));
    u.searchParams.set(key, value);
    return `jdbc:${u.toString()}`;
}

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }
interface Workload { kind: string; key: string; env: EnvVar[]; runtimeProperties: Record<string, string> }

/** Every Druid workload of the plan ("druid-<key>"), its container env and the runtime.properties its ConfigMap mounts. */
function druidWorkloads(plan: Plan): Workload[] {
    const out: Workload[] = [];
    for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"]) {
        for (const r of plan.ofType(type)) {
            if (!r.name.startsWith("druid-") || r.name === "druid-zookeeper") continue;
            const spec = r.inputs.spec as { template: { spec: { containers: { name: string; env?: EnvVar[] }[] } } };
            const container = spec.template.spec.containers.find((c) => c.name === "druid");
            assert.ok(container, `${r.name} has a "druid" container`);
            const configMap = plan.get("kubernetes:core/v1:ConfigMap", r.name).inputs as { data: Record<string, string> };
            out.push({ kind: type, key: r.name.slice("druid-".length), env: container.env ?? [], runtimeProperties: parseProperties(configMap.data["runtime.properties"]) });
        }
    }
    return out;
}

describe("metadata store against a real TLS-only PostgreSQL (as RDS with rds.force_ssl=1)", function () {
    this.timeout(20_000);
    let server: PostgresServer | undefined;
    let plan: Plan;
    let files: { [service: string]: { [file: string]: string } };

    before(async function () {
        const missing = missingPrerequisites();
        // Not a skip: CI must have these (.ci/run installs them).
        assert.deepEqual(missing, [], `the real-PostgreSQL test needs, on Debian:\n  - ${missing.join("\n  - ")}`);
        server = await startTlsOnlyPostgres({ database, user, password, startTimeoutMs: 15_000 });
        const args = { ...defaultArgs(), metadataStore: { existing: { host: server.host, port: server.port, database, user, password } } };
        // As `pulumi up` renders it (every value known), which is what the pods get.
        const planned = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
        plan = planned.plan;
        const rendered = await valueOf(planned.result.configuration);
        assert.ok(rendered, "the configuration is known");
        files = rendered;
    });

    after(async () => {
        await server?.stop();
    });

    it("the server is TLS-only: ssl on, and pg_hba has no host/hostnossl rule", async () => {
        const s = server!;
        assert.equal(await s.sql("SHOW ssl"), "on");
        const types = (await s.sql("SELECT type FROM pg_hba_file_rules WHERE error IS NULL ORDER BY line_number")).split("\n");
        assert.deepEqual(types, ["local", "hostssl"]);
    });

    it("the Coordinator's rendered connectURI/user, with the password from the environment, connect over TLS", async () => {
        const s = server!;
        const coordinator = parseProperties(files.coordinator["runtime.properties"]);
        const uri = coordinator["druid.metadata.storage.connector.connectURI"];
        const jdbcUser = coordinator["druid.metadata.storage.connector.user"];
        const provider = JSON.parse(coordinator["druid.metadata.storage.connector.password"]) as { type?: string; variable?: string };
        assert.ok(uri !== undefined && jdbcUser !== undefined, "connectURI and user are rendered");
        // Druid's environment password provider (docs/operations/password-provider.md).
        assert.equal(provider.type, "environment");
        assert.ok(typeof provider.variable === "string" && provider.variable !== "");
        const u = new URL(uri.slice("jdbc:".length));
        assert.equal(`${u.protocol}//${u.hostname}:${u.port}${u.pathname}`, `postgresql://${s.host}:${s.port}/${database}`, "the URI points at this server");
        assert.ok(["require", "verify-ca", "verify-full"].includes(u.searchParams.get("sslmode") ?? ""), `sslmode must require encryption: ${uri}`);
        // The Overlord opens the same connection.
        const overlord = parseProperties(files.overlord["runtime.properties"]);
        for (const key of ["connectURI", "user", "password"]) {
            assert.equal(overlord[`druid.metadata.storage.connector.${key}`], coordinator[`druid.metadata.storage.connector.${key}`], key);
        }

        const r = await connect(uri, jdbcUser, { [provider.variable]: password });
        assert.equal(r.code, 0, `JdbcConnect failed:\n${r.stderr}\nserver log:\n${s.log()}`);
        const out = keyValues(r.stdout);
        assert.equal(out.ssl, "true", r.stdout);
        assert.match(out.version, /^TLSv1\.[23]$/);
        assert.equal(out.user, user);
        assert.equal(out.database, database);
    });

    it("the same URI with sslmode=disable is refused by the server (no pg_hba entry without encryption)", async () => {
        const coordinator = parseProperties(files.coordinator["runtime.properties"]);
        const uri = withParameter(coordinator["druid.metadata.storage.connector.connectURI"], "sslmode", "disable");
        const r = await connect(uri, coordinator["druid.metadata.storage.connector.user"], { DRUID_METADATA_PASSWORD: password });
        assert.notEqual(r.code, 0, `a plaintext connection was accepted:\n${r.stdout}`);
        // 28000 invalid_authorization_specification, from ClientAuthentication() in the backend.
        assert.match(r.stderr, /sqlstate=28000/);
        assert.match(r.stderr, /no pg_hba\.conf entry for host "127\.0\.0\.1", user "druid", database "druid", no encryption/);
    });

    it("the password variable is in the env of exactly the pods whose runtime.properties read it (Coordinator, Overlord)", () => {
        const coordinatorFile = parseProperties(files.coordinator["runtime.properties"]);
        const variable = (JSON.parse(coordinatorFile["druid.metadata.storage.connector.password"]) as { variable: string }).variable;
        const deployment = plan.get("kubernetes:apps/v1:Deployment", "druid-coordinator");
        const workloads = druidWorkloads(plan);
        const coordinator = workloads.find((w) => w.key === "coordinator")!;
        assert.equal(coordinator.kind, deployment.type);
        // The file checked above is the one the Coordinator's ConfigMap mounts.
        assert.deepEqual(coordinator.runtimeProperties, coordinatorFile);

        const fromSecret = coordinator.env.find((e) => e.name === variable);
        assert.ok(fromSecret?.valueFrom?.secretKeyRef, `${variable} comes from a Secret in the Coordinator pod: ${JSON.stringify(coordinator.env)}`);
        assert.equal(fromSecret.value, undefined, "never a literal value");
        const ref = fromSecret.valueFrom.secretKeyRef;
        const secret = plan.get("kubernetes:core/v1:Secret", ref.name!);
        assert.equal((secret.inputs.metadata as { namespace?: string }).namespace, (deployment.inputs.metadata as { namespace?: string }).namespace);
        assert.equal(ref.key, "password");

        // Only the Coordinator and the Overlord use the metadata store (apache/druid,
        // docs/design/metadata-storage.md, "Metadata storage access"); the Broker, Router,
        // Historicals and MiddleManagers reach it through them, so they get neither the connection
        // nor the password.
        const readers = workloads.filter((w) => w.runtimeProperties["druid.metadata.storage.connector.password"] !== undefined).map((w) => w.key).sort();
        const withVariable = workloads.filter((w) => w.env.some((e) => e.name === variable)).map((w) => w.key).sort();
        assert.deepEqual(readers, ["coordinator", "overlord"]);
        assert.deepEqual(withVariable, readers);
        for (const key of ["broker", "historical-default"]) {
            const w = workloads.find((x) => x.key === key);
            assert.ok(w, `${key} is in the plan`);
            assert.ok(!w.env.some((e) => e.name === variable), `${key} must not get ${variable}`);
        }
    });
});

/*
 * sslMode "verify-full": the driver checks the server's certificate against the CA bundle the pods
 * mount (sslrootcert) and the host name against the certificate (pgjdbc
 * docs/content/documentation/security/ssl-tls.md, "verify-full"; LibPQFactory loads every
 * certificate of the sslrootcert file; PGjdbcHostnameVerifier checks the name). The server's
 * certificate is signed by a CA made here, for the DNS name "localhost" only (no IP address).
 */
describe("metadata store with sslMode verify-full against a real TLS-only PostgreSQL", function () {
    this.timeout(30_000);
    let server: PostgresServer | undefined;
    let dir: string;
    let ca: CertificateAuthority;
    let wrongCa: CertificateAuthority;
    let plan: Plan;
    let coordinator: Record<string, string>;

    before(async function () {
        const missing = missingPrerequisites();
        assert.deepEqual(missing, [], `the real-PostgreSQL test needs, on Debian:\n  - ${missing.join("\n  - ")}`);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "druid-pg-ca-"));
        ca = await makeCertificateAuthority(dir, "metadata-ca");
        wrongCa = await makeCertificateAuthority(dir, "other-ca");
        server = await startTlsOnlyPostgres({ database, user, password, startTimeoutMs: 15_000, signedBy: { ca, dnsNames: ["localhost"] } });
        const args = {
            ...defaultArgs(),
            metadataStore: { existing: { host: "localhost", port: server.port, database, user, password }, sslMode: "verify-full" as const, caCertificate: { pem: ca.pem } },
        };
        const planned = await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } });
        plan = planned.plan;
        coordinator = parseProperties((await valueOf(planned.result.configuration))!.coordinator["runtime.properties"]);
    });

    after(async () => {
        await server?.stop();
        if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** The CA file the pod reads at `sslrootcert`, followed through the plan: volume mount → volume → ConfigMap data. */
    function podCaFile(workload: string, sslrootcert: string): string {
        const spec = (plan.get("kubernetes:apps/v1:Deployment", workload).inputs.spec as { template: { spec: {
            containers: { volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
            volumes: { name: string; configMap?: { name: string; items: { key: string; path: string }[] } }[];
        } } }).template.spec;
        const mount = spec.containers[0].volumeMounts.find((m) => sslrootcert.startsWith(`${m.mountPath}/`));
        assert.ok(mount, `${workload} mounts nothing at ${sslrootcert}: ${JSON.stringify(spec.containers[0].volumeMounts)}`);
        assert.equal(mount.readOnly, true);
        const volume = spec.volumes.find((v) => v.name === mount.name)!;
        const item = volume.configMap!.items.find((i) => `${mount.mountPath}/${i.path}` === sslrootcert);
        assert.ok(item, `no item of ${volume.name} lands at ${sslrootcert}`);
        const data = (plan.get("kubernetes:core/v1:ConfigMap", volume.configMap!.name).inputs as { data: Record<string, string> }).data;
        const file = path.join(dir, `${workload}-ca.pem`);
        fs.writeFileSync(file, data[item.key]);
        return file;
    }

    /** The rendered URI with the pod path of sslrootcert replaced by the same bytes on this machine, and optionally another host. */
    function localUri(caFile: string, host?: string): string {
        const u = new URL(coordinator["druid.metadata.storage.connector.connectURI"].slice("jdbc:".length));
        u.searchParams.set("sslrootcert", caFile);
        if (host !== undefined) u.hostname = host;
        return `jdbc:${u.toString()}`;
    }

    it("the rendered connectURI asks for verify-full with the mounted bundle, on the Coordinator and the Overlord only", () => {
        const u = new URL(coordinator["druid.metadata.storage.connector.connectURI"].slice("jdbc:".length));
        assert.equal(u.searchParams.get("sslmode"), "verify-full");
        assert.equal(u.searchParams.get("sslrootcert"), "/opt/druid/metadata-ca/ca.pem");
        assert.equal(fs.readFileSync(podCaFile("druid-coordinator", "/opt/druid/metadata-ca/ca.pem"), "utf8"), ca.pem);
        assert.equal(fs.readFileSync(podCaFile("druid-overlord", "/opt/druid/metadata-ca/ca.pem"), "utf8"), ca.pem);
        const broker = plan.get("kubernetes:apps/v1:Deployment", "druid-broker").inputs.spec as { template: { spec: { volumes: { name: string }[] } } };
        assert.ok(!broker.template.spec.volumes.some((v) => v.name === "metadata-ca"));
    });

    it("with the right CA and host name it connects over TLS", async () => {
        const r = await connect(localUri(podCaFile("druid-coordinator", "/opt/druid/metadata-ca/ca.pem")), user, { DRUID_METADATA_PASSWORD: password });
        assert.equal(r.code, 0, `JdbcConnect failed:\n${r.stderr}\nserver log:\n${server!.log()}`);
        assert.equal(keyValues(r.stdout).ssl, "true");
    });

    it("a host name the certificate does not name (127.0.0.1 for a localhost certificate) is refused", async () => {
        const r = await connect(localUri(podCaFile("druid-coordinator", "/opt/druid/metadata-ca/ca.pem"), "127.0.0.1"), user, { DRUID_METADATA_PASSWORD: password });
        assert.notEqual(r.code, 0, `connected despite the host name:\n${r.stdout}`);
        assert.match(r.stderr, /sqlstate=08006/);
        assert.match(r.stderr, /hostname 127\.0\.0\.1 could not be verified/);
    });

    it("a certificate from another CA is refused; sslmode=require would have accepted it", async () => {
        const wrong = path.join(dir, "wrong-ca.pem");
        fs.writeFileSync(wrong, wrongCa.pem);
        const r = await connect(localUri(wrong), user, { DRUID_METADATA_PASSWORD: password });
        assert.notEqual(r.code, 0, `connected with the wrong CA:\n${r.stdout}`);
        assert.match(r.stderr, /sqlstate=08006/);
        assert.match(r.stderr, /PKIX path (building|validation) failed|unable to find valid certification path/);
        const require = withParameter(localUri(wrong), "sslmode", "require");
        assert.equal((await connect(require, user, { DRUID_METADATA_PASSWORD: password })).code, 0, "require does not verify (control)");
    });
});
