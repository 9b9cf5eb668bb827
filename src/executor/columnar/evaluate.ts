/**
 * Runs a `columnar` pipeline node: reads its input as column batches (text splits straight into Utf8 columns,
 * blocks as zero-copy views, anything else through the block encoder), then applies the stage's operators batch
 * by batch. Operators that need the whole partition (`final-aggregate`, `sort`) hold it; the others stream.
 */
import type { ColumnarOp, ColumnarStage, SortKey } from '../../protocol/columnar.js';
import type { PipelineNode } from '../../protocol/pipeline.js';
import { HashAggregator } from './grouping/aggregate.js';
import type { Batch } from './batches/batch.js';
import { columnOf, gatherBatch, sliceBatch } from './batches/batch.js';
import { concatBatches } from './batches/concat-batches.js';
import { finalWordCounts, isOneKeyCount } from './word-count/final-word-count.js';
import { recordsToBatches } from './batches/blocks.js';
import { filter, select, withColumn } from './expressions/row-wise-operators.js';
import { ColumnarError } from './error.js';
import { hashJoin } from './joins/hash-join.js';
import type { JoinSpillTask } from './joins/spilling-hash-join.js';
import { coLocatedHashJoin } from './joins/co-located-join.js';
import { dedupe } from './grouping/dedupe.js';
import { setOperation } from './grouping/set-operation.js';
import { reshaper } from './reshape/reshape.js';
import { cacheColumnar, isColumnarCache } from './caching/cache.js';
import { windowGroupLimit, windowOp } from './windows/window.js';
import { onBytes, readBlockBatches, shuffleBatches } from './batches/block-batches.js';
import { readTextBatches } from './sources/text-source.js';
import { fileSourceBatches } from './sources/file-sources.js';
import { sourceColumns, TEXT_COLUMNS, withSchema } from './sources/schema-batch.js';
import { sortedRowOrder } from './kernels/sort-rows.js';
import type { TaskContext } from '../task-context.js';

/** A `columnar` pipeline node. */
export type ColumnarNode = Extract<PipelineNode, { kind: 'columnar' }>;

/**
 * The records of a non-columnar pipeline node (`evaluatePipeline`), passed in rather than imported: the record
 * evaluator dispatches columnar nodes here, and the layer check forbids the import cycle.
 */
export type RecordsOf = (node: PipelineNode, context: TaskContext) => Iterable<unknown>;

/**
 * The batches the node's operators produce (before its sink), lazily.
 *
 * @example
 * for (const batch of evaluateColumnar(node, context, evaluatePipeline)) aggregator.add(batch);
 */
export function evaluateColumnar(node: ColumnarNode, context: TaskContext, recordsOf: RecordsOf): Iterable<Batch> {
  const ops = node.stage.ops;
  const join = ops[0]?.kind === 'join' ? ops[0].join : null;
  let batches: Iterable<Batch>;
  if (join !== null) {
    // A join's stage reads two inputs: the two shuffles of a shuffled join, or a partition and a gathered side.
    const input = node.input;
    const [left, right] =
      input.kind === 'cogroup'
        ? [input.inputs[0]!, input.inputs[1]!]
        : input.kind === 'cartesian'
          ? [input.left, input.right]
          : [];
    if (left === undefined || right === undefined) {
      throw new ColumnarError('ERR_COLUMNAR_UNSUPPORTED', `join(): expected two inputs, found a ${input.kind} input`);
    }
    const sides = [
      inputBatches(left, context, recordsOf, true),
      inputBatches(right, context, recordsOf, true),
    ] as const;
    batches =
      join.strategy === 'co-located-hash'
        ? coLocatedHashJoin(join, node.partition ?? 0, ...sides)
        : hashJoin(join, ...sides, joinSpillTask(node.partition ?? 0, context));
  } else batches = inputBatches(node.input, context, recordsOf, false, node.stage);
  batches = counted(schemaKept(batches), context.operatorRowsOf(join === null ? 'scan' : 'join'));
  for (let i = join === null ? 0 : 1; i < ops.length; i++) {
    const op = ops[i]!;
    const next = ops[i + 1];
    // sort then limit: keep the top rows with a heap instead of sorting everything.
    if (op.kind === 'sort' && next?.kind === 'limit') batches = sortAll(batches, op.keys, next.n);
    else batches = applyOp(batches, op, context, node.partition ?? 0);
    batches = counted(schemaKept(batches), context.operatorRowsOf(op.kind));
  }
  return batches;
}

/** A shuffled join's spill figures, into the task's metrics: bytes as `spillBytes`, buckets as an operator's rows. */
function joinSpillTask(partition: number, context: TaskContext): JoinSpillTask {
  let buckets: { rows: number } | null = null;
  return {
    partition,
    onSpilled: (bytes) => (context.spillBytes += bytes),
    // Registered when the first bucket is joined, so only a join that spilled shows it (after the stage's operators).
    onBuckets: (count) => ((buckets ??= context.operatorRowsOf('join-spill-buckets')).rows += count),
  };
}

/**
 * The batches that have rows; when none has, the last batch of no rows that has columns. An empty input still
 * tells its columns this way: a join's answer keeps an empty side's columns (all null), and `toArrow()` of no rows
 * has its schema. Operators may yield batches of no rows; this is the one place that drops them.
 */
function* schemaKept(batches: Iterable<Batch>): Generator<Batch> {
  let empty: Batch | null = null;
  let yielded = false;
  for (const batch of batches) {
    if (batch.rows > 0) {
      yielded = true;
      yield batch;
    } else if (batch.names.length > 0) empty = batch;
  }
  if (!yielded && empty !== null) yield empty;
}

/** Adds the rows of each batch to an operator's count (`explainAnalyze` per operator): one addition per batch. */
function* counted(batches: Iterable<Batch>, count: { rows: number }): Generator<Batch> {
  for (const batch of batches) {
    count.rows += batch.rows;
    yield batch;
  }
}

/**
 * The input's batches; `keepEmpty` keeps blocks of no rows too (a join needs their columns). `stage` is the stage
 * reading them, when it reads a file source directly: a Parquet split then decodes only the columns it reads and
 * skips row groups its leading filters rule out.
 */
function inputBatches(
  input: PipelineNode,
  context: TaskContext,
  recordsOf: RecordsOf,
  keepEmpty = false,
  stage: ColumnarStage | null = null,
): Iterable<Batch> {
  if (input.kind === 'source') {
    const source = input.source;
    // A split that holds no record, or a source of no splits, still tells the columns its plan gives it.
    if (source.kind === 'text-split') {
      // A line of hundreds of MB is one row: its reads are the progress (`onBytes` beats).
      return withSchema(
        readTextBatches(context.textSplit(source.split), onBytes(context), source.lineBytesMax),
        TEXT_COLUMNS,
      );
    }
    if (source.kind === 'csv-split' || source.kind === 'jsonl-split' || source.kind === 'parquet-split') {
      return withSchema(
        fileSourceBatches(source, onBytes(context), context.countMalformed, stage),
        sourceColumns(source),
      );
    }
    if (source.kind === 'blocks') return readBlockBatches(source.blocks, 'cached or source partition', context);
    if (source.kind === 'empty') return withSchema([], sourceColumns(source));
  }
  if (input.kind === 'shuffle-read' && input.reduce.aggregation.kind === 'none' && input.reduce.sortByKey === null) {
    return shuffleBatches(input, context, keepEmpty);
  }
  if (input.kind === 'columnar' && input.stage.sink.kind === 'rows') return evaluateColumnar(input, context, recordsOf);
  // Several partitions read one after the other (a co-located join reads every cached block of a side).
  if (input.kind === 'concat') return concatInputs(input.inputs, context, recordsOf, keepEmpty);
  if (isColumnarCache(input)) {
    return [cacheColumnar(input, evaluateColumnar(input.input, context, recordsOf), context)];
  }
  return recordsToBatches(recordsOf(input, context), 'records of an RDD');
}

function* concatInputs(
  inputs: readonly PipelineNode[],
  context: TaskContext,
  recordsOf: RecordsOf,
  keepEmpty: boolean,
): Generator<Batch> {
  for (const input of inputs) yield* inputBatches(input, context, recordsOf, keepEmpty);
}

function applyOp(batches: Iterable<Batch>, op: ColumnarOp, context: TaskContext, partition: number): Iterable<Batch> {
  switch (op.kind) {
    case 'select':
      return mapBatches(batches, (batch) => select(batch, op.columns), context);
    case 'with-column':
      return mapBatches(batches, (batch) => withColumn(batch, op.column), context);
    case 'filter':
      return mapBatches(batches, (batch) => filter(batch, op.predicate), context);
    case 'final-aggregate':
      return finalAggregate(batches, op.keys, op.aggregates, context);
    case 'sort':
      return sortAll(batches, op.keys);
    case 'limit':
      return limit(batches, op.n);
    case 'dedupe':
      return dedupe(batches, op.keys);
    case 'set-operation':
      return setOperation(batches, op.how, op.side);
    case 'hint':
      return batches;
    case 'join':
      throw new ColumnarError('ERR_COLUMNAR_UNSUPPORTED', 'join(): a join must be the first operator of its stage');
    case 'window':
      return windowOp(batches, op);
    case 'window-group-limit':
      return windowGroupLimit(batches, op);
    case 'conform':
    case 'rename':
    case 'drop':
    case 'rename-all':
    case 'unpivot':
    case 'replace':
    case 'sample':
    case 'drop-nulls':
    case 'fill-nulls':
      return mapBatches(batches, reshaper(op, partition), context);
  }
}

function* mapBatches(batches: Iterable<Batch>, fn: (batch: Batch) => Batch, context: TaskContext): Generator<Batch> {
  for (const batch of batches) {
    const out = fn(batch);
    context.beat();
    yield out;
  }
}

function* finalAggregate(
  batches: Iterable<Batch>,
  keys: readonly string[],
  aggregates: ConstructorParameters<typeof HashAggregator>[1],
  context: TaskContext,
): Generator<Batch> {
  // The word count's reduce side: merged in the counter its map side counted in (`word-count/final-word-count.ts`).
  if (isOneKeyCount(keys, aggregates)) {
    yield* finalWordCounts(batches, keys, aggregates, context);
    return;
  }
  const aggregator = new HashAggregator(keys, aggregates, 'final');
  aggregator.addAll(batches);
  const { batch } = aggregator.result();
  // The result is a view of the table: it serves the next reduce task on this thread once the output is copied
  // (a fresh table per reduce task, grown by rehashing, is memory glibc's arenas keep after it is freed).
  context.releaseAfterOutput(() => aggregator.release());
  yield batch;
}

function* sortAll(batches: Iterable<Batch>, keys: readonly SortKey[], limit?: number): Generator<Batch> {
  const all = concatBatches([...batches]);
  if (all === null) return;
  if (all.rows === 0) {
    yield all;
    return;
  }
  const order = sortedRowOrder(
    keys.map((key) => ({ ...key, column: columnOf(all, key.name, 'orderBy()') })),
    all.rows,
    limit,
  );
  yield gatherBatch(all, order, order.length);
}

function* limit(batches: Iterable<Batch>, n: number): Generator<Batch> {
  let left = n;
  for (const batch of batches) {
    // limit(0) reads one batch, for its columns only.
    if (left <= 0) {
      yield sliceBatch(batch, 0);
      return;
    }
    if (batch.rows >= left) {
      yield sliceBatch(batch, left);
      return;
    }
    left -= batch.rows;
    yield batch;
  }
}
