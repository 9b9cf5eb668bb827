import type { Clock } from '../common/clock.js';

/** Checks of a running task's heartbeat per timeout period: detection within `taskTimeoutMs` + one check. */
const CHECKS_PER_TIMEOUT = 10;

/**
 * Watches a task's progress counter (advanced by the executor as it processes records) and calls `onStall` when it
 * has not moved for `timeoutMs`. A slow task that still progresses is never stalled. Returns the stop function.
 * `timeoutMs` of 0 or Infinity disables the watch.
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
      if (value !== lastValue) {
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
