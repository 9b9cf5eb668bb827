// Seeded random rows for the columnar tests: strings that stress UTF-8 (multi-byte, astral, the U+E000 vs
// surrogate ordering case, case mappings that change length) and every kind of JS `\s`, and numbers whose sums
// are exact in float64 so partial aggregation order cannot change them. (node --test loads this; no tests here.)
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';

/** The seed of this run: SEED= or the clock; printed so a failure can be replayed. */
export function testSeed(file: string): number {
  const seed = seedFromEnvironment();
  console.log(`${file}: SEED=${seed}`);
  return seed;
}

/** Partition counts a model test runs over, and whether through `cache()` (strings then dictionary-coded). */
export const PARTITIONS_AND_CACHING: readonly (readonly [number, boolean])[] = [
  [1, false],
  [3, false],
  [4, true],
];

/** Words whose bytes, case mappings and orderings differ from ASCII's. */
export const TRICKY_WORDS: readonly string[] = [
  'a',
  'A',
  'the',
  'The',
  'THE',
  'é',
  'É',
  'Straße',
  'STRASSE',
  'İ',
  'ı',
  'ΣΟΦΊΑ',
  'σοφία',
  'ｆｕｌｌ',
  '😀',
  '😀😀',
  '\uE000',
  '\uFFFD',
  'x\u0301',
  'Ǆ',
  'ǅ',
  '\u200b',
  'zero\u200bwidth',
  'nel\u0085x',
  '日本語',
  '',
  "don't",
  '42',
];

/** Every JS `\s` character (plus runs of them), and look-alikes that are not whitespace. */
export const SPACES: readonly string[] = [
  ' ',
  '  ',
  '\t',
  '\v',
  '\f',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2003',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  ' \u3000 ',
];

/** A random word: tricky or random lower/upper ASCII. */
export function randomWord(rng: Rng): string {
  if (rng.nextInt(3) === 0) return TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]!;
  const letters = 'abcdefghijKLMNOPQRSTxyz';
  let word = '';
  const n = 1 + rng.nextInt(6);
  for (let i = 0; i < n; i++) word += letters[rng.nextInt(letters.length)];
  return word;
}

/** A random line of words and separators (may start or end with whitespace, or be empty). */
export function randomLine(rng: Rng, separators: readonly string[] = SPACES): string {
  const parts: string[] = [];
  const n = rng.nextInt(8);
  if (rng.nextInt(4) === 0) parts.push(separators[rng.nextInt(separators.length)]!);
  for (let i = 0; i < n; i++) {
    parts.push(randomWord(rng));
    if (i < n - 1 || rng.nextInt(4) === 0) parts.push(separators[rng.nextInt(separators.length)]!);
  }
  return parts.join('');
}

/** One row of the mixed table. */
export interface MixedRow {
  readonly k: string;
  readonly g: number;
  readonly n: number;
  readonly x: number;
  readonly b: boolean;
  readonly s: string;
}

/**
 * Rows with a string key `k` (few distinct), an int key `g`, an int `n` (negative too), a dyadic float `x`
 * (exact sums), a boolean `b` and a text `s`.
 */
export function randomRows(rng: Rng, count: number): MixedRow[] {
  return Array.from({ length: count }, () => ({
    k: TRICKY_WORDS[rng.nextInt(12)]! + (rng.nextInt(2) === 0 ? '' : ([...randomWord(rng)][0] ?? '')),
    g: rng.nextInt(9) - 4,
    n: rng.nextInt(2001) - 1000,
    x: (rng.nextInt(4001) - 2000) / 8,
    b: rng.nextInt(2) === 0,
    s: randomLine(rng),
  }));
}

/**
 * Rows in a canonical order (by their JSON text), for results whose order is not defined. Each row's text is made
 * once, not twice per comparison: on 100 k-row answers the comparator's stringify calls were most of a test's time.
 */
export function canonical<T>(rows: readonly T[]): T[] {
  const keyed = rows.map((row) => ({ row, text: JSON.stringify(row) }));
  keyed.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return keyed.map((entry) => entry.row);
}

export { Rng };
