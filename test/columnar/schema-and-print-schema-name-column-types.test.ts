// `schema()`, `columns()` and `printSchema()` give a dataset's columns with their types named as cast() and reader
// schemas name them, learned from a run to the first row: a CSV's inferred types, an aggregate's output types, a
// Date column's timestamp. Found missing trying the API as a Spark user (df.printSchema(), df.columns).
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Context, col, count, sum } from '../../src/index.js';
import { printedLines } from './printed-lines.js';
import { makeTempDir } from '../support/temp-dir.js';

test('schema() names every type; columns() and printSchema() follow it', async () => {
  const dir = makeTempDir('schema');
  const kc = new Context({ threads: 2 });
  try {
    const path = join(dir, 'a.csv');
    writeFileSync(path, 'k,n,big,x,ok,day,at\na,1,9007199254740993,1.5,true,2024-01-31,2024-01-31 08:00:00\n,,,,,,\n');
    const ds = kc.readCsv(path, { header: true, inferSchema: true });
    assert.deepEqual(await ds.schema(), [
      { name: 'k', type: 'string' },
      { name: 'n', type: 'int32' },
      { name: 'big', type: 'int64' },
      { name: 'x', type: 'float64' },
      { name: 'ok', type: 'bool' },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'timestamp' },
    ]);
    assert.deepEqual(await ds.groupBy('k').agg(count(), sum('big')).columns(), ['k', 'count', 'sum(big)']);
    assert.deepEqual(await ds.filter(col('n').gt(100)).select('x').schema(), [{ name: 'x', type: 'float64' }]);
    assert.deepEqual(await kc.fromColumns({ t: [new Date(0), null] }).schema(), [{ name: 't', type: 'timestamp' }]);
    assert.equal(
      await printedLines(() => ds.select('k', 'n').printSchema()),
      'root\n |-- k: string (nullable = true)\n |-- n: int32 (nullable = true)',
    );
  } finally {
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
