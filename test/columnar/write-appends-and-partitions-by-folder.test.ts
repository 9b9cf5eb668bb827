// ds.write in every format: mode('append') adds uniquely named part files beside the old ones (the reader sees old
// plus new), partitionBy(...) writes Hive folders that kc.read turns back into columns (nulls and escaped
// characters included), and a failing write leaves the target exactly as it was (all or nothing).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import { col, InputError, OutputError, type Context, type Dataset, type Row } from '../../src/index.js';
import { filesUnder } from '../../src/io/files/file-tree.js';
import { onEveryBackend, rejectsWith, temporaryDirectory } from '../api/helpers.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('write-appends-and-partitions-by-folder');
const FORMATS = ['parquet', 'csv', 'jsonl', 'arrow'] as const;
const KEYS = ['north', 'south/east', 'a=b', '50%', 'é', null, ''];

function table(rng: Rng, n: number, from: number) {
  return {
    id: Array.from({ length: n }, (_, i) => from + i),
    region: Array.from({ length: n }, () => KEYS[rng.nextInt(KEYS.length)]!),
    year: Array.from({ length: n }, () => (rng.nextInt(6) === 0 ? null : 2020 + rng.nextInt(3))),
    amount: Array.from({ length: n }, () => (rng.nextInt(5) === 0 ? null : rng.nextInt(100000) / 4)),
  };
}

/** How each format is read back, typed as written. */
function readBack(kc: Context, format: string, dir: string): Dataset {
  const schema = { id: 'int', region: 'string', year: 'int', amount: 'double' };
  switch (format) {
    case 'parquet':
      return kc.read.parquet(dir);
    case 'csv':
      return kc.read.csv(dir, { header: true, schema: withoutPartitions(schema, dir) });
    case 'jsonl':
      return kc.read.jsonl(dir, { schema: withoutPartitions(schema, dir) });
    default:
      return kc.read.arrow(dir);
  }
}

/** A partitioned folder's files hold only the other columns (the folders hold the rest). */
function withoutPartitions(schema: Record<string, string>, dir: string): Record<string, string> {
  const folders = new Set(
    filesUnder(dir).flatMap((f) =>
      f
        .split('/')
        .slice(0, -1)
        .map((d) => d.split('=')[0]!),
    ),
  );
  return Object.fromEntries(Object.entries(schema).filter(([name]) => !folders.has(name)));
}

/** Rows comparable across formats: ids in order, numbers as numbers, '' and null alike for partition columns. */
function normalized(rows: readonly Row[], foldEmpty: readonly string[] = []): Row[] {
  return rows
    .map((row) =>
      Object.fromEntries(
        ['id', 'region', 'year', 'amount'].map((name) => {
          const v = row[name] ?? null;
          return [name, foldEmpty.includes(name) && v === '' ? null : typeof v === 'bigint' ? Number(v) : v];
        }),
      ),
    )
    .sort((a, b) => (a['id'] as number) - (b['id'] as number));
}

onEveryBackend('ds.write append and partitionBy', (on) => {
  const dir = temporaryDirectory('write-modes');
  const rng = new Rng(seed);
  const first = table(rng, 300, 0);
  const second = table(rng, 200, 300);
  const dataset = (columns: ReturnType<typeof table>) =>
    on
      .kc()
      .fromColumns(columns, { numPartitions: 3 })
      .withColumn('id', col('id').cast('int'))
      .withColumn('year', col('year').cast('int'));

  for (const format of FORMATS) {
    test(`${format}: append adds new part files beside the old ones, and reads back as old plus new`, async () => {
      const out = join(dir(), `append-${format}`);
      const writer = (ds: Dataset) => ds.write.format(format).option('header', true).mode('append');
      await writer(dataset(first)).save(out); // append to nothing: a plain write
      const before = readdirSync(out).sort();
      await writer(dataset(second)).save(out);
      const after = readdirSync(out).sort();
      assert.ok(
        before.every((name) => after.includes(name)),
        'old files stay',
      );
      const added = after.filter((name) => !before.includes(name));
      assert.equal(added.length, 3);
      assert.ok(
        added.every((name) => new RegExp(`^part-0000\\d-[0-9a-f]{8}\\.${format}$`).test(name)),
        added.join(),
      );
      const expected = normalized([...(await dataset(first).collect()), ...(await dataset(second).collect())]);
      assert.deepEqual(normalized(await readBack(on.kc(), format, out).collect()), expected);
    });

    test(`${format}: partitionBy writes Hive folders that read back as columns, nulls and escapes included`, async () => {
      const out = join(dir(), `by-${format}`);
      await dataset(first).write.format(format).option('header', true).partitionBy('year', 'region').save(out);
      const folders = readdirSync(out).sort();
      assert.deepEqual(folders, ['_SUCCESS', 'year=2020', 'year=2021', 'year=2022', 'year=__HIVE_DEFAULT_PARTITION__']);
      const regions = new Set(filesUnder(out).map((f) => f.split('/')[1]));
      for (const name of [
        'region=south%2Feast',
        'region=a%3Db',
        'region=50%25',
        'region=é',
        'region=__HIVE_DEFAULT_PARTITION__',
      ]) {
        assert.ok(regions.has(name), `${name} in ${[...regions].join(', ')}`);
      }
      const back = readBack(on.kc(), format, out);
      assert.match(back.explain(), /year \(partition\), region \(partition\)/);
      const expected = normalized(await dataset(first).collect(), ['region']);
      assert.deepEqual(normalized(await back.collect(), ['region']), expected);
      // Appending into partition folders adds files inside them.
      await dataset(second)
        .write.format(format)
        .option('header', true)
        .partitionBy('year', 'region')
        .mode('append')
        .save(out);
      const all = normalized([...(await dataset(first).collect()), ...(await dataset(second).collect())], ['region']);
      assert.deepEqual(normalized(await readBack(on.kc(), format, out).collect(), ['region']), all);
    });
  }

  test('a failing append or partitioned write leaves the target as it was', async () => {
    const out = join(dir(), 'all-or-nothing');
    await dataset(first).write.format('parquet').save(out);
    const before = filesUnder(out);
    // A column that does not exist fails every task: nothing may appear in the target.
    const failing = dataset(second).write.format('parquet').mode('append').partitionBy('nope').save(out);
    await assert.rejects(failing, /no column 'nope'/);
    assert.deepEqual(filesUnder(out), before);
    assert.deepEqual(
      readdirSync(dir()).filter((name) => name.includes('all-or-nothing') && name !== 'all-or-nothing'),
      [],
    );
    const error = await rejectsWith(
      dataset(second).write.format('parquet').save(out),
      OutputError,
      'ERR_OUTPUT_EXISTS',
    );
    assert.match(error.message, /already exists/);
  });

  test('CSV and JSON lines read Hive folders too, typing partition values as Spark does', async () => {
    const out = join(dir(), 'typed');
    await dataset(first).select('id', 'amount', 'year').write.format('jsonl').partitionBy('year').save(out);
    const back = on.kc().read.jsonl(out, { schema: { id: 'int', amount: 'double' } });
    const rows = await back.filter(col('year').eq(2021)).collect();
    assert.ok(rows.length > 0 && rows.every((r) => r['year'] === 2021));
    assert.throws(() => on.kc().read.csv(join(dir(), 'nothing-here')), InputError);
  });
});
