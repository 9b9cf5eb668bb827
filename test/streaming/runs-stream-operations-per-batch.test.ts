import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Context, type RDD } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';

test('stateless operations run per batch: map, flatMap, filter, keyBy, mapValues, mapPartitions, reduceByKey, transform, union', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const left = kc.readStream.memory<string>({ name: 'left' });
    const right = kc.readStream.memory<string>({ name: 'right' });
    const suffix = '!';
    const query = left
      .union(right)
      .flatMap((line: string) => line.split(' '))
      .filter((word: string) => word.length > 1)
      .map((word: string) => word + suffix, { suffix })
      .keyBy((word: string) => word.length)
      .mapValues((word: string) => word.toUpperCase())
      .mapPartitions(function* (pairs: Iterable<[number, string]>) {
        for (const [n, word] of pairs) yield [word, n];
      })
      .reduceByKey((a: number, b: number) => a + b)
      .transform((rdd: RDD<any>, batchId: number) =>
        rdd.map((pair: [string, number]) => [...pair, batchId], { batchId }),
      )
      .writeStream.format('memory')
      .queryName('words')
      .trigger({ availableNow: true })
      .start();
    left.addData('aa b cc', 'aa');
    right.addData('dd aa');
    await query.awaitTermination();
    const rows = [...kc.memoryTable('words')].map((row) => JSON.stringify(row)).sort();
    assert.deepEqual(rows, ['["AA!",9,0]', '["CC!",3,0]', '["DD!",3,0]']);
  } finally {
    await kc.stop();
  }
});

test('jsonlFiles and maxBytesPerTrigger cut batches by size', async () => {
  const root = freshDir('stream-jsonl');
  const input = join(root, 'in');
  mkdirSync(input);
  for (let i = 0; i < 4; i++) writeFileSync(join(input, `e${i}.jsonl`), `{"n":${i}}\n\n{"n":${i + 10}}\n`);
  const kc = new Context({ threads: 0 });
  try {
    const query = kc.readStream
      .jsonlFiles<{ n: number }>(input, { maxBytesPerTrigger: 20 })
      .map((event: { n: number }) => event.n)
      .writeStream.format('memory')
      .queryName('events')
      .trigger({ availableNow: true })
      .start();
    await query.awaitTermination();
    assert.deepEqual(
      query.recentProgress.map((p) => p.numInputRows),
      [2, 2, 2, 2],
    );
    assert.deepEqual(
      [...kc.memoryTable('events')].sort((a, b) => Number(a) - Number(b)),
      [0, 1, 2, 3, 10, 11, 12, 13],
    );
  } finally {
    await kc.stop();
  }
});

test('updateStateByKey with timeoutMs gives idle keys a last call with [] and drops them', async () => {
  const root = freshDir('stream-timeout');
  const kc = new Context({ threads: 0 });
  try {
    const input = kc.readStream.memory<[string, number]>();
    let nextBatch: (() => void) | null = null;
    const query = input
      .updateStateByKey(
        (values: number[], state: number | undefined) =>
          values.length === 0 ? -(state ?? 0) : (state ?? 0) + values.length,
        { timeoutMs: 1, numPartitions: 1 },
      )
      .writeStream.option('checkpointLocation', join(root, 'ckpt'))
      .foreachBatch(() => nextBatch?.())
      .format('jsonl')
      .start(join(root, 'out'));
    for (const batch of [
      [
        ['a', 1],
        ['a', 1],
      ],
      [['b', 1]],
    ] as [string, number][][]) {
      const done = new Promise<void>((resolve) => {
        nextBatch = resolve;
      });
      input.addData(...batch);
      await done;
    }
    await query.stop();
    assert.equal(query.exception, null);
    const state = await kc.readStateStore(join(root, 'ckpt')).toRDD().collect();
    assert.deepEqual(
      state.map((row) => [row['key'], row['value']]),
      [['b', 1]],
    );
  } finally {
    await kc.stop();
  }
});

test('the console sink prints each batch with its id, at most numRows rows', async () => {
  const kc = new Context({ threads: 0 });
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    printed.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    const input = kc.readStream.memory<number>({ numPartitions: 1 });
    input.addData(1, 2, 3);
    const query = input.writeStream.format('console').option('numRows', 2).trigger({ once: true }).start();
    await query.awaitTermination();
  } finally {
    process.stdout.write = write;
    await kc.stop();
  }
  assert.match(printed.join(''), /Batch: 0\n-+\n1\n2\n… 1 more rows\n/);
});
