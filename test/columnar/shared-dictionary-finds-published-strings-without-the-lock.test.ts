// A partition whose strings are all in its column's shared dictionary already (storage/shared-dictionary.ts) gets
// their codes without taking the dictionary's lock: strings below a published count never change, so they are
// looked up outside it, and the lock is held only to add strings. Checked with the lock held by a thread that never
// frees it: a partition of known strings is coded at once (it used to wait out the lock and keep its own
// dictionary), one with a new string still waits and is refused, and once the lock is free, it adds the new string
// after the ones published, and the codes found outside the lock stay those of the shared strings.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { allocateSharedDictionaries, holderWord, releaseLockOfThread } from '../../src/storage/shared-dictionary.js';
import { addWords as add } from './shared-dictionary-words.js';

/** A thread id no thread of this process has. */
const OTHER_THREAD = 4343;

test('strings already shared are coded while another thread holds the lock', () => {
  const buffer = allocateSharedDictionaries(1_000_101);
  assert.deepEqual(add(buffer, ['a', 'bb', 'ccc']), { shared: ['a', 'bb', 'ccc'], codes: [0, 1, 2] });

  const lock = new Int32Array(buffer, 0, 1);
  lock[0] = holderWord(OTHER_THREAD);
  assert.deepEqual(add(buffer, ['ccc', 'a']), { shared: ['a', 'bb', 'ccc'], codes: [2, 0] });
  assert.equal(lock[0], holderWord(OTHER_THREAD), "the lookup left the other thread's lock alone");

  // A new string needs the lock: refused while it is held.
  assert.equal(add(buffer, ['bb', 'dddd']), null);

  releaseLockOfThread(buffer, OTHER_THREAD);
  assert.deepEqual(add(buffer, ['dddd', 'bb', 'e']), { shared: ['a', 'bb', 'ccc', 'dddd', 'e'], codes: [3, 1, 4] });
  assert.equal(lock[0], 0, 'the add released the lock');
  assert.deepEqual(add(buffer, ['e', 'a']), { shared: ['a', 'bb', 'ccc', 'dddd', 'e'], codes: [4, 0] });
});
