/*
 * A real-filesystem check of one rendered pod: lay out its root filesystem as the image, the kubelet
 * and the container runtime do, then perform every write of the entrypoint and the process as the
 * container's user, and report each path that fails with the real error.
 *
 * How each piece is laid out, and why:
 *   - The image's directories, owned as its Dockerfile says (image-entrypoints.ts).
 *   - emptyDir: a directory created 0777 (kubernetes pkg/volume/emptydir/empty_dir.go, `defaultPerm
 *     os.FileMode = 0777`, setupDir), then given to fsGroup: group fsGroup, mode |= 0660|0110|setgid
 *     (SetUpAt → NewVolumeOwnership(…, nil policy).ChangePermissions(); pkg/volume/volume_linux.go
 *     changeFilePermission with rwMask 0660, execMask 0110, os.ModeSetgid).
 *   - persistentVolumeClaim (and claim templates, generic ephemeral volumes): a fresh filesystem,
 *     root:root 0755 with lost+found, then the same fsGroup change (the OnRootMismatch policy does it
 *     because the root's group is not fsGroup: volume_linux.go requiresPermissionChange).
 *   - configMap / secret / projected / downwardAPI: files of mode defaultMode (0644 by default),
 *     fsGroup with the read-only mask 0440, mounted read-only: the kubelet mounts every volume whose
 *     plugin says ReadOnly so (pkg/kubelet/kubelet_pods.go makeMounts, `mustMountRO :=
 *     vol.Mounter.GetAttributes().ReadOnly`). The atomic writer's ..data symlinks are left out: a
 *     subPath mount resolves them to the file.
 *   - Mounts in containerd's order, fewest path components first (containerd
 *     internal/cri/opts/spec_linux_opts.go:69 `sort.Stable(orderedMounts(mounts))`, spec_opts.go:87-110).
 *   - A mountpoint missing from its parent is created by runc as root: directories with
 *     MkdirAll(…, 0o755) (opencontainers/runc libcontainer/rootfs_linux.go: v1.1.12 createIfNotExists
 *     lines 995-999; v1.3.6 createOpenMountpoint lines 570-572, which uses 0o644 for a file mountpoint).
 *     The umask is 022 as in runc's init, so they are 0755 (setgid and group inherited inside a
 *     setgid volume, as the kernel does for any mkdir).
 *   - readOnlyRootFilesystem: runc remounts the root read-only after the mounts are in place
 *     (rootfs_linux.go v1.3.6 finalizeRootfs lines 268-287, setReadonly line 1119). Done here for
 *     real: a bind mount of the root remounted `ro`, in a private mount namespace (`unshare -m`). A
 *     chmod-based imitation would be wrong, because druid.sh copies directories out of the image and
 *     `cp -r` copies their modes.
 *   - The user: runAsUser/runAsGroup, supplementary groups fsGroup and supplementalGroups, umask 022
 *     (runc finalizeRootfs line 292), no capabilities (`chroot --userspec` to a non-zero uid drops them,
 *     as the restricted profile's `drop: [ALL]` does).
 * The writes run in `chroot` with Debian's static busybox, the same tool set the Druid image has
 * (its /bin is busybox: apache/druid distribution/docker/Dockerfile:74-75).
 *
 * Needs root and: util-linux (unshare), mount (mount), coreutils (chroot), busybox-static.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { absolutePath, cite, ImageFacts, Write } from "./image-entrypoints";

// --------------------------------------------------------------------------------- pod spec shape

export interface EnvVarLike { name: string; value?: string; valueFrom?: unknown }
export interface VolumeMountLike { name: string; mountPath: string; subPath?: string; readOnly?: boolean }
export interface KeyToPathLike { key?: string; path: string; mode?: number }
export interface VolumeLike {
    name: string;
    emptyDir?: unknown;
    persistentVolumeClaim?: unknown;
    ephemeral?: unknown;
    configMap?: { name?: string; items?: KeyToPathLike[]; defaultMode?: number };
    secret?: { secretName?: string; items?: KeyToPathLike[]; defaultMode?: number };
    projected?: { sources?: unknown[]; defaultMode?: number };
    downwardAPI?: { items?: KeyToPathLike[]; defaultMode?: number };
    [other: string]: unknown;
}
export interface SecurityContextLike { runAsUser?: number; runAsGroup?: number; readOnlyRootFilesystem?: boolean }
export interface PodSecurityContextLike extends SecurityContextLike { fsGroup?: number; supplementalGroups?: number[] }
export interface ContainerLike {
    name?: string;
    image?: string;
    command?: string[];
    args?: string[];
    workingDir?: string;
    env?: EnvVarLike[];
    envFrom?: unknown[];
    volumeMounts?: VolumeMountLike[];
    securityContext?: SecurityContextLike;
}
export interface PodSpecLike {
    securityContext?: PodSecurityContextLike;
    containers: ContainerLike[];
    volumes?: VolumeLike[];
    automountServiceAccountToken?: boolean;
}

/** One pod to check: its spec, its StatefulSet's claim templates, and the ConfigMaps it can mount. */
export interface PodUnderTest {
    name: string;
    spec: PodSpecLike;
    claimTemplates: string[];
    /** ConfigMap name → data (the rendered files). */
    configMaps: Record<string, Record<string, string>>;
}

// --------------------------------------------------------------------------------- results

export interface WriteResult {
    write: Write;
    status: "ok" | "failed" | "skipped";
    /** The tool's own message, e.g. "mkdir: can't create directory 'var/druid/segments': Permission denied". */
    error?: string;
}

export interface PodCheck {
    pod: string;
    user: { uid: number; gid: number; groups: number[] };
    /** Mountpoints the runtime had to create, with owner and mode ("uid:gid mode path"). */
    runtimeCreated: string[];
    results: WriteResult[];
    /** Fatal writes that failed: the pod does not start (or cannot work). */
    failures: WriteResult[];
    /** Non-fatal writes that failed. */
    warnings: WriteResult[];
}

// --------------------------------------------------------------------------------- prerequisites

const BUSYBOX_CANDIDATES = ["/bin/busybox", "/usr/bin/busybox"];

function commandExists(cmd: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/**
 * What this machine lacks to run the check, each with the Debian package that brings it; empty
 * when everything is there. Runs a static busybox in an empty chroot to prove it is static.
 */
export function missingPrerequisites(): string[] {
    const problems: string[] = [];
    if (process.getuid?.() !== 0) problems.push("must run as root (mount namespaces, bind mounts, chown): CI runs as root");
    if (!commandExists("unshare")) problems.push("unshare: Debian package util-linux");
    if (!commandExists("mount")) problems.push("mount: Debian package mount");
    if (!commandExists("chroot")) problems.push("chroot: Debian package coreutils");
    const busybox = BUSYBOX_CANDIDATES.find((p) => fs.existsSync(p));
    if (busybox === undefined) {
        problems.push("busybox: Debian package busybox-static");
    } else if (problems.length === 0) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "podfs-pre-"));
        try {
            fs.copyFileSync(busybox, path.join(dir, "busybox"));
            fs.chmodSync(path.join(dir, "busybox"), 0o755);
            const r = spawnSync("chroot", [dir, "/busybox", "true"], { encoding: "utf8" });
            if (r.status !== 0) problems.push(`${busybox} does not run in an empty chroot (not static?): Debian package busybox-static (${(r.stderr || "").trim()})`);
            const u = spawnSync("unshare", ["-m", "--propagation", "private", "true"], { encoding: "utf8" });
            if (u.status !== 0) problems.push(`unshare -m fails here: ${(u.stderr || "").trim()}`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    return problems;
}

// --------------------------------------------------------------------------------- the check

const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
const SAFE_PATH = /^\/[A-Za-z0-9._/+@=-]*$/;

interface Source { hostPath: string; isDir: boolean; readOnly: boolean; describe: string }

/** Resolves the pod's main container's user: the container's context wins over the pod's, then the image's USER. */
export function containerUser(spec: PodSpecLike, image: ImageFacts): { uid: number; gid: number; groups: number[] } {
    const c = spec.containers[0];
    const uid = c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser ?? image.user.uid;
    const gid = c.securityContext?.runAsGroup ?? spec.securityContext?.runAsGroup ?? (uid === image.user.uid ? image.user.gid : 0);
    const fsGroup = spec.securityContext?.fsGroup;
    const groups = [...new Set([gid, ...(fsGroup !== undefined ? [fsGroup] : []), ...(spec.securityContext?.supplementalGroups ?? [])])];
    return { uid, gid, groups };
}

/**
 * Lays out the pod's root filesystem and performs `writes` as the container user.
 * Throws when the pod uses something the model does not cover (hostPath, envFrom, …).
 */
export function checkPodFilesystem(pod: PodUnderTest, image: ImageFacts, writes: Write[]): PodCheck {
    const spec = pod.spec;
    const container = spec.containers[0];
    if (container === undefined) throw new Error(`${pod.name}: no container`);
    const user = containerUser(spec, image);
    if (user.uid === 0) throw new Error(`${pod.name}: runs as root; the model covers non-root users only`);
    const readOnlyRoot = container.securityContext?.readOnlyRootFilesystem === true;
    const fsGroup = spec.securityContext?.fsGroup;

    const base = fs.mkdtempSync(path.join(os.tmpdir(), "podfs-"));
    try {
        const root = path.join(base, "root");
        buildImage(root, image);
        // The tool the writes run with, outside every path a program uses.
        fs.mkdirSync(path.join(root, ".podfs"), { mode: 0o755 });
        const busybox = BUSYBOX_CANDIDATES.find((p) => fs.existsSync(p));
        if (busybox === undefined) throw new Error("busybox is missing: Debian package busybox-static");
        fs.copyFileSync(busybox, path.join(root, ".podfs/busybox"));
        fs.chmodSync(path.join(root, ".podfs/busybox"), 0o755);
        fs.writeFileSync(path.join(root, ".podfs/writes.sh"), userScript(writes), { mode: 0o644 });

        const mounts = [...(container.volumeMounts ?? [])];
        const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
        if (spec.automountServiceAccountToken !== false) {
            // The kubelet adds the service account token as a projected, read-only volume.
            mounts.push({ name: "kube-api-access", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true });
            volumes.set("kube-api-access", { name: "kube-api-access", projected: { sources: [] } });
        }
        const prepared = new Map<string, string>();
        const steps: string[] = [];
        // Stable sort by the number of path components (containerd orderedMounts).
        const ordered = mounts.map((m, i) => ({ m, i })).sort((a, b) => parts(a.m.mountPath) - parts(b.m.mountPath) || a.i - b.i).map((x) => x.m);
        for (const m of ordered) {
            if (!SAFE_PATH.test(m.mountPath)) throw new Error(`${pod.name}: unsupported mountPath ${m.mountPath}`);
            let volumeDir = prepared.get(m.name);
            const volume = volumes.get(m.name) ?? (pod.claimTemplates.includes(m.name) ? { name: m.name, persistentVolumeClaim: {} } : undefined);
            if (volume === undefined) throw new Error(`${pod.name}: volumeMount ${m.name} has no volume or claim template`);
            if (volumeDir === undefined) {
                volumeDir = path.join(base, "volumes", m.name);
                prepareVolume(volumeDir, volume, fsGroup, pod);
                prepared.set(m.name, volumeDir);
            }
            const src = sourceOf(volumeDir, volume, m, pod);
            steps.push(`mountpoint ${q(path.join(root, m.mountPath))} ${src.isDir ? "dir" : "file"}`);
            steps.push(`mount --bind ${q(src.hostPath)} ${q(path.join(root, m.mountPath))}`);
            if (src.readOnly) steps.push(`mount -o remount,bind,ro ${q(path.join(root, m.mountPath))}`);
        }
        const setup = [
            "set -eu",
            "umask 022",
            `R=${q(root)}`,
            // Creates each missing component as root (runc MkdirAll 0755 / a 0644 file) and reports it.
            "mountpoint() {",
            "  t=$1; kind=$2; missing=''; p=$t",
            "  while [ ! -e \"$p\" ]; do missing=\"$p $missing\"; p=$(dirname \"$p\"); done",
            "  for d in $missing; do",
            "    if [ \"$d\" = \"$t\" ] && [ \"$kind\" = file ]; then : > \"$d\"; else mkdir \"$d\"; fi",
            "    printf 'MP\\t%s\\t%s\\n' \"$(stat -c '%u:%g %04a' \"$d\")\" \"${d#$R}\"",
            "  done",
            "}",
            "mount --bind \"$R\" \"$R\"",
            // The runtime's /dev (runc mounts a tmpfs with the standard device nodes): /dev/null is enough here.
            "mkdir -p \"$R/dev\" && : > \"$R/dev/null\" && mount --bind /dev/null \"$R/dev/null\"",
            ...steps,
            ...(readOnlyRoot ? ["mount -o remount,bind,ro \"$R\""] : []),
            `exec chroot --userspec=${user.uid}:${user.gid} --groups=${user.groups.join(",")} "$R" /.podfs/busybox sh /.podfs/writes.sh`,
        ].join("\n");
        if (process.env.PODFS_KEEP !== undefined) console.error(`pod-filesystem: ${pod.name}: kept ${base}\n${setup}`);
        const r = spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", setup], { encoding: "utf8", timeout: 60_000 });
        if (r.status !== 0) {
            throw new Error(`${pod.name}: the filesystem set-up failed (exit ${String(r.status)}): ${r.stderr}\n${r.stdout}`);
        }
        const runtimeCreated: string[] = [];
        const results: WriteResult[] = writes.map((write) => ({ write, status: "failed", error: "no result (the script stopped)" }));
        for (const line of r.stdout.split("\n")) {
            const f = line.split("\t");
            if (f[0] === "MP") runtimeCreated.push(`${f[1]} ${f[2]}`);
            if (f[0] === "R") {
                const i = Number(f[1]);
                results[i] = { write: writes[i], status: f[2] as WriteResult["status"], error: f[2] === "failed" ? (f[3] ?? "").replace(/^\/\.podfs\/writes\.sh: line \d+: /, "").trim() : undefined };
            }
        }
        const failed = results.filter((x) => x.status === "failed");
        return {
            pod: pod.name,
            user,
            runtimeCreated,
            results,
            failures: failed.filter((x) => x.write.fatal),
            warnings: failed.filter((x) => !x.write.fatal),
        };
    } finally {
        // PODFS_KEEP=1 keeps the laid-out tree (without its mounts) for inspection.
        if (process.env.PODFS_KEEP === undefined) fs.rmSync(base, { recursive: true, force: true });
    }
}

function parts(p: string): number {
    return (path.posix.normalize(p).match(/\//g) ?? []).length;
}

/** The image's directories and files, owned as its Dockerfile says. */
function buildImage(root: string, image: ImageFacts): void {
    fs.mkdirSync(root, { mode: 0o755 });
    fs.chmodSync(root, 0o755);
    for (const e of image.entries) {
        const p = path.join(root, e.path);
        fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
        if (e.type === "dir") fs.mkdirSync(p, { recursive: true });
        else fs.writeFileSync(p, `# ${e.path} as the image ships it\n`);
        fs.chownSync(p, e.uid, e.gid);
        fs.chmodSync(p, e.mode);
    }
}

function setOwnership(p: string, fsGroup: number | undefined, readOnly: boolean): void {
    // volume_linux.go changeFilePermission: group fsGroup, mode |= rwMask 0660 (roMask 0440 for
    // read-only volumes), plus setgid and execMask 0110 on directories.
    if (fsGroup === undefined) return;
    const st = fs.lstatSync(p);
    fs.chownSync(p, st.uid, fsGroup);
    let mode = (st.mode & 0o7777) | (readOnly ? 0o440 : 0o660);
    if (st.isDirectory()) mode |= 0o2000 | 0o110;
    fs.chmodSync(p, mode);
    if (st.isDirectory()) for (const child of fs.readdirSync(p)) setOwnership(path.join(p, child), fsGroup, readOnly);
}

function prepareVolume(dir: string, v: VolumeLike, fsGroup: number | undefined, pod: PodUnderTest): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.chownSync(dir, 0, 0);
    if (v.emptyDir !== undefined) {
        fs.chmodSync(dir, 0o777);
        setOwnership(dir, fsGroup, false);
        return;
    }
    if (v.persistentVolumeClaim !== undefined || v.ephemeral !== undefined) {
        // A freshly formatted volume: root:root 0755 and lost+found 0700.
        fs.chmodSync(dir, 0o755);
        fs.mkdirSync(path.join(dir, "lost+found"), { mode: 0o700 });
        setOwnership(dir, fsGroup, false);
        return;
    }
    const keyed = (items: KeyToPathLike[] | undefined, data: Record<string, string> | undefined, defaultMode: number | undefined): void => {
        fs.chmodSync(dir, 0o755);
        const entries: { rel: string; text: string; mode: number }[] = items !== undefined
            ? items.map((it) => ({ rel: it.path, text: (it.key !== undefined ? data?.[it.key] : undefined) ?? `# ${it.key ?? it.path}\n`, mode: it.mode ?? defaultMode ?? 0o644 }))
            : Object.entries(data ?? {}).map(([k, text]) => ({ rel: k, text, mode: defaultMode ?? 0o644 }));
        for (const e of entries) {
            const p = path.join(dir, e.rel);
            fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
            fs.writeFileSync(p, e.text);
            fs.chmodSync(p, e.mode);
        }
        setOwnership(dir, fsGroup, true);
    };
    if (v.configMap !== undefined) {
        const name = v.configMap.name ?? "";
        const data = pod.configMaps[name];
        if (data === undefined) throw new Error(`${pod.name}: ConfigMap ${name} (volume ${v.name}) is not in the render`);
        keyed(v.configMap.items, data, v.configMap.defaultMode);
        return;
    }
    if (v.secret !== undefined) return keyed(v.secret.items, undefined, v.secret.defaultMode);
    if (v.downwardAPI !== undefined) return keyed(v.downwardAPI.items, undefined, v.downwardAPI.defaultMode);
    if (v.projected !== undefined) return keyed([], undefined, v.projected.defaultMode);
    throw new Error(`${pod.name}: volume ${v.name} is of a kind the model does not cover: ${Object.keys(v).filter((k) => k !== "name").join(", ")}`);
}

function sourceOf(volumeDir: string, v: VolumeLike, m: VolumeMountLike, pod: PodUnderTest): Source {
    const apiData = v.configMap !== undefined || v.secret !== undefined || v.projected !== undefined || v.downwardAPI !== undefined;
    const readOnly = m.readOnly === true || apiData;
    if (m.subPath === undefined || m.subPath === "") return { hostPath: volumeDir, isDir: true, readOnly, describe: v.name };
    const p = path.join(volumeDir, m.subPath);
    if (!fs.existsSync(p)) {
        if (apiData) throw new Error(`${pod.name}: subPath ${m.subPath} is not in volume ${v.name}`);
        // The kubelet creates a missing subPath of a writable volume as a directory.
        fs.mkdirSync(p, { recursive: true });
        fs.chmodSync(p, 0o755);
    }
    return { hostPath: p, isDir: fs.statSync(p).isDirectory(), readOnly, describe: `${v.name}/${m.subPath}` };
}

/** The writes as a busybox `sh` script: one result line per write, the tool's message on failure. */
function userScript(writes: Write[]): string {
    const B = "/.podfs/busybox";
    const lines = ["umask 022", `B=${B}`];
    writes.forEach((w, i) => {
        for (const p of [w.path, w.cwd, w.from, w.when?.path]) {
            if (p !== undefined && /['\n\t]/.test(p)) throw new Error(`unsupported path ${JSON.stringify(p)}`);
        }
        const p = q(w.path);
        let cmd: string;
        switch (w.op) {
            case "mkdir": cmd = `$B mkdir -p ${p}`; break;
            case "dirWritable": cmd = `$B mkdir -p ${p} && : > ${q(path.posix.join(w.path, ".podfs-probe"))} && $B rm -f ${q(path.posix.join(w.path, ".podfs-probe"))}`; break;
            case "copyTree": cmd = `$B cp -r ${q(w.from ?? "")} ${p}`; break;
            case "copyFile": cmd = `$B cp -f ${q(w.from ?? "")} ${p}`; break;
            case "removeTree": cmd = `$B rm -r ${p}`; break;
            case "rewrite": cmd = `$B sed -i -e '/^podfs-probe=/d' ${p}`; break;
            case "append": cmd = `printf '\\n' >> ${p}`; break;
            case "overwrite": cmd = `printf '' > ${p}`; break;
        }
        const test = w.when === undefined ? "true"
            : w.when.test.startsWith("!") ? `[ ! ${w.when.test.slice(1)} ${q(w.when.path)} ]` : `[ ${w.when.test} ${q(w.when.path)} ]`;
        lines.push(
            `if ! (cd ${q(w.cwd)}) 2>/dev/null; then printf 'R\\t%s\\tfailed\\t%s\\n' ${i} ${q(`cannot enter the working directory ${w.cwd}`)}`,
            `elif (cd ${q(w.cwd)} && ${test}); then`,
            `  out=$( (cd ${q(w.cwd)} && ${cmd}) 2>&1 ) && echo "R\t${i}\tok" || printf 'R\\t%s\\tfailed\\t%s\\n' ${i} "$(printf '%s' "$out" | $B tr '\\n\\t' '  ')"`,
            `else echo "R\t${i}\tskipped"; fi`,
        );
    });
    return lines.join("\n") + "\n";
}

/** A readable report of one pod's check. */
export function formatCheck(c: PodCheck): string {
    const out = [`${c.pod} (uid ${c.user.uid}, gid ${c.user.gid}, groups ${c.user.groups.join(",")})`];
    for (const m of c.runtimeCreated) out.push(`  runtime-created mountpoint: ${m}`);
    const ok = c.results.filter((r) => r.status === "ok").length;
    const skipped = c.results.filter((r) => r.status === "skipped").length;
    out.push(`  ${ok} writes ok, ${skipped} skipped (condition false), ${c.failures.length} failed, ${c.warnings.length} non-fatal failures`);
    for (const r of [...c.failures, ...c.warnings]) {
        const abs = absolutePath(r.write);
        out.push(`  ${r.write.fatal ? "FAIL" : "WARN"} ${r.write.op} ${r.write.path}${abs !== r.write.path ? ` (${abs})` : ""} by ${r.write.by}: ${r.error ?? ""}`);
        out.push(`       ${r.write.why} [${r.write.source.map(cite).join("; ")}]`);
    }
    return out.join("\n");
}
