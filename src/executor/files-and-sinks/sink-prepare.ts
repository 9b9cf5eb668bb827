import type { TaskDescriptor, TaskOutputSpec, TaskValue } from '../../protocol/task.js';
import type { TwoPhaseCommitSink } from '../../protocol/sink.js';
import { describeValue } from '../../common/describe-value.js';
import { importExport } from '../compile-function.js';
import { toArray } from '../rdd/record-stream.js';
import type { TaskContext } from '../task-context.js';

/** The worker's side of a two-phase-commit sink. */
type SinkPrepareSide = Pick<TwoPhaseCommitSink, 'prepare'>;

/**
 * Runs the task's records into the sink's `prepare` (after the whole pipeline, including any state update, has
 * run) and returns the handle with the state versions the task wrote, for the driver to record and commit.
 */
export async function runSinkPrepare(
  task: TaskDescriptor,
  output: Extract<TaskOutputSpec, { kind: 'sink-prepare' }>,
  records: Iterable<unknown>,
  context: TaskContext,
): Promise<TaskValue> {
  const label = `streaming sink ${output.sink.exportName}`;
  const sink = await importExport(output.sink.moduleUrl, output.sink.exportName, label);
  if (typeof sink !== 'object' || sink === null || typeof (sink as SinkPrepareSide).prepare !== 'function') {
    throw new Error(
      `${label}: module ${output.sink.moduleUrl} must export an object with prepare(), commit() and abort(), found ${describeValue(sink)}`,
    );
  }
  const rows = toArray(records);
  context.recordsWritten = rows.length;
  context.beat();
  const handle: unknown = await (sink as SinkPrepareSide).prepare(output.batchId, task.partition, rows, {
    queryId: output.queryId,
    attempt: task.attempt,
    options: output.options,
  });
  context.beat();
  return { kind: 'prepared', handle: handle ?? null, rows: rows.length, stateWrites: context.stateWrites };
}
