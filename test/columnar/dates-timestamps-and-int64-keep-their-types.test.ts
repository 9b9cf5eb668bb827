// int64, date and timestamp columns through every columnar step: Arrow in, expressions (comparisons against string
// literals, int64 arithmetic), casts in both directions, groupBy keys and min/max, shuffles and Arrow out, all with
// hand-computed results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateDay, Int64, makeData, makeVector, Table, TimeUnit, Timestamp, Utf8, vectorFromArray } from 'apache-arrow';

import { col, count, lit, max, min } from '../../src/index.js';
import { onEveryBackend } from '../api/helpers.js';

const DAY_MS = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

/** Six events: a date, a microsecond UTC timestamp, an int64 id and a string, with a null in each column. */
function events(): Table {
  const days = [day('2024-01-01'), day('2024-01-02'), day('2024-01-02'), day('2024-01-03'), 0, day('2024-01-01')];
  const dayValid = [true, true, true, true, false, true];
  const micros = [1704067200000000n, 1704153600123456n, 1704153601000000n, 0n, 1704240000000000n, 1704067200500000n];
  const microValid = [true, true, true, false, true, true];
  const validity = (flags: boolean[]) => {
    const bits = new Uint8Array(1);
    flags.forEach((f, i) => (bits[0]! |= f ? 1 << i : 0));
    return bits;
  };
  const date = makeVector(
    makeData({
      type: new DateDay(),
      length: 6,
      nullCount: 1,
      nullBitmap: validity(dayValid),
      data: Int32Array.from(days),
    }),
  );
  const ts = makeVector(
    makeData({
      type: new Timestamp(TimeUnit.MICROSECOND, 'UTC'),
      length: 6,
      nullCount: 1,
      nullBitmap: validity(microValid),
      data: BigInt64Array.from(micros),
    }),
  );
  const id = makeVector(
    makeData({
      type: new Int64(),
      length: 6,
      nullCount: 0,
      data: BigInt64Array.from([1n, 2n ** 62n, 3n, -4n, 5n, 1n]),
    }),
  );
  const name = vectorFromArray(['a', 'b', 'c', 'd', 'e', null], new Utf8());
  return new Table({ day: date, ts, id, name });
}

onEveryBackend('dates, timestamps and int64 in columnar datasets', (on) => {
  test('come back as Dates and bigints, nulls as nulls', async () => {
    const got = await on.kc().fromArrow(events()).select('day', 'ts', 'id').limit(2).collect();
    assert.deepEqual(got, [
      { day: new Date('2024-01-01T00:00:00Z'), ts: new Date('2024-01-01T00:00:00Z'), id: 1n },
      { day: new Date('2024-01-02T00:00:00Z'), ts: new Date('2024-01-02T00:00:00.123Z'), id: 2n ** 62n },
    ]);
  });

  test('compare with string literals as dates and instants', async () => {
    const got = await on
      .kc()
      .fromArrow(events())
      .filter(col('day').ge('2024-01-02').and(col('ts').lt('2024-01-02T00:00:01Z')))
      .select('name')
      .collect();
    assert.deepEqual(got, [{ name: 'b' }]);
  });

  test('int64 arithmetic stays int64 and wraps at 64 bits', async () => {
    const got = await on
      .kc()
      .fromArrow(events())
      .select(col('id').add(col('id')).as('twice'), col('id').mul(lit(2n)).gt(lit(5n)).as('big'))
      .limit(2)
      .collect();
    assert.deepEqual(got, [
      { twice: 2n, big: false },
      { twice: -(2n ** 63n), big: false },
    ]);
  });

  test('group by a date and an int64 key, with min and max of timestamps, across a shuffle', async () => {
    const ds = on.kc().fromArrow(events());
    const byDay = await ds
      .groupBy('day', { numPartitions: 3 })
      .agg(count(), min('ts'), max('ts'))
      .orderBy('day')
      .collect();
    assert.deepEqual(byDay, [
      { day: null, count: 1, 'min(ts)': new Date(1704240000000), 'max(ts)': new Date(1704240000000) },
      {
        day: new Date('2024-01-01T00:00:00Z'),
        count: 2,
        'min(ts)': new Date('2024-01-01T00:00:00Z'),
        'max(ts)': new Date('2024-01-01T00:00:00.500Z'),
      },
      {
        day: new Date('2024-01-02T00:00:00Z'),
        count: 2,
        'min(ts)': new Date('2024-01-02T00:00:00.123Z'),
        'max(ts)': new Date('2024-01-02T00:00:01Z'),
      },
      { day: new Date('2024-01-03T00:00:00Z'), count: 1, 'min(ts)': null, 'max(ts)': null },
    ]);
    const byId = await ds.groupBy('id', { numPartitions: 2 }).agg(count()).orderBy('id').collect();
    assert.deepEqual(byId, [
      { id: -4n, count: 1 },
      { id: 1n, count: 2 },
      { id: 3n, count: 1 },
      { id: 5n, count: 1 },
      { id: 2n ** 62n, count: 1 },
    ]);
    const table = await ds.groupBy('day', 'id').agg(count()).toArrow();
    assert.equal(String(table.schema.fields[0]!.type), 'Date32<DAY>');
    assert.equal(String(table.schema.fields[1]!.type), 'Int64');
  });

  test('cast parses strings, and nulls what does not parse', async () => {
    const got = await on
      .kc()
      .fromColumns(
        { s: ['12', ' -3 ', 'x', '2.7', '', '2024-02-29', '2023-02-29', 'true', null] },
        { numPartitions: 2 },
      )
      .select(
        col('s').cast('int').as('i'),
        col('s').cast('bigint').as('l'),
        col('s').cast('double').as('d'),
        col('s').cast('date').as('day'),
        col('s').cast('boolean').as('b'),
      )
      .collect();
    assert.deepEqual(got, [
      { i: 12, l: 12n, d: 12, day: null, b: null },
      { i: -3, l: -3n, d: -3, day: null, b: null },
      { i: null, l: null, d: null, day: null, b: null },
      { i: 2, l: 2n, d: 2.7, day: null, b: null },
      { i: null, l: null, d: null, day: null, b: null },
      { i: null, l: null, d: null, day: new Date('2024-02-29T00:00:00Z'), b: null },
      { i: null, l: null, d: null, day: null, b: null },
      { i: null, l: null, d: null, day: null, b: true },
      { i: null, l: null, d: null, day: null, b: null },
    ]);
  });

  test('a string with a time part casts to its date, as Spark: the time must be valid and is dropped', async () => {
    const got = await on
      .kc()
      .fromColumns({
        s: [
          '2024-01-31 08:00:00',
          '2024-01-31T23:59:59.5Z',
          '2024-01-31 08:00:00+05:00',
          '2024-01-31 25:00',
          '2024-02-30 01:00',
        ],
      })
      .select(col('s').cast('date').as('day'))
      .collect();
    const day = new Date('2024-01-31T00:00:00Z');
    assert.deepEqual(got, [{ day }, { day }, { day }, { day: null }, { day: null }]);
  });

  test('cast prints numbers, dates and timestamps as text, and narrows timestamps to dates', async () => {
    const got = await on
      .kc()
      .fromArrow(events())
      .select(
        col('day').cast('string').as('d'),
        col('ts').cast('string').as('t'),
        col('ts').cast('date').as('tDay'),
        col('id').cast('string').as('i'),
        col('id').cast('int').as('i32'),
      )
      .limit(2)
      .collect();
    assert.deepEqual(got, [
      { d: '2024-01-01', t: '2024-01-01 00:00:00', tDay: new Date('2024-01-01T00:00:00Z'), i: '1', i32: 1 },
      {
        d: '2024-01-02',
        t: '2024-01-02 00:00:00.123456',
        tDay: new Date('2024-01-02T00:00:00Z'),
        i: String(2n ** 62n),
        i32: null,
      },
    ]);
  });
});
