/**
 * Wire forms of the columnar operators that reshape rows without computing values (issue 10): `union` /
 * `unionByName` conforming each side to one schema, `withColumnRenamed`, `drop`, `sample`, and the range
 * partitioning of a parallel `orderBy`. Plain data, as the rest of `protocol/columnar.ts`.
 */
import type { SortKey } from './columnar.js';

/** A column's type as a batch holds it (`null`: a column whose every value was null, so of no known type). */
export type BatchTypeName = 'i32' | 'i64' | 'f64' | 'bool' | 'utf8' | 'date' | 'timestamp' | 'null';

/** The name `cast()` takes for each batch type, for error hints (`cast('f64')` is refused: `cast('float64')`). */
export const CAST_TYPE_NAMES: Readonly<Record<BatchTypeName, string>> = {
  i32: 'int32',
  i64: 'int64',
  f64: 'float64',
  bool: 'bool',
  utf8: 'string',
  date: 'date',
  timestamp: 'timestamp',
  null: 'null',
};

/** Widening order of number types: a union of two number columns takes the wider type. */
export const NUMERIC_TYPE_RANK: Readonly<Partial<Record<BatchTypeName, number>>> = { i32: 0, i64: 1, f64: 2 };

/**
 * The type values of both types fit, as a union and a written dataset settle one column: equal types, a column of
 * only nulls takes the other's type, two numbers the wider (int32 < int64 < float64, as Spark); null when there is
 * none (a string with a number, a date with a timestamp).
 *
 * @example
 * commonBatchType('i32', 'f64'); // 'f64'
 */
export function commonBatchType(a: BatchTypeName, b: BatchTypeName): BatchTypeName | null {
  if (a === b || b === 'null') return a;
  if (a === 'null') return b;
  const ra = NUMERIC_TYPE_RANK[a];
  const rb = NUMERIC_TYPE_RANK[b];
  return ra !== undefined && rb !== undefined ? (ra > rb ? a : b) : null;
}

/** One output column of a union side: where it comes from in that side's batches, and its resolved type. */
export interface ConformColumn {
  readonly name: string;
  /** Index of the column in the side's batches, or null for a column the side lacks (all nulls). */
  readonly from: number | null;
  readonly type: BatchTypeName;
}

/**
 * The schemas of a union's two sides, learned by a probe job right before the first job that reads the union (a
 * dataset's schema is known only once it runs) and then shared by both sides' `conform` operators. `columns` stays
 * null for a side while its partner had no row to learn a schema from: that side's rows then pass unchanged.
 */
export interface UnionResolution {
  resolved: boolean;
  left: readonly ConformColumn[] | null;
  right: readonly ConformColumn[] | null;
}

/** Reshaping operators (members of `ColumnarOp`). */
export type ReshapeOp =
  /** One side of a union: its batches renamed, reordered, widened and null-filled to the union's schema. */
  | {
      readonly kind: 'conform';
      readonly side: 'left' | 'right';
      readonly byName: boolean;
      readonly allowMissingColumns: boolean;
      readonly resolution: UnionResolution;
    }
  /** `withColumnRenamed`: no-op when `from` is absent (as Spark). */
  | { readonly kind: 'rename'; readonly from: string; readonly to: string }
  /**
   * `toDF(...names)`: every column renamed by position; a batch with another number of columns fails the task
   * (a dataset's column count is known only once it runs).
   */
  | { readonly kind: 'rename-all'; readonly names: readonly string[] }
  /** `drop`: absent names are ignored (as Spark). */
  | { readonly kind: 'drop'; readonly names: readonly string[] }
  /**
   * Bernoulli (or Poisson with replacement) sampling from a generator seeded by (seed, partition). With `lower`
   * (one split of `randomSplit`), a row is kept when its draw falls in [lower, fraction).
   */
  | {
      readonly kind: 'sample';
      readonly fraction: number;
      readonly withReplacement: boolean;
      readonly seed: number;
      readonly lower?: number;
    }
  /**
   * `dropna`: drops a row unless at least `minValues` of `columns` (every column when null) hold a value; null and
   * NaN are no value (as Spark's `na.drop`). `how: 'any'` is minValues = the column count, `'all'` is 1.
   */
  | {
      readonly kind: 'drop-nulls';
      readonly columns: readonly string[] | null;
      readonly minValues: number | 'all-columns';
    }
  /** `fillna`: nulls (and NaN in float64 columns, for a number) replaced; see {@link FillNull}. */
  | { readonly kind: 'fill-nulls'; readonly fills: readonly FillNull[] }
  | UnpivotOp
  | ReplaceOp;

/**
 * `replace`: in `columns` (every column when null) whose type takes `pairs`' values (all strings, all numbers or all
 * booleans), each value equal to a pair's `from` becomes its `to` (null allowed).
 */
export interface ReplaceOp {
  readonly kind: 'replace';
  readonly pairs: readonly {
    readonly from: string | number | boolean;
    readonly to: string | number | boolean | null;
  }[];
  readonly columns: readonly string[] | null;
}

/**
 * `unpivot` / `melt`: each row becomes one row per column of `values` (in order): the `ids` columns, the value
 * column's name in `variable`, its value in `value` (the value columns share a type; numbers widen).
 */
export interface UnpivotOp {
  readonly kind: 'unpivot';
  readonly ids: readonly string[];
  readonly values: readonly string[];
  readonly variable: string;
  readonly value: string;
}

/**
 * One replacement of `fillna`: in column `column` (every column when null), of `value` where the column's type takes
 * it (a number or bigint: int32, int64, float64; a string: string; a boolean: bool). `strict` (the per-column form)
 * fails on a column whose type does not take the value; otherwise such a column is left as it is (as Spark).
 */
export interface FillNull {
  readonly column: string | null;
  readonly value: number | bigint | string | boolean;
  readonly strict: boolean;
}

/**
 * The map side of a parallel `orderBy`: rows go to the reduce partition of their sort key's range, the bounds being
 * order-preserving byte strings of sampled keys (see `executor/columnar/kernels/sort-key-bytes.ts`), as latin1 strings
 * so the scheduler's range sampler compares them with `<`.
 */
export interface RangePartitionSink {
  readonly kind: 'range-partition';
  readonly keys: readonly SortKey[];
}
