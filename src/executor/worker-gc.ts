/**
 * Collects a worker thread's garbage after a task that left much of it in buffers (issue 11). The columnar
 * kernels allocate few JavaScript objects but large buffers (4 MiB text batches, row indices, hash tables): V8
 * frees a dead buffer only at a collection, and with few objects allocated the young generation rarely fills, so
 * collections come from V8's external-memory trigger, about 64 MiB of buffers after the last one. Each thread then
 * held up to ~64 MiB of dead buffers through a job and after it (an idle thread collects nothing): on the 256 MiB
 * word count ~25 MiB of the process's peak, and all of it at rest. A full collection of a worker's small heap takes
 * a few milliseconds, once per task that grew the buffers by `GROWTH_BYTES_MIN`, so only tasks that move tens of
 * MiB (hundreds of milliseconds) pay it.
 */
import { getHeapStatistics } from 'node:v8';
import { takeGc } from '../common/full-gc.js';

/** Growth of external memory (buffers) since the thread's lowest reading after which a task ends with a collection. */
export const GROWTH_BYTES_MIN = 32 * 1024 * 1024;

let gc: (() => void) | undefined | null = null;
/** The lowest external memory seen since the last collection here (V8 frees dead buffers' bytes after a collection). */
let lowestBytes = Number.POSITIVE_INFINITY;

/**
 * Runs a full collection when the thread's buffers grew by `GROWTH_BYTES_MIN` or more since their lowest reading.
 * Returns whether it collected.
 *
 * @example
 * await runTask(task); collectIfBuffersGrew();
 */
export function collectIfBuffersGrew(): boolean {
  const bytes = getHeapStatistics().external_memory;
  lowestBytes = Math.min(lowestBytes, bytes);
  if (bytes - lowestBytes < GROWTH_BYTES_MIN) return false;
  gc ??= takeGc();
  if (gc === undefined) return false;
  gc();
  // Buffers freed by the collection leave the count a little later (V8 sweeps them concurrently): read it then.
  lowestBytes = Number.POSITIVE_INFINITY;
  return true;
}
