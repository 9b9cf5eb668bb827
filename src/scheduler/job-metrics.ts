import type { TaskEndReason } from '../protocol/task.js';
import { FAULT_KINDS, type FaultKind } from '../common/faults.js';

/** Failure kinds counted in job metrics: every `TaskEndReason` except success. */
export type FailureKind = Exclude<TaskEndReason['kind'], 'success'>;

/**
 * What forced an indeterminate stage to rerun in full: a task reading its output found a block corrupt (its
 * checksum check failed, or it could not be read), or found a block lost.
 */
export type RerunCause = 'corrupt-block' | 'lost-block';

/**
 * Counters of one job: returned with results, written to the event log. Every injected fault and every recovery
 * decision is counted here, so a user can see what a job went through.
 *
 * @example
 * await rdd.count();
 * const { failures, faultsInjected, recomputedPartitions } = kc.lastJobMetrics!;
 */
export interface JobMetrics {
  readonly jobId: number;
  /** Stages that ran tasks (skipped stages, whose output already existed, are not counted). */
  stagesRun: number;
  /** Task attempts started, including retries. */
  taskAttempts: number;
  tasksSucceeded: number;
  /** Partitions (of any stage) that needed more than one attempt. */
  tasksRetried: number;
  failures: Record<FailureKind, number>;
  /** Faults the `faults` option injected, by kind (a block fault counts only when a block was hit). */
  faultsInjected: Record<FaultKind, number>;
  /** Map partitions recomputed from lineage because their output was lost or corrupt. */
  recomputedPartitions: number;
  /** Checkpointed partitions recomputed from lineage because their part file failed its check. */
  checkpointPartitionsRecomputed: number;
  /** Times a lost shuffle output was resubmitted (one per fetch failure that started a recomputation). */
  stageResubmissions: number;
  /**
   * Times an indeterminate shuffle map stage (`repartition`, unseeded `sample`, `{ deterministic: false }`) had to
   * recompute after its output was read: all its map outputs were discarded and recomputed, not only the lost ones.
   */
  indeterminateStageReruns: number;
  /** Those reruns by what forced them (they add up to `indeterminateStageReruns`). */
  indeterminateRerunCauses: Record<RerunCause, number>;
  /**
   * Consuming stages discarded because they read an indeterminate stage's old output: each downstream shuffle
   * whose map outputs were unregistered, and each rerun of the job's result stage, counts once.
   */
  consumerStageReruns: number;
  /** Task results thrown away because they read a shuffle output that was discarded meanwhile. */
  staleResultsDropped: number;
  /** Speculative copies launched for slow tasks, copies that finished first, and losing attempts terminated. */
  speculativeAttempts: number;
  speculativeWins: number;
  speculativeKills: number;
  /** Wall time of failed attempts, summed: work thrown away (recomputation time is not included). */
  timeLostMs: number;
  /** Accumulator updates applied (one per committed attempt that carried updates) and dropped (other attempts). */
  accumulatorUpdatesApplied: number;
  accumulatorUpdatesDropped: number;
  /**
   * Temporary folders of processes of this host that are gone (killed before they could clean up) which this job
   * removed: staging folders beside the target of `saveAsTextFile`, and, on a Context's first job, spill and local
   * checkpoint folders in `tmpDir`.
   */
  staleTempDirsRemoved: number;
  recordsWritten: number;
  bytesRead: number;
  bytesWritten: number;
  /** Bytes of shuffle output the job's successful tasks wrote to disk instead of shared memory (their `spillBytes`). */
  spillBytes: number;
  /**
   * Input records (CSV, JSON lines) of the job's successful tasks that did not parse or did not fit the schema:
   * kept with the values that did not fit made null (`mode: 'PERMISSIVE'`, the default) or dropped
   * (`'DROPMALFORMED'`). `'FAILFAST'` fails the job at the first one instead.
   */
  malformedRecordsNulled: number;
  malformedRecordsDropped: number;
  durationMs: number;
}

/** Fresh zeroed metrics for a job. */
export function newJobMetrics(jobId: number): JobMetrics {
  return {
    jobId,
    stagesRun: 0,
    taskAttempts: 0,
    tasksSucceeded: 0,
    tasksRetried: 0,
    failures: {
      exception: 0,
      'worker-lost': 0,
      'out-of-memory': 0,
      'timed-out': 0,
      'fetch-failed': 0,
      killed: 0,
    },
    faultsInjected: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
    recomputedPartitions: 0,
    checkpointPartitionsRecomputed: 0,
    stageResubmissions: 0,
    indeterminateStageReruns: 0,
    indeterminateRerunCauses: { 'corrupt-block': 0, 'lost-block': 0 },
    consumerStageReruns: 0,
    staleResultsDropped: 0,
    speculativeAttempts: 0,
    speculativeWins: 0,
    speculativeKills: 0,
    timeLostMs: 0,
    accumulatorUpdatesApplied: 0,
    accumulatorUpdatesDropped: 0,
    staleTempDirsRemoved: 0,
    recordsWritten: 0,
    bytesRead: 0,
    bytesWritten: 0,
    spillBytes: 0,
    malformedRecordsNulled: 0,
    malformedRecordsDropped: 0,
    durationMs: 0,
  };
}

/**
 * Adds the counts of `earlier` into `into` (every counter and duration; `into` keeps its `jobId`), for an action
 * that ran as several jobs and reports them as one in `kc.lastJobMetrics`: a `ds.write` that wrote partitions
 * again in the settled schema read and wrote rows in both jobs.
 *
 * @example
 * addJobMetrics(rewriteMetrics, firstMetrics); // rewriteMetrics.recordsWritten now counts both jobs
 */
export function addJobMetrics(into: JobMetrics, earlier: JobMetrics): void {
  const add = (to: Record<string, unknown>, from: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(from)) {
      if (key === 'jobId') continue;
      if (typeof value === 'number') to[key] = ((to[key] as number | undefined) ?? 0) + value;
      else if (typeof value === 'object' && value !== null) {
        add(to[key] as Record<string, unknown>, value as Record<string, unknown>);
      }
    }
  };
  add(into as unknown as Record<string, unknown>, earlier as unknown as Record<string, unknown>);
}

/**
 * Non-zero counts as text, for error messages: `{ throw: 2, crash: 0, 'lose-block': 1 }` → `throw ×2, lose-block ×1`,
 * or `none`.
 */
export function countsText(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts).flatMap(([kind, n]) => (n > 0 ? [`${kind} ×${n}`] : []));
  return parts.length === 0 ? 'none' : parts.join(', ');
}
