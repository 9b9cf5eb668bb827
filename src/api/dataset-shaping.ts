/**
 * The `Dataset` verbs that reshape rows with one operator each, without a shuffle: `withColumnRenamed`, `toDF`, `drop`,
 * `sample`, `dropna`, `fillna`. A base class of `Dataset` (over `DatasetInspection`), so that dataset.ts keeps to
 * the verbs that plan stages and shuffles.
 */
import type { ColumnarOp } from '../protocol/columnar.js';
import type { ContextInternals } from './context-internals.js';
import { DatasetInspection } from './dataset-inspection.js';
import { dropNullsOp, fillNullsOp, type DropNullsOptions, type FillValue } from './dataset-null-handling.js';
import { dropOp, renameAllOp, renameOp, sampleOp, type SampleOptions } from './dataset-reshape.js';
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
   * Replaces missing values (as Spark's `na.fill`): `fillna(0)` fills every int32, int64 and float64 column (NaN
   * too), `fillna('n/a')` every string column, `fillna(false)` every boolean column, each only in `subset` when
   * given; `fillna({ city: 'unknown', temp: 0 })` fills those columns, each of which must take its value.
   * @example ds.fillna({ city: 'unknown' })
   */
  fillna(value: FillValue | Readonly<Record<string, FillValue>>, subset?: readonly string[]): Dataset {
    return this.withOp(fillNullsOp(value, subset));
  }
}
