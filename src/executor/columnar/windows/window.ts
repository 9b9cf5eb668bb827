/**
 * The `window` operator: sorts the task's rows by (partitionBy, orderBy) once, finds the window partitions and the
 * peer groups (rows equal on every order key) in that order, then computes each function column in one pass of
 * typed-array loops. The task holds whole window partitions: a hash shuffle by the partition keys ran before it.
 */
import type { WindowFunction, WindowGroupLimitOp, WindowOp } from '../../../protocol/columnar-window.js';
import type { SortKey } from '../../../protocol/columnar.js';
import { columnOf, gatherBatch, gatherColumnOrNull, type Batch, type Column } from '../batches/batch.js';
import { chooseRows } from '../expressions/choose-rows.js';
import { concatBatches } from '../batches/concat-batches.js';
import { evaluateExpr } from '../expressions/expr.js';
import { equalBytes } from '../kernels/utf8-strings.js';
import { denseIntGroups } from '../kernels/dense-int-groups.js';
import { NumberKeyTable, rangeOf } from '../kernels/number-key-table.js';
import { sortComparator, sortedRowOrder } from '../kernels/sort-rows.js';
import {
  topRowsPerGroup,
  topRowsPerGroupByNumber,
  topRowsPerGroupOfParts,
  type TopRowsOfParts,
  type TopRowsPart,
} from '../kernels/top-rows-per-group.js';
import { runningAggregate } from './window-aggregate.js';
import { framedAggregate } from './window-frame.js';

/**
 * The rows of `batches` in window order, with `op`'s columns added.
 *
 * @example
 * for (const batch of windowOp(batches, op)) yield batch;
 */
export function* windowOp(batches: Iterable<Batch>, op: WindowOp): Generator<Batch> {
  const all = wholeInput([...batches]);
  // No rows still computes the (empty) function columns: an empty input keeps its columns and their types.
  if (all === null) return;
  const { partitionBy, orderBy } = op.window;
  const sorted = gatherBatch(all, windowOrder(all, op.window), all.rows);
  const frames = windowFrames(sorted, partitionBy, orderBy);
  const names = [...sorted.names];
  const columns = [...sorted.columns];
  for (const { name, fn } of op.columns) {
    const column = evaluate(fn, sorted, frames);
    const at = names.indexOf(name);
    if (at >= 0) columns[at] = column;
    else {
      names.push(name);
      columns.push(column);
    }
  }
  yield { rows: sorted.rows, names, columns };
}

/**
 * The rows of `batches` whose ranking function `op.fn` over the task's own rows is at most `op.limit` (the map
 * side of a filtered ranking window, see `WindowGroupLimitOp`): only the window's key columns are sorted to rank
 * them, and only the rows kept are gathered. Top row numbers of one batch found without a sort (`topRowNumbers`)
 * come out in input order, others in window order: the window operator after it sorts its rows anyway (stably, so tied rows
 * keep their input order, which both orders preserve within a window partition).
 *
 * @example
 * for (const batch of windowGroupLimit(batches, { kind: 'window-group-limit', window, fn: 'row-number', limit: 2 })) …
 */
export function* windowGroupLimit(batches: Iterable<Batch>, op: WindowGroupLimitOp): Generator<Batch> {
  const all = [...batches];
  const parts = all.filter((batch) => batch.rows > 0);
  const ofParts = parts.length > 1 ? topRowNumbersOfParts(parts, op) : null;
  if (ofParts !== null) {
    // Each part's kept rows gathered from it: the parts are never concatenated whole (q8's map task). They come out
    // in window order, so the window after this (q8's reduce side) finds them sorted.
    const { kept, order } = ofParts;
    const joined = concatBatches(parts.map((part, p) => gatherBatch(part, kept[p]!, kept[p]!.length)))!;
    yield gatherBatch(joined, order, order.length);
    return;
  }
  const whole = wholeInput(all);
  if (whole === null) return;
  if (whole.rows === 0) {
    yield whole; // the columns of an empty input
    return;
  }
  const top = topRowNumbers(whole, op);
  if (top !== null) {
    yield gatherBatch(whole, top, top.length);
    return;
  }
  const { partitionBy, orderBy } = op.window;
  const order = windowOrder(whole, op.window);
  const names = [...new Set([...partitionBy, ...orderBy.map((key) => key.name)])];
  const keys: Batch = { rows: whole.rows, names, columns: names.map((name) => columnOf(whole, name, 'over()')) };
  const sortedKeys = gatherBatch(keys, order, whole.rows);
  const ranks = (
    evaluate({ kind: op.fn }, sortedKeys, windowFrames(sortedKeys, partitionBy, orderBy)) as { values: Int32Array }
  ).values;
  const kept = new Int32Array(whole.rows);
  let count = 0;
  for (let row = 0; row < whole.rows; row++) if (ranks[row]! <= op.limit) kept[count++] = order[row]!;
  yield gatherBatch(whole, kept, count);
}

/**
 * The rows of `batches` as one batch: only the batches with rows are concatenated (an empty one adds nothing but a
 * copy of the others, and an empty map output of rows typed per partition has no columns at all); without rows, the
 * first empty batch that has columns (an empty input keeps its columns and their types); null for no batch.
 */
function wholeInput(batches: readonly Batch[]): Batch | null {
  const parts = batches.filter((batch) => batch.rows > 0);
  if (parts.length > 0) return concatBatches(parts);
  return batches.find((batch) => batch.names.length > 0) ?? batches[0] ?? null;
}

/** Row-number limits up to this are found per group in one pass (`topRowsPerGroup`); larger ones are sorted. */
const TOP_ROWS_LIMIT_MAX = 64;

/**
 * Ascending indices of the rows of `batch` whose `rowNumber()` in `op`'s window is at most `op.limit`, found by
 * hashing the partition key instead of sorting: for no partition key or one number key (else null: sorted).
 */
function topRowNumbers(batch: Batch, op: WindowGroupLimitOp): Int32Array | null {
  const { partitionBy, orderBy } = op.window;
  const limit = Math.max(0, Math.floor(op.limit));
  if (op.fn !== 'row-number' || !(limit <= TOP_ROWS_LIMIT_MAX) || partitionBy.length > 1) return null;
  const rows = batch.rows;
  const key = partitionBy.length === 1 ? columnOf(batch, partitionBy[0]!, 'over()') : null;
  if (key !== null && key.type !== 'i32' && key.type !== 'f64') return null;
  const only = orderBy.length === 1 ? columnOf(batch, orderBy[0]!.name, 'over()') : null;
  if (only !== null && (only.type === 'f64' || only.type === 'i32')) {
    const { ascending, nullsFirst } = orderBy[0]!;
    // Nulls first for ascending keys and last for descending ones unless told (`sortComparator`'s default).
    const nullsAt = nullsFirst ?? ascending;
    const dense = key !== null && key.valid === undefined ? denseInt32Keys(key.values, rows) : null;
    if (dense !== null) {
      // The key column itself numbers the groups (less its lowest key): no per-row group array (q8's map side).
      const { keys, lowest, groups } = dense;
      return topRowsPerGroupByNumber(keys, groups, rows, limit, only, ascending, nullsAt, lowest);
    }
    const { groupOf, groups } = numberedGroups(key, rows);
    return topRowsPerGroupByNumber(groupOf, groups, rows, limit, only, ascending, nullsAt);
  }
  const { groupOf, groups } = numberedGroups(key, rows);
  const compare = sortComparator(orderBy.map((k) => ({ ...k, column: columnOf(batch, k.name, 'over()') })));
  return topRowsPerGroup(groupOf, groups, rows, limit, compare);
}

/**
 * `topRowNumbers` of several batches read as one, per batch its rows kept, without concatenating them: for one int32
 * partition key without nulls over a dense range (over all the batches) and one number order key (q8's map side,
 * several cached partitions per task); else null (they are concatenated and ranked as one).
 */
function topRowNumbersOfParts(parts: readonly Batch[], op: WindowGroupLimitOp): TopRowsOfParts | null {
  const { partitionBy, orderBy } = op.window;
  const limit = Math.max(0, Math.floor(op.limit));
  if (op.fn !== 'row-number' || !(limit <= TOP_ROWS_LIMIT_MAX) || partitionBy.length !== 1 || orderBy.length !== 1) {
    return null;
  }
  let lowest = Infinity;
  let highest = -Infinity;
  let total = 0;
  const inputs: TopRowsPart[] = [];
  for (const part of parts) {
    const key = columnOf(part, partitionBy[0]!, 'over()');
    const column = columnOf(part, orderBy[0]!.name, 'over()');
    if (key.type !== 'i32' || key.valid !== undefined || !(key.values instanceof Int32Array)) return null;
    if (column.type !== 'f64' && column.type !== 'i32') return null;
    if (!rangeOf(key.values, 0, part.rows, lowHigh)) return null;
    lowest = Math.min(lowest, lowHigh[0]!);
    highest = Math.max(highest, lowHigh[1]!);
    total += part.rows;
    inputs.push({ groupOf: key.values, rows: part.rows, column });
  }
  const groups = highest - lowest + 1;
  if (groups > Math.max(DENSE_SPAN_ALWAYS, total)) return null;
  return topRowsPerGroupOfParts(inputs, groups, limit, orderBy[0]!.ascending, lowest);
}

/** Each row's group: one group without a key, else `numberGroups`'. */
function numberedGroups(
  key: Extract<Column, { type: 'f64' | 'i32' }> | null,
  rows: number,
): { groupOf: Int32Array; groups: number } {
  const groupOf = new Int32Array(rows);
  const groups = key === null ? 1 : numberGroups(key.values, key.valid, rows, groupOf);
  return { groupOf, groups };
}

/**
 * A span this wide always qualifies as dense (the top rows' per-group state, 12 bytes a place); wider ones must
 * not span more keys than there are rows, so the per-group arrays never outgrow the per-row ones.
 */
const DENSE_SPAN_ALWAYS = 1 << 16;

/** Scratch for `rangeOf`. */
const lowHigh = new Int32Array(2);

/** An int32 key column over a range dense enough to index by, with its lowest key and span; else null. */
function denseInt32Keys(
  values: Int32Array | Float64Array,
  rows: number,
): { keys: Int32Array; lowest: number; groups: number } | null {
  // Float64 keys (a reduce task's copies) would make the top-rows loops polymorphic: they take `numberGroups`.
  if (!(values instanceof Int32Array) || rows === 0 || !rangeOf(values, 0, rows, lowHigh)) return null;
  const groups = lowHigh[1]! - lowHigh[0]! + 1;
  return groups > Math.max(DENSE_SPAN_ALWAYS, rows) ? null : { keys: values, lowest: lowHigh[0]!, groups };
}

/** Writes each row's group (its number key's; nulls one group, NaN one, -0 with 0) to `groupOf`; returns the count. */
function numberGroups(
  values: Int32Array | Float64Array,
  valid: Uint8Array | undefined,
  rows: number,
  groupOf: Int32Array,
): number {
  // Keys over a small int range need no table: a row's group is its key less the lowest (top rows per group do
  // not need groups numbered by first appearance).
  const dense = valid === undefined ? denseIntGroups(values, rows, groupOf) : -1;
  if (dense >= 0) return dense;
  const table = new NumberKeyTable();
  if (valid === undefined && values instanceof Int32Array) table.assignInt32(values, 0, rows, groupOf);
  else {
    let nullGroup = -1;
    for (let row = 0; row < rows; row++) {
      if (valid !== undefined && valid[row] === 0) {
        if (nullGroup < 0) nullGroup = table.reserveGroup();
        groupOf[row] = nullGroup;
      } else groupOf[row] = table.findOrInsert(values[row]!);
    }
  }
  return table.size;
}

/** The row order of `batch` by the window's partition keys, then its order keys (stable: ties keep input order). */
function windowOrder(batch: Batch, window: WindowOp['window']): Int32Array {
  const partitionKeys: SortKey[] = window.partitionBy.map((name) => ({ name, ascending: true }));
  return sortedRowOrder(
    [...partitionKeys, ...window.orderBy].map((key) => ({ ...key, column: columnOf(batch, key.name, 'over()') })),
    batch.rows,
  );
}

/**
 * Per row (in window order): where its window partition starts and ends, and where its peer group ends (the last
 * row equal to it on every order key, + 1). Without order keys, every row of a partition is a peer.
 */
export interface WindowFrames {
  readonly partitionStart: Int32Array;
  readonly partitionEnd: Int32Array;
  readonly peerStart: Int32Array;
  readonly peerEnd: Int32Array;
}

function windowFrames(batch: Batch, partitionBy: readonly string[], orderBy: readonly SortKey[]): WindowFrames {
  const rows = batch.rows;
  const partitionColumns = partitionBy.map((name) => columnOf(batch, name, 'over()'));
  const orderColumns = orderBy.map((key) => columnOf(batch, key.name, 'over()'));
  const partitionStart = new Int32Array(rows);
  const peerStart = new Int32Array(rows);
  for (let row = 1; row < rows; row++) {
    const newPartition = !equalRows(partitionColumns, row - 1, row);
    partitionStart[row] = newPartition ? row : partitionStart[row - 1]!;
    peerStart[row] = newPartition || !equalRows(orderColumns, row - 1, row) ? row : peerStart[row - 1]!;
  }
  return { partitionStart, partitionEnd: endsOf(partitionStart), peerStart, peerEnd: endsOf(peerStart) };
}

/** Per row, the end (exclusive) of its run, given each run's start per row. */
function endsOf(starts: Int32Array): Int32Array {
  const rows = starts.length;
  const ends = new Int32Array(rows);
  for (let row = rows - 1; row >= 0; row--) {
    ends[row] = row + 1 === rows || starts[row + 1] !== starts[row] ? row + 1 : ends[row + 1]!;
  }
  return ends;
}

/** Rows `a` and `b` hold equal values (null equal to null, NaN to NaN) in every column. */
function equalRows(columns: readonly Column[], a: number, b: number): boolean {
  for (const column of columns) {
    const valid = column.valid;
    if (valid !== undefined && valid[a] !== valid[b]) return false;
    if (valid !== undefined && valid[a] === 0) continue;
    if (column.type === 'utf8') {
      const { bytes, starts, ends } = column;
      if (!equalBytes(bytes, starts[a]!, ends[a]!, bytes, starts[b]!, ends[b]!)) return false;
      continue;
    }
    const x = column.values[a]!;
    const y = column.values[b]!;
    if (x !== y && (x === x || y === y)) return false;
  }
  return true;
}

function evaluate(fn: WindowFunction, batch: Batch, frames: WindowFrames): Column {
  const rows = batch.rows;
  const { partitionStart, peerStart } = frames;
  switch (fn.kind) {
    case 'row-number': {
      const values = new Int32Array(rows);
      for (let row = 0; row < rows; row++) values[row] = row - partitionStart[row]! + 1;
      return { type: 'i32', values };
    }
    case 'rank': {
      const values = new Int32Array(rows);
      for (let row = 0; row < rows; row++) values[row] = peerStart[row]! - partitionStart[row]! + 1;
      return { type: 'i32', values };
    }
    case 'dense-rank': {
      const values = new Int32Array(rows);
      for (let row = 0; row < rows; row++) {
        const first = partitionStart[row] === row;
        values[row] = first ? 1 : values[row - 1]! + (peerStart[row] === row ? 1 : 0);
      }
      return { type: 'i32', values };
    }
    case 'lag':
    case 'lead': {
      const shift = fn.kind === 'lag' ? -fn.offset : fn.offset;
      const source = new Int32Array(rows);
      const pick = new Int32Array(rows);
      for (let row = 0; row < rows; row++) {
        const from = row + shift;
        const inside = from >= partitionStart[row]! && from < frames.partitionEnd[row]!;
        source[row] = inside ? from : -1;
        pick[row] = inside ? 0 : 1;
      }
      const column = columnOf(batch, fn.column, `${fn.kind}()`);
      const shifted = gatherColumnOrNull(column, source, rows);
      if (fn.default === null) return shifted;
      // The default fills rows whose offset row lies outside the partition; a null value read stays null.
      const fill = evaluateExpr({ kind: 'lit', value: fn.default }, batch);
      return chooseRows([shifted, fill], pick, rows, `${fn.kind}()`);
    }
    case 'aggregate': {
      const column = fn.column === null ? null : columnOf(batch, fn.column, 'over()');
      if (fn.rows !== undefined) return framedAggregate(fn.fn, column, frames, rows, fn.rows);
      return runningAggregate(fn.fn, column, frames, rows);
    }
  }
}
