import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { OutputError } from '../../src/index.js';
import { fsyncDirectory } from '../../src/io/files/output-fs.js';
import { ownerTag, removeStaleTempDirs } from '../../src/io/files/owned-temp-dirs.js';

/** Name of the file inside the output directory. */
export const JSON_FILE_NAME = 'counts.json';

/** Bytes buffered before each write call. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/**
 * Writes `dir/counts.json`, one JSON array of `[word, count]` pairs (one pair per line) in the order `pairs` yields
 * them, atomically, as the engine's
 * `saveAsTextFile` does: everything is written and fsynced in a hidden sibling directory, which is then renamed onto
 * `dir` in one step. Readers see no directory, or a complete one. With `overwrite`, an existing `dir` is moved aside
 * first and deleted after; otherwise it is an `OutputError` (`ERR_OUTPUT_EXISTS`) and nothing is written.
 * `pairs` is consumed as it is written (an RDD's `toLocalIterator()`: the process holds a partition of them, not
 * all); when it throws, the staging folder is removed and `dir` is untouched.
 * The staging folder is named as the engine's (`.<dir>.kindling-staging-h<host>-<pid>-…`), so the staging folders
 * of killed runs beside `dir` are removed first, by either writer; returns how many.
 *
 * @example
 * await writeCountsJson('out/counts', sorted.toLocalIterator(true), { overwrite: false }); // out/counts/counts.json
 */
export async function writeCountsJson(
  dir: string,
  pairs: AsyncIterable<readonly [string, number]> | Iterable<readonly [string, number]>,
  options: { overwrite: boolean },
): Promise<{ staleDirsRemoved: number }> {
  const target = resolve(dir);
  const prefix = `.${basename(target)}.kindling-staging-`;
  const staleDirsRemoved = removeStaleTempDirs(dirname(target), prefix);
  if (!options.overwrite && exists(target)) throw outputExists(target);
  mkdirSync(dirname(target), { recursive: true });
  // Same parent as the target, so the final rename stays on one file system and is atomic.
  // (Not mkdtemp: its 0700 mode would become the published directory's.)
  const staging = join(dirname(target), `${prefix}${ownerTag()}-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging);
  try {
    await writeJsonFile(join(staging, JSON_FILE_NAME), pairs);
    fsyncDirectory(staging);
    publish(staging, target, options.overwrite);
    return { staleDirsRemoved };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // A file system error is the output's failure; anything else came from `pairs` (the job that computes them
    // failed, or was stopped) and is passed on as it is.
    if (error instanceof OutputError || (error as NodeJS.ErrnoException | null)?.syscall === undefined) throw error;
    throw new OutputError('ERR_OUTPUT_FAILED', `Output to ${target} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function writeJsonFile(
  path: string,
  pairs: AsyncIterable<readonly [string, number]> | Iterable<readonly [string, number]>,
): Promise<void> {
  const fd = openSync(path, 'wx');
  try {
    const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    let used = 0;
    const flush = (): void => {
      for (let offset = 0; offset < used;) offset += writeSync(fd, buffer, offset, used - offset);
      used = 0;
    };
    const append = (text: string): void => {
      // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
      if (text.length * 3 > buffer.length - used) flush();
      if (text.length * 3 > buffer.length) writeSync(fd, text);
      else used += buffer.write(text, used, 'utf8');
    };
    append('[');
    let separator = '\n';
    for await (const [word, count] of pairs) {
      append(`${separator}[${JSON.stringify(word)},${count}]`);
      separator = ',\n';
    }
    append(separator === '\n' ? ']\n' : '\n]\n');
    flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function publish(staging: string, target: string, overwrite: boolean): void {
  if (!exists(target)) {
    renameSync(staging, target);
  } else if (!overwrite) {
    throw outputExists(target); // created while we were writing
  } else {
    const aside = `${staging}-old`;
    renameSync(target, aside);
    try {
      renameSync(staging, target);
    } catch (error) {
      renameSync(aside, target); // put the old output back: the target never goes missing for good
      throw error;
    }
    rmSync(aside, { recursive: true, force: true });
  }
  fsyncDirectory(dirname(target));
}

function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function outputExists(target: string): OutputError {
  return new OutputError(
    'ERR_OUTPUT_EXISTS',
    `Output path ${target} already exists: expected a path that does not exist. Pass --overwrite to replace it`,
  );
}
