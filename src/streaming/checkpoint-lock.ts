import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamingQueryError } from '../common/errors.js';
import { hostTag, processIsAlive } from '../io/files/owned-temp-dirs.js';

/** What the lock file holds: who runs the query now. */
interface LockOwner {
  readonly host: string;
  readonly pid: number;
}

/**
 * Takes `<checkpoint>/lock`, so two running queries never share a checkpoint (their batches would interleave and
 * commit each other's handles). A lock left by a process that died (kill -9) on this host is taken over; a live
 * owner, or one on another host, is refused with an error naming it and the file. Returns the release function.
 *
 * The lock appears whole or not at all: the owner is written to a file of this process first, then hard-linked as
 * `lock` (which fails if it exists). Creating `lock` and then writing it left an empty lock when the process was
 * killed in between, and every restart refused that "unknown owner" (the kill -9 test found it).
 */
export function lockCheckpoint(root: string): () => void {
  const path = join(root, 'lock');
  const me: LockOwner = { host: hostTag(), pid: process.pid };
  const staged = `${path}.${process.pid}.tmp`;
  writeFileSync(staged, JSON.stringify(me));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(staged, path);
      } catch (error: unknown) {
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
        const owner = readOwner(path);
        if (owner !== null && owner.host === me.host && owner.pid !== process.pid && !processIsAlive(owner.pid)) {
          rmSync(path, { force: true }); // its process died without releasing it
          continue;
        }
        const who =
          owner === null
            ? 'an unknown owner (the lock file is unreadable)'
            : owner.host !== me.host
              ? `process ${owner.pid} on another host`
              : owner.pid === process.pid
                ? 'another query in this process'
                : `running process ${owner.pid}`;
        throw new StreamingQueryError(
          'ERR_STREAM_CHECKPOINT_IN_USE',
          `the checkpoint ${root} is in use by ${who}: stop that query first (or delete ${path} if you are sure it is not running)`,
        );
      }
      return () => rmSync(path, { force: true });
    }
  } finally {
    rmSync(staged, { force: true });
  }
  throw new StreamingQueryError('ERR_STREAM_CHECKPOINT_IN_USE', `cannot take the lock ${path}: it keeps reappearing`);
}

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.host === 'string' && Number.isInteger(owner.pid) ? (owner as LockOwner) : null;
  } catch {
    return null;
  }
}
