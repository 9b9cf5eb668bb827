/**
 * Batch N's job: its sources read at exactly the offsets recorded for it, the query's plan built over them, and one
 * job whose tasks update state and prepare the sink. What it returns (each task's prepared handle and state writes)
 * is what the micro-batch loop records as its commit decision (`micro-batch-execution.ts`).
 */
import type { Context } from '../api/context/context.js';
import type { Accumulator } from '../api/context/accumulator.js';
import type { TaskValue } from '../protocol/task.js';
import type { EventTimesSeen } from '../protocol/state.js';
import type { TwoPhaseCommitSink } from '../protocol/sink.js';
import { InputError, StreamCheckpointCorruptError, StreamingQueryError } from '../common/errors.js';
import { commitContextOf } from './sinks/resolve-sink.js';
import type { StateCoordinator } from './state-coordinator.js';
import type { StreamSource } from './sources/stream-source.js';
import type { OffsetRecord } from './stream-checkpoint.js';
import type { BatchBuild, StatefulOperator, StreamPlan } from './stream-plan.js';
import type { QuerySettings } from './query-settings.js';
import { countRecords } from './count-records.js';

/** What a batch's job needs of its query. */
export interface BatchJobParts {
  readonly kc: Context;
  readonly plan: StreamPlan;
  /** The query's own cursors over `plan.sources`, in the same order: what batches read. */
  readonly sources: readonly StreamSource[];
  /** Counts the input rows of sources that cannot count their own. */
  readonly counter: Accumulator<number, number>;
  /** Collects the batch's event times (`reduceByKeyAndWindow`); reset before each batch. */
  readonly eventTimes: Accumulator<EventTimesSeen, EventTimesSeen>;
  readonly state: StateCoordinator | null;
  readonly settings: QuerySettings;
  readonly queryId: string;
}

/** A task's answer to `sink-prepare`. */
export type PreparedValue = Extract<TaskValue, { kind: 'prepared' }>;

/**
 * Runs the job of the batch `record` describes. On a failure the sink's leftovers of this batch are aborted and the
 * failure is rethrown as a `StreamingQueryError` naming the batch.
 */
export async function runBatchJob(
  parts: BatchJobParts,
  record: OffsetRecord,
  sink: TwoPhaseCommitSink | null,
): Promise<{ prepared: PreparedValue[]; inputRows: () => number }> {
  const { batchId } = record;
  const settings = parts.settings;
  const context = commitContextOf(parts.queryId, settings.sink);
  const countedBefore = parts.counter.value;
  let knownInputRows = 0;
  const build: BatchBuild = {
    batchId,
    input: (defined) => {
      const index = parts.plan.sources.indexOf(defined);
      const source = parts.sources[index]!;
      const offset = record.sources[index];
      if (offset === null || offset === undefined) return parts.kc.emptyRDD();
      const rdd = source.read(parts.kc, offset, batchId);
      const known = source.countOf(offset);
      if (known !== null) {
        knownInputRows += known;
        return rdd;
      }
      return countRecords(rdd, parts.counter);
    },
    stateSpec: (operator) => stateSpecOf(parts, operator, record),
  };
  const results: TaskValue[] = [];
  try {
    await Promise.all(
      parts.sources.map((source, i) => {
        const offset = record.sources[i];
        return offset === null || offset === undefined ? undefined : source.load?.(offset, batchId);
      }),
    );
    const rdd = parts.plan.build(build);
    const partitions = Array.from({ length: rdd.getNumPartitions() }, (_, i) => i);
    await rdd.context.runJob({
      node: rdd.node,
      partitions,
      output: () => ({
        kind: 'sink-prepare',
        sink: settings.sink.ref,
        queryId: parts.queryId,
        batchId,
        options: settings.sink.options,
      }),
      onResult: (partition, value) => {
        results[partition] = value;
      },
    });
  } catch (error: unknown) {
    if (sink !== null) {
      // The failure is what the user must see; a failing abort leaves only invisible pending files behind.
      await Promise.resolve()
        .then(() => sink!.abort(batchId, [], context))
        .catch(() => {});
    }
    if (error instanceof StreamingQueryError || error instanceof StreamCheckpointCorruptError) throw error;
    // A file removed while the batch read it: the source says so as it does before a batch (ERR_STREAM_SOURCE).
    for (const [i, source] of parts.sources.entries()) {
      const offset = record.sources[i];
      const explained =
        offset === null || offset === undefined ? null : source.explainFailure?.(error, offset, batchId);
      if (explained !== null && explained !== undefined) throw explained;
    }
    const message = error instanceof Error ? error.message : String(error);
    // A cause that names the batch itself (a bad event time) is not made to name it twice.
    const own = `streaming batch ${batchId}: `;
    const detail = message.startsWith(own) ? message.slice(own.length) : message;
    throw new StreamingQueryError('ERR_STREAM_QUERY_FAILED', `streaming batch ${batchId} failed: ${detail}`, {
      cause: namingTheBatch(error, own),
      batchId,
    });
  }
  const prepared = results.map((value): PreparedValue => {
    if (value?.kind !== 'prepared') throw new Error(`batch ${batchId}: a task returned ${String(value?.kind)}`);
    return value;
  });
  return { prepared, inputRows: () => knownInputRows + (parts.counter.value - countedBefore) };
}

function stateSpecOf(
  parts: BatchJobParts,
  operator: StatefulOperator,
  record: OffsetRecord,
): ReturnType<BatchBuild['stateSpec']> {
  const state = parts.state!;
  const mode = parts.settings.outputMode;
  const watermarkMs = record.watermarkMs ?? null;
  return {
    eventTime: { watermarkMs, eventTimes: parts.eventTimes },
    numPartitions: state.numPartitions,
    spec: {
      operator: operator.name,
      dir: state.dir,
      version: record.batchId,
      batchTimestampMs: record.timestampMs,
      timeoutMs: operator.timeoutMs,
      emit: mode === 'complete' ? 'complete' : mode === 'append' ? 'evicted' : 'update',
      fold: operator.fold,
      window: operator.window === null ? null : { windowMs: operator.window.windowMs, watermarkMs },
      snapshot: (record.batchId + 1) % parts.settings.snapshotEveryDeltas === 0,
      fn: operator.fn,
      inputs: state.inputs(),
    },
  };
}

/**
 * Bad input of a batch (a jsonl line that is not JSON, a line over `lineBytesMax`) as an `InputError` that names
 * the batch too: the reader that threw it knows the file and line but not the batch, and a user who catches the
 * cause (`error.cause instanceof InputError`) should not have to look back at its wrapper for it. The reader's own
 * error stays its `cause`.
 */
function namingTheBatch(error: unknown, own: string): unknown {
  if (!(error instanceof InputError) || error.message.startsWith(own)) return error;
  return new InputError(error.code, `${own}${error.message}`, { cause: error });
}
