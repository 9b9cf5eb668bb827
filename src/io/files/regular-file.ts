import { closeSync, fstatSync, openSync } from 'node:fs';

import { InputError } from '../../common/errors.js';
import { inputErrorFromFs } from './input-fs-error.js';

/**
 * Opens a regular file for reading, with input errors that name the path: missing, unreadable, a directory or
 * anything else that is not a regular file. Returns its descriptor and its size now: the readers read the file as
 * it was when opened (knowing where it ends spares a read, and a buffer grown only to find the end). Shared by the
 * line reader and the columnar text source.
 */
export function openRegularFile(path: string): { fd: number; fileBytes: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw inputErrorFromFs(error, path, 'opening the file');
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const found = stats.isDirectory() ? 'a directory' : 'not a regular file';
      throw new InputError('ERR_INPUT_NOT_A_FILE', `Input path ${path} is ${found}: expected a regular text file`);
    }
    return { fd, fileBytes: stats.size };
  } catch (error) {
    closeSync(fd);
    throw error instanceof InputError ? error : inputErrorFromFs(error, path, 'reading file metadata');
  }
}
