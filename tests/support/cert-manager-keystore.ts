/*
 * The Secret cert-manager writes for a Certificate with `keystores.pkcs12.create: true`, made here
 * with openssl and keytool so a real JDK can read it: a CA, a server certificate it signed, and
 * keystore.p12 / truststore.p12 laid out the way cert-manager lays them out.
 *
 * How cert-manager builds them (cert-manager/cert-manager at 2d0d7f7f74241a9cbf79f0e2a7bb247238ee09fd,
 * which pins software.sslmate.com/src/go-pkcs12 v0.7.3 in go.mod):
 *   - pkg/controller/certificates/issuing/internal/secret.go lines 252-305: keystore.p12 from the
 *     private key, tls.crt and ca.crt with the password of passwordSecretRef (or `password`);
 *     truststore.p12 only `if len(data.CA) > 0`, i.e. only when the issuer returned a CA (ca.crt).
 *   - pkg/controller/certificates/issuing/internal/keystore.go lines 43-77 encodePKCS12Keystore:
 *     the first certificate of tls.crt is the keystore's certificate, the rest of tls.crt and then
 *     ca.crt are its CA certificates; `profile` picks the encoder, and the default (no profile) is
 *     `pkcs12.LegacyRC2.Encode(key, certs[0], cas, password)` (lines 72-75). No alias argument exists.
 *     Lines 79-97 encodePKCS12Truststore: `LegacyRC2.EncodeTrustStore(cas, password)` by default.
 *     Lines 99-144 encodeJKSKeystore: the key entry under `keyAlias`, which secret.go lines 342-345
 *     default to "certificate" (keystores.jks.alias, cert-manager 1.15+); lines 158-181 add ca.crt as
 *     trusted entries "ca", "ca-1", ...
 *   - pkg/apis/certmanager/v1/types_certificate.go lines 552-567: "Default value is `LegacyRC2` for
 *     backward compatibility"; LegacyDES, Modern2023 and Modern2026 must be asked for.
 * go-pkcs12 v0.7.3 (SSLMate/go-pkcs12, pkcs12.go):
 *   - lines 96-104 LegacyRC2: MAC HMAC-SHA1 with 1 iteration, certificates encrypted with
 *     pbeWithSHAAnd40BitRC2-CBC, the key with pbeWithSHAAnd3-KeyTripleDES-CBC, 2048 iterations,
 *     8-byte salts. Lines 117-125 LegacyDES: the same with 3DES for the certificates too.
 *   - lines 641-761 Encode ("emulates the behavior of OpenSSL's PKCS12_create"): an encrypted
 *     SafeContents with the certificate bags, then a plain one with the shrouded key bag; the key bag
 *     and the end-entity certificate bag carry ONLY localKeyId (SHA-1 of the certificate), the CA
 *     bags no attribute at all. No friendlyName anywhere, so Java has no alias to read.
 *   - lines 784-793 and 824-889 EncodeTrustStore: one encrypted SafeContents of certificate bags,
 *     each with friendlyName = the certificate's Subject (Go's pkix.Name.String(), e.g.
 *     "CN=druid-ca") and the Oracle trustedKeyUsage attribute 2.16.840.1.113894.746875.1.1 =
 *     anyExtendedKeyUsage (oid at line 221), which is what makes Java see a trusted certificate entry.
 *
 * Here:
 *   - keystore.p12: `openssl pkcs12 -export` WITHOUT -name/-caname (so no friendlyName) with
 *     `-legacy -certpbe PBE-SHA1-RC2-40 -keypbe PBE-SHA1-3DES -macalg sha1 -iter 2048 -nomaciter`,
 *     which is LegacyRC2 bag for bag (OpenSSL's PKCS12_create is what go-pkcs12 emulates). RC2 lives
 *     in OpenSSL 3's legacy provider (Debian's libssl3 ships ossl-modules/legacy.so); if it cannot be
 *     loaded, the keystore is made with go-pkcs12's LegacyDES parameters instead (3DES for the
 *     certificates too, cert-manager's `profile: LegacyDES`) and `profile` says so. The JDK reads
 *     both; the alias question does not depend on the cipher.
 *   - truststore.p12: OpenSSL 3.0 cannot write the Java trust attribute (its -jdktrust option came
 *     in 3.2), so keytool writes it: `keytool -importcert -storetype PKCS12` stores a certificate
 *     bag with friendlyName = the alias given (the CA's subject, as go-pkcs12 does) and the same
 *     trustedKeyUsage = anyExtendedKeyUsage attribute, with the certificate encryption and MAC set
 *     through keystore.pkcs12.* system properties to the profile's (RC2-40 or 3DES, HMAC-SHA1, 1 MAC
 *     iteration). Only the salt length differs (keytool: 20 bytes).
 *   - keystore.jks: keytool copies the key entry of keystore.p12 into a JKS keystore under the alias
 *     "certificate" and adds ca.crt as the trusted entry "ca", like encodeJKSKeystore.
 *   - namedKeystore(alias): a brought-your-own keystore WITH a friendlyName (`-name`).
 *
 * Everything lives in one mkdtemp folder, removed by dispose(). Every command has a timeout.
 * Passwords reach openssl and keytool through environment variables, never argv.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Debian packages that provide what this helper and tests/java/TlsAlias.java run (what `.ci/run` must install). */
export const requiredDebianPackages = {
    openssl: "openssl",
    /** java and keytool (Debian's default-jdk-headless pulls in openjdk-17-jre-headless, which has keytool). */
    jdk: "default-jdk-headless",
};

function onPath(command: string): boolean {
    return (process.env.PATH ?? "/usr/bin:/bin").split(path.delimiter).some((dir) => {
        try {
            fs.accessSync(path.join(dir, command), fs.constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });
}

/** What is missing to run the keystore tests, each with the Debian package that brings it. */
export function missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (!onPath("openssl")) missing.push(`openssl (CA, certificates, PKCS12 keystores): apt-get install ${requiredDebianPackages.openssl}`);
    if (!onPath("java")) missing.push(`java (runs tests/java/TlsAlias.java as a single source file): apt-get install ${requiredDebianPackages.jdk}`);
    if (!onPath("keytool")) missing.push(`keytool (Java truststore and JKS keystore): apt-get install ${requiredDebianPackages.jdk}`);
    return missing;
}

export interface RunResult { code: number; stdout: string; stderr: string }

/** Runs a command with a bounded time and only PATH, LANG and `env` in its environment. */
export function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<RunResult> {
    return new Promise((resolve) => {
        execFile(command, args, {
            env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", ...env },
            timeout: timeoutMs, killSignal: "SIGKILL", encoding: "utf8", maxBuffer: 16 * 1024 * 1024,
        }, (error, stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
            resolve({ code, stdout, stderr: error?.killed ? `${stderr}\n(killed: timeout after ${timeoutMs} ms)` : stderr });
        });
    });
}

async function must(command: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    const r = await run(command, args, env);
    if (r.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r;
}

/** go-pkcs12 encoder whose parameters the PKCS12 files were made with. */
export type Pkcs12Profile = "LegacyRC2" | "LegacyDES";

const opensslPbe: Record<Pkcs12Profile, string[]> = {
    LegacyRC2: ["-legacy", "-certpbe", "PBE-SHA1-RC2-40", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1", "-iter", "2048", "-nomaciter"],
    LegacyDES: ["-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1", "-iter", "2048", "-nomaciter"],
};
// JDK names for the same algorithms (PKCS12KeyStore reads keystore.pkcs12.* system properties when writing).
const keytoolPbe: Record<Pkcs12Profile, string[]> = {
    LegacyRC2: ["-J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithSHA1AndRC2_40"],
    LegacyDES: ["-J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithSHA1AndDESede"],
};
const keytoolCommon = ["-J-Dkeystore.pkcs12.certPbeIterationCount=2048", "-J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA1",
    "-J-Dkeystore.pkcs12.macIterationCount=1"];

/** cert-manager's `usages` as OpenSSL extension values. */
const keyUsageOf: Record<string, string> = { "digital signature": "digitalSignature", "key encipherment": "keyEncipherment" };
const extendedKeyUsageOf: Record<string, string> = { "server auth": "serverAuth", "client auth": "clientAuth" };

export interface CertManagerKeystoreOptions {
    /** The Certificate's spec.dnsNames. */
    dnsNames: string[];
    /** The Certificate's spec.usages (cert-manager's names). Default: digital signature, key encipherment, server auth. */
    usages?: string[];
    /** The Certificate's spec.commonName; cert-manager leaves the subject empty without it. */
    commonName?: string;
    /** The keystore password (what the Secret of passwordSecretRef holds). At least 6 characters (keytool's minimum). */
    password: string;
    /** Subject of the CA, e.g. "/CN=druid-ca". */
    caSubject?: string;
}

export interface CertManagerKeystores {
    dir: string;
    password: string;
    /** The encoder whose parameters keystore.p12 and truststore.p12 were made with. */
    profile: Pkcs12Profile;
    /** Why the profile is not cert-manager's default, when it is not. */
    profileNote?: string;
    /** Data of the Secret cert-manager writes (key -> file): tls.crt, tls.key, ca.crt, keystore.p12, truststore.p12. */
    secret: Record<"tls.crt" | "tls.key" | "ca.crt" | "keystore.p12" | "truststore.p12", string>;
    /** A JKS keystore as cert-manager's keystores.jks makes it: key entry "certificate", trusted entry "ca". */
    keystoreJks: string;
    /** A PKCS12 keystore with the same key and chain whose key bag has friendlyName `alias` (a brought-your-own keystore). */
    namedKeystore(alias: string): Promise<string>;
    /** `openssl pkcs12 -info` of a PKCS12 file made here: MAC, encryption and bag attributes. */
    pkcs12Info(file: string): Promise<string>;
    /** Removes the folder. */
    dispose(): void;
}

/** Makes a CA, a server certificate for `dnsNames` and cert-manager's keystore.p12 / truststore.p12 (and keystore.jks). */
export async function makeCertManagerKeystores(options: CertManagerKeystoreOptions): Promise<CertManagerKeystores> {
    if (options.password.length < 6) throw new Error("keytool needs a keystore password of at least 6 characters");
    const missing = missingPrerequisites();
    if (missing.length > 0) throw new Error(`cannot make keystores, missing:\n  - ${missing.join("\n  - ")}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "druid-tls-"));
    const f = (name: string) => path.join(dir, name);
    const pw = { KEYSTORE_PASSWORD: options.password };
    try {
        // CA and server keys (RSA 2048, cert-manager's default private key) in parallel.
        await Promise.all([
            must("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca.key"), "-out", f("ca.crt"), "-days", "2",
                "-subj", options.caSubject ?? "/CN=druid-ca", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"]),
            must("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", f("tls.key")]),
        ]);
        const usages = options.usages ?? ["digital signature", "key encipherment", "server auth"];
        const ku = usages.map((u) => keyUsageOf[u]).filter((u) => u !== undefined);
        const eku = usages.map((u) => extendedKeyUsageOf[u]).filter((u) => u !== undefined);
        const subject = options.commonName === undefined ? "/" : `/CN=${options.commonName}`;
        // As Go's x509 (and so cert-manager's CA issuer) writes them: SAN critical when the subject is empty.
        fs.writeFileSync(f("server.ext"), [
            "basicConstraints=critical,CA:FALSE",
            ...(ku.length > 0 ? [`keyUsage=critical,${ku.join(",")}`] : []),
            ...(eku.length > 0 ? [`extendedKeyUsage=${eku.join(",")}`] : []),
            `subjectAltName=${options.commonName === undefined ? "critical," : ""}${options.dnsNames.map((n) => `DNS:${n}`).join(",")}`,
        ].join("\n") + "\n");
        await must("openssl", ["req", "-new", "-key", f("tls.key"), "-subj", subject, "-out", f("tls.csr")]);
        await must("openssl", ["x509", "-req", "-in", f("tls.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-set_serial", "0x" + Date.now().toString(16),
            "-days", "2", "-sha256", "-extfile", f("server.ext"), "-out", f("tls.crt")]);

        // keystore.p12: key + tls.crt + ca.crt, no friendlyName, LegacyRC2 (or LegacyDES without the legacy provider).
        const exportKeystore = (profile: Pkcs12Profile, out: string, name?: string) => run("openssl", ["pkcs12", "-export",
            "-in", f("tls.crt"), "-inkey", f("tls.key"), "-certfile", f("ca.crt"), ...(name !== undefined ? ["-name", name] : []),
            ...opensslPbe[profile], "-passout", "env:KEYSTORE_PASSWORD", "-out", out], pw);
        let profile: Pkcs12Profile = "LegacyRC2";
        let profileNote: string | undefined;
        const rc2 = await exportKeystore("LegacyRC2", f("keystore.p12"));
        if (rc2.code !== 0) {
            profile = "LegacyDES";
            profileNote = `OpenSSL could not write RC2-40 (legacy provider unavailable: ${rc2.stderr.trim().split("\n")[0]}); ` +
                "made go-pkcs12's LegacyDES instead (cert-manager's keystores.pkcs12.profile: LegacyDES)";
            await must("openssl", ["pkcs12", "-export", "-in", f("tls.crt"), "-inkey", f("tls.key"), "-certfile", f("ca.crt"),
                ...opensslPbe.LegacyDES, "-passout", "env:KEYSTORE_PASSWORD", "-out", f("keystore.p12")], pw);
        }

        const caSubject = (await must("openssl", ["x509", "-in", f("ca.crt"), "-noout", "-subject", "-nameopt", "RFC2253"])).stdout
            .trim().replace(/^subject=\s*/, "");
        await Promise.all([
            // truststore.p12: the CA as a trusted certificate entry named after its subject.
            must("keytool", [...keytoolPbe[profile], ...keytoolCommon, "-importcert", "-noprompt", "-storetype", "PKCS12",
                "-keystore", f("truststore.p12"), "-storepass:env", "KEYSTORE_PASSWORD", "-alias", caSubject, "-file", f("ca.crt")], pw),
            // keystore.jks: key entry "certificate" (copied from the PKCS12 keystore's only key, alias "1"), then "ca".
            (async () => {
                await must("keytool", ["-importkeystore", "-noprompt", "-srckeystore", f("keystore.p12"), "-srcstoretype", "PKCS12",
                    "-srcstorepass:env", "KEYSTORE_PASSWORD", "-srcalias", "1", "-destkeystore", f("keystore.jks"), "-deststoretype", "JKS",
                    "-deststorepass:env", "KEYSTORE_PASSWORD", "-destkeypass:env", "KEYSTORE_PASSWORD", "-destalias", "certificate"], pw);
                await must("keytool", ["-importcert", "-noprompt", "-storetype", "JKS", "-keystore", f("keystore.jks"),
                    "-storepass:env", "KEYSTORE_PASSWORD", "-alias", "ca", "-file", f("ca.crt")], pw);
            })(),
        ]);

        let named = 0;
        return {
            dir,
            password: options.password,
            profile,
            profileNote,
            secret: { "tls.crt": f("tls.crt"), "tls.key": f("tls.key"), "ca.crt": f("ca.crt"), "keystore.p12": f("keystore.p12"), "truststore.p12": f("truststore.p12") },
            keystoreJks: f("keystore.jks"),
            async namedKeystore(alias: string): Promise<string> {
                const out = f(`named-${named++}.p12`);
                const r = await exportKeystore(profile, out, alias);
                if (r.code !== 0) throw new Error(`openssl pkcs12 -export -name ${alias} exited ${r.code}:\n${r.stderr}`);
                return out;
            },
            async pkcs12Info(file: string): Promise<string> {
                const r = await must("openssl", ["pkcs12", "-info", ...(profile === "LegacyRC2" ? ["-legacy"] : []), "-in", file,
                    "-passin", "env:KEYSTORE_PASSWORD", "-nokeys"], pw);
                return `${r.stderr}${r.stdout}`;
            },
            dispose(): void {
                fs.rmSync(dir, { recursive: true, force: true });
            },
        };
    } catch (e) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw e;
    }
}
