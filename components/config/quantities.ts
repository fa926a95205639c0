import { DruidArgumentError } from "../errors";

/** Bytes in one mebibyte / gibibyte. */
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

const memorySuffixes: Record<string, number> = {
    "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 1024, Mi: MiB, Gi: GiB, Ti: 1024 * GiB, Pi: 1024 * 1024 * GiB, Ei: 1024 * 1024 * 1024 * GiB,
};

/** Parses a Kubernetes memory/storage quantity ("16Gi", "500M", "1e9") into bytes. */
export function parseBytes(quantity: string, argument: string): number {
    const m = /^([0-9]+(?:\.[0-9]+)?)(?:[eE]([0-9]+))?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(quantity);
    if (!m || (m[2] !== undefined && m[3] !== undefined)) {
        throw new DruidArgumentError(argument, quantity,
            "expected a Kubernetes quantity such as \"512Mi\", \"16Gi\" or \"100G\"");
    }
    const value = Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1) * memorySuffixes[m[3] ?? ""];
    if (!(value > 0)) {
        throw new DruidArgumentError(argument, quantity, "must be greater than zero");
    }
    return Math.floor(value);
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
