// Issue 11: an idle worker isolate holds every module it has loaded. The row executor's shuffles and cached blocks,
// text files, and checkpoints, streaming state and sinks (~25 modules, ~1.2 MiB a thread at rest) load at a thread's
// first task that needs them (executor/loading/row-kinds-loader.ts). Checked three ways: statically (no static import below
// the worker module reaches a lazy group: a new one would undo it silently), at run time (a thread that ran only a
// `range().count()` has loaded none), and for each kind on a fresh pool (its first task on a cold thread works).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { probeEveryThread } from '../api/thread-probe.js';
import { checkSmallWordCount, staticImportGraph } from './worker-lazy-loading.js';
import { Context, type RDD } from '../../src/index.js';
import { loadsOnDemand } from '../../src/common/require-esm.js';
import type { RowKindNeeds } from '../../src/executor/loading/row-kinds-loader.js';
import {
  committedOutput,
  countWordsDirectly,
  finalCountsOf,
  freshDir,
  writeWordFiles,
} from '../streaming/stream-fixtures.js';
import { runWordCountInProcess } from '../streaming/in-process-word-count.js';

const WORKER_FILE = fileURLToPath(new URL('../../src/executor/worker/worker.js', import.meta.url));
const LOADER_URL = new URL('../../src/executor/loading/row-kinds-loader.js', import.meta.url).href;
const THREADS = 2;

/** The modules of the lazy groups, and none of them is imported statically below the worker module. */
const LAZY_MODULES = [
  'executor/shuffle/shuffle-write.js',
  'executor/shuffle/shuffle-read.js',
  'executor/shuffle/shuffle-input.js',
  'executor/shuffle/read-blocks.js',
  'io/text/line-reader.js',
  'common/line-scanner.js',
  'io/text/lines-file.js',
  'executor/files-and-sinks/decompress-inputs.js',
  'executor/files-and-sinks/checkpoint-part-file.js',
  'executor/state/state-partition.js',
  'executor/state/update-state.js',
  'executor/files-and-sinks/sink-prepare.js',
];

test('the worker module imports none of the row executor groups it loads on demand', () => {
  const { files } = staticImportGraph(WORKER_FILE);
  assert.ok(files.includes(join('executor', 'run-task.js')), `the walk reached the row executor: ${files}`);
  assert.ok(files.includes(join('executor', 'loading', 'row-kinds-loader.js')), 'the walk reached the loader');
  assert.deepEqual(
    files.filter((file) => LAZY_MODULES.includes(file.split('\\').join('/'))),
    [],
    'modules of lazy groups imported at start',
  );
});

/** What each of the pool's threads has loaded (one answer per thread). */
function loadedPerThread(kc: Context, gate: Int32Array, slot: number): Promise<RowKindNeeds[]> {
  return probeEveryThread<RowKindNeeds, number>(
    kc.range(0, THREADS, 1, THREADS),
    THREADS,
    gate,
    slot,
    LOADER_URL,
    'loadedRowKinds',
  );
}

/** Runs `job` on a fresh 2-thread Context, then returns whether some thread loaded each group. */
async function onColdPool(
  options: ConstructorParameters<typeof Context>[0],
  job: (kc: Context) => Promise<void>,
): Promise<RowKindNeeds> {
  const kc = new Context({ ...options, threads: THREADS });
  const gate = new Int32Array(new SharedArrayBuffer(4));
  try {
    await job(kc);
    const threads = await loadedPerThread(kc, gate, 0);
    return {
      shuffles: threads.some((t) => t.shuffles),
      textFiles: threads.some((t) => t.textFiles),
      stateAndCheckpoints: threads.some((t) => t.stateAndCheckpoints),
    };
  } finally {
    Atomics.store(gate, 0, THREADS);
    await kc.stop();
  }
}

const none: RowKindNeeds = { shuffles: false, textFiles: false, stateAndCheckpoints: false };

test('a thread that ran only a range count has loaded none of the groups', { skip: !loadsOnDemand }, async () => {
  const loaded = await onColdPool({}, async (kc) => {
    assert.equal(await kc.range(0, 10, 1, THREADS).count(), 10);
    assert.deepEqual(
      await kc
        .range(0, 4, 1, THREADS)
        .map((x: number) => x * 2)
        .collect(),
      [0, 2, 4, 6],
    );
  });
  assert.deepEqual(loaded, none);
});

test('each kind runs on a cold pool and loads its group there', { skip: !loadsOnDemand }, async (t) => {
  const dir = freshDir('row-kinds');
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  await t.test('a text file and a shuffle', async () => {
    const loaded = await onColdPool({}, (kc) => checkSmallWordCount(kc, join(dir, 'words.txt')));
    assert.deepEqual(loaded, { ...none, shuffles: true, textFiles: true });
  });

  await t.test('cached blocks read back', async () => {
    const loaded = await onColdPool({}, async (kc) => {
      const cached: RDD<number> = kc
        .range(0, 100, 1, 4)
        .map((x: number) => x * 2)
        .cache();
      assert.equal(await cached.count(), 100);
      assert.equal(await cached.reduce((a: number, b: number) => a + b), 9900);
    });
    assert.equal(loaded.shuffles, true);
  });

  await t.test('a text file written', async () => {
    const out = join(dir, 'saved');
    const loaded = await onColdPool({}, async (kc) => {
      await kc
        .range(0, 20, 1, 2)
        .map((x: number) => `line ${x}`)
        .saveAsTextFile(out);
    });
    const lines = readdirSync(out)
      .filter((name) => name.startsWith('part-'))
      .flatMap((name) => readFileSync(join(out, name), 'utf8').split('\n'))
      .filter((line) => line !== '');
    assert.equal(lines.length, 20);
    assert.deepEqual(loaded, { ...none, textFiles: true });
  });

  await t.test('a checkpoint written and read back', async () => {
    const loaded = await onColdPool({ checkpointDir: join(dir, 'checkpoints') }, async (kc) => {
      const rdd = await kc
        .range(0, 30, 1, 3)
        .map((x: number) => x + 1)
        .checkpoint({ eager: true });
      assert.equal(await rdd.reduce((a: number, b: number) => a + b), 465);
    });
    assert.equal(loaded.stateAndCheckpoints, true);
  });

  await t.test('streaming state and a committed sink', async () => {
    const root = join(dir, 'stream');
    const dirs = { input: join(root, 'in'), out: join(root, 'out'), checkpoint: join(root, 'ckpt') };
    writeWordFiles(dirs.input, 5, 3, 20);
    await runWordCountInProcess(dirs, { threads: THREADS });
    assert.deepEqual(finalCountsOf(committedOutput(dirs.out)), countWordsDirectly(dirs.input));
  });
});
