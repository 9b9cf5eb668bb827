import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { errnoCode } from './input-fs-error.js';

/**
 * Temporary folders that name the process that made them, so a later process can remove those whose maker died
 * without cleaning up (`kill -9`, a crash, a power cut): staging folders of outputs, spill folders and local
 * checkpoints in `tmpDir` (issue 14). The name carries `h<host hash>-<pid>` after a fixed prefix:
 * `kindling-spill-h1a2b3c4d-4242-…`. A folder is stale when its host is this host and no process has its pid.
 * A folder made on another host (a shared file system) is never touched: its pid means nothing here.
 * Folders in the old format (`<prefix><pid>-…`, no host) count as this host's.
 *
 * WARNING: a pid can be reused after its process died; such a folder then looks alive and stays until the new
 * process with that pid is gone too. It is never the other way round: a live process's folder is never removed.
 */

/** Prefix of a Context's spill folder in `tmpDir`. */
export const SPILL_DIR_PREFIX = 'kindling-spill-';
/** Prefix of a Context's local checkpoints folder in `tmpDir`. */
export const LOCAL_CHECKPOINTS_PREFIX = 'kindling-local-checkpoints-';

/** Identifies a maker: its host (null for names in the old format) and pid. */
export interface TempDirOwner {
  readonly host: string | null;
  readonly pid: number;
}

/** `h` and 8 hex digits of the SHA-256 of the host name: short, and the same in every process on the host. */
export function hostTag(name: string = hostname()): string {
  return `h${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

const THIS_HOST = hostTag();

/**
 * `h<host>-<pid>` of this process, to put right after a prefix in a temporary folder's name.
 * @example join(tmpDir, `${SPILL_DIR_PREFIX}${ownerTag()}-${id}`) // …/kindling-spill-h1a2b3c4d-4242-9f8e7d6c
 */
export function ownerTag(): string {
  return `${THIS_HOST}-${process.pid}`;
}

/**
 * The owner named by what follows the prefix (`h1a2b3c4d-4242-rest`, or `4242-rest` in the old format), or null
 * when it is not a name of ours.
 */
export function parseOwner(afterPrefix: string): TempDirOwner | null {
  const match = /^(?:(h[0-9a-f]{8})-)?([1-9][0-9]{0,9})-[^-/]+$/.exec(afterPrefix);
  if (match === null) return null;
  return { host: match[1] ?? null, pid: Number(match[2]) };
}

/**
 * True when a process with `pid` exists (even one this user may not signal) and has not exited. A process killed
 * with `kill -9` stays in the process table as a zombie until its parent reaps it, and `kill(pid, 0)` succeeds on a
 * zombie: a supervisor that restarts a query before it reaps the old one, or a container whose first process never
 * reaps orphans (Docker without `--init`), left a checkpoint lock that every restart refused. On Linux the state in
 * `/proc/<pid>/stat` tells a zombie (`Z`) or a dead task (`X`) from a live one; elsewhere a signalable pid is alive.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errnoCode(error) !== 'ESRCH';
  }
  return !hasExited(pid);
}

/** True when Linux's `/proc/<pid>/stat` says the process has exited (a zombie not yet reaped, or dead). */
function hasExited(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (error) {
    return errnoCode(error) === 'ENOENT' && existsSync('/proc/self/stat'); // gone since the signal, on Linux
  }
  // "<pid> (<command, which may hold spaces and parentheses>) <state> ...": the state follows the last ')'.
  const state = stat.charAt(stat.lastIndexOf(')') + 2);
  return state === 'Z' || state === 'X';
}

/** True when `owner` is a process of this host that is gone. */
export function ownerIsGone(owner: TempDirOwner, isAlive: (pid: number) => boolean = processIsAlive): boolean {
  if (owner.host !== null && owner.host !== THIS_HOST) return false;
  return owner.pid !== process.pid && !isAlive(owner.pid);
}

/**
 * Removes the folders (or files) directly in `parent` whose name starts with `prefix` and whose owner is gone;
 * returns how many it removed. The owner is named after the prefix by default; `ownerOf` may find it elsewhere (a
 * marker file inside, checkpoint/abandoned-checkpoints.ts; the record in a lock file, streaming/checkpoint-lock.ts),
 * 'gone' when it knows the owner is gone without a pid, null for one to leave alone. Never throws: a folder that cannot be
 * listed or removed is left for a later run (a sweep must not fail the job that does it).
 *
 * @example
 * removeStaleTempDirs('/tmp', SPILL_DIR_PREFIX); // 2: spill folders of two killed processes
 */
export function removeStaleTempDirs(
  parent: string,
  prefix: string,
  ownerOf: (name: string, path: string) => TempDirOwner | 'gone' | null = (name) =>
    parseOwner(name.slice(prefix.length)),
): number {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const path = join(parent, name);
    const owner = ownerOf(name, path);
    if (owner === null || (owner !== 'gone' && !ownerIsGone(owner))) continue;
    try {
      rmSync(path, { recursive: true, force: true });
      if (!existsSync(path)) removed++;
    } catch {
      // Left for a later run, see above.
    }
  }
  return removed;
}

/**
 * Removes the spill and local checkpoint folders in `tmpDir` of processes of this host that are gone; returns how
 * many. A Context runs it once, at its first job.
 */
export function removeStaleScratchDirs(tmpDir: string): number {
  return removeStaleTempDirs(tmpDir, SPILL_DIR_PREFIX) + removeStaleTempDirs(tmpDir, LOCAL_CHECKPOINTS_PREFIX);
}
