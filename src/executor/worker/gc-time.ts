import { PerformanceObserver } from 'node:perf_hooks';

/** Milliseconds of garbage-collection pauses this thread has reported since it first asked. */
let gcMsReported = 0;
let observer: PerformanceObserver | null = null;

/**
 * The GC pause time this thread's V8 has reported so far (a task reports the difference between its start and its
 * end as `gcMs`). Node delivers a `gc` performance entry after the collection, on the thread's event loop: a
 * collection at the very end of a task is counted in the thread's next task. Exact per-task attribution
 * (`v8.GCProfiler` started and stopped around each task) cost ~30 µs per task, a third of an empty task's whole
 * cost, so it is not used; this costs nothing per task, only a callback per reported batch of collections.
 *
 * @example
 * const gcBefore = threadGcMs(); run(); const gcMs = threadGcMs() - gcBefore;
 */
export function threadGcMs(): number {
  if (observer === null) {
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMsReported += entry.duration;
    });
    observer.observe({ entryTypes: ['gc'] });
  }
  return gcMsReported;
}
