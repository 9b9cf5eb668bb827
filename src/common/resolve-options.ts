import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { optionNames, refuseUnknownOptions } from './check-options.js';
import { describeValue } from './describe-value.js';
import { OptionsError } from './errors.js';
import { checkFaults, refuseOomWithoutHeapLimit } from './faults.js';
import type {
  ContextOptions,
  EventLogOptions,
  ResolvedContextOptions,
  ResolvedSpeculation,
  SpeculationOptions,
  UiOptions,
} from './options.js';

// Resolving the options of a Context: every default, in one place, and a check of every value given, so a bad
// option fails `new Context()` naming the option, what it needs and what it got.

const MIB = 1024 ** 2;
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
  joinBuildBytesMax: true,
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

/** Bounds of the default heap limit of a worker thread, in MiB (`workerHeapMbDefault`). */
const WORKER_HEAP_MB_DEFAULT_MIN = 256;
const WORKER_HEAP_MB_DEFAULT_MAX = 2048;

/**
 * The default V8 heap limit of each worker thread, in MiB: the threads' share of half the machine's memory, less the
 * shared memory budget (`memoryBytesMax`), within [256, 2048]; 0 (Node's default) with no threads or an unknown
 * machine. Why a default at all: Node gives every worker thread the main thread's limit (4 GiB on a 24 GiB machine),
 * so a task that grows without bound on 2 threads took ~8.4 GB with the driver and 18 s per attempt before V8 stopped
 * it, and the job failed after minutes of retries. The other half of the machine is left to the driver (whose heap
 * keeps Node's default), the operating system and other processes; shared buffers are outside the threads' heaps
 * (DESIGN.md pitfall 1) and come off their half. Why at most 2 GiB: an attempt that exhausts its heap is slower to
 * fail the larger it is (measured on the 2-vCPU VM, round 30: 1.9 s at 512 MiB, 4.1 s at 1 GiB, 9.6 s at 2 GiB (16 s
 * under a load of 15), 18 s at 4 GiB), and the heavy paths measured fit in it: the word count of the 256 MiB corpus on
 * either engine, and the RDD word count of one 100 MB line even when its flatMap returned one array of its ~19 M
 * words (1.7 GB of RSS). Why at least 256 MiB: a thread needs ~10 MiB to start, and combiners' maps of an ordinary
 * partition take tens; below that a many-core, small-memory machine would fail jobs that run. A user who needs more says so with `workerHeapMbMax`, and the out-of-memory error says how.
 *
 * @example
 * workerHeapMbDefault(24 * 2 ** 30, 2, 2 ** 30); // 2048 (the share, 5,632 MiB, is over the bound)
 * workerHeapMbDefault(8 * 2 ** 30, 8, 2 ** 30); // 384
 */
export function workerHeapMbDefault(memoryBytes: number, threads: number, memoryBytesMax: number): number {
  if (threads === 0 || memoryBytes <= 0) return 0;
  const shareMb = Math.floor((memoryBytes / 2 - memoryBytesMax) / threads / MIB);
  return Math.min(WORKER_HEAP_MB_DEFAULT_MAX, Math.max(WORKER_HEAP_MB_DEFAULT_MIN, shareMb));
}

const SPECULATION_OPTIONS = optionNames<SpeculationOptions>({ quantile: true, multiplier: true, minTaskMs: true });

/**
 * Fills defaults and validates; a bad option is an `OptionsError` naming the option, what it needs and what it got,
 * and a key that is no option (a typo) is refused with the closest known option.
 */
export function resolveContextOptions(
  options: ContextOptions = {},
  machine = { cores: availableParallelism(), memoryBytes: totalmem() },
): ResolvedContextOptions {
  refuseUnknownOptions('new Context()', options, CONTEXT_OPTIONS);
  const threads = integer(options, 'threads', machine.cores, 0, threadsMax(machine.cores));
  const memoryDefault = machine.memoryBytes > 0 ? Math.min(GIB, Math.floor(machine.memoryBytes / 4)) : GIB;
  const memoryBytesMax = integer(options, 'memoryBytesMax', memoryDefault, 1);
  const workerHeapMbMax = integer(
    options,
    'workerHeapMbMax',
    workerHeapMbDefault(machine.memoryBytes, threads, memoryBytesMax),
    0,
  );
  const faults = options.faults === undefined || options.faults === null ? null : checkFaults(options.faults);
  return {
    threads,
    defaultParallelism: integer(options, 'defaultParallelism', Math.max(threads, 2), 1),
    memoryBytesMax,
    shuffleMemoryBytesMax: Math.min(
      memoryBytesMax,
      integer(options, 'shuffleMemoryBytesMax', shuffleMemoryBytesDefault(memoryBytesMax), 0),
    ),
    broadcastJoinBytesMax: integer(options, 'broadcastJoinBytesMax', 10 * 1024 * 1024, 0),
    joinBuildBytesMax: integer(
      options,
      'joinBuildBytesMax',
      Math.floor(memoryBytesMax / (2 * Math.max(1, threads))),
      1,
    ),
    tmpDir: text(options, 'tmpDir', tmpdir()),
    taskAttemptsMax: integer(options, 'taskAttemptsMax', 4, 1),
    taskTimeoutMs: integer(options, 'taskTimeoutMs', 120_000, 0),
    workerHeapMbMax,
    workerIdleTimeoutMs: integer(options, 'workerIdleTimeoutMs', 60_000, 0),
    seed: integer(options, 'seed', 42, Number.MIN_SAFE_INTEGER),
    checkpointDir:
      options.checkpointDir === undefined || options.checkpointDir === null ? null : text(options, 'checkpointDir', ''),
    checkpointRetain: integer(options, 'checkpointRetain', Number.MAX_SAFE_INTEGER, 1),
    stageAttemptsMax: integer(options, 'stageAttemptsMax', 4, 1),
    faults: faults === null ? null : refuseOomWithoutHeapLimit(faults, { threads, workerHeapMbMax }),
    speculation: resolveSpeculation(options.speculation),
    eventLog: resolveEventLog(options.eventLog),
    ui: resolveUi(options.ui),
    progress: resolveProgress(options.progress),
  };
}

/** Smallest part file the event log rotates at: one task-end line of a failed task with its stack fits. */
const EVENT_LOG_FILE_BYTES_MIN = 4096;
/**
 * Largest: a limit on everything (STYLE.md). Readers parse a part a line at a time, so this bounds how much one
 * file holds, not what a reader can read back.
 */
const EVENT_LOG_FILE_BYTES_MAX = 256 * 1024 * 1024;

function resolveEventLog(value: ContextOptions['eventLog']): ResolvedContextOptions['eventLog'] {
  if (value === undefined || value === null) return null;
  const given: EventLogOptions = typeof value === 'string' ? { dir: value } : value;
  if (typeof given !== 'object' || typeof given.dir !== 'string' || given.dir.length === 0) {
    throw new OptionsError(
      `Context option eventLog must be a directory path or { dir }, found ${describeValue(value)}`,
    );
  }
  const field = (name: 'fileBytesMax' | 'flushIntervalMs', fallback: number, min: number, max?: number) => {
    const n = given[name];
    if (n === undefined) return fallback;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
      const range = max === undefined ? `>= ${min}` : `in [${min}, ${max}]`;
      throw new OptionsError(`Context option eventLog.${name} must be an integer ${range}, found ${describeValue(n)}`);
    }
    return n;
  };
  return {
    dir: given.dir,
    fileBytesMax: field('fileBytesMax', 64 * 1024 * 1024, EVENT_LOG_FILE_BYTES_MIN, EVENT_LOG_FILE_BYTES_MAX),
    flushIntervalMs: field('flushIntervalMs', 1000, 1),
  };
}

function resolveUi(value: ContextOptions['ui']): ResolvedContextOptions['ui'] {
  if (value === undefined || value === false) return null;
  const given: UiOptions = value === true ? {} : value;
  if (typeof given !== 'object' || given === null) {
    throw new OptionsError(`Context option ui must be true, false or { port, host }, found ${describeValue(value)}`);
  }
  const port = given.port ?? 4040;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
    throw new OptionsError(`Context option ui.port must be an integer in [0, 65535], found ${describeValue(port)}`);
  }
  const host = given.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) {
    throw new OptionsError(`Context option ui.host must be a non-empty string, found ${describeValue(host)}`);
  }
  return { port, host };
}

function resolveProgress(value: ContextOptions['progress']): 'auto' | boolean {
  if (value === undefined) return 'auto';
  if (value !== 'auto' && value !== true && value !== false) {
    throw new OptionsError(`Context option progress must be 'auto', true or false, found ${describeValue(value)}`);
  }
  return value;
}

function resolveSpeculation(value: SpeculationOptions | boolean | null | undefined): ResolvedSpeculation | null {
  if (value === undefined || value === null || value === false) return null;
  if (value !== true && (typeof value !== 'object' || Array.isArray(value))) {
    throw new OptionsError(
      `Context option speculation must be an object, true or false, found ${describeValue(value)}`,
    );
  }
  const given: SpeculationOptions = value === true ? {} : value;
  refuseUnknownOptions('Context option speculation', given, SPECULATION_OPTIONS);
  const field = (name: keyof SpeculationOptions, fallback: number, ok: (n: number) => boolean, need: string) => {
    const n = given[name];
    if (n === undefined) return fallback;
    if (typeof n !== 'number' || !ok(n)) {
      throw new OptionsError(`Context option speculation.${name} must be ${need}, found ${describeValue(n)}`);
    }
    return n;
  };
  return {
    quantile: field('quantile', 0.75, (n) => n > 0 && n <= 1, 'a number in (0, 1]'),
    multiplier: field('multiplier', 1.5, (n) => n >= 1 && Number.isFinite(n), 'a finite number >= 1'),
    minTaskMs: field('minTaskMs', 100, (n) => Number.isSafeInteger(n) && n >= 0, 'an integer >= 0'),
  };
}

/**
 * The most worker threads a Context starts: 256, or the machine's cores where it has more. Every thread is a V8
 * isolate started with the pool (~13 MiB at rest, and address space reserved for its code), and a typo such as
 * `threads: 1e6` used to end the process with a fatal out-of-memory error in `new Context()`; past the cores, threads
 * only help tasks that wait (a `pipe`), and 256 leaves room for that.
 */
export function threadsMax(cores: number): number {
  return Math.max(256, cores);
}

function integer(
  options: ContextOptions,
  name: keyof ContextOptions,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new OptionsError(`Context option ${name} must be an integer ${range}, found ${describeValue(value)}`);
  }
  return value;
}

function text(options: ContextOptions, name: keyof ContextOptions, fallback: string): string {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new OptionsError(`Context option ${name} must be a non-empty string, found ${describeValue(value)}`);
  }
  return value;
}
