import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { recordSecretKeys } from "./preview";
import * as random from "@pulumi/random";
import { authName } from "../config/druid-config";
import { DruidArgumentError } from "../core/errors";
import { passwordRecordName } from "../plan/names";
export { passwordRecordName } from "../plan/names";

// Druid's basic-security extension sets the `admin` and `druid_system` passwords only when it
// creates those users: CoordinatorBasicAuthenticatorMetadataStorageUpdater.start() calls
// createUserInternal/setUserCredentialsInternal only `if (dbConfig.getInitialAdminPassword() != null
// && !userMap.containsKey(BasicAuthUtils.ADMIN_NAME))`, and likewise for INTERNAL_USER_NAME
// (extensions-core/druid-basic-security, .../authentication/db/updater/). A password changed in the
// stack afterwards would be sent by every pod while Druid still has the old one. So the component
// records the passwords it created the users with and refuses a change: the record is a Secret
// created once, whose data Pulumi never updates (`ignoreChanges`), so its *outputs* keep the
// creation-time values for as long as the Secret exists.

/** The two passwords the component gives Druid, by argument name. */
export type RecordedPassword = "adminPassword" | "internalClientPassword";

/** Druid user of each password. */
export const druidUserOf: Record<RecordedPassword, string> = { adminPassword: "admin", internalClientPassword: authName.internalUser };

/** Key of each password's fingerprint in the record Secret. */
const recordKey: Record<RecordedPassword, string> = { adminPassword: "admin-password.hmac-sha256", internalClientPassword: "internal-client-password.hmac-sha256" };

/**
 * A password's fingerprint: HMAC-SHA256 keyed with the cluster's random salt (32 bytes, a secret
 * in the stack's state), so a weak password's fingerprint cannot be looked up or brute-forced
 * without the stack's secrets. Never the password itself.
 */
export function passwordFingerprint(saltHex: string, password: string): string {
    return crypto.createHmac("sha256", Buffer.from(saltHex, "hex")).update(password, "utf8").digest("hex");
}

/** The record Secret's `data` for these passwords (base64 values, as Kubernetes stores them). */
export function passwordRecordData(saltHex: string, passwords: Record<RecordedPassword, string>): Record<string, string> {
    const data: Record<string, string> = {};
    for (const which of Object.keys(recordKey) as RecordedPassword[]) {
        data[recordKey[which]] = Buffer.from(passwordFingerprint(saltHex, passwords[which]), "utf8").toString("base64");
    }
    return data;
}

/** The error for a password that differs from the recorded one: what happened and how to rotate. */
export function changedPasswordError(which: RecordedPassword, cluster: string, generation: number): DruidArgumentError {
    const user = druidUserOf[which];
    return new DruidArgumentError(`auth.${which}`, `a password other than the one recorded in Secret ${passwordRecordName(cluster, generation)}`,
        `Druid sets the password of its "${user}" user only when it creates the user (basic-security initial${which === "adminPassword" ? "Admin" : "InternalClient"}Password), ` +
        "so changing it here would make the cluster use a password Druid does not have. " +
        "To keep the current password, give back the previous value. " +
        `To rotate it: 1) change it in Druid first, as admin through the Router: POST /druid-ext/basic-security/authentication/db/${authName.authenticator}/users/${user}/credentials ` +
        "with the body {\"password\": \"<new password>\"}; " +
        `2) then set auth.${which} to the new password and auth.passwordGeneration to ${generation + 1}: the new generation records the new password and rolls every Druid pod` +
        (which === "internalClientPassword" ? " (internal requests fail from step 1 until each pod has restarted with the new password)" : "") + ".");
}

/**
 * Compares the passwords' fingerprints with the recorded ones and throws `changedPasswordError`
 * for the first that differs. `recorded` is the record Secret's `data` output.
 */
export function checkRecordedPasswords(recorded: Record<string, string> | undefined, saltHex: string, passwords: Record<RecordedPassword, string>,
    cluster: string, generation: number): void {
    for (const which of ["internalClientPassword", "adminPassword"] as const) {
        const stored = recorded?.[recordKey[which]];
        if (stored === undefined) continue; // nothing recorded for it (cannot happen with a record made by this code)
        const expected = Buffer.from(stored, "base64").toString("utf8");
        const actual = passwordFingerprint(saltHex, passwords[which]);
        if (expected.length !== actual.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(actual))) {
            throw changedPasswordError(which, cluster, generation);
        }
    }
}

/**
 * Records the passwords Druid's users are created with and returns them again, each available
 * only once the check passed: whatever consumes them (the auth Secret the pods read) is not
 * updated with a changed password. The check runs in `pulumi preview` too for a cluster that
 * exists (the record's outputs are known there), so a changed password fails the preview.
 */
export function recordedPasswords(cluster: string, namespace: pulumi.Input<string>, generation: number,
    passwords: Record<RecordedPassword, pulumi.Input<string>>, parent: pulumi.CustomResourceOptions): Record<RecordedPassword, pulumi.Output<string>> {
    // One salt per cluster, kept across generations; RandomBytes makes its outputs secret.
    const salt = new random.RandomBytes(`${cluster}-auth-record-salt`, { length: 32 }, parent).hex;
    const current = pulumi.all([salt, passwords.adminPassword, passwords.internalClientPassword])
        .apply(([s, adminPassword, internalClientPassword]) => ({ salt: s, passwords: { adminPassword, internalClientPassword } }));
    const name = passwordRecordName(cluster, generation);
    const record = new k8s.core.v1.Secret(name, {
        metadata: {
            name,
            namespace,
            labels: { "app.kubernetes.io/instance": cluster, "app.kubernetes.io/managed-by": "pulumi-druid" },
            annotations: {
                "druid.apache.org/purpose": "HMAC-SHA256 of the admin and druid_system passwords Druid's users were created with " +
                    "(auth.passwordGeneration " + String(generation) + "); do not edit or delete",
            },
        },
        type: "Opaque",
        data: pulumi.secret(current.apply((c) => passwordRecordData(c.salt, c.passwords))),
    }, { ...parent, ignoreChanges: ["data"] });
    recordSecretKeys(name, "data", Object.values(recordKey));
    const checked = pulumi.all([record.data, current]).apply(([recorded, c]) => {
        checkRecordedPasswords(recorded, c.salt, c.passwords, cluster, generation);
        return c.passwords;
    });
    return {
        adminPassword: pulumi.secret(checked.apply((p) => p.adminPassword)),
        internalClientPassword: pulumi.secret(checked.apply((p) => p.internalClientPassword)),
    };
}
