/**
 * The fused word count's map side over a text split: `select(splitToRows(value))` feeding `groupBy(word)` with
 * counts, as one pass over the split's bytes (spans of whole lines, `sources/text-spans.ts`) into a byte-key counter,
 * then the counts hash-partitioned into the task's shuffle output. The counter and the arrays that order its entries by
 * reduce partition are this thread's (`word-counter-spare.ts`) and serve its next task: tasks of one stage see
 * similar key counts, and a fresh 4 MiB table per task is memory the allocator keeps (glibc's per-thread arenas)
 * long after it is dropped.
 */
import { partialColumns, type AggregateSpec } from '../../../protocol/columnar.js';
import type { SourceSpec } from '../../../protocol/pipeline.js';
import type { MapOutputRef } from '../../../protocol/map-output.js';
import { sliceBatch, type Batch, type Column } from '../batches/batch.js';
import { chunkOfBatch } from '../shuffle/shuffle-chunks.js';
import { countWhitespaceTokens } from '../kernels/count-tokens.js';
import { readTextSpans } from '../sources/text-spans.js';
import { orderArraysFor, returnWordCounter, takeWordCounter, type HeldCounter } from './word-counter-spare.js';
import { CHUNK_RECORDS_MAX, type ShuffleOutputSink } from '../../shuffle/shuffle-write.js';
import type { TaskContext } from '../../task-context.js';

/** A text split read by a stage. */
export type TextSplitSource = Extract<SourceSpec, { kind: 'text-split' }>;

/**
 * Counts the whitespace tokens of `source`'s lines by word into the task's shuffle output `sink` (over
 * `partitions` reduce partitions, by `partitionOfHash` of the word's hash) and finishes it. The columns are named
 * `keys[0]` and the partial columns of `aggregates` (each a count: every count column holds the same counts).
 * Reports the bytes read and the lines scanned (`explainAnalyze`'s `scan` rows) into `context`.
 *
 * @example
 * const output = writeSplitWordCounts(source, ['word'], [{ fn: 'count', column: null, name: 'count' }], sink, 8, context);
 */
export function writeSplitWordCounts(
  source: TextSplitSource,
  keys: readonly string[],
  aggregates: readonly AggregateSpec[],
  sink: ShuffleOutputSink,
  partitions: number,
  context: TaskContext,
): MapOutputRef {
  const held = takeWordCounter();
  try {
    const scan = context.operatorRowsOf('scan');
    const onBytes = (bytes: number): void => {
      context.bytesRead += bytes;
      context.beat();
    };
    const starts = new Int32Array(1);
    const ends = new Int32Array(1);
    let lines = 0;
    for (const span of readTextSpans(context.textSplit(source.split), onBytes, source.lineBytesMax)) {
      starts[0] = span.start;
      ends[0] = span.end;
      const lineEnds = countWhitespaceTokens({ type: 'utf8', bytes: span.bytes, starts, ends }, 1, held.counter);
      lines += lineEnds + span.extraLines;
    }
    scan.rows = lines;
    const { batch, partitionStarts } = orderedByPartition(held, keys, aggregates, partitions);
    acceptInChunks(batch, partitionStarts, sink);
    // The chunks are written from the counter's arena and the order arrays: only now may they serve another task.
    return sink.finish();
  } finally {
    returnWordCounter(held);
  }
}

/**
 * The counter's entries as a batch in reduce partition order (`ByteKeyCounter.writeByPartition`: slot order within
 * a partition), written straight from the counter's slots into the held order arrays (grown when too small), and
 * where each partition's rows start.
 */
function orderedByPartition(
  held: HeldCounter,
  keys: readonly string[],
  aggregates: readonly AggregateSpec[],
  n: number,
): { batch: Batch; partitionStarts: Int32Array } {
  const counter = held.counter;
  const rows = counter.size;
  const { starts, ends, counts } = orderArraysFor(held, rows);
  const partitionStarts = counter.writeByPartition(n, starts, ends, counts);
  const names = [...keys];
  const values = counts.subarray(0, rows);
  const columns: Column[] = [
    { type: 'utf8', bytes: counter.keyBytes, starts: starts.subarray(0, rows), ends: ends.subarray(0, rows) },
  ];
  aggregates.forEach((spec, i) => {
    for (const name of partialColumns(spec, i)) {
      names.push(name);
      columns.push({ type: 'i32', values });
    }
  });
  return { batch: { rows, names, columns }, partitionStarts };
}

/**
 * Hands `batch` (rows in partition order, partition p's from `partitionStarts[p]`) to `sink` in chunks of
 * consecutive partitions of about `CHUNK_RECORDS_MAX` rows, as `partitionRows` does; no rows is one empty chunk,
 * which carries the columns.
 */
function acceptInChunks(batch: Batch, partitionStarts: Int32Array, sink: ShuffleOutputSink): void {
  const n = partitionStarts.length - 1;
  if (batch.rows === 0) {
    sink.acceptChunk(chunkOfBatch(batch), 0, [0]);
    return;
  }
  const rowsOf = new Int32Array(n);
  for (let p = 0; p < n; p++) rowsOf[p] = partitionStarts[p + 1]! - partitionStarts[p]!;
  for (let first = 0; first < n;) {
    let last = first + 1;
    while (last < n && partitionStarts[last + 1]! - partitionStarts[first]! <= CHUNK_RECORDS_MAX) last++;
    const from = partitionStarts[first]!;
    const chunk = sliceBatch(batch, partitionStarts[last]! - from, from);
    sink.acceptChunk(chunkOfBatch(chunk), first, rowsOf.subarray(first, last));
    first = last;
  }
}
