// A group aggregate is handed a batch a chunk of 64K rows at a time. An int64 input is read as float64s, and that
// conversion used to cover the whole column for every chunk: a batch of n rows cost n²/64K conversions. Seeded
// batches of several chunks, with nulls, through `stddev`, `median` and `corr` of int64 columns: the answers equal
// a plain model's, and each aggregate converts each of its int64 columns once per batch (counted through
// `int64Conversions`). SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch } from '../../../src/executor/columnar/batches/batch.js';
import { int64Conversions } from '../../../src/executor/columnar/aggregates/numeric-inputs.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';
import { corrModel, varianceModel } from './moment-models.js';
import { sortedPercentile } from './sorted-percentile.js';

const seed = testSeed('int64-inputs-are-converted-once-per-column');
const rng = new Rng(seed);

function close(got: number, want: number): boolean {
  return Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
}

test(`int64 inputs are converted once per column and batch, and aggregate as a model (seed ${seed})`, () => {
  const specs: AggregateSpec[] = [
    { fn: 'stddev', column: 'x', name: 'sd' },
    { fn: 'median', column: 'x', name: 'med' },
    { fn: 'corr', column: 'x', others: ['y'], name: 'r' },
  ];
  // Each aggregate's int64 columns: stddev's x, median's x, corr's x and y.
  const columnsPerBatch = 4;
  const keys = 1 + rng.nextInt(500);
  const xs = new Map<number, number[]>();
  const pairs = new Map<number, [number, number][]>();
  const partial = new HashAggregator(['k'], specs, 'partial');
  const batches = 2 + rng.nextInt(2);
  const before = int64Conversions.count;
  for (let b = 0; b < batches; b++) {
    // Four to six chunks of 64K rows.
    const rows = 4 * 65_536 + rng.nextInt(2 * 65_536);
    const k = Float64Array.from({ length: rows }, () => rng.nextInt(keys));
    const x = BigInt64Array.from({ length: rows }, () => BigInt(rng.nextInt(2_000_000) - 1_000_000));
    const y = BigInt64Array.from({ length: rows }, (_, i) => x[i]! * 3n + BigInt(rng.nextInt(1000)));
    const xValid = Uint8Array.from({ length: rows }, () => (rng.nextInt(6) === 0 ? 0 : 1));
    for (let i = 0; i < rows; i++) {
      if (xValid[i] === 0) continue;
      const key = k[i]!;
      if (!xs.has(key)) {
        xs.set(key, []);
        pairs.set(key, []);
      }
      xs.get(key)!.push(Number(x[i]));
      pairs.get(key)!.push([Number(x[i]), Number(y[i])]);
    }
    const batch: Batch = {
      rows,
      names: ['k', 'x', 'y'],
      columns: [
        { type: 'f64', values: k },
        { type: 'i64', values: x, valid: xValid },
        { type: 'i64', values: y },
      ],
    };
    partial.add(batch);
  }
  assert.equal(int64Conversions.count - before, batches * columnsPerBatch, 'conversions: one per column and batch');
  const final = new HashAggregator(['k'], specs, 'final');
  final.add(partial.result().batch);
  const { batch: out } = final.result();
  const column = (name: string) => out.columns[out.names.indexOf(name)] as { values: Float64Array; valid?: Uint8Array };
  const [outKeys, sd, med, r] = [column('k'), column('sd'), column('med'), column('r')];
  for (let g = 0; g < out.rows; g++) {
    const key = outKeys.values[g]!;
    const values = xs.get(key) ?? [];
    const checks = [
      ['sd', sd, values.length < 2 ? null : Math.sqrt(varianceModel(values, false)!)],
      ['median', med, values.length === 0 ? null : sortedPercentile(values, 0.5)],
      ['corr', r, corrModel(pairs.get(key) ?? [])],
    ] as const;
    for (const [name, got, want] of checks) {
      if (want === null) assert.equal(got.valid?.[g], 0, `key ${key}: ${name} is null`);
      else assert.ok(close(got.values[g]!, want), `key ${key}: ${name} ${got.values[g]} vs ${want}`);
    }
  }
});
