import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The shell and tools of the Druid image for the applier Jobs' scripts: busybox (apache/druid
// distribution/docker/Dockerfile installs busybox 1.34's applets into /bin of its distroless base),
// here Debian's busybox-static, with a PATH holding only the applets a script may use.

export const busybox = "/bin/busybox";

/** A directory of busybox applet links and a scratch directory; `remove` deletes both. */
export function busyboxBin(applets: string[]): { bin: string; dir: string; remove: () => void } {
    assert.ok(fs.existsSync(busybox), "Debian's busybox-static is needed (.ci/run installs it): apt-get install busybox-static");
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "busybox-bin-"));
    for (const a of applets) fs.symlinkSync(busybox, path.join(bin, a));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "applier-"));
    return { bin, dir, remove: () => { fs.rmSync(bin, { recursive: true, force: true }); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * In a mocha `describe`: the applet directory (made before its tests, removed after them) and a
 * fresh termination-file path per run.
 */
export function useBusybox(applets: string[]): { bin: () => string; nextLog: () => string } {
    let made: ReturnType<typeof busyboxBin> | undefined;
    let runs = 0;
    before(() => { made = busyboxBin(applets); });
    after(() => made?.remove());
    return { bin: () => made!.bin, nextLog: () => path.join(made!.dir, `termination-${++runs}`) };
}

/** What a script run gave: its exit code, outputs and the termination file's text ("" when none). */
export interface ScriptRun { code: number; stdout: string; stderr: string; message: string }

/** Runs `script` with busybox `sh -c`, PATH = `bin` and `env` only; `log` is its termination file. */
export function runScript(bin: string, script: string, env: Record<string, string>, log: string, timeoutMs: number): Promise<ScriptRun> {
    return new Promise((resolve) => {
        execFile(path.join(bin, "sh"), ["-c", script], { env: { PATH: bin, ...env }, timeout: timeoutMs }, (err, stdout, stderr) => {
            const code = err === null ? 0 : typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1;
            resolve({ code, stdout, stderr, message: fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "" });
        });
    });
}
