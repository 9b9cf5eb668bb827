/**
 * The argument checks of `Dataset`'s verbs: each turns what a user passed into what the plan needs, or throws a
 * `PlanError` naming the verb, what it expected and what it found.
 */
import type { AggregateSpec, NamedExpr } from '../../protocol/columnar.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import { Aggregate } from '../functions/dataset-aggregates.js';
import { ColumnExpression, col } from '../functions/dataset-expressions.js';

/** Options of `groupBy`, given as its last argument. */
export interface GroupByOptions {
  /**
   * Reduce partitions of the aggregation's shuffle.
   * @default the context's defaultParallelism
   */
  numPartitions?: number;
}

const GROUP_BY_OPTIONS = optionNames<GroupByOptions>({ numPartitions: true });

/**
 * `groupBy(...keys, options?)`: the key names, the computed keys among them (`groupBy(year(col('day')))`, named by
 * their alias or text, as Spark names them) and the reduce partitions.
 */
export function groupByArguments(
  args: readonly (string | ColumnExpression | GroupByOptions)[],
  defaultParallelism: number,
): { keys: string[]; computed: NamedExpr[]; numPartitions: number } {
  const keys = [...args];
  const last = keys[keys.length - 1];
  const isOptions = typeof last === 'object' && last !== null && !(last instanceof ColumnExpression);
  const options: GroupByOptions = isOptions ? (keys.pop() as GroupByOptions) : {};
  refuseUnknownOptions('groupBy()', options, GROUP_BY_OPTIONS);
  const computed: NamedExpr[] = [];
  const names = keys.map((key) => {
    if (key instanceof ColumnExpression) {
      // A column under another name (`col('k').as('g')`) is a computed key, so the output is named as asked.
      if (key.expr.kind === 'col' && key.name === key.expr.name) return key.expr.name;
      computed.push({ name: key.name, expr: key.expr });
      return key.name;
    }
    if (typeof key !== 'string' || key === '') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `groupBy(): expected column names or expressions, found ${describeValue(key)}`,
      );
    }
    return key;
  });
  const numPartitions = checkPartitionCount(options.numPartitions ?? defaultParallelism, 'groupBy()');
  // No keys: one group of every row (Spark's `groupBy().count()`, `groupBy().pivot(…)`), merged in one task (as
  // `agg()`: every reduce task of a global aggregation gives its one row).
  if (names.length === 0) return { keys: [], computed, numPartitions: 1 };
  return { keys: names, computed, numPartitions };
}

/** `agg(...aggregates)` after `keys`: the aggregates' specs, each output column named once. */
export function aggregateSpecs(keys: readonly string[], aggregates: readonly Aggregate[]): AggregateSpec[] {
  const specs = aggregates.map((a) => {
    if (!(a instanceof Aggregate)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `agg(): expected an aggregate such as count(), sum(col), median(col) or first(col), found ${describeValue(a)}`,
      );
    }
    return a.spec;
  });
  if (specs.length === 0) throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'agg(): expected at least one aggregate');
  const names = [...keys, ...specs.map((s) => s.name)];
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `agg(): column '${duplicate}' would appear twice: rename with as()`,
    );
  }
  return specs;
}

/** `dropDuplicates(columns)`: the key names (all columns when empty). */
export function dedupeColumns(columns: readonly string[], where = 'dropDuplicates'): string[] {
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string' || c === '')) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${where}(): expected an array of column names, found ${describeValue(columns)}`,
    );
  }
  return [...columns];
}

/** `limit(n)`: a non-negative integer. */
export function limitCount(n: unknown, where = 'limit'): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${where}(): expected a non-negative integer, found ${describeValue(n)}`,
    );
  }
  return n;
}

/** `select(...columns)`: named expressions, at most one of them a `splitToRows`. */
export function selectColumns(columns: readonly (string | ColumnExpression)[]): NamedExpr[] {
  if (columns.length === 0) throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'select(): expected at least one column');
  const named = columns.map((c) => toNamed(c, 'select()'));
  if (named.filter((c) => c.expr.kind === 'split-to-rows').length > 1) {
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'select(): at most one splitToRows() column per select');
  }
  return named;
}

export function toNamed(column: string | ColumnExpression, where: string): NamedExpr {
  if (typeof column === 'string' && column !== '') return { name: column, expr: col(column).expr };
  const expr = expressionArg(column, where);
  return { name: expr.name, expr: expr.expr };
}

export function expressionArg(value: unknown, where: string): ColumnExpression {
  if (value instanceof ColumnExpression) return value;
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${where}: expected a column expression such as col('x'), found ${describeValue(value)}`,
  );
}
