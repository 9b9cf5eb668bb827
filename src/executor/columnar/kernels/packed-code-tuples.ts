/**
 * Tuples of small key codes packed into fewer 32-bit words: each column's codes take the bits its code count needs,
 * and the columns are laid into words (first fit, widest first). db-benchmark's q10 groups by six columns whose codes
 * take 7, 7, 17, 7, 7 and 17 bits: two words, so the radix scatter of held rows (`radix-tuple-groups.ts`) moves two
 * arrays of codes instead of six and a part's table compares two words instead of six. Two tuples are equal exactly
 * when their packed words are, so grouping the words groups the tuples, in the same order.
 *
 * A layout is chosen from the columns' code counts, which only grow while a task codes its rows: a chunk packed
 * under an earlier (narrower) layout is repacked under the last one, and once the codes need as many words as there
 * are columns, the tuples stay unpacked.
 */
import { bitsFor } from './code-tuple-table.js';

/** Where each column's codes sit in the packed words. */
export interface CodeLayout {
  /** Packed words per tuple (fewer than the columns). */
  readonly words: number;
  /** Per column, the bits its codes take (codes below `1 << bits`). */
  readonly bits: Int32Array;
  /** Per column, the word it sits in. */
  readonly word: Int32Array;
  /** Per column, its lowest bit in that word. */
  readonly shift: Int32Array;
}

/**
 * The layout for columns whose codes are below `counts`, or null when packing would not save a word (the codes need
 * as many 32-bit words as there are columns).
 *
 * @example
 * const layout = codeLayout([100, 100, 100_000, 100, 100, 100_000]); // 2 words
 */
export function codeLayout(counts: readonly number[]): CodeLayout | null {
  const width = counts.length;
  const bits = Int32Array.from(counts, bitsFor);
  const word = new Int32Array(width);
  const shift = new Int32Array(width);
  const used: number[] = [];
  const widestFirst = [...bits.keys()].sort((a, b) => bits[b]! - bits[a]! || a - b);
  for (const c of widestFirst) {
    let w = used.findIndex((taken) => taken + bits[c]! <= 32);
    if (w < 0) {
      w = used.length;
      used.push(0);
    }
    word[c] = w;
    shift[c] = used[w]!;
    used[w]! += bits[c]!;
  }
  return used.length < width ? { words: used.length, bits, word, shift } : null;
}

/** True when `a` and `b` place every column alike (so codes packed by one read back by the other). */
export function sameLayout(a: CodeLayout, b: CodeLayout): boolean {
  return a.words === b.words && a.bits.every((bits, c) => bits === b.bits[c] && a.shift[c] === b.shift[c]);
}

/** Rows `0 … rows - 1` of `columnCodes` packed under `layout`: one array per word, `rows` long. */
export function packCodes(columnCodes: readonly Int32Array[], rows: number, layout: CodeLayout): Int32Array[] {
  const words = Array.from({ length: layout.words }, () => new Int32Array(rows));
  for (let c = 0; c < columnCodes.length; c++) {
    const codes = columnCodes[c]!;
    const out = words[layout.word[c]!]!;
    const shift = layout.shift[c]!;
    for (let i = 0; i < rows; i++) out[i]! |= codes[i]! << shift;
  }
  return words;
}

/** Column `c`'s codes of rows `0 … rows - 1` of `words` (packed under `layout`) into `out`. */
export function unpackColumn(
  words: readonly Int32Array[],
  layout: CodeLayout,
  c: number,
  rows: number,
  out: Int32Array,
): void {
  const from = words[layout.word[c]!]!;
  const shift = layout.shift[c]!;
  const mask = maskOf(layout.bits[c]!);
  for (let i = 0; i < rows; i++) out[i] = (from[i]! >>> shift) & mask;
}

/**
 * The columns of rows `0 … rows - 1` of `words` (packed under `layout`), each `rows` long. Each word's array is
 * written over by the last column taken from it, so unpacking takes `words` fewer arrays than it makes.
 */
export function unpackColumnsInPlace(words: readonly Int32Array[], layout: CodeLayout, rows: number): Int32Array[] {
  const width = layout.bits.length;
  const lastOfWord = new Int32Array(layout.words).fill(-1);
  for (let c = 0; c < width; c++) lastOfWord[layout.word[c]!] = c;
  const columns: Int32Array[] = new Array<Int32Array>(width);
  for (let c = 0; c < width; c++) {
    if (lastOfWord[layout.word[c]!] === c) continue;
    const column = (columns[c] = new Int32Array(rows));
    unpackColumn(words, layout, c, rows, column);
  }
  for (let w = 0; w < layout.words; w++) {
    const c = lastOfWord[w]!;
    unpackColumn(words, layout, c, rows, words[w]!);
    columns[c] = words[w]!.subarray(0, rows);
  }
  return columns;
}

/** Codes packed under `from` repacked under `to`, whose columns are at least as wide. */
export function repackCodes(
  words: readonly Int32Array[],
  from: CodeLayout,
  to: CodeLayout,
  rows: number,
): Int32Array[] {
  const column = new Int32Array(rows);
  const out = Array.from({ length: to.words }, () => new Int32Array(rows));
  for (let c = 0; c < from.bits.length; c++) {
    unpackColumn(words, from, c, rows, column);
    const target = out[to.word[c]!]!;
    const shift = to.shift[c]!;
    for (let i = 0; i < rows; i++) target[i]! |= column[i]! << shift;
  }
  return out;
}

/** The low `bits` bits (`bits` below 32). */
function maskOf(bits: number): number {
  return bits === 0 ? 0 : 0xffffffff >>> (32 - bits);
}
