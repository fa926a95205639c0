import { DruidArgumentError } from "../errors";
import { GiB, MiB } from "./quantities";

/** The memory flags of a JVM command line that the sizing must know about. */
export interface JvmMemoryFlags {
    /** -Xmx (the heap's maximum). */
    maxHeapBytes?: number;
    /** -Xms (the heap's initial size; a larger one than -Xmx is refused by the JVM). */
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
 * Reads -Xmx, -Xms and -XX:MaxDirectMemorySize from user flags (the last one wins, as in the JVM),
 * so that they feed the fit check instead of bypassing it. A malformed size is refused: the JVM
 * would refuse to start with it.
 */
export function jvmMemoryFlags(flags: string[], argument: string): JvmMemoryFlags {
    const out: JvmMemoryFlags = {};
    flags.forEach((flag, i) => {
        const take = (prefix: string, key: keyof JvmMemoryFlags) => {
            if (!flag.startsWith(prefix)) return;
            const bytes = jvmSize(flag.slice(prefix.length));
            if (bytes === undefined || bytes === 0) {
                throw new DruidArgumentError(`${argument}[${i}]`, flag, `must give a size such as "${prefix}4g" or "${prefix}512m"`);
            }
            out[key] = bytes;
        };
        take("-Xmx", "maxHeapBytes");
        take("-Xms", "initialHeapBytes");
        take("-XX:MaxDirectMemorySize=", "directBytes");
    });
    return out;
}
