// A shuffled hash join whose build side is over `joinBuildBytesMax` splits both sides into buckets of spill files
// and joins them a bucket at a time: every join type, on seeded random tables with null and duplicate keys, string,
// multi-column and every key type, gives exactly the rows of a plain-JS model and of the same join in memory; the
// spill shows in the job's metrics and explainAnalyze; a bucket still over the budget is split again; one key larger
// than the budget fails with the key named; a task failing mid-join, or a corrupt bucket file, leaves no spill file
// and never a wrong answer.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { col, Context, type ContextOptions, type Dataset, type JoinType } from '../../src/index.js';
import type { JoinSpec } from '../../src/protocol/columnar.js';
import type { Batch } from '../../src/executor/columnar/batches/batch.js';
import { hashJoin } from '../../src/executor/columnar/joins/hash-join.js';
import { BlockCorruptError } from '../../src/storage/blocks/block-corrupt-error.js';
import { temporaryDirectory } from '../api/helpers.js';
import { canonical, Rng, testSeed } from './random-rows.js';

const seed = testSeed('joins-spill-buckets-over-the-build-budget');
const rng = new Rng(seed);
const maybe = <T>(value: T): T | null => (rng.nextInt(7) === 0 ? null : value);
const WORDS = ['x', 'y', 'é', '日本', '', 'a longer key string', 'z', 'xy', 'ÿ', 'key', 'q', '🙂'];
const leftTable = Array.from({ length: 700 }, (_, i) => ({
  k: maybe(rng.nextInt(40)),
  s: maybe(WORDS[rng.nextInt(WORDS.length)]!),
  a: i,
}));
const rightTable = Array.from({ length: 600 }, (_, i) => ({
  k: maybe(rng.nextInt(50)),
  s: maybe(WORDS[rng.nextInt(10)]!),
  b: i * 10,
}));
type L = (typeof leftTable)[number];
type R = (typeof rightTable)[number];

const HOWS: readonly Exclude<JoinType, 'cross'>[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];

/** SQL's joins by nested loops on `keys`, each key once in the output (the left's, or the right's when absent). */
function model(how: Exclude<JoinType, 'cross'>, keys: readonly ('k' | 's')[], left: readonly L[], right: readonly R[]) {
  const matches = (l: L, r: R) => keys.every((key) => l[key] !== null && l[key] === r[key]);
  if (how === 'semi' || how === 'anti')
    return left.filter((l) => right.some((r) => matches(l, r)) === (how === 'semi'));
  const out: Record<string, unknown>[] = [];
  const row = (l: L | null, r: R | null) => {
    const o: Record<string, unknown> = {};
    for (const key of ['k', 's'] as const) {
      if (keys.includes(key)) o[key] = l !== null ? l[key] : r![key];
      else o[key === 'k' ? 'k' : 's'] = undefined;
    }
    return o;
  };
  for (const l of left) {
    const found = right.filter((r) => matches(l, r));
    for (const r of found) out.push(shape(keys, l, r, row(l, r)));
    if (found.length === 0 && (how === 'left' || how === 'full')) out.push(shape(keys, l, null, row(l, null)));
  }
  if (how === 'right' || how === 'full') {
    for (const r of right) if (!left.some((l) => matches(l, r))) out.push(shape(keys, null, r, row(null, r)));
  }
  return out;
}

/** The answer row: keys, then the left's other columns, then the right's (null for a missing side). */
function shape(keys: readonly string[], l: L | null, r: R | null, key: Record<string, unknown>) {
  const o: Record<string, unknown> = {};
  for (const k of keys) o[k] = key[k];
  if (!keys.includes('k')) o['k'] = l?.k ?? null;
  if (!keys.includes('s')) o['s'] = l?.s ?? null;
  o['a'] = l?.a ?? null;
  if (!keys.includes('k')) o['rk'] = r?.k ?? null;
  if (!keys.includes('s')) o['rs'] = r?.s ?? null;
  o['b'] = r?.b ?? null;
  return o;
}

const tmp = temporaryDirectory('join-spill');

/** Every file under `dir` whose path has a spilling join's folder in it. */
function joinSpillFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => p.includes('join-partition-'));
}

async function withContext<T>(options: ContextOptions, run: (kc: Context) => Promise<T>): Promise<T> {
  const kc = new Context({ threads: 0, broadcastJoinBytesMax: 0, tmpDir: tmp(), ...options });
  try {
    return await run(kc);
  } finally {
    await kc.stop();
  }
}

function sides(kc: Context, keys: readonly string[], left: readonly L[], right: readonly R[]): [Dataset, Dataset] {
  const l = kc.fromColumns(columnsOf(left, ['k', 's', 'a']), { numPartitions: 3 });
  let r = kc.fromColumns(columnsOf(right, ['k', 's', 'b']), { numPartitions: 2 });
  // The right's columns that are not keys are renamed, so the answer has no two columns of one name.
  if (!keys.includes('k')) r = r.withColumnRenamed('k', 'rk');
  if (!keys.includes('s')) r = r.withColumnRenamed('s', 'rs');
  return [l, r];
}

function columnsOf(rows: readonly Record<string, unknown>[], names: readonly string[]) {
  return Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n] as string | number | null)]));
}

const ordered = (rows: readonly Record<string, unknown>[]) =>
  canonical(rows.map((r) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))));

// Budgets that send every partition's build side (~300 rows) to buckets, above the rows of the most frequent key.
const BUDGETS = [
  { keys: ['k', 's'], budget: 600 },
  { keys: ['s'], budget: 5000 },
  { keys: ['k'], budget: 1500 },
] as const;

for (const { keys, budget } of BUDGETS) {
  for (const how of HOWS) {
    test(`${how} join on [${keys.join(', ')}] over the build budget matches SQL's and the in-memory join`, async () => {
      const expected = ordered(model(how, keys, leftTable, rightTable));
      const inMemory = await withContext({}, async (kc) => {
        const [l, r] = sides(kc, keys, leftTable, rightTable);
        const rows = await l.join(r, [...keys], how, { numPartitions: 2 }).collect();
        assert.equal(kc.lastJobMetrics!.spillBytes, 0, 'the default budget holds this build side');
        return rows;
      });
      assert.deepEqual(ordered(inMemory), expected);
      await withContext({ joinBuildBytesMax: budget }, async (kc) => {
        const [l, r] = sides(kc, keys, leftTable, rightTable);
        const joined = l.join(r, [...keys], how, { numPartitions: 2 });
        assert.deepEqual(ordered(await joined.collect()), expected);
        assert.ok(kc.lastJobMetrics!.spillBytes > 0, 'the build side went to bucket files');
        const report = await kc.explainAnalyze(joined);
        assert.match(report, /spilled \d/);
        assert.match(report, /join-spill-buckets \d+/);
        assert.deepEqual(joinSpillFiles(tmp()), [], 'no bucket file is left');
      });
    });
  }
}

test('every key type joins alike over the budget: int32, int64, float64, date, timestamp, string', async () => {
  const n = 500;
  const base = {
    key: Array.from({ length: n }, () => maybe(rng.nextInt(60))),
    v: Array.from({ length: n }, (_, i) => i),
  };
  const other = {
    key: Array.from({ length: n }, () => maybe(rng.nextInt(80))),
    w: Array.from({ length: n }, (_, i) => -i),
  };
  for (const type of ['int32', 'int64', 'float64', 'date', 'timestamp', 'utf8'] as const) {
    const run = (budget: number | undefined) =>
      withContext(budget === undefined ? {} : { joinBuildBytesMax: budget }, async (kc) => {
        // Dates from seconds (a day apart) through timestamps: numbers do not cast to dates directly.
        const typed = (cols: Record<string, (number | null)[]>) =>
          type === 'date'
            ? kc
                .fromColumns(
                  { ...cols, key: cols['key']!.map((k) => (k === null ? null : k * 86_400)) },
                  { numPartitions: 2 },
                )
                .withColumn('key', col('key').cast('timestamp').cast('date'))
            : kc.fromColumns(cols, { numPartitions: 2 }).withColumn('key', col('key').cast(type));
        const rows = await typed(base)
          .join(typed(other), 'key', 'full', { numPartitions: 2 })
          .select(col('key').cast('utf8').as('key'), 'v', 'w')
          .collect();
        if (budget !== undefined) assert.ok(kc.lastJobMetrics!.spillBytes > 0, `${type}: spilled`);
        return canonical(rows);
      });
    assert.deepEqual(await run(300), await run(undefined), type);
  }
  const matches = base.key.filter((k) => k !== null).length;
  assert.ok(matches > 0);
});

test('a bucket over the budget is split again; one key larger than the budget fails naming it', async () => {
  const spec = (how: JoinSpec['how'], buildBytesMax: number, dir: string): JoinSpec => ({
    how,
    leftKeys: ['k'],
    rightKeys: ['k'],
    build: 'right',
    strategy: 'shuffled-hash',
    spill: { dir, buildBytesMax },
  });
  const batchOf = (rows: number, key: (i: number) => number, name: string): Batch => ({
    rows,
    names: ['k', name],
    columns: [
      { type: 'i32', values: Int32Array.from({ length: rows }, (_, i) => key(i)) },
      { type: 'f64', values: Float64Array.from({ length: rows }, (_, i) => i) },
    ],
  });
  const left = [batchOf(3000, (i) => i % 1500, 'a')];
  const right = [batchOf(2000, (i) => i % 1000, 'b'), batchOf(2000, (i) => 1000 + (i % 1000), 'b')];
  let buckets = 0;
  let spilled = 0;
  const task = { partition: 0, onSpilled: (b: number) => (spilled += b), onBuckets: (c: number) => (buckets += c) };
  const dir = join(tmp(), 'unit');
  // 4000 build rows of 12 bytes over a 1 KiB budget: 16 first buckets of ~3 KB, each split again.
  const rows = [...hashJoin(spec('inner', 1024, dir), left, right, task)].reduce((s, b) => s + b.rows, 0);
  assert.equal(rows, 3000 * 2, 'each left row meets its key twice');
  assert.ok(buckets > 16, `a deeper level of buckets was joined (${buckets} buckets)`);
  assert.ok(spilled > 0);
  assert.deepEqual(joinSpillFiles(dir), []);
  // One key with 2000 build rows cannot be split below the budget.
  const skewed = [batchOf(2000, () => 7, 'b'), batchOf(500, (i) => i, 'b')];
  assert.throws(
    () => [...hashJoin(spec('left', 1024, dir), left, skewed, task)],
    (error: Error & { code?: string }) =>
      error.code === 'ERR_COLUMNAR_JOIN_KEY_TOO_FREQUENT' &&
      /the key \(k\) = \(7\) alone has 200\d build-side rows/.test(error.message),
  );
  assert.deepEqual(joinSpillFiles(dir), [], 'the failed join left no file');
});

test('a key too frequent for the budget fails the job at its first attempt, naming the key', async () => {
  // The failure is decided by the data and joinBuildBytesMax: retrying would redo the spill taskAttemptsMax times.
  const kc = new Context({ threads: 2, broadcastJoinBytesMax: 0, joinBuildBytesMax: 4096 });
  try {
    const left = kc.fromColumns({ k: Int32Array.from({ length: 3000 }, (_, i) => i % 1500) }, { numPartitions: 2 });
    const right = kc.fromColumns(
      {
        k: Int32Array.from({ length: 4000 }, (_, i) => (i < 3000 ? 7 : i)),
        b: Float64Array.from({ length: 4000 }, (_, i) => i),
      },
      { numPartitions: 2 },
    );
    await assert.rejects(
      () => left.join(right, 'k', 'left', { numPartitions: 1 }).count(),
      (error: Error & { code?: string; cause?: Error & { code?: string } }) =>
        error.code === 'ERR_JOB_FAILED' &&
        /failed 1 time; last failure: .*the key \(k\) = \(7\) alone has 3000 build-side rows/.test(error.message) &&
        error.cause?.code === 'ERR_COLUMNAR_JOIN_KEY_TOO_FREQUENT',
    );
  } finally {
    await kc.stop();
  }
});

test('a join abandoned mid-way, or reading a corrupt bucket file, leaves no file and no wrong answer', async () => {
  const spec: JoinSpec = {
    how: 'full',
    leftKeys: ['k'],
    rightKeys: ['k'],
    build: 'right',
    strategy: 'shuffled-hash',
    spill: { dir: join(tmp(), 'abandon'), buildBytesMax: 2048 },
  };
  const batchOf = (rows: number, name: string): Batch => ({
    rows,
    names: ['k', name],
    columns: [
      { type: 'i32', values: Int32Array.from({ length: rows }, (_, i) => (i * 7) % 900) },
      { type: 'f64', values: new Float64Array(rows) },
    ],
  });
  const task = { partition: 3, onSpilled: () => {}, onBuckets: () => {} };
  // Abandoned after its first answer batch (a failure downstream closes the generator).
  const joined = hashJoin(spec, [batchOf(2000, 'a')], [batchOf(2000, 'b')], task);
  assert.ok(joined.next().done === false);
  assert.ok(joinSpillFiles(spec.spill!.dir).length > 0, 'bucket files exist mid-join');
  joined.return(undefined);
  assert.deepEqual(joinSpillFiles(spec.spill!.dir), []);
  // A bit flipped in every bucket file once the first bucket is joined: the next read fails with the file named.
  let damaged = false;
  const damaging = {
    ...task,
    onBuckets: () => {
      if (damaged) return;
      damaged = true;
      for (const path of joinSpillFiles(spec.spill!.dir)) {
        const file = join(spec.spill!.dir, path);
        if (!path.endsWith('.arrow')) continue;
        const bytes = readFileSync(file);
        bytes[bytes.length >> 1]! ^= 1;
        writeFileSync(file, bytes);
      }
    },
  };
  assert.throws(
    () => [...hashJoin(spec, [batchOf(2000, 'a')], [batchOf(2000, 'b')], damaging)],
    (error: Error) => error instanceof BlockCorruptError && /join\(\), partition 3, bucket/.test(error.message),
  );
  assert.ok(damaged);
  assert.deepEqual(joinSpillFiles(spec.spill!.dir), []);
});

test('a task failing mid-join is retried from lineage: the same answer, no bucket file left', async () => {
  const expected = ordered(model('left', ['k', 's'], leftTable, rightTable));
  await withContext({ joinBuildBytesMax: 600 }, async (kc) => {
    const [l, r] = sides(kc, ['k', 's'], leftTable, rightTable);
    const key = `kindling-join-spill-fail-${seed}`;
    // Throws at the 5th answer row of the first attempt of each task (inline: the flag is this thread's).
    const rows = await l
      .join(r, ['k', 's'], 'left', { numPartitions: 2 })
      .toRDD()
      .map(
        (row) => {
          const g = globalThis as unknown as Record<string, number>;
          g[key] = (g[key] ?? 0) + 1;
          if (g[key] === 5) throw new Error('injected failure mid-join');
          return row;
        },
        { key },
      )
      .collect();
    assert.deepEqual(ordered(rows as Record<string, unknown>[]), expected);
    assert.ok(kc.lastJobMetrics!.spillBytes > 0, 'the join spilled');
    assert.equal((globalThis as unknown as Record<string, number>)[key]! > expected.length, true, 'a task ran twice');
    assert.deepEqual(joinSpillFiles(tmp()), []);
  });
});

test('a bucket file corrupted mid-join fails that attempt; the retry from lineage gives the right answer', async () => {
  const expected = ordered(model('full', ['k', 's'], leftTable, rightTable));
  await withContext({ joinBuildBytesMax: 600 }, async (kc) => {
    const [l, r] = sides(kc, ['k', 's'], leftTable, rightTable);
    const key = `kindling-join-spill-corrupt-${seed}`;
    let corrupted = 0;
    // Called by the first answer row (inline: this thread's globalThis): flips a bit in every bucket file not read yet.
    (globalThis as unknown as Record<string, () => void>)[key] = () => {
      if (corrupted > 0) return;
      for (const path of joinSpillFiles(tmp())) {
        if (!path.endsWith('.arrow')) continue;
        const file = join(tmp(), path);
        const bytes = readFileSync(file);
        bytes[bytes.length >> 1]! ^= 1;
        writeFileSync(file, bytes);
        corrupted++;
      }
    };
    const rows = await l
      .join(r, ['k', 's'], 'full', { numPartitions: 2 })
      .toRDD()
      .map(
        (row) => {
          (globalThis as unknown as Record<string, () => void>)[key]!();
          return row;
        },
        { key },
      )
      .collect();
    assert.ok(corrupted > 0, 'bucket files were damaged mid-join');
    assert.deepEqual(ordered(rows as Record<string, unknown>[]), expected);
    assert.deepEqual(joinSpillFiles(tmp()), []);
  });
});
