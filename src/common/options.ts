import type { FaultsOption } from './faults.js';

// The options of a Context as users write them, and as the engine reads them once resolved. Defaults and checks
// live in resolve-options.ts.
export { CONTEXT_OPTIONS, resolveContextOptions } from './resolve-options.js';

/** Options of a `Context`. All optional; {@link resolveContextOptions} fills the defaults once. */
export interface ContextOptions {
  /**
   * Worker threads in the pool. `0` runs every task inline on the calling thread (same results, no threads).
   * @default os.availableParallelism()
   */
  threads?: number;
  /**
   * Partitions of `parallelize`, `range` and shuffles when not given.
   * @default max(threads, 2)
   */
  defaultParallelism?: number;
  /**
   * Bytes of shared memory that cached partitions may hold; over it, least recently used cached partitions are
   * dropped (and recomputed from lineage when needed).
   * @default 1 GiB, or a quarter of the machine's memory if that is less
   */
  memoryBytesMax?: number;
  /**
   * Bytes of shared memory that shuffle map outputs may hold (within `memoryBytesMax`); map tasks write outputs
   * that would go over it to spill files, which the operating system keeps in its page cache (not in the process's
   * memory) while it has room. A shuffle's outputs stay until no dataset can read them again, so a large shuffle
   * held in memory would hold its whole size through the job. Memory granted beyond the default 1 GiB budget goes a
   * quarter to shuffles: with `memoryBytesMax: 8 GiB`, two cached 1e7-row tables join without writing their shuffle
   * to files.
   * @default 64 MiB plus a quarter of `memoryBytesMax` above 1 GiB (never more than `memoryBytesMax`)
   */
  shuffleMemoryBytesMax?: number;
  /**
   * A dataset `join` whose one side is estimated under this many bytes (a source's blocks or file splits, before
   * filters) sends that side whole to every task of the other instead of shuffling both (Spark's
   * `autoBroadcastJoinThreshold`); 0 never does.
   * @default 10 MiB
   */
  broadcastJoinBytesMax?: number;
  /**
   * Bytes of a shuffled join task's build side (its partition of the side it hashes) held in memory: a larger one
   * is split with both sides' rows, by a second hash of the key tuple, into buckets written to spill files, then
   * joined a bucket at a time (a "grace" hash join, as DuckDB's). The default lets every thread's join task hold
   * its build side together within half of `memoryBytesMax`: the hash table and the answer take about as much again.
   * @default memoryBytesMax / (2 × threads) (256 MiB at the default 1 GiB and 2 threads)
   */
  joinBuildBytesMax?: number;
  /**
   * Directory for temporary files (spills, staging of outputs).
   * @default os.tmpdir()
   */
  tmpDir?: string;
  /**
   * Attempts of a task before its job fails, for failures that may be the user's (exceptions, out of memory,
   * timeouts). A worker thread that dies is retried separately.
   * @default 4
   */
  taskAttemptsMax?: number;
  /**
   * A task attempt that reports no progress for this long is terminated and retried. `0` disables the watch.
   * @default 120000
   */
  taskTimeoutMs?: number;
  /**
   * V8 old-generation heap limit of each worker thread, in MiB. A task that goes over it fails as out of memory,
   * naming the limit; it is retried once (an out-of-memory failure repeats on any thread), then its job fails. `0`
   * keeps Node's default, the main thread's limit (up to 4 GiB per thread), which a task that grows without bound
   * takes minutes to reach.
   * @default the threads' share of half the machine's memory less `memoryBytesMax`, within 256 to 2048 MiB (2048 on
   * a 24 GiB machine with 2 threads); 0 when `threads` is 0
   */
  workerHeapMbMax?: number;
  /**
   * When no task has run for this long, the worker threads end and give their memory back (about 13 MiB each at
   * rest); the next task starts them again, at the cost of a thread start and of the thread's caches (compiled
   * functions, broadcast values, shuffle tables), fetched again. `0` keeps them for the Context's life. The default
   * is Spark's `executorIdleTimeout` under dynamic allocation.
   * @default 60000
   */
  workerIdleTimeoutMs?: number;
  /**
   * Seed of the engine's own randomness (range partitioner sampling), so runs replay.
   * @default 42
   */
  seed?: number;
  /**
   * Directory under which `rdd.checkpoint()` writes checkpoints (one subdirectory per checkpoint). Required for
   * reliable checkpoints; `localCheckpoint()` does not need it.
   * @default null
   */
  checkpointDir?: string | null;
  /**
   * Reliable checkpoints this Context keeps on disk; writing one more deletes the oldest it wrote, whose dataset
   * then computes from lineage again.
   * @default unlimited (Number.MAX_SAFE_INTEGER)
   */
  checkpointRetain?: number;
  /**
   * Times a stage may find a parent's shuffle output lost or corrupt (a fetch failure) and have it recomputed,
   * per task, before the job fails.
   * @default 4
   */
  stageAttemptsMax?: number;
  /**
   * Seeded fault injection: make chosen or random task attempts throw, crash, hang, run out of memory, or lose or
   * corrupt a shuffle block, to prove a job recovers. Change it between jobs with `kc.setFaults()`.
   * @default null (no faults)
   */
  faults?: FaultsOption | null;
  /**
   * Speculative execution (Spark's `spark.speculation`): once `quantile` of a stage's tasks finished, a task running
   * longer than `multiplier` × their median duration (and over `minTaskMs`) gets a copy; the first to finish
   * commits. `true` uses the defaults { quantile: 0.75, multiplier: 1.5, minTaskMs: 100 }.
   * @default null (off)
   */
  speculation?: SpeculationOptions | boolean | null;
  /**
   * Write an event log (JSON lines, schema in `src/events/event-schema.ts`) of this Context's application, jobs,
   * stages and tasks into this directory, for `kindling-history` and your own tools. A string is the directory.
   * @default null (no log)
   */
  eventLog?: string | EventLogOptions | null;
  /**
   * Serve the live web UI (jobs, stages, tasks, stage graph, environment). `true` listens on 127.0.0.1:4040, or the
   * next free port; any host other than loopback must be named here explicitly.
   * @default false
   */
  ui?: boolean | UiOptions;
  /**
   * Spark's console progress bar on stderr: `'auto'` draws it only when stderr is a terminal.
   * @default 'auto'
   */
  progress?: 'auto' | boolean;
}

/** Where and how the event log is written. */
export interface EventLogOptions {
  dir: string;
  /** A log part file is closed and the next one started before it passes this size. @default 64 MiB */
  fileBytesMax?: number;
  /** Buffered events are written at least this often, and at every job end. @default 1000 */
  flushIntervalMs?: number;
}

/** Where the live UI listens. */
export interface UiOptions {
  /** First port tried; the next ones are tried when it is taken. `0` lets the system pick. @default 4040 */
  port?: number;
  /** WARNING: a host other than 127.0.0.1, ::1 or localhost exposes job names and errors. @default '127.0.0.1' */
  host?: string;
}

/** When a running task gets a speculative copy. Every field is optional. */
export interface SpeculationOptions {
  /** Fraction of the stage's tasks that must have finished first, in (0, 1]. @default 0.75 */
  quantile?: number;
  /** How many times the median duration of finished tasks a task must run to be slow, >= 1. @default 1.5 */
  multiplier?: number;
  /** Tasks shorter than this are never copied. @default 100 */
  minTaskMs?: number;
}

/** {@link SpeculationOptions} with defaults filled in. */
export interface ResolvedSpeculation {
  readonly quantile: number;
  readonly multiplier: number;
  readonly minTaskMs: number;
}

/** {@link ContextOptions} with every default filled in and every value checked. */
export interface ResolvedContextOptions {
  readonly threads: number;
  readonly defaultParallelism: number;
  readonly memoryBytesMax: number;
  /** At most `memoryBytesMax`. */
  readonly shuffleMemoryBytesMax: number;
  readonly broadcastJoinBytesMax: number;
  readonly joinBuildBytesMax: number;
  readonly tmpDir: string;
  readonly taskAttemptsMax: number;
  readonly taskTimeoutMs: number;
  readonly workerHeapMbMax: number;
  readonly workerIdleTimeoutMs: number;
  readonly seed: number;
  readonly checkpointDir: string | null;
  readonly checkpointRetain: number;
  readonly stageAttemptsMax: number;
  readonly faults: FaultsOption | null;
  readonly speculation: ResolvedSpeculation | null;
  readonly eventLog: { readonly dir: string; readonly fileBytesMax: number; readonly flushIntervalMs: number } | null;
  readonly ui: { readonly port: number; readonly host: string } | null;
  readonly progress: 'auto' | boolean;
}
