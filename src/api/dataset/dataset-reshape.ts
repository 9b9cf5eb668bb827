/**
 * Argument checks of the `Dataset` verbs that reshape rows (`withColumnRenamed`, `toDF`, `drop`, `sample`), each giving
 * the operator to append; `executor/columnar/reshape/reshape.ts` runs them.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import type { ColumnarOp } from '../../protocol/columnar.js';
import type { ContextInternals } from '../context/context-internals.js';

/** Options of `Dataset.sample`. */
export interface SampleOptions {
  /**
   * Seed of the draws; the same seed gives the same rows over the same partitions.
   * @default a seed drawn from the Context's generator (so repeated jobs still agree)
   */
  seed?: number;
  /**
   * Draw each row a Poisson(fraction) number of times instead of keeping it with probability `fraction`.
   * @default false
   */
  withReplacement?: boolean;
}

const SAMPLE_OPTIONS = optionNames<SampleOptions>({ seed: true, withReplacement: true });

function invalid(message: string): PlanError {
  return new PlanError('ERR_PLAN_INVALID_ARGUMENT', message);
}

function checkName(name: unknown, where: string, what: string): string {
  if (typeof name !== 'string' || name === '')
    throw invalid(`${where}: expected ${what}, found ${describeValue(name)}`);
  return name;
}

/** `withColumnRenamed(from, to)`'s operator. */
export function renameOp(from: unknown, to: unknown): ColumnarOp {
  return {
    kind: 'rename',
    from: checkName(from, 'withColumnRenamed()', 'the name of an existing column'),
    to: checkName(to, 'withColumnRenamed()', 'a new column name'),
  };
}

/** `toDF(...names)`'s operator: at least one name, each once. */
export function renameAllOp(names: readonly unknown[]): ColumnarOp {
  const checked = names.map((n) => checkName(n, 'toDF()', 'column names'));
  if (checked.length === 0) throw invalid('toDF(): expected a name for each column, found none');
  const duplicate = checked.find((n, i) => checked.indexOf(n) !== i);
  if (duplicate !== undefined) throw invalid(`toDF(): column '${duplicate}' is named twice`);
  return { kind: 'rename-all', names: checked };
}

/** `unpivot(ids, values, variable, value)`'s operator: names checked, the output's names each once. */
export function unpivotOp(ids: unknown, values: unknown, variable: unknown, value: unknown): ColumnarOp {
  const names = (list: unknown, what: string): string[] => {
    const all = typeof list === 'string' ? [list] : list;
    if (!Array.isArray(all)) throw invalid(`unpivot(): expected ${what} (names), found ${describeValue(list)}`);
    return all.map((n) => checkName(n, 'unpivot()', what));
  };
  const op = {
    kind: 'unpivot' as const,
    ids: names(ids, 'the id columns'),
    values: names(values, 'the value columns'),
    variable: checkName(variable, 'unpivot()', 'a name for the column of value column names'),
    value: checkName(value, 'unpivot()', 'a name for the column of values'),
  };
  if (op.values.length === 0) throw invalid('unpivot(): expected at least one value column');
  const output = [...op.ids, op.variable, op.value];
  const twice = output.find((n, i) => output.indexOf(n) !== i);
  if (twice !== undefined) throw invalid(`unpivot(): column '${twice}' would appear twice in the output`);
  return op;
}

/** `drop(...names)`'s operator. */
export function dropOp(names: readonly unknown[]): ColumnarOp {
  return { kind: 'drop', names: names.map((n) => checkName(n, 'drop()', 'column names')) };
}

/**
 * The draws `[lower, upper)` each split of `randomSplit(weights)` keeps: `weights` normalized into consecutive cells
 * of [0, 1), the last ending at 1 (RDD and Dataset alike).
 *
 * @example
 * splitCells([0.8, 0.2]); // [{ lower: 0, upper: 0.8 }, { lower: 0.8, upper: 1 }]
 */
export function splitCells(weights: readonly number[]): { lower: number; upper: number }[] {
  if (!Array.isArray(weights) || weights.length === 0 || weights.some((w) => typeof w !== 'number' || !(w >= 0))) {
    throw invalid(`randomSplit(): weights must be a non-empty array of numbers >= 0, found ${describeValue(weights)}`);
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0) || !Number.isFinite(sum)) throw invalid(`randomSplit(): weights must have a positive finite sum`);
  let cumulative = 0;
  return weights.map((w, i) => {
    const lower = cumulative / sum;
    cumulative += w;
    return { lower, upper: i === weights.length - 1 ? 1 : cumulative / sum };
  });
}

/** `randomSplit(weights, seed)`'s operators, one per split (see `splitCells`): one seed, so the splits are disjoint. */
export function randomSplitOps(context: ContextInternals, weights: readonly number[], seed?: number): ColumnarOp[] {
  const cells = splitCells(weights);
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw invalid(`randomSplit(): seed must be an integer, found ${describeValue(seed)}`);
  }
  const drawn = seed ?? context.nextSeed();
  return cells.map(({ lower, upper }) => ({
    kind: 'sample',
    fraction: upper,
    lower,
    withReplacement: false,
    seed: drawn,
  }));
}

/** `sample(fraction, options)`'s operator; the seed is drawn now when not given, so every job sees the same rows. */
export function sampleOp(context: ContextInternals, fraction: unknown, options: SampleOptions): ColumnarOp {
  refuseUnknownOptions('sample()', options, SAMPLE_OPTIONS);
  const withReplacement = options.withReplacement ?? false;
  if (typeof withReplacement !== 'boolean') {
    throw invalid(`sample(): withReplacement must be a boolean, found ${describeValue(withReplacement)}`);
  }
  if (
    typeof fraction !== 'number' ||
    !Number.isFinite(fraction) ||
    fraction < 0 ||
    (!withReplacement && fraction > 1)
  ) {
    throw invalid(
      `sample(): expected a fraction ${withReplacement ? '>= 0' : 'in [0, 1]'}, found ${describeValue(fraction)}`,
    );
  }
  const seed = options.seed ?? context.nextSeed();
  if (!Number.isSafeInteger(seed)) throw invalid(`sample(): seed must be an integer, found ${describeValue(seed)}`);
  return { kind: 'sample', fraction, withReplacement, seed };
}
