// CodedTupleKeys refuses a key column of another kind than the first batch's only when the rows it codes (from … to)
// hold a value: a column of strings where int32 keys were met, all null over the chunk coded but with values in
// rows before it, codes that chunk as null keys (the rows before it are another chunk's, coded or refused there).
// Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column } from '../../../src/executor/columnar/batches/batch.js';
import { CodedTupleKeys } from '../../../src/executor/columnar/kernels/coded-tuple-keys.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('coded-tuple-keys-code-an-all-null-chunk-of-another-type');

/** A string column of `rows` rows: `text` in the first `withValues` rows, null in the rest. */
function stringsThenNulls(rows: number, withValues: number): Column {
  const bytes = new TextEncoder().encode('x');
  return {
    type: 'utf8',
    bytes,
    starts: new Int32Array(rows),
    ends: Int32Array.from({ length: rows }, (_, i) => (i < withValues ? 1 : 0)),
    valid: Uint8Array.from({ length: rows }, (_, i) => (i < withValues ? 1 : 0)),
  };
}

test(`a chunk all null in a key column of another kind codes as null keys (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 20; round++) {
    const chunk = 1 + rng.nextInt(64);
    const before = 1 + rng.nextInt(100);
    const rows = before + chunk;
    const coded = new CodedTupleKeys(['number', 'number'], chunk + 1);
    const ids = new Int32Array(chunk + 1);
    const refuse = (c: number, found: string) => new Error(`column ${c}: ${found}`);
    // A first batch of int32 keys: (1, 2) and (1, null).
    const first: Column[] = [
      { type: 'i32', values: Int32Array.of(1, 1) },
      { type: 'i32', values: Int32Array.of(2, 0), valid: Uint8Array.of(1, 0) },
    ];
    coded.assign(first, 0, 2, ids, refuse);
    // Then a batch whose second key is strings: values before `before`, nulls from there on.
    const ones: Column = { type: 'i32', values: new Int32Array(rows).fill(1) };
    const what = `seed ${seed}, round ${round}: rows ${before} … ${rows - 1}`;
    const groups = coded.assign([ones, stringsThenNulls(rows, before)], before, rows, ids, refuse);
    assert.equal(groups, 2, `${what}: no new group`);
    assert.deepStrictEqual(
      [...ids.subarray(0, chunk)],
      new Array<number>(chunk).fill(1),
      `${what}: the group (1, null)`,
    );
    // A chunk that holds a value of the other kind is still refused.
    assert.throws(
      () => coded.assign([ones, stringsThenNulls(rows, before)], before - 1, rows, ids, refuse),
      /column 1: utf8/,
    );
  }
});
