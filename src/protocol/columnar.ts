/**
 * The wire form of a columnar stage (issue 5): plain data describing vectorized work over column batches, built by
 * the `Dataset` API on the driver and evaluated by the executor's kernels. No classes, no closures: it crosses the
 * thread boundary inside a `PipelineNode` of kind `columnar`.
 */
import type { RangePartitionSink, ReshapeOp } from './columnar-reshape.js';
import type { WindowGroupLimitOp, WindowOp } from './columnar-window.js';
import type { JoinKeyTypes } from './join-key-types.js';

/** Binary operators of column expressions: arithmetic (JS number semantics), comparisons, boolean logic. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

/** A literal value of an expression: numbers, bigints (int64), strings (UTF-8 in a batch), booleans, or null. */
export type LiteralValue = number | bigint | string | boolean | null;

/** Column types a `cast` may produce (Spark's names are accepted by the API and mapped to these). */
export type DataTypeName = 'int32' | 'int64' | 'float64' | 'bool' | 'utf8' | 'date' | 'timestamp';

/**
 * A column expression, evaluated once per batch into one column.
 * `length` counts UTF-16 code units (as JS `.length`) or, with `unit: 'code-points'`, Unicode code points.
 * `split-to-rows` is a generator: it may only be a top-level expression of `select` (see {@link ColumnarOp}).
 */
export type ColumnExpr =
  | { readonly kind: 'col'; readonly name: string }
  | { readonly kind: 'lit'; readonly value: LiteralValue }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOperator;
      readonly left: ColumnExpr;
      readonly right: ColumnExpr;
    }
  | { readonly kind: 'not'; readonly arg: ColumnExpr }
  | { readonly kind: 'lower'; readonly arg: ColumnExpr }
  | { readonly kind: 'length'; readonly arg: ColumnExpr; readonly unit: 'utf16' | 'code-points' }
  /** One output row per token: tokens are maximal runs of non-whitespace (JS `\s`) or the parts between `separator`. */
  | { readonly kind: 'split-to-rows'; readonly arg: ColumnExpr; readonly separator: string | null }
  /** `isNull` (or with `negated`, `isNotNull`): a boolean that is never null. */
  | { readonly kind: 'is-null'; readonly arg: ColumnExpr; readonly negated: boolean }
  /** The value converted to `to`; a value that does not convert (`'x'` to int32) becomes null, as Spark's cast. */
  | { readonly kind: 'cast'; readonly arg: ColumnExpr; readonly to: DataTypeName }
  /** Per row, the first argument that is not null (null when all are). */
  | { readonly kind: 'coalesce'; readonly args: readonly ColumnExpr[] }
  /** Per row, the `then` of the first branch whose `when` is true, else `otherwise` (null when absent). */
  | {
      readonly kind: 'when';
      readonly branches: readonly { readonly when: ColumnExpr; readonly then: ColumnExpr }[];
      readonly otherwise: ColumnExpr | null;
    }
  /** True when the value equals one of `values` (SQL `IN`: null for a null value, or for no match with a null listed). */
  | { readonly kind: 'in'; readonly arg: ColumnExpr; readonly values: readonly LiteralValue[] }
  /**
   * A scalar function (see {@link ScalarFunction}) of column arguments `args` and constant parameters `params`
   * (a scale, a pattern, a format …, fixed when the plan is built). A null argument row gives a null result row.
   */
  | {
      readonly kind: 'call';
      readonly fn: ScalarFunction;
      readonly args: readonly ColumnExpr[];
      readonly params: readonly LiteralValue[];
    };

/**
 * Scalar functions of `call` expressions, by their Spark names, and their `params`:
 * math `abs`, `round` [scale], `floor`, `ceil`, `sqrt`, `log` [base or null for e], `pow` (two args);
 * strings `upper`, `trim` / `ltrim` / `rtrim` [characters or null for the space], `substring` [pos, len or null],
 * `concat` (any args), `contains` / `startsWith` / `endsWith` (two args), `like` [pattern, escape],
 * `regexpExtract` [pattern, group], `regexpReplace` [pattern, replacement], `splitPart` [delimiter, part];
 * dates `year`, `month`, `dayOfMonth`, `hour`, `dateTrunc` [unit], `toDate` / `toTimestamp` [format or null].
 */
export type ScalarFunction =
  | 'abs'
  | 'round'
  | 'floor'
  | 'ceil'
  | 'sqrt'
  | 'log'
  | 'pow'
  | 'upper'
  | 'trim'
  | 'ltrim'
  | 'rtrim'
  | 'substring'
  | 'concat'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'like'
  | 'regexpExtract'
  | 'regexpReplace'
  | 'splitPart'
  | 'year'
  | 'month'
  | 'dayOfMonth'
  | 'hour'
  | 'dateTrunc'
  | 'toDate'
  | 'toTimestamp';

/** An expression with its output column name. */
export interface NamedExpr {
  readonly name: string;
  readonly expr: ColumnExpr;
}

/**
 * Aggregate functions of `groupBy().agg()`. `count` without a column counts rows, with one its non-null values;
 * the others skip nulls and give null for a group with no value. `first` / `last` keep nulls unless
 * `ignoreNulls`; `countDistinct` counts distinct non-null tuples of `column` and `others`; `corr` pairs `column`
 * with `others[0]`; `quantile` takes `quantile` in [0, 1].
 */
export type AggregateFunction =
  | 'count'
  | 'sum'
  | 'mean'
  | 'min'
  | 'max'
  | 'countDistinct'
  | 'median'
  | 'quantile'
  | 'stddev'
  | 'variance'
  | 'stddevPop'
  | 'varPop'
  | 'first'
  | 'last'
  | 'corr';

/** One aggregate: its function, its input column (null for `count()` of rows) and its output column name. */
export interface AggregateSpec {
  readonly fn: AggregateFunction;
  readonly column: string | null;
  readonly name: string;
  /** Further input columns: `corr`'s second, `countDistinct`'s others. */
  readonly others?: readonly string[];
  /** `quantile`'s fraction in [0, 1]. */
  readonly quantile?: number;
  /** `first` / `last`: skip null values. */
  readonly ignoreNulls?: boolean;
}

/**
 * One sort key of `orderBy`: numbers numerically, strings by UTF-16 code units (JS `<`). Nulls sort first when
 * `nullsFirst`, else last; absent, first for ascending keys and last for descending ones (as Spark).
 */
export interface SortKey {
  readonly name: string;
  readonly ascending: boolean;
  readonly nullsFirst?: boolean;
}

/** Join types of `join`, as Spark's (`semi` and `anti` are left semi / left anti). */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' | 'cross';

/**
 * A hash join of the stage's two inputs (a `cogroup` of two shuffles, or a `cartesian` with one gathered side):
 * `build` names the input hashed into a table, the other streams through it. Output columns: the keys once (for
 * right and full joins, the right key where the left one is null), the left's other columns, then the right's;
 * `semi` / `anti` give the left's columns only, `cross` both sides' columns. Null keys never match (SQL).
 */
export interface JoinSpec {
  readonly how: JoinType;
  readonly leftKeys: readonly string[];
  readonly rightKeys: readonly string[];
  readonly build: 'left' | 'right';
  /**
   * How the inputs were brought together. `co-located-hash`: every task reads every cached block of both sides
   * and keeps the rows whose key hash falls in its partition (of `partitions`), so no column is shuffled.
   */
  readonly strategy: 'shuffled-hash' | 'broadcast-hash' | 'co-located-hash';
  /** For `co-located-hash`: the join's task count, which the key hashes are reduced to. */
  readonly partitions?: number;
  /**
   * For `shuffled-hash`: a task whose build side passes `buildBytesMax` bytes splits both sides into buckets of
   * spill files under `dir` (the Context's spill folder) and joins them a bucket at a time
   * (`executor/columnar/joins/spilling-hash-join.ts`).
   */
  readonly spill?: JoinSpillSpec;
  /** The number types keys are widened to on both sides (shared with the shuffle's map sides); absent: as read. */
  readonly keyTypes?: JoinKeyTypes;
}

/** Where and past how many build-side bytes a shuffled join task spills (Context option `joinBuildBytesMax`). */
export interface JoinSpillSpec {
  readonly dir: string;
  readonly buildBytesMax: number;
}

/** The column name `select` expands to every column of its input, in order (Spark's `select('*', …)`). */
export const STAR = '*';

/** Batch-to-batch operations, applied in order. */
export type ColumnarOp =
  /** Only as a stage's first op, over two inputs (see {@link JoinSpec}). */
  | { readonly kind: 'join'; readonly join: JoinSpec }
  /**
   * Exactly these columns (`col('*')` named `*`: every input column there); at most one of them may be a
   * `split-to-rows` generator (other columns repeat).
   */
  | { readonly kind: 'select'; readonly columns: readonly NamedExpr[] }
  /** Every column, plus `column` (replacing one of the same name in place). */
  | { readonly kind: 'with-column'; readonly column: NamedExpr }
  | { readonly kind: 'filter'; readonly predicate: ColumnExpr }
  /** Reduce side of a `groupBy`: merges the partial aggregates of its input and finalizes them. */
  | {
      readonly kind: 'final-aggregate';
      readonly keys: readonly string[];
      readonly aggregates: readonly AggregateSpec[];
    }
  /** Sorts the whole partition (a single one after a gather shuffle). */
  | { readonly kind: 'sort'; readonly keys: readonly SortKey[] }
  | { readonly kind: 'limit'; readonly n: number }
  /** The first row of each distinct tuple of `keys` (every column when empty); nulls equal nulls here (SQL DISTINCT). */
  | { readonly kind: 'dedupe'; readonly keys: readonly string[] }
  /**
   * Reduce side of `intersect`, `subtract`, `intersectAll`, `exceptAll`: rows of both sides, told apart by the
   * int32 column `side` (0 left, 1 right), already hash-partitioned by every other column. Gives left rows only,
   * without `side`: per distinct tuple (nulls equal nulls), `intersect` one row when both sides have it, `except`
   * one when only the left has it, `intersect-all` min(l, r) rows, `except-all` max(0, l - r) rows.
   */
  | { readonly kind: 'set-operation'; readonly how: SetOperation; readonly side: string }
  /** `hint('broadcast')`: rows pass unchanged; a join reading this stage broadcasts it where the join type allows. */
  | { readonly kind: 'hint'; readonly name: 'broadcast' }
  | ReshapeOp
  | WindowOp
  | WindowGroupLimitOp;

/**
 * What a columnar stage ends in. `rows`: the batches themselves (a result, or records for an RDD consumer).
 * `partial-aggregate`: map side of a `groupBy`, one row per distinct key with partial states, hash-partitioned
 * over the key columns (string keys hashed over their UTF-8 bytes). `gather`: every row to reduce partition 0.
 */
export type ColumnarSink =
  | { readonly kind: 'rows' }
  | {
      readonly kind: 'partial-aggregate';
      readonly keys: readonly string[];
      readonly aggregates: readonly AggregateSpec[];
    }
  | { readonly kind: 'gather' }
  /**
   * Rows hash-partitioned over the key columns (every column when empty): a join's or a `distinct`'s shuffle. Equal
   * key tuples hash alike whatever batch or side they come from.
   */
  | {
      readonly kind: 'hash-partition';
      readonly keys: readonly string[];
      /** A join's map side: its key columns widened to these types before hashing (see {@link JoinSpec}). */
      readonly keyTypes?: JoinKeyTypes;
      /** With no `keys`: every column but these (a set operation's side column, see `set-operation`). */
      readonly excluded?: readonly string[];
    }
  | RangePartitionSink;

/** Spark's set operations of two datasets: distinct rows (`intersect`, `except`) or counted rows (`…-all`). */
export type SetOperation = 'intersect' | 'except' | 'intersect-all' | 'except-all';

/** A columnar stage: ops over the batches of its input pipeline, then its sink. */
export interface ColumnarStage {
  readonly ops: readonly ColumnarOp[];
  readonly sink: ColumnarSink;
}

/**
 * Column names of the partial state of aggregate `index` (map side → reduce side of the shuffle). Stable: both
 * sides of one job derive them from the same spec.
 *
 * @example
 * partialColumns({ fn: 'mean', column: 'x', name: 'mean(x)' }, 2); // ['__p2_sum', '__p2_count']
 */
export function partialColumns(spec: AggregateSpec, index: number): string[] {
  switch (spec.fn) {
    case 'count':
      return [`__p${index}_count`];
    case 'sum':
      return [`__p${index}_sum`];
    case 'mean':
      return [`__p${index}_sum`, `__p${index}_count`];
    case 'min':
      return [`__p${index}_min`];
    case 'max':
      return [`__p${index}_max`];
    case 'stddev':
    case 'variance':
    case 'stddevPop':
    case 'varPop':
      return [`__p${index}_n`, `__p${index}_mean`, `__p${index}_m2`];
    case 'corr':
      return ['n', 'meanX', 'meanY', 'm2X', 'm2Y', 'cXY'].map((part) => `__p${index}_${part}`);
    case 'countDistinct':
    case 'median':
    case 'quantile':
      return [`__p${index}_values`];
    case 'first':
    case 'last':
      return [`__p${index}_value`];
  }
}
