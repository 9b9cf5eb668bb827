// A map task's aggregation of sums and counts by one int32 key of few groups (db-benchmark q4: three means by id4)
// adds its first chunk through the few-groups pass by key, as every later one: before, that chunk went through the
// group ids, because the number table's directory was only made by their `assign`, so a first run compiled and
// warmed two kernels. A child process (a thread's kernels are per module instance) aggregates three chunks of
// seeded rows whose keys are new all through the first chunk, with a key outside the directory in the middle of the
// second chunk and one below it in the third, and reports the kernels it compiled and each group's sums and count;
// every one equals a row-order model bit for bit (the float64 sum too). Seeded: SEED= replays the rows.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { testSeed } from '../random-rows.js';

const seed = testSeed('first-chunk-of-few-int32-keys-runs-the-pass-by-key');
const SRC = new URL('../../../src/', import.meta.url).href;

const CHILD = `
const [src, seed] = process.argv.slice(1);
const { Rng } = await import(src + 'common/rng.js');
const { HashAggregator } = await import(src + 'executor/columnar/grouping/aggregate.js');
const { batchesToRecords } = await import(src + 'executor/columnar/batches/blocks.js');
const { fewGroupLayouts } = await import(src + 'executor/columnar/aggregates/few-group-sums.js');
const CHUNK = 1 << 16, rows = 3 * CHUNK, rng = new Rng(Number(seed));
const k = Int32Array.from({ length: rows }, () => 1 + rng.nextInt(100));
const a = Int32Array.from({ length: rows }, () => rng.nextInt(5) + 1);
const b = Int32Array.from({ length: rows }, () => rng.nextInt(15) + 1);
const c = Float64Array.from({ length: rows }, () => rng.nextFloat() * 100);
k[CHUNK + 1000 + rng.nextInt(1000)] = 150;
k[2 * CHUNK + 1000 + rng.nextInt(1000)] = -7;
const batch = { rows, names: ['k', 'a', 'b', 'c'], columns: [
  { type: 'i32', values: k }, { type: 'i32', values: a }, { type: 'i32', values: b }, { type: 'f64', values: c }] };
const agg = new HashAggregator(['k'], [
  { fn: 'count', column: null, name: 'n' }, { fn: 'sum', column: 'a', name: 'sa' },
  { fn: 'sum', column: 'b', name: 'sb' }, { fn: 'sum', column: 'c', name: 'sc' }], 'partial');
agg.add(batch);
const model = new Map();
for (let i = 0; i < rows; i++) {
  const m = model.get(k[i]) ?? { n: 0, sa: 0, sb: 0, sc: 0 };
  m.n += 1; m.sa += a[i]; m.sb += b[i]; m.sc += c[i];
  model.set(k[i], m);
}
// Partial states by position: the count, then each sum.
const got = [...batchesToRecords([agg.result().batch])];
const wrong = got.filter((r) => { const m = model.get(r.k); return !m || m.n !== r.__p0_count || m.sa !== r.__p1_sum || m.sb !== r.__p2_sum || m.sc !== r.__p3_sum; });
console.log(JSON.stringify({ layouts: fewGroupLayouts(), groups: got.length, model: model.size, wrong: wrong.slice(0, 3) }));`;

test(`the first chunk of few int32 keys runs the few-groups pass by key, sums as in row order (seed ${seed})`, () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, SRC, String(seed)], {
    encoding: 'utf8',
  });
  const { layouts, groups, model, wrong } = JSON.parse(out) as {
    layouts: string[];
    groups: number;
    model: number;
    wrong: unknown[];
  };
  assert.equal(groups, model);
  assert.deepEqual(wrong, []);
  assert.ok(layouts.length > 0, 'the few-groups pass ran');
  assert.deepEqual(
    layouts.filter((layout) => layout.includes('|ids|')),
    [],
    `kernels compiled: ${layouts.join(' ')}`,
  );
});
