import { DruidSizingError } from "../core/errors";
import { PropertyMap } from "../core/properties";
import { GiB, MiB } from "../core/quantities";
import { jvmMemoryFlags } from "./jvm-options";
import { directMemoryFor, heapFilling, jvmOverheadBytes, ProcessingTuning, processingTuning } from "./tuning";

// The sizing of a Kubernetes-Job task pod (config/kubernetes-native.ts writes its files).

/** Heap, direct memory and processing pool of one task pod. */
export interface TaskPodTuning {
    heapBytes: number;
    directBytes: number;
    processing: ProcessingTuning;
}

/**
 * Sizes a task pod's Peon. Processing as the tuning guide's Peon (2 threads, 2 merge buffers, 100MiB
 * buffers; `druid.processing.*` in the task properties override them, through tuning.ts's
 * `processingTuning`), direct memory (threads + merge buffers + 1) × buffer, the JVM overhead of
 * tuning.ts, and the heap is the rest of the pod: the Peon is alone in it.
 */
export function tuneTaskPod(memoryBytes: number, properties: PropertyMap, propertiesArgument: string, jvmOptions: string[] = [], jvmOptionsArgument = "data.ingestion.jvmOptions"): TaskPodTuning {
    const processing = processingTuning({ properties, argument: propertiesArgument }, 2, 100 * MiB);
    // -Xmx/-Xms/-XX:MaxDirectMemorySize in the task pods' JVM options replace the derived sizes and count in the check.
    const flags = jvmMemoryFlags(jvmOptions, jvmOptionsArgument);
    const directBytes = flags.directBytes ?? directMemoryFor(processing);
    // The heap takes what direct memory leaves, with its own JVM overhead (tuning.ts jvmOverheadBytes).
    const heapBytes = flags.maxHeapBytes ?? flags.initialHeapBytes ?? heapFilling(memoryBytes - directBytes);
    if (heapBytes < 512 * MiB) {
        const needGi = Math.ceil((directBytes + jvmOverheadBytes(512 * MiB) + 512 * MiB) / GiB);
        throw new DruidSizingError(
            `the task pods (data.ingestion.taskResources) would leave the Peon a heap of ${Math.max(0, Math.round(heapBytes / MiB))}MiB ` +
            `after direct memory ${Math.round(directBytes / MiB)}MiB and JVM overhead; ` +
            `give them at least ${needGi}Gi of memory, or lower druid.processing.buffer.sizeBytes in data.ingestion.properties.`, "data.ingestion.taskResources");
    }
    const total = heapBytes + directBytes + jvmOverheadBytes(heapBytes);
    if (total > memoryBytes) {
        throw new DruidSizingError(
            `the task pods (data.ingestion.taskResources) do not fit their container: heap ${Math.round(heapBytes / MiB)}MiB + direct memory ${Math.round(directBytes / MiB)}MiB ` +
            `+ JVM overhead ${Math.round(jvmOverheadBytes(heapBytes) / MiB)}MiB = ${Math.round(total / MiB)}MiB, over the container's ${Math.round(memoryBytes / MiB)}MiB; ` +
            `give them at least ${Math.ceil(total / GiB)}Gi of memory or lower the -Xmx / -XX:MaxDirectMemorySize in data.ingestion.jvmOptions.`, "data.ingestion.taskResources");
    }
    return { heapBytes, directBytes, processing };
}
