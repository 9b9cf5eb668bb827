import { availableParallelism, tmpdir } from 'node:os';
import { optionNames, refuseUnknownOptions } from './check-options.js';
import { OptionsError } from './errors.js';
import { checkFaults, type FaultsOption } from './faults.js';

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
   * V8 old-generation heap limit of each worker thread, in MiB. `0` keeps Node's default.
   * @default 0
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

const GIB = 1024 ** 3;

/** Every option of a Context: any other key is refused (issue 14). */
export const CONTEXT_OPTIONS = optionNames<ContextOptions>({
  threads: true,
  defaultParallelism: true,
  memoryBytesMax: true,
  shuffleMemoryBytesMax: true,
  tmpDir: true,
  taskAttemptsMax: true,
  taskTimeoutMs: true,
  workerHeapMbMax: true,
  workerIdleTimeoutMs: true,
  seed: true,
  checkpointDir: true,
  checkpointRetain: true,
  stageAttemptsMax: true,
  faults: true,
  speculation: true,
  eventLog: true,
  ui: true,
  progress: true,
  broadcastJoinBytesMax: true,
});

/** Shuffle outputs kept in shared memory by default (issue 11): a few map tasks' worth; the rest go to files. */
const SHUFFLE_MEMORY_BYTES_DEFAULT = 64 * 1024 * 1024;

/**
 * The default shuffle budget for a memory budget: 64 MiB at the default 1 GiB (issue 11: the 1 GiB word count held
 * ~150 MB of map outputs through its job; in files they cost little more), plus a quarter of what a user grants
 * above it. With 8 GiB and the 64 MiB budget, a join of two cached 1e7-row tables wrote all ~1.1 GB of its shuffle
 * to files and read it back (a map task keeps at most budget / (4 × threads) in memory): a quarter of its CPU.
 */
function shuffleMemoryBytesDefault(memoryBytesMax: number): number {
  return SHUFFLE_MEMORY_BYTES_DEFAULT + Math.max(0, Math.floor((memoryBytesMax - GIB) / 4));
}

const SPECULATION_OPTIONS = optionNames<SpeculationOptions>({ quantile: true, multiplier: true, minTaskMs: true });

/**
 * Fills defaults and validates; a bad option is an `OptionsError` naming the option, what it needs and what it got,
 * and a key that is no option (a typo) is refused with the closest known option.
 */
export function resolveContextOptions(
  options: ContextOptions = {},
  machine = { cores: availableParallelism(), memoryBytes: 0 },
): ResolvedContextOptions {
  refuseUnknownOptions('new Context()', options, CONTEXT_OPTIONS);
  const threads = integer(options, 'threads', machine.cores, 0);
  const memoryDefault = machine.memoryBytes > 0 ? Math.min(GIB, machine.memoryBytes / 4) : GIB;
  const memoryBytesMax = integer(options, 'memoryBytesMax', memoryDefault, 1);
  return {
    threads,
    defaultParallelism: integer(options, 'defaultParallelism', Math.max(threads, 2), 1),
    memoryBytesMax,
    shuffleMemoryBytesMax: Math.min(
      memoryBytesMax,
      integer(options, 'shuffleMemoryBytesMax', shuffleMemoryBytesDefault(memoryBytesMax), 0),
    ),
    broadcastJoinBytesMax: integer(options, 'broadcastJoinBytesMax', 10 * 1024 * 1024, 0),
    tmpDir: text(options, 'tmpDir', tmpdir()),
    taskAttemptsMax: integer(options, 'taskAttemptsMax', 4, 1),
    taskTimeoutMs: integer(options, 'taskTimeoutMs', 120_000, 0),
    workerHeapMbMax: integer(options, 'workerHeapMbMax', 0, 0),
    workerIdleTimeoutMs: integer(options, 'workerIdleTimeoutMs', 60_000, 0),
    seed: integer(options, 'seed', 42, Number.MIN_SAFE_INTEGER),
    checkpointDir:
      options.checkpointDir === undefined || options.checkpointDir === null ? null : text(options, 'checkpointDir', ''),
    checkpointRetain: integer(options, 'checkpointRetain', Number.MAX_SAFE_INTEGER, 1),
    stageAttemptsMax: integer(options, 'stageAttemptsMax', 4, 1),
    faults: options.faults === undefined || options.faults === null ? null : checkFaults(options.faults),
    speculation: resolveSpeculation(options.speculation),
    eventLog: resolveEventLog(options.eventLog),
    ui: resolveUi(options.ui),
    progress: resolveProgress(options.progress),
  };
}

/** Smallest part file the event log rotates at: one task-end line of a failed task with its stack fits. */
const EVENT_LOG_FILE_BYTES_MIN = 4096;

function resolveEventLog(value: ContextOptions['eventLog']): ResolvedContextOptions['eventLog'] {
  if (value === undefined || value === null) return null;
  const given: EventLogOptions = typeof value === 'string' ? { dir: value } : value;
  if (typeof given !== 'object' || typeof given.dir !== 'string' || given.dir.length === 0) {
    throw new OptionsError(
      `Context option eventLog must be a directory path or { dir }, found ${JSON.stringify(value)}`,
    );
  }
  const field = (name: 'fileBytesMax' | 'flushIntervalMs', fallback: number, min: number) => {
    const n = given[name];
    if (n === undefined) return fallback;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
      throw new OptionsError(
        `Context option eventLog.${name} must be an integer >= ${min}, found ${JSON.stringify(n)}`,
      );
    }
    return n;
  };
  return {
    dir: given.dir,
    fileBytesMax: field('fileBytesMax', 64 * 1024 * 1024, EVENT_LOG_FILE_BYTES_MIN),
    flushIntervalMs: field('flushIntervalMs', 1000, 1),
  };
}

function resolveUi(value: ContextOptions['ui']): ResolvedContextOptions['ui'] {
  if (value === undefined || value === false) return null;
  const given: UiOptions = value === true ? {} : value;
  if (typeof given !== 'object' || given === null) {
    throw new OptionsError(`Context option ui must be true, false or { port, host }, found ${JSON.stringify(value)}`);
  }
  const port = given.port ?? 4040;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
    throw new OptionsError(`Context option ui.port must be an integer in [0, 65535], found ${JSON.stringify(port)}`);
  }
  const host = given.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) {
    throw new OptionsError(`Context option ui.host must be a non-empty string, found ${JSON.stringify(host)}`);
  }
  return { port, host };
}

function resolveProgress(value: ContextOptions['progress']): 'auto' | boolean {
  if (value === undefined) return 'auto';
  if (value !== 'auto' && value !== true && value !== false) {
    throw new OptionsError(`Context option progress must be 'auto', true or false, found ${JSON.stringify(value)}`);
  }
  return value;
}

function resolveSpeculation(value: SpeculationOptions | boolean | null | undefined): ResolvedSpeculation | null {
  if (value === undefined || value === null || value === false) return null;
  if (value !== true && (typeof value !== 'object' || Array.isArray(value))) {
    throw new OptionsError(`Context option speculation must be an object, true or false, found ${String(value)}`);
  }
  const given: SpeculationOptions = value === true ? {} : value;
  refuseUnknownOptions('Context option speculation', given, SPECULATION_OPTIONS);
  const field = (name: keyof SpeculationOptions, fallback: number, ok: (n: number) => boolean, need: string) => {
    const n = given[name];
    if (n === undefined) return fallback;
    if (typeof n !== 'number' || !ok(n)) {
      throw new OptionsError(`Context option speculation.${name} must be ${need}, found ${JSON.stringify(n)}`);
    }
    return n;
  };
  return {
    quantile: field('quantile', 0.75, (n) => n > 0 && n <= 1, 'a number in (0, 1]'),
    multiplier: field('multiplier', 1.5, (n) => n >= 1 && Number.isFinite(n), 'a finite number >= 1'),
    minTaskMs: field('minTaskMs', 100, (n) => Number.isSafeInteger(n) && n >= 0, 'an integer >= 0'),
  };
}

function integer(options: ContextOptions, name: keyof ContextOptions, fallback: number, min: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new OptionsError(`Context option ${name} must be an integer >= ${min}, found ${JSON.stringify(value)}`);
  }
  return value;
}

function text(options: ContextOptions, name: keyof ContextOptions, fallback: string): string {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new OptionsError(`Context option ${name} must be a non-empty string, found ${JSON.stringify(value)}`);
  }
  return value;
}
