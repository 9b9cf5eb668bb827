// Run by `npm run test:interop` (Linux x64): it installs nodejs-polars without saving it, because the polars
// binary packages declare Node >= 22 and npm leaves them out of the lock file on Node 20, which breaks `npm ci`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { Context } from '../src/index.js';
import { temporaryDirectory, valueShapes } from '../test/checkpoint/checkpoint-fixtures.js';

/**
 * Interop: Polars (Rust's Arrow IPC reader, not apache-arrow JS) reads every part file of a checkpoint and gets the
 * same rows: scalars as one column `value`, pairs as `key` and `value`, objects as one column per field. Values
 * Arrow cannot hold are the Binary fallback column (`v8.serialize` bytes) — Polars sees a Binary column there.
 */

/** What another Arrow tool sees for a record: the columns of its shape. */
function asRow(record: unknown, shape: 'scalar' | 'pair' | 'object'): Record<string, unknown> {
  if (shape === 'pair') return { key: (record as unknown[])[0], value: (record as unknown[])[1] };
  if (shape === 'object') return record as Record<string, unknown>;
  return { value: record };
}

const SHAPES: Record<string, 'scalar' | 'pair' | 'object'> = {
  integers: 'scalar',
  floats: 'scalar',
  strings: 'scalar',
  bigints: 'scalar',
  booleans: 'scalar',
  'nullable strings': 'scalar',
  pairs: 'pair',
  objects: 'object',
};

describe('other Arrow readers read the part files', () => {
  const dir = temporaryDirectory('ckpt-interop');
  let kc: Context;
  before(() => {
    kc = new Context({ threads: 2, checkpointDir: dir() });
  });
  after(() => kc.stop());

  for (const [name, shape] of Object.entries(SHAPES)) {
    test(`Polars reads ${name} as the same rows`, async () => {
      const values = valueShapes()[name]!;
      const rdd = kc.parallelize(values, 3).map((x) => x);
      await rdd.checkpoint({ eager: true });
      const rows: Record<string, unknown>[] = [];
      for (let p = 0; p < 3; p++) {
        const frame = pl.readIPC(readFileSync(join(rdd.getCheckpointFile()!, `part-0000${p}.arrow`)));
        rows.push(...(frame.toRecords() as Record<string, unknown>[]));
      }
      const expected = values.map((record) => asRow(record, shape));
      // Polars gives Int64 as JS numbers when they fit; compare bigints by value.
      const normalize = (row: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
      assert.deepEqual(rows.map(normalize), expected.map(normalize));
    });
  }

  test('Polars sees the Binary fallback column, with nulls where records had them', async () => {
    const values = [
      { id: 1, extra: new Map([[1, 2]]) },
      { id: 2, extra: null },
      { id: 3, extra: [1, [2]] },
    ];
    const rdd = kc.parallelize(values, 1).map((x) => x);
    await rdd.checkpoint({ eager: true });
    const frame = pl.readIPC(readFileSync(join(rdd.getCheckpointFile()!, 'part-00000.arrow')));
    assert.deepEqual(frame.columns, ['id', 'extra']);
    assert.deepEqual(frame.select('id').toRecords(), [{ id: 1 }, { id: 2 }, { id: 3 }]);
    assert.deepEqual([...frame.getColumn('extra').isNull()], [false, true, false]);
    assert.throws(() => frame.getColumn('extra').dtype, /Binary/, 'nodejs-polars reports the column as Binary');
  });
});
