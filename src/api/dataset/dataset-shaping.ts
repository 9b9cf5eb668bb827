/**
 * The `Dataset` verbs that reshape rows with one operator each, without a shuffle: `withColumnRenamed`, `toDF`, `drop`,
 * `sample`, `dropna`, `fillna`. A base class of `Dataset` (over `DatasetInspection`), so that dataset.ts and
 * dataset-exchanges.ts keep to the verbs that plan stages and shuffles.
 */
import type { ColumnarOp } from '../../protocol/columnar.js';
import { toSortKeys, type SortKeyArgument } from '../planning/sort-keys.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { ContextInternals } from '../context/context-internals.js';
import { DatasetInspection } from './dataset-inspection.js';
import {
  dropNullsOp,
  fillNullsOp,
  replaceOp,
  type DropNullsOptions,
  type FillValue,
  type ReplaceValue,
} from './dataset-null-handling.js';
import { DatasetNaFunctions } from './dataset-na-functions.js';
import { DatasetStatFunctions } from './dataset-stat-functions.js';
import {
  dropOp,
  randomSplitOps,
  renameAllOp,
  renameOp,
  sampleOp,
  unpivotOp,
  type SampleOptions,
} from './dataset-reshape.js';
import type { Dataset } from './dataset.js';

export abstract class DatasetShaping extends DatasetInspection {
  /** @internal This dataset with `op` appended. */
  protected abstract withOp(op: ColumnarOp): Dataset;
  /** @internal The Context the dataset belongs to. */
  protected abstract context(): ContextInternals;

  /**
   * The same rows with column `from` named `to` (nothing changes when there is no `from`, as Spark).
   *
   * @example
   * ds.withColumnRenamed('count', 'n')
   */
  withColumnRenamed(from: string, to: string): Dataset {
    return this.withOp(renameOp(from, to));
  }

  /**
   * A hint to the planner, as Spark's `hint`: `'broadcast'` (or Spark's `'broadcastjoin'`, `'mapjoin'`) makes a join
   * that reads this dataset broadcast it (gather it once and join it in every task of the other side) whatever its
   * estimated size and the context's `broadcastJoinBytesMax`, where the join type allows (the right side of inner,
   * left, semi and anti joins, the left of inner and right joins). WARNING: the whole dataset is then held in memory
   * in every task of the other side.
   *
   * @example
   * events.join(users.filter(col('country').eq('FR')).hint('broadcast'), 'userId')
   */
  hint(name: 'broadcast' | 'broadcastjoin' | 'mapjoin'): Dataset {
    if (name !== 'broadcast' && name !== 'broadcastjoin' && name !== 'mapjoin') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `hint(): expected 'broadcast' (or 'broadcastjoin', 'mapjoin'), found ${describeValue(name)}`,
      );
    }
    return this.withOp({ kind: 'hint', name: 'broadcast' });
  }

  /**
   * Each partition's rows sorted by the keys, without a shuffle (Spark's `sortWithinPartitions`; keys as
   * `orderBy`'s): partitions keep their rows, e.g. to write each file sorted.
   *
   * @example
   * ds.repartition(8, 'day').sortWithinPartitions('day', col('amount').desc()).write.csv('out/by-day')
   */
  sortWithinPartitions(...keys: SortKeyArgument[]): Dataset {
    if (keys.length === 0) {
      throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'sortWithinPartitions(): expected at least one key');
    }
    return this.withOp({ kind: 'sort', keys: toSortKeys(keys, 'sortWithinPartitions()') });
  }

  /**
   * Each row as one row per column of `values` (Spark's `unpivot`, Polars' `melt`): the `ids` columns, then
   * `variableColumnName` holding the value column's name and `valueColumnName` its value. The value columns must
   * share a type (numbers of different types widen, to float64 where a batch mixes them); other columns are dropped.
   * Rows come out in input order, each row's values in `values` order. One pass, no shuffle.
   *
   * @example
   * sales.unpivot('store', ['q1', 'q2', 'q3', 'q4'], 'quarter', 'amount')
   */
  unpivot(
    ids: string | readonly string[],
    values: string | readonly string[],
    variableColumnName: string,
    valueColumnName: string,
  ): Dataset {
    return this.withOp(unpivotOp(ids, values, variableColumnName, valueColumnName));
  }

  /** Same as `unpivot` (Spark's and Polars' other name). @example ds.melt('id', ['a', 'b'], 'key', 'v') */
  melt(
    ids: string | readonly string[],
    values: string | readonly string[],
    variableColumnName: string,
    valueColumnName: string,
  ): Dataset {
    return this.unpivot(ids, values, variableColumnName, valueColumnName);
  }

  /**
   * The same rows with each column named by a key of `renames` named by its value, all at once (Spark's
   * `withColumnsRenamed`: `{ a: 'b', b: 'a' }` swaps); names that are not columns are ignored.
   *
   * @example
   * ds.withColumnsRenamed({ _c0: 'id', _c1: 'name' })
   */
  withColumnsRenamed(renames: Readonly<Record<string, string>>): Dataset {
    if (typeof renames !== 'object' || renames === null || Array.isArray(renames)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `withColumnsRenamed(): expected an object of { existing: 'new' } names, found ${describeValue(renames)}`,
      );
    }
    const entries = Object.entries(renames);
    // Through temporary names, so that a name given away and taken in the same call is not renamed twice.
    const temporary = (i: number) => `__kindling_renamed_${i}`;
    const ops = [
      ...entries.map(([from], i) => renameOp(from, temporary(i))),
      ...entries.map(([, to], i) => renameOp(temporary(i), to)),
    ];
    return ops.reduce<DatasetShaping>((ds, op) => ds.withOp(op), this) as Dataset;
  }

  /**
   * Splits the rows at random into datasets of sizes about proportional to `weights` (normalized), disjoint and
   * together holding every row once, as Spark's `randomSplit`: each row draws one number from a generator seeded
   * by (seed, partition), and each split keeps the rows whose draw falls in its share of [0, 1). WARNING: each
   * split computes the dataset again, so its rows must come out in the same partitions and order every time (true
   * of a plan without `repartition`); `cache()` it first otherwise, or to read it once.
   *
   * @example
   * const [train, test] = ds.cache().randomSplit([0.8, 0.2], 42);
   */
  randomSplit(weights: readonly number[], seed?: number): Dataset[] {
    return randomSplitOps(this.context(), weights, seed).map((op) => this.withOp(op));
  }

  /**
   * The same rows with the columns renamed by position, as Spark's `toDF(...names)`: one name per column (a
   * dataset's columns are known only once it runs, so another count fails the job, naming both).
   *
   * @example
   * kc.readCsv('data.csv').toDF('id', 'name', 'score') // instead of _c0, _c1, _c2
   */
  toDF(...names: string[]): Dataset {
    return this.withOp(renameAllOp(names));
  }

  /**
   * Every column but `names` (names that are not columns are ignored, as Spark).
   *
   * @example
   * ds.drop('tmp', 'debug')
   */
  drop(...names: string[]): Dataset {
    return this.withOp(dropOp(names));
  }

  /**
   * About `fraction` of the rows, each kept with that probability (or, `withReplacement`, drawn a Poisson(fraction)
   * number of times). Deterministic for a seed and partitioning: partition p draws from (seed, p), the same
   * sequence as the RDD `sample`.
   *
   * @example
   * ds.sample(0.1, { seed: 42 })
   */
  sample(fraction: number, options: SampleOptions = {}): Dataset {
    return this.withOp(sampleOp(this.context(), fraction, options));
  }

  /**
   * Drops rows with missing values (null, or NaN in float64 columns, as Spark's `na.drop`): by default a row with
   * any missing value; `{ how: 'all' }` only a row with no value; `{ thresh: n }` keeps rows with at least n values;
   * `subset` limits the columns looked at.
   * @example ds.dropna({ subset: ['price', 'qty'] })
   */
  dropna(options: DropNullsOptions = {}): Dataset {
    return this.withOp(dropNullsOp(options));
  }

  /**
   * Values replaced, as Spark's `replace` / `na.replace`: `replace('N/A', null)`, `replace(['a', 'b'], ['x', 'y'])`,
   * `replace([0, -1], null, ['score'])`, or `replace({ yes: 'Y', no: 'N' })` (strings); in `subset`, or else in every
   * column whose type takes the values (strings: string columns; numbers: number columns, a replacement cast to
   * the column's type; booleans: bool columns). Values and replacements are of one kind; a replacement may be null.
   *
   * @example
   * ds.replace(['', 'N/A'], null, ['city'])
   */
  replace(
    toReplace: ReplaceValue | readonly ReplaceValue[] | Readonly<Record<string, string | null>>,
    value?: ReplaceValue | null | readonly (ReplaceValue | null)[] | readonly string[],
    subset?: readonly string[],
  ): Dataset {
    // The object form takes the subset second, as PySpark's `replace(dict, subset=…)`.
    const isObject = typeof toReplace === 'object' && toReplace !== null && !Array.isArray(toReplace);
    return this.withOp(isObject ? replaceOp(toReplace, undefined, value) : replaceOp(toReplace, value, subset));
  }

  /**
   * The statistics as Spark's `df.stat`: `stat.corr(a, b)`, `stat.cov(a, b)`, `stat.crosstab(a, b)`,
   * `stat.approxQuantile(c, probabilities, relativeError)` (each runs its job now).
   * @example await ds.stat.corr('x', 'y')
   */
  get stat(): DatasetStatFunctions {
    return new DatasetStatFunctions(this as unknown as Dataset);
  }

  /** The missing-value verbs as Spark's `df.na`: `na.fill`, `na.drop`, `na.replace`. @example ds.na.fill(0) */
  get na(): DatasetNaFunctions {
    return new DatasetNaFunctions(this as unknown as Dataset);
  }

  /**
   * Replaces missing values (as Spark's `na.fill`): `fillna(0)` fills every int32, int64 and float64 column (NaN
   * too), `fillna('n/a')` every string column, `fillna(false)` every boolean column, each only in `subset` when
   * given; `fillna({ city: 'unknown', temp: 0 })` fills those columns, each of which must take its value.
   * @example ds.fillna({ city: 'unknown' })
   */
  fillna(value: FillValue | Readonly<Record<string, FillValue>>, subset?: readonly string[]): Dataset {
    return this.withOp(fillNullsOp(value, subset));
  }
}
