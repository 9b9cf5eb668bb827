// What a thread terminated mid-add leaves in a shared string dictionary (storage/shared-dictionary.ts): the lock
// word naming it, and strings written beyond the column's published count. Once the driver frees the lock of that
// thread (releaseLockOfThread; another thread's id frees nothing), the next add takes the lock and writes over the
// half-added strings: codes and strings are those of the published ones plus the new ones, nothing of the dead add.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  allocateSharedDictionaries,
  holderWord,
  releaseLockOfThread,
  SharedDictionaries,
} from '../../src/storage/shared-dictionary.js';
import { addWords } from './shared-dictionary-words.js';

const encoder = new TextEncoder();
/** A thread id no thread of this process has. */
const DEAD_THREAD = 4242;

/** `words` coded into the shared dictionaries `buffer`'s column k: the shared words and each word's code. */
function add(buffer: SharedArrayBuffer, words: readonly string[]): { shared: string[]; codes: number[] } {
  const result = addWords(buffer, words);
  assert.ok(result !== null, `${words.join(',')} coded into the shared dictionary`);
  return result;
}

test('after a dead holder is released, the next add writes over what it half added', () => {
  const buffer = allocateSharedDictionaries(1_000_001);
  assert.deepEqual(add(buffer, ['a', 'b']), { shared: ['a', 'b'], codes: [0, 1] });

  // The dead holder: the lock word names it, and it wrote a string past the published count, never published.
  const lock = new Int32Array(buffer, 0, 1);
  lock[0] = holderWord(DEAD_THREAD);
  const column = new SharedDictionaries(buffer).column('k')!;
  assert.equal(column.size(), 2);
  const end = column.offsets[2]!;
  column.bytes.set(encoder.encode('half-written'), end);
  column.offsets[3] = end + 'half-written'.length;

  releaseLockOfThread(buffer, DEAD_THREAD + 1);
  assert.equal(lock[0], holderWord(DEAD_THREAD), "another thread's exit leaves the lock held");
  releaseLockOfThread(buffer, DEAD_THREAD);
  assert.equal(lock[0], 0, 'the dead holder exited: its lock is free');

  assert.deepEqual(add(buffer, ['c', 'a']), { shared: ['a', 'b', 'c'], codes: [2, 0] });
  assert.equal(lock[0], 0, 'the add released the lock');
});
