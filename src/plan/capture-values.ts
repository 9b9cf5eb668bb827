import { PlanError } from '../common/errors.js';
import { describeValue } from '../common/describe-value.js';
import { assert } from '../common/assert.js';
import { isBroadcastMarker } from '../protocol/shipped-function.js';
import type { BroadcastMarker } from '../protocol/shipped-function.js';

/**
 * Checks the values a user names for a shipped function (`filter(fn, { stop })`) and prepares them for the wire:
 * names must be usable as parameters of the worker's factory function, and values must survive a structured clone
 * with their meaning intact.
 */

/**
 * A value that ships as a broadcast marker instead of a copy: the api's `Broadcast` implements it, so a large
 * value crosses to each worker once and not with every task.
 */
export interface BroadcastSource {
  toBroadcastMarker(): BroadcastMarker;
}

/** True when `value` ships as a broadcast marker (it has a `toBroadcastMarker` method). */
export function isBroadcastSource(value: unknown): value is BroadcastSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toBroadcastMarker?: unknown }).toBroadcastMarker === 'function'
  );
}

/**
 * Strict-mode reserved words and the two names strict code cannot bind: none can name a factory parameter.
 */
const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if implements import in instanceof interface let new null package private protected public return ' +
    'static super switch this throw true try typeof var void while with yield await eval arguments'
  ).split(' '),
);

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

/** How many values of one capture are inspected for functions before trusting the rest to the structured clone. */
const CAPTURE_VALUES_CHECKED_MAX = 10_000;

/**
 * Validates `captures` and returns the record to ship: the same values, except broadcast sources become their
 * markers. Throws a `PlanError` naming the first bad capture.
 */
export function shipCaptures(label: string, captures: unknown): Record<string, unknown> {
  if (captures === undefined) return {};
  if (typeof captures !== 'object' || captures === null || Array.isArray(captures)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${label} expects its captures as an object of named values such as { stop }, found ${describeValue(captures)}`,
    );
  }
  if (Object.getOwnPropertySymbols(captures).length > 0) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${label} captures have a symbol key; a worker can only see captures under identifier names`,
    );
  }
  const shipped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(captures)) {
    checkCaptureName(label, name);
    if (isBroadcastSource(value)) {
      const marker = value.toBroadcastMarker();
      assert(isBroadcastMarker(marker), `toBroadcastMarker() of capture \`${name}\` returned a non-marker`);
      shipped[name] = marker;
    } else {
      checkCloneable(label, name, value);
      shipped[name] = value;
    }
  }
  return shipped;
}

function checkCaptureName(label: string, name: string): void {
  if (!IDENTIFIER.test(name)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${label} capture name ${JSON.stringify(name)} is not a JavaScript identifier; a shipped function sees each capture as a variable of that name`,
    );
  }
  if (RESERVED_WORDS.has(name)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${label} capture name \`${name}\` is a reserved word in strict-mode code; rename the capture`,
    );
  }
}

/** Objects the structured clone copies faithfully, with no need to look inside for functions. */
function isCloneableLeaf(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof ArrayBuffer ||
    value instanceof SharedArrayBuffer ||
    ArrayBuffer.isView(value) ||
    value instanceof Error ||
    value instanceof Boolean ||
    value instanceof Number ||
    value instanceof String
  );
}

/** Objects the structured clone refuses outright. */
function uncloneableKind(value: object): string | undefined {
  if (value instanceof WeakMap) return 'a WeakMap';
  if (value instanceof WeakSet) return 'a WeakSet';
  if (value instanceof WeakRef) return 'a WeakRef';
  if (value instanceof Promise) return 'a Promise';
  return undefined;
}

/** The class name of an instance whose prototype chain has methods a clone would drop, or undefined. */
function classWithMethods(value: object): string | undefined {
  const first = Object.getPrototypeOf(value) as object | null;
  for (let proto = first; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const hasMethod = Object.getOwnPropertyNames(proto).some(
      (key) => key !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, key)?.value === 'function',
    );
    if (hasMethod) {
      const ctor: unknown = first === null ? undefined : Object.getOwnPropertyDescriptor(first, 'constructor')?.value;
      return typeof ctor === 'function' && ctor.name ? ctor.name : '(anonymous)';
    }
  }
  return undefined;
}

/**
 * Throws when `value` holds something a structured clone would refuse (functions, symbols, weak collections) or
 * silently change (class instances lose their methods). Walks plain objects, arrays, Maps and Sets, up to
 * `CAPTURE_VALUES_CHECKED_MAX` values: beyond that the clone itself still refuses functions, only later.
 */
function checkCloneable(label: string, name: string, root: unknown): void {
  const seen = new Set<object>();
  const pending: { value: unknown; path: string }[] = [{ value: root, path: name }];
  let checked = 0;
  for (let item = pending.pop(); item !== undefined && checked < CAPTURE_VALUES_CHECKED_MAX; item = pending.pop()) {
    checked += 1;
    const { value, path } = item;
    const where = path === name ? '' : ` (at \`${path}\`)`;
    if (typeof value === 'function') {
      throw new PlanError(
        'ERR_PLAN_UNSHIPPABLE_FUNCTION',
        `${label} cannot capture \`${name}\`: it holds a function${where}, and functions cannot be copied to a worker thread; write the function inside the shipped one, or put it in a module and pass kc.fn(url, name)`,
      );
    }
    if (typeof value === 'symbol') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `${label} cannot capture \`${name}\`: it holds a symbol${where}, and symbols cannot be copied to a worker thread`,
      );
    }
    if (typeof value !== 'object' || value === null || seen.has(value) || isCloneableLeaf(value)) continue;
    seen.add(value);
    const refused = uncloneableKind(value);
    if (refused !== undefined) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `${label} cannot capture \`${name}\`: it holds ${refused}${where}, which cannot be copied to a worker thread`,
      );
    }
    if (value instanceof Map) {
      let index = 0;
      for (const [key, entry] of value) {
        pending.push({ value: key, path: `${path}.keys()[${index}]` });
        pending.push({ value: entry, path: `${path}.get(${describeValue(key, 30)})` });
        index += 1;
      }
      continue;
    }
    if (value instanceof Set) {
      let index = 0;
      for (const entry of value) pending.push({ value: entry, path: `${path}.values()[${index++}]` });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((entry: unknown, index) => pending.push({ value: entry, path: `${path}[${index}]` }));
      continue;
    }
    const className = classWithMethods(value);
    if (className !== undefined) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `${label} cannot capture \`${name}\`: it holds an instance of class ${className}${where}, which a worker receives as a plain object without its methods; capture plain data and rebuild the instance inside the function`,
      );
    }
    for (const [key, entry] of Object.entries(value)) pending.push({ value: entry, path: `${path}.${key}` });
  }
}
