/**
 * Collects a worker thread's garbage left in buffers by its previous task, at the start of the next (issue 11). The
 * columnar kernels allocate few JavaScript objects but large buffers (4 MiB text batches, row indices, hash tables): V8
 * frees a dead buffer only at a collection, and with few objects allocated the young generation rarely fills, so
 * collections come from V8's external-memory trigger, about 64 MiB of buffers after the last one. Each thread then
 * held up to ~64 MiB of dead buffers through a job and after it: on the 256 MiB word count ~25 MiB of the process's
 * peak. A full collection of a worker's small heap takes a few milliseconds, once per task that grew the buffers by
 * `GROWTH_BYTES_MIN`, so only tasks that move tens of MiB (hundreds of milliseconds) pay it.
 *
 * A thread also collects as a task ends (`collectIfTaskLeftGarbage`), when the task grew its buffers or its
 * JavaScript heap (`HEAP_GROWTH_BYTES_MIN`): an idle thread runs nothing of ours until its next task, and V8 collects
 * an idle heap only when its memory reducer runs, ~8 s after the last collection (while threads waited in
 * Atomics.wait, before round 24, never), so the garbage of each thread's last task of a job stayed resident. After
 * an RDD job of 4 M records over a million keys (map-side combiners of a million entries), each of two idle threads
 * held ~120 MiB of dead heap: the process's RSS was ~420 MiB idle, ~180 MiB once the threads had collected.
 *
 * Reading the buffer bytes is itself the cost of small tasks: `process.memoryUsage()` also reads the process's RSS
 * from /proc (10–25 µs a call here), ~100 ms of CPU in a job of 10,000 short tasks whose process CPU is ~1.4 s. So a
 * thread reads them at most once per `READ_INTERVAL_MS`: less time than that cannot have written `GROWTH_BYTES_MIN`
 * of buffers (filling 32 MiB of fresh pages takes a core several milliseconds of page faults and memory bandwidth),
 * and growth a skipped reading did not see is seen by the next one, at most that much later.
 */
import { takeGc } from '../../common/full-gc.js';

/** Growth of buffer bytes since the thread's lowest reading after which the next task starts with a collection. */
export const GROWTH_BYTES_MIN = 32 * 1024 * 1024;

/**
 * Growth of the JavaScript heap's used bytes since the thread's lowest reading after which a task ends with a
 * collection. Above any young generation (two 2 MiB semi-spaces in a worker, backend/piscina-backend.ts; up to two
 * 16 MiB ones, Node's default, on the main thread of the inline backend), whose garbage alone would otherwise trigger
 * it after any task that allocates. Not higher: at 64 MiB the map tasks of a sort (~26 MiB of dead pairs each) left
 * three tasks' garbage per thread before a collection, and the word count's `--out` peaked at 295–324 MiB against
 * 264–268 at 32 MiB (5 pairs); the RDD word count's peak 284–337 against 235–261 MiB, its CPU within noise (11
 * pairs, median +1.6 %, spread −8 % to +10 %).
 */
export const HEAP_GROWTH_BYTES_MIN = 32 * 1024 * 1024;

/** A thread reads its buffer bytes at most once per this many milliseconds (a reading costs 1–2.5 % of that). */
export const READ_INTERVAL_MS = 1;

let gc: (() => void) | undefined | null = null;
/**
 * The lowest buffer bytes seen since the last collection here. Read from Node's allocator
 * (`process.memoryUsage().arrayBuffers`, ~40 µs), not V8's `external_memory`, which drops the bytes of the buffers a
 * collection freed only at the next collection (a young one too): a reading right after ours was high by them, and a
 * young collection during the next task then hid that task's growth.
 */
let lowestBytes = Number.POSITIVE_INFINITY;
/** The lowest used bytes of the JavaScript heap seen since the last collection here. */
let lowestHeapBytes = Number.POSITIVE_INFINITY;
/** When this thread last read its buffer bytes (`performance.now()`), and how many times it has (for tests). */
let lastReadMs = Number.NEGATIVE_INFINITY;
let readings = 0;

/**
 * Runs a full collection when the thread's buffers grew by `GROWTH_BYTES_MIN` or more since their lowest reading
 * (read at most once per `READ_INTERVAL_MS`): at a task's start, when the previous task's buffers are dead. Returns
 * whether it collected.
 *
 * @example
 * collectIfBuffersGrew(); await runTask(task);
 */
export function collectIfBuffersGrew(): boolean {
  return collectIfGrown(false);
}

/**
 * Runs a full collection when the thread's buffers grew by `GROWTH_BYTES_MIN` or its JavaScript heap by
 * `HEAP_GROWTH_BYTES_MIN` since their lowest readings (at most one reading per `READ_INTERVAL_MS`, shared with
 * `collectIfBuffersGrew`): at a task's end, once the task's own objects are dead, so that a thread that goes idle
 * holds none of them. Returns whether it collected.
 *
 * @example
 * const reason = await runTask(task); collectIfTaskLeftGarbage(); return reason;
 */
export function collectIfTaskLeftGarbage(): boolean {
  return collectIfGrown(true);
}

function collectIfGrown(watchHeap: boolean): boolean {
  const now = performance.now();
  if (now - lastReadMs < READ_INTERVAL_MS) return false;
  lastReadMs = now;
  readings++;
  const { arrayBuffers: bytes, heapUsed } = process.memoryUsage();
  lowestBytes = Math.min(lowestBytes, bytes);
  lowestHeapBytes = Math.min(lowestHeapBytes, heapUsed);
  const heapGrew = watchHeap && heapUsed - lowestHeapBytes >= HEAP_GROWTH_BYTES_MIN;
  if (bytes - lowestBytes < GROWTH_BYTES_MIN && !heapGrew) return false;
  gc ??= takeGc();
  if (gc === undefined) return false;
  gc();
  // V8 sweeps the old generation's dead buffers concurrently and frees them only at its next collection: a young
  // one (a millisecond or so at a task's start) frees them now, rather than somewhere in the next task.
  (gc as (options: { type: 'minor' }) => void)({ type: 'minor' });
  // Not infinity: the next reading comes only after the next task has allocated, which would then count as the
  // base and make only every other task collect.
  const after = process.memoryUsage();
  lowestBytes = after.arrayBuffers;
  lowestHeapBytes = after.heapUsed;
  return true;
}

/** How many times this thread has read its buffer bytes in `collectIfBuffersGrew` (tests bound it). */
export function bufferReadings(): number {
  return readings;
}
