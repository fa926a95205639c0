import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DruidClusterArgs } from "../components/args";
import { waveEnv, zoneWaveScript, ZoneWaveScriptOptions } from "../components/config/zone-wave";
import { DruidCluster } from "../components/druid-cluster";
import { ClusterPlan, ServicePlan } from "../components/plan/cluster-plan";
import * as resolveModule from "../components/plan/resolve";
import { ZoneWaveGroup } from "../components/plan/zone-wave-plan";
import { Plan, planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { DruidArgumentError } from "../components/core/errors";
import { checkZoneWaves } from "../components/parts/applier-fits";
import { simulateCreation } from "./support/deploy-model";
import { checkPlan } from "./support/kubernetes-schema";
import { checkRestricted, PodSpecLike } from "./support/pod-security-restricted";

// The zone-wave Job's script (components/config/zone-wave.ts), run with the shell and tools the Druid
// image has: busybox (apache/druid distribution/docker/Dockerfile installs busybox 1.34's applets
// into /bin), here Debian's busybox-static, with a PATH holding only busybox applets. Two local
// servers play the rest:
// - the Kubernetes API over TLS (a self-signed certificate, as the script verifies none): the zone's
//   StatefulSet (metadata.generation, spec.replicas, status.observedGeneration and updateRevision),
//   its pods by name (label controller-revision-hash, spec.nodeName, the Ready condition,
//   deletionTimestamp), nodes with the label topology.kubernetes.io/zone; DELETE of a pod marks it
//   terminating, and the fake controller recreates it at the update revision, Ready after a delay;
// - the Coordinator: GET /druid/coordinator/v1/loadstatus?full → {tier: {datasource: segments left}}
//   (apache/druid@118d26bb26c304f3204742c72c839de14112b9c9:server/src/main/java/org/apache/druid/server/http/CoordinatorResource.java,
//   getLoadStatus: `full` → computeUnderReplicationCountsPerDataSourcePerTier, a Map<tier, Map<datasource, Long>>).

const busybox = "/bin/busybox";
const applets = ["sh", "ssl_client", "timeout", "wget", "base64", "tr", "date", "sleep", "printf", "sed", "grep", "head", "cat", "echo", "tee"];

interface Pod { rev: string; node: string; ready: boolean; deleting: boolean }
interface Seen { method: string; url: string; authorization?: string; at: number }

/** The cluster the fake API server shows: one zone's StatefulSet, its pods, the nodes. */
class FakeCluster {
    pods = new Map<string, Pod>();
    seen: Seen[] = [];
    generation = 2;
    observedGeneration = 2;
    constructor(public sts: string, public replicas: number, public updateRevision: string, public nodes: Record<string, string>, public readyDelayMs = 600) {}

    handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const url = req.url ?? "";
        this.seen.push({ method: req.method ?? "", url, authorization: req.headers.authorization, at: Date.now() });
        const json = (status: number, body: unknown) => { res.writeHead(status, { "Content-Type": "application/json" }); res.end(JSON.stringify(body)); };
        if (req.headers.authorization !== "Bearer token-of-the-wave") return json(401, { kind: "Status", code: 401, reason: "Unauthorized" });
        let m = /^\/apis\/apps\/v1\/namespaces\/analytics\/statefulsets\/([^/]+)$/.exec(url);
        if (m !== null && req.method === "GET") {
            if (m[1] !== this.sts) return json(404, { kind: "Status", code: 404 });
            return json(200, {
                kind: "StatefulSet", apiVersion: "apps/v1",
                // As the API server writes it: managedFields (server-side apply) come before spec and name fields as "f:<name>".
                metadata: { name: this.sts, namespace: "analytics", generation: this.generation, annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{\"spec\":{\"replicas\":99}}" },
                    managedFields: [{ manager: "pulumi-kubernetes", fieldsV1: { "f:spec": { "f:replicas": {}, "f:updateStrategy": {} }, "f:status": { "f:updateRevision": {} } } }] },
                spec: { replicas: this.replicas, updateStrategy: { type: "OnDelete" } },
                status: { observedGeneration: this.observedGeneration, replicas: this.pods.size, readyReplicas: 0, currentRevision: "old", updateRevision: this.updateRevision },
            });
        }
        m = /^\/api\/v1\/namespaces\/analytics\/pods\/([^/]+)$/.exec(url);
        if (m !== null) {
            const name = m[1];
            const pod = this.pods.get(name);
            if (pod === undefined) return json(404, { kind: "Status", code: 404, reason: "NotFound" });
            if (req.method === "DELETE") {
                pod.deleting = true;
                setTimeout(() => {
                    this.pods.set(name, { rev: this.updateRevision, node: pod.node, ready: false, deleting: false });
                    setTimeout(() => { const p = this.pods.get(name); if (p !== undefined) p.ready = true; }, this.readyDelayMs);
                }, 200);
                return json(200, this.podJson(name, pod));
            }
            return json(200, this.podJson(name, pod));
        }
        m = /^\/api\/v1\/nodes\/([^/]+)$/.exec(url);
        if (m !== null && req.method === "GET") {
            const zone = this.nodes[m[1]];
            if (zone === undefined) return json(404, { kind: "Status", code: 404 });
            return json(200, {
                kind: "Node", metadata: { name: m[1], labels: { "kubernetes.io/hostname": m[1], "topology.kubernetes.io/zone": zone },
                    managedFields: [{ fieldsV1: { "f:metadata": { "f:labels": { "f:topology.kubernetes.io/zone": {} } } } }] },
            });
        }
        json(404, { kind: "Status", code: 404 });
    }

    podJson(name: string, p: Pod): unknown {
        return {
            kind: "Pod", apiVersion: "v1",
            metadata: {
                name, namespace: "analytics", labels: { "app.kubernetes.io/component": "historical", "controller-revision-hash": p.rev },
                managedFields: [{ manager: "kube-controller-manager", fieldsV1: { "f:metadata": { "f:labels": { "f:controller-revision-hash": {} } }, "f:spec": { "f:nodeName": {} },
                    "f:status": { "f:conditions": { "k:{\"type\":\"Ready\"}": { ".": {}, "f:status": {} } } } } }],
                ...(p.deleting ? { deletionTimestamp: "2026-12-07T09:00:00Z" } : {}),
            },
            spec: { nodeName: p.node, containers: [{ name: "druid" }] },
            status: {
                phase: "Running",
                conditions: [
                    { type: "Initialized", status: "True" },
                    { type: "Ready", observedGeneration: 1, status: p.ready ? "True" : "False" },
                ],
            },
        };
    }

    /** What reached the API, without the reads of nodes: method and path. */
    calls(): string[] {
        return this.seen.filter((s) => !s.url.startsWith("/api/v1/nodes/")).map((s) => `${s.method} ${s.url}`);
    }
}

describe("zone-wave script, run by busybox against servers playing the Kubernetes API and the Coordinator", function () {
    this.timeout(120000);
    let bin: string;
    let curlBin: string;
    let dir: string;
    let key: Buffer;
    let cert: Buffer;
    before(() => {
        assert.ok(fs.existsSync(busybox), "Debian's busybox-static is needed (.ci/run installs it): apt-get install busybox-static");
        bin = fs.mkdtempSync(path.join(os.tmpdir(), "busybox-bin-"));
        for (const a of applets) fs.symlinkSync(busybox, path.join(bin, a));
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "zone-wave-"));
        execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
            "-days", "1", "-subj", "/CN=kubernetes", "-addext", "subjectAltName=DNS:kubernetes.default.svc,IP:127.0.0.1"], { stdio: "ignore" });
        key = fs.readFileSync(path.join(dir, "key.pem"));
        cert = fs.readFileSync(path.join(dir, "cert.pem"));
        fs.writeFileSync(path.join(dir, "token"), "token-of-the-wave\n");
        assert.ok(fs.existsSync("/usr/bin/curl"), "curl is needed for the curl transport's tests");
        curlBin = fs.mkdtempSync(path.join(os.tmpdir(), "curl-bin-"));
        fs.symlinkSync("/usr/bin/curl", path.join(curlBin, "curl"));
    });
    after(() => {
        fs.rmSync(bin, { recursive: true, force: true });
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(curlBin, { recursive: true, force: true });
    });

    /** The fake API server. `secLevel` 0 accepts the SHA-1 signature busybox's TLS 1.2 implies; OpenSSL's default (2) does not. */
    const apiServer = (cluster: FakeCluster, secLevel = 0): Promise<{ port: number; close: () => Promise<void> }> => {
        const server = https.createServer({ key, cert, ciphers: `DEFAULT@SECLEVEL=${secLevel}` }, (req, res) => {
            req.resume();
            req.on("end", () => cluster.handle(req, res));
        });
        return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
            port: (server.address() as AddressInfo).port,
            close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
        })));
    };

    /** The fake Coordinator: `left()` gives the tier's count at each call. */
    const coordinator = (tier: string, left: () => number): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> => {
        const seen: Seen[] = [];
        const server = http.createServer((req, res) => {
            seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, at: Date.now() });
            res.writeHead(200, { "Content-Type": "application/json" });
            res.end(JSON.stringify(req.url === "/druid/coordinator/v1/loadstatus?full" ? { [tier]: { wiki: left(), "wiki-edits": 0 }, "hot-eu-west-1b": { wiki: 7 } } : {}));
        });
        return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
            url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            seen,
            close: () => new Promise<void>((done) => server.close(() => done())),
        })));
    };

    let runs = 0;
    /** `withCurl`: a PATH with curl too (an image such as curlimages/curl), the CA bundle `caFile`. */
    const run = (apiPort: number, zone: { sts: string; replicas: number; zone: string; tier?: string; timeout: number }, o: Partial<ZoneWaveScriptOptions> = {}, withCurl = false):
        Promise<{ code: number; stdout: string; stderr: string; message: string; ms: number }> => {
        const log = path.join(dir, `termination-${++runs}`);
        const script = zoneWaveScript({ coordinatorUrl: "http://127.0.0.1:1", auth: true, pollSeconds: 1, settleSeconds: 1, ioTimeoutSeconds: 5, caFile: path.join(dir, "cert.pem"), ...o,
            tokenFile: path.join(dir, "token"), terminationLog: log });
        const started = Date.now();
        return new Promise((resolve) => {
            execFile(path.join(bin, "sh"), ["-c", script], {
                env: {
                    PATH: withCurl ? `${bin}:${curlBin}` : bin, KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: String(apiPort), DRUID_INTERNAL_CLIENT_PASSWORD: "pw",
                    [waveEnv.namespace]: "analytics", [waveEnv.statefulSet]: zone.sts, [waveEnv.replicas]: String(zone.replicas), [waveEnv.zone]: zone.zone,
                    [waveEnv.tier]: zone.tier ?? "", [waveEnv.timeoutSeconds]: String(zone.timeout),
                },
                timeout: 90000,
            }, (err, stdout, stderr) => {
                const code = err === null ? 0 : typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1;
                resolve({ code, stdout, stderr, message: fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "", ms: Date.now() - started });
            });
        });
    };

    const sts = "druid-historical-hot-eu-west-1a";
    const nodesA = { "ip-10-0-1-1": "eu-west-1a", "ip-10-0-1-2": "eu-west-1a", "ip-10-0-2-1": "eu-west-1b" };
    const zoneA = { sts, replicas: 3, zone: "eu-west-1a", tier: "hot-eu-west-1a", timeout: 40 };
    const podPaths = (names: string[]) => names.map((n) => `/api/v1/namespaces/analytics/pods/${n}`);

    it("outdated pods are deleted all together, after every pod was looked at; then the wave waits for Ready pods and the tier's load status", async () => {
        const cluster = new FakeCluster(sts, 3, "rev-new", nodesA);
        cluster.pods.set(`${sts}-0`, { rev: "rev-old", node: "ip-10-0-1-1", ready: true, deleting: false });
        cluster.pods.set(`${sts}-1`, { rev: "rev-old", node: "ip-10-0-1-2", ready: true, deleting: false });
        cluster.pods.set(`${sts}-2`, { rev: "rev-new", node: "ip-10-0-1-2", ready: true, deleting: false });
        let left = 3;
        const api = await apiServer(cluster);
        const druid = await coordinator("hot-eu-west-1a", () => (left > 0 ? left-- : 0));
        try {
            const r = await run(api.port, zoneA, { coordinatorUrl: druid.url });
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.message, /^zone eu-west-1a: 3 pods of druid-historical-hot-eu-west-1a restarted; tier hot-eu-west-1a loaded in \d+ s\n$/);
            const calls = cluster.calls();
            assert.equal(calls[0], `GET /apis/apps/v1/namespaces/analytics/statefulsets/${sts}`);
            assert.deepEqual(calls.slice(1, 4), podPaths([`${sts}-0`, `${sts}-1`, `${sts}-2`]).map((p) => `GET ${p}`), "every pod read before any deletion");
            assert.deepEqual(calls.slice(4, 6), podPaths([`${sts}-0`, `${sts}-1`]).map((p) => `DELETE ${p}`), "both outdated pods deleted, one after the other without waiting, the up-to-date one kept");
            assert.equal(calls.filter((c) => c.startsWith("DELETE")).length, 2);
            assert.ok(cluster.seen.every((s) => s.authorization === "Bearer token-of-the-wave"));
            // Every node of a pod was read (its zone checked) before the first deletion.
            const firstDelete = cluster.seen.findIndex((s) => s.method === "DELETE");
            assert.deepEqual([...new Set(cluster.seen.slice(0, firstDelete).filter((s) => s.url.startsWith("/api/v1/nodes/")).map((s) => s.url))],
                ["/api/v1/nodes/ip-10-0-1-1", "/api/v1/nodes/ip-10-0-1-2"]);
            // The Coordinator was asked only after the pods were back, with the internal client's credentials, until the tier had nothing left.
            const lastPodRead = Math.max(...cluster.seen.filter((s) => s.url.includes("/pods/")).map((s) => s.at));
            assert.ok(druid.seen.length >= 4, `asked until 0: ${druid.seen.length} times`);
            assert.ok(druid.seen.every((s) => s.at >= lastPodRead && s.url === "/druid/coordinator/v1/loadstatus?full"));
            assert.ok(druid.seen.every((s) => s.authorization === `Basic ${Buffer.from("druid_system:pw").toString("base64")}`));
            assert.ok([...cluster.pods.values()].every((p) => p.rev === "rev-new" && p.ready));
        } finally {
            await api.close();
            await druid.close();
        }
    });

    it("re-run when every pod is at the update revision: nothing is deleted, only the load status is awaited", async () => {
        const cluster = new FakeCluster(sts, 2, "rev-new", nodesA);
        cluster.pods.set(`${sts}-0`, { rev: "rev-new", node: "ip-10-0-1-1", ready: true, deleting: false });
        cluster.pods.set(`${sts}-1`, { rev: "rev-new", node: "ip-10-0-1-2", ready: true, deleting: false });
        const api = await apiServer(cluster);
        const druid = await coordinator("hot-eu-west-1a", () => 0);
        try {
            const r = await run(api.port, { ...zoneA, replicas: 2 }, { coordinatorUrl: druid.url });
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /every pod of druid-historical-hot-eu-west-1a is at revision rev-new/);
            assert.deepEqual(cluster.calls().filter((c) => !c.startsWith("GET")), [], "no DELETE");
            assert.equal(druid.seen.length, 1);
        } finally {
            await api.close();
            await druid.close();
        }
    });

    it("a tier that never finishes loading stops the wave at waveTimeoutSeconds, naming the zone, the tier and the segments left", async () => {
        const cluster = new FakeCluster(sts, 1, "rev-new", nodesA);
        cluster.pods.set(`${sts}-0`, { rev: "rev-old", node: "ip-10-0-1-1", ready: true, deleting: false });
        const api = await apiServer(cluster);
        const druid = await coordinator("hot-eu-west-1a", () => 1234);
        try {
            const r = await run(api.port, { ...zoneA, replicas: 1, timeout: 6 }, { coordinatorUrl: druid.url });
            assert.equal(r.code, 1);
            assert.match(r.message, /^zone eu-west-1a: tier hot-eu-west-1a still had 1234 segments to load after [67] s \(waveTimeoutSeconds 6\); its pods are Ready at revision rev-new; the other zones still serve every segment\n$/);
            assert.ok(r.ms < 6000 + 5000, `stopped soon after the deadline: ${r.ms} ms`);
            assert.ok(druid.seen.length >= 1);
        } finally {
            await api.close();
            await druid.close();
        }
    });

    it("a pod on a node of another zone is refused before any pod is deleted", async () => {
        const cluster = new FakeCluster(sts, 3, "rev-new", nodesA);
        cluster.pods.set(`${sts}-0`, { rev: "rev-old", node: "ip-10-0-1-1", ready: true, deleting: false });
        cluster.pods.set(`${sts}-1`, { rev: "rev-old", node: "ip-10-0-2-1", ready: true, deleting: false });
        cluster.pods.set(`${sts}-2`, { rev: "rev-old", node: "ip-10-0-1-2", ready: true, deleting: false });
        const api = await apiServer(cluster);
        try {
            const r = await run(api.port, zoneA);
            assert.equal(r.code, 1);
            assert.equal(r.message, "zone eu-west-1a: pod druid-historical-hot-eu-west-1a-1 of druid-historical-hot-eu-west-1a runs on node ip-10-0-2-1, " +
                "whose topology.kubernetes.io/zone is eu-west-1b: refused; no pod was deleted\n");
            assert.deepEqual(cluster.seen.filter((s) => s.method !== "GET"), [], "nothing deleted");
        } finally {
            await api.close();
        }
    });

    it("MiddleManagers (no tier): outdated pods restarted together, done when Ready, the Coordinator never asked", async () => {
        const mm = "druid-middlemanager-eu-west-1b";
        const cluster = new FakeCluster(mm, 2, "mm-new", { "ip-10-0-2-1": "eu-west-1b" });
        cluster.pods.set(`${mm}-0`, { rev: "mm-old", node: "ip-10-0-2-1", ready: true, deleting: false });
        cluster.pods.set(`${mm}-1`, { rev: "mm-old", node: "ip-10-0-2-1", ready: true, deleting: false });
        const api = await apiServer(cluster);
        const druid = await coordinator("x", () => 5);
        try {
            const r = await run(api.port, { sts: mm, replicas: 2, zone: "eu-west-1b", timeout: 30 }, { coordinatorUrl: druid.url });
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.message, /^zone eu-west-1b: 2 pods of druid-middlemanager-eu-west-1b restarted and Ready in \d+ s\n$/);
            assert.deepEqual(cluster.calls().filter((c) => c.startsWith("DELETE")), podPaths([`${mm}-0`, `${mm}-1`]).map((p) => `DELETE ${p}`));
            assert.equal(druid.seen.length, 0);
        } finally {
            await api.close();
            await druid.close();
        }
    });

    it("pods that do not come back Ready stop the wave at the deadline with how many are Ready", async () => {
        const cluster = new FakeCluster(sts, 2, "rev-new", nodesA, 60000);
        cluster.pods.set(`${sts}-0`, { rev: "rev-old", node: "ip-10-0-1-1", ready: true, deleting: false });
        cluster.pods.set(`${sts}-1`, { rev: "rev-new", node: "ip-10-0-1-1", ready: true, deleting: false });
        const api = await apiServer(cluster);
        try {
            const r = await run(api.port, { ...zoneA, replicas: 2, timeout: 4 });
            assert.equal(r.code, 1);
            assert.match(r.message, /^zone eu-west-1a: 1 of 2 pods of druid-historical-hot-eu-west-1a Ready at revision rev-new after [45] s \(waveTimeoutSeconds 4\); the other zones still serve; see the pods of druid-historical-hot-eu-west-1a\n$/);
        } finally {
            await api.close();
        }
    });

    it("creation: a StatefulSet with no pods yet (replica patch not applied) is done at once, without the Coordinator", async () => {
        const cluster = new FakeCluster(sts, 0, "rev-1", nodesA);
        const api = await apiServer(cluster);
        try {
            const r = await run(api.port, zoneA);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(r.message, "zone eu-west-1a: druid-historical-hot-eu-west-1a has no pods yet (a cluster being created): nothing to roll\n");
            assert.deepEqual(cluster.calls(), [`GET /apis/apps/v1/namespaces/analytics/statefulsets/${sts}`]);
        } finally {
            await api.close();
        }
    });

    it("waits until the StatefulSet controller has observed the latest generation before it trusts updateRevision", async () => {
        const cluster = new FakeCluster(sts, 1, "rev-new", nodesA);
        cluster.observedGeneration = 1;
        cluster.pods.set(`${sts}-0`, { rev: "rev-new", node: "ip-10-0-1-1", ready: true, deleting: false });
        setTimeout(() => { cluster.observedGeneration = 2; }, 1500);
        const api = await apiServer(cluster);
        try {
            const r = await run(api.port, { sts, replicas: 1, zone: "eu-west-1a", timeout: 20 });
            assert.equal(r.code, 0, r.stderr);
            const stsReads = cluster.calls().filter((c) => c.includes("/statefulsets/")).length;
            assert.ok(stsReads >= 2, `read again until observed: ${stsReads}`);
        } finally {
            await api.close();
        }
    });

    it("a wrong token (401) fails at once with the API's answer", async () => {
        const cluster = new FakeCluster(sts, 1, "rev-new", nodesA);
        const api = await apiServer(cluster);
        fs.writeFileSync(path.join(dir, "token"), "stale\n");
        try {
            const r = await run(api.port, zoneA);
            assert.equal(r.code, 1);
            assert.match(r.message, /^zone eu-west-1a: the Kubernetes API refused GET \/apis\/apps\/v1\/namespaces\/analytics\/statefulsets\/druid-historical-hot-eu-west-1a \(401\): \{"kind":"Status","code":401,"reason":"Unauthorized"\}\n$/);
            assert.equal(cluster.seen.length, 1);
        } finally {
            fs.writeFileSync(path.join(dir, "token"), "token-of-the-wave\n");
            await api.close();
        }
    });

    it("with curl in the image: the same wave against a server at OpenSSL's default level, its certificate verified against the CA bundle", async () => {
        const mm = "druid-middlemanager-eu-west-1b";
        const cluster = new FakeCluster(mm, 2, "mm-new", { "ip-10-0-2-1": "eu-west-1b" });
        cluster.pods.set(`${mm}-0`, { rev: "mm-old", node: "ip-10-0-2-1", ready: true, deleting: false });
        cluster.pods.set(`${mm}-1`, { rev: "mm-new", node: "ip-10-0-2-1", ready: true, deleting: false });
        const api = await apiServer(cluster, 2);
        try {
            const r = await run(api.port, { sts: mm, replicas: 2, zone: "eu-west-1b", timeout: 30 }, {}, true);
            assert.equal(r.code, 0, r.stderr);
            assert.deepEqual(cluster.calls().filter((c) => c.startsWith("DELETE")), [`DELETE /api/v1/namespaces/analytics/pods/${mm}-0`]);
            assert.ok(cluster.seen.every((s) => s.authorization === "Bearer token-of-the-wave"));
            // Another CA: curl refuses the server before any request, and the wave fails saying so.
            const other = path.join(dir, "other-ca.pem");
            execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "other-key.pem"), "-out", other, "-days", "1", "-subj", "/CN=other"], { stdio: "ignore" });
            const before = cluster.seen.length;
            const refused = await run(api.port, { sts: mm, replicas: 2, zone: "eu-west-1b", timeout: 2 }, { caFile: other }, true);
            assert.equal(refused.code, 1);
            assert.match(refused.message, /^zone eu-west-1b: no answer from the Kubernetes API to GET \/apis\/apps\/v1\/namespaces\/analytics\/statefulsets\/druid-middlemanager-eu-west-1b in \d+ s; last 000: curl: \(60\) SSL certificate problem/);
            assert.equal(cluster.seen.length, before, "no request reached the server");
        } finally {
            await api.close();
        }
    });

    it("busybox's TLS is refused by a server that accepts no SHA-1 signature in TLS 1.2 (OpenSSL's default level): the wave fails, naming the handshake", async () => {
        // Busybox sends no signature_algorithms extension (mirror/busybox@1_34_1 networking/tls.c:1543);
        // docs/zones.md: the API server must accept SHA-1 signatures in TLS 1.2.
        const cluster = new FakeCluster(sts, 1, "rev-new", nodesA);
        const api = await apiServer(cluster, 2);
        try {
            const r = await run(api.port, { ...zoneA, timeout: 2 });
            assert.equal(r.code, 1);
            assert.match(r.message, /^zone eu-west-1a: no answer from the Kubernetes API to GET \/apis\/apps\/v1\/namespaces\/analytics\/statefulsets\/druid-historical-hot-eu-west-1a in \d+ s; last 000: .*handshake failure/);
            assert.equal(cluster.seen.length, 0);
        } finally {
            await api.close();
        }
    });
});

// The wave Jobs in the render: DruidCluster built under the mocks with a plan whose Historical tier
// and MiddleManagers are split by hand into two zones each (part 1 of issue #25 builds that split
// from the arguments; here resolveCluster is wrapped to add it).
describe("zone waves in the render: Jobs, their order, their permissions and timeouts", function () {
    this.timeout(120000);
    const zones = ["eu-west-1a", "eu-west-1b"];
    const groups: ZoneWaveGroup[] = [
        { key: "historical-default", kind: "historical", logicalTier: "_default_tier", waveTimeoutSeconds: 5400,
            waves: zones.map((z) => ({ zone: z, serviceKey: `historical-default-${z}`, replicas: 3, druidTier: `_default_tier-${z}` })) },
        { key: "middlemanager", kind: "middleManager", waveTimeoutSeconds: 1500, jobImage: "registry.example.com/curlimages/curl:8.11.1",
            waves: zones.map((z) => ({ zone: z, serviceKey: `middlemanager-${z}`, replicas: 2 })) },
    ];
    const original = resolveModule.resolveCluster;
    /** The plan with the zone split; `change` alters one zone's ServicePlan (a changed pod template). */
    const zoned = (change?: (svc: ServicePlan) => ServicePlan) => (name: string, args: DruidClusterArgs): ClusterPlan => {
        const plan = original(name, args);
        const split = (key: string, replicas: number, tier: boolean) => zones.map((z) => {
            const svc = plan.services.find((s) => s.key === key)!;
            const zoneSvc: ServicePlan = { ...svc, key: `${key}-${z}`, replicas, ...(tier && svc.tier !== undefined ? { tier: { ...svc.tier, name: `${svc.tier.name}-${z}` } } : {}) };
            plan.podExtras[zoneSvc.key] = plan.podExtras[key];
            plan.placement[zoneSvc.key] = plan.placement[key];
            return change !== undefined && z === zones[0] ? change(zoneSvc) : zoneSvc;
        });
        const services = plan.services.flatMap((s) => (s.key === "historical-default" ? split(s.key, 3, true) : s.key === "middlemanager" ? split(s.key, 2, false) : [s]));
        return { ...plan, services, zoneWaves: groups };
    };
    const build = async (change?: (svc: ServicePlan) => ServicePlan): Promise<Plan> => {
        (resolveModule as { resolveCluster: typeof original }).resolveCluster = zoned(change);
        try {
            // As `pulumi up` runs it: the Job names hash the StatefulSets' rendered templates (outputs).
            return (await planProgram(() => new DruidCluster("druid", defaultArgs()), { config: { "aws:region": "eu-west-1" }, preview: false })).plan;
        } finally {
            (resolveModule as { resolveCluster: typeof original }).resolveCluster = original;
        }
    };
    type Obj = Record<string, unknown>;
    const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
    let plan: Plan;
    before(async () => { plan = await build(); });
    const job = (p: Plan, serviceKey: string) => p.get("kubernetes:batch/v1:Job", `druid-wave-${serviceKey}`);
    const sts = (p: Plan, key: string) => p.get("kubernetes:apps/v1:StatefulSet", `druid-${key}`);

    it("one Job per zone, in wave order: each after its zone's StatefulSet and the previous zone's Job", () => {
        const jobs = plan.ofType("kubernetes:batch/v1:Job").filter((j) => j.name.startsWith("druid-wave-"));
        assert.deepEqual(jobs.map((j) => j.name).sort(), [...zones.map((z) => `druid-wave-historical-default-${z}`), ...zones.map((z) => `druid-wave-middlemanager-${z}`)].sort());
        const [ha, hb] = zones.map((z) => job(plan, `historical-default-${z}`));
        assert.ok(ha.dependencies.includes(sts(plan, `historical-default-${zones[0]}`).urn));
        assert.ok(hb.dependencies.includes(sts(plan, `historical-default-${zones[1]}`).urn));
        assert.ok(hb.dependencies.includes(ha.urn), "zone b's Job after zone a's");
        assert.ok(!plan.dependsOn(ha, hb));
        for (const j of jobs) assert.match(String(at(j.inputs, "metadata", "name")), /^druid-wave-[0-9a-f]{10}$/);
    });

    it("the next rolling wave (the MiddleManager StatefulSets) waits for the last Historical wave Job; the Brokers for the last MiddleManager wave Job", () => {
        const lastHistorical = job(plan, `historical-default-${zones[1]}`);
        for (const z of zones) assert.ok(sts(plan, `middlemanager-${z}`).dependencies.includes(lastHistorical.urn), `middlemanager-${z}`);
        const broker = plan.get("kubernetes:apps/v1:Deployment", "druid-broker");
        assert.ok(broker.dependencies.includes(job(plan, `middlemanager-${zones[1]}`).urn));
        // The MiddleManager Jobs wait for their own StatefulSets, which wait for the Historical waves.
        assert.ok(plan.dependsOn(job(plan, `middlemanager-${zones[0]}`), lastHistorical));
    });

    it("the Job runs the script of an immutable ConfigMap with its zone in the environment, under its own account with a projected 10-minute token", () => {
        const j = job(plan, `historical-default-${zones[0]}`);
        const spec = at(j.inputs, "spec") as Obj;
        assert.equal(spec.backoffLimit, 0);
        assert.equal(spec.activeDeadlineSeconds, 5400 + 120);
        const pod = at(spec, "template", "spec") as Obj;
        assert.equal(pod.serviceAccountName, "druid-zone-wave");
        assert.equal(pod.automountServiceAccountToken, false);
        assert.deepEqual((pod.volumes as Obj[])[1], { name: "token", projected: { sources: [
            { serviceAccountToken: { path: "token", expirationSeconds: 600 } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        ] } });
        assert.deepEqual(((pod.containers as Obj[])[0].volumeMounts as Obj[])[1], { name: "token", mountPath: "/var/run/secrets/druid-zone-wave", readOnly: true });
        assert.equal((pod.containers as Obj[])[0].image, "apache/druid:37.0.0", "the Druid image by default");
        const c = (pod.containers as Obj[])[0];
        assert.deepEqual(c.command, ["/bin/sh", "/etc/druid-zone-wave/wave.sh"]);
        const env = Object.fromEntries((c.env as Obj[]).filter((e) => e.value !== undefined).map((e): [string, unknown] => [String(e.name), e.value]));
        assert.deepEqual(env, { WAVE_NAMESPACE: "druid", WAVE_STATEFULSET: `druid-historical-default-${zones[0]}`, WAVE_REPLICAS: "3", WAVE_ZONE: zones[0],
            WAVE_TIER: `_default_tier-${zones[0]}`, WAVE_TIMEOUT_SECONDS: "5400" });
        assert.deepEqual((c.env as Obj[]).filter((e) => e.valueFrom !== undefined).map((e) => e.name), ["DRUID_INTERNAL_CLIENT_PASSWORD"]);
        const mm = (at(job(plan, `middlemanager-${zones[1]}`).inputs, "spec", "template", "spec", "containers", 0, "env") as Obj[]);
        assert.equal(mm.find((e) => e.name === "WAVE_TIER")?.value, "", "no tier for MiddleManagers");
        assert.ok(mm.every((e) => e.valueFrom === undefined), "no Druid credentials where the Coordinator is not asked");
        assert.equal(at(job(plan, `middlemanager-${zones[1]}`).inputs, "spec", "template", "spec", "containers", 0, "image"), "registry.example.com/curlimages/curl:8.11.1",
            "a group's jobImage (an image with curl: the API server's certificate verified)");
        const map = plan.ofType("kubernetes:core/v1:ConfigMap").find((m) => at(m.inputs, "metadata", "name") === (pod.volumes as Obj[] as { configMap?: { name: string } }[])[0].configMap?.name);
        assert.ok(map !== undefined);
        assert.equal(at(map.inputs, "immutable"), true);
        assert.equal(at(map.inputs, "data", "wave.sh"), zoneWaveScript({ coordinatorUrl: "http://druid-coordinator.druid.svc:8081", auth: true, settleSeconds: 3 * 30 }),
            "three Coordinator runs (druid.coordinator.period PT30S) before the load status counts");
    });

    it("RBAC: a namespaced Role naming the zone StatefulSets and their pods, and a ClusterRole that only reads nodes", () => {
        const role = plan.get("kubernetes:rbac.authorization.k8s.io/v1:Role", "druid-zone-wave");
        const stsNames = groups.flatMap((g) => g.waves.map((w) => `druid-${w.serviceKey}`));
        const pods = groups.flatMap((g) => g.waves.flatMap((w) => Array.from({ length: w.replicas }, (_, i) => `druid-${w.serviceKey}-${i}`)));
        assert.deepEqual(at(role.inputs, "rules"), [
            { apiGroups: ["apps"], resources: ["statefulsets"], resourceNames: stsNames, verbs: ["get"] },
            { apiGroups: [""], resources: ["pods"], resourceNames: pods, verbs: ["get", "delete"] },
        ]);
        assert.equal(pods.length, 10);
        const binding = plan.get("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "druid-zone-wave");
        assert.deepEqual(at(binding.inputs, "subjects"), [{ kind: "ServiceAccount", name: "druid-zone-wave", namespace: "druid" }]);
        const clusterRole = plan.get("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "druid-zone-wave-nodes");
        assert.deepEqual(at(clusterRole.inputs, "rules"), [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }]);
        assert.equal(at(clusterRole.inputs, "metadata", "name"), undefined, "auto-named: cluster-scoped");
        const cb = plan.get("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "druid-zone-wave-nodes");
        assert.deepEqual(at(cb.inputs, "subjects"), [{ kind: "ServiceAccount", name: "druid-zone-wave", namespace: "druid" }]);
        for (const j of plan.ofType("kubernetes:batch/v1:Job").filter((x) => x.name.startsWith("druid-wave-"))) {
            assert.ok(j.dependencies.includes(role.urn) && j.dependencies.includes(cb.urn), `${j.name} waits for its permissions`);
        }
    });

    it("Pulumi awaits each Job longer than its wave may take, and replaces it by deleting first", () => {
        const h = job(plan, `historical-default-${zones[0]}`);
        assert.deepEqual(h.customTimeouts, { create: `${Math.ceil((5400 + 120) / 60) + 5}m`, update: `${Math.ceil((5400 + 120) / 60) + 5}m`, delete: "" });
        assert.equal(job(plan, `middlemanager-${zones[0]}`).customTimeouts.create, `${Math.ceil((1500 + 120) / 60) + 5}m`);
        assert.equal(h.deleteBeforeReplace, true);
    });

    it("a changed pod template of one zone changes only that zone's Job name (a new Job runs); the other zones' Jobs stay", async () => {
        const changed = await build((svc) => (svc.kind === "historical" ? { ...svc, resources: { ...svc.resources, cpu: "3" } } : svc));
        const name = (p: Plan, key: string) => at(job(p, key).inputs, "metadata", "name");
        assert.notEqual(name(changed, `historical-default-${zones[0]}`), name(plan, `historical-default-${zones[0]}`));
        assert.equal(name(changed, `historical-default-${zones[1]}`), name(plan, `historical-default-${zones[1]}`));
        assert.equal(name(changed, `middlemanager-${zones[0]}`), name(plan, `middlemanager-${zones[0]}`));
        const again = await build();
        assert.equal(name(again, `historical-default-${zones[0]}`), name(plan, `historical-default-${zones[0]}`), "stable: the same plan, the same Job");
    });

    it("every object of the zoned render passes the upstream Kubernetes schema, and the wave Jobs' pods the restricted Pod Security profile", () => {
        const { checked } = checkPlan(plan);
        assert.ok(checked > 40, `${checked} objects`);
        for (const j of plan.ofType("kubernetes:batch/v1:Job").filter((x) => x.name.startsWith("druid-wave-"))) {
            assert.deepEqual(checkRestricted(at(j.inputs, "spec", "template", "spec") as PodSpecLike), [], j.name);
        }
    });

    it("creation converges: the wave Jobs run while their StatefulSets have no pods (the real-program creation case above), so nothing waits for a Coordinator that waits for them", () => {
        // The deploy model (tests/support/deploy-model.ts) completes a resource once what it depends on
        // has; a wave Job at creation finds spec.replicas 0 and completes without asking the Coordinator.
        const result = simulateCreation(plan, true);
        assert.deepEqual(result.stuck, []);
        assert.ok(result.converged);
        for (const z of zones) {
            const patch = plan.get("kubernetes:apps/v1:StatefulSetPatch", `druid-historical-default-${z}-replicas`);
            assert.ok(!plan.dependsOn(job(plan, `historical-default-${z}`), patch), "a wave Job never waits for the replica patch (the patch waits for the Coordinator, which comes after every wave)");
        }
        assert.ok(result.servingOrder.includes("historical") && result.servingOrder.includes("middleManager"));
    });

    it("a group the Jobs cannot roll is refused with a DruidArgumentError before any wave object is made", () => {
        const services = original("druid", defaultArgs()).services;
        const one: ZoneWaveGroup = { ...groups[0], waves: [{ zone: "eu-west-1a", serviceKey: "historical-default", replicas: 2, druidTier: "_default_tier" }] };
        assert.throws(() => checkZoneWaves("druid", [one], services), (e: Error) => e instanceof DruidArgumentError &&
            e.message === 'DruidCluster: invalid zone waves of historical-default (its zones): got ["eu-west-1a"]; a zone-aware group needs at least 2 zones: one restarts while the others serve');
        const wrong: ZoneWaveGroup = { ...groups[0], waves: [{ zone: "a", serviceKey: "historical-default", replicas: 2 }, { zone: "b", serviceKey: "broker", replicas: 2 }] };
        assert.throws(() => checkZoneWaves("druid", [wrong], services), (e: Error) => e instanceof DruidArgumentError &&
            e.message === 'DruidCluster: invalid zone waves of historical-default, zone b: got "broker"; must name a historical StatefulSet of the plan (historical-default)');
        assert.doesNotThrow(() => checkZoneWaves("druid", groups, zoned()("druid", defaultArgs()).services));
    });

    it("no zone-aware group: no wave Job, account or ClusterRole", async () => {
        const p = (await planProgram(() => new DruidCluster("druid", defaultArgs()), { config: { "aws:region": "eu-west-1" } })).plan;
        assert.deepEqual(p.ofType("kubernetes:batch/v1:Job").filter((j) => j.name.startsWith("druid-wave-")), []);
        assert.deepEqual(p.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"), []);
    });
});
