// `ds.write….save(dir)` removes the staging folders that a writer killed with SIGKILL left beside `dir`, as
// `saveAsTextFile` does, and counts them in `kc.lastJobMetrics.staleTempDirsRemoved` as the README says: the write
// job's metrics used to be dropped, so a Dataset write always reported 0 while it removed them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { hostTag } from '../../src/io/files/owned-temp-dirs.js';
import { temporaryDirectory } from './helpers.js';

const dir = temporaryDirectory('dataset-write-stale');

test('a Dataset write removes a dead writer’s staging folder beside its target and counts it', async () => {
  // A pid no process has any more: a child that has exited and been reaped.
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  assert.ok(pid !== undefined && pid > 0);
  const target = join(dir(), 'out');
  mkdirSync(join(dir(), `.out.kindling-staging-${hostTag()}-${pid}-0`, '_temporary'), { recursive: true });
  const kc = new Context({ threads: 0 });
  try {
    await kc
      .fromColumns({ a: ['x', 'y'] })
      .coalesce(1)
      .write.format('csv')
      .save(target);
    assert.equal(kc.lastJobMetrics!.staleTempDirsRemoved, 1);
    assert.deepEqual(
      readdirSync(dir()).filter((name) => name.includes('kindling-staging')),
      [],
    );
    assert.equal(readFileSync(join(target, 'part-00000.csv'), 'utf8'), 'x\ny\n');
  } finally {
    await kc.stop();
  }
});
