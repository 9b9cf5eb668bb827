// An input of no rows keeps its columns and their types through every source format and every operator, on both
// backends: `toArrow()` of no rows has the schema the same query has on rows, and a left join with an empty side
// gives that side's columns as nulls. Sources: a file of 0 bytes (no split at all), a CSV of only its header, JSON
// lines of blank lines, Parquet and Arrow files of no rows, and a filter that removes every row, in each format.
// Operators: distinct / dropDuplicates, limit(0), orderBy, groupBy / agg, union / unionByName, select / withColumn,
// sample, window functions (and the top-rank limit), and the writers, whose files read back with the schema.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { tableToIPC, Field, Int32, Schema, Table, Utf8 } from 'apache-arrow';

import { col, count, max, mean, min, rowNumber, sum, Window, type Context, type Dataset } from '../../src/index.js';
import { onEveryBackend, temporaryDirectory } from '../api/helpers.js';

/** `name: Type` of every column of a table. */
async function schemaOf(ds: Dataset): Promise<{ rows: number; columns: string[] }> {
  const table = await ds.toArrow();
  return { rows: table.numRows, columns: table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`) };
}

const SCHEMA = ['k: Int32', 'b: Utf8'];

onEveryBackend('empty inputs keep their schema', (on) => {
  const dir = temporaryDirectory('empty-inputs');

  /** A two-row left side `k, a` for joins with the empty side `k, b`. */
  function left(kc: Context): Dataset {
    const path = join(dir(), 'left.csv');
    writeFileSync(path, 'k,a\n1,x\n2,y\n');
    return kc.readCsv(path, { header: true, schema: { k: 'int32', a: 'utf8' } });
  }

  /** The empty side has `k: Int32, b: Utf8` and no rows, and a left join keeps `b` as nulls. */
  async function checkEmptySide(kc: Context, empty: Dataset): Promise<void> {
    assert.deepEqual(await schemaOf(empty), { rows: 0, columns: SCHEMA });
    const joined = await left(kc).join(empty, 'k', 'left').orderBy('k').toArrow();
    assert.deepEqual(
      joined.schema.fields.map((f) => f.name),
      ['k', 'a', 'b'],
    );
    assert.deepEqual(
      joined.toArray().map((row) => row.toJSON()),
      [
        { k: 1, a: 'x', b: null },
        { k: 2, a: 'y', b: null },
      ],
    );
  }

  const schema = { schema: { k: 'int32', b: 'utf8' } };

  test('a CSV file of 0 bytes (no split at all) has the given schema', async () => {
    const path = join(dir(), 'zero.csv');
    writeFileSync(path, '');
    await checkEmptySide(on.kc(), on.kc().readCsv(path, { header: true, ...schema }));
  });

  test('a CSV file of only its header has its schema (one split of no records)', async () => {
    const path = join(dir(), 'header.csv');
    writeFileSync(path, 'k,b\n');
    await checkEmptySide(on.kc(), on.kc().readCsv(path, { header: true, ...schema }));
  });

  test('a CSV file in a Hive folder, of 0 bytes, has the partition column too', async () => {
    const folder = join(dir(), 'hive', 'day=3');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'part.csv'), '');
    const ds = on.kc().readCsv(join(dir(), 'hive'), { header: true, ...schema });
    assert.deepEqual(await schemaOf(ds), { rows: 0, columns: [...SCHEMA, 'day: Int32'] });
  });

  test('a JSON lines file of 0 bytes, or of blank lines, has the given schema', async () => {
    const zero = join(dir(), 'zero.jsonl');
    writeFileSync(zero, '');
    await checkEmptySide(on.kc(), on.kc().read.jsonl(zero, schema));
    const blank = join(dir(), 'blank.jsonl');
    writeFileSync(blank, '\n\n');
    await checkEmptySide(on.kc(), on.kc().read.jsonl(blank, schema));
  });

  test('a text file of 0 bytes has the column value', async () => {
    const path = join(dir(), 'zero.txt');
    writeFileSync(path, '');
    assert.deepEqual(await schemaOf(on.kc().readText(path)), { rows: 0, columns: ['value: Utf8'] });
  });

  test('an Arrow file of a schema and no record batch has the schema', async () => {
    const path = join(dir(), 'empty.arrow');
    const arrowSchema = new Schema([new Field('k', new Int32(), true), new Field('b', new Utf8(), true)]);
    writeFileSync(path, tableToIPC(new Table(arrowSchema), 'file'));
    await checkEmptySide(on.kc(), on.kc().read.arrow(path));
  });

  test('a Parquet file of no rows has the schema (written from an empty dataset)', async () => {
    const out = join(dir(), `empty-parquet-${on.backend.name}`);
    writeFileSync(join(dir(), 'one.csv'), 'k,b\n5,z\n');
    const rows = on.kc().readCsv(join(dir(), 'one.csv'), { header: true, ...schema });
    await rows.filter(col('k').gt(100)).write.format('parquet').save(out);
    await checkEmptySide(on.kc(), on.kc().read.parquet(out));
  });

  test('a filter that removes every row keeps the schema, in every format', async () => {
    const kc = on.kc();
    const csv = join(dir(), 'rows.csv');
    writeFileSync(csv, 'k,b\n1,x\n2,y\n');
    const jsonl = join(dir(), 'rows.jsonl');
    writeFileSync(jsonl, '{"k":1,"b":"x"}\n{"k":2,"b":"y"}\n');
    const source = kc.readCsv(csv, { header: true, ...schema });
    const parquet = join(dir(), `rows-parquet-${on.backend.name}`);
    const arrowOut = join(dir(), `rows-arrow-${on.backend.name}`);
    await source.write.format('parquet').save(parquet);
    await source.write.format('arrow').save(arrowOut);
    const none = col('k').gt(100);
    await checkEmptySide(kc, source.filter(none));
    await checkEmptySide(kc, kc.read.jsonl(jsonl, schema).filter(none));
    await checkEmptySide(kc, kc.read.parquet(parquet).filter(none));
    await checkEmptySide(kc, kc.read.arrow(arrowOut).filter(none));
    const text = join(dir(), 'rows.txt');
    writeFileSync(text, 'a\nb\n');
    assert.deepEqual(await schemaOf(kc.readText(text).filter(col('value').eq('c'))), {
      rows: 0,
      columns: ['value: Utf8'],
    });
  });

  /** Queries whose schema on an empty input must be their schema on rows. */
  const QUERIES: [string, (ds: Dataset) => Dataset][] = [
    ['distinct', (ds) => ds.distinct()],
    ['dropDuplicates', (ds) => ds.dropDuplicates(['k'])],
    ['limit(0)', (ds) => ds.limit(0)],
    ['orderBy', (ds) => ds.orderBy(col('x').desc(), 'k')],
    ['groupBy int key', (ds) => ds.groupBy('k').agg(count(), sum('x'), max('d').as('md'), mean('x').as('mx'))],
    ['groupBy string key', (ds) => ds.groupBy('a').agg(count(), min('x').as('mn'))],
    ['groupBy two keys', (ds) => ds.groupBy('k', 'a').agg(count())],
    ['groupBy one count (word count path)', (ds) => ds.groupBy('k').agg(count())],
    ['groupBy date key', (ds) => ds.groupBy('d').agg(count(), sum('x'))],
    ['agg', (ds) => ds.agg(count(), sum('x'), max('d').as('md'))],
    ['union', (ds) => ds.union(ds)],
    ['unionByName', (ds) => ds.unionByName(ds.select('x', 'k', 'a', 'd'))],
    ['select', (ds) => ds.select('a', col('k').add(1).as('k1'))],
    ['withColumn', (ds) => ds.withColumn('z', col('x').mul(2))],
    ['sample', (ds) => ds.sample(0.5, { seed: 7 })],
    ['rowNumber', (ds) => ds.withColumn('r', rowNumber().over(Window.partitionBy('a').orderBy('k')))],
    ['window sum', (ds) => ds.withColumn('s', sum('x').over(Window.partitionBy('a')))],
    [
      'top rank per window',
      (ds) => ds.withColumn('r', rowNumber().over(Window.partitionBy('k').orderBy('x'))).filter(col('r').le(1)),
    ],
  ];

  for (const [name, query] of QUERIES) {
    test(`${name} of an empty input has the columns and types it has on rows`, async () => {
      const path = join(dir(), `typed-${name}.csv`);
      writeFileSync(path, 'k,a,x,d\n1,p,1.5,2024-01-02\n2,q,2.5,2024-01-03\n1,p,3.5,2024-01-04\n');
      const rows = on
        .kc()
        .readCsv(path, { header: true, schema: { k: 'int32', a: 'utf8', x: 'float64', d: 'date' }, minPartitions: 2 });
      const full = await schemaOf(query(rows));
      assert.ok(full.columns.length > 0, `${name} of rows has columns`);
      const empty = await schemaOf(query(rows.filter(col('k').gt(100))));
      // A global aggregation of no rows is one row (count 0), as SQL's; every other query has no rows.
      assert.deepEqual(empty, { rows: name === 'agg' ? 1 : 0, columns: full.columns });
    });
  }

  test('limit(0) of rows has their columns and no rows', async () => {
    const path = join(dir(), 'limit.csv');
    writeFileSync(path, 'k,b\n1,x\n2,y\n');
    const ds = on.kc().readCsv(path, { header: true, ...schema, minPartitions: 2 });
    assert.deepEqual(await schemaOf(ds.limit(0)), { rows: 0, columns: SCHEMA });
  });

  for (const format of ['parquet', 'arrow', 'csv', 'jsonl'] as const) {
    test(`write.format('${format}') of an empty dataset reads back with its schema`, async () => {
      const kc = on.kc();
      const path = join(dir(), `w-${format}.csv`);
      writeFileSync(path, 'k,b\n1,x\n');
      const empty = kc.readCsv(path, { header: true, ...schema }).filter(col('k').gt(100));
      const out = join(dir(), `written-${format}-${on.backend.name}`);
      await empty.write.format(format).option('header', true).save(out);
      assert.ok(
        readdirSync(out).some((f) => f.startsWith('part-')),
        `a part file in ${out}`,
      );
      const back =
        format === 'parquet'
          ? kc.read.parquet(out)
          : format === 'arrow'
            ? kc.read.arrow(out)
            : format === 'csv'
              ? kc.readCsv(out, { header: true, ...schema })
              : kc.read.jsonl(out, schema);
      assert.deepEqual(await schemaOf(back), { rows: 0, columns: SCHEMA });
      if (format === 'csv') {
        // The header alone names the columns (types are strings without a schema, as Spark and DuckDB infer).
        const names = await schemaOf(kc.readCsv(out, { header: true, inferSchema: true }));
        assert.deepEqual(names, { rows: 0, columns: ['k: Utf8', 'b: Utf8'] });
      }
    });
  }
});

onEveryBackend('fromColumns', (on) => {
  test('takes a BigInt64Array column as int64', async () => {
    const ds = on.kc().fromColumns({ l: BigInt64Array.from([1n, -2n, 2n ** 60n]), x: new Float64Array(3) });
    const table = await ds.toArrow();
    assert.deepEqual(
      table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`),
      ['l: Int64', 'x: Float64'],
    );
    assert.deepEqual(table.getChild('l')!.toArray(), BigInt64Array.from([1n, -2n, 2n ** 60n]));
  });
});
