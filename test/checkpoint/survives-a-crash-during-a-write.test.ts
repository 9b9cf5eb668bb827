import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckpointCorruptError, Context } from '../../src/index.js';
import { runChild, temporaryDirectory } from './checkpoint-fixtures.js';

/**
 * A process killed at any chosen point of a checkpoint write leaves the checkpoint directory holding the earlier
 * complete checkpoint and, at most, an incomplete one that every reader refuses (CheckpointCorruptError: no
 * manifest), never a partial checkpoint that reads as valid. Crash points: inside a task (before its part is
 * written), after some parts were renamed into place, after the manifest's temporary file was written.
 */

const dir = temporaryDirectory('ckpt-crash');
const RECORDS = 400;
const expected = Array.from({ length: RECORDS }, (_, i) => [i % 13, i]);

function writerScript(root: string, crashInPartition: number | null): string {
  // A module function can reach `process`; a shipped closure cannot (and should not).
  const udf = join(dir(), 'crashing-rows.mjs');
  writeFileSync(
    udf,
    `export function rows(p, xs) {
       if (p === Number(process.env.CRASH_IN_PARTITION)) process.exit(71);
       return [...xs].map((x) => [x % 13, x]);
     }`,
  );
  return `import { Context } from 'INDEX';
    process.env.CRASH_IN_PARTITION = ${JSON.stringify(String(crashInPartition ?? -1))};
    const kc = new Context({ threads: 0, checkpointDir: ${JSON.stringify(root)} });
    const rdd = kc.range(0, ${RECORDS}, 1, 4).mapPartitionsWithIndex(kc.fn(${JSON.stringify(pathToFileURL(udf).href)}, 'rows'));
    await rdd.checkpoint({ eager: true });
    await kc.stop();
    process.stdout.write(rdd.getCheckpointFile());`;
}

const crashes: { name: string; partition: number | null; env: Record<string, string>; status: number }[] = [
  { name: 'inside the task of partition 2', partition: 2, env: {}, status: 71 },
  {
    name: 'after 1 of 4 parts was renamed into place',
    partition: null,
    env: { KINDLING_CHECKPOINT_CRASH_AT: 'part:1' },
    status: 70,
  },
  {
    name: 'after all 4 parts were renamed into place',
    partition: null,
    env: { KINDLING_CHECKPOINT_CRASH_AT: 'part:4' },
    status: 70,
  },
  {
    name: 'after the manifest temporary file was written',
    partition: null,
    env: { KINDLING_CHECKPOINT_CRASH_AT: 'manifest-temp' },
    status: 70,
  },
];

for (const crash of crashes) {
  test(`a crash ${crash.name} leaves the earlier checkpoint or none`, async () => {
    const root = join(dir(), crash.name.replace(/\W+/g, '-'));
    const first = runChild(dir(), 'write-complete', writerScript(root, null));
    assert.equal(first.status, 0, first.stderr);
    const crashed = runChild(dir(), 'write-and-crash', writerScript(root, crash.partition), crash.env);
    assert.equal(crashed.status, crash.status, `the child should have crashed: ${crashed.stderr}`);

    const kc = new Context({ threads: 0 });
    try {
      let valid = 0;
      let refused = 0;
      for (const name of readdirSync(root)) {
        const path = join(root, name);
        if (!statSync(path).isDirectory()) continue;
        try {
          const records = await kc.readCheckpoint(path).collect();
          assert.equal(path, first.stdout, 'only the complete checkpoint reads');
          assert.deepEqual(records, expected);
          valid++;
        } catch (error: unknown) {
          assert.ok(error instanceof CheckpointCorruptError, `expected CheckpointCorruptError, got ${String(error)}`);
          assert.match(error.message, /_manifest\.json: expected a manifest/);
          refused++;
        }
      }
      assert.equal(valid, 1);
      assert.equal(refused, 1, 'the crashed write left one incomplete directory, and it was refused');
    } finally {
      await kc.stop();
    }
  });
}
