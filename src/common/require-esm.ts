/**
 * Synchronous loading of an ES module on first use (issue 11): apache-arrow and hyparquet cost ~20 MiB per thread,
 * and most programs and tasks never touch them, but the code that needs them is synchronous (`kc.fromArrow`,
 * footer planning of `readParquet`, spill files). Node ≥ 20.19 / 22.12 can `require()` an ES module: the module
 * is linked and evaluated at once and is the same instance an `import` of the same URL gives (one copy per thread,
 * pitfall 4 of DESIGN.md). On an older Node kindling's entry imports them eagerly (src/index.ts).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { AssertionError } from './errors.js';

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

/** The URLs given to `onFirstUse` on a Node that cannot load them on demand, and each module once imported. */
const preloaded = new Map<string, unknown>();

/**
 * A getter of the module at `url` (resolved by the caller with `import.meta.resolve`) that loads it, synchronously,
 * at its first call and hands back the same module after: for driver modules most programs never use (the function
 * parser, the event log writer, the text output committer), whose callers are synchronous. The module and everything
 * it imports must not use top-level `await` (`require` refuses such a graph: ERR_REQUIRE_ASYNC_MODULE).
 *
 * Synchronous, with no top-level `await` in its callers, so that kindling's entry (src/index.ts) can load the whole
 * public surface with `require(esm)`. Where this Node cannot load ES modules on demand, the entry imports every
 * module given here before it hands the surface over (`preloadOnDemandModules`), and the getter returns that.
 *
 * @example
 * const acorn = onFirstUse<typeof import('acorn')>(import.meta.resolve('acorn'));
 * acorn().parse(source, options); // acorn loads here, at the first call
 */
export function onFirstUse<T>(url: string): () => T {
  let loaded: T | null = null;
  if (requireSync === null) {
    preloaded.set(url, null);
    return () => (loaded ??= preloadedModule<T>(url));
  }
  return () => (loaded ??= requireSync(fileURLToPath(url)) as T);
}

/**
 * Imports every module given to `onFirstUse` so far, on a Node that cannot load them on demand (nothing to do on one
 * that can). Kindling's entry awaits it before it hands the public surface over.
 *
 * @example
 * const surface = await import('./surface.js'); await preloadOnDemandModules();
 */
export async function preloadOnDemandModules(): Promise<void> {
  if (requireSync !== null) return;
  await Promise.all(
    [...preloaded.keys()].map(async (url) => {
      preloaded.set(url, await import(url));
    }),
  );
}

function preloadedModule<T>(url: string): T {
  const module = preloaded.get(url);
  if (module === null || module === undefined) {
    throw new AssertionError(
      `${url} is used before it was imported: on a Node without require(esm), import kindling through its entry ` +
        '(src/index.ts), which imports the modules loaded on first use',
    );
  }
  return module as T;
}
