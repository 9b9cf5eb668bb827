// countWhitespaceTokens (the fused word count's map-side kernel) counts as `split(/\s+/)` counted in a Map does, and
// stores each key's `hashBytes`: one span of many lines whose counter rehashes and whose arena grows inside the
// span, on a Buffer (as text splits are read) and on a Uint8Array; a count that would pass 2^31 - 1 is a typed
// error naming the key. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import { ColumnarError } from '../../../src/executor/columnar/error.js';
import { ByteKeyCounter, keyTableHash } from '../../../src/executor/columnar/kernels/byte-key-counter.js';
import { countWhitespaceTokens } from '../../../src/executor/columnar/kernels/count-tokens.js';
import { countedKeys } from './counted-keys.js';
import { Rng, randomLine, testSeed } from '../random-rows.js';

const seed = testSeed('count-tokens-counts-as-split-and-a-map');

/** `lines` as one span of whole lines (one row), in a Buffer or a plain Uint8Array. */
function spanOf(lines: readonly string[], buffer: boolean): Utf8Column {
  const encoded = Buffer.from(lines.join('\n'), 'utf8');
  const bytes = buffer ? encoded : new Uint8Array(encoded);
  return { type: 'utf8', bytes, starts: Int32Array.of(0), ends: Int32Array.of(bytes.length) };
}

function expectedCounts(lines: readonly string[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const line of lines)
    for (const word of line.split(/\s+/)) if (word !== '') expected.set(word, (expected.get(word) ?? 0) + 1);
  return expected;
}

for (const buffer of [true, false]) {
  test(`counts equal split(/\\s+/) in a Map through rehashes in one span, ${buffer ? 'Buffer' : 'Uint8Array'} (seed ${seed})`, () => {
    const rng = new Rng(seed);
    // Numbered words make thousands of distinct keys (a 16-key counter rehashes ~9 times inside the one span);
    // random lines add multi-byte words, keys over 16 bytes and every kind of whitespace.
    const lines = Array.from({ length: 3000 }, (_, i) =>
      i % 3 === 0 ? randomLine(rng) : `w${rng.nextInt(5000)} long-word-past-sixteen-bytes-${rng.nextInt(50)}\tx${i}`,
    );
    const counter = new ByteKeyCounter(16);
    const lineEnds = countWhitespaceTokens(spanOf(lines, buffer), 1, counter);
    assert.deepEqual(countedKeys(counter), expectedCounts(lines));
    assert.equal(counter.size, expectedCounts(lines).size);
    assert.ok(lineEnds >= lines.length - 1, `line ends ${lineEnds} for ${lines.length} lines`);
  });
}

test('a count past 2^31 - 1 is a typed error naming the key', () => {
  const counter = new ByteKeyCounter();
  const word = Buffer.from('often');
  counter.addCount(word, 0, word.length, keyTableHash(word, 0, word.length), 0x7fffffff - 1);
  countWhitespaceTokens(spanOf(['often'], true), 1, counter);
  assert.throws(
    () => countWhitespaceTokens(spanOf(['often'], true), 1, counter),
    (error: unknown) =>
      error instanceof ColumnarError && /the key 'often' occurs more than 2147483647/.test(error.message),
  );
});
