// join(other, on, how) for every join type, as a shuffled hash join (broadcastJoinBytesMax: 0) and as a broadcast
// hash join (the default, small sources), against a plain-JS nested-loop model of SQL's joins on seeded random
// tables with null and duplicate keys; plus explain() naming the strategy.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, type JoinType } from '../../src/index.js';
import { onEveryBackend } from '../api/helpers.js';
import { canonical, Rng, testSeed } from './random-rows.js';

const seed = testSeed('joins-match-a-plain-js-model');
const rng = new Rng(seed);
const maybe = <T>(value: T): T | null => (rng.nextInt(6) === 0 ? null : value);
const left = Array.from({ length: 120 }, (_, i) => ({
  k: maybe(rng.nextInt(15)),
  s: maybe(['x', 'y', 'é'][rng.nextInt(3)]!),
  a: i,
}));
const right = Array.from({ length: 90 }, (_, i) => ({
  k: maybe(rng.nextInt(20)),
  s: maybe(['x', 'z'][rng.nextInt(2)]!),
  b: i * 10,
}));

type L = (typeof left)[number];
type R = (typeof right)[number];

/** SQL's joins by nested loops, keys (k, s) once in the output. */
function model(how: Exclude<JoinType, 'cross'>): Record<string, unknown>[] {
  const matches = (l: L, r: R) => l.k !== null && l.s !== null && l.k === r.k && l.s === r.s;
  const out: Record<string, unknown>[] = [];
  if (how === 'semi' || how === 'anti')
    return left.filter((l) => right.some((r) => matches(l, r)) === (how === 'semi'));
  for (const l of left) {
    const found = right.filter((r) => matches(l, r));
    for (const r of found) out.push({ k: l.k, s: l.s, a: l.a, b: r.b });
    if (found.length === 0 && (how === 'left' || how === 'full')) out.push({ k: l.k, s: l.s, a: l.a, b: null });
  }
  if (how === 'right' || how === 'full') {
    for (const r of right) if (!left.some((l) => matches(l, r))) out.push({ k: r.k, s: r.s, a: null, b: r.b });
  }
  return out;
}

const HOWS: readonly Exclude<JoinType, 'cross'>[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];

for (const [strategy, options] of [
  ['shuffled-hash', { broadcastJoinBytesMax: 0 }],
  ['broadcast-hash', {}],
] as const) {
  onEveryBackend(
    `join as a ${strategy} join`,
    (on) => {
      for (const how of HOWS) {
        test(`${how} join matches SQL's`, async () => {
          const l = on.kc().fromColumns(columnsOf(left), { numPartitions: 3 });
          const r = on.kc().fromColumns(columnsOf(right), { numPartitions: 2 });
          const joined = l.join(r, ['k', 's'], how, { numPartitions: 4 });
          // right and full joins cannot broadcast their right side; a shuffled join is then the only way.
          const expected = strategy === 'shuffled-hash' || how === 'full' ? 'shuffled-hash' : 'broadcast-hash';
          assert.match(joined.explain(), new RegExp(`${expected} join ${how} on \\[k, s\\]`));
          assert.deepEqual(canonical(await joined.collect()), canonical(model(how)));
        });
      }

      test('cross join pairs every row (a broadcast of the smaller side)', async () => {
        const l = on.kc().fromColumns({ a: [1, 2, 3] }, { numPartitions: 2 });
        const r = on.kc().fromColumns({ b: ['x', 'y'] }, { numPartitions: 1 });
        const got = await l.join(r, undefined, 'cross').collect();
        assert.deepEqual(canonical(got), canonical([1, 2, 3].flatMap((a) => ['x', 'y'].map((b) => ({ a, b })))));
      });

      test('a column on both sides that is not a key is refused with the fix', async () => {
        const l = on.kc().fromColumns({ k: [1], v: [1] }, { numPartitions: 1 });
        const r = on.kc().fromColumns({ k: [1], v: [2] }, { numPartitions: 1 });
        await assert.rejects(l.join(r, 'k').collect(), /both sides have a column 'v' that is not a join key/);
        const renamed = r.select('k', col('v').as('w'));
        assert.deepEqual(await l.join(renamed, 'k').collect(), [{ k: 1, v: 1, w: 2 }]);
      });
    },
    options,
  );
}

function columnsOf(rows: readonly Record<string, unknown>[]): Record<string, (string | number | null)[]> {
  const names = Object.keys(rows[0]!);
  return Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n] as string | number | null)]));
}
