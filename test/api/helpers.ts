import { after, before, describe, test } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import assert from 'node:assert/strict';
import { compareValues } from '../../src/common/keys.js';
import { Context } from '../../src/index.js';
import type { ContextOptions } from '../../src/index.js';

/**
 * Shared parametrization of the operation suite: every check runs on both execution backends (inline on the
 * calling thread, and a Piscina pool of two worker threads), with one Context per backend per file, and, where an
 * operation takes a partition count, with several counts. Results must match Spark's and be identical everywhere.
 */

/** An execution backend under test. */
export interface Backend {
  readonly name: 'inline' | 'piscina';
  readonly threads: number;
}

export const BACKENDS: readonly Backend[] = [
  { name: 'inline', threads: 0 },
  { name: 'piscina', threads: 2 },
];

/** Partition counts every partition-taking operation is checked with: one, a few, and more than records. */
export const PARTITION_COUNTS: readonly number[] = [1, 2, 7];

/** What a suite body gets for one backend. */
export interface OnBackend {
  readonly backend: Backend;
  /** This backend's Context (created before the suite's tests, stopped after them). */
  kc(): Context;
  /**
   * Records `value` under `key` for this backend. After every backend ran, a last test checks that each key got
   * the same value on every backend: for results Spark leaves open (a seeded sample), which must still agree.
   */
  agree(key: string, value: unknown): void;
}

/**
 * Defines `title` once per backend. `define` registers tests (with `test`/`describe`) and reaches the backend's
 * Context through `on.kc()` inside them.
 *
 * @example
 * onEveryBackend('fold', (on) => {
 *   test('sums', async () => assert.equal(await on.kc().parallelize([1, 2]).fold(0, (a, b) => a + b), 3));
 * });
 */
export function onEveryBackend(
  title: string,
  define: (on: OnBackend) => void,
  options: Omit<ContextOptions, 'threads'> = {},
): void {
  const recorded = new Map<string, Map<string, unknown>>();
  describe(title, () => {
    for (const backend of BACKENDS) {
      describe(`on the ${backend.name} backend (threads: ${backend.threads})`, () => {
        let context: Context | undefined;
        before(() => {
          context = new Context({ ...options, threads: backend.threads });
        });
        after(async () => {
          await context?.stop();
        });
        define({
          backend,
          kc: () => {
            assert.ok(context !== undefined, 'the Context is made in the before hook; call kc() inside a test');
            return context;
          },
          agree: (key, value) => {
            const byBackend = recorded.get(key) ?? new Map<string, unknown>();
            byBackend.set(backend.name, value);
            recorded.set(key, byBackend);
          },
        });
      });
    }
    test('gives identical results on every backend', () => {
      for (const [key, byBackend] of recorded) {
        assert.equal(byBackend.size, BACKENDS.length, `${key}: recorded on ${[...byBackend.keys()].join(', ')} only`);
        const [first, ...rest] = [...byBackend.entries()];
        for (const [name, value] of rest) {
          assert.deepEqual(value, first![1], `${key}: ${name} differs from ${first![0]}`);
        }
      }
    });
  });
}

/** A deterministic total order over test values: the engine's own key ordering (it is tested on its own). */
export const compareForTest = compareValues;

/** A sorted copy, for results whose order Spark does not define. */
export function sorted<T>(values: readonly T[]): T[] {
  return [...values].sort(compareForTest);
}

/** `[key, values[]]` records with each value list sorted, then sorted by key (groupByKey's order is undefined). */
export function sortedGroups<K, V>(groups: readonly (readonly [K, readonly V[]])[]): [K, V[]][] {
  return sorted(groups.map(([k, vs]): [K, V[]] => [k, sorted(vs)]));
}

/** A Map's entries sorted by key. */
export function sortedEntries<K, V>(map: Map<K, V>): [K, V][] {
  return sorted([...map.entries()]);
}

/**
 * An Int32Array over shared memory: captured by a shipped function it is shared, not copied, with worker threads,
 * so `Atomics.add(counter, 0, 1)` inside the function is visible to the test on either backend.
 */
export function sharedCounters(length = 1): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

/** A fresh temporary directory per suite (see test/support/temp-dir.ts for when it is removed). */
export { suiteTempDir as temporaryDirectory } from '../support/temp-dir.js';

/**
 * Asserts that `promise` rejects with an error of class `type` and code `code`, and returns it for more checks.
 */
export async function rejectsWith<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: any[]) => E,
  code: string,
): Promise<E> {
  try {
    await promise;
  } catch (error: unknown) {
    assert.ok(error instanceof type, `expected a ${type.name}, got ${String(error)}`);
    assert.equal((error as E & { code?: unknown }).code, code, `unexpected code; message: ${error.message}`);
    return error;
  }
  assert.fail(`expected a ${type.name} (${code}), but it resolved`);
}

/** Asserts that `run` throws synchronously an error of class `type` and code `code`, and returns it. */
export function throwsWith<E extends Error>(
  run: () => unknown,
  type: abstract new (...args: any[]) => E,
  code: string,
): E {
  try {
    run();
  } catch (error: unknown) {
    assert.ok(error instanceof type, `expected a ${type.name}, got ${String(error)}`);
    assert.equal((error as E & { code?: unknown }).code, code, `unexpected code; message: ${error.message}`);
    return error;
  }
  assert.fail(`expected a ${type.name} (${code}), but nothing was thrown`);
}

/**
 * Polls `check` every 10 ms until it returns true, for a state another process reaches (a folder appearing): a
 * bounded loop, never a fixed sleep. Fails naming `what` after `timeoutMs`.
 */
export async function waitUntil(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How a child process ended: its exit code, or the signal that killed it. */
export function childEnded(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}
