/**
 * The `Dataset` verbs a Spark user reaches for that are made of other verbs: `toLocalIterator`, `foreach`,
 * `foreachPartition`, `where`, `sort`, `union` / `unionByName` / `unionAll`, `transform`, `withColumns`, `crossJoin`,
 * the set operations `intersect`, `intersectAll`, `subtract`, `exceptAll` (`planning/dataset-set-operations.ts`), and
 * `describe` / `summary` (`dataset-describe.ts`). A base class of `Dataset` (over `DatasetShaping`), so that
 * dataset.ts and dataset-exchanges.ts keep to the verbs that plan stages and shuffles.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import type { JoinType, SetOperation } from '../../protocol/columnar.js';
import type { GroupByOptions } from './dataset-arguments.js';
import type { Aggregate } from '../functions/dataset-aggregates.js';
import {
  asStrings,
  describeColumns,
  DESCRIBE_STATISTICS,
  SUMMARY_DEFAULT,
  type Described,
  type DescribeColumns,
} from './dataset-describe.js';
import { columnsSource } from '../sources/dataset-sources.js';
import { col, lit, type ColumnExpression } from '../functions/dataset-expressions.js';
import type { DatasetParts, JoinOn } from '../planning/dataset-join.js';
import { planSetOperation, SET_SIDE_COLUMN } from '../planning/dataset-set-operations.js';
import { DatasetShaping } from './dataset-shaping.js';
import { planUnion, type UnionByNameOptions } from '../planning/dataset-union.js';
import type { WindowExpression } from '../functions/dataset-window.js';
import type { SortKeyArgument } from '../planning/sort-keys.js';
import type { Dataset } from './dataset.js';
import type { Row } from './dataset-types.js';
import type { Captures } from '../context/context-internals.js';
import type { Fn } from '../rdd/rdd-types.js';
import type { RDD } from '../rdd/rdd.js';

/** Temporary names of `withColumns`' values, so that every value reads the input's columns (as Spark's). */
const WITH_COLUMNS_TEMPORARY = '__kindling_with_columns_';

const SET_OPERATION_OPTIONS = optionNames<GroupByOptions>({ numPartitions: true });

export abstract class DatasetComposed extends DatasetShaping {
  /** @internal What the verbs that live in other files need of this dataset (see `DatasetParts`). */
  protected abstract parts(): DatasetParts;
  abstract withColumn(name: string, expr: ColumnExpression | WindowExpression): Dataset;
  abstract filter(predicate: ColumnExpression): Dataset;
  abstract select(...columns: (string | ColumnExpression)[]): Dataset;
  abstract agg(...aggregates: Aggregate[]): Dataset;
  abstract toRDD(): RDD<Row>;
  abstract orderBy(...keys: SortKeyArgument[]): Dataset;
  abstract join(other: Dataset, on?: JoinOn, how?: JoinType, options?: GroupByOptions): Dataset;

  /**
   * Same as `filter` (Spark's other name).
   *
   * @example
   * ds.where(col('age').ge(18))
   */
  where(predicate: ColumnExpression): Dataset {
    return this.filter(predicate);
  }

  /**
   * The rows as plain objects, one partition's job at a time as the iteration reaches it (Spark's
   * `toLocalIterator`): at most one partition's rows in the driver at once.
   *
   * @example
   * for await (const row of ds.toLocalIterator()) console.log(row);
   */
  toLocalIterator(): AsyncGenerator<Row, void, undefined> {
    return this.toRDD().toLocalIterator();
  }

  /** Runs `fn` on every row (a plain object), in the worker threads, as the RDD `foreach` (captures alike). */
  foreach(fn: Fn<[Row], unknown>, captures?: Captures): Promise<void> {
    return this.toRDD().foreach(fn, captures);
  }

  /** Runs `fn` on every partition's rows (an iterable of plain objects), in the worker threads. */
  foreachPartition(fn: Fn<[Iterable<Row>], unknown>, captures?: Captures): Promise<void> {
    return this.toRDD().foreachPartition(fn, captures);
  }

  /** Same as `orderBy` (Spark's other name). @example ds.sort(col('n').desc()) */
  sort(...keys: SortKeyArgument[]): Dataset {
    return this.orderBy(...keys);
  }

  /**
   * The rows of both datasets (SQL `UNION ALL`; `.distinct()` after it for `UNION`), columns matched by position
   * and named as this dataset's. Numbers of different types widen (int32 < int64 < float64); other type differences
   * and different column counts are a `PlanError`, found when a job first reads the union (schemas are learned by a
   * probe of at most one row per side, partition 0 first).
   *
   * @example
   * january.union(february)
   */
  union(other: Dataset): Dataset {
    return planUnion(this.parts(), sideArg(other, 'union()').parts(), false);
  }

  /**
   * As `union`, with columns matched by name (in this dataset's order). With `allowMissingColumns`, a column of one
   * side only is null in the other's rows and comes after this dataset's columns (as Spark).
   *
   * @example
   * a.unionByName(b, { allowMissingColumns: true })
   */
  unionByName(other: Dataset, options: UnionByNameOptions = {}): Dataset {
    return planUnion(this.parts(), sideArg(other, 'unionByName()').parts(), true, options);
  }

  /** Same as `union` (Spark's older name: rows of both, duplicates kept). @example a.unionAll(b) */
  unionAll(other: Dataset): Dataset {
    return this.union(other);
  }

  /**
   * `fn(this)`: a chain of verbs written as a function, applied in the chain, as Spark's `transform`.
   *
   * @example
   * const cleaned = (ds: Dataset) => ds.dropna().withColumn('city', upper(col('city')));
   * ds.transform(cleaned).groupBy('city').count()
   */
  transform(fn: (dataset: Dataset) => Dataset): Dataset {
    if (typeof fn !== 'function') {
      throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `transform(): expected a function, found ${describeValue(fn)}`);
    }
    return fn(this.#self());
  }

  /**
   * Every column plus one per entry of `columns` (replacing a column of that name in place, else appended in the
   * object's order), as Spark's `withColumns(map)`: every value is computed from this dataset's columns, so
   * `withColumns({ a: col('b'), b: col('a') })` swaps them (where a chain of `withColumn` would not).
   *
   * @example
   * ds.withColumns({ total: col('price').mul(col('qty')), city: upper(col('city')) })
   */
  withColumns(columns: Readonly<Record<string, ColumnExpression | WindowExpression>>): Dataset {
    if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `withColumns(): expected an object of { name: expression }, found ${describeValue(columns)}`,
      );
    }
    const entries = Object.entries(columns);
    if (entries.length === 0) return this.#self();
    if (entries.length === 1) return this.withColumn(entries[0]![0], entries[0]![1]);
    // Each value into a temporary column first, then each name takes its temporary (in place, or appended).
    let out = entries.reduce<Dataset>(
      (ds, [, expr], i) => ds.withColumn(`${WITH_COLUMNS_TEMPORARY}${i}`, expr),
      this.#self(),
    );
    out = entries.reduce((ds, [name], i) => ds.withColumn(name, col(`${WITH_COLUMNS_TEMPORARY}${i}`)), out);
    return out.drop(...entries.map((_, i) => `${WITH_COLUMNS_TEMPORARY}${i}`));
  }

  /**
   * Every pair of a row of this dataset and a row of `other` (the cartesian product): `join(other, undefined,
   * 'cross')`. Column names must differ between the sides (rename one first). WARNING: the answer has the product
   * of both row counts; one side is held in memory in every task.
   *
   * @example
   * sizes.crossJoin(colors)
   */
  crossJoin(other: Dataset): Dataset {
    return this.join(sideArg(other, 'crossJoin()') as Dataset, undefined, 'cross');
  }

  /**
   * The distinct rows that are in both datasets (SQL `INTERSECT`, Spark's `intersect`): columns matched by
   * position and named as this dataset's, numbers widened and other type differences refused as by `union`; nulls
   * equal nulls. Both sides are hash-partitioned by every column (`numPartitions`, default the Context's
   * parallelism); each task holds its partition's rows.
   *
   * @example
   * visitorsMonday.intersect(visitorsTuesday)
   */
  intersect(other: Dataset, options: GroupByOptions = {}): Dataset {
    return this.#setOperation(other, 'intersect', 'intersect()', options);
  }

  /**
   * The rows in both datasets, each as many times as it is in both (SQL `INTERSECT ALL`): min(l, r) copies of a
   * row that this dataset has l times and `other` r times. See `intersect`.
   *
   * @example
   * basket.intersectAll(stock)
   */
  intersectAll(other: Dataset, options: GroupByOptions = {}): Dataset {
    return this.#setOperation(other, 'intersect-all', 'intersectAll()', options);
  }

  /**
   * The distinct rows of this dataset that are not in `other` (SQL `EXCEPT`, Spark's `subtract`; nulls equal
   * nulls). See `intersect`.
   *
   * @example
   * allUsers.select('id').subtract(activeUsers.select('id'))
   */
  subtract(other: Dataset, options: GroupByOptions = {}): Dataset {
    return this.#setOperation(other, 'except', 'subtract()', options);
  }

  /**
   * The rows of this dataset less those of `other`, counting copies (SQL `EXCEPT ALL`, Spark's `exceptAll`):
   * max(0, l − r) copies of a row that this dataset has l times and `other` r times. See `intersect`.
   *
   * @example
   * expected.exceptAll(actual) // what is missing, duplicates included
   */
  exceptAll(other: Dataset, options: GroupByOptions = {}): Dataset {
    return this.#setOperation(other, 'except-all', 'exceptAll()', options);
  }

  /**
   * Statistics of `columns` (every number and string column when none is named), as Spark's `describe`: a small
   * dataset with a `summary` column (`count`, `mean`, `stddev`, `min`, `max`) and one string column per described
   * column, values as `cast('string')` writes them. Means and standard deviations (sample, n − 1) are of number
   * columns only; `min` / `max` also of strings (UTF-16 order, as `orderBy`), dates and timestamps. One aggregation
   * job computes it all, after the schema is learned (`schema()`). WARNING: unlike Spark's, it runs now: await it,
   * then `show()` the answer.
   *
   * @example
   * (await trips.describe('fare', 'city')).show();
   */
  async describe(...columns: string[]): Promise<Dataset> {
    return this.#summaryDataset(await describeColumns(this.#described(), columns, DESCRIBE_STATISTICS, 'describe()'));
  }

  /**
   * As `describe()` over every number and string column, with Spark's `summary` statistics: by default `count`,
   * `mean`, `stddev`, `min`, `25%`, `50%`, `75%`, `max`; any of those, other percentiles (`'90%'`), `count_distinct`
   * and `approx_count_distinct` (computed exactly) may be named instead. Percentiles are exact and interpolated
   * (`quantile`), where Spark's are approximate values of the column. `select` first to summarize fewer columns.
   *
   * @example
   * (await ds.summary('count', 'min', '90%', 'max')).show();
   */
  async summary(...statistics: string[]): Promise<Dataset> {
    const chosen = statistics.length === 0 ? SUMMARY_DEFAULT : statistics;
    return this.#summaryDataset(await describeColumns(this.#described(), [], chosen, 'summary()'));
  }

  #described(): Described {
    return {
      schema: () => this.schema(),
      aggregatedAsStrings: async (aggregates) => {
        const [row] = await this.agg(...aggregates)
          .select(...asStrings(aggregates))
          .collect();
        return row ?? {};
      },
    };
  }

  /** The answer as a dataset of one partition, every column a string column (those of only nulls too). */
  #summaryDataset(columns: DescribeColumns): Dataset {
    const parts = this.parts();
    const ds = parts.over(columnsSource(parts.context, columns, { numPartitions: 1 }), []);
    const allNull = Object.keys(columns).filter((name) => columns[name]!.every((v) => v === null));
    return allNull.reduce((out, name) => out.withColumn(name, col(name).cast('string')), ds);
  }

  /** This dataset as the `Dataset` it is (every instance of this base class is one). */
  #self(): Dataset {
    return this as unknown as Dataset;
  }

  #setOperation(other: Dataset, how: SetOperation, where: string, options: GroupByOptions): Dataset {
    const right = sideArg(other, where) as Dataset;
    const side = (ds: Dataset, value: number) => ds.withColumn(SET_SIDE_COLUMN, lit(value).cast('int32'));
    refuseUnknownOptions(where, options, SET_OPERATION_OPTIONS);
    const parts = (ds: DatasetComposed) => ds.parts();
    const verb = { where, hidden: SET_SIDE_COLUMN };
    const tagged = planUnion(parts(side(this.#self(), 0)), parts(side(right, 1)), false, {}, verb);
    return planSetOperation(parts(tagged), how, where, options.numPartitions);
  }
}

function sideArg(value: unknown, where: string): DatasetComposed {
  if (value instanceof DatasetComposed) return value;
  throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `${where}: expected a Dataset, found ${describeValue(value)}`);
}
