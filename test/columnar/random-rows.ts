// Seeded random rows for the columnar tests: strings that stress UTF-8 (multi-byte, astral, the U+E000 vs
// surrogate ordering case, case mappings that change length) and every kind of JS `\s`, and numbers whose sums
// are exact in float64 so partial aggregation order cannot change them. (node --test loads this; no tests here.)
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

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

/**
 * The groups of a model of a grouped answer, by their key tuple: Maps nested one level per key, so a lookup costs a
 * few Map gets, not a JSON text per row and a sort of every row's text (which was most of the time of the tests over
 * 100,000s of groups; nested Maps of the values themselves also beat one Map of a text of the tuple by half). Keys
 * are told apart as `Map` does (SameValueZero): null, '' and 0 are three keys, as in the JSON texts the tests compared
 * before, and NaN is no longer taken for null. Keys are primitive values (an object would be told apart by identity).
 * (Here, not in a file of its own: `node --test dist/test/` runs every .js file under test/ as a test file.)
 */
export class KeyedGroups<G> {
  private readonly root = new Map<unknown, unknown>();
  private readonly all: G[] = [];
  /** How many of a tuple's values are its keys. */
  readonly keyCount: number;

  constructor(keyCount: number) {
    this.keyCount = keyCount;
  }

  /** How many groups the model has. */
  get size(): number {
    return this.all.length;
  }

  /** The group of `keys` (the first `keyCount` values), `make()` the first time. */
  group(keys: readonly unknown[], make: () => G): G {
    const leaf = this.leaf(keys, true)!;
    const last = keys[this.keyCount - 1];
    let at = leaf.get(last) as number | undefined;
    if (at === undefined) {
      for (let i = 0; i < this.keyCount; i++) {
        if (typeof keys[i] === 'object' && keys[i] !== null)
          assert.fail(`a key that is an object: ${inspect(keys[i])}`);
      }
      at = this.all.length;
      leaf.set(last, at);
      this.all.push(make());
    }
    return this.all[at]!;
  }

  /** The number of the group of `keys` (0 to size - 1), or -1 when the model has none. */
  numberOf(keys: readonly unknown[]): number {
    const at = this.leaf(keys, false)?.get(keys[this.keyCount - 1]) as number | undefined;
    return at ?? -1;
  }

  /** Group number `at`. */
  at(at: number): G {
    return this.all[at]!;
  }

  /** The Map of the last key of `keys`' tuple (made when `make`), or undefined. */
  private leaf(keys: readonly unknown[], make: boolean): Map<unknown, unknown> | undefined {
    let map = this.root;
    for (let i = 0; i < this.keyCount - 1; i++) {
      let next = map.get(keys[i]) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        if (!make) return undefined;
        next = new Map();
        map.set(keys[i], next);
      }
      map = next;
    }
    return map;
  }
}

/**
 * Asserts that `rows` (each `[keys…, values…]`) are the groups of `model` exactly, in any order: as many rows as
 * groups, each row's keys a group of the model met once, and its values those `expected` gives for that group, each
 * the same value (`Object.is`: the same type, -0 apart from 0).
 */
export function assertGroupsEqual<G>(
  rows: readonly (readonly unknown[])[],
  model: KeyedGroups<G>,
  expected: (group: G) => readonly unknown[],
  what: string,
): void {
  assert.equal(rows.length, model.size, `${what}: as many rows as the model's groups`);
  const met = new Uint8Array(model.size);
  const k = model.keyCount;
  for (const row of rows) {
    const at = model.numberOf(row);
    if (at < 0) assert.fail(`${what}: a row of no group of the model: ${inspect(row)}`);
    if (met[at] === 1) assert.fail(`${what}: two rows of one group: ${inspect(row)}`);
    met[at] = 1;
    const values = expected(model.at(at));
    let same = row.length === k + values.length;
    for (let i = 0; same && i < values.length; i++) same = Object.is(row[k + i], values[i]);
    if (!same) assert.deepStrictEqual(row.slice(k), values, `${what}: group ${inspect(row.slice(0, k))}`);
  }
}

/** `rows`' values in the order of `names`, each row checked to have exactly those columns, in that order. */
export function rowTuples(rows: readonly Readonly<Record<string, unknown>>[], names: readonly string[], what: string) {
  return rows.map((row) => {
    const columns = Object.keys(row);
    if (columns.length !== names.length || columns.some((name, i) => name !== names[i]))
      assert.deepStrictEqual(columns, names, `${what}: a row's columns`);
    return names.map((name) => row[name]);
  });
}

export { Rng };
