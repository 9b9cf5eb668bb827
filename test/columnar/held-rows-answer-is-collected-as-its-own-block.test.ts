// The reduce side of many groups by several keys holds its rows (past PARTITIONED_ROWS_MIN) and writes its answer
// straight into one committed block (held-result-block.ts): the answer's columns are views of that block, a collect
// takes the block as it is (no copy), its checksum holds, and it reads back as the answer of adding each batch as it
// comes, written into a block the ordinary way (blockOfBatches). Keys and values hold nulls; one key is null in every
// row and one aggregate is a mean (both written from a column first, then copied in). Seeded: SEED= reproduces.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator, PARTITIONED_ROWS_MIN } from '../../src/executor/columnar/grouping/aggregate.js';
import { sliceBatch, type Batch } from '../../src/executor/columnar/batches/batch.js';
import { blockOfBatches } from '../../src/executor/columnar/batches/batch-to-block.js';
import { recordsToBatches } from '../../src/executor/columnar/batches/blocks.js';
import { committedBlockOf } from '../../src/executor/columnar/grouping/held-result-block.js';
import type { AggregateSpec } from '../../src/protocol/columnar.js';
import type { Block } from '../../src/protocol/block.js';
import { decodeBlock } from '../../src/storage/blocks/block-reader.js';
import { verifyBlock } from '../../src/storage/blocks/block-verify.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('held-rows-answer-is-collected-as-its-own-block');
const KEYS = ['s', 'i', 'none', 'f'];
const AGGREGATES: AggregateSpec[] = [
  { fn: 'count', column: null, name: 'n' },
  { fn: 'sum', column: 'v', name: 'sv' },
  { fn: 'mean', column: 'v', name: 'mv' },
  { fn: 'min', column: 'w', name: 'lo' },
  { fn: 'max', column: 'v', name: 'hi' },
];

/** Partial rows of about as many groups as rows, as map tasks send them: batches of uneven sizes. */
function partialBatches(rng: Rng): Batch[] {
  const maybe = <T>(value: T): T | null => (rng.nextInt(15) === 0 ? null : value);
  const rows = Array.from({ length: PARTITIONED_ROWS_MIN + 30_000 }, () => ({
    s: maybe(`s${rng.nextInt(300)}é`),
    i: maybe(rng.nextInt(200) - 50),
    none: null as string | null,
    f: maybe(rng.nextInt(40) / 8),
    v: maybe((rng.nextFloat() - 0.4) * 10 ** rng.nextInt(9)),
    w: maybe(rng.nextInt(1 << 20)),
  }));
  const out: Batch[] = [];
  for (let at = 0; at < rows.length; at += 100_000) {
    const map = new HashAggregator(KEYS, AGGREGATES, 'partial', { rowsMin: Infinity, groupsPerRowMin: 1 });
    for (const batch of recordsToBatches(rows.slice(at, at + 100_000), 'test rows')) map.add(batch);
    const { batch } = map.result();
    for (let from = 0; from < batch.rows;) {
      const n = 1 + rng.nextInt(70_000);
      out.push(sliceBatch(batch, n, from));
      from += n;
    }
  }
  return out;
}

/** The block's rows as text (-0, NaN and null told apart), sorted: the answer regardless of group order. */
function rowsOf(block: Block): string[] {
  return (decodeBlock(block) as Record<string, unknown>[])
    .map((row) =>
      JSON.stringify(
        [...KEYS, ...AGGREGATES.map((a) => a.name)].map((name) => {
          const value = row[name];
          return Object.is(value, -0) ? '-0' : Number.isNaN(value) ? 'NaN' : value;
        }),
      ),
    )
    .sort();
}

test('a held-rows reduce writes its answer as one block that a collect takes as it is', () => {
  const rng = new Rng(seed);
  const batches = partialBatches(rng);
  const held = new HashAggregator(KEYS, AGGREGATES, 'final');
  held.addAll(batches);
  const { batch } = held.result();
  assert.ok(batch.rows > PARTITIONED_ROWS_MIN / 2, `SEED=${seed}: too few groups (${batch.rows})`);

  const block = committedBlockOf(batch);
  assert.ok(block !== undefined, `SEED=${seed}: the answer is not a committed block`);
  verifyBlock(block, 'held-rows answer');
  assert.equal(block.rows, batch.rows);
  // The answer's columns are views of the block: no column of its own that a collect would copy.
  for (const [c, column] of batch.columns.entries()) {
    const values = 'values' in column ? column.values : column.bytes;
    assert.equal(values.buffer, block.buffer, `SEED=${seed}: column ${batch.names[c]} is not a view of the block`);
  }

  const byBatch = new HashAggregator(KEYS, AGGREGATES, 'final');
  for (const b of batches) byBatch.add(b);
  const expected = rowsOf(blockOfBatches([byBatch.result().batch]));
  const found = rowsOf(block);
  assert.equal(found.length, expected.length, `SEED=${seed}: group count`);
  for (let r = 0; r < expected.length; r++) assert.equal(found[r], expected[r], `SEED=${seed}: row ${r}`);
});
