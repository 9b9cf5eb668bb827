// A groupBy over a cached dataset (string columns dictionary-coded) whose map tasks group some rows and pass the
// rest through sends the passed rows' strings dictionary-coded and gathers chunks from both parts without
// concatenating them; the answer must be the one over the uncached source (plain strings), with the shuffle in
// memory and spilled, and both equal a plain Map model's. Seeded rows with nulls, empty and multi-byte strings, few and many
// distinct values.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { passesThrough } from '../../src/executor/columnar/grouping/pass-through-rule.js';
import { Context, count, max, sum } from '../../src/index.js';
import { assertGroupsEqual, KeyedGroups, Rng, rowTuples, testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('group-by-through-dictionary-coded-shuffle-matches-plain-strings');
// Two partitions (map tasks) of 80,000 rows. A map task groups its rows a probe chunk of 65,536 rows at a time
// (output.ts) and passes the rest through once its groups come close to its rows (pass-through-rule.ts): here after
// its first chunk (groups ≈ rows), so ~14,000 rows of each task pass through. The test asks the rule whether it does
// (`passesAfterTheFirstChunk`), so a change of the rule fails here instead of leaving no passed rows to test. (It
// was 280,000 rows, sized for a rule that looked first at 131,072 rows.)
const ROWS = 160_000;
const PARTITIONS = 2;
const PROBE_ROWS = 1 << 16;
const KEY_LISTS = [
  ['few', 'many', 'k'],
  ['many', 'k'],
];

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

/** True when, by the pass-through rule, each map task passes rows through after its first chunk of rows. */
function passesAfterTheFirstChunk(data: ReturnType<typeof columns>, keys: readonly string[]): boolean {
  const keyColumns = keys.map((name) => (data as unknown as Record<string, ArrayLike<unknown>>)[name]!);
  return Array.from({ length: PARTITIONS }, (_, p) => {
    const from = Math.floor((p * ROWS) / PARTITIONS);
    const groups = new KeyedGroups<null>(keys.length);
    for (let i = from; i < from + PROBE_ROWS; i++)
      groups.group(
        keyColumns.map((column) => column[i]),
        () => null,
      );
    const so = { side: 'partial', keyCount: keys.length, keyMode: 'coded', rowsAdded: PROBE_ROWS } as const;
    return ROWS / PARTITIONS > PROBE_ROWS && passesThrough({ ...so, groups: groups.size });
  }).every(Boolean);
}

/** Per key tuple: its count, sum and max of v, as the query names them. */
function model(data: ReturnType<typeof columns>, keys: readonly string[]): KeyedGroups<[number, number, number]> {
  const groups = new KeyedGroups<[number, number, number]>(keys.length);
  const keyColumns = keys.map((name) => (data as unknown as Record<string, ArrayLike<unknown>>)[name]!);
  for (let i = 0; i < ROWS; i++) {
    const g = groups.group(
      keyColumns.map((column) => column[i]),
      () => [0, 0, -Infinity],
    );
    g[0]++;
    g[1] += data.v[i]!;
    g[2] = Math.max(g[2], data.v[i]!);
  }
  return groups;
}

for (const threads of [2]) {
  test(`groupBy answers over the cached dataset equal those over plain strings (threads ${threads})`, async () => {
    const data = columns();
    for (const keys of KEY_LISTS) assert.ok(passesAfterTheFirstChunk(data, keys), `SEED=${seed}: ${keys.join(', ')}`);
    // The model depends on the keys only: made once per key list, not once per key list and shuffle mode.
    const models = new Map<string, KeyedGroups<[number, number, number]>>();
    const modelOf = (keys: readonly string[]) => {
      const name = keys.join();
      if (!models.has(name)) models.set(name, model(data, keys));
      return models.get(name)!;
    };
    for (const spill of [false, true]) {
      const kc = new Context({ threads, ...(spill ? { shuffleMemoryBytesMax: 0 } : {}) });
      try {
        const plain = kc.fromColumns(data, { numPartitions: PARTITIONS });
        const cached = kc.fromColumns(data, { numPartitions: PARTITIONS }).cache();
        await cached.count();
        for (const keys of KEY_LISTS) {
          const query = (ds: typeof plain) =>
            ds.groupBy(...keys, { numPartitions: 3 }).agg(count(), sum('v'), max('v'));
          const expected = await query(plain).collect();
          const got = await query(cached).collect();
          const what = `SEED=${seed}, keys ${keys.join(', ')}, ${spill ? 'spilled' : 'in memory'}`;
          // Both answers equal the model (every group once, the same values and types), so equal each other.
          const names = [...keys, 'count', 'sum(v)', 'max(v)'];
          const expectedModel = modelOf(keys);
          assertGroupsEqual(rowTuples(expected, names, what), expectedModel, (g) => g, `${what}: plain strings`);
          assertGroupsEqual(rowTuples(got, names, what), expectedModel, (g) => g, `${what}: cached`);
        }
      } finally {
        await kc.stop();
      }
    }
  });
}
