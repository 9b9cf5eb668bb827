/**
 * kindling: a Spark-style data engine for Node.js. The public surface, declared once (STYLE.md §2).
 */
export { Context } from './api/context.js';
export type { TextFileOptions } from './api/context.js';
export { RDD } from './api/rdd.js';
export { Dataset, GroupedDataset } from './api/dataset.js';
export type { Row, GroupByOptions } from './api/dataset.js';
export { ColumnExpression, col, lit, lower, length, splitToRows } from './api/dataset-expressions.js';
export { coalesce, when, WhenExpression } from './api/dataset-conditionals.js';
export type { CsvReadOptions, JsonReadOptions } from './api/dataset-readers.js';
export { DatasetWriter } from './api/dataset-writer.js';
export type { SaveMode, WriteFormat } from './api/dataset-writer.js';
export type { JoinType } from './protocol/columnar.js';
export type { MalformedMode } from './protocol/file-formats.js';
export type { Operand } from './api/dataset-expressions.js';
export { Aggregate, count, sum, mean, min, max } from './api/dataset-aggregates.js';
export type { ColumnArrays, ColumnSourceOptions } from './api/dataset-sources.js';
export type { SortKey } from './protocol/columnar.js';
export type { Fn, Pair, Widen } from './api/rdd.js';
export type { Captures, FunctionOptions } from './api/context-internals.js';
export type { SaveOptions } from './api/save-text.js';
export type { StorageLevel } from './api/block-cache.js';
export { Broadcast } from './api/broadcast.js';
export { Accumulator } from './api/accumulator.js';
export type { FaultKind, FaultRule, FaultsOption } from './common/faults.js';
export { ModuleFunction } from './plan/module-function.js';
export type { ContextOptions, ResolvedContextOptions, SpeculationOptions } from './common/options.js';
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
} from './common/errors.js';
export type { ErrorCode, TaskLocation } from './common/errors.js';
export { BlockCorruptError } from './storage/block-corrupt-error.js';
export { compareValues } from './common/keys.js';
