/** When the alerts fire (see `AlertThresholds`). */
export interface AlertThresholds {
    serviceDownMinutes: number;
    segmentsUnavailableMinutes: number;
    underReplicatedMinutes: number;
    loadQueueStuckMinutes: number;
    pendingTasksMinutes: number;
    failedTasksPerHour: number;
    taskSlotsFullMinutes: number;
    queryFailureRatio: number;
    queryP95Seconds: number;
    heapUsedRatio: number;
    directMemoryHeadroomRatio: number;
}

export const defaultAlertThresholds: AlertThresholds = {
    serviceDownMinutes: 5,
    segmentsUnavailableMinutes: 10,
    underReplicatedMinutes: 30,
    loadQueueStuckMinutes: 15,
    pendingTasksMinutes: 15,
    failedTasksPerHour: 1,
    taskSlotsFullMinutes: 30,
    queryFailureRatio: 0.05,
    queryP95Seconds: 10,
    heapUsedRatio: 0.9,
    directMemoryHeadroomRatio: 0.9,
};
