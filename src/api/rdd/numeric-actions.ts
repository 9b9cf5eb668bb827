import { KindlingError, PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { Captures } from '../context/context-internals.js';
import type { Fn, RDD } from './rdd.js';
import { mapPartitions } from './shaping-transformations.js';

/**
 * Spark's `StatCounter`: count, mean, variance, max and min of numbers, computed in one pass per partition (Welford)
 * and merged on the driver (Chan et al.), so it stays accurate where summing squares would cancel.
 * As in Spark 3.5 (checked with PySpark 3.5.9): a dataset of no partitions at all (`emptyRDD()`, or made from one)
 * has no `StatCounter` to reduce, so `stats()` and `mean`/`variance`/`stdev`/`sampleVariance`/`sampleStdev` reject it
 * (`ERR_EMPTY_DATASET`; PySpark: "Can not reduce() empty RDD"); a dataset whose partitions hold no record has count
 * 0, mean 0, sum 0, max -Infinity, min Infinity and NaN variances; a single record has variance 0, stdev 0 and NaN
 * sample variance and sample stdev.
 */
export interface StatCounter {
  readonly count: number;
  readonly mean: number;
  readonly sum: number;
  readonly max: number;
  readonly min: number;
  /** Population variance: the sum of squared deviations divided by `count`. */
  readonly variance: number;
  /** Sample variance: divided by `count - 1`. */
  readonly sampleVariance: number;
  readonly stdev: number;
  readonly sampleStdev: number;
}

/** One partition's moments, as a shipped function computes them: count, mean, squared deviations, max, min. */
interface Moments {
  n: number;
  mu: number;
  m2: number;
  max: number;
  min: number;
}

/** Runs in the workers (shipped as source: it may use nothing but its argument and standard globals). */
function partitionMoments(records: Iterable<unknown>): Moments[] {
  let n = 0;
  let mu = 0;
  let m2 = 0;
  let max = -Infinity;
  let min = Infinity;
  for (const x of records) {
    if (typeof x !== 'number') {
      throw new TypeError(`stats() expects numbers, found ${typeof x} ${String(x).slice(0, 40)}`);
    }
    n++;
    const delta = x - mu;
    mu += delta / n;
    m2 += delta * (x - mu);
    if (x > max || Number.isNaN(x)) max = x;
    if (x < min || Number.isNaN(x)) min = x;
  }
  return [{ n, mu, m2, max, min }];
}

/** Chan et al.'s merge of two partitions' moments, with Spark's guard for very unequal counts. */
function mergeMoments(a: Moments, b: Moments): Moments {
  if (b.n === 0) return a;
  if (a.n === 0) return b;
  const n = a.n + b.n;
  const delta = b.mu - a.mu;
  let mu: number;
  if (b.n * 10 < a.n) mu = a.mu + (delta * b.n) / n;
  else if (a.n * 10 < b.n) mu = b.mu - (delta * a.n) / n;
  else mu = (a.mu * a.n + b.mu * b.n) / n;
  const m2 = a.m2 + b.m2 + (delta * delta * a.n * b.n) / n;
  const max = Number.isNaN(a.max) || Number.isNaN(b.max) ? NaN : Math.max(a.max, b.max);
  const min = Number.isNaN(a.min) || Number.isNaN(b.min) ? NaN : Math.min(a.min, b.min);
  return { n, mu, m2, max, min };
}

/**
 * The `StatCounter` of numeric records; `operation` (`'mean()'` …) names the call in the error for a dataset of no
 * partitions, which Spark refuses (see `StatCounter`).
 */
export async function stats(rdd: RDD<number>, operation = 'stats()'): Promise<StatCounter> {
  const parts = await momentsPerPartition(rdd);
  if (parts.length === 0) {
    throw new KindlingError(
      'ERR_EMPTY_DATASET',
      `${operation} needs a dataset of at least one partition, as Spark's (it merges one StatCounter per ` +
        `partition), but this one has none (emptyRDD(), or made from it); over partitions that hold no record ` +
        'it gives count 0, mean 0 and NaN variances',
    );
  }
  return statCounterOf(parts);
}

/** One `Moments` per partition of `rdd` (none for a dataset of no partitions). */
function momentsPerPartition(rdd: RDD<number>): Promise<Moments[]> {
  return mapPartitions<Moments>(rdd, partitionMoments, false, {}, { label: 'stats' }).collect();
}

function statCounterOf(parts: readonly Moments[]): StatCounter {
  const m = parts.reduce(mergeMoments, { n: 0, mu: 0, m2: 0, max: -Infinity, min: Infinity });
  const variance = m.n === 0 ? NaN : m.m2 / m.n;
  const sampleVariance = m.n <= 1 ? NaN : m.m2 / (m.n - 1);
  return Object.freeze({
    count: m.n,
    mean: m.mu,
    sum: m.n * m.mu,
    max: m.max,
    min: m.min,
    variance,
    sampleVariance,
    stdev: Math.sqrt(variance),
    sampleStdev: Math.sqrt(sampleVariance),
  });
}

/** Runs in the workers: one partition's sum, refusing what is no number (`+` would join strings, throw on bigints). */
function partitionSum(records: Iterable<unknown>): number[] {
  let sum = 0;
  for (const x of records) {
    if (typeof x !== 'number') {
      throw new TypeError(`sum() expects numbers, found ${typeof x} ${String(x).slice(0, 40)}`);
    }
    sum += x;
  }
  return [sum];
}

/** The sum of numeric records (0 when empty); a record that is no number fails the job, naming it (as PySpark). */
export async function sum(rdd: RDD<number>): Promise<number> {
  const parts = await mapPartitions<number>(rdd, partitionSum, false, {}, { label: 'sum' }).collect();
  return parts.reduce((total, part) => total + part, 0);
}

/** The largest (`top`) or smallest record by `keyFn`; rejects on an empty dataset, as Spark's `max`/`min`. */
export async function extreme<T>(
  rdd: RDD<T>,
  largest: boolean,
  keyFn: Fn<[T], unknown> | undefined,
  captures: Captures | undefined,
): Promise<T> {
  const found = largest ? await rdd.top(1, keyFn, captures) : await rdd.takeOrdered(1, keyFn, captures);
  if (found.length === 0) {
    const operation = largest ? 'max()' : 'min()';
    throw new KindlingError('ERR_EMPTY_DATASET', `${operation} needs at least one record, but the dataset is empty`);
  }
  return found[0]!;
}

/** Bucket boundaries and counts, as `histogram` returns them. */
export type Histogram<T> = [buckets: T[], counts: number[]];

/** Runs in the workers: counts per bucket (see `histogram` for the rules). */
function bucketCounts(records: Iterable<unknown>): number[][] {
  const last = buckets.length - 1;
  const counts = new Array<number>(last).fill(0);
  const first = buckets[0]!;
  const end = buckets[last]!;
  for (const x of records) {
    if (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x))) continue;
    if (x < first || x > end) continue;
    let t: number;
    if (even) t = Math.floor(((x as number) - (first as number)) / inc);
    else {
      // The last boundary <= x (bisect right, minus one).
      let lo = 0;
      let hi = buckets.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (x < buckets[mid]!) hi = mid;
        else lo = mid + 1;
      }
      t = lo - 1;
    }
    if (t >= last) t = last - 1; // the last bucket is closed on the right
    counts[t]!++;
  }
  return [counts];
}
// Captured by `bucketCounts` in the workers; declared here so the driver-side source type-checks.
declare const buckets: readonly any[];
declare const even: boolean;
declare const inc: number;

/**
 * PySpark's `histogram`: with a bucket count `n`, `n` even buckets between the smallest and largest number (one
 * bucket when they are equal); with a sorted list of at least two distinct boundaries, those buckets (numbers or
 * strings). Buckets are `[b0, b1), [b1, b2) … [b(n-1), bn]`: the last includes its right end. Records outside,
 * `null`, `undefined` and NaN are not counted.
 */
export async function histogram<T>(rdd: RDD<T>, spec: number | readonly T[]): Promise<Histogram<T>> {
  let boundaries: any[];
  let even: boolean;
  if (typeof spec === 'number') {
    if (!Number.isSafeInteger(spec) || spec < 1) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `histogram(): the bucket count must be an integer >= 1, found ${describeValue(spec)}`,
      );
    }
    const numbers = statCounterOf(
      await momentsPerPartition((rdd as RDD<any>).filter((x) => typeof x === 'number' && !Number.isNaN(x))),
    );
    if (numbers.count === 0) {
      throw new KindlingError(
        'ERR_EMPTY_DATASET',
        'histogram() needs at least one number to choose buckets, but the dataset has none',
      );
    }
    const { min, max } = numbers;
    if (min === max || spec === 1) return [[min, max] as T[], [numbers.count]];
    const step = (max - min) / spec;
    if (!Number.isFinite(step)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `histogram(): cannot cut [${min}, ${max}] into ${spec} finite buckets`,
      );
    }
    boundaries = Array.from({ length: spec }, (_, i) => min + i * step);
    boundaries.push(max);
    even = true;
  } else {
    if (!Array.isArray(spec) || spec.length < 2) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `histogram(): buckets must be an array of at least 2 boundaries, found ${describeValue(spec)}`,
      );
    }
    for (let i = 1; i < spec.length; i++) {
      if (!(spec[i - 1] < spec[i])) {
        throw new PlanError(
          'ERR_PLAN_INVALID_ARGUMENT',
          `histogram(): buckets must be sorted and distinct, found ${describeValue(spec[i - 1])} before ${describeValue(spec[i])}`,
        );
      }
    }
    boundaries = [...spec];
    const first = boundaries[0];
    const step = typeof first === 'number' ? (boundaries.at(-1) - first) / (boundaries.length - 1) : NaN;
    even =
      Number.isFinite(step) &&
      boundaries.every(
        (b, i) => typeof b === 'number' && Math.abs(b - (first + i * step)) < 1e-10 * Math.max(1, Math.abs(b)),
      );
  }
  const inc = even ? (boundaries.at(-1) - boundaries[0]) / (boundaries.length - 1) : 0;
  const parts = await mapPartitions<number[]>(
    rdd,
    bucketCounts,
    false,
    { buckets: boundaries, even, inc },
    { label: 'histogram' },
  ).collect();
  const counts = new Array<number>(boundaries.length - 1).fill(0);
  for (const part of parts) part.forEach((c, i) => (counts[i]! += c));
  return [boundaries as T[], counts];
}
