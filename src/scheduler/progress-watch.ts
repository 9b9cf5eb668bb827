import type { Clock } from '../common/clock.js';

/** Checks of a running task's heartbeat per timeout period: detection within `taskTimeoutMs` + one check. */
const CHECKS_PER_TIMEOUT = 20;

/**
 * Watches a task's progress counter (advanced by the executor as it processes records) and calls `onStall` when it
 * has not moved for `timeoutMs`. A slow task that still progresses is never stalled. Returns the stop function.
 * `timeoutMs` of 0 or Infinity disables the watch. The period starts at the task's first heartbeat: time spent
 * waiting for a thread, or in a thread still starting up, is not the task's, and terminating a thread while it
 * loads its module can crash V8 (see the Piscina backend).
 *
 * @example
 * const stop = watchProgress(task.progress, 30_000, systemClock, () => abort.abort('timed-out'));
 */
export function watchProgress(
  progress: SharedArrayBuffer | null,
  timeoutMs: number,
  clock: Clock,
  onStall: () => void,
): () => void {
  if (progress === null || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return () => {};
  const counter = new Int32Array(progress);
  let lastValue = Atomics.load(counter, 0);
  let lastChangeMs = clock.nowMs();
  const timer = setInterval(
    () => {
      const value = Atomics.load(counter, 0);
      const now = clock.nowMs();
      if (value === 0) {
        lastChangeMs = now;
      } else if (value !== lastValue) {
        lastValue = value;
        lastChangeMs = now;
      } else if (now - lastChangeMs >= timeoutMs) {
        clearInterval(timer);
        onStall();
      }
    },
    Math.max(1, Math.floor(timeoutMs / CHECKS_PER_TIMEOUT)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
