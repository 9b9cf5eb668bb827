/**
 * What a task does with the batches of a columnar stage: the sinks that stay columnar end to end (a vectorized
 * hash shuffle of partial aggregates, a gather, a collected result block, a row count). Other outputs (an RDD
 * operation over `ds.toRDD()`, `saveAsTextFile` …) take the batches as records instead.
 */
import type { ColumnExpr } from '../../../protocol/columnar.js';
import type { TaskOutputSpec, TaskValue } from '../../../protocol/task.js';
import { HashAggregator, type AggregateResult } from '../grouping/aggregate.js';
import { sliceBatch, type Batch } from '../batches/batch.js';
import { concatBatches } from '../batches/concat-batches.js';
import { blockOfBatches } from '../batches/batch-to-block.js';
import { committedBlockOf } from '../grouping/held-result-block.js';
import { chunkOfBatch, chunkOfSources, sameColumns } from '../shuffle/shuffle-chunks.js';
import { dictionaryOf } from '../batches/dictionary-column.js';
import { evaluateColumnar, type ColumnarNode, type RecordsOf } from '../evaluate.js';
import { evaluateExpr, expectUtf8 } from '../expressions/expr.js';
import { rangePartitionOf, sampleSortKeys } from '../shuffle/range-partition.js';
import { writeSettled } from './settled-write.js';
import { writeSplitWordCounts, type TextSplitSource } from '../word-count/fused-word-count.js';
import { partitionOfHash } from '../kernels/hash-bytes.js';
import { widenedBatches } from '../joins/join-key-casts.js';
import { keyHashes } from '../shuffle/key-hashes.js';
import { CHUNK_RECORDS_MAX, ShuffleOutputSink, type TaskSpill } from '../../shuffle/shuffle-write.js';
import type { TaskContext } from '../../task-context.js';

const emptyBatch: Batch = { rows: 0, names: [], columns: [] };

/** Rows a partial aggregation adds between two looks at whether it should pass the rest through. */
const PROBE_ROWS = 1 << 16;

/**
 * The task value of a columnar stage for `output`, or null when the output wants records (the caller then reads
 * the node through `evaluatePipeline`, which turns batches into rows).
 *
 * @example
 * const value = runColumnarOutput(task.pipeline, task.output, context, evaluatePipeline) ?? runOutput(…);
 */
export function runColumnarOutput(
  node: ColumnarNode,
  output: TaskOutputSpec,
  context: TaskContext,
  recordsOf: RecordsOf,
  spill: TaskSpill | null = null,
): TaskValue | null {
  const value = columnarOutput(node, output, context, recordsOf, spill);
  // Every output below holds copies of the batches (a block, a map output, files, a value) once it is returned.
  if (value !== null) context.releaseScratch();
  return value;
}

function columnarOutput(
  node: ColumnarNode,
  output: TaskOutputSpec,
  context: TaskContext,
  recordsOf: RecordsOf,
  spill: TaskSpill | null,
): TaskValue | null {
  const sink = node.stage.sink;
  if (output.kind === 'shuffle-write' && sink.kind !== 'rows') {
    const n = output.partitioner.numPartitions;
    const blockSink = new ShuffleOutputSink(n, spill, context);
    try {
      if (sink.kind === 'partial-aggregate') {
        const aggregator = new HashAggregator(sink.keys, sink.aggregates, 'partial');
        const fused = aggregator.countsOneStringKey ? fusableSplit(node, sink.keys[0]!) : null;
        if (fused !== null) {
          // select(splitToRows(expr)) straight into a count: split, hash and count in one pass over the bytes.
          const split = textLinesSplit(fused.node, fused.strings);
          if (split !== null) {
            return {
              kind: 'shuffle',
              output: writeSplitWordCounts(split, sink.keys, sink.aggregates, blockSink, n, context),
            };
          } else {
            for (const batch of evaluateColumnar(fused.node, context, recordsOf)) {
              aggregator.addWhitespaceTokens(
                expectUtf8(evaluateExpr(fused.strings, batch), 'splitToRows()'),
                batch.rows,
              );
              context.beat();
            }
          }
        }
        const passed: AggregateResult[] = [];
        if (fused === null) {
          for (const batch of evaluateColumnar(node, context, recordsOf)) {
            // A range at a time (a cached partition is one batch), until grouping stops paying (groups ≈ rows):
            // the rest of the rows go to the shuffle one partial row each.
            let from = 0;
            if (batch.rows === 0) aggregator.add(batch); // no rows: only its column types (an empty result's)
            for (; from < batch.rows && !aggregator.passesThrough; from += PROBE_ROWS) {
              aggregator.add(batch, from, Math.min(batch.rows, from + PROBE_ROWS));
            }
            if (from < batch.rows) passed.push(aggregator.passThrough(sliceBatch(batch, batch.rows - from, from)));
            context.beat();
          }
        }
        partitionGroupedAndPassed(aggregator.result(), passed, n, blockSink);
        // Chunks are written from `batch` when the output is filled: fill it before the table behind `batch` may
        // serve this thread's next task.
        const output = blockSink.finish();
        aggregator.release();
        return { kind: 'shuffle', output };
      } else if (sink.kind === 'hash-partition') {
        // A join's keys widened first, so equal values of different number types hash to the same partition.
        const batches = widenedBatches(evaluateColumnar(node, context, recordsOf), sink.keys, sink.keyTypes);
        const all = concatBatches([...batches]) ?? emptyBatch;
        // A set operation's rows hash by every column but their side, so both sides' equal rows meet.
        const excluded = sink.excluded ?? [];
        const keys = excluded.length === 0 ? sink.keys : all.names.filter((name) => !excluded.includes(name));
        partitionByHash([all], [keyHashes(all, keys)], n, blockSink);
      } else if (sink.kind === 'range-partition') {
        const all = concatBatches([...evaluateColumnar(node, context, recordsOf)]) ?? emptyBatch;
        const bounds = output.partitioner.kind === 'range' ? output.partitioner.bounds : [];
        partitionRows(all, rangePartitionOf(all, sink.keys, bounds), n, blockSink);
      } else {
        const all = concatBatches([...evaluateColumnar(node, context, recordsOf)]) ?? emptyBatch;
        blockSink.acceptChunk(chunkOfBatch(all), 0, [all.rows]);
      }
      return { kind: 'shuffle', output: blockSink.finish() };
    } catch (error: unknown) {
      blockSink.abandon();
      throw error;
    }
  }
  if (output.kind === 'partition-action' && output.action.kind === 'sample-keys' && sink.kind === 'range-partition') {
    const batches = evaluateColumnar(node, context, recordsOf);
    const { perPartition, seed } = output.action;
    return { kind: 'value', value: sampleSortKeys(batches, sink.keys, perPartition, seed, node.partition ?? 0) };
  }
  if (sink.kind !== 'rows') return null;
  if (output.kind === 'collect') {
    const batches = [...evaluateColumnar(node, context, recordsOf)];
    // An answer already written as its block (`grouping/held-result-block.ts`) is collected as it is, not copied.
    const block = (batches.length === 1 ? committedBlockOf(batches[0]!) : undefined) ?? blockOfBatches(batches);
    context.recordsWritten = block.rows;
    context.bytesWritten = block.byteLength;
    return { kind: 'block', block };
  }
  if (output.kind === 'save-columnar') {
    const written = writeSettled(output, evaluateColumnar(node, context, recordsOf), node.partition ?? 0);
    context.recordsWritten = written.rows;
    context.bytesWritten = written.bytes;
    return { kind: 'file', path: output.attemptPath, rows: written.rows, schema: written.schema };
  }
  if (output.kind === 'partition-action' && output.action.kind === 'count') {
    let rows = 0;
    for (const batch of evaluateColumnar(node, context, recordsOf)) rows += batch.rows;
    context.recordsWritten = rows;
    return { kind: 'value', value: rows };
  }
  return null;
}

/**
 * When the stage ends in `select(splitToRows(strings).as(key))` (whitespace, no other column) feeding a count by
 * `key`: the stage without that select, and the strings expression. Null otherwise.
 */
function fusableSplit(node: ColumnarNode, key: string): { node: ColumnarNode; strings: ColumnExpr } | null {
  const ops = node.stage.ops;
  const last = ops[ops.length - 1];
  if (last?.kind !== 'select' || last.columns.length !== 1) return null;
  const only = last.columns[0]!;
  if (only.name !== key || only.expr.kind !== 'split-to-rows' || only.expr.separator !== null) return null;
  return { node: { ...node, stage: { ops: ops.slice(0, -1), sink: { kind: 'rows' } } }, strings: only.expr.arg };
}

/**
 * The text split whose lines `strings` is, when it is the `value` column of a text split read straight into the
 * stage (no operator between); null otherwise.
 */
function textLinesSplit(node: ColumnarNode, strings: ColumnExpr): TextSplitSource | null {
  const input = node.input;
  if (node.stage.ops.length !== 0 || strings.kind !== 'col' || strings.name !== 'value') return null;
  return input.kind === 'source' && input.source.kind === 'text-split' ? input.source : null;
}

/**
 * The table's groups and the rows passed through after it, partitioned by their key hashes: chunks gather their rows
 * from each part (no concatenated copy of the parts; dictionary-read keys of the passed rows stay coded), unless
 * the parts' columns differ in type (then they are concatenated, which widens numbers). A map side that met no
 * columns at all writes no chunk: a reduce partition without rows then takes its columns, and so its answer's key
 * types, from a map output that knows them (`shuffleBatches`), not from one that does not.
 */
function partitionGroupedAndPassed(
  grouped: AggregateResult,
  passed: readonly AggregateResult[],
  n: number,
  sink: ShuffleOutputSink,
): void {
  if (passed.length === 0) {
    if (grouped.batch.names.length > 0) partitionByHash([grouped.batch], [grouped.hashes], n, sink);
    return;
  }
  const all = [grouped, ...passed];
  const batches = all.map((part) => part.batch);
  const hashes = all.map((part) => part.hashes);
  if (sameColumns(batches)) {
    partitionByHash(batches, hashes, n, sink);
    return;
  }
  const joined = new Int32Array(batches.reduce((rows, batch) => rows + batch.rows, 0));
  let at = 0;
  for (const part of all) {
    joined.set(part.hashes.subarray(0, part.batch.rows), at);
    at += part.batch.rows;
  }
  partitionByHash([concatBatches(batches)!], [joined], n, sink);
}

/**
 * The rows of `batches` (back to back, of one schema: `sameColumns`) partitioned by their key hashes (`hashes[b][i]`
 * for row i of batch b), as `emitChunks` hands them out. Each row's partition is computed twice (a count, then a
 * place) and written nowhere: q10's map side passes ten million rows through here, and the arrays of partitions, of
 * rows in partition order and of their batches that the plain counting sort takes cost more (fresh pages, a pass
 * each) than the second multiply.
 */
function partitionByHash(batches: readonly Batch[], hashes: readonly Int32Array[], n: number, sink: ShuffleOutputSink) {
  const counts = new Int32Array(n);
  for (let b = 0; b < batches.length; b++) {
    const partHashes = hashes[b]!;
    const rows = batches[b]!.rows;
    for (let i = 0; i < rows; i++) {
      const p = partitionOfHash(partHashes[i]!, n);
      counts[p] = counts[p]! + 1;
    }
  }
  const starts = startsOf(counts);
  const filled = starts.slice(0, n);
  const order = new Int32Array(starts[n]!);
  const from = batches.length === 1 ? null : new Uint8Array(order.length);
  for (let b = 0; b < batches.length; b++) {
    const partHashes = hashes[b]!;
    const rows = batches[b]!.rows;
    for (let i = 0; i < rows; i++) {
      const p = partitionOfHash(partHashes[i]!, n);
      const at = filled[p]!;
      order[at] = i;
      if (from !== null) from[at] = b;
      filled[p] = at + 1;
    }
  }
  emitChunks(batches, from, order, starts, counts, sink);
}

/** The rows of `batch` in reduce partition order (`partitionOf` names each row's partition), as `emitChunks` hands them out. */
function partitionRows(batch: Batch, partitionOf: Int32Array, n: number, sink: ShuffleOutputSink): void {
  const total = partitionOf.length;
  const counts = new Int32Array(n);
  for (let i = 0; i < total; i++) counts[partitionOf[i]!] = counts[partitionOf[i]!]! + 1;
  const starts = startsOf(counts);
  const order = new Int32Array(total);
  const filled = starts.slice(0, n);
  for (let i = 0; i < total; i++) {
    const p = partitionOf[i]!;
    order[filled[p]!] = i;
    filled[p] = filled[p]! + 1;
  }
  emitChunks([batch], null, order, starts, counts, sink);
}

/** Where each partition's rows start in partition order, given the rows of each (`counts.length + 1` entries). */
function startsOf(counts: Int32Array): Int32Array {
  const starts = new Int32Array(counts.length + 1);
  for (let p = 0; p < counts.length; p++) starts[p + 1] = starts[p]! + counts[p]!;
  return starts;
}

/**
 * Row `rows[i]` of `batches[from[i]]` (of `batches[0]` when `from` is null) for each i, in reduce partition order
 * (partition p is `starts[p] … starts[p + 1] - 1`, input order within one), handed to `sink` (which writes them
 * from the batches when it finishes) in chunks of consecutive partitions of about `CHUNK_RECORDS_MAX` rows, or of
 * one partition each when a string column is dictionary-read (a chunk's dictionary is then its partition's strings
 * only); an output of no rows is one empty chunk, which carries the columns.
 */
function emitChunks(
  batches: readonly Batch[],
  from: Uint8Array | null,
  rows: Int32Array,
  starts: Int32Array,
  counts: Int32Array,
  sink: ShuffleOutputSink,
): void {
  const n = counts.length;
  const chunk = (first: number, last: number) =>
    chunkOfSources(batches, from?.subarray(first, last) ?? null, rows.subarray(first, last));
  if (rows.length === 0) {
    sink.acceptChunk(chunk(0, 0), 0, [0]);
    return;
  }
  const perPartition = batches.some((batch) => batch.columns.some((column) => dictionaryOf(column) !== undefined));
  for (let first = 0; first < n;) {
    let last = first + 1;
    if (perPartition) {
      // Up to the first partition with rows, and the empty ones after it.
      while (last < n && starts[last] === starts[first]) last++;
      while (last < n && starts[last + 1] === starts[last]) last++;
    } else {
      while (last < n && starts[last + 1]! - starts[first]! <= CHUNK_RECORDS_MAX) last++;
    }
    sink.acceptChunk(chunk(starts[first]!, starts[last]!), first, counts.subarray(first, last));
    first = last;
  }
}
