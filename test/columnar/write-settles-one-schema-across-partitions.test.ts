// A dataset has one schema, but rdd.toDataset() types each partition by its own rows: int32 in one and float64 in
// another, a column of only nulls. ds.write put each partition's types in its file, so a Parquet output held files
// of different schemas (kindling's own reader, DuckDB and Polars refuse it), and a coalesced partition failed every
// attempt naming the attempt's temporary file. The write now settles one schema (numbers widen as a union's do, a
// column of only nulls takes the others' type), writes again the partitions whose files hold other types, and fails
// a difference of no common type before anything is published, naming the output, the column, both types and the
// partitions.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';

import { Context, OutputError } from '../../src/index.js';
import { rejectsWith, temporaryDirectory } from '../api/helpers.js';

const dir = temporaryDirectory('write-one-schema');
const FORMATS = ['arrow', 'parquet', 'csv', 'jsonl'] as const;
let kc: Context;
before(() => {
  kc = new Context({ threads: 2 });
});
after(async () => {
  await kc.stop();
});

/** What a format's reader gives back of `out`, ordered by `k`. */
async function readBack(format: (typeof FORMATS)[number], out: string): Promise<unknown[]> {
  const schema = { k: 'int', a: 'double', b: 'string' };
  const ds =
    format === 'arrow'
      ? kc.read.arrow(out)
      : format === 'parquet'
        ? kc.read.parquet(out)
        : format === 'csv'
          ? kc.read.csv(out, { header: true, schema })
          : kc.read.jsonl(out, { schema });
  return ds.orderBy('k').collect();
}

/** The type names of column `name` in each part file of `out` (Arrow or Parquet), as a reader of that file alone sees. */
async function fileTypes(format: 'arrow' | 'parquet', out: string, name: string): Promise<string[]> {
  const parts = readdirSync(out).filter((f) => f.startsWith('part-'));
  const types: string[] = [];
  for (const part of parts) {
    const file = join(out, part);
    const ds = format === 'arrow' ? kc.read.arrow(file) : kc.read.parquet(file);
    types.push(String((await ds.toArrow()).schema.fields.find((f) => f.name === name)?.type));
  }
  return types;
}

// Partition 0: whole numbers, b only nulls; partition 1: fractions and strings.
const ROWS = [
  { k: 1, a: 1, b: null },
  { k: 2, a: 2, b: null },
  { k: 3, a: 1.5, b: 'x' },
  { k: 4, a: 2.5, b: 'y' },
];

for (const format of FORMATS) {
  for (const coalesced of [false, true]) {
    test(`${format}${coalesced ? ' of a coalesced partition' : ''}: int32 and float64 partitions, a column of only nulls in one, write one schema`, async () => {
      const out = join(dir(), `${format}-${coalesced ? 'coalesced' : 'plain'}`);
      const ds = kc.parallelize(ROWS, 2).toDataset();
      await (coalesced ? ds.coalesce(1) : ds).write.format(format).option('header', true).save(out);
      // kc.lastJobMetrics counts the whole write: both jobs where partition 0 was written again, its rows once.
      const metrics = kc.lastJobMetrics!;
      const again = format === 'arrow' || format === 'parquet' ? 1 : 0;
      assert.deepEqual(
        { records: metrics.recordsWritten, tasks: metrics.tasksSucceeded, stages: metrics.stagesRun },
        { records: ROWS.length, tasks: (coalesced ? 1 : 2) + again, stages: 1 + again },
      );
      assert.deepEqual(await readBack(format, out), ROWS);
      if (format === 'arrow' || format === 'parquet') {
        const files = coalesced ? 1 : 2;
        assert.deepEqual(await fileTypes(format, out, 'a'), Array<string>(files).fill('Float64'));
        assert.deepEqual(await fileTypes(format, out, 'b'), Array<string>(files).fill('Utf8'));
      }
    });
  }
}

/** Asserts the write to `out` failed before publishing anything, and returns its message. */
async function failsUnpublished(write: Promise<void>, out: string): Promise<string> {
  const error = await rejectsWith(write, OutputError, 'ERR_OUTPUT_SCHEMA_MISMATCH');
  assert.equal(existsSync(out), false, 'nothing published');
  assert.deepEqual(
    readdirSync(dirname(out)).filter((name) => name.startsWith(`.${out.split('/').pop()}.`)),
    [],
    'no staging folder left',
  );
  assert.ok(!error.message.includes('_temporary'), `names the output, not an attempt's file: ${error.message}`);
  return error.message;
}

for (const format of FORMATS) {
  test(`${format}: a column of numbers in one partition and strings in another fails, naming both, unpublished`, async () => {
    const out = join(dir(), `${format}-conflict`);
    const ds = kc
      .parallelize(
        [
          { k: 1, a: 1 },
          { k: 2, a: 'two' },
        ],
        2,
      )
      .toDataset();
    const message = await failsUnpublished(ds.write.format(format).save(out), out);
    assert.equal(
      message,
      `Cannot write ${out}: column 'a' is int32 in partition 0 and string in partition 1; a dataset has one ` +
        `schema, and nothing was written. Cast it to one type first, e.g. ds.withColumn('a', col('a').cast('string')).`,
    );
    const coalescedOut = `${out}-coalesced`;
    const inOne = await failsUnpublished(ds.coalesce(1).write.format(format).save(coalescedOut), coalescedOut);
    assert.match(inOne, /^Cannot write .*-conflict-coalesced: partition 0: its column 'a' holds int32 and string;/);
  });
}

test('partitions with different columns fail, naming both lists', async () => {
  const out = join(dir(), 'columns-conflict');
  const ds = kc
    .parallelize(
      [
        { k: 1, a: 1 },
        { k: 2, b: 2 },
      ],
      2,
    )
    .toDataset();
  const message = await failsUnpublished(ds.write.format('parquet').save(out), out);
  assert.match(message, /partition 0 has columns \[k, a\] and partition 1 has \[k, b\]/);
});
