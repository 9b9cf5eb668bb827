/**
 * All rows of several batches as one batch: what sorts, gathers and collected results need. Columns agree by name;
 * their types must agree too, except that numbers of mixed types widen to float64 and a part whose rows are all null
 * takes the type of the others (a batch of only nulls cannot know its column's type).
 */
import type { Batch, Column, FixedColumn, Utf8Column } from './batch.js';
import { allNull, columnOf, utf8Bytes } from './batch.js';
import { dictionaryCodeBytes } from '../../../protocol/block.js';
import { dictionaryColumn, dictionaryOf } from './dictionary-column.js';
import { ColumnarError } from '../error.js';
import { CAST_TYPE_NAMES } from '../../../protocol/columnar-reshape.js';

/**
 * The rows of `batches` in order, or null for no batch.
 *
 * @example
 * const all = concatBatches([...evaluateColumnar(node, context, recordsOf)]);
 */
export function concatBatches(batches: readonly Batch[]): Batch | null {
  const first = batches[0];
  if (first === undefined) return null;
  if (batches.length === 1) return first;
  const rows = batches.reduce((sum, b) => sum + b.rows, 0);
  const columns = first.names.map((name): Column => {
    const parts = batches.map((b) => columnOf(b, name, 'concatenating batches'));
    const counts = batches.map((b) => b.rows);
    const typed = parts.filter((p, i) => !allNull(p, counts[i]!));
    const template = typed[0] ?? parts[0]!;
    const valid = concatValidity(parts, counts, rows);
    if (template.type === 'utf8') {
      return concatDictionaries(parts, counts, rows, valid) ?? { ...concatUtf8(parts, counts, rows, template), valid };
    }
    let kind: FixedColumn = template;
    if (typed.some((p) => p.type !== template.type || sameTimeUnit(p, template) === false)) {
      if (!typed.every((p) => p.type === 'f64' || p.type === 'i32' || p.type === 'i64')) {
        throw new ColumnarError(
          'ERR_COLUMNAR_TYPE',
          `column '${name}' has different types in different batches: ${typed.map((p) => p.type).join(', ')}`,
        );
      }
      kind = { type: 'f64', values: new Float64Array(0) };
    }
    return { ...kind, values: concatValues(kind, parts, counts, rows), valid } as Column;
  });
  return { rows, names: first.names, columns };
}

function sameTimeUnit(a: Column, b: Column): boolean | null {
  if (a.type !== 'timestamp' || b.type !== 'timestamp') return null;
  return a.unit === b.unit;
}

function concatValidity(parts: readonly Column[], counts: readonly number[], rows: number): Uint8Array | undefined {
  if (parts.every((p) => p.valid === undefined)) return undefined;
  const valid = new Uint8Array(rows);
  let at = 0;
  parts.forEach((p, i) => {
    const n = counts[i]!;
    if (p.valid === undefined) valid.fill(1, at, at + n);
    else valid.set(p.valid.subarray(0, n), at);
    at += n;
  });
  return valid;
}

/**
 * Dictionary-read parts (a cached table's coded strings, gathered by a join's build side) as one dictionary-read
 * column: their dictionaries placed back to back (each once, however many parts share it; a string may then be in
 * the dictionary more than once, which every reader allows) and each row's code shifted to its dictionary's place.
 * No row's bytes are copied, and the rows stay codes for the kernels that use them. Null when a part is plain, or
 * the dictionaries hold more strings than the rows (a few rows picked out of large dictionaries: copied plain).
 */
function concatDictionaries(
  parts: readonly Column[],
  counts: readonly number[],
  rows: number,
  valid: Uint8Array | undefined,
): Utf8Column | null {
  const views = parts.map((p) => dictionaryOf(p));
  const firstCode = new Map<Int32Array, number>();
  let size = 0;
  let byteCount = 0;
  for (const view of views) {
    if (view === undefined) return null;
    if (firstCode.has(view.offsets)) continue;
    firstCode.set(view.offsets, size);
    size += view.size;
    byteCount += view.offsets[view.size]! - view.offsets[0]!;
  }
  if (size > rows) return null;
  const bytes = new Uint8Array(byteCount);
  const offsets = new Int32Array(size + 1);
  const placed = new Set<Int32Array>();
  let at = 0;
  views.forEach((view, i) => {
    const from = view!.offsets;
    if (placed.has(from)) return;
    placed.add(from);
    const first = firstCode.get(from)!;
    const shift = at - from[0]!;
    for (let c = 0; c < view!.size; c++) offsets[first + c] = from[c]! + shift;
    bytes.set((parts[i] as Utf8Column).bytes.subarray(from[0]!, from[view!.size]!), at);
    at += from[view!.size]! - from[0]!;
  });
  offsets[size] = at;
  const width = dictionaryCodeBytes(size);
  const codes = width === 1 ? new Uint8Array(rows) : width === 2 ? new Uint16Array(rows) : new Int32Array(rows);
  let row = 0;
  views.forEach((view, i) => {
    const first = firstCode.get(view!.offsets)!;
    const from = view!.codes;
    for (let r = 0, n = counts[i]!; r < n; r++) codes[row++] = from[r]! + first;
  });
  return dictionaryColumn(bytes, offsets, size, codes, valid);
}

function concatUtf8(parts: readonly Column[], counts: readonly number[], rows: number, name: Column): Utf8Column {
  const byteCount = parts.reduce((sum, p, i) => sum + (p.type === 'utf8' ? utf8Bytes(p, counts[i]!) : 0), 0);
  const bytes = new Uint8Array(byteCount);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  let row = 0;
  let at = 0;
  parts.forEach((p, i) => {
    const n = counts[i]!;
    if (p.type !== 'utf8') {
      // An all-null part of another type: empty strings under null validity.
      if (!allNull(p, n)) throw mixed(name, p);
      starts.fill(at, row, row + n);
      ends.fill(at, row, row + n);
      row += n;
      return;
    }
    // Rows whose bytes lie back to back (a block's column, a batch read from a file) are copied as one run.
    const { starts: from, ends: to, bytes: source } = p;
    for (let r = 0; r < n;) {
      const runStart = from[r]!;
      let runEnd = to[r]!;
      const shift = at - runStart;
      starts[row] = at;
      ends[row++] = runEnd + shift;
      for (r++; r < n && from[r] === runEnd; r++) {
        starts[row] = runEnd + shift;
        runEnd = to[r]!;
        ends[row++] = runEnd + shift;
      }
      if (runEnd - runStart > 64) bytes.set(source.subarray(runStart, runEnd), at);
      else for (let k = runStart; k < runEnd; k++) bytes[at + k - runStart] = source[k]!;
      at += runEnd - runStart;
    }
  });
  return { type: 'utf8', bytes, starts, ends };
}

function concatValues(
  kind: FixedColumn,
  parts: readonly Column[],
  counts: readonly number[],
  rows: number,
): FixedColumn['values'] {
  const out = new (kind.values.constructor as new (n: number) => FixedColumn['values'])(rows);
  let at = 0;
  parts.forEach((p, i) => {
    const n = counts[i]!;
    if (p.type === 'utf8') {
      if (!allNull(p, n)) throw mixed(kind, p);
    } else if (p.values.constructor === out.constructor) {
      (out as Float64Array).set((p.values as Float64Array).subarray(0, n), at);
    } else if (out instanceof BigInt64Array) {
      if (!allNull(p, n)) throw mixed(kind, p);
    } else {
      // Widening to float64 (or an all-null part of another type, whose values are never read).
      const source = p.values;
      for (let r = 0; r < n; r++) out[at + r] = Number(source[r]!);
    }
    at += n;
  });
  return out;
}

function mixed(expected: Column, found: Column): ColumnarError {
  return new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `concatenating batches: expected a ${CAST_TYPE_NAMES[expected.type]} column, found a ${CAST_TYPE_NAMES[found.type]} column`,
  );
}

/**
 * Rows `rows[i][0 … counts[i])` of each of `parts` (one column of several batches) gathered straight into one
 * column of `total` rows: one copy, where a gather per part and then `concatBatches` make two (a co-located join's
 * build side: db-benchmark's q5 gathers 5 M rows a task out of every block). Null unless every part is a plain
 * column of one type with no nulls (a string column's bytes are copied into one buffer, as `concatBatches` would);
 * the caller then gathers per part and concatenates, which handles the rest (dictionaries, nulls, mixed types).
 *
 * @example
 * const column = gatherConcat(parts, pickedRows, pickedCounts, total) ?? concatOfGathered();
 */
export function gatherConcat(
  parts: readonly Column[],
  rows: readonly Int32Array[],
  counts: readonly number[],
  total: number,
): Column | null {
  const template = parts[0];
  if (template === undefined) return null;
  for (const p of parts) {
    if (p.type !== template.type || p.valid !== undefined || sameTimeUnit(p, template) === false) return null;
    if (dictionaryOf(p) !== undefined) return null;
    if (p.type !== 'utf8' && p.values.constructor !== (template as FixedColumn).values.constructor) return null;
  }
  if (template.type === 'utf8') return gatherConcatUtf8(parts as readonly Utf8Column[], rows, counts, total);
  const out = new ((template as FixedColumn).values.constructor as new (n: number) => Float64Array)(total);
  let at = 0;
  parts.forEach((p, i) => {
    // Int64 values are bigints, the others numbers: each a plain copy of the array's own element type.
    const from = (p as FixedColumn).values as Float64Array;
    const picked = rows[i]!;
    for (let r = 0, n = counts[i]!; r < n; r++) out[at + r] = from[picked[r]!]!;
    at += counts[i]!;
  });
  return { ...template, values: out } as Column;
}

function gatherConcatUtf8(
  parts: readonly Utf8Column[],
  rows: readonly Int32Array[],
  counts: readonly number[],
  total: number,
): Utf8Column {
  let byteCount = 0;
  parts.forEach((p, i) => {
    const { starts: from, ends: to } = p;
    const picked = rows[i]!;
    for (let r = 0, n = counts[i]!; r < n; r++) byteCount += to[picked[r]!]! - from[picked[r]!]!;
  });
  const bytes = new Uint8Array(byteCount);
  const starts = new Int32Array(total);
  const ends = new Int32Array(total);
  let row = 0;
  let at = 0;
  parts.forEach((p, i) => {
    const { starts: from, ends: to, bytes: source } = p;
    const picked = rows[i]!;
    for (let r = 0, n = counts[i]!; r < n; r++) {
      const s = from[picked[r]!]!;
      const e = to[picked[r]!]!;
      starts[row] = at;
      if (e - s > 64) bytes.set(source.subarray(s, e), at);
      else for (let k = s; k < e; k++) bytes[at + k - s] = source[k]!;
      at += e - s;
      ends[row++] = at;
    }
  });
  return { type: 'utf8', bytes, starts, ends };
}
