/**
 * kindling: a Spark-style data engine for Node.js. The public surface, declared once (STYLE.md §2).
 */
export { Context } from './api/context.js';
export type { TextFileOptions } from './api/context.js';
export { RDD } from './api/rdd.js';
export { Dataset, GroupedDataset } from './api/dataset.js';
export type { Row, GroupByOptions } from './api/dataset.js';
export { ColumnExpression, col, lit, lower, length, splitToRows } from './api/dataset-expressions.js';
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
} from './events/event-schema.js';
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
