// min and max answer a column of their input's type (int32 → int32, int64 → int64, date and timestamp keep theirs,
// float64 stays) on every path: a map task's partial states (grouped, and rows passed through), a reduce side of one
// number key, a global aggregation (no keys), a reduce side that holds its rows and writes its answer straight into
// a block (two keys, more than PARTITIONED_ROWS_MIN rows), and a running min / max over a window. Inputs hold nulls,
// groups of only nulls, and a first batch whose column is all null and untyped (float64, as a block's Arrow `null`
// column reads). Sums beside them stay float64, but an int64 sum is int64 (exact). Values equal a plain-JS model's.
// Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator, PARTITIONED_ROWS_MIN } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Column } from '../../../src/executor/columnar/batches/batch.js';
import { committedBlockOf } from '../../../src/executor/columnar/grouping/held-result-block.js';
import { runningAggregate } from '../../../src/executor/columnar/windows/window-aggregate.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('min-and-max-keep-their-input-type');

type InputType = 'i32' | 'i64' | 'date' | 'timestamp' | 'f64';
const TYPES: readonly InputType[] = ['i32', 'i64', 'date', 'timestamp', 'f64'];

const AGGREGATES: AggregateSpec[] = [
  { fn: 'min', column: 'v', name: 'lo' },
  { fn: 'max', column: 'v', name: 'hi' },
  { fn: 'count', column: 'v', name: 'n' },
];
/** With a sum (which stays float64): only numbers add up. */
const WITH_SUM: AggregateSpec[] = [...AGGREGATES, { fn: 'sum', column: 'v', name: 's' }];

/** A column of `type` holding `values` (null for null). */
function columnOf(type: InputType, values: readonly (number | null)[]): Column {
  const valid = Uint8Array.from(values, (v) => (v === null ? 0 : 1));
  const nullable = valid.includes(0) ? valid : undefined;
  const numbers = values.map((v) => v ?? 0);
  switch (type) {
    case 'i32':
    case 'date':
      return { type, values: Int32Array.from(numbers), valid: nullable };
    case 'i64':
      return { type, values: BigInt64Array.from(numbers, (v) => BigInt(v)), valid: nullable };
    case 'timestamp':
      return { type, values: Float64Array.from(numbers), unit: 'ms', zone: null, valid: nullable };
    case 'f64':
      return { type, values: Float64Array.from(numbers), valid: nullable };
  }
}

/** Rows of keys `a`, `b` and value `v`. */
interface Rows {
  readonly a: number[];
  readonly b: number[];
  readonly v: (number | null)[];
}

function batchOf(rows: Rows, type: InputType, untyped = false): Batch {
  const n = rows.a.length;
  const v: Column = untyped
    ? { type: 'f64', values: new Float64Array(n), valid: new Uint8Array(n) }
    : columnOf(type, rows.v);
  return {
    rows: n,
    names: ['a', 'b', 'v'],
    columns: [columnOf('i32', rows.a), columnOf('i32', rows.b), v],
  };
}

/** `count` rows over `groups` groups of key `a` (key `b` a function of it), values with nulls; group 0 all null. */
function randomRows(rng: Rng, count: number, groups: number): Rows {
  const rows: Rows = { a: [], b: [], v: [] };
  for (let i = 0; i < count; i++) {
    const a = rng.nextInt(groups);
    rows.a.push(a);
    rows.b.push(a % 7);
    rows.v.push(a === 0 || rng.nextInt(6) === 0 ? null : rng.nextInt(2_000_001) - 1_000_000);
  }
  return rows;
}

function allNullRows(count: number, groups: number): Rows {
  const a = Array.from({ length: count }, (_, i) => i % groups);
  return { a, b: a.map((k) => k % 7), v: a.map(() => null) };
}

/** The value of row `g` of `column` as a number (null for null). */
function valueAt(column: Column, g: number): number | null {
  if (column.valid !== undefined && column.valid[g] === 0) return null;
  if (column.type === 'utf8') throw new Error('no strings here');
  return Number(column.values[g]!);
}

/** Per group key `a`: [min, max] of its values, null for a group of no value. */
function model(parts: readonly Rows[]): Map<number, [number | null, number | null]> {
  const out = new Map<number, [number | null, number | null]>();
  for (const rows of parts) {
    rows.a.forEach((a, i) => {
      const [lo, hi] = out.get(a) ?? [null, null];
      const v = rows.v[i]!;
      out.set(a, v === null ? [lo, hi] : [lo === null ? v : Math.min(lo, v), hi === null ? v : Math.max(hi, v)]);
    });
  }
  return out;
}

/** Checks the types of the min, max and sum columns of an answer, or (`partial`) of a map output's states. */
function checkTypes(answer: Batch, type: InputType, what: string, partial = false): void {
  const [lo, hi, s] = partial ? ['__p0_min', '__p1_max', '__p3_sum'] : ['lo', 'hi', 's'];
  const typeOf = (name: string) => answer.columns[answer.names.indexOf(name)]?.type;
  assert.equal(typeOf(lo), type, `${what}: min`);
  assert.equal(typeOf(hi), type, `${what}: max`);
  // A sum stays float64, but an int64 sum, exact, is int64.
  if (answer.names.includes(s)) assert.equal(typeOf(s), type === 'i64' ? 'i64' : 'f64', `${what}: sum`);
}

function checkValues(answer: Batch, expected: Map<number, [number | null, number | null]>, what: string): void {
  const a = answer.columns[answer.names.indexOf('a')]!;
  const lo = answer.columns[answer.names.indexOf('lo')]!;
  const hi = answer.columns[answer.names.indexOf('hi')]!;
  // Row by row against the model (a deepStrictEqual of two Maps of 270,000 groups was most of this test's time):
  // one row per group of the model, each of its min and max.
  assert.equal(answer.rows, expected.size, `${what}: groups`);
  const met = new Set<number>();
  for (let g = 0; g < answer.rows; g++) {
    const key = valueAt(a, g)!;
    const want = expected.get(key);
    if (want === undefined || met.has(key)) assert.fail(`${what}: group ${key} is not one of the model or met twice`);
    met.add(key);
    const [min, max] = [valueAt(lo, g), valueAt(hi, g)];
    if (!Object.is(min, want[0]) || !Object.is(max, want[1]))
      assert.deepStrictEqual([min, max], want, `${what}: ${key}`);
  }
}

/** Map tasks over `parts` (each a list of batches), then one reduce task of `keys`: the map outputs and answer. */
function groupBy(keys: readonly string[], aggregates: AggregateSpec[], parts: readonly Batch[][]) {
  const outputs = parts.map((batches) => {
    const map = new HashAggregator(keys, aggregates, 'partial');
    for (const batch of batches) map.add(batch);
    return map.result().batch;
  });
  const reduce = new HashAggregator(keys, aggregates, 'final');
  reduce.addAll(outputs.filter((o) => o.rows > 0));
  return { outputs, answer: reduce.result().batch };
}

test(`map outputs and reduce answers of min and max keep the input's type (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (const type of TYPES) {
    const aggregates = type === 'date' || type === 'timestamp' ? AGGREGATES : WITH_SUM;
    for (const keys of [['a'], []]) {
      const what = `seed ${seed}, ${type}, keys [${keys.join(', ')}]`;
      const parts = [randomRows(rng, 500, 20), randomRows(rng, 300, 20), allNullRows(40, 5)];
      const batches = [
        // A first batch all null and untyped, then typed ones; a map task of only nulls, typed.
        [batchOf(allNullRows(30, 4), type, true), batchOf(parts[0]!, type)],
        [batchOf(parts[1]!, type)],
        [batchOf(parts[2]!, type)],
      ];
      const all = [allNullRows(30, 4), ...parts];
      const { outputs, answer } = groupBy(keys, aggregates, batches);
      outputs.forEach((output, m) => checkTypes(output, type, `${what}: map task ${m}'s partial states`, true));
      checkTypes(answer, type, `${what}: answer`);
      if (keys.length === 1) checkValues(answer, model(all), what);
      else {
        const only = [...model(all.map((p) => ({ ...p, a: p.a.map(() => 0) }))).values()][0]!;
        assert.deepStrictEqual([valueAt(answer.columns[0]!, 0), valueAt(answer.columns[1]!, 0)], only, what);
      }
    }
  }
});

test(`a reduce side that holds its rows answers min and max in the input's type (seed ${seed})`, () => {
  const rng = new Rng(seed + 1);
  for (const type of TYPES) {
    const aggregates = type === 'date' || type === 'timestamp' ? AGGREGATES : WITH_SUM;
    const what = `seed ${seed}, ${type}, held rows`;
    // Nearly a group per row, so the reduce side gets more than PARTITIONED_ROWS_MIN rows.
    const parts = [0, 1].map(() => randomRows(rng, PARTITIONED_ROWS_MIN / 2 + 5000, 100_000_000));
    const { answer } = groupBy(['a', 'b'], aggregates, [[batchOf(parts[0]!, type)], [batchOf(parts[1]!, type)]]);
    assert.ok(committedBlockOf(answer) !== undefined, `${what}: the answer is written from the held rows' codes`);
    checkTypes(answer, type, what);
    checkValues(answer, model(parts), what);
  }
});

test('a min or max of int32 rows and wider rows (int64, float64) is of the wider type, with its values', () => {
  const rows: Rows = { a: [1, 1, 2], b: [1, 1, 2], v: [3, null, 5] };
  for (const [narrow, wide] of [
    ['i32', 'i64'],
    ['i32', 'f64'],
    ['i64', 'f64'],
  ] as const) {
    const wider: Rows = { a: [1, 2, 2], b: [1, 2, 2], v: [wide === 'f64' ? 2.5 : 2 ** 40, null, 6] };
    const what = `${narrow} then ${wide}`;
    // In one map task, and in a reduce task whose map tasks sent one type each.
    const inOneTask = groupBy(['a'], AGGREGATES, [[batchOf(rows, narrow), batchOf(wider, wide)]]);
    const inTwoTasks = groupBy(['a'], AGGREGATES, [[batchOf(rows, narrow)], [batchOf(wider, wide)]]);
    for (const answer of [inOneTask.answer, inTwoTasks.answer]) {
      checkTypes(answer, wide, what);
      checkValues(answer, model([rows, wider]), what);
    }
  }
});

test(`a running min and max over a window keep the input's type (seed ${seed})`, () => {
  const rng = new Rng(seed + 2);
  for (const type of TYPES) {
    const rows = 50;
    const values = Array.from({ length: rows }, (_, i) => (i < 3 || rng.nextInt(4) === 0 ? null : rng.nextInt(99)));
    const column = columnOf(type, values);
    // One window partition, every row its own peer: the frame of row r is rows 0 … r.
    const frames = {
      partitionStart: new Int32Array(rows),
      partitionEnd: new Int32Array(rows).fill(rows),
      peerStart: Int32Array.from({ length: rows }, (_, i) => i),
      peerEnd: Int32Array.from({ length: rows }, (_, i) => i + 1),
    };
    for (const fn of ['min', 'max'] as const) {
      const out = runningAggregate(fn, column, frames, rows);
      assert.equal(out.type, type, `seed ${seed}, ${type}: running ${fn}`);
      let running: number | null = null;
      values.forEach((v, r) => {
        if (v !== null) running = running === null ? v : Math[fn](running, v);
        assert.equal(valueAt(out, r), running, `seed ${seed}, ${type}: running ${fn} at row ${r}`);
      });
    }
  }
});
