import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { errnoCode } from './input-fs-error.js';
import { processStartTag } from './process-start.js';

/**
 * Temporary folders that name the process that made them, so a later process can remove those whose maker died
 * without cleaning up (`kill -9`, a crash, a power cut): staging folders of outputs, spill folders and local
 * checkpoints in `tmpDir` (issue 14). The name carries `h<host hash>-<pid>` after a fixed prefix, and on Linux the
 * maker's start tag (`s<hash>`, process-start.ts): `kindling-spill-h1a2b3c4d-4242-s5e6f7a8b-…`. A folder is stale
 * when its host is this host and no process has its pid, or the process that has it started at another time (it
 * reused the pid of the dead maker). A folder made on another host (a shared file system) is never touched: its
 * pid means nothing here. Folders in the old formats (`<prefix><pid>-…`, no host; no start tag) count as this
 * host's, and without a start tag (old names, or no `/proc` as on macOS) a reused pid keeps a dead maker's folder
 * until the new process is gone too. It is never the other way round: a live process's folder is never removed.
 */

/** Prefix of a Context's spill folder in `tmpDir`. */
export const SPILL_DIR_PREFIX = 'kindling-spill-';
/** Prefix of a Context's local checkpoints folder in `tmpDir`. */
export const LOCAL_CHECKPOINTS_PREFIX = 'kindling-local-checkpoints-';

/** Identifies a maker: its host (null for names in the old format), pid, and start tag where it was recorded. */
export interface TempDirOwner {
  readonly host: string | null;
  readonly pid: number;
  /** `processStartTag` of the maker when it recorded itself; absent in old records and where `/proc` is absent. */
  readonly started?: string;
}

/** `h` and 8 hex digits of the SHA-256 of the host name: short, and the same in every process on the host. */
export function hostTag(name: string = hostname()): string {
  return `h${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

const THIS_HOST = hostTag();
/** This process's start tag (null without `/proc`), read once: it never changes. */
let thisStart: string | null | undefined;

/** This process as a `TempDirOwner` records it (a lock file's content, checkpoint-lock.ts). */
export function thisOwner(): TempDirOwner & { readonly host: string } {
  thisStart ??= processStartTag(process.pid);
  return { host: THIS_HOST, pid: process.pid, ...(thisStart === null ? {} : { started: thisStart }) };
}

/**
 * `h<host>-<pid>` of this process, and `-s<start>` where it has a start tag, to put right after a prefix in a
 * temporary folder's name.
 * @example join(tmpDir, `${SPILL_DIR_PREFIX}${ownerTag()}-${id}`) // …/kindling-spill-h1a2b3c4d-4242-s5e6f7a8b-9f8e7d6c
 */
export function ownerTag(): string {
  const { host, pid, started } = thisOwner();
  return started === undefined ? `${host}-${pid}` : `${host}-${pid}-${started}`;
}

/**
 * The owner named by what follows the prefix (`h1a2b3c4d-4242-s5e6f7a8b-rest`, or the older `h1a2b3c4d-4242-rest`
 * and `4242-rest`), or null when it is not a name of ours.
 */
export function parseOwner(afterPrefix: string): TempDirOwner | null {
  const match = /^(?:(h[0-9a-f]{8})-)?([1-9][0-9]{0,9})-(?:(s[0-9a-f]{8})-)?[^-/]+$/.exec(afterPrefix);
  if (match === null) return null;
  const owner = { host: match[1] ?? null, pid: Number(match[2]) };
  return match[3] === undefined ? owner : { ...owner, started: match[3] };
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

/**
 * True when `owner` is a process of this host that is gone: no live process has its pid, or the one that has it
 * started at another time than the recorded `started` (it took the pid over). Without a recorded or a readable
 * start, a live pid is the owner. The readers are parameters for tests.
 *
 * @example
 * ownerIsGone({ host: hostTag(), pid: 4242, started: 's5e6f7a8b' }); // true once 4242 is dead or another run
 */
export function ownerIsGone(
  owner: TempDirOwner,
  isAlive: (pid: number) => boolean = processIsAlive,
  startOf: (pid: number) => string | null = processStartTag,
): boolean {
  if (owner.host !== null && owner.host !== THIS_HOST) return false;
  if (owner.pid !== process.pid && !isAlive(owner.pid)) return true;
  // This pid, or a live one: the owner unless the process that has the pid now started at another time.
  if (owner.started === undefined) return false;
  const now = startOf(owner.pid);
  return now !== null && now !== owner.started;
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
