import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DruidArgumentError, DruidCluster, DruidClusterArgs } from "../index";
import { parseProperties } from "../components/core/properties";
import { GiB, MiB } from "../components/core/quantities";
import { checkVolumeChange, claimName, recordVolume, volumeRecordData, volumeRecordName } from "../components/k8s/volume-resize";
import { Plan, PlannedResource, planProgram, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";

// Safe volume resizes (components/k8s/volume-resize.ts).
//
// What the mocks stand for (testing/mocks.ts): a run in update mode is a successful `pulumi up`;
// its outputs (`outputsInto`) are the state it leaves. A later run gets some of them back through
// `previousOutputs`, standing for what the engine returns for the volume record ConfigMap:
// - when the request did not change, the record has no diff (its `data` is ignored): the engine
//   returns the outputs of its last update, unchanged;
// - when the request changed, its annotations changed: the engine updates it, and the provider's
//   server-side apply puts the live `data` back in (handleSSAIgnoreFields), so the outputs are the
//   cluster's record: what the first run created, or what a grow's ConfigMapPatch wrote since.
// Each test says which of the two the given outputs stand for.

const T = {
    sts: "kubernetes:apps/v1:StatefulSet",
    cm: "kubernetes:core/v1:ConfigMap",
    claim: "kubernetes:core/v1:PersistentVolumeClaimPatch",
    cmPatch: "kubernetes:core/v1:ConfigMapPatch",
};
const recordKey = (key: string) => `${T.cm} druid-${key}-volume-record`;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k as string], o);

function withTier(tier: { volumeSize: string; storageClass?: string; replicas?: number }, extra: Partial<DruidClusterArgs> = {}): DruidClusterArgs {
    return { ...defaultArgs(), data: { historicalTiers: [{ name: "default", ...tier }] }, ...extra };
}

interface Run { plan: Plan; outputs: Record<string, Record<string, unknown>> }

async function run(args: DruidClusterArgs, previous?: Record<string, Record<string, unknown>>, preview = false): Promise<Run> {
    const outputs: Record<string, Record<string, unknown>> = {};
    const { plan } = await planProgram(() => new DruidCluster("druid", args), { preview, previousOutputs: previous, outputsInto: outputs });
    return { plan, outputs };
}

/** The record as the cluster holds it after a run: its `data` with what the run's ConfigMapPatch wrote (a grow). */
function liveRecord(r: Run, key: string): Record<string, unknown> {
    const record = r.outputs[recordKey(key)];
    const update = r.outputs[`${T.cmPatch} druid-${key}-volume-record-update`];
    return { ...record, data: { ...(record.data as object), ...(update.data as object) } };
}

const historicalText = (p: Plan) => parseProperties(String(at(p.get(T.cm, "druid-historical-default").inputs, "data", "runtime.properties")));
const cacheBytes = (gib: number) => Math.floor((gib * GiB * 0.9) / MiB) * MiB;

/** Paths where two values differ. */
function differences(a: unknown, b: unknown, path = ""): string[] {
    if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path === "" ? k : `${path}.${k}`));
    }
    return a === b ? [] : [path];
}

function isVolumeError(argument: string, parts: string[]) {
    return (err: unknown): boolean => {
        assert.ok(err instanceof DruidArgumentError, `expected a DruidArgumentError, got ${String(err)}`);
        assert.equal(err.argument, argument);
        for (const part of parts) assert.ok(err.message.includes(part), `message lacks ${JSON.stringify(part)}: ${err.message}`);
        return true;
    };
}

describe("volume resizes: claims grown in place, the StatefulSet kept, shrinks and class changes refused", function () {
    this.timeout(120000);

    it("names: the claims are the StatefulSet controller's <template>-<statefulset>-<ordinal>", () => {
        assert.equal(claimName("segment-cache", "druid-historical-hot", 2), "segment-cache-druid-historical-hot-2");
        assert.equal(volumeRecordName("druid-historical-hot"), "druid-historical-hot-volume");
        assert.deepEqual(volumeRecordData({ size: "100Gi" }), { size: "100Gi", storageClass: "" });
    });

    it("first deployment: a record, one claim patch per ordinal (creating the claims), the configuration waits for them, the StatefulSet ignores its claim template", async () => {
        const first = await run(withTier({ volumeSize: "100Gi", storageClass: "gp3" }));
        const record = first.plan.get(T.cm, "druid-historical-default-volume-record");
        assert.deepEqual(record.ignoreChanges, ["data"]);
        assert.deepEqual(record.inputs.data, { size: "100Gi", storageClass: "gp3" });
        assert.equal(at(record.inputs, "metadata", "name"), "druid-historical-default-volume");
        assert.equal(at(record.inputs, "metadata", "annotations", "druid.apache.org/requested-volume-size"), "100Gi");
        const claims = first.plan.ofType(T.claim).filter((c) => c.name.startsWith("druid-historical-default-"));
        assert.deepEqual(claims.map((c) => at(c.inputs, "metadata", "name")).sort(),
            ["segment-cache-druid-historical-default-0", "segment-cache-druid-historical-default-1"]);
        const sts = first.plan.get(T.sts, "druid-historical-default");
        const template = at(sts.inputs, "spec", "volumeClaimTemplates", 0) as Record<string, unknown>;
        for (const c of claims) {
            // A whole claim, as the template would make it (the patch creates it on a new cluster).
            assert.deepEqual(at(c.inputs, "spec"), { accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: "100Gi" } } });
            assert.deepEqual(at(c.inputs, "spec", "accessModes"), at(template, "spec", "accessModes"));
            assert.equal(at(c.inputs, "metadata", "annotations", "pulumi.com/patchForce"), "true");
            assert.equal(at(c.inputs, "metadata", "annotations", "pulumi.com/skipAwait"), "true");
            assert.equal(at(c.inputs, "metadata", "labels", "app.kubernetes.io/version"), undefined, "an upgrade does not touch the claims");
            assert.equal(c.retainOnDelete, true);
            assert.ok(first.plan.dependsOn(c, record));
            assert.ok(first.plan.dependsOn(first.plan.get(T.cm, "druid-historical-default"), c), "the configuration waits for every claim");
            assert.ok(first.plan.dependsOn(sts, c), "and so does the StatefulSet");
        }
        assert.ok(sts.ignoreChanges.includes("spec.volumeClaimTemplates"));
        assert.ok(sts.ignoreChanges.includes("spec.replicas"));
        const update = first.plan.get(T.cmPatch, "druid-historical-default-volume-record-update");
        assert.deepEqual(update.inputs.data, { size: "100Gi" });
        for (const c of claims) assert.ok(first.plan.dependsOn(update, c), "the record moves only after the claims");
        assert.equal(historicalText(first.plan)["druid.server.maxSize"], String(cacheBytes(100)));
        // MiddleManagers' task storage is guarded the same way.
        assert.deepEqual(first.plan.ofType(T.claim).filter((c) => c.name.startsWith("druid-middlemanager-")).map((c) => at(c.inputs, "metadata", "name")).sort(),
            ["task-storage-druid-middlemanager-0", "task-storage-druid-middlemanager-1"]);
    });

    it("a grow: every claim patched to the new size, the StatefulSet unchanged but for its configuration, maxSize from the new size, the record moved forward", async () => {
        const first = await run(withTier({ volumeSize: "100Gi" }));
        // The request changed: the record is updated and returns the live record (what the first run created).
        const grown = await run(withTier({ volumeSize: "200Gi" }), { [recordKey("historical-default")]: first.outputs[recordKey("historical-default")] });
        const claims = grown.plan.ofType(T.claim).filter((c) => c.name.startsWith("druid-historical-default-"));
        assert.equal(claims.length, 2);
        for (const c of claims) assert.equal(at(c.inputs, "spec", "resources", "requests", "storage"), "200Gi");
        const text = historicalText(grown.plan);
        assert.equal(text["druid.server.maxSize"], String(cacheBytes(200)));
        assert.deepEqual(JSON.parse(text["druid.segmentCache.locations"]), [{ path: "/opt/druid/segment-cache", maxSize: cacheBytes(200) }]);
        const configMap = grown.plan.get(T.cm, "druid-historical-default");
        for (const c of claims) assert.ok(grown.plan.dependsOn(configMap, c), `${configMap.name} waits for ${c.name}`);
        // The StatefulSet's inputs differ only in the configuration checksum (a rolling restart with
        // the new maxSize) and in the claim template, which it ignores: no replacement.
        const before = first.plan.get(T.sts, "druid-historical-default");
        const after = grown.plan.get(T.sts, "druid-historical-default");
        assert.deepEqual(differences(before.inputs, after.inputs).sort(), [
            "spec.template.metadata.annotations.druid.apache.org/config-checksum",
            "spec.volumeClaimTemplates.0.spec.resources.requests.storage",
        ]);
        assert.ok(after.ignoreChanges.includes("spec.volumeClaimTemplates"));
        const update = grown.plan.get(T.cmPatch, "druid-historical-default-volume-record-update");
        assert.deepEqual(update.inputs.data, { size: "200Gi" });
        assert.deepEqual(liveRecord(grown, "historical-default").data, { size: "200Gi", storageClass: "" });
    });

    it("a grow with more replicas: the new ordinals' claims are created at the new size before the StatefulSet scales", async () => {
        const first = await run(withTier({ volumeSize: "100Gi" }));
        const grown = await run(withTier({ volumeSize: "150Gi", replicas: 3 }), { [recordKey("historical-default")]: first.outputs[recordKey("historical-default")] });
        const claims = grown.plan.ofType(T.claim).filter((c) => c.name.startsWith("druid-historical-default-"));
        assert.deepEqual(claims.map((c) => `${String(at(c.inputs, "metadata", "name"))}=${String(at(c.inputs, "spec", "resources", "requests", "storage"))}`).sort(), [
            "segment-cache-druid-historical-default-0=150Gi", "segment-cache-druid-historical-default-1=150Gi", "segment-cache-druid-historical-default-2=150Gi",
        ]);
        const scale = grown.plan.get("kubernetes:apps/v1:StatefulSetPatch", "druid-historical-default-replicas");
        for (const c of claims) assert.ok(grown.plan.dependsOn(scale, c), `the replica patch waits for ${c.name}`);
    });

    it("unchanged after a grow: the record's kept outputs are older than the claims, and the request still passes", async () => {
        const first = await run(withTier({ volumeSize: "100Gi" }));
        // No diff on the record: the engine returns its last update's outputs (100Gi), though the
        // grow's patch wrote 200Gi into the live record.
        const again = await run(withTier({ volumeSize: "200Gi" }), { [recordKey("historical-default")]: first.outputs[recordKey("historical-default")] });
        assert.equal(at(again.plan.get(T.claim, "druid-historical-default-claim-0").inputs, "spec", "resources", "requests", "storage"), "200Gi");
        assert.equal(historicalText(again.plan)["druid.server.maxSize"], String(cacheBytes(200)));
    });

    it("a shrink is refused with the recorded size and what to do, in preview too; no claim or configuration is registered", async () => {
        const first = await run(withTier({ volumeSize: "100Gi" }));
        const grown = await run(withTier({ volumeSize: "200Gi" }), { [recordKey("historical-default")]: first.outputs[recordKey("historical-default")] });
        // The request changed again: the update returns the live record, which the grow moved to 200Gi.
        const previous = { [recordKey("historical-default")]: liveRecord(grown, "historical-default") };
        for (const preview of [true, false]) {
            const shrunk = await run(withTier({ volumeSize: "150Gi" }), previous, preview);
            assert.equal(shrunk.plan.ofType(T.claim).some((c) => c.name.startsWith("druid-historical-default-")), false, "no claim patch");
            assert.equal(shrunk.plan.resources.some((r) => r.type === T.cm && r.name === "druid-historical-default"), false, "no configuration");
            assert.equal(shrunk.plan.resources.some((r) => r.type === T.sts && r.name === "druid-historical-default"), false, "the StatefulSet is not touched");
        }
        assert.throws(() => checkVolumeChange({ size: "200Gi", storageClass: "" },
            { argument: "data.historicalTiers[0]", size: "150Gi", remedy: "historical" }, "druid-historical-default"),
        isVolumeError("data.historicalTiers[0].volumeSize", [
            "invalid data.historicalTiers[0].volumeSize: got \"150Gi\"",
            "is smaller than \"200Gi\", the size the claims of StatefulSet druid-historical-default have (recorded in ConfigMap druid-historical-default-volume)",
            "Kubernetes can grow a claim but never shrink it",
            "Give back \"200Gi\" or more",
            "add a new Historical tier (a new name) with the volume you want",
            "then remove the old tier from data.historicalTiers",
        ]));
        // Equal or larger passes, whatever the unit.
        assert.doesNotThrow(() => checkVolumeChange({ size: "200Gi", storageClass: "" }, { argument: "a", size: "214748364800", remedy: "historical" }, "s"));
        assert.doesNotThrow(() => checkVolumeChange({ size: "200Gi", storageClass: "" }, { argument: "a", size: "1Ti", remedy: "historical" }, "s"));
    });

    it("a storage-class change is refused, either way round", () => {
        assert.throws(() => checkVolumeChange({ size: "100Gi", storageClass: "" },
            { argument: "data.historicalTiers[1]", size: "100Gi", storageClass: "gp3", remedy: "historical" }, "druid-historical-cold"),
        isVolumeError("data.historicalTiers[1].storageClass", [
            "got \"gp3\"",
            "the claims of StatefulSet druid-historical-cold were created with the cluster's default class (recorded in ConfigMap druid-historical-cold-volume)",
            "Kubernetes cannot change a claim's storage class",
            "Give back no storageClass",
            "to move to \"gp3\", add a new Historical tier",
        ]));
        assert.throws(() => checkVolumeChange({ size: "100Gi", storageClass: "gp2" },
            { argument: "data.ingestion", size: "100Gi", remedy: "ingestion" }, "druid-middlemanager"),
        isVolumeError("data.ingestion.storageClass", [
            "got null",
            "created with \"gp2\"",
            "Give back \"gp2\"",
            "scratch space for running tasks",
            "the record ConfigMap druid-middlemanager-volume",
        ]));
    });

    it("recordVolume's check output rejects a refused request, so nothing that waits for it is registered", async () => {
        // The record's outputs stand for the live record of an existing 500Gi tier (the request changed).
        const key = "test:index:Parent p";
        const previous = { "kubernetes:core/v1:ConfigMap t-volume-record": { data: { size: "500Gi", storageClass: "" }, metadata: { name: "s-volume" } } };
        const { plan, result } = await planProgram(() => {
            const parent = new pulumi.ComponentResource("test:index:Parent", "p");
            return recordVolume("t", {
                statefulSet: "s", template: "segment-cache", replicas: 2, namespace: "druid", labels: {},
                request: { argument: "data.historicalTiers[0]", size: "400Gi", remedy: "historical" },
            }, parent);
        }, { preview: false, previousOutputs: previous });
        assert.ok(plan.resources.some((r) => `${r.type} ${r.name}` === key));
        await assert.rejects(valueOf(result.checked), isVolumeError("data.historicalTiers[0].volumeSize", ["is smaller than \"500Gi\""]));
        assert.equal(plan.ofType(T.claim).length, 0);
        assert.equal(plan.ofType(T.cmPatch).length, 0);
    });

    it("the MiddleManagers' task storage: a shrink is refused under data.ingestion", async () => {
        const first = await run(defaultArgs());
        const shrunk = await run({ ...defaultArgs(), data: { ingestion: { volumeSize: "20Gi" } } },
            { [recordKey("middlemanager")]: first.outputs[recordKey("middlemanager")] });
        assert.equal(shrunk.plan.ofType(T.claim).some((c) => c.name.startsWith("druid-middlemanager-")), false);
        assert.equal(shrunk.plan.resources.some((r) => r.type === T.cm && r.name === "druid-middlemanager"), false);
        // The Historical tier, unchanged, is unaffected.
        assert.ok(shrunk.plan.resources.some((r: PlannedResource) => r.type === T.cm && r.name === "druid-historical-default"));
    });

    it("ephemeral Historicals have no claims: no record, no patch, the claim template not ignored", async () => {
        const { plan } = await run({ ...defaultArgs(), data: { historicalStorage: "ephemeral" } });
        assert.equal(plan.ofType(T.claim).some((c) => c.name.startsWith("druid-historical-")), false);
        assert.equal(plan.resources.some((r) => r.name === "druid-historical-default-volume-record"), false);
        assert.deepEqual(plan.get(T.sts, "druid-historical-default").ignoreChanges, ["spec.replicas"]);
    });
});
