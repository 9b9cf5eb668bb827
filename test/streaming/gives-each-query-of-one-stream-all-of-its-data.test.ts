import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Context } from '../../src/index.js';
import { inputFolder } from './stream-fixtures.js';

// A stream defined once and written by two queries (two sinks, as Spark users do with one readStream DataFrame):
// each query reads all of the data. Both once shared the source's cursor, so the second query of a folder read
// nothing at all (and two running at once split the files between them).

test('two queries started from one file stream, one after the other, each read every file', async () => {
  const input = inputFolder('stream-two-queries', { 'a.txt': 'to be\nor not\n', 'b.txt': 'to be\n' });
  const kc = new Context({ threads: 0 });
  try {
    const words = kc.readStream.textFiles(input).flatMap((line: string) => line.split(' '));
    for (const name of ['first', 'second']) {
      const query = words.writeStream.format('memory').queryName(name).trigger({ availableNow: true }).start();
      await query.awaitTermination();
    }
    const expected = ['be', 'be', 'not', 'or', 'to', 'to'];
    assert.deepEqual([...kc.memoryTable('first')].sort(), expected);
    assert.deepEqual([...kc.memoryTable('second')].sort(), expected);
  } finally {
    await kc.stop();
  }
});

test('two queries running at once on one memory stream each take every record added', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const numbers = kc.readStream.memory<number>({ maxRecordsPerTrigger: 2 });
    numbers.addData(1, 2, 3, 4, 5);
    const queries = ['left', 'right'].map((name) =>
      numbers.writeStream.format('memory').queryName(name).trigger({ availableNow: true }).start(),
    );
    await Promise.all(queries.map((query) => query.awaitTermination()));
    for (const [i, name] of ['left', 'right'].entries()) {
      assert.deepEqual([...kc.memoryTable(name)].sort(), [1, 2, 3, 4, 5], name);
      assert.equal(queries[i]!.lastProgress?.batchId, 2, `${name}: batches of 2, 2 and 1 records`);
    }
  } finally {
    await kc.stop();
  }
});
