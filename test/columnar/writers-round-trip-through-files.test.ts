// ds.write in every format reads back exactly (nulls vs empty strings, quotes, line breaks, int64, dates,
// timestamps), commits a whole directory of part files with _SUCCESS, and honours error / overwrite / ignore.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { col, lit, OutputError, when } from '../../src/index.js';
import { onEveryBackend, rejectsWith, temporaryDirectory } from '../api/helpers.js';

const columns = {
  s: ['plain', '', null, 'a,b', 'say "hi"', 'two\nlines', 'é😀'],
  n: [1, null, -3, 4, 5, 6, 2147483647],
  x: [0.5, -1e-7, null, 3, 1e21, 2.25, -0],
  b: [true, false, null, true, true, false, false],
  l: [1n, null, -(2n ** 63n), 2n ** 62n, 0n, 7n, 8n],
};

onEveryBackend('ds.write', (on) => {
  const dir = temporaryDirectory('write');
  const dataset = () => on.kc().fromColumns(columns, { numPartitions: 3 });

  test('CSV with a header reads back exactly, nulls apart from empty strings', async () => {
    const out = join(dir(), 'csv');
    await dataset().write.format('csv').option('header', true).save(out);
    assert.deepEqual(readdirSync(out).sort(), ['_SUCCESS', 'part-00000.csv', 'part-00001.csv', 'part-00002.csv']);
    assert.equal(readFileSync(join(out, 'part-00000.csv'), 'utf8').split('\n')[0], 's,n,x,b,l');
    const back = await on
      .kc()
      .readCsv(join(out, '*.csv'), {
        header: true,
        multiLine: true,
        schema: { s: 'string', n: 'int', x: 'double', b: 'boolean', l: 'bigint' },
      })
      .collect();
    assert.deepEqual(back, await dataset().collect());
  });

  test('JSON lines and Arrow read back exactly, dates and timestamps included', async () => {
    const withTime = dataset()
      .withColumn('when', when(col('b'), lit('2024-02-29T12:34:56.789Z')).cast('timestamp'))
      .withColumn('on', when(col('b').not(), lit('2024-02-29')).cast('date'));
    const expected = await withTime.collect();
    const jsonDir = join(dir(), 'jsonl');
    await withTime.write.json(jsonDir);
    const fromJson = await on
      .kc()
      .readJson(join(jsonDir, '*.jsonl'), {
        schema: { s: 'string', n: 'int', x: 'double', b: 'boolean', l: 'bigint', when: 'timestamp', on: 'date' },
      })
      .collect();
    assert.deepEqual(fromJson, expected);
    const arrowDir = join(dir(), 'arrow');
    await withTime.write.format('arrow').save(arrowDir);
    assert.deepEqual(await on.kc().readArrow(join(arrowDir, '*.arrow')).collect(), expected);
  });

  test('an existing directory is an error, replaced with overwrite, left alone with ignore', async () => {
    const out = join(dir(), 'modes');
    const small = on.kc().fromColumns({ v: [1, 2] }, { numPartitions: 1 });
    await small.write.format('jsonl').save(out);
    await rejectsWith(small.write.format('jsonl').save(out), OutputError, 'ERR_OUTPUT_EXISTS');
    await on
      .kc()
      .fromColumns({ v: [3] }, { numPartitions: 1 })
      .write.format('jsonl')
      .mode('ignore')
      .save(out);
    assert.equal(readFileSync(join(out, 'part-00000.jsonl'), 'utf8'), '{"v":1}\n{"v":2}\n');
    await on
      .kc()
      .fromColumns({ v: [3] }, { numPartitions: 1 })
      .write.format('jsonl')
      .mode('overwrite')
      .save(out);
    assert.equal(readFileSync(join(out, 'part-00000.jsonl'), 'utf8'), '{"v":3}\n');
  });
});
