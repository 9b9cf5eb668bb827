import type { TaskEndReason } from '../protocol/task.js';

/** Failure kinds counted in job metrics: every `TaskEndReason` except success. */
export type FailureKind = Exclude<TaskEndReason['kind'], 'success'>;

/** Counters of one job: returned with results, written to the event log. */
export interface JobMetrics {
  readonly jobId: number;
  /** Stages that ran tasks (skipped stages, whose output already existed, are not counted). */
  stagesRun: number;
  /** Task attempts started, including retries. */
  taskAttempts: number;
  tasksSucceeded: number;
  failures: Record<FailureKind, number>;
  recordsWritten: number;
  bytesRead: number;
  bytesWritten: number;
  durationMs: number;
}

/** Fresh zeroed metrics for a job. */
export function newJobMetrics(jobId: number): JobMetrics {
  return {
    jobId,
    stagesRun: 0,
    taskAttempts: 0,
    tasksSucceeded: 0,
    failures: {
      exception: 0,
      'worker-lost': 0,
      'out-of-memory': 0,
      'timed-out': 0,
      'fetch-failed': 0,
      killed: 0,
    },
    recordsWritten: 0,
    bytesRead: 0,
    bytesWritten: 0,
    durationMs: 0,
  };
}
