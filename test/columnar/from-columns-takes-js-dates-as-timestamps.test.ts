// `fromColumns` takes arrays of JS Dates (with nulls) as a timestamp column in milliseconds, as Arrow JS and Polars
// take a Date array: they come back as the same Dates, compare with timestamp literals, group and cast. An invalid
// Date or a column that mixes kinds of values is refused, naming the column and the row. (Dates were refused before;
// a mix was only checked within each partition. Both found trying the API as a user.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, col, count, max } from '../../src/index.js';

test('an array of Dates is a timestamp column: rows, filters, aggregates, casts and Arrow agree', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const at = [
      new Date('2024-01-31T08:00:00.250Z'),
      null,
      new Date('1969-12-31T23:59:59Z'),
      new Date('2024-01-31T09:00:00Z'),
    ];
    const ds = kc.fromColumns({ at, k: ['a', 'b', 'a', 'a'] }, { numPartitions: 2 });
    assert.deepEqual(await ds.collect(), [
      { at: at[0], k: 'a' },
      { at: null, k: 'b' },
      { at: at[2], k: 'a' },
      { at: at[3], k: 'a' },
    ]);
    assert.deepEqual(await ds.filter(col('at').ge('2024-01-01')).select('k').collect(), [{ k: 'a' }, { k: 'a' }]);
    assert.deepEqual(await ds.groupBy('k').agg(count('at'), max('at')).orderBy('k').collect(), [
      { k: 'a', 'count(at)': 3, 'max(at)': at[3] },
      { k: 'b', 'count(at)': 0, 'max(at)': null },
    ]);
    assert.deepEqual(await ds.select(col('at').cast('string').as('s')).limit(1).collect(), [
      { s: '2024-01-31 08:00:00.250' },
    ]);
    const table = await ds.toArrow();
    assert.equal(String(table.schema.fields[0]!.type), 'Timestamp<MILLISECOND>');
  } finally {
    await kc.stop();
  }
});

test('an invalid Date, or a column of mixed kinds even across partitions, is refused naming the column and row', () => {
  const kc = new Context({ threads: 0 });
  try {
    assert.throws(() => kc.fromColumns({ at: [new Date(0), new Date('nope')] }), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: "fromColumns(): column 'at' row 1 is an invalid Date; expected a valid Date or null",
    });
    assert.throws(() => kc.fromColumns({ at: [new Date(0), 5] }, { numPartitions: 2 }), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message:
        /^fromColumns\(\): column 'at' must hold only strings, only numbers, only bigints, only booleans or only Dates \(and nulls\); row 1 is 5/,
    });
    // Checked over the whole column, not per partition: this was a string column in one partition and a number
    // column in the other, and a groupBy over it failed mid-job.
    assert.throws(() => kc.fromColumns({ x: ['a', 1] }, { numPartitions: 2 }), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: /^fromColumns\(\): column 'x' must hold only strings, .*; row 1 is 1$/,
    });
  } finally {
    void kc.stop();
  }
});
