import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Shared fixtures of the checkpoint tests: value shapes, temporary directories, child processes. */

/** The compiled public entry point, by absolute path, for scripts run in child processes. */
export const INDEX_URL = new URL('../../src/index.js', import.meta.url).href;

/** One dataset of every value shape blocks store, each with a name: what a checkpoint must round-trip exactly. */
export function valueShapes(): Record<string, unknown[]> {
  const n = 50;
  const ints = Array.from({ length: n }, (_, i) => i * 7 - 100);
  return {
    integers: ints,
    floats: [...ints.map((i) => i / 3), -0, NaN, Infinity, -Infinity, Number.MAX_VALUE],
    strings: ints.map((i) => `s${i} ✓ \u{1F525}`).concat(['', 'a\u0000b']),
    bigints: ints.map((i) => BigInt(i) * 10n ** 15n),
    booleans: ints.map((i) => i % 3 === 0),
    nulls: ints.map(() => null),
    'nullable strings': ints.map((i) => (i % 4 === 0 ? null : String(i))),
    pairs: ints.map((i) => [`k${i % 5}`, i]),
    objects: ints.map((i) => ({ id: i, name: `n${i}`, ok: i > 0, score: i / 2, tag: i % 2 === 0 ? null : 'odd' })),
    'nested (binary fallback)': ints.map((i) => ({ list: [i, [i + 1]], map: new Map([[i, 'x']]), when: new Date(i) })),
    'mixed scalars (binary fallback)': ints.map((i) => (i % 3 === 0 ? i : i % 3 === 1 ? String(i) : undefined)),
    empty: [],
  };
}

/** A fresh temporary directory per suite (see test/support/temp-dir.ts for when it is removed). */
export { suiteTempDir as temporaryDirectory } from '../support/temp-dir.js';

/** What a child process printed and how it ended. */
export interface ChildRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `source` (an ES module; `INDEX` in it is replaced by the compiled index URL) in a new Node process, with
 * `env` added to the environment, and waits for it to end.
 */
export function runChild(dir: string, name: string, source: string, env: Record<string, string> = {}): ChildRun {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, source.replaceAll('INDEX', INDEX_URL));
  const result = spawnSync(process.execPath, [file], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The path of this file's directory (compiled), for messages. */
export const HERE = fileURLToPath(new URL('.', import.meta.url));
