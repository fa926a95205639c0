/** The Coordinator's kill of unused segments (off unless asked by name). */
export interface UnusedSegmentKill {
    /** Segments whose interval ended less than this many days ago are kept. */
    durationToRetainDays: number;
    /** Days a segment must have been unused first. */
    bufferPeriodDays: number;
    maxSegments: number;
}

/** Retention settings after validation. */
export interface RetentionConfig {
    /** Task logs and their tasks' metadata rows; 0 keeps them. */
    taskLogRetentionDays: number;
    /** Audit, supervisor, rule and datasource records; 0 keeps them. */
    recordRetentionDays: number;
    /** Undefined: unused segments are never killed. */
    killUnusedSegments?: UnusedSegmentKill;
}
