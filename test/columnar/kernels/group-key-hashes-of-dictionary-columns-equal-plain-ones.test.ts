// The hashes a map task that stops grouping sends its rows by (groupKeyHashes) are the same for a dictionary-read
// string column (hashed once per dictionary string) as for the same strings in a plain column, with nulls, for one
// key and for several: else a passed-through row and a grouped one of the same key would reach two reduce
// partitions. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column, Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import { dictionaryColumn } from '../../../src/executor/columnar/batches/dictionary-column.js';
import { groupKeyHashes } from '../../../src/executor/columnar/kernels/group-key-hashes.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('group-key-hashes-of-dictionary-columns-equal-plain-ones');
const WORDS = ['', 'a', 'id001', 'é😀', 'id0000000042', 'a\u0000b'];

/** The same rows as a dictionary-read column and as a plain one (codes into `WORDS`, about one row in 7 null). */
function columnPair(rng: Rng, rows: number, dictionarySize: number): [Utf8Column, Utf8Column] {
  const text = new TextEncoder();
  const encoded = WORDS.slice(0, dictionarySize).map((w) => text.encode(w));
  const offsets = new Int32Array(dictionarySize + 1);
  encoded.forEach((bytes, c) => (offsets[c + 1] = offsets[c]! + bytes.length));
  const bytes = new Uint8Array(offsets[dictionarySize]!);
  encoded.forEach((word, c) => bytes.set(word, offsets[c]!));
  const codes = new Uint8Array(rows);
  const valid = new Uint8Array(rows);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    codes[r] = rng.nextInt(dictionarySize);
    valid[r] = rng.nextInt(7) === 0 ? 0 : 1;
    starts[r] = offsets[codes[r]!]!;
    ends[r] = offsets[codes[r]! + 1]!;
  }
  const plain: Utf8Column = { type: 'utf8', bytes, starts, ends, valid };
  return [dictionaryColumn(bytes, offsets, dictionarySize, codes, valid), plain];
}

test(`dictionary-read string keys hash as the same strings in a plain column (SEED=${seed})`, () => {
  const rng = new Rng(seed);
  for (const rows of [3, 50, 400]) {
    const [coded, plain] = columnPair(rng, rows, WORDS.length);
    assert.deepEqual(groupKeyHashes('utf8', [coded], rows), groupKeyHashes('utf8', [plain], rows), `${rows} rows`);
    const [other, otherPlain] = columnPair(rng, rows, 3);
    const ints: Column = { type: 'i32', values: Int32Array.from({ length: rows }, () => rng.nextInt(5)) };
    assert.deepEqual(
      groupKeyHashes('coded', [coded, ints, other], rows),
      groupKeyHashes('coded', [plain, ints, otherPlain], rows),
      `${rows} rows, three keys`,
    );
  }
});
