// toRDD / toDataset, toArrow / fromArrow / readArrow, fromColumns, count and explain: the same rows whichever way
// they travel, and clear errors for what the columnar path does not take.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Bool, Float64, Int32, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';

import { col, count, splitToRows, sum } from '../../src/index.js';
import { onEveryBackend } from '../api/helpers.js';
import { canonical, randomRows, Rng, testSeed } from './random-rows.js';
import { makeTempDir } from '../support/temp-dir.js';

const seed = testSeed('moves-between-rdds-arrow-and-columns');
const rows = randomRows(new Rng(seed), 500);
const dir = makeTempDir('columnar-arrow');
after(() => rmSync(dir, { recursive: true, force: true }));

onEveryBackend('moving between APIs and formats', (on) => {
  test('rdd.toDataset().toRDD() gives back the records, as plain objects', async () => {
    const back = await on.kc().parallelize(rows, 3).toDataset().toRDD().collect();
    assert.deepEqual(back, rows);
    const scalars = await on.kc().parallelize(['a', 'b c'], 2).toDataset().collect();
    assert.deepEqual(scalars, [{ value: 'a' }, { value: 'b c' }]);
  });

  test('toRDD gives every row of a batch larger than one decode chunk, in order', async () => {
    const many = randomRows(new Rng(seed), 10_000);
    for (const n of [4095, 4096, 4097, 10_000]) {
      const back = await on.kc().parallelize(many.slice(0, n), 1).toDataset().toRDD().collect();
      assert.deepEqual(back, many.slice(0, n), `${n} rows`);
    }
  });

  test('fromArrow takes a table of no rows whose string column came without buffers', async () => {
    const empty = new Table({
      s: vectorFromArray([], new Utf8()),
      n: vectorFromArray([], new Int32()),
      f: vectorFromArray([], new Float64()),
      b: vectorFromArray([], new Bool()),
    });
    const ds = on.kc().fromArrow(empty);
    assert.equal(await ds.count(), 0);
    assert.deepEqual(await ds.collect(), []);
    assert.deepEqual(
      (await ds.toArrow()).schema.fields.map((f) => f.name),
      ['s', 'n', 'f', 'b'],
    );
  });

  test('toArrow, fromArrow and readArrow (file and stream) round-trip the rows', async () => {
    const ds = on.kc().parallelize(rows, 4).toDataset();
    const table = await ds.toArrow();
    assert.equal(table.numRows, rows.length);
    // Compared without `s`: apache-arrow decodes strings with a TextDecoder, which drops a leading U+FEFF.
    assert.deepEqual(
      table.toArray().map((r) => ({ ...r.toJSON(), s: undefined })),
      rows.map((r) => ({ ...r, s: undefined })),
    );
    assert.deepEqual(
      table.schema.fields.map((f) => String(f.type)),
      ['Utf8', 'Int32', 'Int32', 'Float64', 'Bool', 'Utf8'],
    );
    assert.deepEqual(await on.kc().fromArrow(table).collect(), rows);
    writeFileSync(join(dir, 'rows.arrow'), tableToIPC(table, 'file'));
    writeFileSync(join(dir, 'rows.arrows'), tableToIPC(table, 'stream'));
    for (const name of ['rows.arrow', 'rows.arrows']) {
      assert.deepEqual(await on.kc().readArrow(join(dir, name)).collect(), rows, name);
    }
  });

  test('fromColumns takes typed arrays and arrays; count counts rows', async () => {
    const ds = on.kc().fromColumns(
      {
        id: new Int32Array([1, 2, 3, 4]),
        score: new Float32Array([0.5, 1.5, 2.5, 3.5]),
        tag: ['a', 'b', 'a', 'é'],
        ok: [true, false, true, true],
      },
      { numPartitions: 3 },
    );
    assert.deepEqual(await ds.collect(), [
      { id: 1, score: 0.5, tag: 'a', ok: true },
      { id: 2, score: 1.5, tag: 'b', ok: false },
      { id: 3, score: 2.5, tag: 'a', ok: true },
      { id: 4, score: 3.5, tag: 'é', ok: true },
    ]);
    assert.equal(await ds.count(), 4);
    assert.deepEqual(canonical(await ds.filter(col('ok')).groupBy('tag').agg(sum('score')).collect()), [
      { tag: 'a', 'sum(score)': 3 },
      { tag: 'é', 'sum(score)': 3.5 },
    ]);
  });

  test('nulls and bigints from records come back as they went in', async () => {
    const rows = [
      { a: 1, b: 5n, c: 'x' },
      { a: null, b: null, c: null },
      { a: 3, b: -(2n ** 62n), c: '' },
    ];
    assert.deepEqual(await on.kc().parallelize(rows, 2).toDataset().collect(), rows);
  });

  test('values that are not columns are refused with a message that says what to do', async () => {
    const ds = on
      .kc()
      .parallelize([{ a: 1 }, { a: [1, 2] }], 1)
      .toDataset();
    await assert.rejects(ds.collect(), /column 'a' holds values that are not numbers, bigints, strings or booleans/);
  });

  test('pairs whose key or value is a pair are refused as before, though blocks store them as two columns', async () => {
    const keyed = [
      [[1, 2], 'x'],
      [[3, 4], 'y'],
    ];
    const valued = [['a', [1, 'b']]];
    const notColumns = /column '(key|value)' holds values that are not numbers, bigints, strings or booleans/;
    await assert.rejects(on.kc().parallelize(keyed, 1).toDataset().collect(), /column 'key' holds values/);
    await assert.rejects(on.kc().parallelize(valued, 1).toDataset().collect(), /column 'value' holds values/);
    await assert.rejects(on.kc().parallelize(keyed, 1).toDataset().count(), notColumns);
  });

  test('explain prints the vectorized plan, stage by stage', () => {
    const ds = on
      .kc()
      .parallelize(['a b', 'b'], 2)
      .toDataset()
      .select(splitToRows(col('value')).as('word'))
      .groupBy('word', { numPartitions: 3 })
      .agg(count())
      .orderBy(col('count').desc());
    const text = ds.explain().replace(/shuffle \d+/g, 'shuffle N');
    assert.equal(
      text,
      [
        '== vectorized plan ==',
        'stage 2 (result, 3 tasks)',
        '  read shuffle N (range(3, ascending) by sampled key ranges)',
        '  sort by count desc',
        '  → rows',
        'stage 1 (shuffle map, writes shuffle N, 3 tasks)',
        '  read shuffle N (hash(3) by key hash)',
        '  merge partial aggregates by [word]: count() as count',
        '  → range-partition rows by count desc (bounds from a sample of the keys)',
        'stage 0 (shuffle map, writes shuffle N, 2 tasks)',
        '  parallelize array of 2 records',
        '  select splitToRows(value) as word',
        '  → partial aggregate by [word] in a typed-array hash table: count() as count',
      ].join('\n'),
    );
  });
});
