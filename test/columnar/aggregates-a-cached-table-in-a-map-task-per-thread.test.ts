// A groupBy over a cached table (a CSV read into dictionary-coded cached partitions, each partition its own
// dictionary) runs one map task per thread, each combining several cached partitions' partials before the shuffle
// (`cached-map-tasks.ts`): the job runs 2 map tasks, not one per partition, and its answer (count, sum, mean, min,
// max; keys and values with nulls) equals a plain Map model's, also when cached partitions were lost and are
// recomputed from lineage inside the combined task. A filtered ranking window's map side (the top rows per key, after
// a filter over the cache) is combined the same way. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  col,
  Context,
  count,
  max,
  mean,
  min,
  rowNumber,
  sum,
  Window,
  type Row,
  type StorageLevel,
} from '../../src/index.js';
import { freshTmpDir, MIB, spillFilesUnder } from '../spill/spill-helpers.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('aggregates-a-cached-table-in-a-map-task-per-thread');
const ROWS = 60_000;
const PARTITIONS = 7;
const THREADS = 2;

interface Data {
  readonly csv: string;
  readonly rows: { id: string | null; v1: number | null; v3: number }[];
}

/** Ids of 1 … 3000 as db-benchmark's id3 (`id%010d`), one in 25 null; v1 1 … 5 or null; v3 in quarters. */
function data(): Data {
  const rng = new Rng(seed);
  const lines = ['id3,v1,v3'];
  const rows: Data['rows'] = [];
  for (let i = 0; i < ROWS; i++) {
    const id = rng.nextInt(25) === 0 ? null : `id${String(1 + rng.nextInt(3000)).padStart(10, '0')}`;
    const v1 = rng.nextInt(30) === 0 ? null : 1 + rng.nextInt(5);
    const v3 = rng.nextInt(400) / 4;
    rows.push({ id, v1, v3 });
    lines.push(`${id ?? ''},${v1 ?? ''},${v3}`);
  }
  return { csv: `${lines.join('\n')}\n`, rows };
}

/** The query's answer per the model, rows sorted by key (null first), as JSON lines. */
function model({ rows }: Data): string[] {
  const groups = new Map<string | null, { n: number; s: number; n1: number; t: number; lo: number; hi: number }>();
  for (const { id, v1, v3 } of rows) {
    const g = groups.get(id) ?? { n: 0, s: 0, n1: 0, t: 0, lo: Infinity, hi: -Infinity };
    g.n++;
    if (v1 !== null) {
      g.s += v1;
      g.n1++;
    }
    g.t += v3;
    g.lo = Math.min(g.lo, v3);
    g.hi = Math.max(g.hi, v3);
    groups.set(id, g);
  }
  return [...groups]
    .map(([id3, g]) => ({ id3, count: g.n, v1: g.n1 === 0 ? null : g.s, v3: g.t / g.n, lo: g.lo, hi: g.hi }))
    .map((row) => JSON.stringify(row))
    .sort(byKey);
}

function byKey(a: string, b: string): number {
  const ka = (JSON.parse(a) as Row)['id3'] as string | null;
  const kb = (JSON.parse(b) as Row)['id3'] as string | null;
  return ka === kb ? 0 : ka === null ? -1 : kb === null ? 1 : ka < kb ? -1 : 1;
}

/** The query's answer, and the tasks its job ran. */
async function answer(kc: Context, path: string, level: StorageLevel, lose: (() => void) | null) {
  const table = kc.read.csv(path, {
    header: true,
    schema: { id3: 'string', v1: 'int', v3: 'double' },
    minPartitions: PARTITIONS,
  });
  const x = table.persist(level);
  assert.equal(await x.count(), ROWS);
  assert.ok(x.getNumPartitions() >= PARTITIONS, `${x.getNumPartitions()} cached partitions`);
  lose?.();
  const rows = await x
    .groupBy('id3')
    .agg(count(), sum('v1').as('v1'), mean('v3').as('v3'), min('v3').as('lo'), max('v3').as('hi'))
    .collect();
  const tasks = kc.lastJobMetrics!.tasksSucceeded;
  return { rows: rows.map((row) => JSON.stringify(row)).sort(byKey), tasks, partitions: x.getNumPartitions() };
}

/** Runs `body` with a THREADS-thread Context and the seeded table written as a CSV file, then cleans up. */
async function withTable(body: (kc: Context, path: string, d: Data) => Promise<void>): Promise<void> {
  const dir = freshTmpDir();
  const kc = new Context({ threads: THREADS, tmpDir: dir });
  try {
    const d = data();
    const path = join(dir, 'g1.csv');
    writeFileSync(path, d.csv);
    await body(kc, path, d);
  } finally {
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a groupBy over a cached table runs a map task per thread, and answers as the model', () =>
  withTable(async (kc, path, d) => {
    const { rows, tasks, partitions } = await answer(kc, path, 'MEMORY_ONLY', null);
    assert.deepEqual(rows, model(d), `SEED=${seed}`);
    // THREADS map tasks over the cached partitions, then the groupBy's THREADS reduce tasks.
    assert.equal(tasks, 2 * THREADS, `map tasks combine the ${partitions} cached partitions`);
  }));

test('cached partitions lost before a combined map task are recomputed from lineage, answer exact', async () => {
  const dir = freshTmpDir();
  // A budget that spills some cached partitions: their files are then deleted.
  const kc = new Context({ threads: THREADS, tmpDir: dir, memoryBytesMax: MIB / 2 });
  try {
    const d = data();
    const path = join(dir, 'g1.csv');
    writeFileSync(path, d.csv);
    let lost = 0;
    const lose = () => {
      const files = spillFilesUnder(dir).filter((file) => file.includes('/cache/'));
      for (const file of files) rmSync(file);
      lost = files.length;
    };
    const { rows } = await answer(kc, path, 'MEMORY_AND_DISK', lose);
    assert.ok(lost > 0, 'some cached partitions were spilled, then lost');
    assert.deepEqual(rows, model(d), `SEED=${seed}`);
  } finally {
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The two largest v3 of each id3 among rows whose v1 is not null, per the model, as sorted JSON lines. */
function topTwoModel({ rows }: Data): string[] {
  const values = new Map<string | null, number[]>();
  for (const { id, v1, v3 } of rows) {
    if (v1 === null) continue;
    const list = values.get(id) ?? [];
    list.push(v3);
    values.set(id, list);
  }
  const out: string[] = [];
  for (const [id3, list] of values) {
    for (const v3 of list.sort((a, b) => b - a).slice(0, 2)) out.push(JSON.stringify({ id3, v3 }));
  }
  return out.sort();
}

test('a filtered ranking window over a cached table limits rows in a map task per thread, answer as the model', () =>
  withTable(async (kc, path, d) => {
    const x = kc.read
      .csv(path, { header: true, schema: { id3: 'string', v1: 'int', v3: 'double' }, minPartitions: PARTITIONS })
      .cache();
    assert.equal(await x.count(), ROWS);
    const top = x
      .filter(col('v1').isNotNull())
      .select('id3', 'v3')
      .withColumn('rn', rowNumber().over(Window.partitionBy('id3').orderBy(col('v3').desc())))
      .filter(col('rn').le(2))
      .select('id3', 'v3');
    assert.match(top.explain(), /partitions per task/);
    const rows = (await top.collect()).map((row) => JSON.stringify(row)).sort();
    assert.deepEqual(rows, topTwoModel(d), `SEED=${seed}`);
    assert.equal(
      kc.lastJobMetrics!.tasksSucceeded,
      2 * THREADS,
      `map tasks combine ${x.getNumPartitions()} partitions`,
    );
  }));
