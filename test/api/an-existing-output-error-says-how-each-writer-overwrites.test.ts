// Writing onto an existing directory is ERR_OUTPUT_EXISTS; its advice names the caller's own way to replace it:
// `saveAsTextFile(dir, { overwrite: true })`, but `ds.write.mode('overwrite')`, which has no such option (the
// Dataset writer used to give the RDD's advice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Context, OutputError } from '../../src/index.js';
import { temporaryDirectory } from './helpers.js';

const dir = temporaryDirectory('existing-output');

test('ERR_OUTPUT_EXISTS says { overwrite: true } for saveAsTextFile and .mode(overwrite) for ds.write', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const target = join(dir(), 'out');
    mkdirSync(target);
    const exists = (hint: string) => (e: unknown) =>
      e instanceof OutputError && e.code === 'ERR_OUTPUT_EXISTS' && e.message.includes(`${hint} to replace it`);
    await assert.rejects(kc.parallelize([1], 1).saveAsTextFile(target), exists('Pass { overwrite: true }'));
    await assert.rejects(
      kc
        .fromColumns({ a: [1] })
        .write.format('csv')
        .save(target),
      exists("Use .mode('overwrite') (or 'append')"),
    );
    await kc
      .fromColumns({ a: [1] })
      .write.format('csv')
      .mode('overwrite')
      .save(target);
  } finally {
    await kc.stop();
  }
});
