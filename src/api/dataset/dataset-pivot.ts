/**
 * `groupBy(...).pivot(column, values)`, as Spark's: one output column per pivot value (per value and aggregate when
 * there are several aggregates, named `value_aggregate`), each aggregating only the group's rows whose pivot column
 * holds that value. Planned as one ordinary grouped aggregation: each aggregate's input columns are masked per value
 * (`when(pivot = value, column)`: null elsewhere, and aggregates skip nulls), so no second shuffle is needed. As in
 * Spark, a group without a row of a value gets null in that value's columns, counts included.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { AggregateSpec, LiteralValue } from '../../protocol/columnar.js';
import { Aggregate, count } from '../functions/dataset-aggregates.js';
import { aggregateSpecs } from './dataset-arguments.js';
import { when } from '../functions/dataset-conditionals.js';
import { col, ColumnExpression, lit } from '../functions/dataset-expressions.js';
import type { Dataset } from './dataset.js';

/** A value of a pivot column: a number, bigint, string, boolean or null. */
export type PivotValue = LiteralValue;

/** The pivot of a `GroupedDataset`: its column and the values that become columns, in order. */
export interface Pivot {
  readonly column: string;
  readonly values: readonly PivotValue[];
}

/** The most values a pivot takes (Spark's `spark.sql.pivotMaxValues` default): each is a column per aggregate. */
export const PIVOT_VALUES_MAX = 10_000;

/** Prefix of the masked input columns and per-value row counts (dropped from the answer). */
const MASKED = '__kindling_pivot_';

/**
 * The checked pivot of `column` over `values`.
 *
 * @example
 * pivotArg('course', ['dotNET', 'Java']);
 */
export function pivotArg(column: unknown, values: readonly unknown[]): Pivot {
  if (typeof column !== 'string' || column === '') {
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `pivot(): expected a column name, found ${describeValue(column)}`);
  }
  if (!Array.isArray(values)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `pivot(): expected an array of values, found ${describeValue(values)}`,
    );
  }
  if (values.length > PIVOT_VALUES_MAX) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `pivot(): column '${column}' has ${values.length} values, more than ${PIVOT_VALUES_MAX}: filter first, or ` +
        `name the values wanted`,
    );
  }
  const names = new Set<string>();
  for (const value of values) {
    const ok = value === null || ['number', 'string', 'boolean'].includes(typeof value) || typeof value === 'bigint';
    if (!ok) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `pivot(): expected values that are numbers, bigints, strings, booleans or null, found ${describeValue(value)}` +
          (value instanceof Date ? ` (cast a date or timestamp column to string and pivot on that)` : ''),
      );
    }
    if (names.has(String(value))) {
      throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `pivot(): value ${describeValue(value)} is named twice`);
    }
    names.add(String(value));
  }
  return { column, values: values as PivotValue[] };
}

/**
 * The distinct values of `column`, sorted as Spark sorts them (null first, then ascending), for a pivot given no
 * values: one job over the column.
 *
 * @example
 * const values = await distinctPivotValues(ds, 'course');
 */
export async function distinctPivotValues(dataset: Dataset, column: string): Promise<unknown[]> {
  const rows = await dataset
    .select(column)
    .distinct()
    .limit(PIVOT_VALUES_MAX + 1)
    .collect();
  const values = rows.map((row) => row[column]);
  return values.sort((a, b) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : (a as number) < (b as number) ? -1 : 1,
  );
}

/**
 * The pivoted aggregation of `dataset` grouped by `keys`: the keys, then per pivot value (in order) its aggregates.
 *
 * @example
 * pivotAggregate(ds, ['year'], [sum('earnings')], 8, { column: 'course', values: ['dotNET', 'Java'] });
 */
export function pivotAggregate(
  dataset: Dataset,
  keys: readonly string[],
  aggregates: readonly Aggregate[],
  numPartitions: number,
  pivot: Pivot,
): Dataset {
  const specs = pivotSpecs(aggregates);
  // Computed inputs (`sum(col('a').mul(2))`) added first, then masked per value as the columns are.
  let masked = aggregates
    .flatMap((a) => a.inputs)
    .reduce((ds, input) => ds.withColumn(input.name, new ColumnExpression(input.expr)), dataset);
  const mask = (name: string, match: ColumnExpression, input: ColumnExpression) => {
    masked = masked.withColumn(name, when(match, input));
    return name;
  };
  const out: Aggregate[] = [];
  const presence: { readonly rows: string; readonly columns: string[] }[] = [];
  pivot.values.forEach((value, i) => {
    const match = value === null ? col(pivot.column).isNull() : col(pivot.column).eq(lit(value));
    // A group without a row of this value gets null, not a count of 0 (Spark's pivot): its rows are counted too.
    const rows = `${MASKED}rows_${i}`;
    out.push(count(mask(rows, match, lit(1))).as(rows));
    presence.push({ rows, columns: [] });
    specs.forEach((spec, j) => {
      const inputs = [spec.column, ...(spec.others ?? [])].map((c, k) =>
        mask(`${MASKED}${i}_${j}_${k}`, match, c === null ? lit(1) : col(c)),
      );
      const name = specs.length === 1 ? String(value) : `${String(value)}_${spec.name}`;
      out.push(
        new Aggregate({ ...spec, column: inputs[0]!, ...(spec.others ? { others: inputs.slice(1) } : {}), name }),
      );
      presence[i]!.columns.push(name);
    });
  });
  const answer = masked.aggregate(keys, out, numPartitions);
  const nulled = presence.reduce(
    (ds, { rows, columns }) => columns.reduce((d, name) => d.withColumn(name, when(col(rows).gt(0), col(name))), ds),
    answer,
  );
  return nulled.drop(...presence.map((p) => p.rows));
}

/** The aggregates' specs (checked as `agg`'s); `first` / `last` only if they skip nulls. */
function pivotSpecs(aggregates: readonly Aggregate[]): readonly AggregateSpec[] {
  const specs = aggregateSpecs([], aggregates);
  for (const spec of specs) {
    // Masked rows are nulls: `first` / `last` would take them unless they skip nulls.
    if ((spec.fn === 'first' || spec.fn === 'last') && spec.ignoreNulls !== true) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `pivot(...).agg(): ${spec.fn}() over a pivot needs ignoreNulls: ${spec.fn}('${spec.column}', true)`,
      );
    }
  }
  return specs;
}
