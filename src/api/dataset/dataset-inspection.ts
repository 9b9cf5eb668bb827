/**
 * What a `Dataset` shows of itself: its first rows (`take`, `first`, `head`, `show`) and its columns (`schema`,
 * `columns`, `printSchema`), each built on `limit`, `collect` and `toArrow`. A base class of `Dataset` so that
 * dataset.ts keeps to the transformations and the actions that run a plan.
 */
import type { Table } from 'apache-arrow';
import { formatSchemaTree, schemaFields, type SchemaField } from './dataset-schema.js';
import { limitCount } from './dataset-arguments.js';
import { formatShow, SHOW_ROWS_DEFAULT, type ShowOptions } from './dataset-show.js';
import type { Row } from './dataset-types.js';

/** The part of a dataset the inspection methods run: its first `n` rows, as rows or as an Arrow table. */
interface Limited {
  collect(): Promise<Row[]>;
  toArrow(): Promise<Table>;
}

export abstract class DatasetInspection {
  /** The first `n` rows (of the order so far). */
  abstract limit(n: number): Limited;

  /** The first `n` rows as plain objects (of the order so far; a top-n per task, not a gather of everything). */
  async take(n: number): Promise<Row[]> {
    return this.limit(limitCount(n, 'take')).collect();
  }

  /** The first row, or `undefined` for an empty dataset (where Spark's `first()` throws). */
  async first(): Promise<Row | undefined> {
    return (await this.take(1))[0];
  }

  /**
   * The columns with their types (`int32`, `string`, `timestamp` …), learned by running the plan to its first row:
   * cheap over sources, a whole job behind a shuffle (see dataset-schema.ts).
   */
  async schema(): Promise<SchemaField[]> {
    return schemaFields((await this.limit(0).toArrow()).schema);
  }

  /** The column names, in order (as `schema()`, it runs the plan to its first row). */
  async columns(): Promise<string[]> {
    return (await this.schema()).map((field) => field.name);
  }

  /** The columns as `[name, type]` pairs, as Spark's `dtypes` (types as `schema()` names them). */
  async dtypes(): Promise<[string, string][]> {
    return (await this.schema()).map((field) => [field.name, field.type]);
  }

  /** Prints the schema as Spark's `printSchema()` does: `root`, then ` |-- name: type (nullable = true)` per column. */
  async printSchema(): Promise<void> {
    console.log(formatSchemaTree(await this.schema()).trimEnd());
  }

  /** Whether the dataset has no row (Spark's `isEmpty`): runs the plan to its first row only. */
  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }

  /** `head()` is `first()`, `head(n)` is `take(n)`, as in Spark. */
  head(): Promise<Row | undefined>;
  head(n: number): Promise<Row[]>;
  async head(n?: number): Promise<Row | undefined | Row[]> {
    return n === undefined ? this.first() : this.take(n);
  }

  /**
   * Prints the first `n` rows (default 20) as a text table laid out as Spark's `show()`; long strings are cut to 20
   * characters unless `{ truncate: false }`.
   *
   * @example
   * await kc.readCsv('trips.csv', { header: true, inferSchema: true }).show(5);
   */
  async show(n: number = SHOW_ROWS_DEFAULT, options: ShowOptions = {}): Promise<void> {
    const table = await this.limit(limitCount(n, 'show') + 1).toArrow();
    console.log(formatShow(table, n, options).trimEnd());
  }
}
