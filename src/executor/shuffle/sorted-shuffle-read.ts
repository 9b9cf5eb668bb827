/**
 * The reduce side of a `sortByKey` (and so of `sortBy`) that only sorts: the pairs of every map output are decoded
 * into one array per block column, the keys sorted as columns, and the pairs built in sorted order as they are
 * consumed. Decoding every pair first and sorting the pairs (as before) kept three arrays per pair alive through
 * the sort (a `[[-n, word], [word, n]]` of `sortBy`), which the worker's young generation copied and promoted:
 * on the word count's 724 k sorted counts that was most of the sort stage's garbage collection and of its heap.
 * Built one at a time, a pair is garbage as soon as the next operator has turned it into a line.
 *
 * Keys that are not all numbers or all strings (position by position), and blocks that are not pairs, take the
 * generic path: every record decoded, then `sortPairsByKey`. Either way the order is a stable `compareValues` sort
 * of the records in read order.
 */
import type { RecordShape } from '../../protocol/block.js';
import {
  keyColumnOf,
  mergedRowOrder,
  sortPairsByKey,
  sortedRowOrder,
  type KeyColumn,
} from '../../common/sort-pairs-by-key.js';
import { decodeBlockRows } from '../../storage/blocks/block-reader.js';
import type { BlockRows } from '../../storage/map-outputs/map-output-reader.js';
import { decodeColumnInto } from '../../storage/blocks/column-decoder.js';
import type { Pushable } from '../rdd/record-stream.js';
import { shuffleInputRows, type ShuffleReadNode } from './shuffle-input.js';
import { sortedRunRows } from './sorted-run-read.js';
import type { TaskContext } from '../task-context.js';

/** Which side of a pair block spans two columns: `pair` blocks none, `nested-pair` blocks one or both. */
interface PairLayout {
  readonly keyPair: boolean;
  readonly valuePair: boolean;
}

/**
 * The records of `node`'s reduce partition sorted by key (`ascending` or not), equal keys in read order.
 *
 * @example
 * for (const [key, value] of readSortedShuffle(node, context, true)) write(value);
 */
export function readSortedShuffle(node: ShuffleReadNode, context: TaskContext, ascending: boolean): Iterable<unknown> {
  const what = `shuffle ${node.shuffleId} input`;
  let layout: PairLayout | null = null;
  let columns: unknown[][] = [];
  let rows = 0;
  // Set once a block does not fit the columns read so far: from then on, records.
  let records: unknown[] | null = null;
  // A one-pass sort's map outputs are sorted runs, read by range (sorted-run-read.ts).
  const input: Iterable<BlockRows & { readonly mapPartition?: number }> =
    node.sortedRuns === undefined ? shuffleInputRows(node, what, context) : sortedRunRows(node, what, context);
  // Where each map output's rows start: with sorted runs, each is in key order and the sort merges them (other
  // reads carry no map partition and record nothing here).
  const runStarts: number[] = [];
  let lastMap = -1;
  for (const { block, start, end, mapPartition } of input) {
    if (mapPartition !== undefined && mapPartition !== lastMap) {
      runStarts.push(rows);
      lastMap = mapPartition;
    }
    const blockLayout = layoutOf(block.shape);
    if (records === null && rows === 0 && blockLayout !== null) {
      layout = blockLayout;
      columns = block.columns.map(() => []);
    }
    if (records === null && (blockLayout === null || !sameLayout(layout!, blockLayout))) {
      records = layout === null ? [] : pairsOf(layout, columns, rows);
    }
    if (records !== null) {
      for (const record of decodeBlockRows(block, start, end, what)) records.push(record);
      continue;
    }
    for (let c = 0; c < columns.length; c++) {
      decodeColumnInto(block.buffer, block.columns[c]!, start, end, columns[c]!, rows, what);
    }
    rows += end - start;
  }
  if (records !== null) return sortPairsByKey(records, ascending);
  if (layout === null) return [];
  const keys = layout.keyPair ? [columns[0]!, columns[1]!] : [columns[0]!];
  const keyColumns = keys.map(keyColumnOf);
  if (keyColumns.includes(null)) return sortPairsByKey(pairsOf(layout, columns, rows), ascending);
  const order =
    node.sortedRuns === undefined
      ? sortedRowOrder(keyColumns as KeyColumn[], rows, ascending)
      : mergedRowOrder(keyColumns as KeyColumn[], rows, ascending, runStarts);
  return pairsInOrder(layout, columns, order);
}

function layoutOf(shape: RecordShape): PairLayout | null {
  if (shape.kind === 'pair') return { keyPair: false, valuePair: false };
  if (shape.kind === 'nested-pair') return { keyPair: shape.keyPair, valuePair: shape.valuePair };
  return null;
}

function sameLayout(a: PairLayout, b: PairLayout): boolean {
  return a.keyPair === b.keyPair && a.valuePair === b.valuePair;
}

/** Builds row `i`'s pair from the columns, as `decodeBlock` builds it from a block of that layout. */
function pairMaker(layout: PairLayout, columns: readonly unknown[][]): (i: number) => unknown {
  const k0 = columns[0]!;
  const k1 = columns[1]!;
  const v0 = columns[layout.keyPair ? 2 : 1]!;
  const v1 = columns[layout.keyPair ? 3 : 2]!;
  const { keyPair, valuePair } = layout;
  return (i) => [keyPair ? [k0[i], k1[i]] : k0[i], valuePair ? [v0[i], v1[i]] : v0[i]];
}

/** Every row's pair, in read order. */
function pairsOf(layout: PairLayout, columns: readonly unknown[][], rows: number): unknown[] {
  const make = pairMaker(layout, columns);
  const pairs = new Array<unknown>(rows);
  for (let i = 0; i < rows; i++) pairs[i] = make(i);
  return pairs;
}

/** The pairs of rows `order[0]`, `order[1]` …, each built when it is consumed. */
function pairsInOrder(layout: PairLayout, columns: readonly unknown[][], order: Uint32Array): Pushable<unknown> {
  const make = pairMaker(layout, columns);
  return {
    pushInto(sink) {
      for (let i = 0; i < order.length; i++) sink(make(order[i]!));
    },
    *[Symbol.iterator]() {
      for (let i = 0; i < order.length; i++) yield make(order[i]!);
    },
  };
}
