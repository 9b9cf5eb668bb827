/**
 * The file readers of datasets: `readCsv` and `readJson` (JSON lines). Options are checked and the schema fixed
 * on the driver (given, or inferred from a sample of the first file), so every task parses its split into the same
 * typed columns; splits are the text reader's (records end at line ends), or whole files for `multiLine` CSV.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import type { CsvFormat } from '../../io/parsing/csv-record.js';
import { expandPartitionedPaths, partitionColumnsOf } from '../../io/files/hive-partitions.js';
import { computeTextSplits, type TextSplitOptions } from '../../io/text/text-splits.js';
import { resolveLineBytesMax } from '../../io/text/line-bytes-limit.js';
import type {
  CsvReadSpec,
  FileColumn,
  JsonReadSpec,
  MalformedMode,
  PartitionColumn,
} from '../../protocol/file-formats.js';
import type { SourceSpec } from '../../protocol/pipeline.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import type { PlanNode } from '../../plan/plan-node.js';
import type { ContextInternals } from '../context/context-internals.js';
import { dataTypeName } from '../functions/dataset-expressions.js';
import { checkCsvHeaders } from './csv-headers.js';
import { emptySource } from './empty-source.js';
import { fileSize, inferColumn, inferJson, sampleRecords } from './schema-sampling.js';

/** Options of `readCsv`. All optional; names and defaults as Spark's CSV reader. */
export interface CsvReadOptions {
  /** The first line of each file names the columns. @default false (columns `_c0`, `_c1` …) */
  header?: boolean;
  /** @default ',' */
  delimiter?: string;
  /** Spark's name for `delimiter` (when `delimiter` is not given). */
  sep?: string;
  /** @default '"' */
  quote?: string;
  /** Escapes a quote inside a quoted field. @default '"' (RFC 4180's doubled quote) */
  escape?: string;
  /** Unquoted text read as null (an unquoted empty field is null anyway). @default '' */
  nullValue?: string;
  /** Column types by name, in file order (`{ id: 'int', name: 'string', day: 'date' }`); names replace the header's. */
  schema?: Readonly<Record<string, string>>;
  /**
   * Infer column types (int32, int64, float64, bool, date, timestamp, else string) from the first 4 MiB of the first
   * file. WARNING: a later value of another type is handled by `mode`; give a `schema` to be sure.
   * @default false (every column a string, as Spark)
   */
  inferSchema?: boolean;
  /** @default 'PERMISSIVE' */
  mode?: MalformedMode;
  /** Quoted fields may span lines; each file is then read whole by one task. @default false */
  multiLine?: boolean;
  /**
   * The longest line accepted, in bytes without its terminator, as `textFile`'s option: a longer one fails the job
   * with `InputError` `ERR_INPUT_INVALID_RECORD` naming the file, the line's byte offset and the limit. With `multiLine`, the
   * longest record.
   * @default DEFAULT_LINE_BYTES_MAX (2^29 - 24 bytes, the longest string V8 can hold)
   */
  lineBytesMax?: number;
  /**
   * Lower bound on the number of partitions (cut by Hadoop's rule when given).
   * @default the context's defaultParallelism, cut into equal splits in a multiple of the threads
   */
  minPartitions?: number;
}

/** Options of `readJson` (JSON lines: one object per line). */
export interface JsonReadOptions {
  /**
   * Column types by name (`{ id: 'bigint', at: 'timestamp' }`); other fields are not read. An int64 column reads
   * integers past ±2^53 exactly from their digits; one past int64's range does not fit (`mode`).
   */
  schema?: Readonly<Record<string, string>>;
  /** @default 'PERMISSIVE' */
  mode?: MalformedMode;
  /**
   * The longest line accepted, in bytes without its terminator, as `textFile`'s option: a longer one fails the job
   * with `InputError` `ERR_INPUT_INVALID_RECORD` naming the file, the line's byte offset and the limit.
   * @default DEFAULT_LINE_BYTES_MAX (2^29 - 24 bytes, the longest string V8 can hold)
   */
  lineBytesMax?: number;
  /**
   * Lower bound on the number of partitions (cut by Hadoop's rule when given).
   * @default the context's defaultParallelism, cut into equal splits in a multiple of the threads
   */
  minPartitions?: number;
}

const CSV_READ_OPTIONS = optionNames<CsvReadOptions>({
  header: true,
  delimiter: true,
  sep: true,
  quote: true,
  escape: true,
  nullValue: true,
  schema: true,
  inferSchema: true,
  mode: true,
  multiLine: true,
  lineBytesMax: true,
  minPartitions: true,
});

const JSON_READ_OPTIONS = optionNames<JsonReadOptions>({
  schema: true,
  mode: true,
  lineBytesMax: true,
  minPartitions: true,
});

/**
 * The source node of `kc.readCsv(paths, options)`.
 *
 * @example
 * csvSource(context, ['data/*.csv'], { header: true, inferSchema: true });
 */
export function csvSource(context: ContextInternals, paths: readonly string[], options: CsvReadOptions): PlanNode {
  refuseUnknownOptions('readCsv()', options, CSV_READ_OPTIONS);
  const { files, partitionOf, partitionNames } = partitionedFiles(paths, 'readCsv()');
  const format: CsvFormat = {
    delimiter:
      options.delimiter === undefined && options.sep !== undefined
        ? singleByte(options.sep, ',', 'sep')
        : singleByte(options.delimiter, ',', 'delimiter'),
    quote: singleByte(options.quote, '"', 'quote'),
    escape: singleByte(options.escape, options.quote ?? '"', 'escape'),
  };
  const header = flag(options.header, 'header');
  const multiLine = flag(options.multiLine, 'multiLine');
  const inferSchema = flag(options.inferSchema, 'inferSchema');
  const nullValue = options.nullValue ?? '';
  if (typeof nullValue !== 'string') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `readCsv(): nullValue must be a string, found ${describeValue(options.nullValue)}`,
    );
  }
  // With a schema nothing is inferred: sampling 4 MiB into JS strings would cost the driver ~0.5 s for nothing.
  const sampled = options.schema !== undefined ? { records: [], path: null } : sampleRecords(files, format, multiLine);
  const { records } = sampled;
  const first = records[0] ?? [];
  const inferredFrom = options.schema === undefined && inferSchema ? sampled.path : null;
  if (header && options.schema === undefined && sampled.path !== null) {
    checkCsvHeaders(
      files,
      sampled.path,
      first.map((field) => field.text),
      format,
      multiLine,
    );
  }
  const columns: FileColumn[] =
    options.schema !== undefined
      ? schemaColumns(options.schema, 'readCsv()')
      : first.map((field, c) => ({
          name: header ? field.text : `_c${c}`,
          type: inferSchema ? inferColumn(records.slice(header ? 1 : 0), c) : 'utf8',
        }));
  const spec: CsvReadSpec = {
    columns,
    header,
    ...format,
    nullValue,
    mode: checkMode(options.mode, 'readCsv()'),
    multiLine,
    ...lineLimit(options.lineBytesMax, 'readCsv()'),
    ...(inferredFrom !== null ? { inferredFrom } : {}),
  };
  const splits = multiLine
    ? files.filter((path) => fileSize(path) > 0).map((path) => ({ path, start: 0, length: fileSize(path) }))
    : computeTextSplits(
        files,
        minPartitions(context, options.minPartitions, 'readCsv()'),
        threadSplits(context, options.minPartitions),
      );
  const partitions: SourceSpec[] =
    splits.length === 0
      ? [emptySource(columns, files, partitionOf)]
      : splits.map((split) => ({ kind: 'csv-split', split, csv: spec, ...partitionOf(split.path) }));
  return context.plan.source(
    'readCsv',
    `${paths.join(', ')} [${describeColumns(columns, partitionNames)}]`,
    partitions,
  );
}

/**
 * The source node of `kc.readJson(paths, options)`: columns from the schema, or from the fields of the objects in
 * the first 4 MiB of the first file (numbers as int32, int64 or float64, strings, booleans).
 */
export function jsonSource(context: ContextInternals, paths: readonly string[], options: JsonReadOptions): PlanNode {
  refuseUnknownOptions('readJson()', options, JSON_READ_OPTIONS);
  const { files, partitionOf, partitionNames } = partitionedFiles(paths, 'readJson()');
  const { columns, path: inferredFrom } =
    options.schema !== undefined
      ? { columns: schemaColumns(options.schema, 'readJson()'), path: null }
      : inferJson(files);
  const spec: JsonReadSpec = {
    columns,
    mode: checkMode(options.mode, 'readJson()'),
    ...lineLimit(options.lineBytesMax, 'readJson()'),
    ...(inferredFrom !== null ? { inferredFrom } : {}),
  };
  const splits = computeTextSplits(
    files,
    minPartitions(context, options.minPartitions, 'readJson()'),
    threadSplits(context, options.minPartitions),
  );
  const partitions: SourceSpec[] =
    splits.length === 0
      ? [emptySource(columns, files, partitionOf)]
      : splits.map((split) => ({ kind: 'jsonl-split', split, json: spec, ...partitionOf(split.path) }));
  return context.plan.source(
    'readJson',
    `${paths.join(', ')} [${describeColumns(columns, partitionNames)}]`,
    partitions,
  );
}

/**
 * The files the paths name, with the Hive partition columns of each (`key=value` folders below a named directory).
 *
 * @example
 * const { files, partitionOf } = partitionedFiles(['sales/'], 'read.csv()');
 */
export function partitionedFiles(
  paths: readonly string[],
  where: string,
): {
  files: string[];
  partitionOf: (path: string) => { partition?: readonly PartitionColumn[] };
  partitionNames: readonly string[];
} {
  const found = expandPartitionedPaths(checkPaths(paths, where));
  const columns = partitionColumnsOf(found);
  const byPath = new Map(found.map((file, i) => [file.path, columns[i]!]));
  return {
    files: found.map((f) => f.path),
    partitionOf: (path) => {
      const partition = byPath.get(path);
      return partition === undefined || partition.length === 0 ? {} : { partition };
    },
    partitionNames: columns[0]?.map((c) => c.name) ?? [],
  };
}

/** `name: type, …` of a source's columns, partition columns marked. */
export function describeColumns(columns: readonly FileColumn[], partitionNames: readonly string[]): string {
  const own = columns.map((c) => `${c.name}: ${c.type}`);
  return [...own, ...partitionNames.map((name) => `${name} (partition)`)].join(', ');
}

export function checkPaths(paths: readonly string[], where: string): readonly string[] {
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string' || p === '')) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${where} expects a path, glob or list of them, found ${describeValue(paths)}`,
    );
  }
  return paths;
}

export function minPartitions(context: ContextInternals, value: number | undefined, where: string): number {
  return checkPartitionCount(value ?? context.options.defaultParallelism, `${where} minPartitions`);
}

/**
 * How a line-split reader (readCsv, readJson) cuts its files: without the user's `minPartitions`, into equal splits
 * in a multiple of the threads, which keeps every thread busy to the last wave; a user's explicit `minPartitions`
 * keeps Hadoop's rule (what they asked for, as Spark gives it).
 */
function threadSplits(context: ContextInternals, askedPartitions: number | undefined): TextSplitOptions {
  return { splitsMultipleOf: askedPartitions === undefined ? Math.max(1, context.options.threads) : undefined };
}

/** A yes/no option of `readCsv()`: `header: 'true'` was taken as false without a word. */
function flag(value: unknown, name: string): boolean {
  if (value === undefined || typeof value === 'boolean') return value === true;
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `readCsv(): ${name} must be true or false, found ${describeValue(value)}`,
  );
}

function singleByte(value: string | undefined, fallback: string, name: string): number {
  const text = value ?? fallback;
  if (typeof text !== 'string' || text.length !== 1 || text.charCodeAt(0) > 0x7f) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `readCsv(): ${name} must be one ASCII character, found ${describeValue(value)}`,
    );
  }
  return text.charCodeAt(0);
}

/** The spec's `lineBytesMax` (absent for the default, which the reader fills in), checked as `textFile`'s. */
function lineLimit(value: unknown, where: string): { lineBytesMax?: number } {
  return value === undefined ? {} : { lineBytesMax: resolveLineBytesMax(value, where) };
}

function checkMode(mode: unknown, where: string): MalformedMode {
  if (mode === undefined) return 'PERMISSIVE';
  if (mode === 'PERMISSIVE' || mode === 'DROPMALFORMED' || mode === 'FAILFAST') return mode;
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${where}: mode must be 'PERMISSIVE', 'DROPMALFORMED' or 'FAILFAST', found ${describeValue(mode)}`,
  );
}

function schemaColumns(schema: unknown, where: string): FileColumn[] {
  if (typeof schema !== 'object' || schema === null || Object.keys(schema).length === 0) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${where}: schema must map column names to types, found ${describeValue(schema)}`,
    );
  }
  return Object.entries(schema).map(([name, type]): FileColumn => ({
    name,
    type: dataTypeName(type, `${where}: schema column '${name}'`),
  }));
}
