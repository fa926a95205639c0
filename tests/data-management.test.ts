import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DruidCluster, DruidClusterArgs, RetentionRule } from "../index";
import { compactionBody, CompactionPlan, DataManagementPlan, dataManagementRequests, ruleBody, RulePlan } from "../components/config/data-management";
import { Plan, PlannedResource, planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { checkRestricted } from "./support/pod-security-restricted";

// (a) Request bodies against the shapes Druid documents (apache/druid docs, cited per test).
// (c) The applier Job in the plan, and the bodies its script POSTs when run (busybox, as in the
//     Druid image) against a local server playing the Coordinator. Mocks (testing/mocks.ts) stand
//     for the AWS and Kubernetes providers: in update mode, Secrets keep their input names.

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe("data management: request bodies as Druid documents them", () => {
    // docs/operations/rule-configuration.md: one JSON example per rule type.
    const docExamples: [RulePlan, unknown][] = [
        [{ type: "loadForever", tieredReplicants: { hot: 1, _default_tier: 1 } }, { type: "loadForever", tieredReplicants: { hot: 1, _default_tier: 1 } }],
        [{ type: "loadByPeriod", period: "P1M", includeFuture: true, tieredReplicants: { hot: 1, _default_tier: 1 } },
            { type: "loadByPeriod", period: "P1M", includeFuture: true, tieredReplicants: { hot: 1, _default_tier: 1 } }],
        [{ type: "loadByInterval", interval: "2012-01-01/2013-01-01", tieredReplicants: { hot: 1, _default_tier: 1 } },
            { type: "loadByInterval", interval: "2012-01-01/2013-01-01", tieredReplicants: { hot: 1, _default_tier: 1 } }],
        [{ type: "dropForever" }, { type: "dropForever" }],
        [{ type: "dropByPeriod", period: "P1M", includeFuture: true }, { type: "dropByPeriod", period: "P1M", includeFuture: true }],
        [{ type: "dropBeforeByPeriod", period: "P1M" }, { type: "dropBeforeByPeriod", period: "P1M" }],
        [{ type: "dropByInterval", interval: "2012-01-01/2013-01-01" }, { type: "dropByInterval", interval: "2012-01-01/2013-01-01" }],
        [{ type: "broadcastForever" }, { type: "broadcastForever" }],
        [{ type: "broadcastByPeriod", period: "P1M", includeFuture: true }, { type: "broadcastByPeriod", period: "P1M", includeFuture: true }],
        [{ type: "broadcastByInterval", interval: "2012-01-01/2013-01-01" }, { type: "broadcastByInterval", interval: "2012-01-01/2013-01-01" }],
    ];
    for (const [rule, documented] of docExamples) {
        it(`${rule.type}: the documented example`, () => assert.deepEqual(json(ruleBody(rule)), documented));
    }

    it("period rules state includeFuture (Druid's default true) when it is not given", () => {
        assert.deepEqual(ruleBody({ type: "loadByPeriod", period: "P7D", tieredReplicants: { hot: 2 } }),
            { type: "loadByPeriod", period: "P7D", includeFuture: true, tieredReplicants: { hot: 2 } });
    });

    it("a load rule on no tier is the documented deep-storage-only form (docs/api-reference/retention-rules-api.md, the _default example)", () => {
        assert.deepEqual(json(ruleBody({ type: "loadByInterval", interval: "2010-01-01/2020-01-01", tieredReplicants: {} })),
            { type: "loadByInterval", tieredReplicants: {}, useDefaultTierForNull: false, interval: "2010-01-01/2020-01-01" });
    });

    it("compaction: the automatic-compaction-api.md sample request, from typed fields and spec", () => {
        const c: CompactionPlan = { skipOffsetFromLatest: "PT0S", segmentGranularity: "DAY", spec: { tuningConfig: { partitionsSpec: { type: "dynamic" }, type: "index_parallel" } } };
        assert.deepEqual(compactionBody("wikipedia_hour", c), {
            dataSource: "wikipedia_hour",
            skipOffsetFromLatest: "PT0S",
            tuningConfig: { partitionsSpec: { type: "dynamic" }, type: "index_parallel" },
            granularitySpec: { segmentGranularity: "DAY" },
        });
    });

    it("compaction: typed tuning and spec merge one level deep (docs/configuration/index.md, automatic compaction tuningConfig: type index_parallel)", () => {
        const c: CompactionPlan = { taskPriority: 30, inputSegmentSizeBytes: 500000000, maxRowsPerSegment: 3000000, spec: { tuningConfig: { maxNumConcurrentSubTasks: 2 }, taskContext: { priority: 30 } } };
        assert.deepEqual(compactionBody("clicks", c), {
            dataSource: "clicks",
            taskPriority: 30,
            inputSegmentSizeBytes: 500000000,
            tuningConfig: { maxNumConcurrentSubTasks: 2, type: "index_parallel", partitionsSpec: { type: "dynamic", maxRowsPerSegment: 3000000 } },
            taskContext: { priority: 30 },
        });
    });

    it("requests: paths and methods of the rules, compaction, Coordinator and Overlord dynamic configuration APIs", () => {
        const p: DataManagementPlan = {
            defaultRules: [{ type: "loadForever", tieredReplicants: { _default_tier: 2 } }],
            rules: [["wiki pédia", [{ type: "dropForever" }]]],
            compaction: [["wiki pédia", { spec: {} }]],
            // The field names of docs/configuration/index.md's dynamic configuration table.
            coordinatorDynamicConfig: { smartSegmentLoading: false, maxSegmentsToMove: 5, replicationThrottleLimit: 10, killDataSourceWhitelist: ["wikipedia", "testDatasource"] },
            workerSelectStrategy: { type: "fillCapacity" },
            applyTimeoutSeconds: 600,
        };
        assert.deepEqual(dataManagementRequests(p), [
            // docs/api-reference/retention-rules-api.md: POST /druid/coordinator/v1/rules/_default and /rules/:dataSource, an array of rules.
            { service: "coordinator", path: "/druid/coordinator/v1/rules/_default", body: '[{"type":"loadForever","tieredReplicants":{"_default_tier":2}}]' },
            { service: "coordinator", path: "/druid/coordinator/v1/rules/wiki%20p%C3%A9dia", body: '[{"type":"dropForever"}]' },
            // docs/api-reference/automatic-compaction-api.md: POST /druid/coordinator/v1/config/compaction, the datasource in the body.
            { service: "coordinator", path: "/druid/coordinator/v1/config/compaction", body: '{"dataSource":"wiki pédia"}' },
            // docs/api-reference/dynamic-configuration-api.md: POST /druid/coordinator/v1/config.
            { service: "coordinator", path: "/druid/coordinator/v1/config",
                body: '{"smartSegmentLoading":false,"maxSegmentsToMove":5,"replicationThrottleLimit":10,"killDataSourceWhitelist":["wikipedia","testDatasource"]}' },
            // docs/api-reference/dynamic-configuration-api.md: POST /druid/indexer/v1/worker; docs/configuration/index.md: {"selectStrategy": {...}}.
            { service: "overlord", path: "/druid/indexer/v1/worker", body: '{"selectStrategy":{"type":"fillCapacity"}}' },
        ]);
    });
});

/** The hot/cold example of docs/data-lifecycle.md ("Retention, load rules and compaction as code"). */
export function hotColdArgs(): DruidClusterArgs {
    return {
        ...defaultArgs(),
        data: { historicalTiers: [{ name: "hot", volumeSize: "200Gi", replicas: 2, priority: 10 }, { name: "cold", volumeSize: "2000Gi", replicas: 3 }] },
        dataManagement: {
            defaultRules: [
                { type: "loadByPeriod", period: "P30D", tieredReplicants: { hot: 2 } },
                { type: "loadForever", tieredReplicants: { cold: 2 } },
            ],
            rules: {
                clickstream: [
                    { type: "loadByPeriod", period: "P7D", tieredReplicants: { hot: 2, cold: 1 } },
                    { type: "loadByPeriod", period: "P90D", tieredReplicants: { cold: 2 } },
                    { type: "dropForever" },
                ],
            },
            compaction: { clickstream: { skipOffsetFromLatest: "PT6H", segmentGranularity: "DAY" } },
        },
    };
}

/** What the hot/cold example's Job POSTs. */
export const hotColdRequests = [
    ["/druid/coordinator/v1/rules/_default",
        '[{"type":"loadByPeriod","period":"P30D","includeFuture":true,"tieredReplicants":{"hot":2}},{"type":"loadForever","tieredReplicants":{"cold":2}}]'],
    ["/druid/coordinator/v1/rules/clickstream",
        '[{"type":"loadByPeriod","period":"P7D","includeFuture":true,"tieredReplicants":{"hot":2,"cold":1}},' +
        '{"type":"loadByPeriod","period":"P90D","includeFuture":true,"tieredReplicants":{"cold":2}},{"type":"dropForever"}]'],
    ["/druid/coordinator/v1/config/compaction", '{"dataSource":"clickstream","skipOffsetFromLatest":"PT6H","granularitySpec":{"segmentGranularity":"DAY"}}'],
];

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const jobType = "kubernetes:batch/v1:Job";

/** Every pod spec in an object (any object with a `containers` list). */
function podSpecsOf(value: unknown, out: { spec: Obj }[] = []): { spec: Obj }[] {
    if (Array.isArray(value)) value.forEach((v) => podSpecsOf(v, out));
    else if (value !== null && typeof value === "object") {
        if (Array.isArray((value as Obj).containers)) out.push({ spec: value as Obj });
        for (const v of Object.values(value as Obj)) podSpecsOf(v, out);
    }
    return out;
}

async function build(args: DruidClusterArgs): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { config: { "aws:region": "eu-west-1" } })).plan;
}

describe("data management: the applier Job in the plan", function () {
    this.timeout(120000);
    let plan: Plan;
    let job: PlannedResource;
    before(async () => {
        plan = await build(hotColdArgs());
        job = plan.get(jobType, "druid-config-applier");
    });
    const podSpec = (j: PlannedResource) => at(j.inputs, "spec", "template", "spec") as Obj;
    const container = (j: PlannedResource) => (podSpec(j).containers as Obj[])[0];
    /** The script the Job runs: the file of its ConfigMap (of the Job's name) that its command names. */
    const script = (j: PlannedResource, p: Plan = plan) => {
        const name = String(at(j.inputs, "metadata", "name"));
        const map = p.ofType("kubernetes:core/v1:ConfigMap").find((c) => at(c.inputs, "metadata", "name") === name);
        assert.ok(map !== undefined, `no ConfigMap ${name}`);
        return String(at(map.inputs, "data", "apply.sh"));
    };

    it("a default cluster (tier \"_default_tier\", no dataManagement) has no Job", async () => {
        assert.equal((await build(defaultArgs())).ofType(jobType).length, 0);
    });

    it("is named after the hash of what it does: the same args give the same name, another rule another name", async () => {
        const name = String(at(job.inputs, "metadata", "name"));
        assert.match(name, /^druid-config-[0-9a-f]{10}$/);
        assert.equal(at((await build(hotColdArgs())).get(jobType, "druid-config-applier").inputs, "metadata", "name"), name);
        const changed = hotColdArgs();
        changed.dataManagement!.defaultRules![0].period = "P14D";
        assert.notEqual(at((await build(changed)).get(jobType, "druid-config-applier").inputs, "metadata", "name"), name);
    });

    it("runs once, bounded, kept 7 days, replaced delete-first, with the provider's await outlasting the deadline", () => {
        assert.deepEqual(at(job.inputs, "spec", "backoffLimit"), 0);
        assert.equal(at(job.inputs, "spec", "activeDeadlineSeconds"), 720);
        assert.equal(at(job.inputs, "spec", "ttlSecondsAfterFinished"), 604800);
        assert.equal(podSpec(job).restartPolicy, "Never");
        assert.equal(job.deleteBeforeReplace, true);
        assert.deepEqual(job.customTimeouts, { create: "17m", update: "17m", delete: "" });
    });

    it("starts after the Coordinator is up and the Overlord scaled", () => {
        assert.ok(plan.dependsOn(job, plan.get("kubernetes:apps/v1:Deployment", "druid-coordinator")));
        assert.ok(plan.dependsOn(job, plan.get("kubernetes:apps/v1:DeploymentPatch", "druid-overlord-replicas")));
    });

    it("runs the Druid image's busybox as uid 1000 under the restricted profile, with a read-only root and no service account token", () => {
        assert.equal(container(job).image, "apache/druid:37.0.0");
        // The script is a file of a ConfigMap, mounted read-only, never an exec argument (MAX_ARG_STRLEN).
        assert.deepEqual(container(job).command, ["/bin/sh", "/etc/druid-config-applier/apply.sh"]);
        assert.deepEqual(container(job).volumeMounts, [{ name: "script", mountPath: "/etc/druid-config-applier", readOnly: true }]);
        assert.deepEqual(podSpec(job).volumes, [{ name: "script", configMap: { name: String(at(job.inputs, "metadata", "name")) } }]);
        assert.deepEqual(checkRestricted(podSpec(job) as never), []);
        assert.equal(at(podSpec(job), "securityContext", "runAsUser"), 1000);
        assert.equal(at(container(job), "securityContext", "readOnlyRootFilesystem"), true);
        assert.equal(podSpec(job).automountServiceAccountToken, false);
        assert.equal(container(job).terminationMessagePath, "/dev/termination-log");
        assert.equal(container(job).terminationMessagePolicy, "FallbackToLogsOnError");
    });

    it("gets the internal client's password from the auth Secret, as the Druid pods do", () => {
        assert.deepEqual(container(job).env, [{ name: "DRUID_INTERNAL_CLIENT_PASSWORD", valueFrom: { secretKeyRef: { name: "druid-auth", key: "internal-client-password" } } }]);
        assert.ok(plan.dependsOn(job, plan.get("kubernetes:core/v1:Secret", "druid-auth")));
    });

    it("carries the Druid pod labels the druid-internal NetworkPolicy admits", () => {
        const policy = plan.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "druid-druid-internal");
        const from = at(policy.inputs, "spec", "ingress", 0, "from", 0, "podSelector", "matchLabels") as Record<string, string>;
        const labels = at(job.inputs, "spec", "template", "metadata", "labels") as Record<string, string>;
        for (const [k, v] of Object.entries(from)) assert.equal(labels[k], v, k);
        assert.equal(labels["app.kubernetes.io/component"], "config-applier", "no Service or PodDisruptionBudget selects it");
    });

    it("TLS: speaks https to the TLS ports through wget; auth off: no credentials", async () => {
        const tls = await build({ ...hotColdArgs(), tls: { secretName: "druid-tls" } });
        const s = script(tls.get(jobType, "druid-config-applier"), tls);
        assert.match(s, /apply coordinator 'https:\/\/druid-coordinator\.druid\.svc:8281'/);
        assert.match(s, /wget -q -O -/);
        const open = await build({ ...hotColdArgs(), auth: { enabled: false } });
        const j = open.get(jobType, "druid-config-applier");
        assert.deepEqual(container(j).env, []);
        assert.ok(!script(j, open).includes("Authorization"));
    });

    it("the hot/cold Job, run with busybox against a server playing the Coordinator, POSTs the rules that load what they say", async () => {
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "busybox-bin-"));
        for (const a of ["sh", "nc", "base64", "tr", "date", "sleep", "printf", "sed", "head", "wc"]) fs.symlinkSync("/bin/busybox", path.join(bin, a));
        const log = path.join(bin, "termination-log");
        const seen: { url: string; body: string; auth?: string }[] = [];
        const server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c: Buffer) => { body += c.toString(); });
            req.on("end", () => { seen.push({ url: req.url ?? "", body, auth: req.headers.authorization }); res.writeHead(200); res.end(); });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        try {
            // The planned script, pointed at the local server and a writable termination log.
            const local = script(job)
                .split("http://druid-coordinator.druid.svc:8081").join(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
                .replace("msg='/dev/termination-log'", `msg='${log}'`);
            const code = await new Promise<number>((resolve) => execFile(path.join(bin, "sh"), ["-c", local],
                { env: { PATH: bin, DRUID_INTERNAL_CLIENT_PASSWORD: "internal" }, timeout: 30000 }, (err) => resolve(err === null ? 0 : 1)));
            assert.equal(code, 0);
            assert.equal(fs.readFileSync(log, "utf8"), "applied 3 requests\n");
            assert.deepEqual(seen.map((s) => [s.url, s.body]), hotColdRequests);
            for (const s of seen) assert.equal(s.auth, `Basic ${Buffer.from("druid_system:internal").toString("base64")}`);
            // What the rules load: recent data of every datasource on hot (2 replicas = both hot Historicals),
            // the rest on cold; clickstream's last week on both, up to 90 days on cold, older dropped.
            const defaults = JSON.parse(seen[0].body) as { tieredReplicants?: Record<string, number> }[];
            assert.deepEqual(defaults.map((r) => r.tieredReplicants), [{ hot: 2 }, { cold: 2 }]);
        } finally {
            await new Promise<void>((r) => server.close(() => r()));
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });

    it("850 datasources' rules: no exec argument reaches 131,072 bytes, the script fits its ConfigMap, and busybox runs it as a file and POSTs every list", async () => {
        const args = hotColdArgs();
        const rules: Record<string, RetentionRule[]> = {};
        for (let i = 0; i < 850; i++) rules[`events_${String(i).padStart(4, "0")}`] = [{ type: "loadByPeriod", period: "P7D", tieredReplicants: { hot: 2, cold: 1 } }, { type: "dropForever" }];
        args.dataManagement!.rules = rules;
        const many = await build(args);
        const j = many.get(jobType, "druid-config-applier");
        const text = script(j, many);
        // As one `sh -c` argument (before the fix) this script is over Linux's MAX_ARG_STRLEN.
        assert.ok(Buffer.byteLength(text) > 131072, String(Buffer.byteLength(text)));
        for (const r of many.resources) {
            for (const { spec } of podSpecsOf(r.inputs)) {
                for (const c of [...((spec.containers ?? []) as Obj[]), ...((spec.initContainers ?? []) as Obj[])]) {
                    for (const a of [...((c.command ?? []) as string[]), ...((c.args ?? []) as string[])]) assert.ok(Buffer.byteLength(a) < 131072, `${r.name}: an argument of ${Buffer.byteLength(a)} bytes`);
                }
            }
        }
        const map = many.ofType("kubernetes:core/v1:ConfigMap").find((c) => at(c.inputs, "metadata", "name") === at(j.inputs, "metadata", "name"))!;
        const data = at(map.inputs, "data") as Record<string, string>;
        assert.ok(Object.entries(data).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0) <= 1024 * 1024);
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "busybox-bin-"));
        for (const a of ["sh", "nc", "base64", "tr", "date", "sleep", "printf", "sed", "head", "wc"]) fs.symlinkSync("/bin/busybox", path.join(bin, a));
        const log = path.join(bin, "termination-log");
        let posts = 0;
        const server = http.createServer((req, res) => { req.on("data", () => undefined); req.on("end", () => { posts++; res.writeHead(200); res.end(); }); });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        try {
            const file = path.join(bin, "apply.sh");
            fs.writeFileSync(file, text.split("http://druid-coordinator.druid.svc:8081").join(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
                .replace("msg='/dev/termination-log'", `msg='${log}'`));
            const code = await new Promise<number>((resolve) => execFile(path.join(bin, "sh"), [file],
                { env: { PATH: bin, DRUID_INTERNAL_CLIENT_PASSWORD: "internal" }, timeout: 150000 }, (err) => resolve(err === null ? 0 : 1)));
            assert.equal(code, 0);
            // Default rules, 850 datasource rule lists, one compaction configuration.
            assert.equal(fs.readFileSync(log, "utf8"), "applied 852 requests\n");
            assert.equal(posts, 852);
        } finally {
            await new Promise<void>((r) => server.close(() => r()));
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });
});
