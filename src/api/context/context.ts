import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { resolveContextOptions, type ContextOptions, type ResolvedContextOptions } from '../../common/options.js';
import { Rng } from '../../common/rng.js';
import { ModuleFunction } from '../../plan/module-function.js';
import { PlanBuilder } from '../../plan/plan-builder.js';
import type { StageProgress } from '../../scheduler/dag-scheduler.js';
import type { JobMetrics } from '../../scheduler/job-metrics.js';
import type { Broadcast } from './broadcast.js';
import type { Accumulator } from './accumulator.js';
import { SharedVariables } from './shared-variables.js';
import { assembleEngine, type Engine } from './context-engine.js';
import { checkFaults, refuseOomWithoutHeapLimit, type FaultsOption } from '../../common/faults.js';
import type { ContextInternals } from './context-internals.js';
import type { StreamingBatchProgressEvent } from '../../events/event-schema.js';
import { RDD } from '../rdd/rdd.js';
import type { Dataset } from '../dataset/dataset.js';
import { ContextColumnarSources } from './context-columnar-sources.js';
import { Checkpoints } from '../../checkpoint/checkpoints.js';
import { Observers } from './observability.js';
import type { LoggedEvent } from '../../events/event-schema.js';
import { analyzeAction, explainAnalyze, type Analyzable, type Analyzed } from './explain-analyze.js';
import { ContextLifecycle, type StopOptions } from './context-lifecycle.js';
import { parallelizeSource, rangeSource, textFileSource, type TextFileOptions } from './context-sources.js';

export type { TextFileOptions } from './context-sources.js';
export type { StopOptions } from './context-lifecycle.js';

/**
 * The entry point (Spark's `SparkContext`): owns the worker pool, the scheduler and the block store, and makes
 * datasets. Stop it with `await kc.stop()` when done; a stopped context rejects new jobs.
 *
 * @example
 * const kc = new Context({ threads: 2 });
 * const n = await kc.range(0, 1000).filter((x) => x % 7 === 0).count();
 * await kc.stop();
 */
export class Context extends ContextColumnarSources {
  /** The options in force, with defaults filled in. */
  readonly options: ResolvedContextOptions;
  /** Metrics of the last job that finished (successfully). */
  lastJobMetrics: JobMetrics | null = null;
  /** The backend, block store and scheduler under this Context. */
  readonly #engine: Engine;
  readonly #plan = new PlanBuilder();
  readonly #checkpoints: Checkpoints;
  readonly #shared = new SharedVariables();
  readonly #progressListeners = new Set<(progress: StageProgress) => void>();
  readonly #rng: Rng;
  readonly #internals: ContextInternals;
  readonly #observers: Observers;
  readonly #lifecycle: ContextLifecycle;

  constructor(options: ContextOptions = {}) {
    super();
    this.options = resolveContextOptions(options);
    this.#rng = new Rng(this.options.seed);
    this.#engine = assembleEngine(this.options, this.#shared, (progress) => {
      for (const listener of this.#progressListeners) listener(progress);
    });
    const { scheduler, cache } = this.#engine;
    this.#checkpoints = new Checkpoints(this.options, async (node, partitions) => {
      // The follow-up that writes the partitions of a checkpoint the job did not compute (Spark's checkpoint job).
      const metrics = await scheduler.runJob({
        node,
        partitions,
        output: () => ({ kind: 'partition-action', action: { kind: 'count' } }),
        onResult: () => {},
      });
      this.lastJobMetrics = metrics;
    });
    this.#internals = {
      options: this.options,
      plan: this.#plan,
      spillDir: this.#engine.spillDir,
      runJob: (request) => this.#lifecycle.runJob(request),
      // unpersist(): the user asks for the memory now, so what is due is collected now, not at the next job.
      isFullyCached: (node) => cache.isFullyCached(node),
      dropCached: (node) => (cache.drop(node.id), this.#lifecycle.driverGc.collectIfDue()),
      discardShuffleOutputs: (node) => {
        const bytes = scheduler.discardShuffleOutputs(node);
        this.#lifecycle.driverGc.collectIfDue();
        return bytes;
      },
      setStorageLevel: (node, level) => cache.setLevel(node.id, level, node.label),
      nextSeed: () => this.#rng.nextUint32(),
      checkpoints: this.#checkpoints,
      onStop: (cleanup) => this.#lifecycle.onStop(cleanup),
    };
    this.#observers = new Observers({
      options: this.options,
      scheduler,
      checkpoints: this.#checkpoints,
      onStageProgress: (listener) => this.onStageProgress(listener),
      cached: () => cache.status(),
      shuffleBytesInMemory: () => scheduler.tracker.bytesUsed(),
    });
    this.#lifecycle = new ContextLifecycle({
      tmpDir: this.options.tmpDir,
      ...this.#engine,
      checkpoints: this.#checkpoints,
      observers: this.#observers,
      onJobEnded: (metrics) => (this.lastJobMetrics = metrics),
    });
  }

  /** This Context's application id, as in its event log (`app-20261201193000-1f2e3d4c`). */
  get appId(): string {
    return this.#observers.appId;
  }

  /**
   * The URL of the live web UI (`ui` option) once it listens, e.g. `http://127.0.0.1:4040`; null when it is off.
   * @example console.log(await kc.uiUrl());
   */
  uiUrl(): Promise<string | null> {
    return this.#observers.uiUrl();
  }

  /**
   * Runs a dataset (as `count()`) and returns its `explain()` text followed by what each stage did: tasks and
   * attempts, records and bytes in and out, task and wall time (DuckDB's `EXPLAIN ANALYZE`).
   * @example console.log(await kc.explainAnalyze(counts));
   */
  explainAnalyze(dataset: RDD<any> | Dataset): Promise<string> {
    return explainAnalyze((listener) => this.#observers.subscribe(listener), dataset as Analyzable);
  }

  /**
   * Runs any action on a dataset and returns its result with the analysis `explainAnalyze` prints for the jobs
   * the action ran (the documented form of Spark's and DuckDB's `analyze` on an action).
   * @example const { result, report } = await kc.analyze(words, (ds) => ds.collect());
   */
  analyze<D extends RDD<any> | Dataset, T>(dataset: D, action: (dataset: D) => Promise<T>): Promise<Analyzed<T>> {
    return analyzeAction((listener) => this.#observers.subscribe(listener), dataset as D & Analyzable, action);
  }

  /** @internal Streaming queries report each batch here, for the event log and the UI's Streaming page. */
  reportStreamingProgress(event: StreamingBatchProgressEvent): void {
    this.#observers.emit(event);
  }

  /** True once `stop()` was called. */
  get stopped(): boolean {
    return this.#lifecycle.stopped;
  }

  /** A dataset over an array's elements, cut into `numSlices` contiguous slices (Spark's `parallelize`). */
  parallelize<T>(data: Iterable<T>, numSlices: number = this.options.defaultParallelism): RDD<T> {
    return this.#dataset(parallelizeSource(this.#plan, data, numSlices));
  }

  /**
   * Numbers `start, start + step, …` before `end` (exclusive), in `numSlices` partitions (Spark's `range`).
   * `range(n)` counts from 0.
   */
  range(start: number, end?: number, step = 1, numSlices: number = this.options.defaultParallelism): RDD<number> {
    return this.#dataset(rangeSource(this.#plan, start, end, step, numSlices));
  }

  /**
   * Lines of text files (UTF-8; lines end at `\n`, `\r\n` or `\r`). `paths` is a file, a directory (its files) or
   * a glob, or a list of them. Files are cut into byte-range splits read in streaming fashion, each line exactly
   * once whatever the split size, as Hadoop's line reader does.
   */
  textFile(paths: string | readonly string[], options: TextFileOptions = {}): RDD<string> {
    return this.#dataset(textFileSource(this.#plan, paths, options, this.options));
  }

  /** A dataset with no partitions and no records. */
  emptyRDD<T>(): RDD<T> {
    return this.#dataset(this.#plan.source('emptyRDD', 'no records', []));
  }

  /** The records of every dataset, one after another. */
  union<T>(...rdds: RDD<T>[]): RDD<T> {
    if (rdds.length === 0) return this.emptyRDD();
    const [first, ...rest] = rdds;
    return first!.union(...rest);
  }

  /** A read-only value sent to each worker thread once and cached there; capture it and read `.value`. */
  broadcast<T>(value: T): Broadcast<T> {
    return this.#shared.broadcast(value);
  }

  /**
   * An accumulator starting at `zero`: tasks that capture it call `add(value)`, and `add(total, value)` folds those
   * values into the total on the driver, once per committed task attempt, whatever fails and reruns.
   * @example
   * const blank = kc.accumulator(0, (a, b: number) => a + b);
   * await lines.foreach((l) => { if (l === '') blank.add(1); }, { blank });
   * blank.value; // blank lines, counted exactly once each
   */
  accumulator<T, V = T>(zero: T, add: (total: T, value: V) => T): Accumulator<T, V> {
    return this.#shared.accumulator(zero, add);
  }

  /**
   * Replaces the fault rules (the `faults` option) for jobs started from now on; null turns injection off.
   * @example kc.setFaults({ seed: 1, rules: [{ kind: 'crash', probability: 0.1 }] });
   */
  setFaults(faults: FaultsOption | null): void {
    this.#engine.scheduler.faults =
      faults === null ? null : refuseOomWithoutHeapLimit(checkFaults(faults), this.options);
  }

  /**
   * A function exported by an ES module, for code that needs imports: workers import the module once.
   * @example rdd.map(kc.fn(new URL('./udf.js', import.meta.url), 'parse'))
   */
  fn(moduleUrl: string | URL, exportName = 'default'): ModuleFunction {
    return new ModuleFunction(moduleUrl, exportName);
  }

  /**
   * Calls `listener` with every event the engine reports (the event log's lines: jobs, stages, tasks, faults,
   * checkpoints), synchronously on the scheduler's loop: record, do not block. Returns a function that removes it.
   * @example const off = kc.onEvent((e) => { if (e.kind === 'task-end') ends.push(e); });
   */
  onEvent(listener: (event: LoggedEvent) => void): () => void {
    return this.#observers.subscribe(listener);
  }

  /** Calls `listener` as stages make progress (for progress bars). Returns a function that removes it. */
  onStageProgress(listener: (progress: StageProgress) => void): () => void {
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  /**
   * Opens a checkpoint directory written by `rdd.checkpoint()` (in this or any earlier process) as a dataset with
   * the same partitions and partitioner. A missing or corrupt manifest throws `CheckpointCorruptError` here; part
   * files are checked (size, CRC-32) before the first job reads them.
   * @example
   * const counts = kc.readCheckpoint('/data/ckpt/rdd-7-1f2e3d4c5b6a');
   * await counts.reduceByKey((a, b) => a + b).collect(); // same hash partitioner: no shuffle
   */
  readCheckpoint<T = unknown>(path: string): RDD<T> {
    if (typeof path !== 'string' || path.length === 0) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `readCheckpoint() expects a directory path, found ${describeValue(path)}`,
      );
    }
    return this.#dataset(this.#checkpoints.open(path, this.#plan));
  }

  /**
   * Ends the worker pool. Jobs still running are aborted: they start no more tasks, their running tasks end (on
   * worker threads they are terminated), and they reject with `ContextStoppedError`; the staging folders of their
   * outputs and every spill file are removed before the returned Promise resolves. New jobs are rejected with
   * `ContextStoppedError`. Local checkpoints are removed; reliable checkpoints stay readable by later processes
   * unless `cleanCheckpoints`.
   */
  stop(options: StopOptions = {}): Promise<void> {
    return this.#lifecycle.stop(options);
  }

  /** @internal What datasets need of this Context (for the sources of context-columnar-sources.ts). */
  protected internals(): ContextInternals {
    return this.#internals;
  }

  #dataset<T>(node: Parameters<RDD<T>['derive']>[0]): RDD<T> {
    return new RDD<T>(this.#internals, node);
  }
}
