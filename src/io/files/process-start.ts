import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Which run of a pid a process is: a pid is reused once its process has died, so "pid 4242 is alive" does not say
 * that the process which recorded pid 4242 (in a checkpoint lock, in a temporary folder's name) still runs. A stale
 * lock whose pid another process took later looked held, and blocked every restart until that process ended (for a
 * long-lived daemon: forever). On Linux a process's start time (field 22 of `/proc/<pid>/stat`, clock ticks since
 * boot) and the boot id (`/proc/sys/kernel/random/boot_id`) tell two runs of a pid apart; both are read, never
 * guessed. Where `/proc` is absent (macOS, Windows) there is no tag, and callers keep the pid-only rule.
 */

/** Field 22 of `/proc/<pid>/stat` is the start time; the fields are counted from 1, the state (field 3) follows ')'. */
const START_TIME_FIELD = 22;
const FIRST_FIELD_AFTER_COMMAND = 3;

let bootId: string | null | undefined;

/**
 * `s` and 8 hex digits of the SHA-256 of `<boot id>:<start ticks>` of process `pid`, or null when they cannot be
 * read (no `/proc`, or the process is gone). Two runs of one pid on one host have different tags (short, to fit in
 * a folder name; a clash of the 32-bit digest between two runs of the same pid is about one in four billion, and
 * only keeps a dead owner's folder, as before this tag).
 *
 * @example
 * processStartTag(process.pid); // 's1a2b3c4d' on Linux, null on macOS
 */
export function processStartTag(pid: number): string | null {
  bootId ??= readText('/proc/sys/kernel/random/boot_id');
  if (bootId === null) return null;
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // "<pid> (<command, which may hold spaces and parentheses>) <state> ...": fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields[START_TIME_FIELD - FIRST_FIELD_AFTER_COMMAND];
  if (ticks === undefined || !/^[0-9]+$/.test(ticks)) return null;
  return `s${createHash('sha256').update(`${bootId}:${ticks}`).digest('hex').slice(0, 8)}`;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'latin1').trim();
  } catch {
    return null;
  }
}
