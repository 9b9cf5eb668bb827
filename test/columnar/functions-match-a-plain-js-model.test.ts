// Math, string and date functions against plain-JS models of Spark's rules, on seeded random rows with nulls in
// every column (both backends, several partition counts), plus hand cases for the edges: round HALF_UP on
// negatives and decimal ties, substring with zero and negative positions, LIKE escapes, trim of spaces only,
// split_part from the end, date fields before 1970, parsing with a format, and typed errors for bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  abs,
  ceil,
  col,
  concat,
  dateTrunc,
  dayOfMonth,
  floor,
  hour,
  like,
  lit,
  log,
  month,
  pow,
  regexpExtract,
  regexpReplace,
  round,
  splitPart,
  sqrt,
  substring,
  toDate,
  toTimestamp,
  trim,
  upper,
  year,
} from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { Rng, testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('functions-match-a-plain-js-model');

interface Row {
  readonly s: string | null;
  readonly x: number | null;
  readonly n: number | null;
  readonly t: string | null;
}

const PIECES = [...TRICKY_WORDS, ' ', '  ', '%', '_', 'a_b', '\\', 'ab', 'ba', '.', ','];

function randomRows(rng: Rng, count: number): Row[] {
  const maybe = <T>(value: T): T | null => (rng.nextInt(6) === 0 ? null : value);
  const piece = () => PIECES[rng.nextInt(PIECES.length)]!;
  return Array.from({ length: count }, () => {
    const ms = Date.UTC(1900, 0, 1) + rng.nextInt(200 * 365) * 86_400_000 + rng.nextInt(86_400) * 1000;
    return {
      s: maybe(Array.from({ length: rng.nextInt(5) }, piece).join('')),
      // Three decimals, so ties at two (x.xx5) and at zero decimals (x.5) come up, on both signs.
      x: maybe((rng.nextInt(20_001) - 10_000) / (rng.nextInt(2) === 0 ? 1000 : 2)),
      n: maybe(rng.nextInt(2001) - 1000),
      t: maybe(new Date(ms).toISOString().replace('T', ' ').slice(0, 19)),
    };
  });
}

const rows = randomRows(new Rng(seed), 400);

/** HALF_UP on the decimal digits JS prints (an independent model: string arithmetic on the digits). */
function roundModel(x: number, scale: number): number {
  const negative = x < 0;
  const [whole, fraction = ''] = String(Math.abs(x)).split('.') as [string, string?];
  const digits = whole + fraction.padEnd(scale + 1, '0');
  const keep = whole.length + scale;
  let kept = BigInt(digits.slice(0, keep) || '0');
  if (digits[keep]! >= '5') kept += 1n;
  const value = Number(kept) / 10 ** scale;
  return value === 0 ? 0 : negative ? -value : value;
}

/** Spark's substring over code points. */
function substringModel(s: string, pos: number, len: number): string {
  const chars = [...s];
  let start = pos > 0 ? pos - 1 : pos < 0 ? chars.length + pos : 0;
  const end = start + len;
  start = Math.max(start, 0);
  return start >= end ? '' : chars.slice(start, end).join('');
}

/** LIKE as a JS RegExp: `_` one code point, `%` any run, `\` escaping. */
function likeModel(s: string, pattern: string): boolean {
  let source = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\') source += chars[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su').test(s);
}

const orNull = <T, R>(v: T | null, f: (v: T) => R): R | null => (v === null ? null : f(v));

onEveryBackend('scalar functions of columnar datasets', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    test(`math functions match the model, nulls propagate (${partitions} partitions)`, async () => {
      const got = await on
        .kc()
        .parallelize(rows, partitions)
        .toDataset()
        .select(
          abs(col('x')).as('abs'),
          round(col('x'), 2).as('r2'),
          round(col('x')).as('r0'),
          round(col('n'), -1).as('rn'),
          floor(col('x')).as('floor'),
          ceil(col('x')).as('ceil'),
          sqrt(col('x')).as('sqrt'),
          log(col('x')).as('ln'),
          log(10, col('x')).as('log10'),
          pow(col('n'), 2).as('pow'),
        )
        .collect();
      const expected = rows.map((r) => ({
        abs: orNull(r.x, Math.abs),
        r2: orNull(r.x, (x) => roundModel(x, 2)),
        r0: orNull(r.x, (x) => roundModel(x, 0)),
        rn: orNull(r.n, (n) => roundModel(n / 10, 0) * 10),
        floor: orNull(r.x, Math.floor),
        ceil: orNull(r.x, Math.ceil),
        sqrt: orNull(r.x, Math.sqrt),
        ln: r.x === null || r.x <= 0 ? null : Math.log(r.x),
        log10: r.x === null || r.x <= 0 ? null : Math.log(r.x) / Math.log(10),
        pow: orNull(r.n, (n) => n ** 2),
      }));
      assert.deepEqual(got, expected);
    });

    test(`string functions match the model, nulls propagate (${partitions} partitions)`, async () => {
      const got = await on
        .kc()
        .parallelize(rows, partitions)
        .toDataset()
        .select(
          upper(col('s')).as('upper'),
          trim(col('s')).as('trim'),
          substring(col('s'), 2, 3).as('sub'),
          col('s').substr(-2).as('tail'),
          concat(col('s'), lit('|'), col('n')).as('concat'),
          col('s').contains('a').as('contains'),
          col('s').startsWith('ab').as('starts'),
          col('s').endsWith(' ').as('ends'),
          like(col('s'), '%a\\_b%').as('like1'),
          like(col('s'), '_%b_').as('like2'),
          regexpExtract(col('s'), '([a-z]+)(\\d*)', 1).as('extract'),
          regexpReplace(col('s'), '[ _]+', '-').as('replace'),
          splitPart(col('s'), ' ', -1).as('part'),
        )
        .collect();
      const expected = rows.map((r) => {
        const s = r.s;
        return {
          upper: orNull(s, (v) => v.toUpperCase()),
          trim: orNull(s, (v) => v.replace(/^ +| +$/g, '')),
          sub: orNull(s, (v) => substringModel(v, 2, 3)),
          tail: orNull(s, (v) => substringModel(v, -2, Number.MAX_SAFE_INTEGER)),
          concat: s === null || r.n === null ? null : `${s}|${r.n}`,
          contains: orNull(s, (v) => v.includes('a')),
          starts: orNull(s, (v) => v.startsWith('ab')),
          ends: orNull(s, (v) => v.endsWith(' ')),
          like1: orNull(s, (v) => likeModel(v, '%a\\_b%')),
          like2: orNull(s, (v) => likeModel(v, '_%b_')),
          extract: orNull(s, (v) => /([a-z]+)(\d*)/.exec(v)?.[1] ?? ''),
          replace: orNull(s, (v) => v.replace(/[ _]+/g, '-')),
          part: orNull(s, (v) => v.split(' ').at(-1)!),
        };
      });
      assert.deepEqual(got, expected);
    });

    test(`date functions match JS Date in UTC, nulls propagate (${partitions} partitions)`, async () => {
      const got = await on
        .kc()
        .parallelize(rows, partitions)
        .toDataset()
        .withColumn('ts', col('t').cast('timestamp'))
        .select(
          year(col('ts')).as('year'),
          month(col('ts')).as('month'),
          dayOfMonth(col('t')).as('day'),
          hour(col('ts')).as('hour'),
          dateTrunc('month', col('ts')).as('month0'),
          dateTrunc('week', col('ts')).as('week0'),
          dateTrunc('hour', col('ts')).as('hour0'),
          toDate(col('t'), 'yyyy-MM-dd HH:mm:ss').as('date'),
          toTimestamp(col('t'), 'yyyy-MM-dd HH:mm:ss').as('parsed'),
        )
        .collect();
      const expected = rows.map((r) => {
        if (r.t === null) {
          return Object.fromEntries(
            ['year', 'month', 'day', 'hour', 'month0', 'week0', 'hour0', 'date', 'parsed'].map((k) => [k, null]),
          );
        }
        const d = new Date(`${r.t.replace(' ', 'T')}Z`);
        const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
        return {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          month0: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)),
          week0: new Date(midnight - ((d.getUTCDay() + 6) % 7) * 86_400_000),
          hour0: new Date(midnight + d.getUTCHours() * 3_600_000),
          date: new Date(midnight),
          parsed: d,
        };
      });
      assert.deepEqual(got, expected);
    });
  }

  test('round is HALF_UP on the decimal value, as Spark: ties away from zero, integers keep their type', async () => {
    const got = await on
      .kc()
      .parallelize([{ x: 2.5 }, { x: -2.5 }, { x: 0.5 }, { x: -0.5 }, { x: 2.675 }, { x: -1.005 }, { x: 1e-20 }], 2)
      .toDataset()
      .select(round(col('x')).as('r0'), round(col('x'), 2).as('r2'), round(col('x'), -1).as('rm'))
      .collect();
    assert.deepEqual(got, [
      { r0: 3, r2: 2.5, rm: 0 },
      { r0: -3, r2: -2.5, rm: 0 },
      { r0: 1, r2: 0.5, rm: 0 },
      { r0: -1, r2: -0.5, rm: 0 },
      { r0: 3, r2: 2.68, rm: 0 },
      { r0: -1, r2: -1.01, rm: 0 },
      { r0: 0, r2: 0, rm: 0 },
    ]);
    const ints = await on
      .kc()
      .fromColumns({ n: Int32Array.from([15, -15, 14, 2147483647]), b: [15n, -25n, 1234n, null] })
      .select(round(col('n'), -1).as('n'), round(col('b'), -1).as('b'), abs(col('b')).as('abs'))
      .collect();
    assert.deepEqual(ints, [
      { n: 20, b: 20n, abs: 15n },
      { n: -20, b: -30n, abs: 25n },
      { n: 10, b: 1230n, abs: 1234n },
      { n: -2147483646, b: null, abs: null }, // 2147483650 wraps, as Spark's int
    ]);
  });

  test('substring takes 1-based positions, 0 as 1, negatives from the end, in characters', async () => {
    const ds = on
      .kc()
      .parallelize([{ s: 'Spark SQL' }, { s: 'a😀é' }], 1)
      .toDataset();
    const got = await ds
      .select(
        substring(col('s'), 0, 3).as('zero'),
        substring(col('s'), 1, 3).as('one'),
        substring(col('s'), -3, 2).as('neg'),
        substring(col('s'), -20, 12).as('before'),
        substring(col('s'), 2).as('rest'),
        substring(col('s'), 3, -1).as('negLen'),
      )
      .collect();
    assert.deepEqual(got, [
      { zero: 'Spa', one: 'Spa', neg: 'SQ', before: 'S', rest: 'park SQL', negLen: '' },
      { zero: 'a😀é', one: 'a😀é', neg: 'a😀', before: '', rest: '😀é', negLen: '' },
    ]);
  });

  test('like: _ is one character, % any run, the escape makes them literal', async () => {
    const ds = on
      .kc()
      .parallelize([{ s: 'a_b' }, { s: 'axb' }, { s: '😀b' }, { s: '100%' }, { s: 'a\\b' }], 1)
      .toDataset();
    const got = await ds
      .select(
        like(col('s'), 'a\\_b').as('escaped'),
        col('s').like('_b').as('oneChar'),
        col('s').like('%!%', '!').as('percent'),
        col('s').like('a\\\\b').as('backslash'),
      )
      .collect();
    assert.deepEqual(got, [
      { escaped: true, oneChar: false, percent: false, backslash: false },
      { escaped: false, oneChar: false, percent: false, backslash: false },
      { escaped: false, oneChar: true, percent: false, backslash: false },
      { escaped: false, oneChar: false, percent: true, backslash: false },
      { escaped: false, oneChar: false, percent: false, backslash: true },
    ]);
    assert.throws(() => like(col('s'), 'a\\x'), { code: 'ERR_PLAN_INVALID_ARGUMENT', message: /may only precede/ });
    assert.throws(() => like(col('s'), 'abc\\'), { code: 'ERR_PLAN_INVALID_ARGUMENT', message: /ends with/ });
  });

  test('trim strips spaces only (or the given characters), splitPart counts from either end', async () => {
    const got = await on
      .kc()
      .parallelize([{ s: ' \t a,b,,c \t ' }], 1)
      .toDataset()
      .select(
        trim(col('s')).as('trim'),
        trim(col('s'), ' \t').as('trimTabs'),
        splitPart(trim(col('s'), ' \t'), ',', 3).as('third'),
        splitPart(trim(col('s'), ' \t'), ',', -1).as('last'),
        splitPart(trim(col('s'), ' \t'), ',', 9).as('none'),
      )
      .collect();
    assert.deepEqual(got, [{ trim: '\t a,b,,c \t', trimTabs: 'a,b,,c', third: '', last: 'c', none: '' }]);
  });

  test('dates before 1970, truncation to the quarter, parsing with formats (bad strings become null)', async () => {
    const got = await on
      .kc()
      .parallelize(
        [
          { s: '29/02/2024 07:05' },
          { s: '29/02/2023 07:05' },
          { s: '1/3/1969 23:59' },
          { s: 'x' },
          { s: '01/01/2024 24:00' },
        ],
        1,
      )
      .toDataset()
      .withColumn('t', toTimestamp(col('s'), 'd/M/yyyy HH:mm'))
      .select(
        col('t'),
        toDate(col('s'), 'd/M/yyyy HH:mm').as('d'),
        year(col('t')).as('y'),
        dateTrunc('quarter', col('t')).as('q'),
        hour(col('t')).as('h'),
      )
      .collect();
    assert.deepEqual(got, [
      {
        t: new Date('2024-02-29T07:05:00Z'),
        d: new Date('2024-02-29T00:00:00Z'),
        y: 2024,
        q: new Date('2024-01-01T00:00:00Z'),
        h: 7,
      },
      { t: null, d: null, y: null, q: null, h: null },
      {
        t: new Date('1969-03-01T23:59:00Z'),
        d: new Date('1969-03-01T00:00:00Z'),
        y: 1969,
        q: new Date('1969-01-01T00:00:00Z'),
        h: 23,
      },
      { t: null, d: null, y: null, q: null, h: null },
      { t: null, d: null, y: null, q: null, h: null },
    ]);
    assert.throws(() => toDate(col('s'), 'yyyy-MM-dd EEE'), { code: 'ERR_PLAN_INVALID_ARGUMENT', message: /'E'/ });
    assert.throws(() => dateTrunc('fortnight', col('s')), { code: 'ERR_PLAN_INVALID_ARGUMENT' });
  });

  test('explain and default column names read as calls, parameters after the columns', () => {
    const ds = on
      .kc()
      .parallelize([{ s: 'a', x: 1.5 }], 1)
      .toDataset();
    const selected = ds.select(round(col('x'), 2), col('s').like('a%'), log(col('x')), substring(col('s'), 2));
    assert.match(selected.explain(), /select round\(x, 2\), like\(s, "a%"\), log\(x\), substring\(s, 2\)/);
    assert.equal(dateTrunc('mon', col('t')).name, 'dateTrunc(t, "month")');
  });

  test('a function over the wrong type fails with the column, the expected and the found type', async () => {
    const ds = on
      .kc()
      .parallelize([{ s: 'a', x: 1.5 }], 1)
      .toDataset();
    await assert.rejects(
      ds.select(upper(col('x'))).collect(),
      /upper\(\): expected a string for column 'x', found a float64 column/,
    );
    await assert.rejects(
      ds.select(sqrt(col('s'))).collect(),
      /sqrt\(\): expected a number for column 's', found a string column/,
    );
    await assert.rejects(
      ds.select(year(col('x'))).collect(),
      /year\(\): expected a date, timestamp or string for column 'x'/,
    );
    assert.throws(() => round(col('x'), 1.5), { code: 'ERR_PLAN_INVALID_ARGUMENT', message: /scale as an integer/ });
    assert.throws(() => regexpExtract(col('s'), '(a)', 2), { message: /1 group\(s\)/ });
    assert.throws(() => regexpReplace(col('s'), '(', ''), { code: 'ERR_PLAN_INVALID_ARGUMENT' });
  });
});
