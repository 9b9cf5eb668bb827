/**
 * apache-arrow, loaded once per thread when first needed (issue 11): its modules cost about 20 MiB per isolate,
 * and most tasks never touch Arrow IPC (map outputs, results and cached partitions are blocks, read with typed
 * arrays). The main thread loads it at once (the API hands users Arrow tables); a worker thread loads it before a
 * task that needs it (`loadArrow`, see executor/run-task.ts). Always the ES module: one copy per thread (pitfall 4).
 */
import type * as ArrowNamespace from 'apache-arrow';
import { isMainThread } from 'node:worker_threads';
import { AssertionError } from '../common/errors.js';

type ArrowModule = typeof ArrowNamespace;

let loaded: ArrowModule | null = isMainThread ? await import('apache-arrow') : null;

/**
 * Loads apache-arrow on this thread (once).
 *
 * @example
 * await loadArrow(); // then arrow() may be called synchronously
 */
export async function loadArrow(): Promise<ArrowModule> {
  loaded ??= await import('apache-arrow');
  return loaded;
}

/** Hands over the module a thread already imported (the API layer does, on any thread that loads it). */
export function provideArrow(module: ArrowModule): void {
  loaded ??= module;
}

/**
 * The apache-arrow module of this thread; throws when a worker reaches Arrow code without `loadArrow()` first
 * (a task the executor did not expect to need it: a bug to fix in `needsArrow`).
 */
export function arrow(): ArrowModule {
  if (loaded === null) {
    throw new AssertionError('apache-arrow is used on a worker thread before loadArrow(): see executor/needs-arrow.ts');
  }
  return loaded;
}
