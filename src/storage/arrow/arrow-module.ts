/**
 * apache-arrow, loaded once per thread when first needed (issue 11): its modules cost about 20 MiB per isolate,
 * and most programs and tasks never touch Arrow (map outputs, results and cached partitions are blocks, read with
 * typed arrays). On a Node that can `require()` an ES module (common/require-esm.ts), `arrow()` loads it
 * synchronously at the first call, on any thread: the driver only when the program uses `fromArrow`, `toArrow`,
 * `readArrow`, a checkpoint or a spill file. On an older Node kindling's entry imports it at once (src/index.ts), and
 * a worker thread before a task that needs it (`loadArrow`, see executor/run-task.ts). Always the ES module: one copy per
 * thread (pitfall 4).
 */
import type * as ArrowNamespace from 'apache-arrow';
import type * as ArrowFooterNamespace from 'apache-arrow/ipc/metadata/file';
import { AssertionError } from '../../common/errors.js';
import { requireEsm } from '../../common/require-esm.js';

type ArrowModule = typeof ArrowNamespace;
type ArrowFooterModule = typeof ArrowFooterNamespace;

// No top-level `await` here (an older Node's fallback): kindling's entry loads the public surface with require(esm),
// which refuses a graph that has one; on an older Node the entry awaits `loadArrow()` instead (src/index.ts).
let loaded: ArrowModule | null = null;
let footerLoaded: ArrowFooterModule | null = null;

/**
 * Loads apache-arrow on this thread (once).
 *
 * @example
 * await loadArrow(); // then arrow() may be called synchronously
 */
export async function loadArrow(): Promise<ArrowModule> {
  loaded ??= loadNow() ?? (await import('apache-arrow'));
  footerLoaded ??= loadFooterNow() ?? (await import('apache-arrow/ipc/metadata/file'));
  return loaded;
}

/** Hands over the module a thread already imported (`toArrow` does, see api/dataset/dataset-arrow.ts). */
export function provideArrow(module: ArrowModule): void {
  loaded ??= module;
}

/**
 * The apache-arrow module of this thread, loaded now where Node can; throws when a worker on an older Node reaches
 * Arrow code without `loadArrow()` first (a task the executor did not expect to need it: a bug to fix in
 * `needsArrow`).
 */
export function arrow(): ArrowModule {
  loaded ??= loadNow();
  if (loaded === null) throw notLoaded();
  return loaded;
}

/**
 * apache-arrow's IPC footer decoder (not re-exported by the package root; the same module the root loads). The
 * root is loaded first: loaded alone, the subpath evaluates before the module that completes `Schema.decode`.
 */
export function arrowFooter(): ArrowFooterModule {
  arrow();
  footerLoaded ??= loadFooterNow();
  if (footerLoaded === null) throw notLoaded();
  return footerLoaded;
}

/** Whether this thread has loaded apache-arrow (tests check that a plain job never does). */
export function arrowLoaded(): boolean {
  return loaded !== null;
}

function loadNow(): ArrowModule | null {
  return requireEsm<ArrowModule>(import.meta.resolve('apache-arrow'));
}

function loadFooterNow(): ArrowFooterModule | null {
  return requireEsm<ArrowFooterModule>(import.meta.resolve('apache-arrow/ipc/metadata/file'));
}

function notLoaded(): AssertionError {
  return new AssertionError(
    'apache-arrow is used on a worker thread before loadArrow(): see executor/loading/needs-arrow.ts',
  );
}
