// The hashes a map task that stops grouping sends its rows by (groupKeyHashes, 'coded') equal the hash the coded
// tuple table gives each row's group, for key columns without nulls: dictionary-read strings of 1-, 2- and 4-byte
// codes and int32 numbers, which `fold` hashes in loops of their own. A row hashed otherwise would reach another
// reduce partition than its key's grouped rows. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column } from '../../../src/executor/columnar/batches/batch.js';
import { dictionaryColumn } from '../../../src/executor/columnar/batches/dictionary-column.js';
import { CodedTupleKeys } from '../../../src/executor/columnar/kernels/coded-tuple-keys.js';
import { groupKeyHashes } from '../../../src/executor/columnar/kernels/group-key-hashes.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('group-key-hashes-without-nulls-equal-the-coded-table-hashes');

/** A dictionary-read string column of `rows` rows over `size` strings, its codes in `Codes`. */
function stringColumn(
  rng: Rng,
  rows: number,
  size: number,
  Codes: typeof Uint8Array | typeof Uint16Array | typeof Int32Array,
): Column {
  const encoded = Array.from({ length: size }, (_, c) => new TextEncoder().encode(`id${c * 7919}`));
  const offsets = new Int32Array(size + 1);
  encoded.forEach((bytes, c) => (offsets[c + 1] = offsets[c]! + bytes.length));
  const bytes = new Uint8Array(offsets[size]!);
  encoded.forEach((word, c) => bytes.set(word, offsets[c]!));
  const codes = new Codes(rows);
  for (let i = 0; i < rows; i++) codes[i] = rng.nextInt(size);
  return dictionaryColumn(bytes, offsets, size, codes, undefined);
}

test(`key columns without nulls hash as the coded table hashes their groups (SEED=${seed})`, () => {
  const rng = new Rng(seed);
  for (const rows of [1, 37, 5000]) {
    const columns: Column[] = [
      stringColumn(rng, rows, 100, Uint8Array),
      stringColumn(rng, rows, 1000, Uint16Array),
      { type: 'i32', values: Int32Array.from({ length: rows }, () => rng.nextInt(2_000_000) - 1_000_000) },
      stringColumn(rng, rows, 70_000, Int32Array),
      { type: 'i32', values: Int32Array.from({ length: rows }, () => rng.nextInt(100)) },
    ];
    const hashes = groupKeyHashes('coded', columns, rows);
    const coded = new CodedTupleKeys(['utf8', 'utf8', 'number', 'utf8', 'number'], rows);
    const ids = new Int32Array(rows);
    coded.assign(columns, 0, rows, ids, (c, found) => new Error(`column ${c}: ${found}`));
    for (let i = 0; i < rows; i++) assert.equal(hashes[i], coded.hashes[ids[i]!], `${rows} rows: row ${i}`);
  }
});
