// A Dataset grouped by int32 columns answers them as int32 (as Spark, DuckDB and Polars keep a key's type), end to
// end: one, two and three int32 keys and an int32 key beside a string one, with nulls, negative and extreme values,
// from rows typed per partition (some partitions empty, one whose first key is all null there, so typed Arrow
// `null`) and from a CSV of a fixed schema; 1, 4 and 9 reduce partitions, the shuffle in memory (inline) and spilled
// (two worker threads). The answer's schema is the same for every partitioning, and every part file of a Parquet
// or Arrow write of it (empty ones too) has that schema; the files read back as int32 with the model's rows.
// Dates, timestamps and int64 keys keep their types too, and so do distinct, dropDuplicates and a window's partition
// key (those already did: guards). Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DateDay, Int64, makeData, makeVector, Table, TimeUnit, Timestamp, vectorFromArray, Int32 } from 'apache-arrow';

import { col, Context, count, rowNumber, sum, Window, type Dataset, type Row } from '../../src/index.js';
import { temporaryDirectory } from '../api/helpers.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('group-by-int32-keys-come-back-as-int32-through-files');
const dir = temporaryDirectory('int32-keys');

const EXTREMES = [-2147483648, 2147483647, -1, 0];
/** Key sets; `k2` alone has few groups, so some of 9 reduce partitions get no rows. */
const KEY_SETS: readonly (readonly string[])[] = [['k1'], ['k2'], ['k1', 'k2'], ['k1', 'k2', 'k3'], ['k1', 's']];

/** Six partitions of rows: two empty, one whose k1 is null in every row, the others with nulls and extremes. */
function partitions(rng: Rng): Row[][] {
  const key = (space: number) =>
    rng.nextInt(8) === 0 ? null : rng.nextInt(25) === 0 ? EXTREMES[rng.nextInt(4)]! : rng.nextInt(space) - 3;
  const rows = (n: number, k1Null: boolean): Row[] =>
    Array.from({ length: n }, () => ({
      k1: k1Null ? null : key(40),
      k2: key(5),
      k3: key(1000),
      s: rng.nextInt(9) === 0 ? null : `s${rng.nextInt(6)}`,
      v: rng.nextInt(1000) / 4,
    }));
  return [[], rows(300, false), rows(120, true), rows(250, false), [], rows(400, false)];
}

/** Per key tuple of `keys`: `[...keys, n, total]` as JSON, sorted. */
function model(rows: readonly Row[], keys: readonly string[]): string[] {
  const groups = new Map<string, [number, number]>();
  for (const row of rows) {
    const key = JSON.stringify(keys.map((k) => row[k]));
    const [n, total] = groups.get(key) ?? [0, 0];
    groups.set(key, [n + 1, total + (row['v'] as number)]);
  }
  return [...groups].map(([key, [n, t]]) => JSON.stringify([...(JSON.parse(key) as unknown[]), n, t])).sort();
}

function answerRows(rows: readonly Row[], keys: readonly string[]): string[] {
  return rows.map((row) => JSON.stringify([...keys.map((k) => row[k]), row['n'], row['total']])).sort();
}

/** `name: Type` of every field of a table. */
function fieldsOf(table: Table): string[] {
  return table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`);
}

function expectedFields(keys: readonly string[]): string[] {
  return [...keys.map((k) => `${k}: ${k === 's' ? 'Utf8' : 'Int32'}`), 'n: Int32', 'total: Float64'];
}

/** The CSV of `rows` (empty fields for nulls). */
function writeCsv(path: string, rows: readonly Row[]): void {
  const field = (v: unknown) => (v === null ? '' : String(v));
  const lines = rows.map((r) => ['k1', 'k2', 'k3', 's', 'v'].map((c) => field(r[c])).join(','));
  writeFileSync(path, `k1,k2,k3,s,v\n${lines.join('\n')}\n`);
}

for (const spilled of [false, true]) {
  test(`int32 group-by keys come back as int32, shuffle ${spilled ? 'spilled' : 'in memory'} (seed ${seed})`, async () => {
    const rng = new Rng(seed + (spilled ? 1 : 0));
    const parts = partitions(rng);
    const all = parts.flat();
    const csv = join(dir(), `rows-${spilled}.csv`);
    writeCsv(csv, all);
    const kc = new Context(spilled ? { threads: 2, shuffleMemoryBytesMax: 0 } : { threads: 0 });
    try {
      const sources: [string, Dataset][] = [
        [
          'rows typed per partition',
          kc
            .parallelize(parts, parts.length)
            .flatMap((p) => p)
            .toDataset(),
        ],
        [
          'a CSV',
          kc.readCsv(csv, {
            header: true,
            schema: { k1: 'int', k2: 'int', k3: 'int', s: 'string', v: 'double' },
            minPartitions: 3,
          }),
        ],
      ];
      for (const [source, ds] of sources) {
        for (const keys of KEY_SETS) {
          const expected = model(all, keys);
          for (const numPartitions of [1, 4, 9]) {
            const what = `SEED=${seed}, ${source}, groupBy(${keys.join(', ')}), ${numPartitions} partitions`;
            const answer = ds.groupBy(...keys, { numPartitions }).agg(count().as('n'), sum('v').as('total'));
            assert.deepEqual(fieldsOf(await answer.toArrow()), expectedFields(keys), what);
            assert.deepStrictEqual(answerRows(await answer.collect(), keys), expected, what);
            if (numPartitions !== 9) continue;
            // Every part file (some of no rows) has the answer's schema; the files read back as they were written.
            for (const format of ['parquet', 'arrow'] as const) {
              const out = join(dir(), `${format}-${spilled}-${source.length}-${keys.join('')}`);
              await answer.write.format(format).save(out);
              const read = (path: string) => (format === 'parquet' ? kc.read.parquet(path) : kc.read.arrow(path));
              const files = readdirSync(out).filter((f) => f.startsWith('part-'));
              assert.equal(files.length, 9, `${what}: ${format} part files`);
              let empty = 0;
              for (const file of files) {
                const part = await read(join(out, file)).toArrow();
                assert.deepEqual(fieldsOf(part), expectedFields(keys), `${what}: ${format} ${file}`);
                if (part.numRows === 0) empty++;
              }
              if (keys.join() === 'k2') assert.ok(empty > 0, `${what}: a reduce partition without rows`);
              const back = read(out);
              assert.deepEqual(fieldsOf(await back.toArrow()), expectedFields(keys), `${what}: ${format} read back`);
              assert.deepStrictEqual(answerRows(await back.collect(), keys), expected, `${what}: ${format} rows`);
            }
          }
        }
      }
    } finally {
      await kc.stop();
    }
  });
}

test('date, timestamp and int64 keys keep their types beside int32 ones; distinct and windows keep int32', async () => {
  const days = [19723, 19724, 19724, 19725, 0, 19723];
  const dayValid = [true, true, true, true, false, true];
  const bits = (flags: boolean[]) => Uint8Array.of(flags.reduce((b, f, i) => b | (f ? 1 << i : 0), 0));
  const d = makeVector(
    makeData({ type: new DateDay(), length: 6, nullCount: 1, nullBitmap: bits(dayValid), data: Int32Array.from(days) }),
  );
  const ts = makeVector(
    makeData({
      type: new Timestamp(TimeUnit.MICROSECOND, 'UTC'),
      length: 6,
      nullCount: 0,
      data: BigInt64Array.from([1n, 2n, 2n, 3n, 1n, 4n]),
    }),
  );
  const l = makeVector(
    makeData({ type: new Int64(), length: 6, nullCount: 0, data: BigInt64Array.of(1n, 2n ** 62n, 3n, -4n, 1n, 3n) }),
  );
  const k = vectorFromArray([7, -2147483648, 7, null, 2147483647, 7], new Int32());
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromArrow(new Table({ k, d, ts, l }));
    const typeOf = (table: Table, name: string) => String(table.schema.fields.find((f) => f.name === name)!.type);
    for (const keys of [['d'], ['ts'], ['l'], ['k', 'd'], ['k', 'ts'], ['k', 'l'], ['k', 'd', 'l']]) {
      for (const numPartitions of [1, 4]) {
        const table = await ds
          .groupBy(...keys, { numPartitions })
          .agg(count())
          .toArrow();
        const types = keys.map((key) => typeOf(table, key));
        const want = keys.map(
          (key) => ({ k: 'Int32', d: 'Date32<DAY>', ts: 'Timestamp<MICROSECOND, UTC>', l: 'Int64' })[key],
        );
        assert.deepEqual(types, want, `groupBy(${keys.join(', ')}), ${numPartitions} partitions`);
      }
    }
    assert.equal(typeOf(await ds.select('k').distinct().toArrow(), 'k'), 'Int32');
    assert.equal(typeOf(await ds.dropDuplicates(['k']).toArrow(), 'k'), 'Int32');
    const ranked = ds.withColumn('r', rowNumber().over(Window.partitionBy('k').orderBy('l'))).filter(col('r').le(1));
    assert.equal(typeOf(await ranked.toArrow(), 'k'), 'Int32');
  } finally {
    await kc.stop();
  }
});
