/**
 * Columns held row by row, for gathers in random order: a hash join's build side, whose rows the answer reads in
 * probe order. Gathered column by column, each output row costs one cache miss per column (db-benchmark's q5: seven
 * arrays of 5 M rows, 4.5 M random rows each per task); packed, a row's values share one cache line and the gather
 * misses once per row, then spreads the gathered rows into columns a small chunk at a time (in cache).
 *
 * Packed: int32 and date values and dictionary codes (one word each), float64 and timestamp values (two words,
 * first, so they stay 8-byte aligned), strings of at most 12 bytes in the row itself (a length and the bytes, as
 * DuckDB's inlined strings: q5's id6 strings, whose bytes would be another random read each, and written to the
 * answer's block back to back) and longer strings' starts and ends (two words; the bytes stay where they are).
 * Columns with a validity (nulls), int64 and bool columns are gathered as before, by the caller.
 */
import type { DictionaryCodes } from '../../../storage/blocks/dictionary-codes.js';
import type { Column, F64Column, Utf8Column } from '../batches/batch.js';
import { dictionaryColumn, dictionaryOf, type DictionaryView } from '../batches/dictionary-column.js';

/** Where one column's values sit in a packed row. */
interface Slot {
  readonly column: Column;
  /** Its first word in the row. */
  readonly word: number;
  readonly shape: 'double' | 'word' | 'span' | 'code' | 'inline';
  readonly view: DictionaryView | null;
  /** An inline string column's longest string in bytes. */
  readonly longest: number;
}

/** Strings of at most this many bytes are held in the row itself (a length word and three words of bytes). */
const INLINE_BYTES_MAX = 12;

/** Words of a packed value of each shape. */
const WORDS = { double: 2, word: 1, span: 2, code: 1, inline: 1 + INLINE_BYTES_MAX / 4 } as const;

/** Where the touching reads' values go, so no compiler drops them as unused. */
const sink = { touched: 0 };

/** Rows gathered this many at a time: their cache lines are all in L1 when they are spread into columns. */
const CHUNK_ROWS = 256;

/** Packed rows of some columns of a batch. */
export class PackedRows {
  readonly #slots: readonly Slot[];
  /** Words per row: even, so every row's doubles are 8-byte aligned. */
  readonly #stride: number;
  readonly #words: Int32Array;

  private constructor(slots: readonly Slot[], stride: number, rows: number) {
    this.#slots = slots;
    this.#stride = stride;
    this.#words = new Int32Array(rows * stride);
    for (const slot of slots) pack(slot, this.#words, stride, rows);
  }

  /**
   * The packable ones of `columns` (first `rows` rows) packed; null when fewer than two are packable (one column
   * gains nothing from packing).
   *
   * @example
   * const packed = PackedRows.of(build.columns, build.rows);
   */
  static of(columns: readonly Column[], rows: number): PackedRows | null {
    const doubles: Omit<Slot, 'word'>[] = [];
    const others: Omit<Slot, 'word'>[] = [];
    for (const column of columns) {
      if (column.valid !== undefined) continue;
      const plain = { column, view: null, longest: 0 };
      if (column.type === 'f64' || column.type === 'timestamp') doubles.push({ ...plain, shape: 'double' });
      else if (column.type === 'i32' || column.type === 'date') others.push({ ...plain, shape: 'word' });
      else if (column.type === 'utf8') {
        const view = dictionaryOf(column) ?? null;
        if (view !== null) others.push({ ...plain, shape: 'code', view });
        else {
          // Short strings (ids, codes) travel in the row: the answer's gather reads no string bytes elsewhere.
          const longest = longestString(column, rows);
          others.push({ ...plain, shape: longest <= INLINE_BYTES_MAX ? 'inline' : 'span', longest });
        }
      }
    }
    if (doubles.length + others.length < 2) return null;
    const slots: Slot[] = [];
    let word = 0;
    for (const slot of [...doubles, ...others]) {
      slots.push({ ...slot, word });
      word += WORDS[slot.shape];
    }
    const stride = word + (word & 1);
    if (rows * stride > 0x7fffffff / 4) return null;
    return new PackedRows(slots, stride, rows);
  }

  /**
   * Rows `rows[0 … count)` (none -1) of each packed column, as `gatherColumn` would give them (dictionary-read
   * strings stay dictionary-read); keyed by the source column.
   *
   * @example
   * const gathered = packed.gather(pairs.build, pairs.count);
   * const v2 = gathered.get(columnOf(build, 'v2', 'join()'));
   */
  gather(rows: Int32Array, count: number): Map<Column, Column> {
    const stride = this.#stride;
    const words = this.#words;
    const doubles = new Float64Array(words.buffer, words.byteOffset, words.length / 2);
    const wordBytes = new Uint8Array(words.buffer, words.byteOffset, words.length * 4);
    const outputs = this.#slots.map((slot) => outputOf(slot, count));
    let touched = 0;
    for (let at = 0; at < count; at += CHUNK_ROWS) {
      const end = Math.min(count, at + CHUNK_ROWS);
      // One read per row first, in a tight loop: many rows' cache misses in flight at once (a loop that copies a
      // whole row before reading the next keeps few); the copies below then read from cache.
      for (let i = at; i < end; i++) touched |= words[rows[i]! * stride]! | words[rows[i]! * stride + stride - 1]!;
      this.#slots.forEach((slot, j) => {
        const output = outputs[j]!;
        if (slot.shape === 'double')
          spreadDoubles(doubles, rows, at, end, stride, slot.word, output.values as Float64Array);
        else if (slot.shape === 'inline') spreadInline(words, wordBytes, rows, at, end, stride, slot.word, output);
        else spreadWords(words, rows, at, end, stride, slot.word, output.values as Int32Array);
        if (slot.shape === 'span') spreadWords(words, rows, at, end, stride, slot.word + 1, output.ends!);
      });
    }
    const gathered = new Map<Column, Column>();
    this.#slots.forEach((slot, j) => gathered.set(slot.column, columnOf(slot, outputs[j]!)));
    sink.touched ^= touched;
    return gathered;
  }
}

/**
 * One packed column's output: values (codes, a string's starts), a string's ends, and an inline string's bytes
 * with the bytes written so far.
 */
interface Output {
  readonly values: Int32Array | Float64Array | DictionaryCodes;
  readonly ends: Int32Array | null;
  readonly bytes: Uint8Array | null;
  used: number;
}

function outputOf(slot: Slot, count: number): Output {
  const output = (values: Output['values'], ends: Int32Array | null = null, bytes: Uint8Array | null = null) => ({
    values,
    ends,
    bytes,
    used: 0,
  });
  if (slot.shape === 'double') return output(new Float64Array(count));
  if (slot.shape === 'span') return output(new Int32Array(count), new Int32Array(count));
  if (slot.shape === 'inline') {
    return output(new Int32Array(count), new Int32Array(count), new Uint8Array(count * slot.longest));
  }
  if (slot.shape === 'code')
    return output(new (slot.view!.codes.constructor as new (n: number) => DictionaryCodes)(count));
  return output(new Int32Array(count));
}

function longestString(column: Utf8Column, rows: number): number {
  const { starts, ends } = column;
  let longest = 0;
  for (let r = 0; r < rows; r++) longest = Math.max(longest, ends[r]! - starts[r]!);
  return longest;
}

function pack(slot: Slot, words: Int32Array, stride: number, rows: number): void {
  const { column, word } = slot;
  if (slot.shape === 'double') {
    const doubles = new Float64Array(words.buffer, words.byteOffset, words.length / 2);
    const values = (column as F64Column).values;
    for (let r = 0, at = word / 2, step = stride / 2; r < rows; r++, at += step) doubles[at] = values[r]!;
  } else if (slot.shape === 'inline') {
    const { bytes, starts, ends } = column as Utf8Column;
    const into = new Uint8Array(words.buffer, words.byteOffset, words.length * 4);
    for (let r = 0, at = word; r < rows; r++, at += stride) {
      const s = starts[r]!;
      const n = ends[r]! - s;
      words[at] = n;
      for (let k = 0, b = (at + 1) * 4; k < n; k++) into[b + k] = bytes[s + k]!;
    }
  } else if (slot.shape === 'span') {
    const { starts, ends } = column as Utf8Column;
    for (let r = 0, at = word; r < rows; r++, at += stride) {
      words[at] = starts[r]!;
      words[at + 1] = ends[r]!;
    }
  } else {
    const values = slot.shape === 'code' ? slot.view!.codes : (column as { values: Int32Array }).values;
    for (let r = 0, at = word; r < rows; r++, at += stride) words[at] = values[r]!;
  }
}

/** `out[i] = word w of row rows[i]` for i in [at, end) (codes arrays take the small ints as they are). */
function spreadWords(
  words: Int32Array,
  rows: Int32Array,
  at: number,
  end: number,
  stride: number,
  w: number,
  out: Int32Array | Uint8Array | Uint16Array,
): void {
  for (let i = at; i < end; i++) out[i] = words[rows[i]! * stride + w]!;
}

/** Row rows[i]'s inline string appended to the output's bytes, for i in [at, end). */
function spreadInline(
  words: Int32Array,
  from: Uint8Array,
  rows: Int32Array,
  at: number,
  end: number,
  stride: number,
  w: number,
  output: Output,
): void {
  const starts = output.values as Int32Array;
  const ends = output.ends!;
  const bytes = output.bytes!;
  let used = output.used;
  for (let i = at; i < end; i++) {
    const word = rows[i]! * stride + w;
    const n = words[word]!;
    starts[i] = used;
    for (let k = 0, b = (word + 1) * 4; k < n; k++) bytes[used++] = from[b + k]!;
    ends[i] = used;
  }
  output.used = used;
}

/** `out[i] = the double at word w of row rows[i]` for i in [at, end). */
function spreadDoubles(
  doubles: Float64Array,
  rows: Int32Array,
  at: number,
  end: number,
  stride: number,
  w: number,
  out: Float64Array,
): void {
  const half = stride / 2;
  const first = w / 2;
  for (let i = at; i < end; i++) out[i] = doubles[rows[i]! * half + first]!;
}

function columnOf(slot: Slot, output: Output): Column {
  const column = slot.column;
  if (slot.shape === 'code') {
    const view = slot.view!;
    const codes = output.values as DictionaryCodes;
    return dictionaryColumn((column as Utf8Column).bytes, view.offsets, view.size, codes, undefined);
  }
  if (slot.shape === 'span' || slot.shape === 'inline') {
    const bytes = output.bytes ?? (column as Utf8Column).bytes;
    return { type: 'utf8', bytes, starts: output.values as Int32Array, ends: output.ends! };
  }
  return { ...column, values: output.values } as Column;
}
