import { KindlingError, PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { Rng } from '../../common/rng.js';
import type { RDD } from './rdd.js';
import { mapPartitions } from './shaping-transformations.js';
import { splitCells } from '../dataset/dataset-reshape.js';

/** Sampling that PySpark builds on `sample`: `takeSample`, `randomSplit`, `sampleByKey`. */

function invalid(message: string): PlanError {
  return new PlanError('ERR_PLAN_INVALID_ARGUMENT', message);
}

function checkSeed(seed: number | undefined, operation: string): void {
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw invalid(`${operation}: seed must be an integer, found ${describeValue(seed)}`);
  }
}

/**
 * Spark's `SamplingUtils.computeFractionForSampleSize`: a sampling fraction that yields at least `wanted` of `total`
 * records with probability about 0.9999, so `takeSample` rarely needs a second pass.
 */
function fractionFor(wanted: number, total: number, withReplacement: boolean): number {
  const fraction = wanted / total;
  if (withReplacement) return fraction + (wanted < 12 ? 9 : 5) * Math.sqrt(fraction / total);
  const gamma = -Math.log(1e-4) / total;
  return Math.min(1, fraction + gamma + Math.sqrt(gamma * gamma + 2 * gamma * fraction));
}

/** Fisher-Yates, seeded. */
function shuffled<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Spark's `takeSample`: `num` records chosen at random (with replacement: `num` draws; without: at most all
 * records), in random order. Counts the dataset, samples with a fraction that almost surely yields enough (again with
 * the next seed if not), then shuffles and cuts on the driver. Deterministic for a seed and a deterministic dataset.
 */
export async function takeSample<T>(rdd: RDD<T>, withReplacement: boolean, num: number, seed?: number): Promise<T[]> {
  if (typeof withReplacement !== 'boolean') {
    throw invalid(`takeSample(): withReplacement must be a boolean, found ${describeValue(withReplacement)}`);
  }
  if (!Number.isSafeInteger(num) || num < 0) {
    throw invalid(`takeSample(): num must be an integer >= 0, found ${describeValue(num)}`);
  }
  checkSeed(seed, 'takeSample()');
  const rng = new Rng(seed ?? rdd.context.nextSeed());
  if (num === 0) return [];
  const total = await rdd.count();
  if (total === 0) return [];
  if (!withReplacement && num >= total) return shuffled(await rdd.collect(), rng);
  const fraction = fractionFor(num, total, withReplacement);
  let samples = await rdd.sample(withReplacement, fraction, rng.nextUint32()).collect();
  for (let pass = 1; samples.length < num; pass++) {
    if (pass > 100) {
      throw new KindlingError(
        'ERR_EMPTY_DATASET',
        `takeSample(): ${pass} passes found only ${samples.length} of ${num}`,
      );
    }
    samples = await rdd.sample(withReplacement, fraction, rng.nextUint32()).collect();
  }
  return shuffled(samples, rng).slice(0, num);
}

// Captured by `sampleRecords` in the workers; declared here so its source type-checks.
declare const seed: number;
/** `randomSplit`'s cell `[lower, upper)`, or null for `sampleByKey`'s `fractions` by `String(key)`. */
declare const cell: { lower: number; upper: number } | null;
declare const fractions: Readonly<Record<string, number>>;
declare const withReplacement: boolean;

/**
 * Runs in the workers, for `randomSplit` and `sampleByKey`: draws from a generator seeded by (seed, partition),
 * one uniform number per record (Poisson draws for `sampleByKey` with replacement).
 * - `randomSplit`: keeps a record when its draw falls in `cell`. Every split of one `randomSplit` draws the same
 *   sequence, so the splits are disjoint and together hold every record once (Spark's `BernoulliCellSampler`).
 * - `sampleByKey`: keeps a pair with its key's fraction (with replacement: Poisson(fraction) copies).
 */
function sampleRecords(index: number, records: Iterable<unknown>): Iterable<unknown> {
  // mulberry32 over (seed, partition): the worker has no import, so the generator is spelled out here.
  let state = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const kept: unknown[] = [];
  for (const record of records) {
    if (cell !== null) {
      const x = next();
      if (x >= cell.lower && x < cell.upper) kept.push(record);
      continue;
    }
    const key = String((record as [unknown, unknown])[0]);
    const fraction = Object.hasOwn(fractions, key) ? fractions[key]! : NaN;
    if (Number.isNaN(fraction)) throw new RangeError(`sampleByKey(): no fraction given for key ${key}`);
    if (!withReplacement) {
      if (next() < fraction) kept.push(record);
      continue;
    }
    // Poisson(fraction) copies, Knuth's method.
    const limit = Math.exp(-fraction);
    let product = next();
    while (product > limit) {
      kept.push(record);
      product *= next();
    }
  }
  return kept;
}

/**
 * Spark's `randomSplit`: datasets holding disjoint random parts of this one, of sizes about proportional to
 * `weights` (normalized), together every record exactly once. WARNING: the dataset is computed once per split, so
 * its records must come out the same every time (a deterministic dataset, or `persist()` it first).
 */
export function randomSplit<T>(rdd: RDD<T>, weights: readonly number[], seed?: number): RDD<T>[] {
  checkSeed(seed, 'randomSplit()');
  const base = (seed ?? rdd.context.nextSeed()) >>> 0;
  return splitCells(weights).map((cell) => {
    const captures = { cell, fractions: {}, withReplacement: false, seed: base };
    return mapPartitions<T>(rdd, sampleRecords, true, captures, { preservesPartitioning: true, label: 'randomSplit' });
  });
}

/**
 * Spark's `sampleByKey`: a stratified sample, each pair kept with its key's fraction (`fractions` maps every key,
 * by its `String(key)`, to a fraction; with replacement, to an expected number of copies). A key without a
 * fraction fails the job.
 */
export function sampleByKey<P extends readonly [unknown, unknown]>(
  rdd: RDD<P>,
  withReplacementArg: boolean,
  fractionsArg: Readonly<Record<string, number>> | ReadonlyMap<unknown, number>,
  seedArg?: number,
): RDD<P> {
  if (typeof withReplacementArg !== 'boolean') {
    throw invalid(`sampleByKey(): withReplacement must be a boolean, found ${describeValue(withReplacementArg)}`);
  }
  const entries =
    fractionsArg instanceof Map ? [...fractionsArg.entries()] : Object.entries(fractionsArg as Record<string, number>);
  const table: Record<string, number> = {};
  for (const [key, fraction] of entries) {
    if (typeof fraction !== 'number' || !(fraction >= 0) || (!withReplacementArg && fraction > 1)) {
      const range = withReplacementArg ? '>= 0' : 'between 0 and 1';
      throw invalid(
        `sampleByKey(): the fraction of key ${String(key)} must be ${range}, found ${describeValue(fraction)}`,
      );
    }
    table[String(key)] = fraction;
  }
  checkSeed(seedArg, 'sampleByKey()');
  const captures = {
    cell: null,
    fractions: table,
    withReplacement: withReplacementArg,
    seed: (seedArg ?? rdd.context.nextSeed()) >>> 0,
  };
  return mapPartitions<P>(rdd, sampleRecords, true, captures, { preservesPartitioning: true, label: 'sampleByKey' });
}
