// The map side of `median` / `quantile` copies each chunk of rows it is handed (values, validity and group ids), or
// keeps a view of the values when they are an in-memory cached block's (`retained-buffers.ts`), and counts each
// group's non-null values as they come, then scatters the values straight into group order (`chunksInGroupOrder`).
// Seeded batches of every numeric type, with and without nulls, in memory of their own or of a retained block,
// longer than one aggregation chunk (64K rows, so a chunk starts inside its batch), must give every key the list
// and median of a plain model; and only a retained buffer is read after `add`. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Column, Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import type { GroupedChunk } from '../../../src/executor/columnar/aggregates/quantile.js';
import { chunksInGroupOrder } from '../../../src/executor/columnar/aggregates/quantile.js';
import { markRetained } from '../../../src/executor/columnar/batches/retained-buffers.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';
import { sortedPercentile } from './sorted-percentile.js';

const seed = testSeed('median-map-side-reads-chunks-of-every-numeric-type');
const rng = new Rng(seed);

/**
 * A column of `type` holding `numbers` (integers for i32 / i64), null where `valid` is 0; when `retained`, its
 * values are a view into the middle of a shared buffer marked retained (as a cached block's column).
 */
function columnOf(
  type: 'f64' | 'i32' | 'i64',
  numbers: readonly number[],
  valid: Uint8Array | undefined,
  retained = false,
): Column {
  const before = 3;
  const buffer = retained ? new SharedArrayBuffer((numbers.length + before + 2) * 8) : null;
  if (buffer !== null) markRetained(buffer);
  // In a shared buffer `before` values in, or in one of its own.
  const at = (bytes: number) =>
    [buffer ?? new ArrayBuffer(numbers.length * bytes), buffer === null ? 0 : before * bytes] as const;
  if (type === 'f64') {
    const values = new Float64Array(...at(8), numbers.length);
    values.set(numbers);
    return { type, values, valid };
  }
  if (type === 'i32') {
    const values = new Int32Array(...at(4), numbers.length);
    values.set(numbers);
    return { type, values, valid };
  }
  const values = new BigInt64Array(...at(8), numbers.length);
  numbers.forEach((n, i) => (values[i] = BigInt(n)));
  return { type, values, valid };
}

test(`a median's map-side lists hold every non-null value of its group in arrival order (seed ${seed})`, () => {
  const spec: AggregateSpec = { fn: 'median', column: 'v', name: 'm' };
  for (const [type, retained] of [
    ['f64', false],
    ['i32', false],
    ['i64', false],
    ['f64', true],
    ['i32', true],
    ['i64', true],
  ] as const) {
    for (const withNulls of [false, true]) {
      const keys = 1 + rng.nextInt(3000);
      const expected = new Map<number, number[]>();
      const partial = new HashAggregator(['k'], [spec], 'partial');
      for (let b = 0, batches = 1 + rng.nextInt(3); b < batches; b++) {
        // Past one chunk of 64K rows at times, so a later chunk starts inside its batch.
        const rows = 50_000 + rng.nextInt(100_000);
        const k = Float64Array.from({ length: rows }, () => rng.nextInt(keys));
        const v = Array.from({ length: rows }, () => {
          const n = rng.nextInt(2_000_000) - 1_000_000;
          return type === 'f64' && rng.nextInt(8) === 0 ? [NaN, -0, 0.5][rng.nextInt(3)]! : n;
        });
        const valid = withNulls ? Uint8Array.from({ length: rows }, () => (rng.nextInt(5) === 0 ? 0 : 1)) : undefined;
        k.forEach((key, row) => {
          if (valid !== undefined && valid[row] === 0) return;
          const list = expected.get(key) ?? [];
          list.push(v[row]!);
          expected.set(key, list);
        });
        const batch: Batch = {
          rows,
          names: ['k', 'v'],
          columns: [{ type: 'f64', values: k }, columnOf(type, v, valid, retained)],
        };
        partial.add(batch);
      }
      const { batch } = partial.result();
      const keyColumn = batch.columns[batch.names.indexOf('k')] as { values: Float64Array };
      const lists = batch.columns[batch.names.findIndex((name) => name !== 'k')] as Utf8Column;
      for (let g = 0; g < batch.rows; g++) {
        const key = keyColumn.values[g]!;
        const want = expected.get(key) ?? [];
        const start = lists.starts[g]!;
        const got = Array.from(new Float64Array(lists.bytes.slice(start, lists.ends[g]!).buffer));
        const where = `${type}${retained ? ' retained' : ''}${withNulls ? ' with nulls' : ''}: key ${key}`;
        assert.equal(got.length, want.length, `${where}: values`);
        // The message is made only for a value that differs (made for each value, it took most of the test's time).
        got.forEach((x, i) => {
          if (!Object.is(x, want[i])) assert.fail(`${where}: value ${i}: ${x} vs ${want[i]}`);
        });
      }
      const final = new HashAggregator(['k'], [spec], 'final');
      final.add(batch);
      const { batch: out } = final.result();
      const outKeys = out.columns[out.names.indexOf('k')] as { values: Float64Array };
      const medians = out.columns[out.names.indexOf('m')] as { values: Float64Array; valid?: Uint8Array };
      for (let g = 0; g < out.rows; g++) {
        const want = expected.get(outKeys.values[g]!);
        if (want === undefined) {
          assert.equal(medians.valid?.[g], 0, `${type}: a key of only nulls has no median`);
          continue;
        }
        assert.ok(
          Object.is(medians.values[g], sortedPercentile(want, 0.5)),
          `${type}: key ${outKeys.values[g]} median`,
        );
      }
    }
  }
});

test(`chunks scattered into group order equal a plain model's lists (seed ${seed})`, () => {
  for (let round = 0; round < 20; round++) {
    const groups = 1 + rng.nextInt(50);
    const counts = new Int32Array(groups);
    const model: number[][] = Array.from({ length: groups }, () => []);
    const chunks: GroupedChunk[] = [];
    for (let c = 0, n = rng.nextInt(5); c < n; c++) {
      const length = rng.nextInt(300);
      const from = rng.nextInt(length + 1);
      const to = from + rng.nextInt(length - from + 1);
      const values =
        rng.nextInt(2) === 0
          ? Float64Array.from({ length }, () => rng.nextInt(1000) / 8)
          : Int32Array.from({ length }, () => rng.nextInt(1000) - 500);
      const valid = rng.nextInt(2) === 0 ? undefined : Uint8Array.from({ length }, () => rng.nextInt(3) && 1);
      const ids = Int32Array.from({ length: to - from }, () => rng.nextInt(groups));
      for (let i = from; i < to; i++) {
        if (valid !== undefined && valid[i] === 0) continue;
        counts[ids[i - from]!]!++;
        model[ids[i - from]!]!.push(values[i]!);
      }
      chunks.push({ values, valid, from, to, ids });
    }
    const { offsets, sorted } = chunksInGroupOrder(chunks, counts, groups);
    for (let g = 0; g < groups; g++) {
      assert.deepEqual(
        Array.from(sorted.subarray(offsets[g]!, offsets[g + 1]!)),
        model[g],
        `round ${round}: group ${g}`,
      );
    }
  }
});

test('the map side reads values after add only from a retained buffer (kept, not copied)', () => {
  const spec: AggregateSpec = { fn: 'median', column: 'v', name: 'm' };
  for (const retained of [false, true]) {
    const rows = 100_000;
    const k = Float64Array.from({ length: rows }, (_, i) => i % 7);
    const column = columnOf(
      'f64',
      Array.from({ length: rows }, (_, i) => i),
      undefined,
      retained,
    );
    const partial = new HashAggregator(['k'], [spec], 'partial');
    partial.add({ rows, names: ['k', 'v'], columns: [{ type: 'f64', values: k }, column] });
    // Changed after add: a kept view sees it, a copy does not (a retained buffer is never changed in use; this
    // only tells the two apart).
    (column as { values: Float64Array }).values.fill(-1);
    const { batch } = partial.result();
    const lists = batch.columns[batch.names.findIndex((name) => name !== 'k')] as Utf8Column;
    const first = new Float64Array(lists.bytes.slice(lists.starts[0]!, lists.starts[0]! + 8).buffer)[0];
    assert.equal(first, retained ? -1 : 0, retained ? 'a retained buffer is kept' : 'anything else is copied');
  }
});
