import type { PipelineNode } from '../protocol/pipeline.js';
import type { BroadcastMarker, ShippedFunction } from '../protocol/shipped-function.js';
import { isAccumulatorMarker } from '../protocol/shipped-function.js';
import type { PartitionAction, TaskDescriptor, TaskEndReason, TaskValue } from '../protocol/task.js';
import type { MapOutputTable } from '../protocol/map-output.js';
import { shippedFunctionsOf, shippedFunctionsOfOutput } from '../protocol/functions-of.js';
import { assertNever } from '../common/assert.js';
import { AssertionError, KindlingError } from '../common/errors.js';
import { encodeBlock } from '../storage/blocks/block-writer.js';
import { isColumnarCache } from './columnar/caching/cache-node.js';
import type { ColumnarNode } from './columnar/evaluate.js';
import { columnarExecutor, loadColumnarExecutor, needsColumnar } from './loading/columnar-loader.js';
import { compileFunction } from './compile-function.js';
import { FetchFailedError } from './faults/fault-fetch-failed.js';
import { TaskAccumulators } from './faults/fault-tolerant-accumulators.js';
import { evaluatePipeline } from './rdd/evaluate-pipeline.js';
import { runPartitionAction } from './rdd/partition-actions.js';
import { toArray } from './rdd/record-stream.js';
import type { TaskSpill } from './shuffle/shuffle-write.js';
import { loadRowKinds, rowKinds, rowKindsNeededBy } from './loading/row-kinds-loader.js';
import { needsArrow } from './loading/needs-arrow.js';
import { loadArrow } from '../storage/arrow/arrow-module.js';
import { loadParquetModules } from '../io/parquet-modules.js';
import { parquetNeedsOf } from './loading/needs-parquet.js';
import { TaskContext, type UserFunction } from './task-context.js';
import { threadGcMs } from './worker/gc-time.js';
import { threadId } from 'node:worker_threads';

/** What the executor needs from whoever runs it (a Piscina worker or the inline backend). */
export interface ExecutorEnvironment {
  /** The value of a broadcast, fetched from the driver. Called once per id per thread; the result is cached. */
  fetchBroadcast(id: number): Promise<unknown>;
  /** A shuffle's map output table at `version`, fetched from the driver when this thread does not hold it. */
  fetchMapOutputTable(shuffleId: number, version: number): Promise<MapOutputTable>;
}

/** Broadcast values this thread has fetched, by id (ids are unique per process, so contexts never collide). */
const broadcastValues = new Map<number, { readonly id: number; readonly value: unknown }>();

/**
 * Runs one task attempt to its end and says how it ended. Never throws: failures come back as
 * `TaskEndReason` values (DESIGN.md §5), so the scheduler handles every outcome the same way on every backend.
 */
export async function runTask(task: TaskDescriptor, environment: ExecutorEnvironment): Promise<TaskEndReason> {
  const startedMs = performance.now();
  const gcStartMs = threadGcMs();
  // The first heartbeat, before anything can fail: a pool attempt that ends with the counter still at 0 never
  // reached this line, so its thread died starting up (see the Piscina backend).
  if (task.progress !== null) Atomics.add(new Int32Array(task.progress), 0, 1);
  let removeDecompressed = (): void => {};
  try {
    for (const id of task.broadcastIds) {
      if (!broadcastValues.has(id)) broadcastValues.set(id, { id, value: await environment.fetchBroadcast(id) });
    }
    const rowKindNeeds = rowKindsNeededBy(task.pipeline, task.output);
    await loadRowKinds(rowKindNeeds);
    if (rowKindNeeds.shuffles) {
      await rowKinds('shuffles').fetchShuffleTables(
        task.pipeline,
        (shuffleId, version) => environment.fetchMapOutputTable(shuffleId, version),
        task.shuffleTables,
      );
    }
    if (needsArrow(task.pipeline, task.output)) await loadArrow();
    await loadParquetModules(parquetNeedsOf(task.pipeline, task.output));
    if (needsColumnar(task.pipeline, task.output)) await loadColumnarExecutor();
    const accumulators = new TaskAccumulators();
    const functions = await compileAll(task, accumulators);
    const context = new TaskContext(functions, task.progress);
    context.accumulators = accumulators;
    if (rowKindNeeds.textFiles)
      removeDecompressed = await rowKinds('textFiles').decompressGzipInputs(task.pipeline, context);
    // Fault injection (with the map output reader, 8 modules) loads only in a thread that runs a task carrying a
    // fault: tests and chaos runs (issue 11).
    const faults = task.fault === undefined || task.fault === null ? null : await import('./faults/fault-inject.js');
    const injected = faults === null ? null : await faults.obeyFault(task);
    if (injected !== null) return injected;
    const columnarNode = columnarNodeOf(task.pipeline, task.output);
    const columnar =
      columnarNode !== null
        ? columnarExecutor().runColumnarOutput(columnarNode, task.output, context, evaluatePipeline, taskSpillOf(task))
        : null;
    const value =
      columnar ??
      (task.output.kind === 'sink-prepare'
        ? await rowKinds('stateAndCheckpoints').runSinkPrepare(
            task,
            task.output,
            evaluatePipeline(task.pipeline, context),
            context,
          )
        : runOutput(task, evaluatePipeline(task.pipeline, context), context));
    return {
      kind: 'success',
      value: faults === null ? value : faults.obeyBlockFault(task.fault, value),
      cached: context.cached,
      accumulatorUpdates: accumulators.collect(),
      metrics: {
        recordsRead: 0,
        recordsWritten: context.recordsWritten,
        bytesRead: context.bytesRead,
        bytesWritten: context.bytesWritten,
        durationMs: performance.now() - startedMs,
        shuffleReadBytes: context.shuffleReadBytes,
        spillBytes: context.spillBytes,
        ...context.malformedCounts(),
        gcMs: threadGcMs() - gcStartMs,
        threadId,
        operatorRows: context.operatorRows,
      },
    };
  } catch (error: unknown) {
    return exceptionReason(error);
  } finally {
    removeDecompressed();
  }
}

/** Partition actions whose value is an array of the partition's records (or values of them). */
const RETURNS_RECORDS: ReadonlySet<PartitionAction['kind']> = new Set(['take', 'take-ordered', 'lookup']);

function runOutput(task: TaskDescriptor, records: Iterable<unknown>, context: TaskContext): TaskValue {
  const output = task.output;
  switch (output.kind) {
    case 'collect': {
      const all = toArray(records);
      context.recordsWritten = all.length;
      const block = encodeBlock(all);
      context.bytesWritten = block.byteLength;
      return { kind: 'block', block };
    }
    case 'shuffle-write':
      return {
        kind: 'shuffle',
        output:
          output.sortedRun === undefined
            ? rowKinds('shuffles').writeShuffle(
                records,
                output.partitioner,
                output.mapSideCombine,
                output.label,
                context,
                taskSpillOf(task),
              )
            : rowKinds('shuffles').writeSortedRun(
                records,
                output.partitioner.numPartitions,
                output.sortedRun,
                task.partition,
                output.label,
                context,
                taskSpillOf(task),
              ),
      };
    case 'partition-action': {
      const value = runPartitionAction(records, output.action, task.partition, context);
      // A count's output is the records it counted (what `explainAnalyze` reports for a dataset's last stage); the
      // actions that hand records back (take, takeOrdered, lookup) output the records they return.
      if (output.action.kind === 'count') context.recordsWritten = value as number;
      else if (RETURNS_RECORDS.has(output.action.kind)) context.recordsWritten = (value as readonly unknown[]).length;
      return { kind: 'value', value };
    }
    case 'save-text': {
      const written = rowKinds('textFiles').writeLinesFile(output.attemptPath, records, output.compression);
      context.recordsWritten = written.rows;
      context.bytesWritten = written.bytes;
      return { kind: 'file', path: output.attemptPath, rows: written.rows };
    }
    case 'sink-prepare':
      // Asynchronous (the sink's prepare may await): runTask calls runSinkPrepare before reaching here.
      throw new AssertionError('a sink-prepare output reached the synchronous output step');
    case 'save-columnar': {
      // Records of an RDD written as a dataset would be: through the block encoder's columns.
      const { recordsToBatches, writeSettled } = columnarExecutor();
      const written = writeSettled(output, recordsToBatches(records, 'records to write'), task.partition);
      context.recordsWritten = written.rows;
      context.bytesWritten = written.bytes;
      return { kind: 'file', path: output.attemptPath, rows: written.rows, schema: written.schema };
    }
    default:
      return assertNever(output, 'task output');
  }
}

/** Where this map task spills its output, or null when it keeps everything in memory (or writes no shuffle). */
function taskSpillOf(task: TaskDescriptor): TaskSpill | null {
  const output = task.output;
  if (output.kind !== 'shuffle-write' || output.spill === undefined || output.spill === null) return null;
  return { ...output.spill, shuffleId: output.shuffleId, mapPartition: task.partition, taskId: task.taskId };
}

async function compileAll(
  task: TaskDescriptor,
  accumulators: TaskAccumulators,
): Promise<Map<ShippedFunction, UserFunction>> {
  const shipped = [...shippedFunctionsOf(task.pipeline as PipelineNode), ...shippedFunctionsOfOutput(task.output)];
  const compiled = new Map<ShippedFunction, UserFunction>();
  for (const fn of shipped) {
    if (compiled.has(fn)) continue;
    const user = (await compileFunction(fn, (marker) =>
      // Accumulator markers travel as broadcast markers; each task gets its own local accumulator.
      isAccumulatorMarker(marker) ? accumulators.local(marker.kindlingAccumulatorId) : resolveBroadcast(marker),
    )) as UserFunction;
    compiled.set(fn, labelErrors(user, fn.label));
  }
  return compiled;
}

function resolveBroadcast(marker: BroadcastMarker): unknown {
  const entry = broadcastValues.get(marker.kindlingBroadcastId);
  if (entry === undefined) throw new Error(`broadcast ${marker.kindlingBroadcastId} was not fetched before use`);
  return entry;
}

/** Marks errors thrown by a user function with the operation it was passed to, keeping the user's own error. */
const operationOfError = new WeakMap<object, string>();

/**
 * Marks what a user function throws with its operation. A thrown string or number cannot be a WeakMap key, so it is
 * boxed in an Error first (its message says what was thrown; its stack, which would be ours, is only that line):
 * `throw 'bad row'` fails as `map() threw Error: a non-Error value was thrown: bad row`, naming the operation.
 */
function labelErrors(fn: UserFunction, label: string): UserFunction {
  return (a, b) => {
    try {
      return fn(a, b);
    } catch (error: unknown) {
      const thrown = typeof error === 'object' && error !== null ? error : boxThrownValue(error);
      if (!operationOfError.has(thrown)) operationOfError.set(thrown, label);
      throw thrown;
    }
  };
}

function boxThrownValue(value: unknown): Error {
  const boxed = new Error(nonErrorMessage(value));
  boxed.stack = `Error: ${boxed.message}`;
  return boxed;
}

function nonErrorMessage(value: unknown): string {
  return `a non-Error value was thrown: ${String(value)}`;
}

function exceptionReason(error: unknown): TaskEndReason {
  if (error instanceof FetchFailedError) {
    return {
      kind: 'fetch-failed',
      shuffleId: error.shuffleId,
      mapPartition: error.mapPartition,
      message: error.message,
    };
  }
  if (error instanceof KindlingError) {
    return {
      kind: 'exception',
      name: error.name,
      message: error.message,
      stack: error.stack,
      code: error.code,
      userCode: false,
    };
  }
  const operation = typeof error === 'object' && error !== null ? operationOfError.get(error) : undefined;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : nonErrorMessage(error);
  return {
    kind: 'exception',
    name,
    message: operation === undefined ? `${name}: ${message}` : `${operation} threw ${name}: ${message}`,
    stack: error instanceof Error ? error.stack : undefined,
    code: undefined,
    userCode: true,
  };
}

/**
 * The columnar stage a task's output can be computed from without rows: the pipeline itself, or for the count of a
 * freshly cached columnar dataset (`ds.cache()` then `count()`, the usual way to load a table) the cached rows
 * counted in batches instead of decoded into a JS object per row.
 */
function columnarNodeOf(pipeline: PipelineNode, output: TaskDescriptor['output']): ColumnarNode | null {
  if (pipeline.kind === 'columnar') return pipeline;
  // A cached dataset's count, and its collected block (toArrow(), collect()): read as columns, so the block keeps
  // the cache's dictionary-coded strings coded (executor/columnar/batches/blocks.ts) instead of encoding every row again.
  const collected = output.kind === 'collect' || (output.kind === 'partition-action' && output.action.kind === 'count');
  if (isColumnarCache(pipeline) && collected) {
    return {
      kind: 'columnar',
      stage: { ops: [], sink: { kind: 'rows' } },
      input: pipeline,
      partition: pipeline.partition,
    };
  }
  return null;
}
