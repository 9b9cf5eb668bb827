/**
 * kindling's entry: the public surface, declared once in surface.ts (STYLE.md §2), loaded here in one synchronous
 * step and exported again name by name.
 *
 * Why not `export { … } from './surface.js'` (issue 11): Node's ESM loader fetches, links and evaluates a static graph
 * asynchronously, and for each of the surface's ~200 modules it keeps jobs, promises and link lists alive across
 * several young collections of the import. Those survivors made V8 grow the main thread's young generation and kept
 * ~1.5 MiB more of old space and malloc'd memory than the same modules loaded with `require(esm)`, which links and
 * evaluates the graph in one synchronous step (native-bench/SCALING.md, round 21). The modules are the same instances
 * an `import` of them gives (one copy per thread, DESIGN.md pitfall 4); the surface's graph must therefore have no
 * top-level `await` (`require` refuses it: ERR_REQUIRE_ASYNC_MODULE), which
 * test/build/entry-loads-the-public-surface-synchronously.test.ts checks.
 *
 * On a Node that cannot `require()` an ES module (before 20.19 / 22.12) the surface is imported instead, and the
 * modules kindling loads on first use elsewhere (the function parser, the event log writer, the text output committer,
 * apache-arrow, hyparquet's reader) are imported before it is handed over, as they were at import before. A worker
 * thread imports the surface too (see below why).
 *
 * WARNING: a value added to surface.ts must be added below too (and a class to the types at the end); the test above
 * checks that both modules export the same values.
 */
import type * as Surface from './surface.js';
import { isMainThread } from 'node:worker_threads';
import { loadsOnDemand, preloadOnDemandModules, requireEsm } from './common/require-esm.js';

// The types, declared by name in surface.ts (a second list here could drift from it): `export type *` carries types
// only, so it loads nothing; the values are exported by name below.
// eslint-disable-next-line no-restricted-syntax
export type * from './surface.js';

/** The surface imported, and on a Node without require(esm) the modules it would load on first use. */
async function importSurface(): Promise<typeof Surface> {
  const imported = await import('./surface.js');
  if (!loadsOnDemand) {
    const [{ loadArrow }, { loadParquetModules }] = await Promise.all([
      import('./storage/arrow/arrow-module.js'),
      import('./io/parquet-modules.js'),
    ]);
    await Promise.all([preloadOnDemandModules(), loadArrow(), loadParquetModules({ read: true, write: false })]);
  }
  return imported;
}

// require() on the main thread only: a thread terminated while require() instantiates a graph aborts the whole
// process (a V8 fatal error in Node's require(esm), see executor/worker/worker-entry.cts), and a user's worker thread that
// imports kindling may be terminated at any time. Our own worker threads do not import this entry.
const surface: typeof Surface =
  (isMainThread ? requireEsm<typeof Surface>(import.meta.resolve('./surface.js')) : null) ?? (await importSurface());

export const {
  Context,
  RDD,
  Dataset,
  GroupedDataset,
  ColumnExpression,
  col,
  lit,
  coalesce,
  when,
  WhenExpression,
  DatasetWriter,
  DataFrameReader,
  Aggregate,
  count,
  sum,
  mean,
  min,
  max,
  Window,
  WindowSpec,
  WindowExpression,
  WindowFunctionCall,
  rowNumber,
  rank,
  denseRank,
  lag,
  lead,
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
  year,
  month,
  dayOfMonth,
  hour,
  dateTrunc,
  toDate,
  toTimestamp,
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
  Broadcast,
  Accumulator,
  ModuleFunction,
  ConsoleProgressBar,
  readEventLogs,
  EVENT_LOG_VERSION,
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
  Stream,
  DataStreamReader,
  MemoryStream,
  DataStreamWriter,
  StreamingQuery,
  BlockCorruptError,
  compareValues,
} = surface;

// A class is a type as well as a value: the names above are values only.
export type Context = Surface.Context;
export type RDD<T> = Surface.RDD<T>;
export type Dataset = Surface.Dataset;
export type GroupedDataset = Surface.GroupedDataset;
export type ColumnExpression = Surface.ColumnExpression;
export type WhenExpression = Surface.WhenExpression;
export type DatasetWriter = Surface.DatasetWriter;
export type DataFrameReader = Surface.DataFrameReader;
export type Aggregate = Surface.Aggregate;
export type WindowSpec = Surface.WindowSpec;
export type WindowExpression = Surface.WindowExpression;
export type WindowFunctionCall = Surface.WindowFunctionCall;
export type Broadcast<T> = Surface.Broadcast<T>;
export type Accumulator<T, V = T> = Surface.Accumulator<T, V>;
export type ModuleFunction = Surface.ModuleFunction;
export type ConsoleProgressBar = Surface.ConsoleProgressBar;
export type KindlingError = Surface.KindlingError;
export type PlanError = Surface.PlanError;
export type OptionsError = Surface.OptionsError;
export type InputError = Surface.InputError;
export type OutputError = Surface.OutputError;
export type ContextStoppedError = Surface.ContextStoppedError;
export type TaskError = Surface.TaskError;
export type JobFailedError = Surface.JobFailedError;
export type AssertionError = Surface.AssertionError;
export type CheckpointCorruptError = Surface.CheckpointCorruptError;
export type StreamCheckpointCorruptError = Surface.StreamCheckpointCorruptError;
export type StreamingQueryError = Surface.StreamingQueryError;
export type MissingPackageError = Surface.MissingPackageError;
export type Stream<T> = Surface.Stream<T>;
export type DataStreamReader = Surface.DataStreamReader;
export type MemoryStream<T> = Surface.MemoryStream<T>;
export type DataStreamWriter = Surface.DataStreamWriter;
export type StreamingQuery = Surface.StreamingQuery;
export type BlockCorruptError = Surface.BlockCorruptError;
