// A groupBy over a cached dataset (string columns dictionary-coded) whose map tasks group some rows and pass the
// rest through sends the passed rows' strings dictionary-coded and gathers chunks from both parts without
// concatenating them; the answer must be the one over the uncached source (plain strings), with the shuffle in
// memory and spilled, and both equal a plain Map model's. Seeded rows with nulls, empty and multi-byte strings, few and many
// distinct values.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Context, count, max, sum, type Row } from '../../src/index.js';
import { Rng, testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('group-by-through-dictionary-coded-shuffle-matches-plain-strings');
// Two partitions of 140,000 rows: each map task passes rows through after 131,072 (groups ≈ rows).
const ROWS = 280_000;

function columns() {
  const rng = new Rng(seed);
  const few: (string | null)[] = [];
  const many: (string | null)[] = [];
  const k = new Int32Array(ROWS);
  const v = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    few.push(rng.nextInt(12) === 0 ? null : TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]!);
    many.push(rng.nextInt(15) === 0 ? null : rng.nextInt(9) === 0 ? '' : `b${rng.nextInt(3000)}·ü`);
    k[i] = rng.nextInt(1_000_000);
    v[i] = rng.nextInt(1000) / 4;
  }
  return { few, many, k, v };
}

/** The answer of a Map over the rows: per key tuple its count, sum and max of v, as the query names them. */
function model(data: ReturnType<typeof columns>, keys: readonly string[]): string[] {
  const groups = new Map<string, { n: number; s: number; m: number }>();
  const all = data as unknown as Record<string, ArrayLike<unknown>>;
  for (let i = 0; i < ROWS; i++) {
    const key = JSON.stringify(keys.map((name) => all[name]![i]));
    const g = groups.get(key) ?? { n: 0, s: 0, m: -Infinity };
    g.n++;
    g.s += data.v[i]!;
    g.m = Math.max(g.m, data.v[i]!);
    groups.set(key, g);
  }
  return [...groups].map(([key, g]) => JSON.stringify([...(JSON.parse(key) as unknown[]), g.n, g.s, g.m])).sort();
}

function sorted(rows: readonly Row[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

for (const threads of [2]) {
  test(`groupBy answers over the cached dataset equal those over plain strings (threads ${threads})`, async () => {
    const data = columns();
    // The model depends on the keys only: made once per key list, not once per key list and shuffle mode.
    const models = new Map<string, string[]>();
    const modelOf = (keys: readonly string[]) => {
      const name = keys.join();
      if (!models.has(name)) models.set(name, model(data, keys));
      return models.get(name)!;
    };
    for (const spill of [false, true]) {
      const kc = new Context({ threads, ...(spill ? { shuffleMemoryBytesMax: 0 } : {}) });
      try {
        const plain = kc.fromColumns(data, { numPartitions: 2 });
        const cached = kc.fromColumns(data, { numPartitions: 2 }).cache();
        await cached.count();
        for (const keys of [
          ['few', 'many', 'k'],
          ['many', 'k'],
        ]) {
          const query = (ds: typeof plain) =>
            ds.groupBy(...keys, { numPartitions: 3 }).agg(count(), sum('v'), max('v'));
          const expected = await query(plain).collect();
          const got = await query(cached).collect();
          const what = `SEED=${seed}, keys ${keys.join(', ')}, ${spill ? 'spilled' : 'in memory'}`;
          assert.equal(got.length, expected.length, what);
          assert.deepStrictEqual(sorted(got), sorted(expected), what);
          const asTuples = got.map((r) =>
            JSON.stringify([...keys.map((name) => r[name]), ...Object.values(r).slice(-3)]),
          );
          assert.deepStrictEqual(asTuples.sort(), modelOf(keys), `${what}: against the model`);
        }
      } finally {
        await kc.stop();
      }
    }
  });
}
