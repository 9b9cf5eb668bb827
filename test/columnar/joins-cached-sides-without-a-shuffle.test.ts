// join() of two cached datasets whose blocks are all in the cache runs as a co-located hash join (every task reads
// every cached block of both sides and keeps its key-hash share; no column is shuffled). Its answers must equal the
// shuffled hash join's (itself checked against a plain-JS SQL model in joins-match-a-plain-js-model) for every join
// kind, one and two key columns, null and duplicate keys, a skewed key, empty sides, a side seen through a renaming
// select, on 1 and 2 threads; a cached side whose block is lost is recomputed from lineage, and a task
// that fails and is retried gives the same answer.
import assert from 'node:assert/strict';
import { rmSync, unlinkSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { col, Context, type Dataset, type JoinType } from '../../src/index.js';
import { CO_LOCATED_TASKS_MAX } from '../../src/api/planning/dataset-join.js';
import { freshTmpDir, spillFilesUnder } from '../spill/spill-helpers.js';
import { canonical, Rng, testSeed } from './random-rows.js';

const seed = testSeed('joins-cached-sides-without-a-shuffle');
const rng = new Rng(seed);
const maybe = <T>(value: T): T | null => (rng.nextInt(7) === 0 ? null : value);
/** Key k: a third of the rows share one value (skew); the rest spread over a range both sides overlap in part. */
const key = (range: number) => maybe(rng.nextInt(3) === 0 ? 4 : rng.nextInt(range));
const leftRows = Array.from({ length: 400 }, (_, i) => ({
  k: key(40),
  s: maybe(['x', 'y', 'é', ''][rng.nextInt(4)]!),
  a: i,
}));
const rightRows = Array.from({ length: 300 }, (_, i) => ({
  k: key(60),
  s: maybe(['x', 'z', ''][rng.nextInt(3)]!),
  b: i % 3 === 0 ? null : i * 10,
}));
type Rows = readonly Record<string, string | number | null>[];

const HOWS: readonly Exclude<JoinType, 'cross'>[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];
/** Two key columns, and one (the right's `s` renamed by a select, so the cached side is seen through it). */
const KEYINGS = [
  { title: 'keys (k, s)', on: ['k', 's'], rename: false },
  { title: "key k, the right's s renamed", on: ['k'], rename: true },
] as const;
const EMPTIES = [
  { title: 'both sides with rows', left: leftRows, right: rightRows },
  { title: 'an empty left side', left: [], right: rightRows },
  { title: 'an empty right side', left: leftRows, right: [] },
  { title: 'both sides empty', left: [], right: [] },
] as const;

/** The rows as columns named as in `like` (so an empty side keeps its columns). */
function columnsOf(rows: Rows, like: Rows): Record<string, (string | number | null)[]> {
  return Object.fromEntries(Object.keys(like[0]!).map((n) => [n, rows.map((r) => r[n]!)]));
}

async function sides(kc: Context, left: Rows, right: Rows, cached: boolean, rename: boolean): Promise<Dataset[]> {
  let l = kc.fromColumns(columnsOf(left, leftRows), { numPartitions: 3 });
  let r = kc.fromColumns(columnsOf(right, rightRows), { numPartitions: 2 });
  if (cached) {
    l = l.cache();
    r = r.cache();
    await l.count();
    await r.count();
  }
  return [l, rename ? r.select(col('k'), col('s').as('t'), col('b')) : r];
}

for (const threads of [1, 2]) {
  describe(`joins of cached sides on ${threads} threads`, () => {
    let kc: Context;
    before(() => {
      kc = new Context({ threads, broadcastJoinBytesMax: 0 });
    });
    after(() => kc.stop());
    for (const keying of KEYINGS) {
      for (const how of HOWS) {
        test(`${how} join, ${keying.title}: the co-located join equals the shuffled one`, async () => {
          for (const empty of EMPTIES) {
            const where = `${how}, ${keying.title}, ${empty.title}`;
            const [pl, pr] = await sides(kc, empty.left, empty.right, false, keying.rename);
            const shuffled = pl!.join(pr!, keying.on, how, { numPartitions: 4 });
            assert.match(shuffled.explain(), /shuffled-hash join/, where);
            const [cl, cr] = await sides(kc, empty.left, empty.right, true, keying.rename);
            const coLocated = cl!.join(cr!, keying.on, how, { numPartitions: 4 });
            assert.match(
              coLocated.explain(),
              new RegExp(`co-located-hash join ${how} on \\[${keying.on.join(', ')}\\]`),
            );
            assert.doesNotMatch(coLocated.explain(), /shuffle/, `${where}: no shuffle`);
            const expected = await shuffled.collect();
            if (empty.left.length > 0 && empty.right.length > 0 && how !== 'anti') {
              assert.ok(expected.length > 0, `${where}: the case has rows`);
            }
            assert.deepEqual(canonical(await coLocated.collect()), canonical(expected), where);
            const names = async (d: Dataset) => (await d.toArrow()).schema.fields.map((f) => f.name);
            assert.deepEqual(await names(coLocated), await names(shuffled), `${where}: the same columns`);
            cl!.unpersist();
            cr!.unpersist();
          }
        });
      }
    }

    test('a side cached but not yet computed, or not cached, is joined through a shuffle', async () => {
      const [l, r] = await sides(kc, leftRows, rightRows, true, false);
      const notYet = kc.fromColumns(columnsOf(rightRows, rightRows), { numPartitions: 2 }).cache();
      const plain = kc.fromColumns(columnsOf(rightRows, rightRows), { numPartitions: 2 });
      assert.match(l!.join(notYet, ['k', 's']).explain(), /shuffled-hash join/);
      assert.match(l!.join(plain, ['k', 's']).explain(), /shuffled-hash join/);
      assert.match(l!.join(r!, ['k', 's']).explain(), /co-located-hash join/);
      // A filter is work each task would repeat over every block: such a side goes through the shuffle.
      assert.match(l!.join(r!.filter(col('b').gt(0)), ['k', 's']).explain(), /shuffled-hash join/);
      // Every task hashes every row's keys: past CO_LOCATED_TASKS_MAX tasks the shuffle is cheaper.
      const many = { numPartitions: CO_LOCATED_TASKS_MAX + 1 };
      assert.match(l!.join(r!, ['k', 's'], 'inner', { numPartitions: CO_LOCATED_TASKS_MAX }).explain(), /co-located/);
      assert.match(l!.join(r!, ['k', 's'], 'inner', many).explain(), /shuffled-hash join/);
    });
  });
}

describe('a co-located join recovers from failures', () => {
  const expected = async () => {
    const kc = new Context({ threads: 2, broadcastJoinBytesMax: 0 });
    try {
      const [l, r] = await sides(kc, leftRows, rightRows, false, false);
      return canonical(await l!.join(r!, ['k', 's'], 'full', { numPartitions: 4 }).collect());
    } finally {
      await kc.stop();
    }
  };

  test('a cached block lost from disk is recomputed from lineage', async () => {
    const tmpDir = freshTmpDir();
    // A budget below the cached blocks: MEMORY_AND_DISK spills them to files, which still count as cached.
    const kc = new Context({ threads: 2, tmpDir, broadcastJoinBytesMax: 0, memoryBytesMax: 4096 });
    try {
      const l = kc.fromColumns(columnsOf(leftRows, leftRows), { numPartitions: 3 }).persist('MEMORY_AND_DISK');
      const r = kc.fromColumns(columnsOf(rightRows, rightRows), { numPartitions: 2 }).persist('MEMORY_AND_DISK');
      await l.count();
      await r.count();
      const joined = l.join(r, ['k', 's'], 'full', { numPartitions: 4 });
      assert.match(joined.explain(), /co-located-hash join/);
      const files = spillFilesUnder(tmpDir).filter((path) => path.includes('/cache/'));
      assert.ok(files.length >= 2, `cached blocks were spilled, found ${files.length}`);
      unlinkSync(files[0]!);
      unlinkSync(files[files.length - 1]!);
      assert.deepEqual(canonical(await joined.collect()), await expected());
      // Once more: the recomputed blocks serve the next job as well.
      assert.deepEqual(canonical(await joined.collect()), await expected());
    } finally {
      await kc.stop();
      rmSync(tmpDir, { recursive: true, force: true });
    }
  });

  for (const kind of ['throw', 'crash'] as const) {
    test(`a join task that fails (${kind}) and is retried gives the failure-free answer`, async () => {
      const kc = new Context({ threads: 2, broadcastJoinBytesMax: 0 });
      try {
        const [l, r] = await sides(kc, leftRows, rightRows, true, false);
        const joined = l!.join(r!, ['k', 's'], 'full', { numPartitions: 4 });
        assert.match(joined.explain(), /co-located-hash join/);
        kc.setFaults({
          seed,
          rules: [
            { kind, attempt: 0, partition: 1 },
            { kind, attempt: 0, partition: 3 },
          ],
        });
        const got = canonical(await joined.collect());
        assert.equal(kc.lastJobMetrics?.tasksRetried, 2, 'two tasks failed and were retried');
        kc.setFaults(null);
        assert.deepEqual(got, await expected());
      } finally {
        await kc.stop();
      }
    });
  }
});
