import { closeSync, fstatSync, linkSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamingQueryError } from '../common/errors.js';
import {
  hostTag,
  ownerIsGone,
  removeStaleTempDirs,
  thisOwner,
  type TempDirOwner,
} from '../io/files/owned-temp-dirs.js';

/**
 * What the lock file holds: who runs the query now (always with a host: only temp folder names lack one), and on
 * Linux its start tag, so that a dead owner whose pid another process reused is known dead (process-start.ts); a
 * lock file written before the tag existed has none, and its owner's pid alone decides, as it did.
 */
type LockOwner = TempDirOwner & { readonly host: string };

/**
 * Takes `<checkpoint>/lock`, so two running queries never share a checkpoint (their batches would interleave and
 * commit each other's handles). A lock left by a process that died (kill -9) on this host is taken over; a live
 * owner, or one on another host, is refused with an error naming it and the file. Returns the release function.
 *
 * The lock appears whole or not at all: the owner is written to a file of this process first, then hard-linked as
 * `lock` (which fails if it exists). Creating `lock` and then writing it left an empty lock when the process was
 * killed in between, and every restart refused that "unknown owner" (the kill -9 test found it).
 *
 * A dead owner's lock is removed only by the one process that holds the claim `lock.takeover-<dead pid>`, taken
 * the same way (see `takeFile`). Removing it after checking it was still the dead owner's let two of two queries
 * started together run; moving it aside and back let a third start in while the name was empty.
 *
 * A lock naming this process's own pid is another query of this process only if this process took it (`heldHere`);
 * else an earlier process with the same pid left it: a container restarted after an OOM kill or a kill -9 runs its
 * query as the same pid (often 1) on the same host name, and every restart was refused as "another query in this
 * process".
 */
export function lockCheckpoint(root: string, hooks: LockHooks = {}): () => void {
  const path = join(root, 'lock');
  const me: LockOwner = thisOwner();
  const staged = `${path}.${process.pid}.tmp`;
  writeFileSync(staged, JSON.stringify(me));
  let holder: LockOwner | 'unknown' | null;
  try {
    holder = takeFile(path, staged, me, hooks, 0);
  } finally {
    rmSync(staged, { force: true });
  }
  if (holder === null) {
    heldHere.add(path);
    removeLeftovers(root);
    return () => {
      heldHere.delete(path);
      rmSync(path, { force: true });
    };
  }
  const who =
    holder === 'unknown'
      ? 'an unknown owner (the lock file is unreadable)'
      : holder.host !== me.host
        ? `process ${holder.pid} on another host`
        : holder.pid === process.pid
          ? 'another query in this process'
          : `running process ${holder.pid}`;
  throw new StreamingQueryError(
    'ERR_STREAM_CHECKPOINT_IN_USE',
    `the checkpoint ${root} is in use by ${who}: stop that query first (or delete ${path} if you are sure it is not running)`,
  );
}

/** The lock files this process holds now (by path): a lock naming this pid and not here is a dead process's. */
const heldHere = new Set<string>();

/** Claims within claims (a claimer killed while it held its claim, and so on) before giving up. */
const CLAIM_DEPTH_MAX = 4;
/** Tries at one name: taken, or a dead owner's file removed and the name tried again, then someone else's. */
const TAKE_ATTEMPTS_MAX = 4;

/**
 * Links `staged` (this process's owner record) as `path`: null when taken, else who holds it (a live owner, one on
 * another host, or 'unknown' for an unreadable file). A file whose owner died on this host is removed first, but
 * only by the holder of its claim `<path>.takeover-<dead pid>`, itself taken with this function: one process at
 * a time may remove that dead owner's file, and it checks under the claim that the file is still the dead owner's
 * (another process may have taken the name over and released its claim already). A claim whose holder died is
 * taken over the same way, one level down.
 */
function takeFile(
  path: string,
  staged: string,
  me: LockOwner,
  hooks: LockHooks,
  depth: number,
): LockOwner | 'unknown' | null {
  for (let attempt = 0; attempt < TAKE_ATTEMPTS_MAX; attempt++) {
    try {
      linkSync(staged, path);
      return null;
    } catch (error: unknown) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const found = readOwner(path);
    if (found === null) continue; // removed since the link failed: try again
    const owner = found.owner;
    if (owner === null) return 'unknown';
    if (!isGone(owner, path)) return owner;
    if (depth >= CLAIM_DEPTH_MAX) return owner;
    hooks.beforeTakeover?.();
    const claim = `${path}.takeover-${owner.pid}`;
    const claimHolder = takeFile(claim, staged, me, {}, depth + 1);
    // A live process holds the claim: it is taking the dead owner's file over, and will hold the name.
    if (claimHolder !== null) return claimHolder;
    try {
      const now = readOwner(path);
      if (now !== null && now.ino === found.ino && now.text === found.text) rmSync(path, { force: true });
    } finally {
      rmSync(claim, { force: true });
    }
  }
  throw new StreamingQueryError('ERR_STREAM_CHECKPOINT_IN_USE', `cannot take ${path}: it keeps reappearing`);
}

/**
 * Removes the files beside the lock that processes now gone left: a claim `lock.takeover-<pid>` or a staged
 * `lock.<pid>.tmp` of a process killed while it took the lock, and `lock.<pid>.stale` of versions that moved a dead
 * owner's lock aside (named by the mover; the lock it holds names the same host). Each stayed forever, or until a
 * later takeover of that very owner. Run while holding the lock: a claim then decides nothing (its holder finds the
 * lock is no longer the dead owner's), and a live process's file is never removed.
 */
function removeLeftovers(root: string): void {
  removeStaleTempDirs(root, 'lock.', (name, path) => {
    const stale = /^lock\.([1-9][0-9]{0,9})\.stale$/.exec(name);
    const found = stale !== null || /^lock\.(takeover-\d+|\d+\.tmp)$/.test(name) ? readOwner(path)?.owner : null;
    if (found === null || found === undefined) return null;
    return stale === null ? found : { host: found.host, pid: Number(stale[1]) };
  });
}

/** True when the process named by the file at `path` is gone (see `heldHere` for one naming this pid). */
function isGone(owner: LockOwner, path: string): boolean {
  if (owner.host === hostTag() && owner.pid === process.pid) return !heldHere.has(path);
  return ownerIsGone(owner);
}

/** Test seam: `beforeTakeover` runs between reading a dead owner's lock and claiming it (where a race bites). */
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
      const valid =
        typeof owner.host === 'string' &&
        Number.isInteger(owner.pid) &&
        (owner.started === undefined || typeof owner.started === 'string');
      return { owner: valid ? (owner as LockOwner) : null, ino, text };
    } catch {
      return { owner: null, ino, text };
    }
  } finally {
    closeSync(fd);
  }
}
