/**
 * The `Dataset` verbs whose plan moves rows between partitions by their values (Spark's exchanges): `groupBy` /
 * `agg`, `join`, `distinct` / `dropDuplicates`, `repartition`, `orderBy`. A base class of `Dataset` (over
 * `DatasetComposed`), so that dataset.ts keeps to the dataset's state, the operators of one stage and the actions.
 */
import type { JoinType } from '../../protocol/columnar.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { Aggregate } from '../functions/dataset-aggregates.js';
import { groupByArguments, type GroupByOptions } from './dataset-arguments.js';
import { GroupedDataset } from './grouped-dataset.js';
import { aggregatesOfObject, isAggregateObject } from '../functions/dataset-aggregate-names.js';
import { DatasetComposed } from './dataset-composed.js';
import { planAggregate, planDropDuplicates, planRepartition } from '../planning/dataset-grouping.js';
import { planJoin, type JoinOn } from '../planning/dataset-join.js';
import { planOrderBy } from '../planning/dataset-ordering.js';
import type { ColumnExpression } from '../functions/dataset-expressions.js';
import type { SortKeyArgument } from '../planning/sort-keys.js';
import type { Dataset } from './dataset.js';

export abstract class DatasetExchanges extends DatasetComposed {
  /**
   * Groups rows by the key columns, for `agg` (no key: one group of every row): names, or expressions computed
   * first and named by their alias or text, as Spark's. The last argument may be `{ numPartitions }`.
   *
   * @example
   * ds.groupBy('word').agg(count())
   * ds.groupBy(year(col('day')).as('year'), 'city').count()
   */
  groupBy(...keys: (string | ColumnExpression | GroupByOptions)[]): GroupedDataset {
    const grouping = groupByArguments(keys, this.context().options.defaultParallelism);
    // Every instance of this base class is a `Dataset` (`withOp` is read through this class's view of it).
    const input = grouping.computed.reduce<DatasetExchanges>(
      (ds, column) => ds.withOp({ kind: 'with-column', column }),
      this,
    ) as Dataset;
    return new GroupedDataset(input, grouping.keys, grouping.numPartitions);
  }

  /** @internal The grouped aggregation: partial aggregates map-side, a hash shuffle, merge reduce-side. */
  aggregate(keys: readonly string[], aggregates: readonly Aggregate[], numPartitions: number): Dataset {
    return planAggregate(this.parts(), keys, aggregates, numPartitions);
  }

  /**
   * Aggregates over every row: one row with one column per aggregate (`count()` of no rows is 0, the others null),
   * as Spark's `df.agg(...)`.
   *
   * @example
   * await ds.agg(count(), mean('x'), quantile('x', 0.9)).collect()
   */
  agg(...aggregates: Aggregate[]): Dataset;
  /** Spark's dictionary form: `agg({ x: 'sum', y: 'max' })`, columns `sum(x)`, `max(y)`. */
  agg(byColumn: Readonly<Record<string, string>>): Dataset;
  agg(...args: Aggregate[] | [Readonly<Record<string, string>>]): Dataset {
    return this.aggregate([], isAggregateObject(args) ? aggregatesOfObject(args[0]) : (args as Aggregate[]), 1);
  }

  /**
   * Joins with `other` on key columns of the same name in both (`on`: one name or several), as Spark's
   * `join(other, usingColumns, how)`, or on columns named differently, `{ leftOn, rightOn }` (Polars' names; Spark's
   * `a.id == b.userId`): `inner` (default), `left`, `right`, `full`, `semi`, `anti`, or `cross` (every pair; no
   * `on`). The keys appear once in the output (with the left's names), then the left's other columns, then the
   * right's. Null keys
   * never match. When one side is estimated under the context's `broadcastJoinBytesMax` (a source's size, before
   * filters), it is gathered and joined in every task of the other side (a broadcast hash join); otherwise both
   * sides are hash-partitioned by the keys into `numPartitions` (a shuffled hash join). `explain()` says which.
   * A shuffled join task whose build side is over the context's `joinBuildBytesMax` joins in buckets of spill files.
   *
   * @example
   * orders.join(customers, 'customerId', 'left')
   */
  join(other: Dataset, on?: JoinOn, how: JoinType = 'inner', options: GroupByOptions = {}): Dataset {
    if (!(other instanceof DatasetExchanges)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `join(): expected a Dataset to join with, found ${describeValue(other)}`,
      );
    }
    return planJoin(this.parts(), (other as DatasetExchanges).parts(), on, how, options.numPartitions);
  }

  /**
   * The distinct rows (SQL `DISTINCT`: nulls equal nulls): each map task drops its own duplicates, rows are
   * hash-partitioned by their values, and each reduce task drops the rest. Which of equal rows survives is the first
   * one met.
   *
   * @example
   * ds.select('city').distinct()
   */
  distinct(options: GroupByOptions = {}): Dataset {
    return this.dropDuplicates([], options);
  }

  /**
   * One row per distinct tuple of `columns` (all columns when empty), with the other columns of the first such row
   * met (Spark's `dropDuplicates`; which row is first depends on partitioning, as in Spark).
   *
   * @example
   * events.dropDuplicates(['user', 'day'])
   */
  dropDuplicates(columns: readonly string[] = [], options: GroupByOptions = {}): Dataset {
    return planDropDuplicates(this.parts(), columns, options);
  }

  /**
   * The same rows in `numPartitions` partitions (default: the Context's parallelism) through a shuffle, by a hash of
   * `columns` (rows of equal values together) or of every column when none is named.
   *
   * @example
   * kc.readCsv('big.csv', { header: true }).repartition(16, 'customer')
   */
  repartition(numPartitions?: number | string, ...columns: string[]): Dataset {
    if (typeof numPartitions === 'string') return this.repartition(undefined, numPartitions, ...columns);
    const n = numPartitions ?? this.context().options.defaultParallelism;
    return planRepartition(this.parts(), n, columns);
  }

  /**
   * Rows sorted by the keys (names sort ascending; `col(x).desc()` descending). Numbers sort numerically, strings
   * by UTF-16 code units (JS `<`); nulls first when ascending and last when descending, unless a key says
   * otherwise (`col(x).ascNullsLast()`, `descNullsFirst()` …). Sorts in parallel, as `sortByKey`: a job samples
   * the keys, rows are range-partitioned on bounds drawn from the sample, and each partition sorts its range (equal
   * keys keep their input order). Followed by `limit(n)`, each task keeps only its own top n (no full sort).
   *
   * @example
   * counts.orderBy(col('count').desc(), 'word')
   */
  orderBy(...keys: SortKeyArgument[]): Dataset {
    return planOrderBy(() => this.parts(), keys);
  }
}
