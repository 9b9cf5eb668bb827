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

/**
 * A getter of the module at `url` (resolved by the caller with `import.meta.resolve`) that loads it, synchronously,
 * at its first call and hands back the same module after: for driver modules most programs never use (the function
 * parser, the event log writer, the text output committer), whose callers are synchronous. Where this Node cannot
 * load ES modules on demand, the module is imported now and the getter returns it. The module and everything it
 * imports must not use top-level `await` (`require` refuses such a graph: ERR_REQUIRE_ASYNC_MODULE).
 *
 * @example
 * const acorn = await onFirstUse<typeof import('acorn')>(import.meta.resolve('acorn'));
 * acorn().parse(source, options); // acorn loads here, at the first call
 */
export async function onFirstUse<T>(url: string): Promise<() => T> {
  if (requireSync === null) {
    const loaded = (await import(url)) as T;
    return () => loaded;
  }
  let loaded: T | null = null;
  return () => (loaded ??= requireSync(fileURLToPath(url)) as T);
}
