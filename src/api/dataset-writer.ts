/**
 * `ds.write`: a dataset's partitions as files, one per partition, with `saveAsTextFile`'s all-or-nothing commit
 * (attempt-private files, first finished attempt commits, one rename publishes the directory with `_SUCCESS`).
 * Names follow Spark's `DataFrameWriter`: `ds.write.format('csv').mode('overwrite').option('header', true).save(dir)`.
 */
import { existsSync } from 'node:fs';

import { PlanError } from '../common/errors.js';
import { describeValue } from '../common/describe-value.js';
import { TextOutputCommitter } from '../io/text-output.js';
import type { FileWriteSpec } from '../protocol/file-formats.js';
import type { TaskOutputSpec, TaskValue } from '../protocol/task.js';

/** File formats of `ds.write`. */
export type WriteFormat = 'csv' | 'jsonl' | 'arrow';

/**
 * What to do when the directory exists: `error` (Spark's `errorifexists`, the default), `overwrite` (replace it
 * atomically: readers see the old or the new output, never a mix), `ignore` (write nothing).
 */
export type SaveMode = 'error' | 'overwrite' | 'ignore';

/** Runs the write job: one task per partition with the given output, results to `onResult`. @internal */
export type WriteJobRunner = (
  output: (partition: number, attempt: number) => TaskOutputSpec,
  onResult: (partition: number, value: TaskValue) => void,
) => Promise<number>;

const suffixes: Record<WriteFormat, string> = { csv: '.csv', jsonl: '.jsonl', arrow: '.arrow' };

/**
 * The builder `ds.write` returns. Immutable: every call returns a new writer.
 *
 * @example
 * await ds.write.format('csv').option('header', true).mode('overwrite').save('out/report');
 */
export class DatasetWriter {
  readonly #run: WriteJobRunner;
  readonly #format: WriteFormat;
  readonly #mode: SaveMode;
  readonly #options: Readonly<Record<string, unknown>>;

  /** @internal Made by `ds.write`. */
  constructor(run: WriteJobRunner, format: WriteFormat = 'arrow', mode: SaveMode = 'error', options = {}) {
    this.#run = run;
    this.#format = format;
    this.#mode = mode;
    this.#options = options;
  }

  /** The file format: `csv`, `jsonl` (`json` too) or `arrow` (IPC file). @default 'arrow' */
  format(format: string): DatasetWriter {
    const name = format === 'json' ? 'jsonl' : format;
    if (name !== 'csv' && name !== 'jsonl' && name !== 'arrow') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `write.format(): expected 'csv', 'jsonl' or 'arrow', found ${describeValue(format)}`,
      );
    }
    return new DatasetWriter(this.#run, name, this.#mode, this.#options);
  }

  /** What to do when the directory exists (`errorifexists` is accepted for `error`). @default 'error' */
  mode(mode: string): DatasetWriter {
    const name = mode === 'errorifexists' ? 'error' : mode;
    if (name !== 'error' && name !== 'overwrite' && name !== 'ignore') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `write.mode(): expected 'error', 'overwrite' or 'ignore', found ${describeValue(mode)}`,
      );
    }
    return new DatasetWriter(this.#run, this.#format, name, this.#options);
  }

  /** A format option: CSV takes `header` (default false), `delimiter` and `quote` (one ASCII character each). */
  option(key: string, value: unknown): DatasetWriter {
    return new DatasetWriter(this.#run, this.#format, this.#mode, { ...this.#options, [key]: value });
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
   * Writes every partition to `dir/part-NNNNN.<format>` and publishes the directory whole, or not at all.
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
    if (this.#mode === 'ignore' && existsSync(dir)) return;
    const spec = this.#spec();
    const committer = new TextOutputCommitter(dir, {
      overwrite: this.#mode === 'overwrite',
      partSuffix: suffixes[this.#format],
    });
    committer.setupJob();
    try {
      const partitions = await this.#run(
        (partition, attempt) => ({
          kind: 'save-columnar',
          attemptPath: committer.attemptPath(partition, attempt),
          format: spec,
        }),
        (partition, value) => {
          if (value.kind === 'file') committer.commitTask(partition, value.path);
        },
      );
      committer.commitJob(partitions);
    } catch (error: unknown) {
      committer.abortJob();
      throw error;
    }
  }

  #spec(): FileWriteSpec {
    if (this.#format !== 'csv') return { kind: this.#format };
    const char = (key: string, fallback: string) => {
      const value = this.#options[key] ?? fallback;
      if (typeof value !== 'string' || value.length !== 1 || value.charCodeAt(0) > 0x7f) {
        throw new PlanError(
          'ERR_PLAN_INVALID_ARGUMENT',
          `write.option('${key}'): expected one ASCII character, found ${describeValue(value)}`,
        );
      }
      return value.charCodeAt(0);
    };
    const header = this.#options['header'] ?? false;
    return {
      kind: 'csv',
      header: header === true || header === 'true',
      delimiter: char('delimiter', ','),
      quote: char('quote', '"'),
    };
  }
}
