// HashAggregator's fused update pass (aggregates/fused-sums.ts) and its shared row counts: map tasks add seeded
// random batches (int32 and float64 columns, each batch with or without nulls, all-null groups, NaN, -0, empty
// batches, a batch longer than one chunk, one to seven sums and means so every loop of the pass runs), a reduce
// aggregator merges their partial rows, and every count, count(x), sum, mean, min and max equals a plain-JS model's.
// Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Column } from '../../../src/executor/columnar/batches/batch.js';
import { batchesToRecords } from '../../../src/executor/columnar/batches/blocks.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('sums-and-counts-match-a-model-in-one-pass');
const COLUMNS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

interface Table {
  readonly keys: (number | null)[];
  /** Per value column, its values (null: a null). */
  readonly values: Map<string, (number | null)[]>;
  /** Column types: int32 or float64. */
  readonly types: Map<string, 'i32' | 'f64'>;
}

/**
 * A batch of `rows` rows; `nullsIn` are the columns holding nulls in this batch (others have no validity). Key
 * 13 is null in every column with nulls (an all-null group there); float64 values are multiples of 1/4 (sums
 * exact in any order), with NaN and -0 now and then.
 */
function randomBatch(rng: Rng, table: Table, rows: number, nullsIn: Set<string>, keySpace: number): Batch {
  const keys = new Int32Array(rows);
  const keyValid = new Uint8Array(rows).fill(1);
  let keyNulls = false;
  for (let r = 0; r < rows; r++) {
    keys[r] = rng.nextInt(keySpace) - 3;
    if (rng.nextInt(50) === 0) {
      keyValid[r] = 0;
      keyNulls = true;
    }
    table.keys.push(keyValid[r] === 0 ? null : keys[r]!);
  }
  const columns: Column[] = [{ type: 'i32', values: keys, valid: keyNulls ? keyValid : undefined }];
  for (const name of COLUMNS) {
    const type = table.types.get(name)!;
    const values = type === 'i32' ? new Int32Array(rows) : new Float64Array(rows);
    const valid = nullsIn.has(name) ? new Uint8Array(rows) : undefined;
    const model = table.values.get(name)!;
    for (let r = 0; r < rows; r++) {
      const special = type === 'f64' && rng.nextInt(40) === 0 ? [NaN, -0][rng.nextInt(2)]! : null;
      values[r] = special ?? (type === 'i32' ? rng.nextInt(2000) - 1000 : (rng.nextInt(4000) - 2000) / 4);
      const isNull = valid !== undefined && (keys[r] === 13 || rng.nextInt(4) === 0);
      if (valid !== undefined) valid[r] = isNull ? 0 : 1;
      model.push(isNull ? null : values[r]!);
    }
    columns.push({ type, values, valid } as Column);
  }
  return { rows, names: ['k', ...COLUMNS], columns };
}

/** The aggregates of one round: `count()`, then per used column a sum or mean, a count, a min or max. */
function aggregatesOf(rng: Rng, used: readonly string[]): AggregateSpec[] {
  const specs: AggregateSpec[] = [];
  if (rng.nextInt(2) === 0) specs.push({ fn: 'count', column: null, name: 'n' });
  for (const name of used) {
    specs.push({ fn: rng.nextInt(2) === 0 ? 'mean' : 'sum', column: name, name: `s_${name}` });
    if (rng.nextInt(2) === 0) specs.push({ fn: 'count', column: name, name: `n_${name}` });
    if (rng.nextInt(3) === 0) specs.push({ fn: rng.nextInt(2) === 0 ? 'min' : 'max', column: name, name: `x_${name}` });
  }
  if (rng.nextInt(3) === 0) specs.push({ fn: 'sum', column: used[0]!, name: 'again' });
  return specs;
}

/** A plain-JS model: per key (null one key), SQL aggregates skipping nulls; -0 and 0 read alike. */
function model(table: Table, specs: readonly AggregateSpec[]): string[] {
  const groups = new Map<number | null, number[]>();
  table.keys.forEach((key, r) => {
    const rows = groups.get(key) ?? [];
    rows.push(r);
    groups.set(key, rows);
  });
  const out: string[] = [];
  for (const [key, rows] of groups) {
    const row: Record<string, unknown> = { k: key };
    for (const spec of specs) {
      const column = spec.column === null ? null : table.values.get(spec.column)!;
      const present = column === null ? rows.map(() => 0) : rows.map((r) => column[r]!).filter((v) => v !== null);
      const total = present.reduce((s, v) => s + v, 0);
      // NaN is the largest number (Spark's order): a max is NaN when a value is, a min only when every value is.
      const least = (m: number, v: number) => (Number.isNaN(v) ? m : Number.isNaN(m) ? v : Math.min(m, v));
      const extreme =
        present.length === 0 ? null : present.reduce((m, v) => (spec.fn === 'min' ? least : Math.max)(m, v));
      row[spec.name] =
        spec.fn === 'count'
          ? present.length
          : present.length === 0
            ? null
            : spec.fn === 'sum'
              ? total
              : spec.fn === 'mean'
                ? total / present.length
                : extreme;
    }
    out.push(JSON.stringify(row, plain));
  }
  return out.sort();
}

function plain(_key: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (Number.isNaN(value)) return 'NaN';
  return Object.is(value, -0) ? 0 : Number(value.toPrecision(12));
}

test(`sums, means and counts updated in one pass equal a plain-JS model (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 40; round++) {
    const used = COLUMNS.slice(0, 1 + (round % COLUMNS.length));
    const specs = aggregatesOf(rng, used);
    const table: Table = {
      keys: [],
      values: new Map(COLUMNS.map((name) => [name, []])),
      types: new Map(COLUMNS.map((name) => [name, rng.nextInt(2) === 0 ? 'i32' : 'f64'])),
    };
    const keySpace = 1 + rng.nextInt(round % 5 === 0 ? 3000 : 40);
    const partials: Batch[] = [];
    for (let task = 0; task < 3; task++) {
      const partial = new HashAggregator(['k'], specs, 'partial');
      const batches = rng.nextInt(4);
      for (let b = 0; b < batches; b++) {
        // A batch longer than a chunk (65,536 rows) now and then, empty batches too.
        const rows = round === 7 && b === 0 ? 70_000 : [0, 1, 5, 300][rng.nextInt(4)]!;
        const nullsIn = new Set(COLUMNS.filter(() => rng.nextInt(3) === 0));
        partial.add(randomBatch(rng, table, rows, nullsIn, keySpace));
      }
      partials.push(partial.result().batch);
    }
    const final = new HashAggregator(['k'], specs, 'final');
    for (const batch of partials) final.add(batch);
    const got = [...batchesToRecords([final.result().batch])].map((row) => JSON.stringify(row, plain)).sort();
    assert.deepEqual(got, model(table, specs), `round ${round}: ${JSON.stringify(specs)}`);
  }
});
