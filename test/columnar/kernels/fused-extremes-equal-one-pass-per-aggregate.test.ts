// The fused min/max pass (aggregates/fused-extremes.ts) against `accumulate`'s one pass per aggregate, bit for bit:
// every pairing of min and max, int32 and float64 columns (NaN, -0, 0, ±Infinity among the values), lanes in
// either order within a wider block, seeded group ids over few and many groups, chunks starting mid-column; and a
// HashAggregator whose min and max columns gain nulls part way (the nullable pass takes over) against a plain-JS
// model, with null keys. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import { updateTwoExtremes } from '../../../src/executor/columnar/aggregates/fused-extremes.js';
import type { Batch, Column } from '../../../src/executor/columnar/batches/batch.js';
import {
  accumulate,
  GroupStates,
  sideBySide,
  type StateSlot,
} from '../../../src/executor/columnar/grouping/group-states.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('fused-extremes-equal-one-pass-per-aggregate');
const SPECIALS = [NaN, -0, 0, Infinity, -Infinity];

function values(rng: Rng, type: 'i32' | 'f64', rows: number): Int32Array | Float64Array {
  if (type === 'i32') return Int32Array.from({ length: rows }, () => rng.nextInt(2001) - 1000);
  return Float64Array.from({ length: rows }, () =>
    rng.nextInt(50) === 0 ? SPECIALS[rng.nextInt(SPECIALS.length)]! : (rng.nextInt(1e6) - 5e5) / 8,
  );
}

test('two min/max lanes in one pass equal one accumulate pass each', () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 60; round++) {
    const rows = 1 + rng.nextInt(5000);
    const groups = 1 + rng.nextInt(round % 2 === 0 ? 8 : 3000);
    const from = rng.nextInt(rows);
    const to = from + rng.nextInt(rows - from + 1);
    const ids = Int32Array.from({ length: to - from }, () => rng.nextInt(groups));
    const kinds = [rng.nextInt(2) === 0 ? 'min' : 'max', rng.nextInt(2) === 0 ? 'min' : 'max'] as const;
    const columns = [0, 1].map(() => values(rng, rng.nextInt(2) === 0 ? 'i32' : 'f64', rows));
    // A block of three lanes (a sum beside them, untouched), the two extremes in either order.
    const make = () => {
      const states = [new GroupStates(0), ...kinds.map((k) => new GroupStates(k === 'min' ? NaN : -Infinity))];
      sideBySide(rng.nextInt(2) === 0 ? states : [states[0]!, states[2]!, states[1]!]);
      for (const s of states) s.ensure(groups);
      return states;
    };
    const what = `round ${round}: ${kinds.join('/')}, rows ${from}…${to}, ${groups} groups (SEED=${seed})`;
    const separate = make();
    kinds.forEach((accumulateHow, c) => {
      const slot: StateSlot = {
        column: 'x',
        name: 'x',
        accumulate: accumulateHow,
        states: separate[c + 1]!,
        shared: false,
      };
      accumulate(slot, { values: columns[c]!, valid: undefined, column: null }, ids, from, to, 0);
    });
    const fused = make();
    const [a, b] = [fused[1]!, fused[2]!];
    const max = (c: number) => kinds[c] === 'max';
    updateTwoExtremes(
      a.block.values,
      a.block.width,
      a.lane,
      max(0),
      columns[0]!,
      b.lane,
      max(1),
      columns[1]!,
      ids,
      from,
      to,
    );
    for (let c = 0; c < 3; c++) {
      assert.deepStrictEqual([...fused[c]!.column(groups)], [...separate[c]!.column(groups)], `${what}: lane ${c}`);
    }
  }
});

/** A batch: key k (null one row in 20), int32 column a and float64 column b, with nulls in both when asked. */
function batch(rng: Rng, rows: number, keys: number, nulls: boolean): Batch {
  const k = Int32Array.from({ length: rows }, () => rng.nextInt(keys));
  const kValid = Uint8Array.from({ length: rows }, () => (rng.nextInt(20) === 0 ? 0 : 1));
  const validity = () => (nulls ? Uint8Array.from({ length: rows }, () => (rng.nextInt(4) === 0 ? 0 : 1)) : undefined);
  const columns: Column[] = [
    { type: 'i32', values: k, valid: kValid },
    { type: 'i32', values: values(rng, 'i32', rows) as Int32Array, valid: validity() },
    { type: 'f64', values: values(rng, 'f64', rows) as Float64Array, valid: validity() },
  ];
  return { rows, names: ['k', 'a', 'b'], columns };
}

/**
 * Per key (null as 'null'): max(a), min(b), min(a), max(b) over non-null values (null if none), NaN the largest
 * number (Spark's order): a max NaN when a value is, a min NaN only when every value is.
 */
function model(batches: readonly Batch[]): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  const fold = (m: number | null, v: number, how: 'min' | 'max') => {
    if (m === null) return v;
    if (how === 'max') return Math.max(m, v);
    return Number.isNaN(v) ? m : Number.isNaN(m) ? v : Math.min(m, v);
  };
  for (const { rows, columns } of batches) {
    const [k, a, b] = columns as [
      Column & { values: Int32Array },
      Column & { values: Int32Array },
      Column & { values: Float64Array },
    ];
    for (let r = 0; r < rows; r++) {
      const key = k.valid![r] === 0 ? 'null' : String(k.values[r]);
      const state = out.get(key) ?? [null, null, null, null];
      const aOk = a.valid === undefined || a.valid[r] === 1;
      const bOk = b.valid === undefined || b.valid[r] === 1;
      if (aOk) state[0] = fold(state[0]!, a.values[r]!, 'max');
      if (bOk) state[1] = fold(state[1]!, b.values[r]!, 'min');
      if (aOk) state[2] = fold(state[2]!, a.values[r]!, 'min');
      if (bOk) state[3] = fold(state[3]!, b.values[r]!, 'max');
      out.set(key, state);
    }
  }
  return out;
}

test('min and max through HashAggregator equal a model, nulls arriving part way', () => {
  const rng = new Rng(seed + 1);
  const specs: AggregateSpec[] = [
    { fn: 'max', column: 'a', name: 'max_a' },
    { fn: 'min', column: 'b', name: 'min_b' },
    { fn: 'min', column: 'a', name: 'min_a' },
    { fn: 'max', column: 'b', name: 'max_b' },
  ];
  for (const keys of [5, 3000]) {
    const batches = [batch(rng, 70_000, keys, false), batch(rng, 3000, keys, false), batch(rng, 20_000, keys, true)];
    const partial = new HashAggregator(['k'], specs, 'partial');
    for (const b of batches) partial.add(b);
    const final = new HashAggregator(['k'], specs, 'final');
    final.add(partial.result().batch);
    const { batch: out } = final.result();
    const got = new Map<string, (number | null)[]>();
    for (let r = 0; r < out.rows; r++) {
      const key =
        out.columns[0]!.valid?.[r] === 0 ? 'null' : String((out.columns[0] as { values: ArrayLike<number> }).values[r]);
      got.set(
        key,
        out.columns.slice(1).map((c) => (c.valid?.[r] === 0 ? null : (c as { values: ArrayLike<number> }).values[r]!)),
      );
    }
    assert.deepStrictEqual(got, model(batches), `${keys} keys (SEED=${seed + 1})`);
  }
});
