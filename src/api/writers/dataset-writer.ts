/**
 * `ds.write`: a dataset's partitions as files, one per partition (per Hive folder with `partitionBy`), with
 * `saveAsTextFile`'s all-or-nothing commit (attempt-private files, first finished attempt commits, one rename
 * publishes the directory with `_SUCCESS`), once the dataset's one schema is settled from every partition's
 * (`write-schema.ts`). Names follow Spark's `DataFrameWriter`:
 * `ds.write.format('parquet').mode('append').partitionBy('day').save(dir)`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';

import { PlanError } from '../../common/errors.js';
import { refuseUnknownOptions } from '../../common/check-options.js';
import { describeValue } from '../../common/describe-value.js';
import { textOutput } from './text-output-module.js';
import type { FileWriteSpec, WriteSchema, WrittenSchema } from '../../protocol/file-formats.js';
import { settleWriteSchema } from './write-schema.js';
import type { TaskOutputSpec, TaskValue } from '../../protocol/task.js';
import { addJobMetrics, type JobMetrics } from '../../scheduler/job-metrics.js';

/** File formats of `ds.write`. */
export type WriteFormat = 'csv' | 'jsonl' | 'arrow' | 'parquet';

/**
 * What to do when the directory exists: `error` (Spark's `errorifexists`, the default), `overwrite` (replace it
 * atomically: readers see the old or the new output, never a mix), `append` (add new part files, named
 * `part-NNNNN-<job>.<format>`, beside the old ones, published the same way: old files, or old plus all new),
 * `ignore` (write nothing).
 */
export type SaveMode = 'error' | 'overwrite' | 'append' | 'ignore';

/**
 * Plans the write (`partitions`: the dataset's partition count) and runs jobs of that plan: one task per partition
 * given, with the given output, results to `onResult`; answers the job's metrics (`kc.lastJobMetrics`, where the
 * commit adds the stale staging folders it removed).
 * @internal
 */
export type WriteJobRunner = () => {
  readonly partitions: number;
  run(
    partitions: readonly number[],
    output: (partition: number, attempt: number) => TaskOutputSpec,
    onResult: (partition: number, value: TaskValue) => void,
  ): Promise<JobMetrics>;
};

/** Rows per Parquet row group unless `option('rowGroupRows', n)` says (hyparquet-writer's default after its first). */
const ROW_GROUP_ROWS = 100_000;

/** The options of every format (`option()`): one of another format than the write's is ignored, as Spark does. */
const WRITE_OPTIONS = ['header', 'delimiter', 'sep', 'quote', 'rowGroupRows'];

const suffixes: Record<WriteFormat, string> = { csv: '.csv', jsonl: '.jsonl', arrow: '.arrow', parquet: '.parquet' };

/** What a writer has been told so far. */
interface WriterSettings {
  readonly format: WriteFormat;
  readonly mode: SaveMode;
  readonly options: Readonly<Record<string, unknown>>;
  readonly partitionBy: readonly string[];
}

/**
 * The builder `ds.write` returns. Immutable: every call returns a new writer.
 *
 * @example
 * await ds.write.format('csv').option('header', true).mode('overwrite').save('out/report');
 */
export class DatasetWriter {
  readonly #run: WriteJobRunner;
  readonly #settings: WriterSettings;

  /** @internal Made by `ds.write`. */
  constructor(
    run: WriteJobRunner,
    settings: WriterSettings = { format: 'arrow', mode: 'error', options: {}, partitionBy: [] },
  ) {
    this.#run = run;
    this.#settings = settings;
  }

  /** The file format: `csv`, `jsonl` (`json` too), `arrow` (IPC file) or `parquet`. @default 'arrow' */
  format(format: string): DatasetWriter {
    const name = format === 'json' ? 'jsonl' : format;
    if (name !== 'csv' && name !== 'jsonl' && name !== 'arrow' && name !== 'parquet') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `write.format(): expected 'csv', 'jsonl', 'arrow' or 'parquet', found ${describeValue(format)}`,
      );
    }
    return this.#with({ format: name });
  }

  /** What to do when the directory exists (`errorifexists` is accepted for `error`). @default 'error' */
  mode(mode: string): DatasetWriter {
    const name = mode === 'errorifexists' ? 'error' : mode;
    if (name !== 'error' && name !== 'overwrite' && name !== 'append' && name !== 'ignore') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `write.mode(): expected 'error', 'overwrite', 'append' or 'ignore', found ${describeValue(mode)}`,
      );
    }
    return this.#with({ mode: name });
  }

  /**
   * A format option: CSV takes `header` (default false), `delimiter` (or Spark's `sep`) and `quote` (one ASCII
   * character each); Parquet takes `rowGroupRows` (rows per row group, default 100,000). An option of another format
   * is ignored (as Spark does), a name that is no option of any format is refused when saving (`OptionsError`
   * `ERR_OPTIONS_UNKNOWN`): `option('compression', 'gzip')` is not written as if it were.
   */
  option(key: string, value: unknown): DatasetWriter {
    return this.#with({ options: { ...this.#settings.options, [key]: value } });
  }

  /**
   * Hive-style folders by the values of `columns`: each row goes to `col1=v1/col2=v2/part-NNNNN.<format>` (the
   * columns themselves are not written in the files; `kc.read` and DuckDB, Polars, Spark turn the folders back
   * into columns). Values: numbers as printed, dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS[.fff]` (UTC),
   * escaped as Hive does; null and '' go to `__HIVE_DEFAULT_PARTITION__`. WARNING: each task holds its partition's
   * rows until it writes them, and writes one file per folder its rows reach.
   *
   * @example
   * await events.write.format('parquet').partitionBy('day').save('out/events');
   */
  partitionBy(...columns: string[]): DatasetWriter {
    if (columns.length === 0 || columns.some((c) => typeof c !== 'string' || c === '')) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `write.partitionBy(): expected column names, found ${describeValue(columns)}`,
      );
    }
    return this.#with({ partitionBy: columns });
  }

  /** `format('parquet').save(dir)`. */
  parquet(dir: string): Promise<void> {
    return this.format('parquet').save(dir);
  }

  /** `format('csv').save(dir)`. */
  csv(dir: string): Promise<void> {
    return this.format('csv').save(dir);
  }

  /** `format('jsonl').save(dir)`. */
  json(dir: string): Promise<void> {
    return this.format('jsonl').save(dir);
  }

  /**
   * Writes every partition to `dir/part-NNNNN.<format>` (in its Hive folders with `partitionBy`; a Parquet
   * partition with no rows writes no file) and publishes the directory whole, or not at all.
   *
   * @example
   * await counts.write.format('jsonl').save('out/counts');
   */
  async save(dir: string): Promise<void> {
    if (typeof dir !== 'string' || dir === '') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `write.save(): expected a directory path, found ${describeValue(dir)}`,
      );
    }
    const { mode, format, partitionBy } = this.#settings;
    if (mode === 'ignore' && existsSync(dir)) return;
    const spec = this.#spec();
    const append = mode === 'append';
    const committer = new (textOutput().TextOutputCommitter)(dir, {
      overwrite: mode === 'overwrite',
      append,
      overwriteHint: "Use .mode('overwrite') (or 'append')",
      // Appended files need names no earlier job used (Spark puts the job's UUID in every part file's name).
      partSuffix: `${append ? `-${randomUUID().slice(0, 8)}` : ''}${suffixes[format]}`,
    });
    committer.setupJob();
    // A task writes a staging file; what its errors name is where that file is published.
    const paths = (attemptPath: string) => ({
      attemptPath,
      publishedPath: join(committer.targetDir, basename(attemptPath)),
    });
    try {
      const planned = this.#run();
      // Files are committed once the dataset's one schema is settled from every partition's (write-schema.ts):
      // partitions whose files hold other types are written again in it first.
      const written: { partition: number; path: string; rows: number }[] = [];
      const reports = new Map<number, WrittenSchema>();
      const write = (partitions: readonly number[], schema?: WriteSchema) =>
        planned.run(
          partitions,
          (partition, attempt) => ({
            kind: 'save-columnar',
            ...paths(committer.attemptPath(partition, attempt)),
            format: spec,
            partitionBy,
            ...(schema === undefined ? {} : { schema }),
          }),
          (partition, value) => {
            if (value.kind !== 'file') return;
            written.push({ partition, path: value.path, rows: value.rows });
            if (value.schema !== undefined && !reports.has(partition)) reports.set(partition, value.schema);
          },
        );
      const all = Array.from({ length: planned.partitions }, (_, i) => i);
      let metrics = await write(all);
      const typed = format === 'arrow' || format === 'parquet';
      const { schema, rewrite } = settleWriteSchema(committer.targetDir, reports, typed);
      if (rewrite.length > 0) {
        const again = new Set(rewrite);
        for (const { partition, path } of written) if (again.has(partition)) committer.discardTask(partition, path);
        const first = metrics;
        let discardedRows = 0;
        for (const { partition, rows } of written) if (again.has(partition)) discardedRows += rows;
        written.splice(0, written.length, ...written.filter((w) => !again.has(w.partition)));
        metrics = await write(rewrite, schema);
        // kc.lastJobMetrics is the last job's object: make it count the whole write, both jobs' work, and as
        // records written the rows of the published files (the discarded files' rows were written again).
        addJobMetrics(metrics, first);
        metrics.recordsWritten -= discardedRows;
      }
      for (const { partition, path } of written) committer.commitTask(partition, path);
      committer.commitJob(planned.partitions);
      metrics.staleTempDirsRemoved += committer.staleDirsRemoved;
    } catch (error: unknown) {
      committer.abortJob();
      throw error;
    }
  }

  #with(changes: Partial<WriterSettings>): DatasetWriter {
    return new DatasetWriter(this.#run, { ...this.#settings, ...changes });
  }

  #spec(): FileWriteSpec {
    const { format, options } = this.#settings;
    refuseUnknownOptions(`write.format('${format}').option()`, options, WRITE_OPTIONS);
    if (format === 'parquet') {
      const rows = options['rowGroupRows'] ?? ROW_GROUP_ROWS;
      if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1) {
        throw new PlanError(
          'ERR_PLAN_INVALID_ARGUMENT',
          `write.option('rowGroupRows'): expected a positive integer, found ${describeValue(rows)}`,
        );
      }
      return { kind: 'parquet', rowGroupRows: rows };
    }
    if (format !== 'csv') return { kind: format };
    const char = (key: string, fallback: string) => {
      const value = options[key] ?? fallback;
      if (typeof value !== 'string' || value.length !== 1 || value.charCodeAt(0) > 0x7f) {
        throw new PlanError(
          'ERR_PLAN_INVALID_ARGUMENT',
          `write.option('${key}'): expected one ASCII character, found ${describeValue(value)}`,
        );
      }
      return value.charCodeAt(0);
    };
    const header = options['header'] ?? false;
    return {
      kind: 'csv',
      header: header === true || header === 'true',
      delimiter:
        options['delimiter'] === undefined && options['sep'] !== undefined ? char('sep', ',') : char('delimiter', ','),
      quote: char('quote', '"'),
    };
  }
}
