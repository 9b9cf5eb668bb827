import { PlanError } from '../common/errors.js';
import { describeValue } from '../common/describe-value.js';
import { isBroadcastMarker } from '../protocol/shipped-function.js';
import type { ShippedFunction } from '../protocol/shipped-function.js';
import { analyzeSource } from './capture-analysis.js';
import { globalFunctionPath, isWorkerGlobal } from './capture-globals.js';
import { freeVariableMessage, quoteSource } from './capture-message.js';
import { shipCaptures } from './capture-values.js';
import { ModuleFunction } from './module-function.js';

/**
 * Function capture (DESIGN.md §4): turns a user function, at definition time on the driver, into plain data a
 * worker thread can compile. Every mistake a worker would otherwise hit later, or worse get silently wrong (a name
 * it cannot see, a function it cannot copy), is a `PlanError` here, at the line the user wrote.
 */

export { isBroadcastSource } from './capture-values.js';
export type { BroadcastSource } from './capture-values.js';

/** Options of `shipFunction`. */
export interface ShipFunctionOptions {
  /** The operation as the user wrote it, ending in `()`, for messages: `'filter()'`, `'reduceByKey()'`. */
  readonly label: string;
  /** Values the function names, by name: `{ stop }`. Structured-cloned to workers. @default {} */
  readonly captures?: Readonly<Record<string, unknown>> | undefined;
  /** False when the user declared the function non-deterministic. @default true */
  readonly deterministic?: boolean | undefined;
}

/**
 * Ships `fn` for the operation `options.label`.
 *
 * - A `ModuleFunction` (`kc.fn(url, name)`) ships as kind `'module'`.
 * - A standard global function passed directly (`String`, `Math.max`, `JSON.parse`) ships as kind `'global'`.
 * - Anything else ships as its source text plus captures, after checking that every name it uses is a parameter,
 *   a local, a capture or a standard global.
 *
 * In a worker, `this` is undefined inside a shipped arrow or function (and the wrapper object inside a shipped
 * method): do not rely on it.
 *
 * @example
 * shipFunction((w) => !stop.has(w), { label: 'filter()', captures: { stop } });
 * // → { kind: 'source', label: 'filter()', source: '(w) => !stop.has(w)', captures: { stop }, deterministic: true }
 *
 * @throws PlanError 'ERR_PLAN_NOT_A_FUNCTION' when `fn` is not a function,
 *   'ERR_PLAN_FREE_VARIABLE' when it uses a name a worker cannot see,
 *   'ERR_PLAN_UNSHIPPABLE_FUNCTION' for native, bound, class, getter or setter functions (and captured functions),
 *   'ERR_PLAN_INVALID_ARGUMENT' for bad capture names or values.
 */
export function shipFunction(fn: unknown, options: ShipFunctionOptions): ShippedFunction {
  const { label } = options;
  const deterministic = options.deterministic ?? true;
  if (typeof deterministic !== 'boolean') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${label} expects \`deterministic\` to be true or false, found ${describeValue(deterministic)}`,
    );
  }
  if (fn instanceof ModuleFunction) {
    refuseCaptures(label, options.captures, 'a kc.fn() module function');
    return { kind: 'module', label, moduleUrl: fn.moduleUrl, exportName: fn.exportName, deterministic };
  }
  if (typeof fn !== 'function') {
    throw new PlanError('ERR_PLAN_NOT_A_FUNCTION', `${label} expects a function, found ${describeValue(fn)}`);
  }
  const tag = Object.prototype.toString.call(fn);
  if (tag === '[object AsyncFunction]' || tag === '[object AsyncGeneratorFunction]') {
    // Tasks call user functions synchronously, record by record: a Promise would become the record itself.
    throw new PlanError(
      'ERR_PLAN_UNSHIPPABLE_FUNCTION',
      `${label} was given an async function; user functions run synchronously in worker threads, so pass a plain function (do asynchronous work before or after the job)`,
    );
  }
  const path = globalFunctionPath(fn);
  if (path !== undefined) {
    refuseCaptures(label, options.captures, `the global function ${path}`);
    return { kind: 'global', label, path, deterministic };
  }

  // Function.prototype.toString, not fn.toString(): a user-defined toString must not decide what ships.
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}$/.test(source)) {
    const name = fn.name.trim() ? ` \`${fn.name.trim()}\`` : '';
    throw new PlanError(
      'ERR_PLAN_UNSHIPPABLE_FUNCTION',
      `${label} cannot ship function${name}: it is native or bound, so it has no source a worker thread can compile; pass an arrow function that calls it, such as (x) => f(x), or put it in a module and pass kc.fn(url, name)`,
    );
  }
  const analysis = analyzeSource(source);
  if (analysis.kind === 'unshippable') {
    const quote = analysis.start !== undefined ? `\n${quoteSource(source, analysis.start)}` : '';
    throw new PlanError(
      'ERR_PLAN_UNSHIPPABLE_FUNCTION',
      `${label} cannot ship this function: ${analysis.reason}; pass an arrow function, or put the code in a module and pass kc.fn(url, name)${quote}`,
    );
  }

  const captures = shipCaptures(label, options.captures);
  const captureNames = Object.keys(captures);
  const missing: { name: string; start: number }[] = [];
  for (const [name, start] of analysis.free) {
    if (!Object.hasOwn(captures, name) && !isWorkerGlobal(name)) missing.push({ name, start });
  }
  const strayArguments = missing.find((m) => m.name === 'arguments');
  if (strayArguments !== undefined) {
    throw new PlanError(
      'ERR_PLAN_UNSHIPPABLE_FUNCTION',
      `${label} cannot ship this function: it uses \`arguments\` of the function around it, which exists only on the driver; use rest parameters (...args) instead\n${quoteSource(source, strayArguments.start)}`,
    );
  }
  if (missing.length > 0) {
    throw new PlanError('ERR_PLAN_FREE_VARIABLE', freeVariableMessage(label, missing, captureNames, source));
  }
  return { kind: 'source', label, source: analysis.expression, captures, deterministic };
}

/** Captures are variables of shipped source; dropping them silently for other kinds would hide a mistake. */
function refuseCaptures(label: string, captures: unknown, what: string): void {
  if (
    captures === undefined ||
    (typeof captures === 'object' && captures !== null && Object.keys(captures).length === 0)
  ) {
    return;
  }
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${label} was given captures, but ${what} cannot see them: only an arrow or function shipped as source can`,
  );
}

/**
 * The ids of the broadcast markers among `fn`'s captures, in capture order: the broadcasts a task running `fn`
 * needs on its worker.
 */
export function broadcastIdsOf(fn: ShippedFunction): number[] {
  if (fn.kind !== 'source') return [];
  return Object.values(fn.captures)
    .filter(isBroadcastMarker)
    .map((marker) => marker.kindlingBroadcastId);
}
