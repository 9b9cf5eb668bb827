/**
 * The reduce side's reading of a one-pass sort's map outputs (`sorted-run-write.ts`): each map output is one run of
 * records sorted by key, cut into segments of about equal row counts, and this reduce partition's rows are the
 * run's rows whose key the range partitioner sends here: one contiguous range, since the partition of a key only
 * grows along a sorted run. The segments' first keys say which segments can hold it; only those are read (each
 * checked against its checksum, as any shuffle segment), and the first and last are cut to the range by binary
 * search on their keys.
 */
import type { MapOutputRef, SortedRunFacts } from '../../protocol/map-output.js';
import { assert } from '../../common/assert.js';
import { BlockCorruptError } from '../../storage/blocks/block-corrupt-error.js';
import { decodeBlockRows } from '../../storage/blocks/block-reader.js';
import { readMapOutputRows, type BlockRows } from '../../storage/map-outputs/map-output-reader.js';
import { FetchFailedError } from '../faults/fault-fetch-failed.js';
import { partitionFunction } from './partition-function.js';
import { heldShuffleTable, type ShuffleReadNode } from './shuffle-input.js';
import type { TaskContext } from '../task-context.js';

/**
 * The rows of `node`'s reduce partition in each map output, in map-partition order (as `shuffleInputRows` yields a
 * partition's rows), each with the map partition it came from: the rows of one map output are in key order. A
 * corrupt or missing segment throws `FetchFailedError` naming its map partition.
 *
 * @example
 * for (const rows of sortedRunRows(node, 'shuffle 2 input', context)) consume(rows);
 */
export function* sortedRunRows(
  node: ShuffleReadNode,
  what: string,
  context: TaskContext,
): Generator<BlockRows & { readonly mapPartition: number }> {
  const runs = node.sortedRuns;
  assert(runs !== undefined, `shuffle ${node.shuffleId} is read as sorted runs`);
  const { bounds, ascending } = runs;
  const partitionOf = partitionFunction({ kind: 'range', numPartitions: bounds.length + 1, bounds, ascending });
  const reduce = node.reducePartition;
  const outputs = heldShuffleTable(node).outputs;
  for (let m = 0; m < outputs.length; m++) {
    const output = outputs[m]!;
    const facts = factsOf(output, node.shuffleId, m);
    const where = (): string => `${what}, map partition ${m}, reduce partition ${reduce} (a sorted run)`;
    const [first, last] = segmentsHolding(facts, partitionOf, reduce);
    for (let s = first; s <= last; s++) {
      let rows: BlockRows | null;
      try {
        rows = readMapOutputRows(output, s, false, where);
      } catch (error: unknown) {
        if (!(error instanceof BlockCorruptError)) throw error;
        throw new FetchFailedError(node.shuffleId, m, error.message, { cause: error });
      }
      if (rows === null) continue;
      context.bytesRead += rows.bytes;
      context.shuffleReadBytes += rows.bytes;
      context.beat();
      // A segment whose first key and whose successor's first key both fall here lies wholly in this range.
      const whole =
        s < facts.firstKeys.length - 1 &&
        partitionOf(facts.firstKeys[s]) === reduce &&
        partitionOf(facts.firstKeys[s + 1]) === reduce;
      const start = whole ? rows.start : firstRowAtLeast(rows, reduce, partitionOf, what);
      const end = whole ? rows.end : firstRowAtLeast(rows, reduce + 1, partitionOf, what);
      if (end > start) yield { ...rows, start, end, mapPartition: m };
    }
  }
}

function factsOf(output: MapOutputRef, shuffleId: number, m: number): SortedRunFacts {
  if (output.sortedRun !== undefined) return output.sortedRun;
  throw new FetchFailedError(shuffleId, m, `expected map output ${m} of shuffle ${shuffleId} to be a sorted run`);
}

/**
 * The segments `[first, last]` of a run that can hold rows of `reduce` (last < first when none can): from the
 * last segment whose first key goes to a partition before or at `reduce`, to the last whose first key does.
 */
function segmentsHolding(
  facts: SortedRunFacts,
  partitionOf: (key: unknown) => number,
  reduce: number,
): [number, number] {
  const keys = facts.firstKeys;
  // The first segment whose first key goes past `reduce`, and the first whose first key goes to `reduce` or past.
  const past = lowerBound(keys.length, (s) => partitionOf(keys[s]) > reduce);
  const atOrPast = lowerBound(keys.length, (s) => partitionOf(keys[s]) >= reduce);
  // The segment before `atOrPast` may end with rows of `reduce`; those from `atOrPast` to `past` - 1 start in it.
  return [Math.max(0, atOrPast - 1), past - 1];
}

/** The first row of `rows` whose key goes to partition `partition` or later (rows.end when none does). */
function firstRowAtLeast(
  rows: BlockRows,
  partition: number,
  partitionOf: (key: unknown) => number,
  what: string,
): number {
  const keyAt = (row: number): unknown => (decodeBlockRows(rows.block, row, row + 1, what)[0] as [unknown])[0];
  return rows.start + lowerBound(rows.end - rows.start, (i) => partitionOf(keyAt(rows.start + i)) >= partition);
}

/** The first i in [0, n) for which `isAtOrPast(i)` holds (n when none does); `isAtOrPast` is monotone. */
function lowerBound(n: number, isAtOrPast: (i: number) => boolean): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isAtOrPast(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}
