import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize } from 'node:v8';
import { Context } from '../../src/index.js';
import { runChild, temporaryDirectory, valueShapes } from './checkpoint-fixtures.js';

/**
 * A checkpoint outlives its process: a child process (a new Node, a new Context) opens what this process wrote,
 * gets every record back exactly, keeps the partitioner (its reduceByKey runs as one stage), and the other way
 * round, this process reads what a child wrote after the child's Context was stopped.
 */

const dir = temporaryDirectory('ckpt-process');

test('a child process reads every value shape this process checkpointed', async () => {
  const kc = new Context({ threads: 2, checkpointDir: dir() });
  const paths: Record<string, string> = {};
  try {
    for (const [name, values] of Object.entries(valueShapes())) {
      const rdd = kc.parallelize(values, 3).map((x) => x);
      await rdd.checkpoint({ eager: true });
      paths[name] = rdd.getCheckpointFile()!;
    }
  } finally {
    await kc.stop();
  }
  const child = runChild(
    dir(),
    'read-shapes',
    `import { Context } from 'INDEX';
     import { serialize } from 'node:v8';
     const paths = ${JSON.stringify(paths)};
     const kc = new Context({ threads: 2 });
     const out = {};
     for (const [name, path] of Object.entries(paths)) out[name] = await kc.readCheckpoint(path).collect();
     await kc.stop();
     process.stdout.write(serialize(out).toString('base64'));`,
  );
  assert.equal(child.status, 0, child.stderr);
  const read = deserialize(Buffer.from(child.stdout, 'base64')) as Record<string, unknown[]>;
  assert.deepEqual(read, valueShapes());
});

test('this process reads a checkpoint a child wrote, with its partitioner', async () => {
  const child = runChild(
    dir(),
    'write-counts',
    `import { Context } from 'INDEX';
     const kc = new Context({ threads: 2, checkpointDir: ${JSON.stringify(dir())} });
     const counts = kc.range(0, 1000, 1, 4).map((x) => [x % 7, 1]).reduceByKey((a, b) => a + b, 3);
     await counts.checkpoint({ eager: true });
     await kc.stop();
     process.stdout.write(counts.getCheckpointFile());`,
  );
  assert.equal(child.status, 0, child.stderr);
  const kc = new Context({ threads: 2 });
  try {
    const opened = kc.readCheckpoint<readonly [number, number]>(child.stdout);
    assert.equal(opened.getNumPartitions(), 3);
    assert.match(opened.explain(), /readCheckpoint: .* \(3 partitions, hash\(3\), reliable checkpoint\)/);
    const merged = opened.mapValues((n) => n * 2).reduceByKey((a, b) => a + b);
    const result = new Map(await merged.collect());
    assert.equal(kc.lastJobMetrics?.stagesRun, 1, 'no shuffle: the checkpoint kept its hash partitioner');
    assert.deepEqual(
      [...result.entries()].sort((a, b) => a[0] - b[0]),
      Array.from({ length: 7 }, (_, k) => [k, 2 * Math.ceil((1000 - k) / 7)]),
    );
  } finally {
    await kc.stop();
  }
});
