// A median's map-side lists are written straight from the rows met into the shuffle block that carries them
// (`deferred-bytes.ts`): no scatter into group order and then a copy into the block. Seeded tables with nulls,
// NaN and -0, past one 64K-row aggregation chunk: the block's lists are each group's non-null values in arrival
// order, the reduce side's medians equal a plain model's, and the lists' bytes are never made whole when one chunk
// holds every group (the direct path); with the groups split over two chunks they are made once and copied, with
// the same answers. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import { blockToBatch } from '../../../src/executor/columnar/batches/blocks.js';
import { deferredBytesOf } from '../../../src/executor/columnar/batches/deferred-bytes.js';
import { chunkOfRows } from '../../../src/executor/columnar/shuffle/shuffle-chunks.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { assembleBlock } from '../../../src/storage/blocks/block-layout.js';
import { Rng, testSeed } from '../random-rows.js';
import { sortedPercentile } from './sorted-percentile.js';

const seed = testSeed('median-lists-go-straight-into-the-shuffle-block');
const rng = new Rng(seed);
const spec: AggregateSpec = { fn: 'median', column: 'v', name: 'm' };

/** A partial aggregation of seeded rows with nulls, and each key's non-null values in arrival order. */
function partialOfRandomRows(): { batch: Batch; expected: Map<number, number[]> } {
  const keys = 2 + rng.nextInt(2999); // at least two groups, so two chunks can both hold some
  const expected = new Map<number, number[]>();
  const partial = new HashAggregator(['k'], [spec], 'partial');
  for (let b = 0, batches = 1 + rng.nextInt(3); b < batches; b++) {
    const rows = 20_000 + rng.nextInt(100_000);
    const k = Float64Array.from({ length: rows }, () => rng.nextInt(keys));
    const v = Float64Array.from({ length: rows }, () =>
      rng.nextInt(10) === 0 ? [NaN, -0, 0][rng.nextInt(3)]! : (rng.nextInt(2_000_000) - 1_000_000) / 8,
    );
    const valid = Uint8Array.from({ length: rows }, () => (rng.nextInt(5) === 0 ? 0 : 1));
    for (let i = 0; i < rows; i++) {
      if (valid[i] === 0) continue;
      const list = expected.get(k[i]!) ?? [];
      list.push(v[i]!);
      expected.set(k[i]!, list);
    }
    partial.add({
      rows,
      names: ['k', 'v'],
      columns: [
        { type: 'f64', values: k },
        { type: 'f64', values: v, valid },
      ],
    });
  }
  return { batch: partial.result().batch, expected };
}

/** Rows 0 … n − 1 in a seeded order (a map output's reduce-partition order). */
function shuffled(n: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

for (const chunks of [1, 2]) {
  test(`median lists through shuffle blocks of ${chunks} chunk(s) equal a model (seed ${seed})`, () => {
    for (let round = 0; round < 4; round++) {
      const { batch, expected } = partialOfRandomRows();
      const listsAt = batch.names.findIndex((name) => name !== 'k');
      const maker = deferredBytesOf(batch.columns[listsAt]!);
      assert.ok(maker !== undefined, 'the lists are a deferred column');
      let made = 0;
      const make = maker.make.bind(maker);
      maker.make = () => {
        made++;
        return make();
      };
      const order = shuffled(batch.rows);
      // Two chunks that both hold groups (a cut at 0 or at the end left one empty, and nothing spanned chunks).
      const cut = chunks === 1 ? batch.rows : 1 + rng.nextInt(batch.rows - 1);
      const blocks = [order.subarray(0, cut), order.subarray(cut)].map((rows) => {
        const chunk = chunkOfRows(batch, rows);
        return blockToBatch(assembleBlock(chunk.shape, chunk.rows, chunk.columns), 'test');
      });
      assert.equal(made, chunks === 1 ? 0 : 1, 'bytes made whole: only when the groups span chunks');
      const final = new HashAggregator(['k'], [spec], 'final');
      for (const block of blocks) {
        const keys = block.columns[block.names.indexOf('k')] as { values: Float64Array };
        const lists = block.columns[listsAt] as Utf8Column;
        for (let g = 0; g < block.rows; g++) {
          const got = new Float64Array(lists.bytes.slice(lists.starts[g]!, lists.ends[g]!).buffer);
          const want = expected.get(keys.values[g]!) ?? [];
          assert.equal(got.length, want.length, `round ${round}: key ${keys.values[g]}: values`);
          want.forEach((x, i) => assert.ok(Object.is(got[i], x), `round ${round}: key ${keys.values[g]}: value ${i}`));
        }
        final.add(block);
      }
      const { batch: out } = final.result();
      const outKeys = out.columns[out.names.indexOf('k')] as { values: Float64Array };
      const medians = out.columns[out.names.indexOf('m')] as { values: Float64Array; valid?: Uint8Array };
      assert.equal(out.rows, batch.rows);
      for (let g = 0; g < out.rows; g++) {
        const want = expected.get(outKeys.values[g]!);
        const where = `round ${round}: key ${outKeys.values[g]}`;
        if (want === undefined) assert.equal(medians.valid?.[g], 0, `${where}: only nulls, no median`);
        else assert.ok(Object.is(medians.values[g], sortedPercentile(want, 0.5)), `${where}: median`);
      }
    }
  });
}
