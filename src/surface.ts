/**
 * kindling: a Spark-style data engine for Node.js. The public surface, declared once (STYLE.md §2); the package's
 * entry, src/index.ts, loads this module synchronously and exports the same names (see there why).
 */
export { Context } from './streaming/streaming-context.js';
export type { TextFileOptions, StopOptions } from './api/context/context.js';
export { RDD } from './api/rdd/rdd.js';
export { Dataset, GroupedDataset } from './api/dataset/dataset.js';
export type {
  Row,
  GroupByOptions,
  SchemaField,
  ShowOptions,
  DropNullsOptions,
  FillValue,
} from './api/dataset/dataset.js';
export { ColumnExpression, col, lit } from './api/functions/dataset-expressions.js';
export { coalesce, when, WhenExpression } from './api/functions/dataset-conditionals.js';
export type { CsvReadOptions, JsonReadOptions } from './api/sources/dataset-readers.js';
export { DatasetWriter } from './api/writers/dataset-writer.js';
export { DataFrameReader } from './api/sources/dataframe-reader.js';
export type { ParquetReadOptions } from './api/sources/parquet-source.js';
export type { SaveMode, WriteFormat } from './api/writers/dataset-writer.js';
export type { JoinType } from './protocol/columnar.js';
export type { MalformedMode } from './protocol/file-formats.js';
export type { Operand } from './api/functions/dataset-expressions.js';
export type { LengthOptions } from './api/functions/dataset-functions.js';
export { Aggregate, count, sum, mean, min, max } from './api/functions/dataset-aggregates.js';
export {
  Window,
  WindowSpec,
  WindowExpression,
  WindowFunctionCall,
  rowNumber,
  rank,
  denseRank,
  lag,
  lead,
} from './api/functions/dataset-window.js';
export type { SampleOptions } from './api/dataset/dataset-reshape.js';
export type { UnionByNameOptions } from './api/planning/dataset-union.js';
export type { ColumnArrays, ColumnSourceOptions } from './api/sources/dataset-sources.js';
export type { SortKey } from './protocol/columnar.js';
export type { SortKeyArgument } from './api/planning/sort-keys.js';
export {
  abs,
  round,
  floor,
  ceil,
  sqrt,
  log,
  pow,
  lower,
  upper,
  length,
  splitToRows,
  trim,
  ltrim,
  rtrim,
  substring,
  concat,
  contains,
  startsWith,
  endsWith,
  like,
  regexpExtract,
  regexpReplace,
  splitPart,
  split,
} from './api/functions/dataset-functions.js';
export {
  year,
  month,
  dayOfMonth,
  hour,
  dateTrunc,
  toDate,
  toTimestamp,
} from './api/functions/dataset-date-functions.js';
export {
  countDistinct,
  median,
  quantile,
  percentile,
  stddev,
  variance,
  stddevPop,
  varPop,
  corr,
  first,
  last,
} from './api/functions/dataset-statistics.js';
export type { CheckpointWriteOptions, Fn, Pair, Widen } from './api/rdd/rdd.js';
export type { Captures, FunctionOptions, PartitionFunctionOptions } from './api/context/context-internals.js';
export type { SaveOptions } from './api/writers/save-text.js';
export type { Histogram, StatCounter } from './api/rdd/numeric-actions.js';
export type { PipeOptions } from './api/rdd/local-iterator-and-pipe.js';
export type { StorageLevel, UnpersistOptions } from './api/context/block-cache.js';
export { Broadcast } from './api/context/broadcast.js';
export { Accumulator } from './api/context/accumulator.js';
export type { FaultKind, FaultRule, FaultsOption } from './common/faults.js';
export { ModuleFunction } from './plan/module-function.js';
export type {
  ContextOptions,
  ResolvedContextOptions,
  SpeculationOptions,
  EventLogOptions,
  UiOptions,
} from './common/options.js';
export { ConsoleProgressBar } from './ui/progress-bar.js';
export type { ProgressTerminal } from './ui/progress-bar.js';
export { readEventLogs } from './events/event-log-reader.js';
export type { ApplicationLog } from './events/event-log-reader.js';
export { EVENT_LOG_VERSION } from './events/event-schema.js';
export type {
  KindlingEvent,
  LoggedEvent,
  EventEnvelope,
  FailureInfo,
  AppStartEvent,
  AppEndEvent,
  JobStartEvent,
  JobEndEvent,
  StageSubmittedEvent,
  StageCompletedEvent,
  TaskStartEvent,
  TaskEndEvent,
  TaskMetricsRecord,
  FaultInjectedEvent,
  FetchFailedEvent,
  SpeculationEvent,
  CheckpointWrittenEvent,
  StreamingBatchProgressEvent,
  StorageStatusEvent,
  CachedDatasetStatus,
} from './events/event-schema.js';
export type { Analyzed } from './api/context/explain-analyze.js';
export type { StageProgress } from './scheduler/dag-scheduler.js';
export type { JobMetrics, FailureKind } from './scheduler/job-metrics.js';
export {
  KindlingError,
  PlanError,
  OptionsError,
  InputError,
  OutputError,
  ContextStoppedError,
  TaskError,
  JobFailedError,
  AssertionError,
  CheckpointCorruptError,
  StreamCheckpointCorruptError,
  StreamingQueryError,
  MissingPackageError,
} from './common/errors.js';
export type { ErrorCode, TaskLocation } from './common/errors.js';
export { Stream } from './streaming/stream.js';
export type { UpdateStateOptions } from './streaming/stream.js';
export { DataStreamReader, MemoryStream } from './streaming/data-stream-reader.js';
export { DataStreamWriter } from './streaming/data-stream-writer.js';
export type { Trigger } from './streaming/data-stream-writer.js';
export { StreamingQuery } from './streaming/streaming-query.js';
export type { StreamingQueryProgress, StreamingQueryStatus } from './streaming/query-progress.js';
export type { StateMetrics } from './streaming/state-coordinator.js';
export type { FileSourceOptions } from './streaming/sources/file-source.js';
export type { MemorySourceOptions } from './streaming/sources/memory-source.js';
export type { RateSourceOptions } from './streaming/sources/rate-source.js';
export type { JetStreamSourceOptions } from './streaming/sources/jetstream-source.js';
export type { JetStreamRecord, JetStreamDecode } from './streaming/sources/jetstream-record.js';
export type { PostgresSinkHandle } from './streaming/sinks/postgres/postgres-sink.js';
export type { CrashAt, CrashPoint } from './streaming/crash-points.js';
export type { TwoPhaseCommitSink, SinkPrepareContext, SinkCommitContext } from './protocol/sink.js';
export { BlockCorruptError } from './storage/blocks/block-corrupt-error.js';
export { compareValues } from './common/keys.js';
