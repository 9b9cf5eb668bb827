import {
  closeSync,
  fstatSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
export function lockCheckpoint(root: string, hooks: LockHooks = {}): () => void {
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
        const found = readOwner(path);
        const owner = found?.owner ?? null;
        if (owner !== null && owner.host === me.host && owner.pid !== process.pid && !processIsAlive(owner.pid)) {
          hooks.beforeTakeover?.();
          // Its process died without releasing it. Removed only if it is still that file: another process starting
          // now may have taken the dead lock over already, and removing its fresh lock gave both the checkpoint
          // (two queries started together after a kill -9 both ran, 5 times in 25). Either way, look again.
          removeIfStill(path, found!);
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

/** Test seam: `beforeTakeover` runs between reading a dead owner's lock and removing it (where a race bites). */
export interface LockHooks {
  readonly beforeTakeover?: () => void;
}

/** A lock file as read: its owner (null when unreadable), and its inode and text, which tell a replaced lock. */
interface ReadLock {
  readonly owner: LockOwner | null;
  readonly ino: number;
  readonly text: string;
}

function readOwner(path: string): ReadLock | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const ino = fstatSync(fd).ino;
    const text = readFileSync(fd, 'utf8');
    try {
      const owner = JSON.parse(text) as Partial<LockOwner>;
      const valid = typeof owner.host === 'string' && Number.isInteger(owner.pid);
      return { owner: valid ? (owner as LockOwner) : null, ino, text };
    } catch {
      return { owner: null, ino, text };
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes the lock at `path` if it is still the file `read` (same inode and text): moved aside first (atomic), then
 * checked. A lock another process linked meanwhile is linked back (if a third process took the empty name in
 * between, that one keeps it: a race of three starts at once, which this does not close).
 */
function removeIfStill(path: string, read: ReadLock): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return; // another process removed it first
    throw error;
  }
  try {
    const still = statSync(aside).ino === read.ino && readFileSync(aside, 'utf8') === read.text;
    if (!still) linkSync(aside, path);
  } catch (error: unknown) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}
