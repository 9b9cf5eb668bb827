/**
 * Synchronous loading of an ES module on first use (issue 11): apache-arrow and hyparquet cost ~20 MiB per thread,
 * and most programs and tasks never touch them, but the code that needs them is synchronous (`kc.fromArrow`,
 * footer planning of `readParquet`, spill files). Node ≥ 20.19 / 22.12 can `require()` an ES module: the module
 * is linked and evaluated at once and is the same instance an `import` of the same URL gives (one copy per thread,
 * pitfall 4 of DESIGN.md). On an older Node the callers fall back to importing eagerly.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const requireSync = process.features.require_module ? createRequire(import.meta.url) : null;

/** Whether this Node can load ES modules synchronously on demand (`require(esm)`). */
export const loadsOnDemand: boolean = requireSync !== null;

/**
 * The module at `url` (resolved by the caller with `import.meta.resolve`, so the `import` conditions pick the ES
 * module file), loaded now if this thread has not loaded it yet; null when this Node cannot (see `loadsOnDemand`).
 *
 * @example
 * const arrow = requireEsm<typeof import('apache-arrow')>(import.meta.resolve('apache-arrow'));
 */
export function requireEsm<T>(url: string): T | null {
  if (requireSync === null) return null;
  return requireSync(fileURLToPath(url)) as T;
}
