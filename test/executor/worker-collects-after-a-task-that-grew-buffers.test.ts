// Issue 11: a worker thread whose task left tens of MiB of dead buffers collects them before its next task, instead
// of holding them until V8's external-memory trigger (~64 MiB later). Small
// tasks never pay a collection, and taking V8's gc() exposes no `gc` global to user code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';

import { collectIfBuffersGrew, GROWTH_BYTES_MIN } from '../../src/executor/worker/worker-gc.js';

test('a task that grew the buffers by GROWTH_BYTES_MIN ends with a collection that frees them; small ones do not', async () => {
  collectIfBuffersGrew(); // the lowest reading so far: before the buffers below
  await nextTurn();
  assert.equal(collectIfBuffersGrew(), false, 'nothing grew');

  const small = Buffer.alloc(1024 * 1024);
  assert.equal(collectIfBuffersGrew(), false, 'a MiB is not worth a collection');
  small.fill(1);

  let dead: Buffer[] | null = [];
  for (let i = 0; i < 12; i++) dead.push(Buffer.alloc(4 * 1024 * 1024, i));
  const watched = new WeakRef(dead[0]!);
  dead = null;
  await nextTurn(); // a WeakRef keeps its target until the turn that made it ends
  assert.equal(collectIfBuffersGrew(), true, `48 MiB of buffers >= ${GROWTH_BYTES_MIN} bytes`);
  await nextTurn();
  assert.equal(watched.deref(), undefined, 'the dead buffers were collected');

  await nextTurn();
  assert.equal(collectIfBuffersGrew(), false, 'no growth since the collection');
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'a new context gets no gc global either');
});
