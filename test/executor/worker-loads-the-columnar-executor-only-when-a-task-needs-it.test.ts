// Issue 11: an idle worker isolate holds every module it has loaded. The row executor (what RDD tasks run) imports
// none of the columnar executor's ~65 modules, nor apache-arrow or hyparquet: a thread loads the columnar executor
// before its first task that needs it (executor/loading/columnar-loader.ts), so a thread that runs only RDD tasks never
// does. Checked twice: statically, on the import graph of the worker module as built (a static import of a columnar
// module anywhere below it fails), and at run time, on each thread of a pool, through the loader's own record.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { BACKENDS } from '../api/helpers.js';
import { probeEveryThread } from '../api/thread-probe.js';
import { checkSmallWordCount, staticImportGraph } from './worker-lazy-loading.js';
import { Context, count } from '../../src/index.js';
import { loadsOnDemand } from '../../src/common/require-esm.js';
import { makeTempDir } from '../support/temp-dir.js';

const WORKER_FILE = fileURLToPath(new URL('../../src/executor/worker/worker.js', import.meta.url));
const LOADER_URL = new URL('../../src/executor/loading/columnar-loader.js', import.meta.url).href;

test('the worker module imports no columnar module, apache-arrow or hyparquet before a task needs them', () => {
  const { files, packages } = staticImportGraph(WORKER_FILE);
  assert.ok(files.includes(join('executor', 'run-task.js')), `the walk reached the row executor: ${files}`);
  // The shuffle writer is loaded at a thread's first shuffle (row-kinds-loader.ts): the narrow operations are not.
  assert.ok(files.includes(join('executor', 'rdd', 'fused-narrow.js')), 'the walk reached the RDD narrow operations');
  const columnar = files.filter((file) => file.startsWith(join('executor', 'columnar') + '/'));
  assert.deepEqual(
    columnar,
    [join('executor', 'columnar', 'caching', 'cache-node.js')],
    'columnar modules loaded at start',
  );
  const heavy = packages.filter((name) => /^(apache-arrow|hyparquet)/.test(name));
  assert.deepEqual(heavy, [], 'packages loaded at start');
});

/** Whether each thread has loaded the columnar executor, one answer per thread. */
function loadedPerThread(kc: Context, parties: number, gate: Int32Array, slot: number): Promise<boolean[]> {
  return probeEveryThread<boolean, number>(
    kc.range(0, parties, 1, parties),
    parties,
    gate,
    slot,
    LOADER_URL,
    'columnarExecutorLoaded',
  );
}

for (const backend of BACKENDS) {
  test(
    `${backend.name}: a thread loads the columnar executor at its first columnar task, never for RDD tasks`,
    { skip: !loadsOnDemand },
    async () => {
      const dir = makeTempDir('lazy-columnar');
      const kc = new Context({ threads: backend.threads });
      const parties = Math.max(1, backend.threads);
      const gate = new Int32Array(new SharedArrayBuffer(4 * 4));
      try {
        await checkSmallWordCount(kc, join(dir, 'words.txt'));
        assert.equal(
          await kc
            .range(0, 1000, 1, 4)
            .groupBy((x: number) => x % 10)
            .count(),
          10,
        );
        assert.deepEqual(await loadedPerThread(kc, parties, gate, 0), new Array(parties).fill(false));

        const groups = await kc
          .fromColumns({ k: ['x', 'y', 'x', 'z', 'x', 'y'] }, { numPartitions: 3 })
          .groupBy('k')
          .agg(count())
          .collect();
        assert.deepEqual(groups.map((row) => [row['k'], row['count']]).toSorted(), [
          ['x', 3],
          ['y', 2],
          ['z', 1],
        ]);
        const after = await loadedPerThread(kc, parties, gate, 1);
        assert.ok(after.includes(true), `no thread loaded the columnar executor for a columnar job: ${after}`);
      } finally {
        Atomics.store(gate, 0, parties);
        Atomics.store(gate, 1, parties);
        await kc.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
