import { Resources } from "../args";
import { DruidArgumentError } from "../core/errors";
import { checkBytes, checkCpu } from "./validate";

// Container requests below the limits (`Resources.cpuRequest`, `memoryRequest`): Kubernetes refuses
// a request above its limit (pkg/apis/core/validation/validation.go, ValidateResourceRequirements:
// "must be less than or equal to <resource> limit"). Druid is always sized from the limits.

/** Requests of a service's Druid container: at most the limits (Kubernetes refuses a request above its limit). */
export function checkRequests(argument: string, r: Resources | undefined, limits: Resources): { cpu: string; memory: string } {
    const cpu = r?.cpuRequest ?? limits.cpu;
    const memory = r?.memoryRequest ?? limits.memory;
    if (r?.cpuRequest !== undefined && checkCpu(`${argument}.cpuRequest`, r.cpuRequest) > checkCpu(`${argument}.cpu`, limits.cpu)) {
        throw new DruidArgumentError(`${argument}.cpuRequest`, r.cpuRequest, `must be at most the limit cpu (${limits.cpu}): Kubernetes refuses a request above its limit`);
    }
    if (r?.memoryRequest !== undefined && checkBytes(`${argument}.memoryRequest`, r.memoryRequest) > checkBytes(`${argument}.memory`, limits.memory)) {
        throw new DruidArgumentError(`${argument}.memoryRequest`, r.memoryRequest,
            `must be at most the limit memory (${limits.memory}): Kubernetes refuses a request above its limit, and Druid's heap and direct memory are sized from the limit`);
    }
    return { cpu, memory };
}

/** Where requests below the limits are not supported (ZooKeeper, task pods): refused by name. */
export function checkNoRequests(argument: string, r: Resources | undefined, what: string): void {
    for (const key of ["cpuRequest", "memoryRequest"] as const) {
        if (r !== undefined && r !== null && typeof r === "object" && r[key] !== undefined) {
            throw new DruidArgumentError(`${argument}.${key}`, r[key], `is not supported for ${what}, whose requests equal their limits (Guaranteed QoS): remove it`);
        }
    }
}

