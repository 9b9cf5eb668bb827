/**
 * Window functions of `Dataset.withColumn` (Spark's names): `Window.partitionBy(...).orderBy(...)` specs, the
 * ranking and offset functions, `.over(window)` on them and on aggregates, and the planning: a hash shuffle by the
 * partition keys (a gather into one partition without them, as Spark), then the `window` operator, which sorts each
 * task's rows and evaluates the functions with typed-array loops (`executor/columnar/windows/window.ts`).
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type {
  RankingFunction,
  RowsFrame,
  WindowFunction,
  WindowGroupLimitOp,
  WindowOp,
  WindowSpec as WireWindowSpec,
} from '../../protocol/columnar-window.js';
import type { AggregateSpec, ColumnExpr, LiteralValue } from '../../protocol/columnar.js';
import type { PlanNode } from '../../plan/plan-node.js';
import { combinedCachedPartitions } from '../planning/cached-map-tasks.js';
import type { DatasetParts } from '../planning/dataset-join.js';
import type { Dataset } from '../dataset/dataset.js';
import { toSortKeys, type SortKeyArgument } from '../planning/sort-keys.js';
import { ColumnExpression } from './dataset-expressions.js';

const RUNNING = new Set(['count', 'sum', 'mean', 'min', 'max']);

function invalid(message: string): PlanError {
  return new PlanError('ERR_PLAN_INVALID_ARGUMENT', message);
}

/**
 * A window: rows grouped by `partitionBy` columns and ordered by `orderBy` keys within each group. Immutable; each
 * call returns a new spec.
 *
 * @example
 * const w = Window.partitionBy('city').orderBy(col('day').desc());
 */
export class WindowSpec {
  /** @internal */
  readonly spec: WireWindowSpec;
  /** @internal The ROWS frame of `rowsBetween`, or null for Spark's default frame. */
  readonly rows: RowsFrame | null;

  /** @internal */
  constructor(spec: WireWindowSpec, rows: RowsFrame | null = null) {
    this.spec = spec;
    this.rows = rows;
  }

  /**
   * The same window with a ROWS frame for aggregates, as Spark's `rowsBetween`: each row's aggregate covers the rows
   * from `start` to `end` rows away within its window partition (negative before, 0 the row itself;
   * `Window.unboundedPreceding` / `Window.unboundedFollowing` for the partition's ends). Ranking and offset
   * functions take no frame.
   *
   * @example
   * mean('price').over(Window.partitionBy('ticker').orderBy('day').rowsBetween(-6, Window.currentRow)) // 7-day average
   */
  rowsBetween(start: number, end: number): WindowSpec {
    // Unbounded: Window's ±Infinity, or the huge integers Spark and PySpark use, on the bound's own side.
    const bound = (value: unknown, side: -1 | 1, what: string): number | null => {
      if (typeof value === 'number' && Math.sign(value) === side && Math.abs(value) >= UNBOUNDED_MIN) return null;
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        const name = side < 0 ? 'unboundedPreceding' : 'unboundedFollowing';
        throw invalid(`rowsBetween(): expected an integer ${what} (or Window.${name}), found ${describeValue(value)}`);
      }
      return value;
    };
    const rows = { start: bound(start, -1, 'start'), end: bound(end, 1, 'end') };
    if (rows.start !== null && rows.end !== null && rows.start > rows.end) {
      throw invalid(`rowsBetween(): the start (${rows.start}) is after the end (${rows.end})`);
    }
    return new WindowSpec(this.spec, rows);
  }

  /** The same window partitioned by `columns` (replacing earlier partition columns). */
  partitionBy(...columns: string[]): WindowSpec {
    for (const c of columns) {
      if (typeof c !== 'string' || c === '') {
        throw invalid(`Window.partitionBy(): expected column names, found ${describeValue(c)}`);
      }
    }
    return new WindowSpec({ ...this.spec, partitionBy: [...columns] }, this.rows);
  }

  /** The same window ordered by `keys` (names ascending, or `col(x).desc()` …; replacing earlier keys). */
  orderBy(...keys: SortKeyArgument[]): WindowSpec {
    return new WindowSpec({ ...this.spec, orderBy: toSortKeys(keys, 'Window.orderBy()') }, this.rows);
  }
}

/**
 * Window specs, as Spark's `Window`: `Window.partitionBy(...cols)`, `Window.orderBy(...keys)`.
 *
 * @example
 * ds.withColumn('rank', rank().over(Window.partitionBy('dept').orderBy(col('salary').desc())))
 */
export const Window = {
  partitionBy: (...columns: string[]): WindowSpec => EMPTY.partitionBy(...columns),
  orderBy: (...keys: SortKeyArgument[]): WindowSpec => EMPTY.orderBy(...keys),
  /** `rowsBetween`'s start at the window partition's first row. */
  unboundedPreceding: -Infinity,
  /** `rowsBetween`'s end at the window partition's last row. */
  unboundedFollowing: Infinity,
  /** `rowsBetween`'s bound at the current row. */
  currentRow: 0,
} as const;

/** Bounds this far or further count as unbounded (Spark's and PySpark's unbounded bounds are huge integers). */
const UNBOUNDED_MIN = 2 ** 53;

const EMPTY = new WindowSpec({ partitionBy: [], orderBy: [] });

/** A function evaluated over a window, for `withColumn(name, fn.over(window))`. */
export class WindowExpression {
  /** @internal */
  readonly fn: WindowFunction;
  /** @internal */
  readonly window: WireWindowSpec;

  /** @internal */
  constructor(fn: WindowFunction, window: WireWindowSpec) {
    this.fn = fn;
    this.window = window;
  }
}

/** A window function not yet given its window: call `.over(window)`. */
export class WindowFunctionCall {
  readonly #fn: WindowFunction;

  /** @internal */
  constructor(fn: WindowFunction) {
    this.#fn = fn;
  }

  /** This function over `window` (which must have order keys, as Spark requires for ranking and offsets). */
  over(window: WindowSpec): WindowExpression {
    const spec = windowArg(window, `${this.#fn.kind}().over()`);
    if (window.rows !== null) {
      throw invalid(
        `${this.#fn.kind}().over(): a rowsBetween frame applies to aggregates (count, sum, mean, min, max)`,
      );
    }
    if (spec.orderBy.length === 0) {
      throw invalid(`${this.#fn.kind}().over(): expected an ordered window: add .orderBy(...) to the window`);
    }
    return new WindowExpression(this.#fn, spec);
  }
}

function windowArg(window: unknown, where: string): WireWindowSpec {
  if (window instanceof WindowSpec) return window.spec;
  throw invalid(`${where}: expected a Window.partitionBy(...).orderBy(...) spec, found ${describeValue(window)}`);
}

/** 1, 2, 3 … in window order within each window partition (ties numbered in input order). @example rowNumber().over(w) */
export function rowNumber(): WindowFunctionCall {
  return new WindowFunctionCall({ kind: 'row-number' });
}

/** 1 + the rows before the current row's peers (ties share a rank, then gaps: 1, 1, 3). @example rank().over(w) */
export function rank(): WindowFunctionCall {
  return new WindowFunctionCall({ kind: 'rank' });
}

/** Ranks without gaps (1, 1, 2). @example denseRank().over(w) */
export function denseRank(): WindowFunctionCall {
  return new WindowFunctionCall({ kind: 'dense-rank' });
}

/**
 * The value of `column` (a name or `col(name)`, as Spark takes either) `offset` rows before the current one within
 * its window partition, else `defaultValue` (a null value read stays null, as Spark).
 *
 * @example
 * lag('price', 1, 0).over(Window.partitionBy('ticker').orderBy('day'))
 */
export function lag(
  column: string | ColumnExpression,
  offset = 1,
  defaultValue: LiteralValue = null,
): WindowFunctionCall {
  return offsetCall('lag', column, offset, defaultValue);
}

/** As `lag`, `offset` rows after the current one. @example lead('price').over(w) */
export function lead(
  column: string | ColumnExpression,
  offset = 1,
  defaultValue: LiteralValue = null,
): WindowFunctionCall {
  return offsetCall('lead', column, offset, defaultValue);
}

function offsetCall(
  kind: 'lag' | 'lead',
  columnArg: string | ColumnExpression,
  offset: number,
  value: LiteralValue,
): WindowFunctionCall {
  const column = offsetColumn(kind, columnArg);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw invalid(`${kind}(): expected an offset >= 0, found ${describeValue(offset)}`);
  }
  const type = typeof value;
  if (value !== null && type !== 'number' && type !== 'string' && type !== 'boolean' && type !== 'bigint') {
    throw invalid(
      `${kind}(): expected a number, string, boolean, bigint or null default, found ${describeValue(value)}`,
    );
  }
  return new WindowFunctionCall({ kind, column, offset, default: value });
}

/** The column name `lag` / `lead` read: a name or a bare `col(name)`; an expression is added as a column first. */
function offsetColumn(kind: 'lag' | 'lead', column: unknown): string {
  if (typeof column === 'string' && column !== '') return column;
  if (column instanceof ColumnExpression) {
    if (column.expr.kind === 'col') return column.expr.name;
    throw invalid(
      `${kind}(): expected a column name or col(name), found the expression ${column.name}: add it as a column ` +
        `first (withColumn('${column.name}', …)) and pass that name`,
    );
  }
  throw invalid(`${kind}(): expected a column name or col(name), found ${describeValue(column)}`);
}

/**
 * `aggregate.over(window)`: a running aggregate over RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (peers, rows
 * tied on every order key, included) for an ordered window, over the whole window partition otherwise.
 *
 * @example
 * aggregateOver({ fn: 'sum', column: 'x', name: 'sum(x)' }, w);
 */
export function aggregateOver(spec: AggregateSpec, window: WindowSpec): WindowExpression {
  const wire = windowArg(window, `${spec.fn}().over()`);
  if (!RUNNING.has(spec.fn)) {
    throw invalid(`${spec.fn}().over(): only count, sum, mean, min and max run over a window`);
  }
  if (window.rows !== null && wire.orderBy.length === 0) {
    throw invalid(`${spec.fn}().over(): a rowsBetween frame needs an ordered window: add .orderBy(...) to the window`);
  }
  const rows = window.rows === null ? {} : { rows: window.rows };
  return new WindowExpression({ kind: 'aggregate', fn: spec.fn, column: spec.column, ...rows }, wire);
}

/**
 * `ds.withColumn(name, expr)` for a window expression. A window column right after another over the same window
 * joins its operator (one shuffle and one sort for both).
 *
 * @example
 * planWindow(parts, 'rn', rowNumber().over(w));
 */
export function planWindow(parts: DatasetParts, name: string, expr: WindowExpression): Dataset {
  if (typeof name !== 'string' || name === '') {
    throw invalid(`withColumn(): expected a column name, found ${describeValue(name)}`);
  }
  const window = expr.window;
  const column = { name, fn: expr.fn };
  const last = parts.ops[parts.ops.length - 1];
  if (parts.ops.length === 1 && last?.kind === 'window' && JSON.stringify(last.window) === JSON.stringify(window)) {
    const columns = [...last.columns.filter((c) => c.name !== name), column];
    return parts.over(parts.base, [{ ...last, columns }]);
  }
  const op: WindowOp = { kind: 'window', window, columns: [column] };
  if (window.partitionBy.length === 0) return parts.over(parts.gathered('window'), [op]);
  const shuffled = windowShuffle(parts, parts.node({ kind: 'hash-partition', keys: window.partitionBy }, MAP_SIDE));
  windowInputs.set(shuffled, parts);
  return parts.over(shuffled, [op]);
}

const MAP_SIDE = 'window (map side)';

/** The rows a window shuffle reads, by the shuffled node: what `planWindowFilter` re-plans with a limit. */
const windowInputs = new WeakMap<PlanNode, DatasetParts>();

function windowShuffle(parts: DatasetParts, mapSide: PlanNode): PlanNode {
  const plan = parts.context.plan;
  return plan.shuffled(
    mapSide,
    'window',
    plan.hashPartitioner(parts.context.options.defaultParallelism),
    { aggregation: { kind: 'none' }, sortByKey: null },
    null,
  );
}

/**
 * `ds.filter(predicate)` right after ranking window columns, when the predicate keeps the top ranks of one of them
 * (`rn <= k`, `rn < k`, `rn == k`, or the same with the literal first): the window re-planned with a
 * `window-group-limit` before its shuffle (Spark's WindowGroupLimit), so each map task sends only its top `k` rows
 * per window partition, then the window and the filter as asked. Null when the pattern does not apply (another
 * function in the window could read the rows left out: `lead`, running aggregates).
 *
 * @example
 * planWindowFilter(parts, col('rn').le(2).expr) ?? plain filter
 */
export function planWindowFilter(parts: DatasetParts, predicate: ColumnExpr): Dataset | null {
  const window = parts.ops.length === 1 ? parts.ops[0] : undefined;
  const input = windowInputs.get(parts.base);
  if (window?.kind !== 'window' || input === undefined) return null;
  if (!window.columns.every(({ fn }) => RANKING.has(fn.kind))) return null;
  const bound = rankBound(predicate);
  const ranked = window.columns.find((c) => c.name === bound?.column);
  if (bound === null || ranked === undefined) return null;
  const limit: WindowGroupLimitOp = {
    kind: 'window-group-limit',
    window: window.window,
    fn: ranked.fn.kind as RankingFunction,
    limit: bound.limit,
  };
  // Over a cached table, a map task per thread limits several partitions' rows at once
  // (`planning/cached-map-tasks.ts`): a key of many groups then leaves ~`limit` rows per group and thread, not per
  // cached partition.
  const base = combinedCachedPartitions(input, parts.context.options.defaultParallelism) ?? input.base;
  const mapSide = parts.context.plan.narrow(base, MAP_SIDE, {
    kind: 'builtin',
    op: {
      name: 'columnar',
      stage: { ops: [...input.ops, limit], sink: { kind: 'hash-partition', keys: window.window.partitionBy } },
    },
  });
  // The reduce side limits too: its rows above the limit (most of them, from many map tasks) skip the window's sort.
  return parts.over(windowShuffle(parts, mapSide), [limit, window, { kind: 'filter', predicate }]);
}

const RANKING = new Set<string>(['row-number', 'rank', 'dense-rank']);

/** `column <= limit` (rows kept by the predicate have at most that rank), or null for any other predicate. */
function rankBound(predicate: ColumnExpr): { column: string; limit: number } | null {
  if (predicate.kind !== 'binary') return null;
  const { left, right } = predicate;
  const flipped: Record<string, string> = { '<=': '>=', '<': '>', '==': '==', '>=': '<=', '>': '<' };
  const [column, value, op] =
    left.kind === 'col' && right.kind === 'lit'
      ? [left.name, right.value, predicate.op as string]
      : right.kind === 'col' && left.kind === 'lit'
        ? [right.name, left.value, flipped[predicate.op]]
        : [null, null, undefined];
  if (column === null || typeof value !== 'number' || !Number.isFinite(value)) return null;
  const limit = op === '<=' || op === '==' ? Math.floor(value) : op === '<' ? Math.ceil(value) - 1 : null;
  return limit === null || limit < 0 || limit > 2 ** 30 ? null : { column, limit };
}
