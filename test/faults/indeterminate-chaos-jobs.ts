import type { Context } from '../../src/index.js';
import { compareValues } from '../../src/common/keys.js';
import type { ChaosJob } from './chaos-jobs.js';

/**
 * Chaos job shapes with indeterminate stages (`repartition`, unseeded `sample`, a key function declared
 * `{ deterministic: false }` that really splits rows differently on every run). A result that mixed two runs of
 * such a stage would repeat or miss rows, so each shape's canonical result checks exactly that.
 */
export const INDETERMINATE_CHAOS_JOBS: readonly ChaosJob[] = [
  {
    name: 'repartition then reduce',
    async run(kc, jobEnded = () => {}) {
      const sums = await kc
        .range(0, 600, 1, 4)
        .repartition(3)
        .map((x) => [x % 11, x] as [number, number])
        .reduceByKey((a, b) => a + b, 3)
        .collect();
      jobEnded(kc.lastJobMetrics);
      return sums.sort(compareValues);
    },
  },
  {
    name: 'repartition twice, collected',
    async run(kc, jobEnded = () => {}) {
      const rows = await kc
        .range(0, 500, 1, 3)
        .repartition(4)
        .map((x) => x * 3)
        .repartition(2)
        .collect();
      jobEnded(kc.lastJobMetrics);
      return rows.sort((a, b) => a - b);
    },
  },
  {
    name: 'key function that changes every run',
    async run(kc, jobEnded = () => {}) {
      const runs = new Int32Array(new SharedArrayBuffer(4 * 4));
      const rows = await shiftedKeys(kc, runs).collect();
      jobEnded(kc.lastJobMetrics);
      return rows.sort((a, b) => a - b);
    },
  },
  {
    name: 'unseeded sample then group',
    async run(kc, jobEnded = () => {}) {
      // Which rows a sample keeps is open (its seed is drawn per dataset); what must hold is that every kept row is
      // kept once, under its own key, and that the sample has a plausible size.
      const pairs = await kc
        .range(0, 600, 1, 4)
        .sample(false, 0.5)
        .map((x) => [x % 5, x] as [number, number])
        .groupByKey(3)
        .flatMap(([k, xs]) => [...xs].map((x) => [k, x] as [number, number]))
        .collect();
      jobEnded(kc.lastJobMetrics);
      const xs = pairs.map(([, x]) => x);
      return {
        keyed: pairs.every(([k, x]) => k === x % 5 && Number.isInteger(x) && x >= 0 && x < 600),
        once: new Set(xs).size === xs.length,
        plausible: xs.length > 150 && xs.length < 450,
      };
    },
  },
];

/** Rows 0..399 keyed by (x + run of its map partition) % 4, grouped and flattened: exactly 0..399 once. */
function shiftedKeys(kc: Context, runs: Int32Array) {
  return kc
    .range(0, 400, 1, 4)
    .mapPartitionsWithIndex(
      (i: number, it: Iterable<number>) => {
        const run = Atomics.add(runs, i, 1);
        return [...it].map((x) => [(x + run) % 4, x] as [number, number]);
      },
      { runs },
      { deterministic: false },
    )
    .groupByKey(4)
    .flatMap(([, xs]) => xs);
}
