// A ByteKeyCounter's keys and counts as a Map of strings, checking on the way that each stored hash is its key's
// `hashBytes` and that no key is stored twice (shared by the counter's and the fused kernel's tests).
import assert from 'node:assert/strict';

import type { ByteKeyCounter } from '../../../src/executor/columnar/kernels/byte-key-counter.js';
import { hashBytes } from '../../../src/executor/columnar/kernels/hash-bytes.js';

const decoder = new TextDecoder();

/**
 * `counter`'s entries as key → count.
 *
 * @example
 * assert.deepEqual(countedKeys(counter), new Map([['a', 2]]));
 */
export function countedKeys(counter: ByteKeyCounter): Map<string, number> {
  const { size, arena, starts, ends, hashes, counts } = counter.entries();
  const found = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const key = arena.subarray(starts[i]!, ends[i]!);
    assert.equal(hashes[i], hashBytes(key, 0, key.length), 'the stored hash is the key’s');
    found.set(decoder.decode(key), counts[i]!);
  }
  assert.equal(found.size, size, 'no key twice');
  return found;
}
