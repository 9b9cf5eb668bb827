import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckpointCorruptError, Context } from '../../src/index.js';
import { ownerTag } from '../../src/io/files/owned-temp-dirs.js';
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

    // The next checkpoint written into the same folder removes the incomplete one: its writer is gone.
    const next = new Context({ threads: 0, checkpointDir: root });
    try {
      const again = next.range(0, 10, 1, 2);
      await again.checkpoint({ eager: true });
      assert.equal(next.lastJobMetrics!.staleTempDirsRemoved, 1);
      assert.deepEqual(
        readdirSync(root).sort(),
        [first.stdout, again.getCheckpointFile()!].map((path) => path.slice(root.length + 1)).sort(),
      );
      for (const name of readdirSync(root)) {
        assert.deepEqual(
          readdirSync(join(root, name)).filter((file) => !/^part-\d+\.arrow$/.test(file)),
          ['_manifest.json'],
          'a complete checkpoint keeps no marker of its writer',
        );
      }
    } finally {
      await next.stop();
    }
  });
}

test('an incomplete checkpoint whose writer is alive (or unknown) is left alone', async () => {
  const root = join(dir(), 'live-writer');
  const live = join(root, 'rdd-1-aaaaaaaaaaaa');
  const unmarked = join(root, 'rdd-2-bbbbbbbbbbbb');
  mkdirSync(live, { recursive: true });
  mkdirSync(unmarked, { recursive: true });
  // This process is the writer: as a process still writing into a shared checkpointDir would be.
  writeFileSync(join(live, `_writing-${ownerTag()}-0a1b2c3d`), '');
  const kc = new Context({ threads: 0, checkpointDir: root });
  try {
    await kc.range(0, 4).checkpoint({ eager: true });
    assert.equal(kc.lastJobMetrics!.staleTempDirsRemoved, 0);
    assert.ok(existsSync(live) && existsSync(unmarked));
  } finally {
    await kc.stop();
  }
});

test('an incomplete checkpoint with no marker is removed once nothing in it changed for a day, not before', async () => {
  const root = join(dir(), 'unmarked');
  const dayMs = 24 * 60 * 60 * 1000;
  const unmarked = (name: string, ageMs: number, freshFile = false): string => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    const seconds = (Date.now() - ageMs) / 1000;
    for (const file of ['part-00000.arrow', 'part-00001.arrow.1a2b3c4d.tmp']) {
      writeFileSync(join(path, file), 'x');
      utimesSync(join(path, file), seconds, seconds);
    }
    if (freshFile) writeFileSync(join(path, 'part-00002.arrow'), 'x');
    utimesSync(path, seconds, seconds);
    return path;
  };
  // Written by a version before markers and killed two days ago; one idle for 23 hours; an old one still written.
  const abandoned = unmarked('rdd-1-aaaaaaaaaaaa', 2 * dayMs);
  const recent = unmarked('rdd-2-bbbbbbbbbbbb', dayMs - 60 * 60 * 1000);
  const growing = unmarked('rdd-3-cccccccccccc', 2 * dayMs, true);
  const kc = new Context({ threads: 0, checkpointDir: root });
  try {
    await kc.range(0, 4).checkpoint({ eager: true });
    assert.equal(kc.lastJobMetrics!.staleTempDirsRemoved, 1);
    assert.deepEqual([abandoned, recent, growing].map(existsSync), [false, true, true]);
  } finally {
    await kc.stop();
  }
});
