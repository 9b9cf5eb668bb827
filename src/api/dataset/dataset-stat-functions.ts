/**
 * `ds.stat`, Spark's `DataFrameStatFunctions` (PySpark also has them on the DataFrame): `corr`, `cov`, `crosstab`
 * and `approxQuantile`, each one aggregation job over the dataset (a crosstab two: its pivot values first).
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { count, type Aggregate } from '../functions/dataset-aggregates.js';
import { coalesce } from '../functions/dataset-conditionals.js';
import { col, lit } from '../functions/dataset-expressions.js';
import { corr, quantile, stddev } from '../functions/dataset-statistics.js';
import type { Row } from './dataset-types.js';
import type { Dataset } from './dataset.js';

/**
 * The statistics of a dataset, as Spark's `df.stat`.
 *
 * @example
 * const r = await trips.stat.corr('distance', 'fare');
 */
export class DatasetStatFunctions {
  readonly #dataset: Dataset;

  /** @internal Made by `ds.stat`. */
  constructor(dataset: Dataset) {
    this.#dataset = dataset;
  }

  /**
   * The Pearson correlation of two number columns over the rows where both are set (Spark's `corr`); null when
   * either is constant or fewer than two rows count.
   */
  async corr(column1: string, column2: string, method = 'pearson'): Promise<number | null> {
    if (method !== 'pearson') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `corr(): only the 'pearson' method, found ${describeValue(method)}`,
      );
    }
    return (await this.#one(corr(column1, column2).as('r')))['r'] as number | null;
  }

  /**
   * The sample covariance of two number columns over the rows where both are set (Spark's `cov`): corr × the two
   * sample standard deviations over those rows (0 when either is constant); null for fewer than two rows.
   */
  async cov(column1: string, column2: string): Promise<number | null> {
    const both = this.#dataset.filter(col(column1).isNotNull().and(col(column2).isNotNull()));
    const [row] = await both
      .agg(count().as('n'), corr(column1, column2).as('r'), stddev(column1).as('s1'), stddev(column2).as('s2'))
      .collect();
    const { n, r, s1, s2 } = row as { n: number; r: number | null; s1: number | null; s2: number | null };
    if (n < 2 || s1 === null || s2 === null) return null;
    return s1 === 0 || s2 === 0 ? 0 : (r ?? 0) * s1 * s2;
  }

  /**
   * The contingency table of two columns (Spark's `crosstab`): a first column `column1_column2` holding each
   * distinct value of `column1` as a string (`'null'` for null), then one column per distinct value of `column2`
   * (sorted, null first, named by the value) counting the rows of that pair, 0 for none.
   *
   * @example
   * (await ds.stat.crosstab('city', 'weather')).show();
   */
  async crosstab(column1: string, column2: string): Promise<Dataset> {
    const first = `${column1}_${column2}`;
    const keyed = this.#dataset.withColumn(first, coalesce(col(column1).cast('string'), lit('null')));
    const counted = (await keyed.groupBy(first).pivot(column2)).count();
    return counted.fillna(0);
  }

  /**
   * Quantiles of number columns (Spark's `approxQuantile`): per column, the value at each probability of
   * `probabilities` (nulls skipped). Computed exactly and interpolated between neighbours (`quantile`), which any
   * `relativeError` allows; null for a column of no values. One column gives a list, several a list per column.
   *
   * @example
   * const [q1, median, q3] = await ds.stat.approxQuantile('latencyMs', [0.25, 0.5, 0.75], 0.01);
   */
  async approxQuantile(
    column: string,
    probabilities: readonly number[],
    relativeError: number,
  ): Promise<(number | null)[]>;
  async approxQuantile(
    columns: readonly string[],
    probabilities: readonly number[],
    relativeError: number,
  ): Promise<(number | null)[][]>;
  async approxQuantile(
    columns: string | readonly string[],
    probabilities: readonly number[],
    relativeError: number,
  ): Promise<(number | null)[] | (number | null)[][]> {
    if (typeof relativeError !== 'number' || !(relativeError >= 0)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `approxQuantile(): relativeError must be a number >= 0, found ${describeValue(relativeError)}`,
      );
    }
    if (!Array.isArray(probabilities) || probabilities.length === 0) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `approxQuantile(): expected a non-empty array of probabilities, found ${describeValue(probabilities)}`,
      );
    }
    const names = typeof columns === 'string' ? [columns] : [...columns];
    const aggregates = names.flatMap((c, i) => probabilities.map((p, j) => quantile(c, p).as(`q${i}_${j}`)));
    const row = await this.#one(...aggregates);
    const values = names.map((_, i) => probabilities.map((_, j) => row[`q${i}_${j}`] as number | null));
    return typeof columns === 'string' ? values[0]! : values;
  }

  /** The one row of a global aggregation. */
  async #one(...aggregates: Aggregate[]): Promise<Row> {
    const [row] = await this.#dataset.agg(...aggregates).collect();
    return row!;
  }
}
