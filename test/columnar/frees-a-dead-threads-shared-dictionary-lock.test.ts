// A worker thread terminated while it holds the lock of a cached dataset's shared string dictionaries
// (storage/shared-dictionary.ts) cannot release it: the driver does when the pool reports the thread exited. Without
// that, every later partition of the dataset waited LOCK_WAIT_MS for the lock and then coded its strings with a
// dictionary of its own. Staged for real, with no delay: one pool thread, the lock word set to that thread's id
// (as when it dies mid-add), then an injected crash ends the thread; the dataset's partitions cached afterwards
// must still share one dictionary (each partition's a prefix of the others'). SEED= replays a run.
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { WORKER_THREADS_CHANNEL, type WorkerThreadEvent } from '../../src/backend/piscina-backend.js';
import { CachedPartitions } from '../../src/api/context/block-cache.js';
import { holderWord } from '../../src/storage/shared-dictionary.js';
import { Context } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { freshTmpDir } from '../spill/spill-helpers.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('frees-a-dead-threads-shared-dictionary-lock');
const ROWS = 8_000;
const PARTITIONS = 4;

/** A CSV of words k, skewed so later partitions meet words earlier ones did not (their dictionaries differ). */
function csv(): string {
  const rng = new Rng(seed);
  const lines = ['k,v'];
  for (let i = 0; i < ROWS; i++) lines.push(`w${rng.nextInt(20 + Math.floor(i / 20))},${rng.nextInt(1000)}`);
  return `${lines.join('\n')}\n`;
}

test('a thread terminated holding a shared dictionary lock does not keep later partitions from sharing', async () => {
  const started: number[] = [];
  const listener = (message: unknown): void => {
    const { threadId, event } = message as WorkerThreadEvent;
    if (event === 'started') started.push(threadId);
  };
  subscribe(WORKER_THREADS_CHANNEL, listener);
  // The Context's cache and the dataset's id, caught when persist() sets the dataset's level: the test holds the dataset's lock with it.
  let persisted: { cache: CachedPartitions; datasetId: number } | null = null;
  const setLevel = CachedPartitions.prototype.setLevel;
  CachedPartitions.prototype.setLevel = function (this: CachedPartitions, ...args) {
    persisted = { cache: this, datasetId: args[0] };
    return setLevel.apply(this, args);
  };
  const dir = freshTmpDir();
  const kc = new Context({ threads: 1, tmpDir: dir });
  try {
    const path = join(dir, 'table.csv');
    writeFileSync(path, csv());
    const schema = { k: 'string', v: 'int' } as const;
    const ds = kc.read.csv(path, { header: true, schema, minPartitions: PARTITIONS }).persist('MEMORY_ONLY');
    assert.equal(await kc.parallelize([1], 1).count(), 1);
    assert.equal(started.length, 1, `one pool thread started: ${started.join(', ')}`);
    const doomed = started[0]!;

    // The thread holds the lock (as mid-add), then dies: an injected crash of the next task's first attempt.
    const { cache, datasetId } = persisted!;
    const buffer = cache.sharedDictionaries(datasetId);
    new Int32Array(buffer, 0, 1)[0] = holderWord(doomed);
    kc.setFaults({ seed, rules: [{ kind: 'crash', attempt: 0 }] });
    assert.equal(await kc.parallelize([1], 1).count(), 1);
    kc.setFaults(null);
    const threads = [...started];
    assert.ok(threads.length === 2 && threads[1] !== doomed, `the crashed thread was replaced: ${threads.join(', ')}`);

    assert.equal(await ds.count(), ROWS);
    const table = await ds.select('k').toArrow();
    const dictionaries = table.batches.map((batch) => {
      const dictionary = batch.getChild('k')!.data[0]!.dictionary!;
      return Array.from({ length: dictionary.length }, (_, c) => dictionary.get(c) as string);
    });
    assert.ok(dictionaries.length >= PARTITIONS, `${dictionaries.length} batches (SEED=${seed})`);
    const longest = dictionaries.reduce((a, b) => (b.length > a.length ? b : a));
    for (const [p, dictionary] of dictionaries.entries()) {
      assert.deepEqual(dictionary, longest.slice(0, dictionary.length), `partition ${p} (SEED=${seed})`);
    }
    assert.ok(new Set(dictionaries.map((d) => d.length)).size > 1, `partitions met different words (SEED=${seed})`);
    assert.equal(new Int32Array(buffer, 0, 1)[0], 0, 'the lock is free');
  } finally {
    CachedPartitions.prototype.setLevel = setLevel;
    unsubscribe(WORKER_THREADS_CHANNEL, listener);
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
