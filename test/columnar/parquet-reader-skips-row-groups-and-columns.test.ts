// kc.read.parquet reads only what a query needs and says so in explain(): random filters over a seeded table in
// small row groups and Hive folders give exactly a plain-JS model's rows (SQL three-valued logic) whether row groups
// are skipped or not; a corrupt chunk in a skipped row group or an unread column is never touched (and is named,
// with its row group and column, when it is read); bad files fail at definition with typed errors naming them.
import assert from 'node:assert/strict';
import { closeSync, openSync, readdirSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { parquetMetadata } from 'hyparquet';

import { Rng } from '../../src/common/rng.js';
import { col, InputError, lit, type ColumnExpression } from '../../src/index.js';
import { onEveryBackend, rejectsWith, temporaryDirectory, throwsWith } from '../api/helpers.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('parquet-reader-skips-row-groups-and-columns');
const ROWS = 2400;
const WORDS = ['apple', 'banana', 'cherry', 'date', 'elder', 'fig', 'grape', 'ö', '😀'];

interface ModelRow {
  k: number;
  x: number | null;
  s: string | null;
  d: string | null;
  p: number | null;
}

function model(rng: Rng): ModelRow[] {
  return Array.from({ length: ROWS }, (_, k) => ({
    k,
    x: rng.nextInt(6) === 0 ? null : rng.nextInt(1000) - 500,
    s: rng.nextInt(7) === 0 ? null : WORDS[Math.floor((k / ROWS) * WORDS.length)]!, // sorted: prunable
    d: rng.nextInt(9) === 0 ? null : new Date(Date.UTC(2020, 0, 1 + Math.floor(k / 10))).toISOString().slice(0, 10),
    p: rng.nextInt(10) === 0 ? null : k % 3,
  }));
}

/** A predicate both as a kindling expression and as a three-valued JS function (null = unknown). */
interface Predicate {
  readonly text: string;
  readonly expr: ColumnExpression;
  readonly eval: (row: ModelRow) => boolean | null;
}

const OPS = ['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const;
const JS_OPS: Record<(typeof OPS)[number], (a: number | string, b: number | string) => boolean> = {
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};

function randomPredicate(rng: Rng, depth = 0): Predicate {
  const pick = rng.nextInt(depth > 1 ? 4 : 6);
  if (pick === 4 || pick === 5) {
    const a = randomPredicate(rng, depth + 1);
    const b = randomPredicate(rng, depth + 1);
    return pick === 4
      ? {
          text: `(${a.text} and ${b.text})`,
          expr: a.expr.and(b.expr),
          eval: (r) => {
            const x = a.eval(r);
            const y = b.eval(r);
            return x === false || y === false ? false : x === null || y === null ? null : true;
          },
        }
      : {
          text: `(${a.text} or ${b.text})`,
          expr: a.expr.or(b.expr),
          eval: (r) => {
            const x = a.eval(r);
            const y = b.eval(r);
            return x === true || y === true ? true : x === null || y === null ? null : false;
          },
        };
  }
  const column = (['k', 'x', 's', 'd', 'p'] as const)[rng.nextInt(5)]!;
  if (pick === 3) {
    const negated = rng.nextInt(2) === 0;
    return {
      text: `${column} is${negated ? ' not' : ''} null`,
      expr: negated ? col(column).isNotNull() : col(column).isNull(),
      eval: (r) => (r[column] === null) !== negated,
    };
  }
  const value =
    column === 'k'
      ? rng.nextInt(ROWS + 200) - 100
      : column === 'x'
        ? rng.nextInt(1200) - 600
        : column === 's'
          ? WORDS[rng.nextInt(WORDS.length)]!
          : column === 'd'
            ? new Date(Date.UTC(2020, 0, rng.nextInt(260))).toISOString().slice(0, 10)
            : rng.nextInt(4);
  if (pick === 2) {
    const values = [value, column === 's' || column === 'd' ? value : (value as number) + 1];
    return {
      text: `${column} in ${JSON.stringify(values)}`,
      expr: col(column).isin(...values),
      eval: (r) => (r[column] === null ? null : values.includes(r[column])),
    };
  }
  const op = OPS[rng.nextInt(OPS.length)]!;
  const flip = rng.nextInt(2) === 0;
  return {
    text: flip ? `${JSON.stringify(value)} ${op}' ${column}` : `${column} ${op} ${JSON.stringify(value)}`,
    // `lit(v) op col` is the flipped comparison: the pruning must read it the other way round.
    expr: flip ? lit(value)[FLIP[op]](col(column)) : col(column)[op](lit(value)),
    eval: (r) => (r[column] === null ? null : JS_OPS[op](r[column], value)),
  };
}

const FLIP = { lt: 'gt', le: 'ge', gt: 'lt', ge: 'le', eq: 'eq', ne: 'ne' } as const;

onEveryBackend('kc.read.parquet', (on) => {
  const dir = temporaryDirectory('parquet-pruning');
  const rows = model(new Rng(seed));
  let written: string | null = null;
  const table = async () => {
    if (written !== null) return written;
    const out = join(dir(), 'table');
    const columns = {
      k: rows.map((r) => r.k),
      x: rows.map((r) => r.x),
      s: rows.map((r) => r.s),
      d: rows.map((r) => r.d),
      p: rows.map((r) => r.p),
    };
    await on
      .kc()
      .fromColumns(columns, { numPartitions: 2 })
      .withColumn('k', col('k').cast('int'))
      .withColumn('x', col('x').cast('int'))
      .withColumn('p', col('p').cast('int'))
      .withColumn('d', col('d').cast('date'))
      .write.format('parquet')
      .option('rowGroupRows', 100)
      .partitionBy('p')
      .save(out);
    written = out;
    return out;
  };
  const asModel = (r: Record<string, unknown>): ModelRow => ({
    k: r['k'] as number,
    x: r['x'] as number | null,
    s: r['s'] as string | null,
    d: r['d'] instanceof Date ? r['d'].toISOString().slice(0, 10) : null,
    p: r['p'] as number | null,
  });

  test('random filters give the model’s rows, with row groups skipped by statistics and partition values', async () => {
    const ds = on.kc().read.parquet(await table());
    const rng = new Rng(seed + 1);
    let skippedSome = 0;
    for (let i = 0; i < 25; i++) {
      const predicate = randomPredicate(rng);
      const query = ds.filter(predicate.expr);
      const skipped = /skips (\d+) of (\d+) row groups/.exec(query.explain());
      assert.ok(skipped !== null, `explain names the pushed filter: ${query.explain()}`);
      if (Number(skipped[1]) > 0) skippedSome++;
      const got = (await query.collect()).map(asModel).sort((a, b) => a.k - b.k);
      const want = rows.filter((r) => predicate.eval(r) === true);
      assert.deepEqual(got, want, `filter ${predicate.text} (SEED=${seed})`);
    }
    assert.ok(skippedSome >= 5, `expected several filters to skip row groups, found ${skippedSome}`);
  });

  test('explain() names the columns read, the pushed filter and the row groups it skips', async () => {
    const ds = on.kc().read.parquet(await table());
    const text = ds
      .filter(col('k').lt(250).and(col('p').eq(1)))
      .select('k', 's')
      .explain();
    assert.match(
      text,
      /readParquet .*\[k: int32, x: int32, s: utf8, d: date, p \(partition\)\] \(\d+ row groups in 8 files\)/,
    );
    assert.match(text, /reads columns k, p, s \(3 of 5\)/);
    // Two tasks wrote four folders each; p = 1 keeps two files, and k < 250 only the first group of one of them.
    const [, skipped, total] = /skips (\d+) of (\d+) row groups/.exec(text)!.map(Number);
    assert.ok(total! >= 24 && skipped! >= total! - 2, text);
  });

  test('a corrupt chunk is not read when its row group is skipped or its column unused, and named when read', async () => {
    const path = join(dir(), 'one.parquet');
    await on
      .kc()
      .fromColumns(
        { k: Int32Array.from({ length: 500 }, (_, i) => i), x: rows.slice(0, 500).map((r) => r.x) },
        { numPartitions: 1 },
      )
      .write.format('parquet')
      .option('rowGroupRows', 100)
      .save(path);
    const file = join(path, 'part-00000.parquet');
    const meta = parquetMetadata(readFileSync(file));
    assert.equal(meta.row_groups.length, 5);
    const chunk = meta.row_groups[3]!.columns[1]!.meta_data!;
    const fd = openSync(file, 'r+');
    writeSync(
      fd,
      Buffer.alloc(Number(chunk.total_compressed_size), 0xff),
      0,
      undefined,
      Number(chunk.data_page_offset),
    );
    closeSync(fd);
    const ds = on.kc().read.parquet(path);
    assert.equal((await ds.filter(col('k').lt(300)).collect()).length, 300);
    assert.equal((await ds.select('k').collect()).length, 500);
    const error = await rejectsWith(ds.collect(), InputError, 'ERR_INPUT_CORRUPT');
    assert.match(error.message, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: row group 3, column 'x'`));
  });

  test('bad files fail at definition, naming the file: missing, not Parquet, truncated, mismatched schemas', async () => {
    const kc = on.kc();
    const base = join(dir(), 'bad');
    throwsWith(() => kc.read.parquet(join(dir(), 'missing.parquet')), InputError, 'ERR_INPUT_NOT_FOUND');

    const notParquet = join(dir(), 'text.parquet');
    writeFileSync(notParquet, 'id,name\n1,a\n2,b\n');
    const magic = throwsWith(() => kc.read.parquet(notParquet), InputError, 'ERR_INPUT_CORRUPT');
    assert.match(magic.message, /text\.parquet: not a readable Parquet file: expected the magic bytes PAR1/);

    await kc.fromColumns({ v: [1, 2, 3] }, { numPartitions: 1 }).write.parquet(base);
    const good = join(base, 'part-00000.parquet');
    const bytes = readFileSync(good);
    const truncated = join(dir(), 'truncated.parquet');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 5));
    const cut = throwsWith(() => kc.read.parquet(truncated), InputError, 'ERR_INPUT_CORRUPT');
    assert.match(cut.message, /truncated\.parquet: .*truncated/);

    const lying = join(dir(), 'lying.parquet');
    const copy = Buffer.from(bytes);
    copy.writeUInt32LE(bytes.length * 4, bytes.length - 8); // footer length past the start of the file
    writeFileSync(lying, copy);
    const long = throwsWith(() => kc.read.parquet(lying), InputError, 'ERR_INPUT_CORRUPT');
    assert.match(long.message, /lying\.parquet: .*footer claims \d+ bytes, but the file has only \d+/);

    const tiny = join(dir(), 'tiny.parquet');
    writeFileSync(tiny, 'PAR1');
    truncateSync(tiny, 4);
    throwsWith(() => kc.read.parquet(tiny), InputError, 'ERR_INPUT_CORRUPT');

    const mixed = join(dir(), 'mixed');
    await kc.fromColumns({ v: [1, 2] }, { numPartitions: 1 }).write.parquet(join(mixed, 'a'));
    await kc.fromColumns({ v: ['x'] }, { numPartitions: 1 }).write.parquet(join(mixed, 'b'));
    const mismatch = throwsWith(
      () => kc.read.parquet(join(mixed, '*', '*.parquet')),
      InputError,
      'ERR_INPUT_SCHEMA_MISMATCH',
    );
    assert.match(
      mismatch.message,
      /b\/part-00000\.parquet: columns \[v: utf8\] differ from \[v: float64\] of .*a\/part-00000\.parquet/,
    );

    const keys = join(dir(), 'keys');
    await kc
      .fromColumns({ v: [1], y: [2] }, { numPartitions: 1 })
      .write.partitionBy('y')
      .parquet(join(keys, 't1'));
    await kc
      .fromColumns({ v: [1], z: [2] }, { numPartitions: 1 })
      .write.partitionBy('z')
      .parquet(join(keys, 't2'));
    assert.deepEqual(readdirSync(join(keys, 't1')).sort(), ['_SUCCESS', 'y=2']);
    const folders = throwsWith(
      () => kc.read.parquet([join(keys, 't1'), join(keys, 't2')]),
      InputError,
      'ERR_INPUT_SCHEMA_MISMATCH',
    );
    assert.match(folders.message, /partition folders \[z\] differ from \[y\]/);
  });
});
