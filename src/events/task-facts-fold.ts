import type { StageState } from './app-state-model.js';
import {
  FACT_ATTEMPT,
  FACT_BYTES_READ,
  FACT_BYTES_WRITTEN,
  FACT_COLUMNS,
  FACT_EXECUTOR_MS,
  FACT_GC_MS,
  FACT_KIND,
  FACT_PARTITION,
  FACT_RECORDS_WRITTEN,
  FACT_SHUFFLE_READ_BYTES,
  FACT_SPECULATIVE,
  FACT_SPILL_BYTES,
  FACT_STAGE_ID,
  FACT_START,
  FACT_TASK_ID,
  FACT_TIME_MS,
  type TaskFacts,
} from './task-facts.js';

/** What the fold of task events updates besides the stages: the application's totals (an `AppState`). */
export interface FoldedStages {
  readonly stages: ReadonlyMap<number, StageState>;
  /** Shuffle bytes every task of the application spilled. */
  spillBytes: number;
}

/**
 * Applies a batch of task facts (task-facts.ts) to the stages of `app`, row by row, as `AppState.apply` applies
 * the task events they stand for: a start records its row and counts it running, a successful end its counters.
 * Returns the task rows it added (the caller bounds them). The caller moves `version` and `lastEventMs` on.
 *
 * Rows of one batch nearly always belong to one stage: its lookup is kept from row to row.
 */
export function foldTaskFacts(app: FoldedStages, facts: TaskFacts): number {
  const cells = facts.cells;
  let rowsAdded = 0;
  let stageId = Number.NaN;
  let stage: StageState | undefined;
  for (let row = 0, at = 0; row < facts.count; row++, at += FACT_COLUMNS) {
    if (cells[at + FACT_STAGE_ID] !== stageId) {
      stageId = cells[at + FACT_STAGE_ID]!;
      stage = app.stages.get(stageId);
    }
    if (stage === undefined) continue;
    if (cells[at + FACT_KIND] === FACT_START) {
      const started = stage.tasks.startAttempt(
        cells[at + FACT_TASK_ID]!,
        cells[at + FACT_PARTITION]!,
        cells[at + FACT_ATTEMPT]!,
        cells[at + FACT_SPECULATIVE] === 1,
        cells[at + FACT_TIME_MS]!,
      );
      if (started) {
        stage.running++;
        rowsAdded++;
      }
      continue;
    }
    if (!stage.tasks.endSucceeded(cells, at)) continue;
    stage.running--;
    addSucceeded(
      app,
      stage,
      cells[at + FACT_RECORDS_WRITTEN]!,
      cells[at + FACT_BYTES_READ]!,
      cells[at + FACT_BYTES_WRITTEN]!,
      cells[at + FACT_EXECUTOR_MS]!,
      cells[at + FACT_SHUFFLE_READ_BYTES]!,
      cells[at + FACT_SPILL_BYTES]!,
      cells[at + FACT_GC_MS]!,
    );
  }
  return rowsAdded;
}

/**
 * A successful attempt's counters added to its stage's totals and the application's spill (its row is already
 * recorded): the one place both folds, of events and of facts, count a success.
 */
export function addSucceeded(
  app: FoldedStages,
  stage: StageState,
  recordsWritten: number,
  bytesRead: number,
  bytesWritten: number,
  executorMs: number,
  shuffleReadBytes: number,
  spillBytes: number,
  gcMs: number,
): void {
  stage.succeeded++;
  const totals = stage.totals;
  totals.recordsWritten += recordsWritten;
  totals.bytesRead += bytesRead;
  totals.bytesWritten += bytesWritten;
  totals.executorMs += executorMs;
  totals.shuffleReadBytes += shuffleReadBytes;
  totals.spillBytes += spillBytes;
  app.spillBytes += spillBytes;
  totals.gcMs += gcMs;
}
