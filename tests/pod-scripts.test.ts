import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { drainScript, tierLoadedScript } from "../components/config/pod-scripts";

// The pods' shell scripts run here with the same shell and tools the Druid image has: busybox
// (apache/druid distribution/docker/Dockerfile installs busybox 1.34's applets into /bin of its
// distroless base), from Debian's busybox-static, with a PATH holding only busybox applets. A
// local HTTP server answers as Druid's worker and Coordinator APIs do (WorkerResource:
// POST /druid/worker/v1/disable, GET /druid/worker/v1/tasks → JSON list of task ids;
// CoordinatorResource: GET /druid/coordinator/v1/loadstatus?full → {tier: {datasource: left}}).

const busybox = "/bin/busybox";
const applets = ["sh", "wget", "base64", "tr", "date", "sleep", "printf", "cut", "grep", "cat", "echo"];

interface Seen { method: string; url: string; authorization?: string; host?: string }

function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ port: number; seen: Seen[]; close: () => Promise<void> }> {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, host: req.headers.host });
        handler(req, res);
    });
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
        port: (server.address() as AddressInfo).port,
        seen,
        close: () => new Promise<void>((done) => server.close(() => done())),
    })));
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
}

describe("pod scripts, run by busybox against a server that answers as Druid", function () {
    this.timeout(30000);
    let bin: string;
    before(() => {
        assert.ok(fs.existsSync(busybox), "Debian's busybox-static is needed (.ci/run installs it): apt-get install busybox-static");
        bin = fs.mkdtempSync(path.join(os.tmpdir(), "busybox-bin-"));
        for (const a of applets) fs.symlinkSync(busybox, path.join(bin, a));
    });
    after(() => fs.rmSync(bin, { recursive: true, force: true }));

    const run = (script: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> =>
        new Promise((resolve) => {
            execFile(path.join(bin, "sh"), ["-c", script], { env: { PATH: bin, ...env }, timeout: 20000 }, (err, stdout, stderr) => {
                const code = err === null ? 0 : typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1;
                resolve({ code, stdout, stderr });
            });
        });

    it("drain: disables the worker with the internal client's credentials, then waits until no task runs", async () => {
        let polls = 0;
        const druid = await serve((req, res) => {
            if (req.method === "POST" && req.url === "/druid/worker/v1/disable") return json(res, 200, { "10.0.0.1:8091": "disabled" });
            if (req.method === "GET" && req.url === "/druid/worker/v1/tasks") return json(res, 200, ++polls < 3 ? ["index_kafka_wiki_1"] : []);
            json(res, 404, {});
        });
        try {
            const r = await run(drainScript({ scheme: "http", auth: true, port: druid.port, drainSeconds: 30, pollSeconds: 1 }), { DRUID_INTERNAL_CLIENT_PASSWORD: "p@ss w:rd" });
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /no running tasks/);
            assert.deepEqual(druid.seen.map((s) => `${s.method} ${s.url}`), [
                "POST /druid/worker/v1/disable", "GET /druid/worker/v1/tasks", "GET /druid/worker/v1/tasks", "GET /druid/worker/v1/tasks",
            ]);
            const expected = `Basic ${Buffer.from("druid_system:p@ss w:rd").toString("base64")}`;
            for (const s of druid.seen) assert.equal(s.authorization, expected);
        } finally {
            await druid.close();
        }
    });

    it("with localHost (TLS), every request to the pod's own port carries that Host, one header only; the Coordinator's keeps its own", async () => {
        // Jetty 12 (Druid 35+) checks the Host against the certificate; 127.0.0.1 is not in it.
        const druid = await serve((req, res) => {
            if (req.url === "/druid/worker/v1/tasks") return json(res, 200, []);
            if (req.url === "/druid/coordinator/v1/loadstatus?full&computeUsingClusterView") return json(res, 200, { hot: { wiki: 0 } });
            json(res, 200, {});
        });
        const raw: string[] = [];
        try {
            const drain = await run(drainScript({ scheme: "http", auth: true, port: druid.port, drainSeconds: 5, pollSeconds: 1, localHost: "druid-middlemanager.analytics.svc" }),
                { DRUID_INTERNAL_CLIENT_PASSWORD: "pw" });
            assert.equal(drain.code, 0, drain.stderr);
            const gate = await run(tierLoadedScript({
                scheme: "http", auth: false, port: druid.port, tier: "hot", coordinatorUrl: `http://localhost:${druid.port}`, minAgeSeconds: 0, maxWaitSeconds: 3600,
                localHost: "druid-historical-hot.analytics.svc",
            }));
            assert.equal(gate.code, 0, gate.stderr);
            assert.deepEqual(druid.seen.map((s) => `${s.method} ${s.url} Host: ${s.host}`), [
                "POST /druid/worker/v1/disable Host: druid-middlemanager.analytics.svc",
                "GET /druid/worker/v1/tasks Host: druid-middlemanager.analytics.svc",
                "GET /druid/historical/v1/readiness Host: druid-historical-hot.analytics.svc",
                `GET /druid/coordinator/v1/loadstatus?full&computeUsingClusterView Host: localhost:${druid.port}`,
            ]);
            // The drain's requests still authenticate.
            assert.equal(druid.seen[0].authorization, `Basic ${Buffer.from("druid_system:pw").toString("base64")}`);
        } finally {
            await druid.close();
        }
        // Busybox replaces its own Host line with the given one (no second Host line, which a server may refuse).
        const wire = await new Promise<string>((resolve) => {
            const server = net.createServer((socket) => {
                socket.on("data", (d) => {
                    raw.push(d.toString("latin1"));
                    if (raw.join("").includes("\r\n\r\n")) { socket.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]"); server.close(); resolve(raw.join("")); }
                });
            }).listen(0, "127.0.0.1", () => {
                const port = (server.address() as AddressInfo).port;
                void run(drainScript({ scheme: "http", auth: false, port, drainSeconds: 1, pollSeconds: 1, localHost: "druid-indexer.analytics.svc" }));
            });
        });
        assert.deepEqual(wire.split("\r\n").filter((l) => /^host:/i.test(l)), ["Host: druid-indexer.analytics.svc"]);
    });

    it("drain: gives up after drainSeconds and still exits 0 (the pod must be allowed to stop); no credentials without auth", async () => {
        const druid = await serve((req, res) => json(res, 200, req.url === "/druid/worker/v1/tasks" ? ["index_parallel_1"] : {}));
        try {
            const started = Date.now();
            const r = await run(drainScript({ scheme: "http", auth: false, port: druid.port, drainSeconds: 2, pollSeconds: 1 }));
            assert.equal(r.code, 0);
            assert.match(r.stderr, /still running after the drain timeout/);
            assert.ok(Date.now() - started < 10000);
            assert.ok(druid.seen.every((s) => s.authorization === undefined));
        } finally {
            await druid.close();
        }
    });

    it("drain: a worker that does not answer does not hold the pod", async () => {
        const druid = await serve((_req, res) => json(res, 500, { error: "down" }));
        try {
            const r = await run(drainScript({ scheme: "http", auth: false, port: druid.port, drainSeconds: 60, pollSeconds: 1 }));
            assert.equal(r.code, 0);
            assert.match(r.stderr, /could not disable the worker/);
            assert.match(r.stderr, /task list unavailable/);
        } finally {
            await druid.close();
        }
    });

    /** A fake Coordinator (and the Historical's own readiness): `load` answers loadstatus?full, `clusterView` the computeUsingClusterView variant. */
    async function gateServer(state: { readiness: number; load: unknown; clusterView?: unknown; coordinator?: number }) {
        return serve((req, res) => {
            if (req.url === "/druid/historical/v1/readiness") return json(res, state.readiness, {});
            if (state.coordinator !== undefined && state.coordinator !== 200) return json(res, state.coordinator, {});
            // CoordinatorResource.getLoadStatus: `full` alone counts every replica the rules ask for;
            // with `computeUsingClusterView` the replicas are capped at the Historicals present.
            if (req.url === "/druid/coordinator/v1/loadstatus?full") return json(res, 200, state.load);
            if (req.url === "/druid/coordinator/v1/loadstatus?full&computeUsingClusterView") return json(res, 200, state.clusterView ?? state.load);
            json(res, 404, {});
        });
    }
    const gateFiles = () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tier-gate-"));
        return { dir, stateFile: path.join(dir, "state"), logFile: path.join(dir, "log") };
    };
    const readLog = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");

    it("tier gate: ready only when the Historical is ready and the Coordinator has nothing left to load in its tier", async () => {
        const state = { readiness: 503, load: { hot: { wikipedia: 3, koalas: 0 }, _default_tier: { wikipedia: 0 } } as unknown };
        const druid = await gateServer(state);
        const files = gateFiles();
        // /proc/1 here is this machine's init, days old: a huge maximum wait stands for a young process.
        const script = (tier: string, minAgeSeconds = 0) => tierLoadedScript({
            scheme: "http", auth: true, port: druid.port, tier, coordinatorUrl: `http://127.0.0.1:${druid.port}`, minAgeSeconds,
            maxWaitSeconds: 10 ** 9, stateFile: files.stateFile, logFile: files.logFile,
        });
        const env = { DRUID_INTERNAL_CLIENT_PASSWORD: "internal" };
        try {
            assert.equal((await run(script("hot"), env)).code, 1, "own cache not loaded yet");
            state.readiness = 200;
            assert.equal((await run(script("hot"), env)).code, 1, "3 segments of the tier still to load");
            assert.equal((await run(script("hot"), env)).code, 1, "still 3, but not for long: keeps waiting");
            assert.equal((await run(script("_default_tier"), env)).code, 0, "another tier's count does not matter");
            state.load = { hot: { wikipedia: 0, koalas: 0 } };
            assert.equal((await run(script("hot"), env)).code, 0, "tier loaded");
            state.load = {};
            assert.equal((await run(script("hot"), env)).code, 0, "no rule puts anything on the tier");
            assert.equal((await run(script("hot", 10 ** 9), env)).code, 1, "the Coordinator's answer does not count while the process is young");
            const coordinatorCalls = druid.seen.filter((s) => s.url.startsWith("/druid/coordinator"));
            assert.ok(coordinatorCalls.length >= 5);
            for (const c of coordinatorCalls) assert.equal(c.authorization, `Basic ${Buffer.from("druid_system:internal").toString("base64")}`);
            assert.equal(readLog(files.logFile), "", "nothing to explain when the tier loaded");
        } finally {
            await druid.close();
            fs.rmSync(files.dir, { recursive: true, force: true });
        }
    });

    it("tier gate: another replica of the tier down does not hold the pod (the count is over the Historicals present)", async () => {
        // Tier "hot", 2 replicas asked, the other Historical down: every segment misses a replica for as
        // long as it stays down, but with this one loaded nothing is left for the servers present.
        const druid = await gateServer({ readiness: 200, load: { hot: { wikipedia: 40 } }, clusterView: { hot: { wikipedia: 0 } } });
        const files = gateFiles();
        try {
            const r = await run(tierLoadedScript({ scheme: "http", auth: false, port: druid.port, tier: "hot", coordinatorUrl: `http://127.0.0.1:${druid.port}`,
                minAgeSeconds: 0, maxWaitSeconds: 10 ** 9, stateFile: files.stateFile, logFile: files.logFile }));
            assert.equal(r.code, 0, r.stdout + r.stderr);
        } finally {
            await druid.close();
            fs.rmSync(files.dir, { recursive: true, force: true });
        }
    });

    it("tier gate: a segment that never loads holds the pod only until the count has stopped moving for stallSeconds, and says so", async () => {
        const state = { readiness: 200, load: { hot: { wikipedia: 5 } } as unknown };
        const druid = await gateServer(state);
        const files = gateFiles();
        const gate = tierLoadedScript({ scheme: "http", auth: false, port: druid.port, tier: "hot", coordinatorUrl: `http://127.0.0.1:${druid.port}`,
            minAgeSeconds: 0, maxWaitSeconds: 10 ** 9, stallSeconds: 2, stateFile: files.stateFile, logFile: files.logFile });
        const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
        try {
            const first = await run(gate);
            assert.equal(first.code, 1, "first look: 5 left");
            assert.equal(first.stderr, "", "no state yet is not an error");
            assert.match(fs.readFileSync(files.stateFile, "utf8"), /^[0-9]+ 5 [0-9]+\n$/, "process start, count, since");
            await sleep(2200);
            state.load = { hot: { wikipedia: 1 } };
            assert.equal((await run(gate)).code, 1, "the count moved (5 → 1): loading goes on, the wait starts again");
            assert.equal((await run(gate)).code, 1, "1 left, unchanged for less than 2 s");
            await sleep(2200);
            const r = await run(gate);
            assert.equal(r.code, 0, "1 segment unchanged for 2 s: it does not load, the pod starts");
            assert.match(r.stdout, /tier gate: starting although 1 segments of tier hot have waited [0-9]+ s without any loading/);
            assert.match(readLog(files.logFile), /tier gate: starting although 1 segments of tier hot have waited [0-9]+ s without any loading/);
            // A restarted process (another start time in /proc/1/stat) starts its own wait.
            fs.writeFileSync(files.stateFile, "1 1 0\n");
            assert.equal((await run(gate)).code, 1, "a state from another process does not count");
        } finally {
            await druid.close();
            fs.rmSync(files.dir, { recursive: true, force: true });
        }
    });

    it("tier gate: an unreachable Coordinator keeps the pod starting until maxWaitSeconds, then it starts with a log line", async () => {
        const druid = await gateServer({ readiness: 200, load: {}, coordinator: 503 });
        const files = gateFiles();
        const gate = (maxWaitSeconds: number) => tierLoadedScript({ scheme: "http", auth: false, port: druid.port, tier: "hot", coordinatorUrl: `http://127.0.0.1:${druid.port}`,
            minAgeSeconds: 0, maxWaitSeconds, stallSeconds: 0, stateFile: files.stateFile, logFile: files.logFile });
        try {
            assert.equal((await run(gate(10 ** 9))).code, 1, "no answer is not a stall: keeps waiting");
            assert.equal((await run(gate(10 ** 9))).code, 1);
            assert.equal(readLog(files.logFile), "");
            // /proc/1 is older than a second here: past the maximum wait.
            const r = await run(gate(1));
            assert.equal(r.code, 0);
            assert.match(readLog(files.logFile), /^tier gate: starting after 1 s although tier hot is not loaded \(segments left: unknown\)/);
        } finally {
            await druid.close();
            fs.rmSync(files.dir, { recursive: true, force: true });
        }
    });
});
