import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// What the Druid image's entrypoint does to a jvm.config: apache/druid distribution/docker/druid.sh
// (@ 71802abfc6510b9183960592c2835503500fd1dc, line 173) builds
//   JAVA_OPTS="$(cat $SERVICE_CONF_DIR/jvm.config | xargs) $JAVA_OPTS"
// and starts `exec bin/run-java ${JAVA_OPTS} ...` (line 203), unquoted: the JVM gets the words of
// xargs' output. The image's shell and tools are busybox applets (its Dockerfile copies busybox into
// the distroless base); here Debian's busybox-static, run with a PATH of busybox applets only, so
// `xargs` and the `echo` it runs are busybox's.

export const busyboxPath = "/bin/busybox";

export function busyboxAvailable(): boolean {
    return fs.existsSync(busyboxPath);
}

const marker = "@@jvm-config-end@@";

/**
 * The JVM arguments druid.sh makes of each text (a jvm.config), in one busybox call for all of
 * them: `cat FILE | xargs`, then split into words as the unquoted `${JAVA_OPTS}` is. A text whose
 * xargs fails (an unmatched quote) gives the words xargs printed, usually none.
 */
export function druidShJvmArguments(texts: string[]): string[][] {
    if (texts.length === 0) return [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jvm-config-"));
    try {
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        for (const applet of ["sh", "cat", "xargs", "echo"]) fs.symlinkSync(busyboxPath, path.join(bin, applet));
        const files = texts.map((t, i) => {
            const f = path.join(dir, `jvm-${i}.config`);
            fs.writeFileSync(f, t);
            return f;
        });
        const script = `for f in "$@"; do cat "$f" | xargs; echo ${marker}; done`;
        const r = spawnSync(path.join(bin, "sh"), ["-c", script, "sh", ...files], { encoding: "utf8", env: { PATH: bin }, timeout: 60_000 });
        if (r.error !== undefined) throw r.error;
        const blocks = r.stdout.split(`${marker}\n`);
        return texts.map((_, i) => (blocks[i] ?? "").split(/[ \t\n]+/).filter((w) => w !== ""));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The flags of a jvm.config as the component means them: one per non-empty line. */
export function jvmConfigFlags(text: string): string[] {
    return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}
