import { createWriteStream, fstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Standard input copied to a file of this process, for the engine to read in splits like any other file. */
export interface StdinSpool {
  /** The file holding every byte read from the input. */
  readonly path: string;
  /** Removes the file and its folder; safe to call more than once. */
  remove(): void;
}

/**
 * Copies `input` (standard input) to a new file under `dir`, in a folder `kindling-wordcount-stdin-<pid>-XXXXXX`
 * that the caller removes with `remove()`, and resolves once the input ended. Why a file, not a stream into the
 * engine: tasks read their input by path and byte range, on any thread and again when retried, which a pipe cannot
 * give; spooled, stdin is counted by every thread like a file, and a task that fails rereads its split. The process
 * holds a stream buffer at a time (64 KiB), never the input: gigabytes of stdin cost that much disk, not memory,
 * and the file is gone when the run ends (also on Ctrl-C, which aborts `signal`; a `kill -9` leaves it behind).
 * Rejects with the input's or the disk's error (the folder already removed), or an `AbortError` when `signal` aborts.
 *
 * @example
 * const spool = await spoolStdin(process.stdin);
 * try { await countWords(kc, [spool.path], options).collect(); } finally { spool.remove(); }
 */
export async function spoolStdin(
  input: Readable,
  options: { readonly dir?: string; readonly signal?: AbortSignal } = {},
): Promise<StdinSpool> {
  const folder = mkdtempSync(join(options.dir ?? tmpdir(), `kindling-wordcount-stdin-${process.pid}-`));
  const spool: StdinSpool = {
    path: join(folder, 'stdin'),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
  try {
    await pipeline(input, createWriteStream(spool.path, { flags: 'wx' }), { signal: options.signal });
  } catch (error) {
    spool.remove();
    throw error;
  }
  return spool;
}

/**
 * Whether standard input carries data someone meant for us: a pipe (`cat f | …`) or a redirected file (`… < f`),
 * not a terminal, `/dev/null` or a socket a parent process left open.
 */
export function stdinIsPipeOrFile(): boolean {
  try {
    const stats = fstatSync(0);
    return stats.isFIFO() || stats.isFile();
  } catch {
    return false;
  }
}
