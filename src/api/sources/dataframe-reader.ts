/**
 * `kc.read`: Spark's `DataFrameReader`, one method per format. Paths are files, directories or globs (a list of
 * them too); a directory is read with its Hive-style `key=value` subfolders, whose values become columns after the
 * file's own (typed int, bigint, double, date or string, as Spark infers them; `__HIVE_DEFAULT_PARTITION__` is null).
 */
import type { PlanNode } from '../../plan/plan-node.js';
import type { ContextInternals } from '../context/context-internals.js';
import { arrowFilesSource } from './arrow-files-source.js';
import { csvSource, jsonSource, type CsvReadOptions, type JsonReadOptions } from './dataset-readers.js';
import type { Dataset } from '../dataset/dataset.js';
import { parquetSource, type ParquetReadOptions } from './parquet-source.js';

/**
 * The readers of columnar datasets, as `kc.read` returns them.
 *
 * @example
 * const sales = kc.read.parquet('warehouse/sales/');          // with year=…/month=… folders as columns
 * const trips = kc.read.csv('trips/*.csv', { header: true, inferSchema: true });
 */
export class DataFrameReader {
  readonly #context: ContextInternals;
  readonly #columnar: (node: PlanNode) => Dataset;

  /** @internal Made by `kc.read`. */
  constructor(context: ContextInternals, columnar: (node: PlanNode) => Dataset) {
    this.#context = context;
    this.#columnar = columnar;
  }

  /**
   * CSV files, as Spark's `spark.read.csv`: RFC 4180 records, `header`, types given (`schema`) or inferred
   * (`inferSchema`), malformed records handled by `mode` (see `CsvReadOptions`).
   *
   * @example
   * kc.read.csv('trips/', { header: true, inferSchema: true }).groupBy('city').agg(count())
   */
  csv(paths: string | readonly string[], options: CsvReadOptions = {}): Dataset {
    return this.#columnar(csvSource(this.#context, list(paths), options));
  }

  /**
   * JSON-lines files (one object per line): fields by name, types given (`schema`) or inferred from the first
   * objects (see `JsonReadOptions`).
   *
   * @example
   * kc.read.jsonl('events/', { schema: { user: 'string', at: 'timestamp' } })
   */
  jsonl(paths: string | readonly string[], options: JsonReadOptions = {}): Dataset {
    return this.#columnar(jsonSource(this.#context, list(paths), options));
  }

  /** `jsonl` (Spark's `read.json` reads JSON lines too). */
  json(paths: string | readonly string[], options: JsonReadOptions = {}): Dataset {
    return this.jsonl(paths, options);
  }

  /**
   * Parquet files (hyparquet decodes them): one task per group of consecutive row groups (by bytes, see
   * `ParquetReadOptions`), only the columns the query reads decoded, and row groups whose min/max statistics (or
   * partition values) rule out the query's first filters skipped unread; `explain()` shows both. Types: booleans,
   * 8–32-bit integers → int32; 64-bit and unsigned 32-bit → int64; float, double → float64; decimal → float64
   * (the double nearest each exact decimal); strings; dates; timestamps (ms, µs; ns cut to µs; INT96 as µs), with
   * zone UTC when isAdjustedToUTC.
   *
   * @example
   * kc.read.parquet('sales/').filter(col('year').ge(2024)).groupBy('city').agg(sum('amount'))
   */
  parquet(paths: string | readonly string[], options: ParquetReadOptions = {}): Dataset {
    return this.#columnar(parquetSource(this.#context, list(paths), options));
  }

  /**
   * Arrow IPC files or streams (kindling's checkpoint parts, `ds.write` arrow output, pyarrow's `.arrow` /
   * `.feather` v2 files): one partition per record batch, loaded when the dataset is defined.
   *
   * @example
   * kc.read.arrow('out/report/')
   */
  arrow(paths: string | readonly string[]): Dataset {
    return this.#columnar(arrowFilesSource(this.#context, list(paths)));
  }
}

function list(paths: string | readonly string[]): readonly string[] {
  return typeof paths === 'string' ? [paths] : paths;
}
