import { DruidArgumentError } from "./errors";

/** Bytes in one mebibyte / gibibyte. */
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** Each suffix as an exact integer factor (BigInt: 1E and 1Ei are above Number's exact integers). */
const memorySuffixes: Record<string, bigint> = {
    "": 1n, k: 10n ** 3n, M: 10n ** 6n, G: 10n ** 9n, T: 10n ** 12n, P: 10n ** 15n, E: 10n ** 18n,
    Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n,
};

/**
 * Largest container memory accepted: 16TiB, above the largest EC2 instances Kubernetes nodes run
 * on (u-7i 12TiB); a larger figure is a typo, and JVM sizes written from it would be absurd.
 */
export const maxMemoryBytes = 16 * 1024 * GiB;
/** Largest volume accepted: 64TiB, the largest EBS volume (io2 Block Express; gp3 stops at 16TiB). */
export const maxVolumeBytes = 64 * 1024 * GiB;

/**
 * Parses a Kubernetes memory/storage quantity ("16Gi", "500M", "1e9") into bytes. The result must
 * be a whole number of bytes ("1.5" bytes is refused; "1.5Gi" is not), finite, and at most `max`.
 */
export function parseBytes(quantity: string, argument: string, max = maxMemoryBytes): number {
    const m = typeof quantity === "string" ? /^([0-9]+(?:\.[0-9]+)?)(?:[eE]([0-9]+))?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(quantity) : null;
    if (!m || (m[2] !== undefined && m[3] !== undefined)) {
        throw new DruidArgumentError(argument, quantity,
            "expected a Kubernetes quantity such as \"512Mi\", \"16Gi\" or \"100G\"");
    }
    // Exact arithmetic, as Kubernetes' resource.Quantity (an integer and a scale, never a float):
    // "0.54T" is 540000000000 bytes exactly, which 0.54 * 1e12 in floating point is not.
    const [whole, fraction = ""] = m[1].split(".");
    const exponent = m[2] !== undefined ? BigInt(m[2].length > 4 ? 9999 : Number(m[2])) : 0n;
    const numerator = BigInt(whole + fraction) * 10n ** exponent * memorySuffixes[m[3] ?? ""];
    const denominator = 10n ** BigInt(fraction.length);
    if (numerator === 0n) {
        throw new DruidArgumentError(argument, quantity, "must be greater than zero");
    }
    if (numerator > BigInt(max) * denominator) {
        throw new DruidArgumentError(argument, quantity, `must be at most ${formatQuantity(max)}`);
    }
    if (numerator % denominator !== 0n) {
        throw new DruidArgumentError(argument, quantity, "must be a whole number of bytes (a fraction only with a unit that makes it whole, e.g. \"1.5Gi\")");
    }
    return Number(numerator / denominator);
}

function formatQuantity(bytes: number): string {
    return bytes % (1024 * GiB) === 0 ? `${bytes / (1024 * GiB)}Ti` : `${bytes / GiB}Gi`;
}

/** Parses a Kubernetes CPU quantity ("500m", "2", "1.5") into cores. */
export function parseCpu(quantity: string, argument: string): number {
    const m = /^([0-9]+(?:\.[0-9]+)?)(m)?$/.exec(quantity);
    const cores = m ? Number(m[1]) / (m[2] ? 1000 : 1) : NaN;
    if (!(cores > 0)) {
        throw new DruidArgumentError(argument, quantity,
            "expected a Kubernetes CPU quantity greater than zero such as \"500m\", \"2\" or \"1.5\"");
    }
    return cores;
}

/** Formats bytes the way Druid's human-readable byte properties accept them ("2g", "500m"). */
export function formatJvmBytes(bytes: number): string {
    if (bytes % GiB === 0) return `${bytes / GiB}g`;
    if (bytes % MiB === 0) return `${bytes / MiB}m`;
    if (bytes % 1024 === 0) return `${bytes / 1024}k`;
    return String(bytes);
}
