// join(other, on, how) for every join type, as a shuffled hash join (broadcastJoinBytesMax: 0) with its map outputs
// in memory and in spill files, of plain and of cached sides, and as a broadcast hash join (the default, small
// sources), against a plain-JS nested-loop model of SQL's joins on seeded random tables with null and duplicate keys
// and with an empty side; plus explain() naming the strategy.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, type ContextOptions, type JoinType } from '../../src/index.js';
import { onEveryBackend } from '../api/helpers.js';
import { canonical, Rng, testSeed } from './random-rows.js';

const seed = testSeed('joins-match-a-plain-js-model');
const rng = new Rng(seed);
const maybe = <T>(value: T): T | null => (rng.nextInt(6) === 0 ? null : value);
const leftTable = Array.from({ length: 120 }, (_, i) => ({
  k: maybe(rng.nextInt(15)),
  s: maybe(['x', 'y', 'é'][rng.nextInt(3)]!),
  a: i,
}));
const rightTable = Array.from({ length: 90 }, (_, i) => ({
  k: maybe(rng.nextInt(20)),
  s: maybe(['x', 'z'][rng.nextInt(2)]!),
  b: i * 10,
}));

type L = (typeof leftTable)[number];
type R = (typeof rightTable)[number];
const left: readonly L[] = leftTable;
const right: readonly R[] = rightTable;

/** SQL's joins by nested loops, keys (k, s) once in the output. */
function model(
  how: Exclude<JoinType, 'cross'>,
  left: readonly L[] = leftTable,
  right: readonly R[] = rightTable,
): Record<string, unknown>[] {
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

const GIB = 2 ** 30;

/** How a case runs: its Context options, whether both sides are cached first, and where the shuffle must go. */
interface JoinPath {
  readonly title: string;
  readonly strategy: 'shuffled-hash' | 'broadcast-hash';
  readonly options: Omit<ContextOptions, 'threads'>;
  readonly cached: boolean;
  /** 'files': every map output spilled; 'memory': none (checked on the job's spill bytes); null: not checked. */
  readonly shuffle: 'files' | 'memory' | null;
}

const PATHS: readonly JoinPath[] = [
  {
    title: 'shuffled-hash',
    strategy: 'shuffled-hash',
    options: { broadcastJoinBytesMax: 0 },
    cached: false,
    shuffle: null,
  },
  {
    title: 'shuffled-hash of cached sides, map outputs in spill files',
    strategy: 'shuffled-hash',
    options: { broadcastJoinBytesMax: 0, shuffleMemoryBytesMax: 0 },
    cached: true,
    shuffle: 'files',
  },
  {
    // A 2 GiB budget gives shuffles 320 MiB by default (a quarter above 1 GiB): every map output fits in memory.
    title: 'shuffled-hash of cached sides, map outputs in memory',
    strategy: 'shuffled-hash',
    options: { broadcastJoinBytesMax: 0, memoryBytesMax: 2 * GIB },
    cached: true,
    shuffle: 'memory',
  },
  { title: 'broadcast-hash', strategy: 'broadcast-hash', options: {}, cached: false, shuffle: null },
];

for (const path of PATHS) {
  const { strategy } = path;
  onEveryBackend(
    `join as a ${path.title} join`,
    (on) => {
      const sides = (leftRows: readonly L[], rightRows: readonly R[]) => {
        const l = on.kc().fromColumns(columnsOf(leftRows, left), { numPartitions: 3 });
        const r = on.kc().fromColumns(columnsOf(rightRows, right), { numPartitions: 2 });
        return path.cached ? [l.cache(), r.cache()] : [l, r];
      };
      const checkShuffle = () => {
        if (path.shuffle === null || strategy !== 'shuffled-hash') return;
        const spilled = on.kc().lastJobMetrics!.spillBytes;
        if (path.shuffle === 'files') assert.ok(spilled > 0, 'map outputs went to spill files');
        else assert.equal(spilled, 0, 'map outputs stayed in memory');
      };
      for (const how of HOWS) {
        test(`${how} join matches SQL's`, async () => {
          const [l, r] = sides(left, right);
          const joined = l!.join(r!, ['k', 's'], how, { numPartitions: 4 });
          // right and full joins cannot broadcast their right side; a shuffled join is then the only way.
          const expected = strategy === 'shuffled-hash' || how === 'full' ? 'shuffled-hash' : 'broadcast-hash';
          assert.match(joined.explain(), new RegExp(`${expected} join ${how} on \\[k, s\\]`));
          assert.deepEqual(canonical(await joined.collect()), canonical(model(how)));
          checkShuffle();
        });

        // An empty side keeps its columns: a left join with an empty right side has the right's columns, all null;
        // an inner join with an empty side has no rows but every column (as SQL, and as the same join with rows).
        test(`${how} join with an empty side matches SQL's, with every column`, async () => {
          const full = sides(left, right);
          const schema = (await full[0]!.join(full[1]!, ['k', 's'], how, { numPartitions: 4 }).toArrow()).schema;
          const names = schema.fields.map((f) => f.name);
          for (const [leftRows, rightRows] of [
            [left, []],
            [[], right],
            [[], []],
          ] as const) {
            const [l, r] = sides(leftRows, rightRows);
            const joined = l!.join(r!, ['k', 's'], how, { numPartitions: 4 });
            const got = await joined.collect();
            const expected = model(how, leftRows, rightRows);
            const where = `${leftRows.length} × ${rightRows.length}`;
            assert.deepEqual(canonical(got), canonical(expected), where);
            assert.deepEqual(
              (await joined.toArrow()).schema.fields.map((f) => f.name),
              names,
              `${where}: the columns of the answer with rows`,
            );
          }
        });
      }

      test('cross join pairs every row (a broadcast of the smaller side)', async () => {
        const l = on.kc().fromColumns({ a: [1, 2, 3] }, { numPartitions: 2 });
        const r = on.kc().fromColumns({ b: ['x', 'y'] }, { numPartitions: 1 });
        const got = await l.join(r, undefined, 'cross').collect();
        assert.deepEqual(canonical(got), canonical([1, 2, 3].flatMap((a) => ['x', 'y'].map((b) => ({ a, b })))));
        const none = on.kc().fromColumns({ b: [] as string[] }, { numPartitions: 2 });
        for (const joined of [l.join(none, undefined, 'cross'), none.join(l, undefined, 'cross')]) {
          assert.deepEqual(await joined.collect(), []);
          const names = (await joined.toArrow()).schema.fields.map((f) => f.name);
          assert.deepEqual(names.sort(), ['a', 'b'], "a cross join with an empty side keeps both sides' columns");
        }
      });

      test('a column on both sides that is not a key is refused with the fix', async () => {
        const l = on.kc().fromColumns({ k: [1], v: [1] }, { numPartitions: 1 });
        const r = on.kc().fromColumns({ k: [1], v: [2] }, { numPartitions: 1 });
        await assert.rejects(l.join(r, 'k').collect(), /both sides have a column 'v' that is not a join key/);
        const renamed = r.select('k', col('v').as('w'));
        assert.deepEqual(await l.join(renamed, 'k').collect(), [{ k: 1, v: 1, w: 2 }]);
      });
    },
    path.options,
  );
}

/** The rows as columns, named as in `like` (so an empty side keeps its columns). */
function columnsOf(
  rows: readonly Record<string, unknown>[],
  like: readonly Record<string, unknown>[],
): Record<string, (string | number | null)[]> {
  const names = Object.keys(like[0]!);
  return Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n] as string | number | null)]));
}
