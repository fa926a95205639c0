import assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { ApplierScriptOptions, configApplierScript } from "../components/config/config-applier";
import { ApplyRequest } from "../components/config/data-management";
import { runScript, ScriptRun, useBusybox } from "./support/busybox-run";

// The data-management Job's script, run with the shell and tools the Druid image has: busybox
// (apache/druid distribution/docker/Dockerfile installs busybox 1.34's applets into /bin of its
// distroless base), here Debian's busybox-static, with a PATH holding only busybox applets. A local
// Node HTTP server plays the Coordinator's and Overlord's APIs: POST /druid/coordinator/v1/rules/{ds},
// /druid/coordinator/v1/config/compaction, /druid/coordinator/v1/config and /druid/indexer/v1/worker
// answer 200 with an empty body on success (docs/api-reference/retention-rules-api.md,
// automatic-compaction-api.md: "A successful request returns an HTTP 200 OK message code and an
// empty response body"); the tests make it answer 401, 400, 404, 500 or a 307 redirect (a
// non-leader Coordinator) as well.

const applets = ["sh", "wget", "nc", "base64", "tr", "date", "sleep", "printf", "sed", "head", "wc", "cat", "echo"];

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

function serve(handler: (req: Seen, res: http.ServerResponse) => void): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => { body += c.toString("utf8"); });
        req.on("end", () => {
            const s = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
            seen.push(s);
            handler(s, res);
        });
    });
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () => new Promise<void>((done) => server.close(() => done())),
    })));
}

function answer(res: http.ServerResponse, status: number, body = ""): void {
    res.writeHead(status, body === "" ? {} : { "Content-Type": "application/json" });
    res.end(body);
}

const requests: ApplyRequest[] = [
    { service: "coordinator", path: "/druid/coordinator/v1/rules/_default", body: '[{"type":"loadForever","tieredReplicants":{"cold":2}}]' },
    { service: "coordinator", path: "/druid/coordinator/v1/rules/wiki%20p%C3%A9dia", body: '[{"type":"loadByPeriod","period":"P7D","includeFuture":true,"tieredReplicants":{"hot":2,"cold":1}},{"type":"dropForever"}]' },
    { service: "coordinator", path: "/druid/coordinator/v1/config/compaction", body: '{"dataSource":"it\'s","skipOffsetFromLatest":"PT6H"}' },
    { service: "overlord", path: "/druid/indexer/v1/worker", body: '{"selectStrategy":{"type":"fillCapacity"}}' },
];

describe("data-management applier script, run by busybox against a server playing the Coordinator", function () {
    this.timeout(60000);
    const bb = useBusybox(applets);
    const run = (o: Partial<ApplierScriptOptions> & Pick<ApplierScriptOptions, "coordinatorUrl">, password = "s3cr:t p@ss"): Promise<ScriptRun> => {
        const log = bb.nextLog();
        const script = configApplierScript({
            requests, overlordUrl: o.coordinatorUrl, auth: true, deadlineSeconds: 20, retrySeconds: 1, comment: "DruidCluster druid", ioTimeoutSeconds: 5,
            ...o, terminationLog: log,
        });
        return runScript(bb.bin(), script, { DRUID_INTERNAL_CLIENT_PASSWORD: password }, log, 45000);
    };
    const basic = (password: string) => `Basic ${Buffer.from(`druid_system:${password}`).toString("base64")}`;

    it("200: POSTs every body as JSON with the internal client's credentials and the audit headers; a second run POSTs the same (idempotent)", async () => {
        const coordinator = await serve((_req, res) => answer(res, 200));
        const overlord = await serve((_req, res) => answer(res, 200));
        try {
            const first = await run({ coordinatorUrl: coordinator.url, overlordUrl: overlord.url });
            assert.equal(first.code, 0, first.stderr);
            assert.equal(first.message, "applied 4 requests\n");
            const posted = (s: Seen[]) => s.map((x) => ({ method: x.method, url: x.url, body: x.body }));
            assert.deepEqual(posted(coordinator.seen), requests.filter((r) => r.service === "coordinator").map((r) => ({ method: "POST", url: r.path, body: r.body })));
            assert.deepEqual(posted(overlord.seen), [{ method: "POST", url: "/druid/indexer/v1/worker", body: '{"selectStrategy":{"type":"fillCapacity"}}' }]);
            for (const s of [...coordinator.seen, ...overlord.seen]) {
                assert.equal(s.headers.authorization, basic("s3cr:t p@ss"));
                assert.equal(s.headers["content-type"], "application/json", "Druid's resources @Consumes(application/json)");
                assert.equal(s.headers["content-length"], String(Buffer.byteLength(s.body)), "bytes, not characters");
                assert.equal(s.headers["x-druid-author"], "pulumi-druid");
                assert.equal(s.headers["x-druid-comment"], "DruidCluster druid");
                assert.doesNotThrow(() => JSON.parse(s.body) as unknown);
            }
            const second = await run({ coordinatorUrl: coordinator.url, overlordUrl: overlord.url });
            assert.equal(second.code, 0, second.stderr);
            assert.deepEqual(posted(coordinator.seen.slice(3)), posted(coordinator.seen.slice(0, 3)));
            assert.deepEqual(posted(overlord.seen.slice(1)), posted(overlord.seen.slice(0, 1)));
        } finally {
            await coordinator.close();
            await overlord.close();
        }
    });

    it("no credentials when auth is off", async () => {
        const coordinator = await serve((_req, res) => answer(res, 200));
        try {
            const r = await run({ coordinatorUrl: coordinator.url, auth: false });
            assert.equal(r.code, 0, r.stderr);
            assert.ok(coordinator.seen.every((s) => s.headers.authorization === undefined));
        } finally {
            await coordinator.close();
        }
    });

    it("401 (wrong credentials): fails at once, the status and Druid's answer in the termination message", async () => {
        const coordinator = await serve((req, res) => (req.headers.authorization === basic("right")
            ? answer(res, 200)
            : answer(res, 401, '{"error":"Unauthorized","errorMessage":"User authentication failed."}')));
        try {
            const r = await run({ coordinatorUrl: coordinator.url }, "wrong");
            assert.equal(r.code, 1);
            assert.equal(r.message, 'POST /druid/coordinator/v1/rules/_default: the coordinator answered 401: {"error":"Unauthorized","errorMessage":"User authentication failed."}\n');
            assert.equal(coordinator.seen.length, 1, "a wrong password is not retried");
            assert.equal((await run({ coordinatorUrl: coordinator.url }, "right")).code, 0);
        } finally {
            await coordinator.close();
        }
    });

    it("400 (Druid refused the body): fails at once with Druid's error", async () => {
        const coordinator = await serve((req, res) => (req.url.startsWith("/druid/coordinator/v1/config/compaction")
            ? answer(res, 400, '{"error":"Invalid configuration","errorMessage":"skipOffsetFromLatest must be a period"}')
            : answer(res, 200)));
        try {
            const r = await run({ coordinatorUrl: coordinator.url });
            assert.equal(r.code, 1);
            assert.match(r.message, /^POST \/druid\/coordinator\/v1\/config\/compaction: the coordinator answered 400: .*skipOffsetFromLatest must be a period/);
            assert.deepEqual(coordinator.seen.map((s) => s.url), requests.slice(0, 3).map((q) => q.path), "the rules went through, then it stopped");
        } finally {
            await coordinator.close();
        }
    });

    it("500 then 200: retried until the Coordinator answers", async () => {
        let calls = 0;
        const coordinator = await serve((_req, res) => (++calls <= 2 ? answer(res, 500, '{"error":"not leader yet"}') : answer(res, 200)));
        try {
            const r = await run({ coordinatorUrl: coordinator.url });
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stderr, /POST \/druid\/coordinator\/v1\/rules\/_default: 500, again in 1 s/);
            assert.deepEqual(coordinator.seen.slice(0, 3).map((s) => s.url), Array(3).fill("/druid/coordinator/v1/rules/_default"));
            assert.equal(coordinator.seen.length, 2 + requests.length);
        } finally {
            await coordinator.close();
        }
    });

    it("404 until the deadline (a Coordinator that never gets ready): fails with the last answer", async () => {
        const coordinator = await serve((_req, res) => answer(res, 404, '{"error":"Not Found"}'));
        try {
            const r = await run({ coordinatorUrl: coordinator.url, deadlineSeconds: 2 });
            assert.equal(r.code, 1);
            assert.equal(r.message, 'POST /druid/coordinator/v1/rules/_default: the coordinator gave no success in 2 s; last answer 404: {"error":"Not Found"}\n');
            assert.ok(coordinator.seen.length >= 2, "tried more than once");
        } finally {
            await coordinator.close();
        }
    });

    it("nothing listening: retried, then fails naming the connection error", async () => {
        const gone = await serve(() => undefined);
        await gone.close();
        const r = await run({ coordinatorUrl: gone.url, deadlineSeconds: 2 });
        assert.equal(r.code, 1);
        assert.match(r.message, /^POST \/druid\/coordinator\/v1\/rules\/_default: the coordinator gave no success in 2 s; last answer 000: .*(refused|connect)/);
    });

    it("307 from a Coordinator that is not the leader: the POST goes to the leader", async () => {
        const leader = await serve((_req, res) => answer(res, 200));
        const follower = await serve((req, res) => {
            res.writeHead(307, { Location: `${leader.url}${req.url}` });
            res.end();
        });
        try {
            const r = await run({ coordinatorUrl: follower.url, overlordUrl: leader.url });
            assert.equal(r.code, 0, r.stderr);
            assert.deepEqual(leader.seen.map((s) => [s.url, s.body]), [...requests.slice(0, 3), requests[3]].map((q) => [q.path, q.body]));
            assert.ok(leader.seen.every((s) => s.headers.authorization === basic("s3cr:t p@ss")));
        } finally {
            await leader.close();
            await follower.close();
        }
    });

    it("wget transport (used with TLS): same requests; a failure reports the status line", async () => {
        let refuse = false;
        const coordinator = await serve((_req, res) => (refuse ? answer(res, 400, '{"error":"bad"}') : answer(res, 200)));
        try {
            const ok = await run({ coordinatorUrl: coordinator.url, transport: "wget" });
            assert.equal(ok.code, 0, ok.stderr);
            assert.deepEqual(coordinator.seen.map((s) => [s.url, s.body, s.headers["content-type"], s.headers.authorization]),
                requests.map((q) => [q.path, q.body, "application/json", basic("s3cr:t p@ss")]));
            refuse = true;
            const failed = await run({ coordinatorUrl: coordinator.url, transport: "wget" });
            assert.equal(failed.code, 1);
            assert.match(failed.message, /^POST \/druid\/coordinator\/v1\/rules\/_default: the coordinator answered 400: wget: server returned error: HTTP\/1.1 400 Bad Request/);
        } finally {
            await coordinator.close();
        }
    });
});
