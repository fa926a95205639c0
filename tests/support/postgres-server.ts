/*
 * A throwaway PostgreSQL server that, like RDS with `rds.force_ssl=1`, accepts TCP clients over
 * TLS only: `ssl=on` with a self-signed certificate, and a pg_hba.conf whose only TCP rule is a
 * `hostssl ... scram-sha-256` line (no `host`/`hostnossl` line, so a client that does not encrypt
 * matches no rule and is refused with "no pg_hba.conf entry ... no encryption").
 *
 * The server listens on 127.0.0.1 and a free port; its data directory, Unix socket and certificate
 * live in one mkdtemp folder, removed by `stop()`. The role and database are created over the
 * Unix socket inside that folder (mode 0700, so only the server's own OS user and root reach it).
 * PostgreSQL refuses to run as root: when this process is root, every server-side command runs as
 * the `postgres` system user (created by the Debian package) through `setpriv`, which execs the
 * command in place, so the PID we hold is the postmaster's own and signals reach it directly.
 *
 * Every wait is bounded: commands have a timeout, start-up is polled for at most `startTimeoutMs`,
 * and `stop()` escalates from a fast shutdown (SIGINT) to SIGKILL.
 */
import { ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "./free-port";

/** Debian packages that provide what this helper and the JDBC test run (what `.ci/run` must install). */
export const requiredDebianPackages = {
    server: "postgresql",
    jdbcDriver: "libpostgresql-jdbc-java",
    openssl: "openssl",
    jdk: "default-jdk-headless",
};

/** Where Debian's libpostgresql-jdbc-java puts the driver. */
export const postgresJdbcJar = "/usr/share/java/postgresql.jar";

export interface PostgresServerOptions {
    database: string;
    user: string;
    password: string;
    /** Upper bound for initdb + start-up + role creation together (default 15 s). */
    startTimeoutMs?: number;
    /**
     * The server certificate: self-signed for localhost and 127.0.0.1 (default), or signed by a CA
     * made for the test (`makeCertificateAuthority`) with exactly these DNS names as its
     * subjectAltName (no IP address), for clients that verify the host name.
     */
    signedBy?: { ca: CertificateAuthority; dnsNames: string[] };
}

/** A throwaway certificate authority: its PEM certificate and private key files. */
export interface CertificateAuthority {
    certificateFile: string;
    keyFile: string;
    /** The certificate's PEM text (what a client gets as its CA bundle). */
    pem: string;
}

/** Makes a CA (EC P-256, one day) in `dir` with openssl. */
export async function makeCertificateAuthority(dir: string, name: string): Promise<CertificateAuthority> {
    const certificateFile = path.join(dir, `${name}.crt`);
    const keyFile = path.join(dir, `${name}.key`);
    await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certificateFile,
        "-days", "1", "-subj", `/CN=${name}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    { cwd: dir, timeoutMs: 10_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    return { certificateFile, keyFile, pem: fs.readFileSync(certificateFile, "utf8") };
}

export interface PostgresServer {
    host: string;
    port: number;
    database: string;
    user: string;
    /** PEM of the self-signed server certificate (what a client would need for verify-ca/verify-full). */
    certificateFile: string;
    /** PostgreSQL major version of the binaries used. */
    major: number;
    /** Runs SQL as the superuser over the Unix socket; returns psql's unaligned, tuples-only output. */
    sql(query: string): Promise<string>;
    /** What the server wrote to its log so far (stderr), for failure messages. */
    log(): string;
    /** Stops the server (fast shutdown, then SIGKILL) and removes its folder. Safe to call twice. */
    stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<major>/bin that has the server binaries, or undefined. */
export function findPostgresBin(): { bin: string; major: number } | undefined {
    const root = "/usr/lib/postgresql";
    if (!fs.existsSync(root)) return undefined;
    const majors = fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => b - a);
    for (const major of majors) {
        const bin = path.join(root, String(major), "bin");
        if (["initdb", "postgres", "psql"].every((b) => fs.existsSync(path.join(bin, b)))) return { bin, major };
    }
    return undefined;
}

function onPath(command: string): boolean {
    return (process.env.PATH ?? "").split(path.delimiter).some((d) => d !== "" && fs.existsSync(path.join(d, command)));
}

/**
 * What is missing on this machine for the real-PostgreSQL tests, each with the Debian package that
 * provides it; empty when everything is there.
 */
export function missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (findPostgresBin() === undefined) {
        missing.push(`PostgreSQL server binaries (initdb, postgres, psql under /usr/lib/postgresql/<major>/bin): apt-get install ${requiredDebianPackages.server}`);
    }
    if (!fs.existsSync(postgresJdbcJar)) missing.push(`the PostgreSQL JDBC driver ${postgresJdbcJar}: apt-get install ${requiredDebianPackages.jdbcDriver}`);
    if (!onPath("openssl")) missing.push(`openssl (server certificate): apt-get install ${requiredDebianPackages.openssl}`);
    if (!onPath("java") || !onPath("javac")) {
        missing.push(`java with its compiler (runs tests/java/*.java as single source files): apt-get install ${requiredDebianPackages.jdk}`);
    }
    if (isRoot() && !onPath("setpriv")) missing.push("setpriv (runs PostgreSQL as the postgres user): apt-get install util-linux");
    if (isRoot() && postgresAccount() === undefined) {
        missing.push(`the postgres system user (PostgreSQL refuses to run as root): apt-get install ${requiredDebianPackages.server}`);
    }
    return missing;
}

function isRoot(): boolean {
    return typeof process.getuid === "function" && process.getuid() === 0;
}

/** uid/gid of the `postgres` system user (from /etc/passwd, where the Debian package's adduser puts it). */
function postgresAccount(): { uid: number; gid: number } | undefined {
    let passwd: string;
    try {
        passwd = fs.readFileSync("/etc/passwd", "utf8");
    } catch {
        return undefined;
    }
    const fields = passwd.split("\n").map((l) => l.split(":")).find((f) => f[0] === "postgres");
    if (fields === undefined || fields.length < 4) return undefined;
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
}

interface RunResult { stdout: string; stderr: string }

/** Runs a command with a timeout; rejects with its output on failure. */
function run(command: string, args: string[], options: { cwd: string; timeoutMs: number; input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = execFile(command, args, { cwd: options.cwd, timeout: options.timeoutMs, killSignal: "SIGKILL", env: options.env, encoding: "utf8" },
            (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(`${command} ${args.join(" ")} failed (${error.killed ? `killed after ${options.timeoutMs} ms` : error.message}):\n${stdout}${stderr}`));
                } else {
                    resolve({ stdout, stderr });
                }
            });
        child.stdin?.end(options.input ?? "");
    });
}

/** Starts the TLS-only server; on any failure it cleans up what it started before rethrowing. */
export async function startTlsOnlyPostgres(options: PostgresServerOptions): Promise<PostgresServer> {
    const missing = missingPrerequisites();
    if (missing.length > 0) throw new Error(`cannot start PostgreSQL for the test, missing:\n  - ${missing.join("\n  - ")}`);
    const { bin, major } = findPostgresBin()!;
    const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
    const remaining = () => Math.max(1, deadline - Date.now());

    const account = isRoot() ? postgresAccount()! : undefined;
    // Commands that touch the data directory run as its owner.
    const asOwner = (command: string, args: string[]): [string, string[]] => account === undefined
        ? [command, args]
        : ["setpriv", [`--reuid=${account.uid}`, `--regid=${account.gid}`, "--clear-groups", "--", command, ...args]];
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "druid-pg-"));
    const data = path.join(dir, "data");
    if (account !== undefined) fs.chownSync(dir, account.uid, account.gid);

    let child: ChildProcess | undefined;
    let exited = false;
    let logText = "";
    const killOnExit = () => { if (child !== undefined && !exited) child.kill("SIGKILL"); };
    let stopped = false;
    const stop = async (): Promise<void> => {
        if (stopped) return;
        stopped = true;
        const c = child;
        if (c !== undefined && !exited) {
            const gone = new Promise<void>((resolve) => c.once("exit", () => resolve()));
            // SIGINT = "fast" shutdown: roll back open transactions, close connections, exit.
            c.kill("SIGINT");
            const timer = (ms: number) => new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms).unref());
            if (await Promise.race([gone.then(() => "exited" as const), timer(5_000)]) === "timeout") {
                c.kill("SIGKILL");
                await Promise.race([gone, timer(2_000)]);
            }
        }
        process.removeListener("exit", killOnExit);
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    };

    try {
        const port = await freePort();
        const [initCmd, initArgs] = asOwner(path.join(bin, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=reject", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
        await run(initCmd, initArgs, { cwd: dir, timeoutMs: remaining(), env });

        const certificateFile = path.join(data, "server.crt");
        const keyFile = path.join(data, "server.key");
        if (options.signedBy === undefined) {
            // Self-signed server certificate (nobody trusts it: a verifying client would refuse it).
            await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", keyFile, "-out", certificateFile, "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { cwd: dir, timeoutMs: remaining(), env });
        } else {
            // A key and request, signed by the test's CA with only the DNS names asked for.
            const { ca, dnsNames } = options.signedBy;
            const csr = path.join(dir, "server.csr");
            const ext = path.join(dir, "server.ext");
            fs.writeFileSync(ext, `subjectAltName=${dnsNames.map((d) => `DNS:${d}`).join(",")}\nextendedKeyUsage=serverAuth\n`);
            await run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", keyFile, "-out", csr, "-subj", `/CN=${dnsNames[0]}`], { cwd: dir, timeoutMs: remaining(), env });
            await run("openssl", ["x509", "-req", "-in", csr, "-CA", ca.certificateFile, "-CAkey", ca.keyFile, "-CAcreateserial",
                "-out", certificateFile, "-days", "1", "-extfile", ext], { cwd: dir, timeoutMs: remaining(), env });
        }
        for (const f of [certificateFile, keyFile]) {
            if (account !== undefined) fs.chownSync(f, account.uid, account.gid);
            fs.chmodSync(f, 0o600); // PostgreSQL refuses a private key readable by others.
        }

        // Appended settings win over initdb's defaults.
        fs.appendFileSync(path.join(data, "postgresql.conf"), [
            "",
            "# TLS-only test server (tests/support/postgres-server.ts)",
            "listen_addresses = '127.0.0.1'",
            `port = ${port}`,
            `unix_socket_directories = '${dir}'`,
            "ssl = on",
            "ssl_cert_file = 'server.crt'",
            "ssl_key_file = 'server.key'",
            "ssl_min_protocol_version = 'TLSv1.2'",
            "password_encryption = 'scram-sha-256'",
            "log_connections = on",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "",
        ].join("\n"));
        // What rds.force_ssl=1 amounts to: TCP clients match only a hostssl rule; no host/hostnossl rule.
        fs.writeFileSync(path.join(data, "pg_hba.conf"), [
            "# TYPE  DATABASE  USER      ADDRESS       METHOD",
            "local   all       postgres                trust",
            "hostssl all       all       127.0.0.1/32  scram-sha-256",
            "",
        ].join("\n"));

        const [pgCmd, pgArgs] = asOwner(path.join(bin, "postgres"), ["-D", data]);
        const c = spawn(pgCmd, pgArgs, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        child = c;
        process.once("exit", killOnExit);
        const append = (chunk: Buffer) => { logText = (logText + chunk.toString("utf8")).slice(-64_000); };
        c.stdout?.on("data", append);
        c.stderr?.on("data", append);
        c.once("exit", () => { exited = true; });
        c.once("error", (e) => { exited = true; logText += `\nspawn error: ${e.message}`; });

        const psql = path.join(bin, "psql");
        const sql = async (query: string): Promise<string> => {
            const [cmd, args] = asOwner(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", dir, "-p", String(port), "-U", "postgres", "-d", "postgres", "-f", "-"]);
            return (await run(cmd, args, { cwd: dir, timeoutMs: 10_000, input: query, env })).stdout.trim();
        };

        // Wait until the server accepts connections on the socket (bounded by the deadline).
        for (;;) {
            if (exited) throw new Error(`postgres exited during start-up; its log:\n${logText}`);
            try {
                const [cmd, args] = asOwner(psql, ["-X", "-A", "-t", "-h", dir, "-p", String(port), "-U", "postgres", "-d", "postgres", "-c", "SELECT 1"]);
                await run(cmd, args, { cwd: dir, timeoutMs: Math.min(2_000, remaining()), env });
                break;
            } catch (e) {
                if (Date.now() >= deadline) throw new Error(`postgres did not accept connections within the start-up time; last error: ${String(e)}\nits log:\n${logText}`);
                await new Promise((r) => setTimeout(r, 100));
            }
        }

        // The password goes through a psql variable (:'pw' quotes it as a literal) on stdin, so
        // any character is safe; the server stores it as a SCRAM-SHA-256 verifier.
        const [cmd, args] = asOwner(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", `pw=${options.password}`, "-v", `role=${options.user}`,
            "-v", `db=${options.database}`, "-h", dir, "-p", String(port), "-U", "postgres", "-d", "postgres", "-f", "-"]);
        await run(cmd, args, {
            cwd: dir, timeoutMs: remaining(), env,
            input: "CREATE ROLE :\"role\" LOGIN PASSWORD :'pw';\nCREATE DATABASE :\"db\" OWNER :\"role\";\n",
        });

        return {
            host: "127.0.0.1", port, database: options.database, user: options.user, certificateFile, major,
            sql, log: () => logText, stop,
        };
    } catch (e) {
        await stop();
        throw e;
    }
}
