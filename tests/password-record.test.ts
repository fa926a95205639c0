import assert from "node:assert/strict";
import { DruidArgumentError, DruidCluster, DruidClusterArgs } from "../index";
import {
    changedPasswordError, checkRecordedPasswords, passwordFingerprint, passwordRecordData, passwordRecordName,
} from "../components/k8s/password-record";
import { Plan, planProgram, valueOf } from "../testing";
import { defaultArgs } from "./fixtures/args";

// The record of the passwords Druid's users were created with (components/k8s/password-record.ts).
//
// What the mocks stand for (testing/mocks.ts): a first run in update mode is the first `pulumi up`,
// which creates the record Secret and the salt. A second run gets that run's outputs for those two
// resources through `previousOutputs`: it stands for the engine keeping a resource that has no diff
// (the salt) or whose only change is ignored (the record Secret, `ignoreChanges: ["data"]`): the
// engine sends the old inputs and the provider returns the stored object, so its outputs are the
// creation-time values whatever the program now computes. In preview mode the same outputs are
// known, as they are for an existing unchanged resource in a real `pulumi preview`.

const record = (generation: number) => `kubernetes:core/v1:Secret ${passwordRecordName("druid", generation)}`;
const salt = "random:index/randomBytes:RandomBytes druid-auth-record-salt";

function withPasswords(admin: string, internal: string, generation?: number): DruidClusterArgs {
    return { ...defaultArgs(), auth: { adminPassword: admin, internalClientPassword: internal, passwordGeneration: generation } };
}

interface Run { plan: Plan; cluster: DruidCluster; outputs: Record<string, Record<string, unknown>> }

async function run(args: DruidClusterArgs, options: { preview?: boolean; previous?: Record<string, Record<string, unknown>> } = {}): Promise<Run> {
    const outputs: Record<string, Record<string, unknown>> = {};
    const { plan, result } = await planProgram(() => new DruidCluster("druid", args), {
        preview: options.preview ?? false, previousOutputs: options.previous, outputsInto: outputs,
    });
    return { plan, cluster: result, outputs };
}

/** The state a first `pulumi up` leaves for the two resources the engine keeps unchanged afterwards. */
function kept(first: Run, generation = 0): Record<string, Record<string, unknown>> {
    assert.ok(first.outputs[record(generation)], "the first run created the record Secret");
    return { [record(generation)]: first.outputs[record(generation)], [salt]: first.outputs[salt] };
}

function isChangedPassword(argument: string, user: string, nextGeneration: number) {
    return (err: unknown): boolean => {
        assert.ok(err instanceof DruidArgumentError, `expected a DruidArgumentError, got ${String(err)}`);
        assert.equal(err.argument, argument);
        for (const part of [
            `invalid ${argument}`,
            `a password other than the one recorded in Secret druid-auth-record-${nextGeneration - 1}`,
            `Druid sets the password of its "${user}" user only when it creates the user`,
            "To keep the current password, give back the previous value",
            `POST /druid-ext/basic-security/authentication/db/MetadataStoreAuthenticator/users/${user}/credentials`,
            "{\"password\": \"<new password>\"}",
            `auth.passwordGeneration to ${nextGeneration}`,
        ]) {
            assert.ok(err.message.includes(part), `message lacks ${JSON.stringify(part)}: ${err.message}`);
        }
        assert.ok(!err.message.includes("first-internal") && !err.message.includes("second-internal"), "the message must not show a password");
        return true;
    };
}

describe("auth passwords: the creation-time passwords are recorded and a later change is refused", () => {
    it("the record holds keyed fingerprints, never a password, and the salt changes them", () => {
        const s1 = "11".repeat(32);
        const s2 = "22".repeat(32);
        const data = passwordRecordData(s1, { adminPassword: "hunter2", internalClientPassword: "s3cret" });
        assert.deepEqual(Object.keys(data).sort(), ["admin-password.hmac-sha256", "internal-client-password.hmac-sha256"]);
        const decoded = Object.values(data).map((v) => Buffer.from(v, "base64").toString("utf8"));
        for (const d of decoded) {
            assert.match(d, /^[0-9a-f]{64}$/);
            assert.ok(!d.includes("hunter2") && !d.includes("s3cret"));
        }
        assert.notEqual(passwordFingerprint(s1, "hunter2"), passwordFingerprint(s2, "hunter2"));
        // HMAC-SHA256 (RFC 4231 test case 2: key "Jefe").
        assert.equal(passwordFingerprint(Buffer.from("Jefe").toString("hex"), "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert.doesNotThrow(() => checkRecordedPasswords(data, s1, { adminPassword: "hunter2", internalClientPassword: "s3cret" }, "druid", 0));
        assert.throws(() => checkRecordedPasswords(data, s1, { adminPassword: "hunter2", internalClientPassword: "other" }, "druid", 0),
            isChangedPassword("auth.internalClientPassword", "druid_system", 1));
        assert.throws(() => checkRecordedPasswords(data, s1, { adminPassword: "other", internalClientPassword: "s3cret" }, "druid", 0),
            isChangedPassword("auth.adminPassword", "admin", 1));
    });

    it("first deployment: the record Secret is created once (its data ignored afterwards) and the pods' Secret gets the passwords", async () => {
        const first = await run(withPasswords("first-admin", "first-internal"));
        const rec = first.plan.get("kubernetes:core/v1:Secret", "druid-auth-record-0");
        assert.deepEqual(rec.ignoreChanges, ["data"]);
        assert.equal((rec.inputs.metadata as Record<string, unknown>).name, "druid-auth-record-0");
        const saltHex = String(first.outputs[salt].hex);
        assert.deepEqual(unsecret(first.outputs[record(0)].data), passwordRecordData(saltHex, { adminPassword: "first-admin", internalClientPassword: "first-internal" }));
        assert.equal(await valueOf(first.cluster.adminPassword), "first-admin");
        const auth = first.plan.get("kubernetes:core/v1:Secret", "druid-auth");
        assert.ok(first.plan.dependsOn(auth, rec), "the pods' Secret waits for the check against the record");
        // Generation 0 adds nothing to the pod template (clusters from before the record do not roll).
        const coordinator = first.plan.get("kubernetes:apps/v1:Deployment", "druid-coordinator");
        const annotations = (((coordinator.inputs.spec as Record<string, unknown>).template as Record<string, unknown>).metadata as Record<string, Record<string, string>>).annotations;
        assert.equal(annotations["druid.apache.org/password-generation"], undefined);
    });

    it("the same passwords again: accepted (generated passwords, the default, never change)", async () => {
        const first = await run(withPasswords("first-admin", "first-internal"));
        const again = await run(withPasswords("first-admin", "first-internal"), { previous: kept(first) });
        assert.equal(await valueOf(again.cluster.adminPassword), "first-admin");
        const generated = await run(defaultArgs());
        const generatedAgain = await run(defaultArgs(), { previous: kept(generated) });
        assert.equal(await valueOf(generatedAgain.cluster.adminPassword), "mock-password-druid-admin-password");
    });

    it("a changed internalClientPassword fails with the argument path and how to rotate; the pods' Secret is never given it", async () => {
        const first = await run(withPasswords("first-admin", "first-internal"));
        const changed = await run(withPasswords("first-admin", "second-internal"), { previous: kept(first) });
        await assert.rejects(valueOf(changed.cluster.adminPassword), isChangedPassword("auth.internalClientPassword", "druid_system", 1));
        // Everything that carries the passwords waits for the check, so no Secret with the new password is registered.
        assert.equal(changed.plan.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "druid-auth"), undefined);
    });

    it("a changed adminPassword fails too, and a preview of the change already fails", async () => {
        const first = await run(withPasswords("first-admin", "first-internal"));
        const changed = await run(withPasswords("second-admin", "first-internal"), { previous: kept(first) });
        await assert.rejects(valueOf(changed.cluster.adminPassword), isChangedPassword("auth.adminPassword", "admin", 1));
        const preview = await run(withPasswords("first-admin", "second-internal"), { preview: true, previous: kept(first) });
        await assert.rejects(valueOf(preview.cluster.adminPassword), isChangedPassword("auth.internalClientPassword", "druid_system", 1));
    });

    it("a generation bump records the new passwords, accepts them and rolls every Druid pod", async () => {
        const first = await run(withPasswords("first-admin", "first-internal"));
        // The old record (generation 0) is no longer in the program: the engine deletes it, and
        // creates generation 1 from the new passwords; the salt is unchanged.
        const bumped = await run(withPasswords("first-admin", "second-internal", 1), { previous: { [salt]: first.outputs[salt] } });
        assert.equal(await valueOf(bumped.cluster.adminPassword), "first-admin");
        assert.equal(bumped.plan.resources.some((r) => r.name === "druid-auth-record-0"), false);
        const saltHex = String(first.outputs[salt].hex);
        assert.deepEqual(unsecret(bumped.outputs[record(1)].data), passwordRecordData(saltHex, { adminPassword: "first-admin", internalClientPassword: "second-internal" }));
        for (const w of bumped.plan.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" || r.type === "kubernetes:apps/v1:StatefulSet")) {
            if (w.name.startsWith("druid-zookeeper")) continue;
            const annotations = at(w.inputs, "spec", "template", "metadata", "annotations") as Record<string, string>;
            assert.equal(annotations["druid.apache.org/password-generation"], "1", w.name);
        }
        // And the next change after that is measured against generation 1.
        const later = await run(withPasswords("first-admin", "third-internal", 1), { previous: kept(bumped, 1) });
        await assert.rejects(valueOf(later.cluster.adminPassword), isChangedPassword("auth.internalClientPassword", "druid_system", 2));
    });

    it("the error names the next generation from the current one", () => {
        const err = changedPasswordError("internalClientPassword", "prod", 4);
        assert.match(err.message, /Secret prod-auth-record-4/);
        assert.match(err.message, /auth\.passwordGeneration to 5/);
        assert.match(err.message, /internal requests fail from step 1 until each pod has restarted/);
    });

    it("no record without auth", async () => {
        const off = await run({ ...defaultArgs(), auth: { enabled: false } });
        assert.equal(off.plan.resources.some((r) => r.name.startsWith("druid-auth-record")), false);
    });
});

/** A value from the mocks' raw state, without the SDK's secret wrapper (`{ <sig>: <secret sig>, value }`). */
function unsecret(v: unknown): unknown {
    const o = v as Record<string, unknown>;
    return o !== null && typeof o === "object" && o["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270" ? o.value : v;
}

function at(o: unknown, ...keys: string[]): unknown {
    return keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
}
