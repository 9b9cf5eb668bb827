/** `GroupedDataset`, what `Dataset.groupBy` returns: the keys, waiting for `agg` or one of Spark's shortcuts. */
import { PlanError } from '../../common/errors.js';
import type { Aggregate } from '../functions/dataset-aggregates.js';
import {
  aggregateColumnName,
  count,
  max,
  mean,
  min,
  sum,
  type AggregateColumn,
} from '../functions/dataset-aggregates.js';
import type { Dataset } from './dataset.js';
import { aggregatesOfObject, isAggregateObject } from '../functions/dataset-aggregate-names.js';
import { ColumnExpression } from '../functions/dataset-expressions.js';
import { distinctPivotValues, pivotAggregate, pivotArg, type Pivot, type PivotValue } from './dataset-pivot.js';

/**
 * The result of `groupBy`: call `agg` with the aggregates, or a shortcut of Spark's `GroupedData` (`count()`,
 * `sum('a', 'b')`, `mean`/`avg`, `min`, `max`).
 *
 * @example
 * ds.groupBy('city').agg(count(), max('temp'))
 * ds.groupBy('city').count()          // the keys and `count`, as Spark's df.groupBy('city').count()
 */
export class GroupedDataset {
  readonly #dataset: Dataset;
  readonly #keys: readonly string[];
  readonly #numPartitions: number;
  readonly #pivot: Pivot | null;

  /** @internal */
  constructor(dataset: Dataset, keys: readonly string[], numPartitions: number, pivot: Pivot | null = null) {
    this.#dataset = dataset;
    this.#keys = keys;
    this.#numPartitions = numPartitions;
    this.#pivot = pivot;
  }

  /**
   * Pivots `column`: the aggregates then give one column per value of it (named by the value; `value_aggregate`
   * with several aggregates), each over the group's rows holding that value, null for a group with none (as
   * Spark's `pivot`). Given `values`, those columns in that order (others are ignored); without, a job first finds
   * the column's distinct values (at most 10,000, sorted, null first), so the call returns a promise.
   *
   * @example
   * ds.groupBy('year').pivot('course', ['dotNET', 'Java']).sum('earnings') // year, dotNET, Java
   * (await ds.groupBy('year').pivot('course')).agg(sum('earnings'), count())
   */
  pivot(column: string, values: readonly PivotValue[]): GroupedDataset;
  pivot(column: string): Promise<GroupedDataset>;
  pivot(column: string, values?: readonly PivotValue[]): GroupedDataset | Promise<GroupedDataset> {
    if (this.#pivot !== null) {
      throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `pivot(): already pivoted on '${this.#pivot.column}'`);
    }
    const pivoted = (found: readonly unknown[]) =>
      new GroupedDataset(this.#dataset, this.#keys, this.#numPartitions, pivotArg(column, found));
    if (values !== undefined) return pivoted(values);
    pivotArg(column, []);
    return distinctPivotValues(this.#dataset, column).then(pivoted);
  }

  /**
   * One row per distinct key: the key columns, each of its input type (an int32 key stays int32, as in Spark; int32
   * in some partitions and float64 in others, rows typed per partition, gives float64), then one column per aggregate.
   */
  agg(...aggregates: Aggregate[]): Dataset;
  /** Spark's dictionary form: `agg({ x: 'sum', y: 'avg' })`, columns `sum(x)`, `avg(y)`. */
  agg(byColumn: Readonly<Record<string, string>>): Dataset;
  agg(...args: Aggregate[] | [Readonly<Record<string, string>>]): Dataset {
    const aggregates = isAggregateObject(args) ? aggregatesOfObject(args[0]) : (args as Aggregate[]);
    if (this.#pivot !== null)
      return pivotAggregate(this.#dataset, this.#keys, aggregates, this.#numPartitions, this.#pivot);
    return this.#dataset.aggregate(this.#keys, aggregates, this.#numPartitions);
  }

  /** Rows per key, as a column `count`: `agg(count())`. */
  count(): Dataset {
    return this.agg(count());
  }
  /** `agg(sum(a), sum(b), …)`: columns `sum(a)`, `sum(b)`, … */
  sum(...columns: AggregateColumn[]): Dataset {
    return this.agg(...eachColumn('sum', columns, sum));
  }
  /** `agg(mean(a), …)`: columns `mean(a)`, … */
  mean(...columns: AggregateColumn[]): Dataset {
    return this.agg(...eachColumn('mean', columns, mean));
  }
  /** The mean under Spark's other name; its columns are named `avg(a)`, … as Spark names them. */
  avg(...columns: AggregateColumn[]): Dataset {
    return this.agg(
      ...eachColumn('avg', columns, (column) =>
        mean(aggregateColumnName('avg', column)).as(`avg(${aggregateColumnName('avg', column)})`),
      ),
    );
  }
  /** `agg(min(a), …)`: columns `min(a)`, … */
  min(...columns: AggregateColumn[]): Dataset {
    return this.agg(...eachColumn('min', columns, min));
  }
  /** `agg(max(a), …)`: columns `max(a)`, … */
  max(...columns: AggregateColumn[]): Dataset {
    return this.agg(...eachColumn('max', columns, max));
  }
}

/**
 * One aggregate per named column. Spark's shortcuts without columns take every numeric column; a dataset here does
 * not know its schema before it runs, so the columns must be named.
 */
function eachColumn(
  fn: string,
  columns: readonly AggregateColumn[],
  build: (column: AggregateColumn) => Aggregate,
): Aggregate[] {
  if (columns.length === 0) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `groupBy(...).${fn}(): expected at least one column name, e.g. groupBy('k').${fn}('v')`,
    );
  }
  // As Spark's `GroupedData` shortcuts, names only: an expression goes through `agg(sum(expr))`.
  for (const column of columns) {
    if (column instanceof ColumnExpression && column.expr.kind !== 'col') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `${fn}(): expected a column name or col(name), found ${column.name}: aggregate an expression with ` +
          `agg(${fn === 'avg' ? 'mean' : fn}(expr))`,
      );
    }
  }
  return columns.map(build);
}
