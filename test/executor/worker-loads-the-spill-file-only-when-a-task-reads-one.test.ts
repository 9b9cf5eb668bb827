// Issue 11: an idle worker isolate holds every module it has loaded. A worker reaches the spill file module
// (storage/arrow/spill-file.ts, with apache-arrow's IPC reader behind it) only through the groups it loads before a task
// that reads spilled blocks (the row executor's cached blocks, the columnar executor, streaming state); the test a
// worker makes for every task (`isSpilled`, executor/loading/needs-arrow.ts) lives in protocol/block.ts. Checked
// statically (no static import below the worker module reaches it), then by reading spilled cached partitions, RDD
// and columnar, on the threads of a fresh Context that have run only tasks that never loaded it.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { staticImportGraph } from './worker-lazy-loading.js';
import { Context } from '../../src/index.js';
import { MIB, freshTmpDir, spillFilesUnder } from '../spill/spill-helpers.js';

const WORKER_FILE = fileURLToPath(new URL('../../src/executor/worker/worker.js', import.meta.url));
const RECORDS = 40_000;
const PARTITIONS = 4;

const labelOf = (i: number): string => `row-${i.toString(36).padStart(40, '~')}`;

test('the worker module does not import the spill file module', () => {
  const { files } = staticImportGraph(WORKER_FILE);
  assert.ok(files.includes(join('executor', 'loading', 'needs-arrow.js')), `the walk reached the Arrow test: ${files}`);
  assert.deepEqual(
    files.filter((file) => file.split('\\').join('/') === 'storage/arrow/spill-file.js'),
    [],
    'the spill file module is imported at start',
  );
});

/** Runs `job` on a fresh 2-thread Context whose cache spills over 1 MiB; returns the cache files it wrote. */
async function onColdPool(job: (kc: Context) => Promise<void>): Promise<string[]> {
  const tmpDir = freshTmpDir();
  const kc = new Context({ threads: 2, tmpDir, memoryBytesMax: MIB });
  try {
    await job(kc);
    return spillFilesUnder(tmpDir).filter((path) => path.includes('/cache/'));
  } finally {
    await kc.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

test('fresh threads read spilled RDD cached partitions back', async () => {
  const files = await onColdPool(async (kc) => {
    assert.equal(await kc.range(0, 2, 1, 2).count(), 2, 'the threads start on a task that reads no block');
    const rows = kc
      .range(0, RECORDS, 1, PARTITIONS)
      .map((i: number) => ({ id: i, label: `row-${i.toString(36).padStart(40, '~')}` }))
      .persist('MEMORY_AND_DISK');
    assert.equal(await rows.count(), RECORDS);
    const all = await rows.collect();
    assert.deepEqual(
      all.map((row) => row.id),
      Array.from({ length: RECORDS }, (_, i) => i),
    );
    assert.equal(all[12_345]!.label, labelOf(12_345));
  });
  assert.ok(files.length > 0, 'partitions over the budget were spilled');
});

test('fresh threads read spilled columnar cached partitions back', async () => {
  const ids = Array.from({ length: RECORDS }, (_, i) => i);
  const files = await onColdPool(async (kc) => {
    assert.equal(await kc.range(0, 2, 1, 2).count(), 2, 'the threads start on a task that reads no block');
    const ds = kc.fromColumns({ id: ids, label: ids.map(labelOf) }, { numPartitions: PARTITIONS });
    const cached = ds.persist('MEMORY_AND_DISK');
    assert.equal(await cached.count(), RECORDS);
    const all = await cached.collect();
    assert.deepEqual(
      all.map((row) => row['id']),
      ids,
    );
    assert.equal(all[12_345]!['label'], labelOf(12_345));
  });
  assert.ok(files.length > 0, 'partitions over the budget were spilled');
});
