/**
 * A job's result stage (Spark's `ResultStage`): runs the stage that computes the job's partitions once its parent
 * shuffles are ready, and runs it again for the partitions whose results read shuffle outputs an indeterminate
 * stage's rerun discarded, until every partition has a current result. Apart from dag-scheduler.ts as the map stages
 * are (shuffle-map-stages.ts): the scheduler keeps the job's lifecycle and the state its stages share.
 */
import { JobFailedError } from '../common/errors.js';
import { countsText, type JobMetrics } from './job-metrics.js';
import { RoundsWithoutProgress } from './rounds-without-progress.js';
import type { ShuffleGenerations } from './shuffle-generations.js';
import type { MapStageHost } from './shuffle-map-stages.js';
import { runTaskSet, type CommittedAttempt } from './task-set.js';
import { resolveZipOffsets, type ZipOffsetsHost } from './zip-offsets.js';
import type { JobRequest } from './dag-scheduler.js';

/**
 * Reruns in a row of a job's result stage that leave no fewer partitions without a current result (each rerun
 * recomputes the partitions whose results read shuffle outputs an indeterminate stage's rerun discarded). Every
 * such rerun follows a fault that forced the indeterminate rerun (a reader found a block of a generation already
 * read corrupt), so this bounds the rounds by the faults, not by their timing. Why 8, not Spark's 4 consecutive
 * stage attempts: in a two-partition result stage each such fault makes the other partition's held result stale,
 * and with faults at p = 0.5 per task (a seeded search over the chaos job shapes) 4 in a row came about once in
 * 300 runs.
 */
const RESULT_ROUNDS_WITHOUT_PROGRESS_MAX = 8;

/** What the result stage needs of the scheduler that runs it (the `DagScheduler`). */
export interface ResultStageHost extends ZipOffsetsHost, Pick<MapStageHost, 'dropStale'> {
  readonly generations: ShuffleGenerations;
}

/**
 * Runs the job's result stage until every partition has a result that read only current shuffle outputs: a
 * result computed from outputs an indeterminate stage's rerun discarded is dropped, and its partition reruns.
 */
export async function runResultStage(
  host: ResultStageHost,
  request: JobRequest,
  metrics: JobMetrics,
  abort: AbortController,
): Promise<Map<number, CommittedAttempt>> {
  const results = new Map<number, CommittedAttempt>();
  // Attempt numbers continue across reruns: attempt-private output paths never repeat within the job.
  const attempts = new Map<number, number>();
  let pending = [...new Set(request.partitions)];
  let stageId = -1;
  const rounds = new RoundsWithoutProgress(RESULT_ROUNDS_WITHOUT_PROGRESS_MAX, pending.length);
  for (let run = 0; pending.length > 0; run++) {
    if (rounds.exhausted) {
      throw new JobFailedError(
        `job failed: stage ${stageId} (${request.node.label}) ran ${run} times, the last ${rounds.stalledRounds} ` +
          `without adding a result: partitions [${pending.join(', ')}] read shuffle outputs that a rerun of an ` +
          `indeterminate stage discarded each time; this job's indeterminate reruns were forced by tasks finding ` +
          `${countsText(metrics.indeterminateRerunCauses)} (faults injected in this job: ` +
          `${countsText(metrics.faultsInjected)})`,
        { stageId, partition: pending[0]!, attempt: attempts.get(pending[0]!) ?? 0 },
      );
    }
    if (run > 0) metrics.consumerStageReruns++;
    await host.mapStages.ensureParentShuffles(request.node, metrics, abort);
    await resolveZipOffsets(host, request.node, metrics, abort);
    const stage = { ...host.newStage(request.node, request.node.label), attempts };
    stageId = stage.stageId;
    await runTaskSet(
      host.taskSetHost(metrics, abort),
      stage,
      pending,
      (partition, attempt) => request.output(partition, attempt),
      (partition, _value, committed) => {
        if (host.generations.isCurrent(committed.reads)) results.set(partition, committed);
        else host.dropStale(committed, metrics);
      },
    );
    for (const [partition, committed] of results) {
      if (host.generations.isCurrent(committed.reads)) continue;
      results.delete(partition);
      host.dropStale(committed, metrics);
    }
    pending = [...new Set(request.partitions)].filter((partition) => !results.has(partition));
    rounds.record(pending.length);
  }
  return results;
}
