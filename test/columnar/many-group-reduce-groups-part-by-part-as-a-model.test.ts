// A groupBy by several string and number keys into about as many groups as rows, all in one reduce task (past
// PARTITIONED_ROWS_MIN rows: it holds its rows and groups them part by part), over plain and cached (dictionary-coded)
// strings, with the shuffle in memory and spilled: its answer (count, sum, mean; keys and values with nulls) equals a
// plain Map model's, collected as rows and through toArrow(). Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PARTITIONED_ROWS_MIN } from '../../src/executor/columnar/grouping/aggregate.js';
import { Context, count, mean, sum } from '../../src/index.js';
import { assertGroupsEqual, KeyedGroups, Rng, rowTuples, testSeed } from './random-rows.js';

const seed = testSeed('many-group-reduce-groups-part-by-part-as-a-model');
const ROWS = PARTITIONED_ROWS_MIN + 40_000;

function columns() {
  const rng = new Rng(seed);
  const a: (string | null)[] = [];
  const b: (string | null)[] = [];
  const k = new Int32Array(ROWS);
  const v: (number | null)[] = [];
  for (let i = 0; i < ROWS; i++) {
    a.push(rng.nextInt(20) === 0 ? null : `a${rng.nextInt(50)}`);
    b.push(rng.nextInt(20) === 0 ? null : `bé${rng.nextInt(5000)}`);
    k[i] = rng.nextInt(40);
    v.push(rng.nextInt(10) === 0 ? null : rng.nextInt(1000) / 4);
  }
  return { a, b, k, v };
}

/** Per key tuple: its rows, the sum of v and how many v were not null. */
function model(data: ReturnType<typeof columns>): KeyedGroups<{ n: number; s: number; values: number }> {
  const groups = new KeyedGroups<{ n: number; s: number; values: number }>(3);
  for (let i = 0; i < ROWS; i++) {
    const g = groups.group([data.a[i], data.b[i], data.k[i]], () => ({ n: 0, s: 0, values: 0 }));
    g.n++;
    const x = data.v[i]!;
    if (x !== null) {
      g.s += x;
      g.values++;
    }
  }
  return groups;
}

/** A group's count, sum and mean of v (null when no v), as the query names them. */
function answerOf(g: { n: number; s: number; values: number }): unknown[] {
  return [g.n, g.values === 0 ? null : g.s, g.values === 0 ? null : g.s / g.values];
}

const NAMES = ['a', 'b', 'k', 'n', 's', 'm'];

test('a many-group reduce task grouped part by part answers as a Map model', async () => {
  const data = columns();
  const expected = model(data);
  assert.ok(expected.size > PARTITIONED_ROWS_MIN / 2, `SEED=${seed}: too few groups to hold the reduce side`);
  for (const spill of [false, true]) {
    const kc = new Context({ threads: 2, ...(spill ? { shuffleMemoryBytesMax: 0 } : {}) });
    try {
      const plain = kc.fromColumns(data, { numPartitions: 2 });
      const cached = kc.fromColumns(data, { numPartitions: 2 }).cache();
      await cached.count();
      for (const [name, ds] of [
        ['plain', plain],
        ['cached', cached],
      ] as const) {
        const query = ds
          .groupBy('a', 'b', 'k', { numPartitions: 1 })
          .agg(count().as('n'), sum('v').as('s'), mean('v').as('m'));
        const what = `SEED=${seed}, ${name}, ${spill ? 'spilled' : 'in memory'}`;
        assertGroupsEqual(rowTuples(await query.collect(), NAMES, what), expected, answerOf, what);
        const table = await query.toArrow();
        const columnsOf = NAMES.map((c) => table.getChild(c)!);
        const rows = Array.from({ length: table.numRows }, (_, i) => columnsOf.map((c) => c.get(i) as unknown));
        assertGroupsEqual(rows, expected, answerOf, `${what}: toArrow()`);
      }
    } finally {
      await kc.stop();
    }
  }
});
