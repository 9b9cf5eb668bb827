// The map side of a several-key group-by of strings and numbers (db-benchmark's q10: id4..id6) sends int32 keys to
// the shuffle as int32, not float64: the groups a task found and the rows it passed through after them alike (so
// their chunks share column types), with nulls in place; a key that met a float64 column leaves as float64. The
// reduce side's answer keeps int32 keys int32 (float64 where a float64 column came), and equals a plain Map model.
// Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import { concatBatches } from '../../../src/executor/columnar/batches/concat-batches.js';
import type { Batch, Column } from '../../../src/executor/columnar/batches/batch.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('several-key-map-output-keeps-int32-keys');
const AGGREGATES: AggregateSpec[] = [
  { fn: 'sum', column: 'v', name: 'v' },
  { fn: 'count', column: null, name: 'n' },
];
const RULE = { rowsMin: 200, groupsPerRowMin: 0.5 };

function valuesOf(column: Column): ArrayLike<number> {
  return (column as { values: ArrayLike<number> }).values;
}

/** Rows of an int32 key `a` (with nulls), a string key `s`, a key `b` int32 or float64, and a value `v`. */
function randomBatch(rng: Rng, rows: number, keySpace: number, bFloat: boolean): Batch {
  const a = Int32Array.from({ length: rows }, () => rng.nextInt(keySpace) - 5);
  const aValid = Uint8Array.from({ length: rows }, () => (rng.nextInt(8) === 0 ? 0 : 1));
  const words = Array.from({ length: rows }, () => `w${rng.nextInt(keySpace)}`);
  const encoded = words.map((w) => new TextEncoder().encode(w));
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  let at = 0;
  encoded.forEach((w, i) => ((starts[i] = at), (ends[i] = at += w.length)));
  const bytes = new Uint8Array(at);
  encoded.forEach((w, i) => bytes.set(w, starts[i]!));
  const bValues = Array.from({ length: rows }, () => rng.nextInt(keySpace));
  const b: Column = bFloat
    ? { type: 'f64', values: Float64Array.from(bValues) }
    : { type: 'i32', values: Int32Array.from(bValues) };
  const v: Column = { type: 'f64', values: Float64Array.from({ length: rows }, () => rng.nextInt(100) / 4) };
  return {
    rows,
    names: ['a', 's', 'b', 'v'],
    columns: [{ type: 'i32', values: a, valid: aValid }, { type: 'utf8', bytes, starts, ends }, b, v],
  };
}

test(`int32 keys leave a several-key map task as int32, grouped and passed through alike (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 12; round++) {
    const floatAt = round % 3 === 2 ? rng.nextInt(3) : -1; // a round where one batch has a float64 key `b`
    const keySpace = round % 2 === 0 ? 1_000_000 : 30; // groups ≈ rows (passes through) or few groups
    const batches = Array.from({ length: 3 }, (_, k) =>
      randomBatch(rng, 150 + rng.nextInt(200), keySpace, k === floatAt),
    );
    const map = new HashAggregator(['a', 's', 'b'], AGGREGATES, 'partial', RULE);
    const passed: { output: Batch; input: Batch }[] = [];
    let groupedFloat = false;
    for (const batch of batches) {
      if (map.passesThrough) {
        passed.push({ output: map.passThrough(batch).batch, input: batch });
      } else {
        map.add(batch);
        groupedFloat ||= batch.columns[2]!.type === 'f64';
      }
    }
    const grouped = map.result().batch;
    const outputs = [grouped, ...passed.map((p) => p.output)];
    const what = `seed ${seed}, round ${round}`;
    if (keySpace > 1000) assert.ok(passed.length > 0, `${what}: rows passed through`);
    for (const output of outputs) assert.equal(output.columns[0]!.type, 'i32', `${what}: key a`);
    // `b` leaves float64 once a float64 `b` was grouped, or from a passed batch that has one.
    assert.equal(grouped.columns[2]!.type, groupedFloat ? 'f64' : 'i32', `${what}: grouped key b`);
    for (const { output, input } of passed) assert.equal(output.columns[2]!.type, input.columns[2]!.type, what);
    // The reduce side over every output: the keys' input types (b float64 once a float64 b came, grouped or passed
    // through), each key's sum and count as a Map model has them.
    const final = new HashAggregator(['a', 's', 'b'], AGGREGATES, 'final');
    for (const output of outputs) final.add(output);
    const answer = final.result().batch;
    assert.equal(answer.columns[0]!.type, 'i32', `${what}: answer key a`);
    assert.equal(answer.columns[2]!.type, floatAt >= 0 ? 'f64' : 'i32', `${what}: answer key b`);
    const model = new Map<string, [number, number]>();
    const all = concatBatches(batches)!;
    const [a, s, b, v] = all.columns as [Column, Column & { type: 'utf8' }, Column, Column];
    const text = (i: number) => new TextDecoder().decode(s.bytes.subarray(s.starts[i]!, s.ends[i]!));
    for (let i = 0; i < all.rows; i++) {
      const key = JSON.stringify([a.valid![i] === 0 ? null : valuesOf(a)[i], text(i), valuesOf(b)[i]]);
      const [sum, n] = model.get(key) ?? [0, 0];
      model.set(key, [sum + valuesOf(v)[i]!, n + 1]);
    }
    const [ga, gs, gb, gv, gn] = answer.columns as [Column, Column & { type: 'utf8' }, Column, Column, Column];
    const found = new Map<string, [number, number]>();
    for (let g = 0; g < answer.rows; g++) {
      const name = new TextDecoder().decode(gs.bytes.subarray(gs.starts[g]!, gs.ends[g]!));
      const key = JSON.stringify([ga.valid?.[g] === 0 ? null : valuesOf(ga)[g], name, valuesOf(gb)[g]]);
      found.set(key, [valuesOf(gv)[g]!, valuesOf(gn)[g]!]);
    }
    assert.deepStrictEqual(found, model, what);
  }
});
