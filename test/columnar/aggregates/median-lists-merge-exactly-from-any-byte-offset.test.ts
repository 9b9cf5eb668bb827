// A median's partial state is each group's list of values packed into bytes, ordered by group on the map side
// (`chunksInGroupOrder`); the reduce side merges the lists of one group from many map outputs, wherever the shuffle
// put them: at an 8-byte boundary of their block or not. Seeded map tasks of random keys and values (ties, NaN,
// both zeros, groups of one value) give every key the median of a plain sort of all its values. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Column, Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';
import { sortedPercentile } from './sorted-percentile.js';

const seed = testSeed('median-lists-merge-exactly-from-any-byte-offset');
const rng = new Rng(seed);

/**
 * A partial batch as the shuffle might hand it over: the lists' bytes copied `offset` bytes into a block, behind
 * `shift` bytes of other data that the column's bytes start with (so a list may start off an 8-byte boundary of
 * bytes that themselves start on one).
 */
function placedAt(batch: Batch, lists: string, offset: number, shift: number): Batch {
  const at = batch.names.indexOf(lists);
  const column = batch.columns[at] as Utf8Column;
  const length = column.bytes.length;
  const block = new Uint8Array(new SharedArrayBuffer(offset + shift + length + 16)).fill(0xa5);
  block.set(column.bytes, offset + shift);
  const bytes = block.subarray(offset, offset + shift + length);
  const starts = column.starts.map((s) => s + shift);
  const ends = column.ends.map((e) => e + shift);
  const columns: Column[] = batch.columns.slice();
  columns[at] = { ...column, bytes, starts, ends };
  return { ...batch, columns };
}

test(`medians merged from lists at any byte offset equal a sort's (seed ${seed})`, () => {
  const spec: AggregateSpec = { fn: 'median', column: 'v', name: 'm' };
  for (let round = 0; round < 30; round++) {
    const keys = 1 + rng.nextInt(200);
    const pool = [NaN, -0, 0, 1.5, -3, 7];
    const all = new Map<number, number[]>();
    const final = new HashAggregator(['k'], [spec], 'final');
    const offsets: number[] = [];
    for (let task = 0, tasks = 1 + rng.nextInt(6); task < tasks; task++) {
      const rows = 1 + rng.nextInt(2000);
      const k = Float64Array.from({ length: rows }, () => rng.nextInt(keys));
      const v = Float64Array.from({ length: rows }, () =>
        rng.nextInt(4) === 0 ? pool[rng.nextInt(pool.length)]! : rng.nextInt(100_000) / 16,
      );
      k.forEach((key, row) => {
        const list = all.get(key) ?? [];
        list.push(v[row]!);
        all.set(key, list);
      });
      const partial = new HashAggregator(['k'], [spec], 'partial');
      partial.add({
        rows,
        names: ['k', 'v'],
        columns: [
          { type: 'f64', values: k },
          { type: 'f64', values: v },
        ],
      });
      const { batch } = partial.result();
      const lists = batch.names.find((name) => name !== 'k')!;
      // Bytes aligned (0, 8, 16) or not (1 … 7) within the block, lists aligned within them or not.
      const offset = rng.nextInt(2) === 0 ? 8 * rng.nextInt(3) : 1 + rng.nextInt(7);
      const shift = rng.nextInt(2) === 0 ? 0 : 1 + rng.nextInt(9);
      offsets.push(offset + shift);
      final.add(placedAt(batch, lists, offset, shift));
    }
    const { batch } = final.result();
    const keyColumn = batch.columns[batch.names.indexOf('k')] as { values: Float64Array };
    const medians = batch.columns[batch.names.indexOf('m')] as { values: Float64Array; valid?: Uint8Array };
    assert.equal(batch.rows, all.size, `round ${round}: groups`);
    for (let g = 0; g < batch.rows; g++) {
      const key = keyColumn.values[g]!;
      const expected = sortedPercentile(all.get(key)!, 0.5);
      assert.ok(medians.valid === undefined || medians.valid[g] === 1, `round ${round}: key ${key} has a median`);
      assert.ok(
        Object.is(medians.values[g], expected),
        `round ${round} (offsets ${offsets.join(', ')}): key ${key}: ${medians.values[g]} vs ${expected}`,
      );
    }
  }
});
