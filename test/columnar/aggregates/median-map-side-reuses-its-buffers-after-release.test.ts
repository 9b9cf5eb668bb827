// A map-side `median` / `quantile` hands its buffers (appended values and groups, the packed lists behind its partial
// column) to the next one on its thread when its aggregator is released, so a stage of many map tasks writes fresh
// pages once. Seeded map tasks one after another on this thread (larger and smaller than the one before, with and
// without nulls, two list aggregates in one aggregator) must each give every key the lists of a plain model; a
// task's lists must be the previous released task's memory; and an aggregator not yet released must keep its lists
// while others run and release. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/aggregate.js';
import type { Batch, Utf8Column } from '../../../src/executor/columnar/batch.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('median-map-side-reuses-its-buffers-after-release');
const rng = new Rng(seed);

const SPECS: AggregateSpec[] = [
  { fn: 'median', column: 'v', name: 'm' },
  { fn: 'quantile', column: 'w', name: 'q', quantile: 0.9 },
];

interface MapTask {
  readonly aggregator: HashAggregator;
  readonly batch: Batch;
  /** Per key, per list aggregate, the non-null values in arrival order. */
  readonly expected: Map<number, number[][]>;
}

function runMapTask(rows: number, withNulls: boolean): MapTask {
  const keys = 1 + rng.nextInt(500);
  const k = Float64Array.from({ length: rows }, () => rng.nextInt(keys));
  const v = Float64Array.from({ length: rows }, () => rng.nextInt(1_000_000) / 64);
  const w = Int32Array.from({ length: rows }, () => rng.nextInt(1000) - 500);
  const valid = withNulls ? Uint8Array.from({ length: rows }, () => (rng.nextInt(4) === 0 ? 0 : 1)) : undefined;
  const expected = new Map<number, number[][]>();
  k.forEach((key, row) => {
    const lists = expected.get(key) ?? [[], []];
    if (valid === undefined || valid[row] === 1) lists[0]!.push(v[row]!);
    lists[1]!.push(w[row]!);
    expected.set(key, lists);
  });
  const aggregator = new HashAggregator(['k'], SPECS, 'partial');
  aggregator.add({
    rows,
    names: ['k', 'v', 'w'],
    columns: [
      { type: 'f64', values: k },
      { type: 'f64', values: v, valid },
      { type: 'i32', values: w },
    ],
  });
  return { aggregator, batch: aggregator.result().batch, expected };
}

/** The partial lists of aggregate `index` (its column after the key). */
function listsOf(batch: Batch, index: number): Utf8Column {
  return batch.columns[1 + index] as Utf8Column;
}

function checkLists(task: MapTask, what: string): void {
  const keys = task.batch.columns[task.batch.names.indexOf('k')] as { values: Float64Array };
  for (let a = 0; a < SPECS.length; a++) {
    const lists = listsOf(task.batch, a);
    for (let g = 0; g < task.batch.rows; g++) {
      const want = task.expected.get(keys.values[g]!)![a]!;
      const got = Array.from(new Float64Array(lists.bytes.slice(lists.starts[g]!, lists.ends[g]!).buffer));
      assert.deepEqual(got, want, `${what}: aggregate ${a}, key ${keys.values[g]}`);
    }
  }
}

test(`map tasks in a row reuse the released lists' memory and keep their lists exact (seed ${seed})`, () => {
  let previous: ArrayBufferLike[] = [];
  let previousRows = 0;
  let reused = 0;
  for (let task = 0; task < 12; task++) {
    const rows = task % 3 === 0 ? 100_000 + rng.nextInt(100_000) : 1 + rng.nextInt(20_000);
    const mapTask = runMapTask(rows, task % 2 === 1);
    checkLists(mapTask, `task ${task} (${rows} rows)`);
    const buffers = SPECS.map((_, a) => listsOf(mapTask.batch, a).bytes.buffer);
    // Lists that fit in the released task's (at least ¾ of its rows are non-null) are written into its memory.
    if (rows * 2 <= previousRows) {
      assert.ok(
        buffers.some((buffer) => previous.includes(buffer)),
        `task ${task}: its lists are written into a released task's memory`,
      );
      reused++;
    }
    mapTask.aggregator.release();
    previous = buffers;
    previousRows = rows;
  }
  assert.ok(reused >= 3, `${reused} tasks checked for reuse`);
});

test(`an aggregator not yet released keeps its lists while others run (seed ${seed})`, () => {
  const held = runMapTask(30_000, false);
  for (let task = 0; task < 4; task++) {
    const other = runMapTask(1 + rng.nextInt(60_000), task % 2 === 0);
    checkLists(other, `other task ${task}`);
    other.aggregator.release();
  }
  checkLists(held, 'the held task');
  held.aggregator.release();
});
