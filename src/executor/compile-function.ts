import { assertNever } from '../common/assert.js';
import { describeValue } from '../common/describe-value.js';
import { isBroadcastMarker } from '../protocol/shipped-function.js';
import type { BroadcastMarker, ShippedFunction } from '../protocol/shipped-function.js';

/**
 * Worker side of DESIGN.md §4: turns a `ShippedFunction` back into a callable. Source functions are compiled once
 * per worker thread into a factory taking the capture values; module functions are imported once per worker.
 */

/** A user function as the executor calls it. Its arity and result depend on the operation it was passed to. */
export type CompiledFunction = (...args: any[]) => any;

type Factory = (...captureValues: unknown[]) => unknown;

/** Bound on compiled factories kept per worker thread; beyond it the least recently used is compiled again. */
export const COMPILED_FACTORIES_MAX = 1_000;

/**
 * Factories by capture names plus source. The text itself is the key, not a digest of it: a Map hashes strings
 * anyway, and an exact key can never mistake one function for another.
 */
const factories = new Map<string, Factory>();

/** Module namespaces by URL, as promises so that concurrent tasks share one import. */
const modules = new Map<string, Promise<Record<string, unknown>>>();

/**
 * The function `fn` describes, ready to call. Broadcast markers among the captures are replaced by
 * `resolveBroadcast(marker)` (which must not throw for broadcasts the task declared).
 *
 * @example
 * const isLong = await compileFunction(shipped, (marker) => broadcasts.get(marker.kindlingBroadcastId));
 * isLong('kindling'); // → true
 *
 * @throws Error naming `fn.label` when the source does not compile, the module cannot be imported, or the export
 *   or global is missing or not a function.
 */
export async function compileFunction(
  fn: ShippedFunction,
  resolveBroadcast: (marker: BroadcastMarker) => unknown,
): Promise<CompiledFunction> {
  switch (fn.kind) {
    case 'source':
      return compileSourceFunction(fn, resolveBroadcast);
    case 'module':
      return await loadModuleFunction(fn);
    case 'global':
      return resolveGlobalFunction(fn);
    default:
      return assertNever(fn, 'shipped function kind');
  }
}

/**
 * `compileFunction` for kind `'source'`, synchronously: builds (or reuses) the compiled factory and calls it with
 * the capture values, so each call gives a fresh closure over this task's copies of the captures.
 */
export function compileSourceFunction(
  fn: Extract<ShippedFunction, { kind: 'source' }>,
  resolveBroadcast: (marker: BroadcastMarker) => unknown,
): CompiledFunction {
  const names = Object.keys(fn.captures);
  const factory = factoryFor(fn.label, names, fn.source);
  const values = names.map((name) => {
    const value = fn.captures[name];
    return isBroadcastMarker(value) ? resolveBroadcast(value) : value;
  });
  const compiled = factory(...values);
  if (typeof compiled !== 'function') {
    throw new Error(`${fn.label}: the shipped source evaluates to ${describeValue(compiled)}, not to a function`);
  }
  return compiled as CompiledFunction;
}

function factoryFor(label: string, names: readonly string[], source: string): Factory {
  // Capture names are identifiers (checked on the driver), so ',' cannot occur inside one.
  const key = `${names.join(',')}\n${source}`;
  const cached = factories.get(key);
  if (cached !== undefined) {
    // Re-insert so Map order is least-recently-used first.
    factories.delete(key);
    factories.set(key, cached);
    return cached;
  }
  let factory: Factory;
  try {
    // Strict, like the driver's module code it came from. The source sits on lines of its own so that a trailing
    // line comment in it cannot swallow the closing bracket.
    factory = new Function(...names, `"use strict";\nreturn (\n${source}\n);`) as Factory;
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${label}: the shipped function does not compile in the worker thread: ${message}`, {
      cause: error,
    });
  }
  if (factories.size >= COMPILED_FACTORIES_MAX) {
    const oldest = factories.keys().next();
    if (!oldest.done) factories.delete(oldest.value);
  }
  factories.set(key, factory);
  return factory;
}

async function loadModuleFunction(fn: Extract<ShippedFunction, { kind: 'module' }>): Promise<CompiledFunction> {
  const value = await importExport(fn.moduleUrl, fn.exportName, fn.label);
  if (typeof value !== 'function') {
    throw new Error(
      `${fn.label}: export \`${fn.exportName}\` of module ${fn.moduleUrl} is not a function, found ${describeValue(value)}`,
    );
  }
  return value as CompiledFunction;
}

/**
 * The export `exportName` of the module at `moduleUrl`, imported once per thread (concurrent tasks share the
 * import; a failed import is forgotten, so a retry after the file is fixed imports again). Errors name `label`.
 */
export async function importExport(moduleUrl: string, exportName: string, label: string): Promise<unknown> {
  let loading = modules.get(moduleUrl);
  if (loading === undefined) {
    loading = import(moduleUrl) as Promise<Record<string, unknown>>;
    modules.set(moduleUrl, loading);
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = await loading;
  } catch (error: unknown) {
    if (modules.get(moduleUrl) === loading) modules.delete(moduleUrl);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${label}: cannot import module ${moduleUrl}: ${message}`, { cause: error });
  }
  if (!Object.hasOwn(namespace, exportName)) {
    throw new Error(`${label}: module ${moduleUrl} has no export \`${exportName}\``);
  }
  return namespace[exportName];
}

/** Resolves a dotted path such as `'Math.max'` on this thread's `globalThis`. */
export function resolveGlobalFunction(fn: Extract<ShippedFunction, { kind: 'global' }>): CompiledFunction {
  let value: unknown = globalThis;
  for (const part of fn.path.split('.')) {
    value =
      (typeof value === 'object' && value !== null) || typeof value === 'function'
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  if (typeof value !== 'function') {
    throw new Error(
      `${fn.label}: globalThis.${fn.path} is not a function in this worker thread, found ${describeValue(value)}`,
    );
  }
  return value as CompiledFunction;
}
