import { lstatSync, openSync, readlinkSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { InputError } from '../../common/errors.js';

/** The `code` of a Node.js system error (`'ENOENT'`, `'EACCES'` …), or `undefined` for anything else. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns a failed `fs` call on an input path into an `InputError` that names the path, what kindling was doing and
 * what it found. The original error is kept as `cause`.
 *
 * - `ENOENT`, `ENOTDIR` → `ERR_INPUT_NOT_FOUND`
 * - `EISDIR` → `ERR_INPUT_NOT_A_FILE`
 * - anything else (`EACCES`, `EPERM`, `ELOOP`, `EIO` …) → `ERR_INPUT_UNREADABLE`
 *
 * @example
 * try { openSync(path, 'r') } catch (error) { throw inputErrorFromFs(error, path, 'opening the file') }
 */
export function inputErrorFromFs(error: unknown, path: string, action: string): InputError {
  const code = errnoCode(error);
  const where = `(${code ?? 'error'} while ${action})`;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR': {
      const found = whatBlocksPath(path);
      return new InputError(
        'ERR_INPUT_NOT_FOUND',
        `Input path ${path} does not exist ${where}${found === null ? '' : `: ${found}`}`,
        { cause: error },
      );
    }
    case 'EISDIR':
      return new InputError(
        'ERR_INPUT_NOT_A_FILE',
        `Input path ${path} is a directory: expected a regular file ${where}`,
        { cause: error },
      );
    case 'EACCES':
    case 'EPERM':
      return new InputError('ERR_INPUT_UNREADABLE', `Input path ${path} is not readable: permission denied ${where}`, {
        cause: error,
      });
    default: {
      const detail = error instanceof Error ? `: ${error.message}` : '';
      return new InputError('ERR_INPUT_UNREADABLE', `Input path ${path} cannot be read ${where}${detail}`, {
        cause: error,
      });
    }
  }
}

/**
 * Opens an input file for reading; a failure is `inputErrorFromFs`'s `InputError` naming the file.
 *
 * @example
 * const fd = openInput(path);
 */
export function openInput(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw inputErrorFromFs(error, path, 'opening it');
  }
}

/**
 * Why nothing is found at `path` when something is on the way to it, for the errors of a missing input: the path
 * is a symbolic link to nothing, or a folder on the way is a regular file (`/tmp/x.txt/data.csv`) or a symbolic
 * link to nothing. With `folder`, `path` itself is meant to be a folder (the literal part of a glob). Null when the
 * nearest existing folder above simply holds no such name (or nothing can be told).
 *
 * @example
 * whatBlocksPath('/tmp/x.txt/data.csv'); // "'/tmp/x.txt' is a file, not a folder"
 */
export function whatBlocksPath(path: string, folder = false): string | null {
  const absolute = resolve(path);
  for (let at = absolute; ; at = dirname(at)) {
    const link = lstatOrNull(at);
    if (link !== null) {
      if (link.isSymbolicLink() && statOrNull(at) === null) {
        return `'${at}' is a symbolic link to '${readLinkOrUnknown(at)}', which does not exist`;
      }
      const kind = statOrNull(at) ?? link;
      if (kind.isDirectory() || (at === absolute && !folder)) return null; // a file there after all: a race
      return `'${at}' is ${kind.isFile() ? 'a file' : 'a special file'}, not a folder`;
    }
    if (dirname(at) === at) return null;
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null; // ENOTDIR: a file above it; the walk reaches it
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

function readLinkOrUnknown(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '?';
  }
}
