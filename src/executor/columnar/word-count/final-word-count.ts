/**
 * The reduce side of a count by one string key (the word count's `groupBy(word).agg(count())`): partial counts
 * merged in this thread's word counter (`word-counter-spare.ts`), the same table the map side counted in, so a
 * thread holds one grown table through both stages instead of that plus a general aggregation table with its
 * float64 states and result copies. The result is a view of the counter (keys in its arena, counts in its order
 * arrays), handed back once the task's output holds a copy. A batch whose rows are all counted gives its block's
 * buffer back to the shuffle reader (`storage/map-outputs/lent-block-buffer.ts`). Anything the counter cannot hold
 * exactly (a null key, a key column that is not plain UTF-8, a count past 2^31 - 1) hands the rest of the task to
 * `HashAggregator`, with the counts so far as one partial batch.
 */
import { partialColumns, type AggregateSpec } from '../../../protocol/columnar.js';
import { HashAggregator } from '../grouping/aggregate.js';
import { sliceBatch, type Batch } from '../batches/batch.js';
import { releaseBlockBuffer } from '../../../storage/map-outputs/lent-block-buffer.js';
import { orderArraysFor, returnWordCounter, takeWordCounter, type HeldCounter } from './word-counter-spare.js';
import type { TaskContext } from '../../task-context.js';

/**
 * True when the final aggregation by `keys` of `aggregates` is one count by one key: `finalWordCounts` can run it
 * (the key's type is only seen in the batches, which fall back when it is not a string).
 */
export function isOneKeyCount(keys: readonly string[], aggregates: readonly AggregateSpec[]): boolean {
  return keys.length === 1 && aggregates.length === 1 && aggregates[0]!.fn === 'count';
}

/**
 * The final counts of partial count rows (`keys[0]`, the partial count column of `aggregates[0]`) by key, as at
 * most one batch: `keys[0]` and `aggregates[0].name` (int32 counts), rows in no particular order. Same rows as
 * `HashAggregator(keys, aggregates, 'final')`. Only for `isOneKeyCount`.
 *
 * @example
 * for (const batch of finalWordCounts(partials, ['word'], [{ fn: 'count', column: null, name: 'count' }], context)) …
 */
export function* finalWordCounts(
  batches: Iterable<Batch>,
  keys: readonly string[],
  aggregates: readonly AggregateSpec[],
  context: TaskContext,
): Generator<Batch> {
  const key = keys[0]!;
  const spec = aggregates[0]!;
  const partial = partialColumns(spec, 0)[0]!;
  const held = takeWordCounter();
  let fallback: HashAggregator | null = null;
  let lent = false;
  let empty: Batch | null = null;
  try {
    for (const batch of batches) {
      if (batch.rows === 0) empty ??= batch; // the input's column types, when no row comes
      if (fallback !== null) {
        fallback.add(batch);
        continue;
      }
      const added = addPartialCounts(held, batch, key, partial);
      if (added === batch.rows) continue;
      fallback = new HashAggregator(keys, aggregates, 'final');
      if (held.counter.size > 0) fallback.add(countsBatch(held, key, partial));
      fallback.add(sliceBatch(batch, batch.rows - added, added));
    }
    if (fallback === null && held.counter.size === 0 && empty !== null) {
      // No rows: the general aggregation types the empty result as the input (a number key stays a number).
      fallback = new HashAggregator(keys, aggregates, 'final');
      fallback.add(empty);
    }
    if (fallback !== null) {
      const aggregator = fallback;
      const { batch } = aggregator.result();
      context.releaseAfterOutput(() => aggregator.release());
      yield batch;
      return;
    }
    const result = countsBatch(held, key, spec.name);
    // The result is a view of the counter: it serves the next task on this thread once the output is copied.
    lent = true;
    context.releaseAfterOutput(() => returnWordCounter(held));
    if (result.rows > 0) yield result; // no batch came at all: nothing to type
  } finally {
    if (!lent) returnWordCounter(held);
  }
}

/**
 * Adds the batch's partial counts to the counter, row by row, and returns the rows added: all of them, or fewer
 * where a row cannot be counted exactly (0 when the columns are not a plain UTF-8 key and int32 counts).
 */
function addPartialCounts(held: HeldCounter, batch: Batch, key: string, partial: string): number {
  const keyColumn = batch.columns[batch.names.indexOf(key)];
  const countColumn = batch.columns[batch.names.indexOf(partial)];
  if (keyColumn?.type !== 'utf8' || keyColumn.valid !== undefined) return 0;
  if (countColumn?.type !== 'i32' || countColumn.valid !== undefined) return 0;
  const { bytes, starts, ends } = keyColumn;
  const added = held.counter.addCounts(bytes, starts, ends, countColumn.values, 0, batch.rows);
  if (added < batch.rows) return added;
  // Every row is in the counter: a block read from a spilled map output serves the next read (a no-op for any other
  // buffer or a slice of a block; the batch's views are empty from here on). Not on a fallback: `HashAggregator`
  // may keep views.
  releaseBlockBuffer(bytes.buffer, batch.rows);
  return batch.rows;
}

/** The counter's keys and counts as a batch of columns `key` and `count` (views of the counter). */
function countsBatch(held: HeldCounter, key: string, count: string): Batch {
  const rows = held.counter.size;
  const { starts, ends, counts } = orderArraysFor(held, rows);
  held.counter.writeByPartition(1, starts, ends, counts);
  return {
    rows,
    names: [key, count],
    columns: [
      { type: 'utf8', bytes: held.counter.keyBytes, starts: starts.subarray(0, rows), ends: ends.subarray(0, rows) },
      { type: 'i32', values: counts.subarray(0, rows) },
    ],
  };
}
