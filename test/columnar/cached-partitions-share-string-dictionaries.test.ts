// The cached partitions of a dataset share one dictionary per coded string column (shared-dictionary-codes.ts):
// each partition's dictionary is a prefix of the others' or they are equal, so equal codes are equal strings in
// every partition, also for partitions lost and recomputed from lineage after the rest were cached. Checked on a
// seeded CSV (multi-byte words, ids as db-benchmark's id3, null keys) cached in several partitions by two threads,
// through toArrow() (each batch is a cached block's rows, its Arrow dictionary the block's own). groupBy answers
// over such a table, one key and two, equal a plain Map model's. SEED= replays a run.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { Context, count, sum, type Dataset, type Row, type StorageLevel } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { freshTmpDir, MIB } from '../spill/spill-helpers.js';
import { testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('cached-partitions-share-string-dictionaries');
const ROWS = 40_000;
const PARTITIONS = 6;
const THREADS = 2;

/** Words a CSV field holds as they are (quoted), and 400 more, so a dictionary needs 2-byte codes. */
const WORDS = [
  ...TRICKY_WORDS.filter((w) => w !== '' && !/[\r\n]/.test(w)),
  ...Array.from({ length: 400 }, (_, i) => `w${i}`),
];

interface Data {
  readonly csv: string;
  readonly rows: { k: string | null; id: string | null; v: number }[];
}

/** Keys k (words, skewed so later partitions meet words earlier ones did not) and id (1 … 1000), 1 in 20 null. */
function data(): Data {
  const rng = new Rng(seed);
  const lines = ['k,id,v'];
  const rows: Data['rows'] = [];
  for (let i = 0; i < ROWS; i++) {
    const k = rng.nextInt(20) === 0 ? null : WORDS[rng.nextInt(Math.min(WORDS.length, 40 + Math.floor(i / 60)))]!;
    const id = rng.nextInt(20) === 0 ? null : `id${String(1 + rng.nextInt(1000)).padStart(10, '0')}`;
    const v = rng.nextInt(1000);
    rows.push({ k, id, v });
    lines.push(`${k === null ? '' : `"${k.replaceAll('"', '""')}"`},${id ?? ''},${v}`);
  }
  return { csv: `${lines.join('\n')}\n`, rows };
}

/** Per toArrow() batch (a cached partition's rows of `column`), the Arrow dictionary of the column. */
async function dictionariesOf(ds: Dataset, column: string): Promise<string[][]> {
  const table = await ds.select(column).toArrow();
  return table.batches.map((batch) => {
    const dictionary = batch.getChild(column)!.data[0]!.dictionary;
    assert.ok(dictionary !== undefined, `${column} is dictionary-coded (SEED=${seed})`);
    return Array.from({ length: dictionary.length }, (_, c) => dictionary.get(c) as string);
  });
}

/** Every two dictionaries agree code for code on the codes both have, and none holds a string twice. */
function assertShared(dictionaries: readonly string[][], what: string): void {
  assert.ok(dictionaries.length >= PARTITIONS, `${what}: ${dictionaries.length} batches (SEED=${seed})`);
  const longest = dictionaries.reduce((a, b) => (b.length > a.length ? b : a));
  assert.equal(new Set(longest).size, longest.length, `${what}: a string twice (SEED=${seed})`);
  for (const [p, dictionary] of dictionaries.entries()) {
    for (let c = 0; c < dictionary.length; c++) {
      assert.equal(dictionary[c], longest[c], `${what}: partition ${p}, code ${c} (SEED=${seed})`);
    }
  }
}

/** Rows of `rows` as sorted JSON lines. */
function sortedJson(rows: readonly Row[]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort();
}

/** count and sum of v by k, and by (k, id), per a Map model. */
function model({ rows }: Data): { byK: string[]; byKId: string[] } {
  const byK = new Map<string | null, { n: number; s: number }>();
  const byKId = new Map<string, { k: string | null; id: string | null; n: number; s: number }>();
  for (const { k, id, v } of rows) {
    const one = byK.get(k) ?? { n: 0, s: 0 };
    one.n++;
    one.s += v;
    byK.set(k, one);
    const key = JSON.stringify([k, id]);
    const two = byKId.get(key) ?? { k, id, n: 0, s: 0 };
    two.n++;
    two.s += v;
    byKId.set(key, two);
  }
  return {
    byK: sortedJson([...byK].map(([k, g]) => ({ k, count: g.n, v: g.s }))),
    byKId: sortedJson([...byKId.values()].map((g) => ({ k: g.k, id: g.id, count: g.n, v: g.s }))),
  };
}

/** Runs `body` over the seeded table written as a CSV file and read into a persisted dataset, then cleans up. */
async function withCachedTable(
  memoryBytesMax: number | undefined,
  level: StorageLevel,
  body: (ds: Dataset, d: Data, kc: Context) => Promise<void>,
): Promise<void> {
  const dir = freshTmpDir();
  const kc = new Context({
    threads: THREADS,
    tmpDir: dir,
    ...(memoryBytesMax === undefined ? {} : { memoryBytesMax }),
  });
  try {
    const d = data();
    const path = join(dir, 'table.csv');
    writeFileSync(path, d.csv);
    const schema = { k: 'string', id: 'string', v: 'int' } as const;
    const ds = kc.read.csv(path, { header: true, schema, minPartitions: PARTITIONS }).persist(level);
    assert.equal(await ds.count(), ROWS);
    await body(ds, d, kc);
  } finally {
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function assertGroupByAnswers(ds: Dataset, d: Data): Promise<void> {
  const expected = model(d);
  const byK = await ds.groupBy('k').agg(count(), sum('v').as('v')).collect();
  assert.deepEqual(sortedJson(byK), expected.byK, `groupBy k (SEED=${seed})`);
  const byKId = await ds.groupBy('k', 'id').agg(count(), sum('v').as('v')).collect();
  assert.deepEqual(sortedJson(byKId), expected.byKId, `groupBy k, id (SEED=${seed})`);
}

test('the cached partitions of a CSV share one dictionary per string column; groupBy answers as the model', () =>
  withCachedTable(undefined, 'MEMORY_ONLY', async (ds, d) => {
    const k = await dictionariesOf(ds, 'k');
    assertShared(k, 'k');
    // Not vacuous: the partitions met different words, so their dictionaries differ in size.
    assert.ok(new Set(k.map((dictionary) => dictionary.length)).size > 1, `k sizes (SEED=${seed})`);
    assertShared(await dictionariesOf(ds, 'id'), 'id');
    await assertGroupByAnswers(ds, d);
  }));

test('cached partitions lost and recomputed from lineage code into the same dictionaries', () =>
  // A budget that holds a partition or two: the others are dropped as they are cached, and recomputed by the next
  // job that reads them (which drops others in turn).
  withCachedTable(MIB / 8, 'MEMORY_ONLY', async (ds, d, kc) => {
    for (const column of ['k', 'id']) {
      const dictionaries = await dictionariesOf(ds, column);
      assert.ok(kc.lastJobMetrics!.bytesRead > 0, `partitions were recomputed from the CSV (SEED=${seed})`);
      assertShared(dictionaries, `${column}, recomputed`);
    }
    await assertGroupByAnswers(ds, d);
  }));
