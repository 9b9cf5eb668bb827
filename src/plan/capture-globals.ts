/**
 * Which global names a shipped function may use without capturing them, and which global functions can be shipped
 * by name. Both are fixed lists on purpose: a worker thread sees a fresh `globalThis`, so anything the driver added
 * to its own globals (or that only exists in the main thread) must not pass silently.
 */

/**
 * ECMAScript and Node globals that exist in every worker thread. `process` is one, with per-thread meaning: `env` is
 * a copy taken when the thread started, `exit()` ends the thread (its task is rerun elsewhere), and
 * `getBuiltinModule('node:fs')` reaches built-in modules from code that cannot `import`. Deliberately absent: the
 * CommonJS names (`require`, `module`, `exports`, `__dirname`, `__filename`), `global` (use
 * `globalThis`) and `eval` (a direct eval could reach names no analysis can see).
 */
const WORKER_GLOBAL_NAMES_LISTED = [
  // ECMAScript value properties and functions
  'globalThis',
  'undefined',
  'NaN',
  'Infinity',
  'isNaN',
  'isFinite',
  'parseInt',
  'parseFloat',
  'encodeURI',
  'encodeURIComponent',
  'decodeURI',
  'decodeURIComponent',
  // ECMAScript constructors and namespaces
  'Object',
  'Function',
  'Boolean',
  'Symbol',
  'Number',
  'BigInt',
  'Math',
  'Date',
  'String',
  'RegExp',
  'Array',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'Promise',
  'Proxy',
  'Reflect',
  'JSON',
  'Intl',
  'Iterator',
  'Atomics',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'Error',
  'AggregateError',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  // Node and web globals available in worker threads
  'Buffer',
  'URL',
  'URLSearchParams',
  'TextEncoder',
  'TextDecoder',
  'structuredClone',
  'console',
  'queueMicrotask',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'atob',
  'btoa',
  'AbortController',
  'AbortSignal',
  'Event',
  'EventTarget',
  'DOMException',
  'Blob',
  'performance',
  'crypto',
  'WebAssembly',
  // WARNING: reading process.env or the clock in a user function makes it depend on the thread and the moment;
  // read configuration on the driver and capture the value, so reruns compute the same records.
  'process',
] as const;

/**
 * The allow-list, narrowed to the names this runtime really has: workers run the same Node as the driver, so a
 * name missing here (say `Iterator` before Node 22) is missing there too and must be reported.
 */
const WORKER_GLOBAL_NAMES: ReadonlySet<string> = new Set(
  WORKER_GLOBAL_NAMES_LISTED.filter((name) => name in globalThis || name === 'undefined'),
);

/** True when a free variable named `name` resolves to the same standard global in a worker thread. */
export function isWorkerGlobal(name: string): boolean {
  return WORKER_GLOBAL_NAMES.has(name);
}

/** Why a name a user might expect is missing in a worker, added under the free-variable message. */
const MISSING_GLOBAL_HINTS: Readonly<Record<string, string>> = {
  require:
    'hint: CommonJS names do not exist in a shipped function; put code that needs imports in a module and pass kc.fn(url, name)',
  module:
    'hint: CommonJS names do not exist in a shipped function; put code that needs imports in a module and pass kc.fn(url, name)',
  exports:
    'hint: CommonJS names do not exist in a shipped function; put code that needs imports in a module and pass kc.fn(url, name)',
  __dirname:
    'hint: CommonJS names do not exist in a shipped function; compute the path on the driver and capture it as a string',
  __filename:
    'hint: CommonJS names do not exist in a shipped function; compute the path on the driver and capture it as a string',
  global: 'hint: use `globalThis`, which a worker has, though its own and not the driver’s',
  eval: 'hint: `eval` is not allowed in a shipped function, since a direct eval could use names no analysis can see',
};

/** A hint for a missing name that is a known global of the main thread only, or undefined. */
export function missingGlobalHint(name: string): string | undefined {
  return Object.hasOwn(MISSING_GLOBAL_HINTS, name) ? MISSING_GLOBAL_HINTS[name] : undefined;
}

/** Global functions shippable by name when passed directly (`rdd.map(String)`). */
const TOP_LEVEL_FUNCTION_NAMES = [
  'String',
  'Number',
  'Boolean',
  'BigInt',
  'Symbol',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'encodeURI',
  'encodeURIComponent',
  'decodeURI',
  'decodeURIComponent',
  'structuredClone',
] as const;

/**
 * Namespaces whose own function-valued properties are shippable by name (`Math.max`, `JSON.stringify`,
 * `Object.keys`). `Promise` is left out: its statics need `Promise` as `this`, which a detached call lacks.
 */
const FUNCTION_NAMESPACES = [
  'Math',
  'JSON',
  'Object',
  'Array',
  'Number',
  'String',
  'BigInt',
  'Symbol',
  'Reflect',
  'Date',
  'Atomics',
  'ArrayBuffer',
] as const;

/** Lazily built: most definitions ship arrow functions and never need the table. */
let globalFunctionPaths: Map<unknown, string> | undefined;

function buildGlobalFunctionPaths(): Map<unknown, string> {
  const paths = new Map<unknown, string>();
  const globals = globalThis as unknown as Record<string, unknown>;
  // Top-level names first, so `parseFloat` ships as 'parseFloat' rather than its alias 'Number.parseFloat'.
  for (const name of TOP_LEVEL_FUNCTION_NAMES) {
    const value = globals[name];
    if (typeof value === 'function' && !paths.has(value)) paths.set(value, name);
  }
  for (const namespace of FUNCTION_NAMESPACES) {
    const holder = globals[namespace];
    if (holder === undefined || holder === null) continue;
    for (const key of Object.getOwnPropertyNames(holder)) {
      if (key === 'prototype' || key === 'constructor') continue;
      // Only data properties: reading an accessor here could run arbitrary code.
      const descriptor = Object.getOwnPropertyDescriptor(holder, key);
      const value: unknown = descriptor?.value;
      if (typeof value === 'function' && !paths.has(value)) paths.set(value, `${namespace}.${key}`);
    }
  }
  return paths;
}

/**
 * The dotted path from `globalThis` of a standard global function (`'String'`, `'Math.max'`), or undefined when
 * `fn` is not one of them. Identity-based: a user function that merely shares a name is never matched.
 */
export function globalFunctionPath(fn: unknown): string | undefined {
  globalFunctionPaths ??= buildGlobalFunctionPaths();
  return globalFunctionPaths.get(fn);
}
