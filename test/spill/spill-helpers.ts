// Helpers of the out-of-core tests: a private tmpDir per Context, and the spill files found under it.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { Context } from '../../src/index.js';
import { makeTempDir } from '../support/temp-dir.js';

/** A fresh directory to pass as the Context's `tmpDir`, so the test sees only its own spill files. */
export function freshTmpDir(): string {
  return makeTempDir('spill-test');
}

/** Paths of every spill file under `dir` (`.arrow`: cached partitions; `.kmo`: packed map outputs), sorted. */
export function spillFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.(arrow|kmo)$/.test(entry.name)) found.push(join(entry.parentPath, entry.name));
  }
  return found.sort();
}

/** The Context's spill directories under `dir` (`kindling-spill-h<host>-<pid>-<id>`). */
export function spillDirsUnder(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('kindling-spill-'));
}

/** A counter in shared memory: captured by a user function, it counts calls on any thread. */
export function sharedCounter(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

export const MIB = 2 ** 20;

/**
 * Runs `job` on a 2-thread Context with `memoryBytesMax` = `budgetBytes` (undefined: the default) and a private
 * tmpDir; returns its result, the spill files it left before `kc.stop()`, and the spill dirs left after.
 */
export async function runWithBudget<T>(budgetBytes: number | undefined, job: (kc: Context) => Promise<T>) {
  const tmpDir = freshTmpDir();
  const kc = new Context({ threads: 2, tmpDir, ...(budgetBytes === undefined ? {} : { memoryBytesMax: budgetBytes }) });
  try {
    const result = await job(kc);
    const spillFiles = spillFilesUnder(tmpDir);
    await kc.stop();
    const dirsAfterStop = spillDirsUnder(tmpDir);
    return { result, spillFiles, dirsAfterStop };
  } finally {
    await kc.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}
