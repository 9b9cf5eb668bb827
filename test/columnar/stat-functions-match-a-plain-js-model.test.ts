// ds.stat (Spark's DataFrameStatFunctions): corr, cov (sample covariance over rows where both are set), crosstab
// (a contingency table: `a_b` of the first column's values as strings, 'null' for null, a count column per value
// of the second, 0 for none) and approxQuantile (exact, interpolated), against a plain-JS model on a seeded table
// with nulls over several partitions. Found missing trying the API as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, PlanError } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('stat-functions-match-a-plain-js-model');

const close = (got: number | null, want: number | null, what: string) => {
  if (want === null) return assert.equal(got, null, what);
  assert.ok(got !== null && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);
};

test(`stat functions match a plain-JS model (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    for (const partitions of [1, 4]) {
      const rows = 300 + rng.nextInt(200);
      const maybe = <T>(value: () => T): T | null => (rng.nextInt(6) === 0 ? null : value());
      const x = Array.from({ length: rows }, () => maybe(() => rng.nextInt(1000) / 8));
      const y = x.map((v) => maybe(() => (v ?? 0) * 0.5 + rng.nextInt(100)));
      const a = Array.from({ length: rows }, () => maybe(() => ['p', 'q', 'r'][rng.nextInt(3)]!));
      const b = Array.from({ length: rows }, () => maybe(() => rng.nextInt(3)));
      const ds = kc.fromColumns({ x, y, a, b }, { numPartitions: partitions });
      const pairs = x.flatMap((v, i) => (v !== null && y[i] !== null ? [[v, y[i]!] as const] : []));
      const mean = (vs: readonly number[]) => vs.reduce((s, v) => s + v, 0) / vs.length;
      const [mx, my] = [mean(pairs.map((p) => p[0])), mean(pairs.map((p) => p[1]))];
      const cov = pairs.reduce((s, [u, v]) => s + (u - mx) * (v - my), 0) / (pairs.length - 1);
      const sd = (vs: readonly number[], m: number) =>
        Math.sqrt(vs.reduce((s, v) => s + (v - m) ** 2, 0) / (vs.length - 1));
      close(await ds.stat.cov('x', 'y'), cov, 'cov');
      close(
        await ds.stat.corr('x', 'y'),
        cov /
          (sd(
            pairs.map((p) => p[0]),
            mx,
          ) *
            sd(
              pairs.map((p) => p[1]),
              my,
            )),
        'corr',
      );

      const sorted = x.filter((v): v is number => v !== null).sort((p, q) => p - q);
      const quantileOf = (q: number) => {
        const at = q * (sorted.length - 1);
        return sorted[Math.floor(at)]! + (sorted[Math.ceil(at)]! - sorted[Math.floor(at)]!) * (at - Math.floor(at));
      };
      const got = await ds.stat.approxQuantile('x', [0, 0.25, 0.5, 1], 0.01);
      [0, 0.25, 0.5, 1].forEach((q, i) => close(got[i]!, quantileOf(q), `quantile ${q}`));
      const both = await ds.stat.approxQuantile(['x', 'y'], [0.5], 0);
      close(both[0]![0]!, quantileOf(0.5), 'median of x');

      const table = await (await ds.stat.crosstab('a', 'b')).collect();
      const bValues = [...new Set(b)].sort((p, q) => (p === q ? 0 : p === null ? -1 : q === null ? 1 : p - q));
      const aValues = [...new Set(a)];
      const want = aValues
        .map((av) => ({
          a_b: av ?? 'null',
          ...Object.fromEntries(bValues.map((bv) => [String(bv), a.filter((v, i) => v === av && b[i] === bv).length])),
        }))
        .sort((p, q) => (p.a_b < q.a_b ? -1 : 1));
      assert.deepEqual(
        [...table].sort((p, q) => ((p['a_b'] as string) < (q['a_b'] as string) ? -1 : 1)),
        want,
      );
    }
    const constant = kc.fromColumns({ x: [1, 2, 3], y: [5, 5, 5] });
    assert.equal(await constant.stat.cov('x', 'y'), 0);
    assert.equal(await constant.stat.corr('x', 'y'), null);
    assert.equal(await constant.limit(1).stat.cov('x', 'y'), null);
  } finally {
    await kc.stop();
  }
});

test('stat functions refuse bad arguments', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({ x: [1, 2] });
    await assert.rejects(ds.stat.corr('x', 'x', 'spearman'), PlanError);
    await assert.rejects(ds.stat.approxQuantile('x', [], 0), PlanError);
    await assert.rejects(ds.stat.approxQuantile('x', [0.5], -1), PlanError);
    await assert.rejects(ds.stat.approxQuantile('x', [2], 0), PlanError);
  } finally {
    await kc.stop();
  }
});
