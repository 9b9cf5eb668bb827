import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { temporaryDirectory } from './checkpoint-fixtures.js';

/**
 * Cleanup: checkpoints of a stopped Context stay readable unless `stop({ cleanCheckpoints: true })`;
 * `checkpointRetain` keeps only the newest checkpoints (an older one's dataset computes from lineage again);
 * local checkpoints are removed by `stop()` whatever the option.
 */

const dir = temporaryDirectory('ckpt-cleanup');

test('stop() keeps reliable checkpoints readable; a new Context reads them', async () => {
  const root = join(dir(), 'kept');
  const kc = new Context({ threads: 0, checkpointDir: root });
  const rdd = kc.range(0, 10).map((x) => x * 3);
  await rdd.checkpoint({ eager: true });
  await kc.stop();
  const later = new Context({ threads: 0 });
  try {
    assert.deepEqual(
      await later.readCheckpoint(rdd.getCheckpointFile()!).collect(),
      [0, 3, 6, 9, 12, 15, 18, 21, 24, 27],
    );
  } finally {
    await later.stop();
  }
});

test('stop({ cleanCheckpoints: true }) removes the checkpoints this Context wrote, and only those', async () => {
  const root = join(dir(), 'cleaned');
  const other = new Context({ threads: 0, checkpointDir: root });
  const kept = other.range(0, 5).map((x) => x);
  await kept.checkpoint({ eager: true });
  await other.stop();
  const kc = new Context({ threads: 0, checkpointDir: root });
  const a = kc.range(0, 5).map((x) => x + 1);
  const b = kc.range(0, 5).map((x) => x + 2);
  await a.checkpoint({ eager: true });
  await b.checkpoint({ eager: true });
  assert.equal(readdirSync(root).length, 3);
  await kc.stop({ cleanCheckpoints: true });
  assert.deepEqual(readdirSync(root), [kept.getCheckpointFile()!.slice(root.length + 1)]);
});

test('checkpointRetain keeps the newest checkpoints; an older dataset computes from lineage again', async () => {
  const root = join(dir(), 'retained');
  const kc = new Context({ threads: 0, checkpointDir: root, checkpointRetain: 2 });
  try {
    const datasets = [1, 2, 3].map((k) => kc.range(0, 4).map((x) => x * k, { k }));
    const paths: string[] = [];
    for (const rdd of datasets) {
      await rdd.checkpoint({ eager: true });
      paths.push(rdd.getCheckpointFile()!);
    }
    assert.equal(existsSync(paths[0]!), false, 'the oldest was removed');
    assert.ok(existsSync(paths[1]!) && existsSync(paths[2]!));
    assert.equal(datasets[0]!.isCheckpointed(), false);
    assert.deepEqual(await datasets[0]!.collect(), [0, 1, 2, 3], 'computed from lineage');
    assert.deepEqual(await datasets[2]!.collect(), [0, 3, 6, 9]);
  } finally {
    await kc.stop();
  }
});

test('stop() removes local checkpoints', async () => {
  const kc = new Context({ threads: 0, tmpDir: dir() });
  const rdd = kc.range(0, 6).map((x) => x - 1);
  await rdd.localCheckpoint({ eager: true });
  const locals = readdirSync(dir()).filter((name) => name.startsWith('kindling-local-checkpoints-'));
  assert.equal(locals.length, 1);
  assert.deepEqual(await rdd.collect(), [-1, 0, 1, 2, 3, 4]);
  await kc.stop();
  assert.equal(existsSync(join(dir(), locals[0]!)), false);
});
