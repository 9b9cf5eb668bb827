/**
 * A worker thread's `console.log` output, delivered before its task's result. A worker's stdout and stderr are streams
 * that the driver thread reads and prints: a result that left before them could be followed by the driver's exit
 * (`process.exit()` right after an action) with the task's last lines still on their way, lost. Measured: a job of two
 * tasks logging 10,000 lines each, then `process.exit(0)`, printed 3 or 10,002 of its 20,001 lines. Piscina waits the
 * same way, but only for threads that wait for tasks with Atomics.wait (piscina/dist/worker.js); ours wait with
 * Atomics.waitAsync (backend/piscina-backend.ts).
 */

/**
 * Resolves once everything written so far to this thread's `process.stdout` and `process.stderr` has been handed to
 * the driver thread (a write's callback runs after the writes queued before it). At once when nothing is pending.
 *
 * @example
 * const reason = await runTask(task); await flushWorkerStdio(); return reason;
 */
export async function flushWorkerStdio(): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength > 0) await new Promise<void>((resolve) => stream.write('', () => resolve()));
  }
}
