// A partition made of several batches (after `coalesce`) is written to one Arrow IPC file. apache-arrow's writer ends
// the file, silently, at the first batch whose schema differs from the first one's, and a batch's column is nullable
// only when that batch holds a null: `coalesce(1)` of a partition without nulls and one with them wrote the first
// batch only, so readArrow (and pyarrow, Polars …) saw 2 of 4 rows. Every batch is now written under one schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { temporaryDirectory } from '../api/helpers.js';

const dir = temporaryDirectory('arrow-coalesced');

test('coalesce(1) then write arrow keeps the rows of every input partition, nulls included', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const rows = [
      { a: 1, b: 'w', c: 1.5 },
      { a: 2, b: 'x', c: 2.5 },
      { a: 3, b: null, c: null },
      { a: 4, b: 'y', c: 4.5 },
    ];
    for (const [name, ordered] of [
      ['nulls-second', rows],
      ['nulls-first', [...rows].reverse()],
    ] as const) {
      const out = join(dir(), name);
      await kc
        .parallelize([...ordered], 2)
        .toDataset()
        .coalesce(1)
        .write.format('arrow')
        .save(out);
      assert.deepEqual(await kc.readArrow(out).orderBy('a').collect(), rows, name);
    }
  } finally {
    await kc.stop();
  }
});
