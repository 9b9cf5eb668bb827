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
import { bitsFor, TUPLE_HASH_SEED, tupleHashStep } from './code-tuple-table.js';
import { mix32 } from './hash-bytes.js';

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

/**
 * One column's codes among packed words: row `i`'s code is `(words[i] >>> shift) & mask` (an unpacked column is its
 * own words, shift 0, mask -1). What lets a reader take codes from the packed words with no unpacked copy.
 */
export interface PackedColumn {
  readonly words: Int32Array;
  readonly shift: number;
  readonly mask: number;
}

/** Column `c` of `words` packed under `layout` (or, with no layout, `words[c]` itself). */
export function packedColumn(words: readonly Int32Array[], layout: CodeLayout | null, c: number): PackedColumn {
  if (layout === null) return { words: words[c]!, shift: 0, mask: -1 };
  return { words: words[layout.word[c]!]!, shift: layout.shift[c]!, mask: maskOf(layout.bits[c]!) };
}

/** The codes of rows `0 … rows - 1` of `column`, unpacked. */
export function unpackedCodes(column: PackedColumn, rows: number): Int32Array {
  const { words, shift, mask } = column;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = (words[i]! >>> shift) & mask;
  return out;
}

/**
 * The tuple hashes (`tupleHashes`'s) of tuples `0 … count - 1` whose codes are `columns` (packed or not), column c's
 * value `code` hashing as `valueHashes[c][code]`.
 */
export function packedTupleHashes(
  columns: readonly PackedColumn[],
  valueHashes: readonly Int32Array[],
  count: number,
): Int32Array {
  const out = new Int32Array(count).fill(TUPLE_HASH_SEED);
  for (let c = 0; c < columns.length; c++) {
    const { words, shift, mask } = columns[c]!;
    const hashes = valueHashes[c]!;
    for (let i = 0; i < count; i++) out[i] = tupleHashStep(out[i]!, hashes[(words[i]! >>> shift) & mask]!);
  }
  for (let i = 0; i < count; i++) out[i] = mix32(out[i]!);
  return out;
}

/** Codes packed under `from` repacked under `to`, whose columns are at least as wide. */
export function repackCodes(
  words: readonly Int32Array[],
  from: CodeLayout,
  to: CodeLayout,
  rows: number,
): Int32Array[] {
  const columns = Array.from(from.bits, (_, c) => unpackedCodes(packedColumn(words, from, c), rows));
  return packCodes(columns, rows, to);
}

/** The low `bits` bits (`bits` below 32). */
function maskOf(bits: number): number {
  return bits === 0 ? 0 : 0xffffffff >>> (32 - bits);
}
