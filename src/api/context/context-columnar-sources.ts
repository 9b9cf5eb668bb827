/**
 * The columnar datasets a `Context` makes: of text files (`readText`), CSV and JSON-lines files (`readCsv`,
 * `readJson`, or `read.csv` …), Arrow IPC files and tables (`readArrow`, `fromArrow`) and typed arrays
 * (`fromColumns`). A base class of `Context`, so that context.ts keeps to the Context's wiring, its RDD sources,
 * shared variables, observability and `stop`.
 */
import type { Table } from 'apache-arrow';
import type { PlanNode, SourceNode } from '../../plan/plan-node.js';
import type { ContextInternals } from './context-internals.js';
import { TEXT_FILE_OPTIONS, type TextFileOptions } from './context-sources.js';
import { refuseUnknownOptions } from '../../common/check-options.js';
import { csvSource, jsonSource, type CsvReadOptions, type JsonReadOptions } from '../sources/dataset-readers.js';
import { DataFrameReader } from '../sources/dataframe-reader.js';
import { Dataset } from '../dataset/dataset.js';
import { arrowFilesSource } from '../sources/arrow-files-source.js';
import {
  arrowTableSource,
  columnsSource,
  type ColumnArrays,
  type ColumnSourceOptions,
} from '../sources/dataset-sources.js';
import { RDD } from '../rdd/rdd.js';

export abstract class ContextColumnarSources {
  /** @internal What datasets need of their Context. */
  protected abstract internals(): ContextInternals;
  /** Lines of text files (`Context.textFile`): `readText` reads the same splits as bytes. */
  abstract textFile(paths: string | readonly string[], options?: TextFileOptions): RDD<string>;

  /**
   * A columnar dataset of the lines of text files: one Utf8 column `value`, read as bytes (never decoded into JS
   * strings), with exactly `textFile`'s splits and line rules.
   *
   * @example
   * kc.readText('books/').select(splitToRows(col('value')).as('word')).groupBy('word').agg(count())
   */
  readText(paths: string | readonly string[], options: TextFileOptions = {}): Dataset {
    refuseUnknownOptions('readText()', options, TEXT_FILE_OPTIONS);
    const lines = this.textFile(paths, options).node as SourceNode;
    return this.#columnar(this.internals().plan.source('readText', lines.description, lines.partitions));
  }

  /** A columnar dataset of Arrow IPC files or streams (paths, directories or globs): one partition per record batch. */
  readArrow(paths: string | readonly string[]): Dataset {
    return this.#columnar(arrowFilesSource(this.internals(), typeof paths === 'string' ? [paths] : paths));
  }

  /** A columnar dataset of an apache-arrow `Table`, one partition per record batch (copied into shared memory). */
  fromArrow(table: Table): Dataset {
    return this.#columnar(arrowTableSource(this.internals(), table));
  }

  /**
   * A columnar dataset of typed arrays (or arrays of strings, numbers, bigints, booleans or `Date`s) of equal length, cut into
   * contiguous partitions.
   *
   * @example
   * kc.fromColumns({ key: new Int32Array(keys), value: new Float64Array(values) }).groupBy('key').agg(sum('value'))
   */
  fromColumns(columns: ColumnArrays, options: ColumnSourceOptions = {}): Dataset {
    return this.#columnar(columnsSource(this.internals(), columns, options));
  }

  /**
   * The readers of columnar datasets, as Spark's `spark.read`: `kc.read.csv`, `.jsonl`, `.parquet`, `.arrow`.
   *
   * @example
   * kc.read.parquet('sales/').filter(col('year').eq(2024)).groupBy('city').agg(count())
   */
  get read(): DataFrameReader {
    return new DataFrameReader(this.internals(), (node) => this.#columnar(node));
  }

  /**
   * A columnar dataset of CSV files (paths, directories or globs), as Spark's `spark.read.csv`: RFC 4180 records,
   * a header (`header: true`), types given (`schema`) or inferred (`inferSchema: true`), nulls for empty fields,
   * malformed records handled by `mode`. Splits follow the text reader (records end at line ends) unless `multiLine`.
   * The same as `kc.read.csv`.
   *
   * @example
   * kc.readCsv('trips/*.csv', { header: true, inferSchema: true }).groupBy('city').agg(count())
   */
  readCsv(paths: string | readonly string[], options: CsvReadOptions = {}): Dataset {
    return this.#columnar(csvSource(this.internals(), typeof paths === 'string' ? [paths] : paths, options));
  }

  /**
   * A columnar dataset of JSON-lines files (one object per line), as Spark's `spark.read.json`: fields by name,
   * types given (`schema`) or inferred from the first objects. The same as `kc.read.jsonl`.
   *
   * @example
   * kc.readJson('events.jsonl', { schema: { user: 'string', at: 'timestamp' } })
   */
  readJson(paths: string | readonly string[], options: JsonReadOptions = {}): Dataset {
    return this.#columnar(jsonSource(this.internals(), typeof paths === 'string' ? [paths] : paths, options));
  }

  /** A columnar dataset over `node`, whose `toRDD()` is an RDD of this Context. */
  #columnar(node: PlanNode): Dataset {
    const internals = this.internals();
    return new Dataset(internals, node, [], (n) => new RDD(internals, n));
  }
}
