/**
 * Argument checks of `dropna`, `fillna` and `replace` (PySpark's names for `na.drop` / `na.fill` / `na.replace`),
 * each giving the operator to append; executor/columnar/reshape/null-handling.ts and
 * executor/columnar/reshape/replace-values.ts run them.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import type { ColumnarOp } from '../../protocol/columnar.js';
import type { FillNull } from '../../protocol/columnar-reshape.js';

/** Options of `Dataset.dropna`. */
export interface DropNullsOptions {
  /** `'any'` drops a row with any missing value in the columns, `'all'` only a row where all are missing. @default 'any' */
  how?: 'any' | 'all';
  /** Keep a row that has at least this many values among the columns (overrides `how`, as Spark's `thresh`). */
  thresh?: number;
  /** The columns to look at. @default every column */
  subset?: readonly string[];
}

/** A value `fillna` puts where a value is missing. */
export type FillValue = number | bigint | string | boolean;

const DROP_NULLS_OPTIONS = optionNames<DropNullsOptions>({ how: true, thresh: true, subset: true });

function invalid(message: string): PlanError {
  return new PlanError('ERR_PLAN_INVALID_ARGUMENT', message);
}

function columnNames(subset: unknown, where: string): string[] {
  if (!Array.isArray(subset) || subset.length === 0 || subset.some((c) => typeof c !== 'string' || c === '')) {
    throw invalid(`${where}: subset must be a non-empty array of column names, found ${describeValue(subset)}`);
  }
  return [...(subset as string[])];
}

/** `dropna(options)`'s operator. */
export function dropNullsOp(options: DropNullsOptions): ColumnarOp {
  refuseUnknownOptions('dropna()', options, DROP_NULLS_OPTIONS);
  const columns = options.subset === undefined ? null : columnNames(options.subset, 'dropna()');
  const how = options.how ?? 'any';
  if (how !== 'any' && how !== 'all')
    throw invalid(`dropna(): how must be 'any' or 'all', found ${describeValue(how)}`);
  if (options.thresh !== undefined) {
    if (!Number.isSafeInteger(options.thresh) || options.thresh < 0) {
      throw invalid(`dropna(): thresh must be a non-negative integer, found ${describeValue(options.thresh)}`);
    }
    return { kind: 'drop-nulls', columns, minValues: options.thresh };
  }
  return { kind: 'drop-nulls', columns, minValues: how === 'all' ? 1 : 'all-columns' };
}

function fillValue(value: unknown, where: string): FillValue {
  if (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  throw invalid(`${where}: expected a number, bigint, string or boolean to fill with, found ${describeValue(value)}`);
}

/**
 * `fillna(value, subset?)`'s operator: one value for every column whose type takes it (or for the `subset`), or an
 * object of a value per column (each column must take its value).
 */
export function fillNullsOp(value: unknown, subset?: readonly string[]): ColumnarOp {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if (subset !== undefined) throw invalid('fillna(): a value per column takes no subset');
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) throw invalid('fillna(): expected at least one column to fill');
    const fills: FillNull[] = entries.map(([column, v]) => ({ column, value: fillValue(v, 'fillna()'), strict: true }));
    return { kind: 'fill-nulls', fills };
  }
  const fill = fillValue(value, 'fillna()');
  if (subset === undefined) return { kind: 'fill-nulls', fills: [{ column: null, value: fill, strict: false }] };
  const fills = columnNames(subset, 'fillna()').map((column) => ({ column, value: fill, strict: false }));
  return { kind: 'fill-nulls', fills };
}

/** A value `replace` looks for, or puts instead: a string, number or boolean (the replacement may be null). */
export type ReplaceValue = string | number | boolean;

/**
 * `replace(toReplace, value, subset)`'s operator: pairs of one kind (strings, numbers or booleans, as Spark), each
 * replaced by a value of its kind or null; `toReplace` an object maps strings to their replacements.
 */
export function replaceOp(toReplace: unknown, value: unknown, subset: unknown): ColumnarOp {
  const fromObject = typeof toReplace === 'object' && toReplace !== null && !Array.isArray(toReplace);
  const froms: unknown[] = fromObject ? Object.keys(toReplace) : Array.isArray(toReplace) ? toReplace : [toReplace];
  const tos: unknown[] = fromObject ? Object.values(toReplace) : Array.isArray(value) ? value : froms.map(() => value);
  if (froms.length === 0 || tos.length !== froms.length) {
    throw invalid(
      `replace(): expected values to replace and as many replacements, found ${describeValue(toReplace)} and ` +
        `${describeValue(value)}`,
    );
  }
  const kind = typeof froms[0];
  for (const [i, from] of froms.entries()) {
    const to = tos[i];
    const ok = ['string', 'number', 'boolean'].includes(typeof from) && typeof from === kind;
    if (!ok || (to !== null && typeof to !== kind)) {
      throw invalid(
        `replace(): expected values and replacements of one kind (strings, numbers or booleans; a replacement may ` +
          `be null), found ${describeValue(from)} -> ${describeValue(to)}`,
      );
    }
  }
  const columns = subset === undefined ? null : columnNames(subset, 'replace()');
  const pairs = froms.map((from, i) => ({ from: from as ReplaceValue, to: tos[i] as ReplaceValue | null }));
  return { kind: 'replace', pairs, columns };
}
