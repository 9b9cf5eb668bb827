// Comparisons of numbers follow Spark's NaN semantics (as orderBy, min and max already did, and as DuckDB and
// Polars compare): NaN equals NaN and is above every other number, so `x > 1` keeps a NaN row and `x == NaN` finds
// it, where JS makes every comparison with NaN false; -0 equals 0. `between` follows. A Parquet row group whose
// statistics leave NaN out (kindling's writer does, as the format asks) is not skipped by `x > max`, which its NaN
// passes. Found by the differential test random-queries-answer-as-duckdb.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { col, Context, lit } from '../../src/index.js';
import { makeTempDir } from '../support/temp-dir.js';

const kc = new Context({ threads: 0 });
after(() => kc.stop());

const X = [Number.NaN, 1, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null];
const Y = [Number.NaN, Number.NaN, 0, -0, Number.NaN, 1, Number.NaN];
const ids = X.map((_, i) => i);
const ds = () => kc.fromColumns({ id: ids, x: X, y: Y }, { numPartitions: 2 });
const kept = async (predicate: ReturnType<typeof col>) =>
  (await ds().filter(predicate).collect()).map((row) => row['id']);

test('comparisons with a number literal treat NaN as the largest number', async () => {
  assert.deepEqual(await kept(col('x').gt(1)), [0, 4]);
  assert.deepEqual(await kept(col('x').ge(Number.POSITIVE_INFINITY)), [0, 4]);
  assert.deepEqual(await kept(col('x').lt(1)), [2, 3, 5]);
  assert.deepEqual(await kept(col('x').le(Number.POSITIVE_INFINITY)), [1, 2, 3, 4, 5]);
  assert.deepEqual(await kept(col('x').ne(0)), [0, 1, 4, 5]);
  assert.deepEqual(await kept(col('x').eq(-0)), [2, 3]);
  assert.deepEqual(await kept(col('x').between(1, Number.NaN)), [0, 1, 4]);
});

test('NaN equals NaN, between two columns and with a NaN literal', async () => {
  assert.deepEqual(await kept(col('x').eq(col('y'))), [0, 2, 3]);
  assert.deepEqual(await kept(col('x').ne(col('y'))), [1, 4, 5]);
  assert.deepEqual(await kept(col('x').lt(col('y'))), [1, 4, 5]);
  assert.deepEqual(await kept(col('x').ge(col('y'))), [0, 2, 3]);
  assert.deepEqual(await kept(col('x').eq(lit(Number.NaN))), [0]);
  const flags = await ds()
    .select(col('id'), col('x').gt(col('y')).as('gt'), col('x').le(col('y')).as('le'))
    .collect();
  assert.deepEqual(
    flags.map((row) => [row['gt'], row['le']]),
    [
      [false, true],
      [false, true],
      [false, true],
      [false, true],
      [false, true],
      [false, true],
      [null, null],
    ],
  );
});

test('a Parquet row group whose max is below the literal is still read when it may hold NaN', async () => {
  const dir = join(makeTempDir('nan-pushdown'), 'out');
  await kc
    .fromColumns({ x: [1, Number.NaN, 2, 3] }, { numPartitions: 1 })
    .write.format('parquet')
    .option('rowGroupRows', 2)
    .save(dir);
  const read = (predicate: ReturnType<typeof col>) => kc.read.parquet(dir).filter(predicate).collect();
  assert.deepEqual(await read(col('x').gt(5)), [{ x: Number.NaN }]);
  assert.deepEqual(await read(col('x').ge(5)), [{ x: Number.NaN }]);
  assert.deepEqual(await read(col('x').ne(1)), [{ x: Number.NaN }, { x: 2 }, { x: 3 }]);
  assert.deepEqual(await read(col('x').lt(1.5)), [{ x: 1 }]);
});
