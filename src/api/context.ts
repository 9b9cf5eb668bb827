import { ContextStoppedError, PlanError } from '../common/errors.js';
import { describeValue } from '../common/describe-value.js';
import { resolveContextOptions, type ContextOptions, type ResolvedContextOptions } from '../common/options.js';
import { Rng } from '../common/rng.js';
import { systemClock } from '../common/clock.js';
import type { SourceSpec } from '../protocol/pipeline.js';
import { InlineBackend } from '../backend/inline-backend.js';
import { PiscinaBackend } from '../backend/piscina-backend.js';
import type { BroadcastSource, TaskBackend } from '../backend/task-backend.js';
import { expandInputPaths } from '../io/expand-paths.js';
import { computeTextSplits } from '../io/text-splits.js';
import { ModuleFunction } from '../plan/module-function.js';
import { PlanBuilder, checkPartitionCount } from '../plan/plan-builder.js';
import { DagScheduler, type JobRequest, type StageProgress } from '../scheduler/dag-scheduler.js';
import type { JobMetrics } from '../scheduler/job-metrics.js';
import { CachedPartitions } from './block-cache.js';
import { Broadcast } from './broadcast.js';
import type { ContextInternals } from './context-internals.js';
import { RDD } from './rdd.js';

/** Options of `textFile`. */
export interface TextFileOptions {
  /**
   * Lower bound on the number of partitions (splits), as Spark's `minPartitions`.
   * @default min(defaultParallelism, 2)
   */
  minPartitions?: number;
}

/**
 * The entry point (Spark's `SparkContext`): owns the worker pool, the scheduler and the block store, and makes
 * datasets. Stop it with `await kc.stop()` when done; a stopped context rejects new jobs.
 *
 * @example
 * const kc = new Context({ threads: 2 });
 * const n = await kc.range(0, 1000).filter((x) => x % 7 === 0).count();
 * await kc.stop();
 */
export class Context {
  /** The options in force, with defaults filled in. */
  readonly options: ResolvedContextOptions;
  /** Metrics of the last job that finished (successfully). */
  lastJobMetrics: JobMetrics | null = null;
  readonly #backend: TaskBackend;
  readonly #scheduler: DagScheduler;
  readonly #cache: CachedPartitions;
  readonly #plan = new PlanBuilder();
  readonly #broadcasts = new Map<number, Broadcast<unknown>>();
  readonly #progressListeners = new Set<(progress: StageProgress) => void>();
  readonly #rng: Rng;
  #stopped = false;
  readonly #internals: ContextInternals;

  constructor(options: ContextOptions = {}) {
    this.options = resolveContextOptions(options);
    this.#rng = new Rng(this.options.seed);
    const broadcasts: BroadcastSource = { broadcastValue: (id) => this.#broadcastValue(id) };
    this.#backend =
      this.options.threads === 0
        ? new InlineBackend(broadcasts)
        : new PiscinaBackend(
            { threads: this.options.threads, workerHeapMbMax: this.options.workerHeapMbMax },
            broadcasts,
          );
    this.#cache = new CachedPartitions(this.options.memoryBytesMax);
    this.#scheduler = new DagScheduler(this.#backend, this.#cache, this.options, systemClock, (progress) => {
      for (const listener of this.#progressListeners) listener(progress);
    });
    this.#internals = {
      options: this.options,
      plan: this.#plan,
      runJob: (request) => this.#runJob(request),
      dropCached: (node) => this.#cache.drop(node.id),
      nextSeed: () => this.#rng.nextUint32(),
    };
  }

  /** True once `stop()` was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** A dataset over an array's elements, cut into `numSlices` contiguous slices (Spark's `parallelize`). */
  parallelize<T>(data: Iterable<T>, numSlices: number = this.options.defaultParallelism): RDD<T> {
    if (data === null || typeof data !== 'object' || !(Symbol.iterator in data)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `parallelize() expects an array or iterable, found ${describeValue(data)}`,
      );
    }
    const records = Array.from(data);
    const n = checkPartitionCount(numSlices, 'parallelize()', 'numSlices');
    const partitions: SourceSpec[] = Array.from({ length: n }, (_, i) => ({
      kind: 'records',
      records: records.slice(Math.floor((i * records.length) / n), Math.floor(((i + 1) * records.length) / n)),
    }));
    return this.#dataset(
      this.#plan.source(
        'parallelize',
        `array of ${records.length} record${records.length === 1 ? '' : 's'}`,
        partitions,
      ),
    );
  }

  /**
   * Numbers `start, start + step, …` before `end` (exclusive), in `numSlices` partitions (Spark's `range`).
   * `range(n)` counts from 0.
   */
  range(start: number, end?: number, step = 1, numSlices: number = this.options.defaultParallelism): RDD<number> {
    const [from, to] = end === undefined ? [0, start] : [start, end];
    for (const [name, value] of [
      ['start', from],
      ['end', to],
      ['step', step],
    ] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new PlanError(
          'ERR_PLAN_INVALID_ARGUMENT',
          `range(): ${name} must be a finite number, found ${describeValue(value)}`,
        );
      }
    }
    if (step === 0) throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'range(): step must not be 0');
    const n = checkPartitionCount(numSlices, 'range()', 'numSlices');
    const count = Math.max(0, Math.ceil((to - from) / step));
    const partitions: SourceSpec[] = Array.from({ length: n }, (_, i) => {
      const first = Math.floor((i * count) / n);
      const last = Math.floor(((i + 1) * count) / n);
      return { kind: 'range', start: from + first * step, end: from + last * step, step };
    });
    return this.#dataset(this.#plan.source('range', `range(${from}, ${to}, ${step})`, partitions));
  }

  /**
   * Lines of text files (UTF-8; lines end at `\n`, `\r\n` or `\r`). `paths` is a file, a directory (its files) or
   * a glob, or a list of them. Files are cut into byte-range splits read in streaming fashion, each line exactly
   * once whatever the split size, as Hadoop's line reader does.
   */
  textFile(paths: string | readonly string[], options: TextFileOptions = {}): RDD<string> {
    const patterns = typeof paths === 'string' ? [paths] : paths;
    if (!Array.isArray(patterns) || patterns.length === 0 || patterns.some((p) => typeof p !== 'string' || p === '')) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `textFile() expects a path, glob or list of them, found ${describeValue(paths)}`,
      );
    }
    const minPartitions = checkPartitionCount(
      options.minPartitions ?? Math.min(this.options.defaultParallelism, 2),
      'textFile()',
      'minPartitions',
    );
    const files = expandInputPaths(patterns);
    const splits = computeTextSplits(files, minPartitions);
    const partitions: SourceSpec[] =
      splits.length === 0 ? [{ kind: 'empty' }] : splits.map((split) => ({ kind: 'text-split', split }));
    return this.#dataset(this.#plan.source('textFile', patterns.join(', '), partitions));
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
    const broadcast = new Broadcast(value);
    this.#broadcasts.set(broadcast.id, broadcast as Broadcast<unknown>);
    return broadcast;
  }

  /**
   * A function exported by an ES module, for code that needs imports: workers import the module once.
   * @example rdd.map(kc.fn(new URL('./udf.js', import.meta.url), 'parse'))
   */
  fn(moduleUrl: string | URL, exportName = 'default'): ModuleFunction {
    return new ModuleFunction(moduleUrl, exportName);
  }

  /** Calls `listener` as stages make progress (for progress bars). Returns a function that removes it. */
  onStageProgress(listener: (progress: StageProgress) => void): () => void {
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  /** Ends the worker pool. Jobs still running fail; new jobs are rejected with `ContextStoppedError`. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#backend.close();
  }

  #dataset<T>(node: Parameters<RDD<T>['derive']>[0]): RDD<T> {
    return new RDD<T>(this.#internals, node);
  }

  async #runJob(request: JobRequest): Promise<JobMetrics> {
    if (this.#stopped) throw new ContextStoppedError('cannot run a job');
    const metrics = await this.#scheduler.runJob(request);
    this.lastJobMetrics = metrics;
    return metrics;
  }

  #broadcastValue(id: number): unknown {
    const broadcast = this.#broadcasts.get(id);
    if (broadcast === undefined || broadcast.destroyed) throw new Error(`broadcast ${id} is unknown or was destroyed`);
    return broadcast.value;
  }
}
