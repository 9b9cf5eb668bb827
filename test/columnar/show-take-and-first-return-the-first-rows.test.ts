// A look at a dataset's first rows, as Spark users expect: `show()` prints Spark's text table (right-aligned cells,
// nulls as null, strings cut at 20 characters, "only showing top N rows" when there are more), `take(n)`,
// `first()` and `head()` return the first rows of the order so far. Found missing trying the API as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, col } from '../../src/index.js';
import { formatShow } from '../../src/api/dataset/dataset-show.js';
import { printedLines as printed } from './printed-lines.js';

test('show() prints the first 20 rows as Spark lays them out, each type in its Spark form', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const ds = kc
      .fromColumns({
        k: Int32Array.from({ length: 25 }, (_, i) => 25 - i),
        v: Array.from({ length: 25 }, (_, i) => i / 2),
      })
      .orderBy('k');
    const text = await printed(() => ds.show());
    const lines = text.split('\n');
    assert.equal(lines.length, 20 + 5);
    assert.deepEqual(lines.slice(0, 5), ['+---+----+', '|  k|   v|', '+---+----+', '|  1|12.0|', '|  2|11.5|']);
    assert.equal(lines[23], '+---+----+');
    assert.equal(lines[24], 'only showing top 20 rows');
    assert.equal(
      await printed(() => ds.filter(col('k').gt(24)).show(1)),
      ['+---+---+', '|  k|  v|', '+---+---+', '| 25|0.0|', '+---+---+'].join('\n'),
    );
    assert.equal(
      await printed(() => ds.filter(col('k').gt(99)).show()),
      ['+---+---+', '|  k|  v|', '+---+---+', '+---+---+'].join('\n'),
    );
  } finally {
    await kc.stop();
  }
});

test('formatShow prints nulls, dates, timestamps, int64 past 2^53, NaN and cuts long strings unless asked not to', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const table = await kc
      .fromColumns({
        s: ['a string longer than twenty chars', 'é', null],
        n: [9007199254740993n, null, -1n],
        x: [NaN, 2, null],
      })
      .toArrow();
    assert.equal(
      formatShow(table, 2),
      [
        '+--------------------+----------------+---+',
        '|                   s|               n|  x|',
        '+--------------------+----------------+---+',
        '|a string longer t...|9007199254740993|NaN|',
        '|                   é|            null|2.0|',
        '+--------------------+----------------+---+',
        'only showing top 2 rows',
        '',
      ].join('\n'),
    );
    assert.match(formatShow(table, 5, { truncate: false }), /\|a string longer than twenty chars\|/);
    const dated = await kc
      .fromColumns({ t: ['2024-01-31 08:00:00', '2024-02-01 00:00:00.250', null] })
      .select(col('t').cast('timestamp').as('t'), col('t').cast('date').as('d'))
      .toArrow();
    assert.equal(
      formatShow(dated, 20, { truncate: false }),
      [
        '+-----------------------+----------+',
        '|                      t|         d|',
        '+-----------------------+----------+',
        '|    2024-01-31 08:00:00|2024-01-31|',
        '|2024-02-01 00:00:00.250|2024-02-01|',
        '|                   null|      null|',
        '+-----------------------+----------+',
        '',
      ].join('\n'),
    );
  } finally {
    await kc.stop();
  }
});

test('take, first and head return the first rows of the order so far; a bad count is refused', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const ds = kc.fromColumns({ k: new Int32Array([5, 3, 9, 1, 7]) }).orderBy(col('k').desc());
    assert.deepEqual(await ds.take(2), [{ k: 9 }, { k: 7 }]);
    assert.deepEqual(await ds.take(0), []);
    assert.deepEqual(await ds.first(), { k: 9 });
    assert.deepEqual(await ds.head(), { k: 9 });
    assert.deepEqual(await ds.head(3), [{ k: 9 }, { k: 7 }, { k: 5 }]);
    assert.equal(await ds.filter(col('k').gt(100)).first(), undefined);
    await assert.rejects(ds.take(-1), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: 'take(): expected a non-negative integer, found -1',
    });
    await assert.rejects(ds.show(1.5), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: /^show\(\): expected a non-negative integer, found 1.5/,
    });
  } finally {
    await kc.stop();
  }
});
