/**
 * Frees the driver's dead shared memory at the start of a job. The blocks of collected answers and of map outputs
 * are SharedArrayBuffers the worker threads allocated: the driver's V8 does not count them (its external memory
 * stays at a few MiB while it holds GiBs of them), so nothing makes it collect when the user drops an answer, and
 * the driver's small heap rarely fills. Each dropped 1e7-row join answer (~650 MiB) stayed in the process until a
 * major collection: the join runner's RSS went 2.5 → 9.6 GiB over five questions. The bytes the jobs' tasks wrote
 * are counted instead, and a full collection runs when they pass `SHARED_BYTES_MIN` and the heap's used size (so its
 * cost, which grows with the heap, stays small beside the work that wrote them).
 */
import { getHeapStatistics } from 'node:v8';
import { takeGc } from '../../common/full-gc.js';

/**
 * Bytes written by tasks since the last collection after which the next job starts with one: as V8's own trigger
 * for the buffers it counts (~64 MiB). A full collection of a driver's heap of tens of MiB takes milliseconds;
 * writing 64 MiB of blocks takes the workers tens of them. (At 256 MiB the join runner at 1e6 rows, ~65 MiB an
 * answer, peaked ~100 MiB above a collection after every answer.)
 */
export const SHARED_BYTES_MIN = 64 * 1024 * 1024;

/**
 * Counts what jobs wrote and collects when it is due.
 *
 * @example
 * const driverGc = new DriverGc();
 * driverGc.collectIfDue(); const metrics = await runJob(); driverGc.noteWritten(metrics.bytesWritten);
 */
export class DriverGc {
  readonly #bytesMin: number;
  #gc: (() => void) | undefined | null;
  #writtenBytes = 0;

  /** `gc` defaults to V8's, taken on first use (see `takeGc`). */
  constructor(bytesMin = SHARED_BYTES_MIN, gc: (() => void) | null = null) {
    this.#bytesMin = bytesMin;
    this.#gc = gc;
  }

  /** Bytes written by tasks since the last collection. */
  get writtenBytes(): number {
    return this.#writtenBytes;
  }

  /** Adds a job's written bytes (results and map outputs: shared memory the driver may hold). */
  noteWritten(bytes: number): void {
    this.#writtenBytes += bytes;
  }

  /** Runs a full collection when enough was written since the last one. Returns whether it collected. */
  collectIfDue(): boolean {
    if (this.#writtenBytes < Math.max(this.#bytesMin, getHeapStatistics().used_heap_size)) return false;
    this.#gc ??= takeGc();
    if (this.#gc === undefined) return false;
    this.#gc();
    this.#writtenBytes = 0;
    return true;
  }
}
