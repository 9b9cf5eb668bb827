// A window's task input may hold empty batches: an empty map output of rows typed per partition has no columns at
// all. The window-group-limit (and the window operator) concatenate only the batches with rows, so such a batch,
// first or later, neither drops the columns nor fails on them, and an empty typed batch beside one part costs no copy.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Batch } from '../../src/executor/columnar/batches/batch.js';
import { windowGroupLimit, windowOp } from '../../src/executor/columnar/windows/window.js';
import type { WindowSpec } from '../../src/protocol/columnar-window.js';

const f64 = (...values: number[]) => ({ type: 'f64' as const, values: Float64Array.from(values) });
const rows: Batch = { rows: 4, names: ['k', 'v'], columns: [f64(1, 1, 2, 1), f64(3, 1, 2, 2)] };
const noColumns: Batch = { rows: 0, names: [], columns: [] };
const emptyTyped: Batch = { rows: 0, names: ['k', 'v'], columns: [f64(), f64()] };
const window: WindowSpec = { partitionBy: ['k'], orderBy: [{ name: 'v', ascending: true }] };

/** Each column of `batch` as plain numbers, by name. */
const plain = (batch: Batch) =>
  Object.fromEntries(
    batch.names.map((n, c) => [n, Array.from((batch.columns[c] as { values: Float64Array | Int32Array }).values)]),
  );

for (const fn of ['row-number', 'rank'] as const) {
  test(`a ${fn} window-group-limit keeps its rows whatever empty batches come with them`, () => {
    for (const input of [
      [noColumns, rows],
      [rows, noColumns],
      [emptyTyped, rows, noColumns],
    ]) {
      const out = [...windowGroupLimit(input, { kind: 'window-group-limit', window, fn, limit: 1 })];
      assert.equal(out.length, 1);
      assert.deepEqual(plain(out[0]!), { k: [1, 2], v: [1, 2] }, `input ${input.map((b) => b.names.length).join()}`);
    }
  });
}

test('a window-group-limit of empty batches only gives the one that has columns', () => {
  const op = { kind: 'window-group-limit', window, fn: 'rank', limit: 1 } as const;
  assert.deepEqual([...windowGroupLimit([noColumns, emptyTyped], op)], [emptyTyped]);
});

test('a window over a batch without columns and one with rows numbers the rows', () => {
  const op = { kind: 'window', window, columns: [{ name: 'rn', fn: { kind: 'row-number' } }] } as const;
  const [out] = [...windowOp([noColumns, rows], op)];
  assert.deepEqual(plain(out!), { k: [1, 1, 1, 2], v: [1, 2, 3, 2], rn: [1, 2, 3, 1] });
});
