import { openSync } from 'node:fs';

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
    case 'ENOTDIR':
      return new InputError('ERR_INPUT_NOT_FOUND', `Input path ${path} does not exist ${where}`, { cause: error });
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
