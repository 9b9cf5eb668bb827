/**
 * `ds.na`, Spark's `DataFrameNaFunctions`: `na.fill`, `na.drop` and `na.replace`, the same verbs as the dataset's
 * `fillna`, `dropna` and `replace` (PySpark has both spellings).
 */
import type { DropNullsOptions, FillValue, ReplaceValue } from './dataset-null-handling.js';
import type { Dataset } from './dataset.js';

/**
 * The missing-value verbs of a dataset, as Spark's `df.na`.
 *
 * @example
 * ds.na.fill(0).na.drop({ subset: ['city'] }).na.replace('N/A', null, ['city'])
 */
export class DatasetNaFunctions {
  readonly #dataset: Dataset;

  /** @internal Made by `ds.na`. */
  constructor(dataset: Dataset) {
    this.#dataset = dataset;
  }

  /** `ds.fillna(value, subset)`. */
  fill(value: FillValue | Readonly<Record<string, FillValue>>, subset?: readonly string[]): Dataset {
    return this.#dataset.fillna(value, subset);
  }

  /** `ds.dropna(options)`. */
  drop(options: DropNullsOptions = {}): Dataset {
    return this.#dataset.dropna(options);
  }

  /** `ds.replace(toReplace, value, subset)`. */
  replace(
    toReplace: ReplaceValue | readonly ReplaceValue[] | Readonly<Record<string, string | null>>,
    value?: ReplaceValue | null | readonly (ReplaceValue | null)[],
    subset?: readonly string[],
  ): Dataset {
    return this.#dataset.replace(toReplace, value, subset);
  }
}
