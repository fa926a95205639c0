import assert from "node:assert/strict";
import { checkDruidVersion, druidReleaseFor, msqExtensionFor, supportedDruidReleases } from "../components/plan/druid-versions";
import { resolveCluster } from "../components/plan/resolve";
import { DruidArgumentError } from "../components/core/errors";
import { defaultArgs } from "./fixtures/args";
import { releaseEntrypoints } from "./support/image-entrypoints";

// The component's version matrix (components/plan/druid-versions.ts) against the tests' own record
// of what each release's entrypoints do (tests/support/image-entrypoints.ts), and how a druidVersion
// maps to a row.

describe("supported Druid versions", function () {
    it("supports exactly the releases whose entrypoints the real-program tests check, and the default is the newest", () => {
        assert.deepEqual(supportedDruidReleases.map((r) => r.release), releaseEntrypoints.map((r) => r.release));
        assert.equal(resolveCluster("druid", defaultArgs()).druidVersion, supportedDruidReleases[supportedDruidReleases.length - 1].release);
    });

    it("each row's peon.sh and adapter facts agree with the entrypoint facts the real-program tests start task pods with", () => {
        for (const e of releaseEntrypoints) {
            const row = druidReleaseFor(e.release);
            assert.ok(row !== undefined, e.release);
            assert.equal(row.peonSh.readsJvmConfig, e.peonSh.readsJvmConfig, e.release);
            assert.equal(row.peonSh.passesTaskDirAndAttempt, e.peonSh.passesTaskDirAndAttempt, e.release);
            assert.deepEqual(row.taskPodEnv.names, e.adapterEnv.names, e.release);
            assert.equal(row.taskPodEnv.taskDirFrom, e.adapterEnv.taskDirFrom, e.release);
            // Every fact names where it was read.
            for (const s of [...row.peonSh.sources, row.taskPodEnv.source, row.msqExtensions.source, row.java.source]) assert.ok(s.repo !== "" && s.ref !== "" && s.at !== "", JSON.stringify(s));
        }
    });

    it("a patch release maps to its row; another minor, an older or a newer major is refused with the supported list", () => {
        assert.equal(checkDruidVersion("37.0.1").major, 37);
        assert.equal(checkDruidVersion("35.0.0").major, 35);
        for (const v of ["34.0.0", "33.0.0", "38.0.0", "37.1.0", "0.23.0"]) {
            assert.throws(() => checkDruidVersion(v), (e: unknown) => e instanceof DruidArgumentError && /choose 35\.0\.x, 36\.0\.x or 37\.0\.x/.test(e.message), v);
        }
    });

    it("the task pods take their JVM flags from JAVA_OPTS exactly when the release's peon.sh ignores jvm.config", () => {
        for (const r of supportedDruidReleases) {
            const plan = resolveCluster("druid", { ...defaultArgs(), druidVersion: r.release, data: { ingestion: { worker: "kubernetesJobs" } } });
            assert.equal(plan.taskPods?.javaOptsFromEnv, !r.peonSh.readsJvmConfig, r.release);
        }
    });

    it("MSQ is core on every supported release (apache/druid#18394): no extension in the load list", () => {
        for (const r of supportedDruidReleases) {
            assert.deepEqual(msqExtensionFor(r.release), []);
            assert.ok(!resolveCluster("druid", { ...defaultArgs(), druidVersion: r.release }).extensions.some((x) => x.includes("multi-stage-query")), r.release);
            assert.ok(r.java.supported.includes(21), `${r.release}: Java 21`);
        }
    });
});
