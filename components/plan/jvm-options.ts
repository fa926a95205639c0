import { DruidArgumentError } from "../core/errors";
import { GiB, MiB } from "../core/quantities";

/** The memory flags of a JVM command line that the sizing must know about. */
export interface JvmMemoryFlags {
    /** -Xmx or -XX:MaxHeapSize (the heap's maximum). */
    maxHeapBytes?: number;
    /** -Xms or -XX:InitialHeapSize (the heap's initial size; a larger one than the maximum is refused by the JVM). */
    initialHeapBytes?: number;
    /** -XX:MaxDirectMemorySize. */
    directBytes?: number;
}

const units: Record<string, number> = { "": 1, k: 1024, m: MiB, g: GiB, t: 1024 * GiB };

/** A HotSpot size ("6g", "512m", "1024k", "1073741824"): binary units, case-insensitive. */
function jvmSize(text: string): number | undefined {
    const m = /^([0-9]+)([kmgt]?)$/i.exec(text);
    return m ? Number(m[1]) * units[m[2].toLowerCase()] : undefined;
}

/**
 * The forms a `java` launcher option takes (the `java` tool reference, "Overview of Java Options"):
 * standard options (`-server`, `-ea`, `-verbose:gc`, `-javaagent:...`, `-D<name>[=<value>]`),
 * `--long-options` (`--add-opens=...`, `--enable-preview`), extra options `-X...` and advanced
 * options `-XX:+Flag`, `-XX:-Flag`, `-XX:Name=value`. Each entry is one argument: jvm.config holds
 * one per line and `javaOptsArray` one per element, so no whitespace.
 */
const jvmOption = /^(-D[^=\s]+(=\S*)?|-XX:[+-][A-Za-z][A-Za-z0-9_]*|-XX:[A-Za-z][A-Za-z0-9_]*=\S+|-X[A-Za-z]\S*|--[a-z][a-z-]*(=\S+)?|-[a-z][A-Za-z0-9:.=/_,-]*)$/;

/**
 * Characters that the image's entrypoint does not pass through: druid.sh builds the command line
 * with `JAVA_OPTS="$(cat $SERVICE_CONF_DIR/jvm.config | xargs) $JAVA_OPTS"` (apache/druid
 * distribution/docker/druid.sh:173 @ 71802abfc6510b9183960592c2835503500fd1dc, the entrypoint of
 * the apache/druid image, as tests/support/image-entrypoints.ts cites it), and xargs treats `'`,
 * `"` and `\` as quoting: busybox xargs (the image's) prints nothing at an unmatched quote, so the
 * JVM would start without -Xmx, direct memory or UTC, and drops a lone backslash. Task pods read
 * their options through the same kind of shell expansion. Refused rather than quoted: no JVM
 * option needs them (tests/jvm-config-xargs.test.ts runs the real busybox).
 */
const xargsQuoting = /['"\\]/;

/** Every entry is one JVM option: starts with "-", in one of the launcher's forms, without whitespace or quotes. */
export function checkJvmOptionForms(flags: string[], argument: string): void {
    flags.forEach((flag, i) => {
        if (typeof flag === "string" && xargsQuoting.test(flag)) {
            throw new DruidArgumentError(`${argument}[${i}]`, flag,
                "must not hold a quote (' or \") or a backslash: the image's druid.sh reads jvm.config through `xargs`, which takes them as quoting " +
                "(an unmatched quote empties the whole JVM command line, -Xmx included); give the value without them");
        }
        if (!jvmOption.test(flag)) {
            throw new DruidArgumentError(`${argument}[${i}]`, flag,
                "must be one JVM option: \"-X...\" (e.g. \"-Xss2m\"), \"-XX:+Flag\", \"-XX:-Flag\", \"-XX:Name=value\", \"-Dname=value\", \"--add-opens=...\" or a standard option such as \"-ea\"; " +
                "every option starts with \"-\" and holds no whitespace (one option per entry)");
        }
    });
}

/**
 * Reads -Xmx, -Xms and -XX:MaxDirectMemorySize from user flags (the last one wins, as in the JVM;
 * -XX:MaxHeapSize and -XX:InitialHeapSize are the same flags), so that they feed the fit check
 * instead of bypassing it. A malformed size is refused, and so is an initial heap above the
 * maximum: the JVM would refuse to start with either.
 */
export function jvmMemoryFlags(flags: string[], argument: string): JvmMemoryFlags {
    checkJvmOptionForms(flags, argument);
    const out: JvmMemoryFlags = {};
    let xmsIndex = -1;
    flags.forEach((flag, i) => {
        const take = (prefix: string, key: keyof JvmMemoryFlags) => {
            if (!flag.startsWith(prefix)) return;
            const bytes = jvmSize(flag.slice(prefix.length));
            if (bytes === undefined || bytes === 0) {
                throw new DruidArgumentError(`${argument}[${i}]`, flag, `must give a size such as "${prefix}4g" or "${prefix}512m" (a whole number with an optional k, m, g or t unit)`);
            }
            out[key] = bytes;
            if (key === "initialHeapBytes") xmsIndex = i;
        };
        take("-Xmx", "maxHeapBytes");
        take("-XX:MaxHeapSize=", "maxHeapBytes");
        take("-Xms", "initialHeapBytes");
        take("-XX:InitialHeapSize=", "initialHeapBytes");
        take("-XX:MaxDirectMemorySize=", "directBytes");
    });
    if (out.maxHeapBytes !== undefined && out.initialHeapBytes !== undefined && out.initialHeapBytes > out.maxHeapBytes) {
        throw new DruidArgumentError(`${argument}[${xmsIndex}]`, flags[xmsIndex],
            `sets an initial heap larger than the maximum heap (${flags.find((f) => f.startsWith("-Xmx") || f.startsWith("-XX:MaxHeapSize="))}): ` +
            "the JVM refuses to start (\"Initial heap size set to a larger value than the maximum heap size\")");
    }
    return out;
}
