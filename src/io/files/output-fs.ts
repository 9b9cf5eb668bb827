import { closeSync, fsyncSync, lstatSync, openSync, rmSync, writeSync } from 'node:fs';

import { OutputError } from '../../common/errors.js';
import { errnoCode } from './input-fs-error.js';

/** Runs one file-system step of writing output; a failure becomes `OutputError` `ERR_OUTPUT_FAILED` naming `path`. */
export function fsStep<T>(path: string, action: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw outputFailed(path, action, error);
  }
}

/** `OutputError` `ERR_OUTPUT_FAILED`: "Output to <path> failed while <action>: <cause's message>". */
export function outputFailed(path: string, action: string, cause?: unknown): OutputError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new OutputError('ERR_OUTPUT_FAILED', `Output to ${path} failed while ${action}${detail}`, { cause });
}

/** Writes all of `bytes` at the file's current position, looping over short writes. */
export function writeFully(fd: number, path: string, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) {
    offset += fsStep(path, 'writing to it', () => writeSync(fd, bytes, offset, bytes.length - offset));
  }
}

/** True if anything (even a dangling symbolic link) is at `path`. */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw outputFailed(path, 'checking whether it exists', error);
  }
}

/** Makes renames and creations inside `dir` durable. Some platforms cannot fsync a directory: that is not fatal. */
export function fsyncDirectory(dir: string): void {
  const fd = fsStep(dir, 'opening it to fsync', () => openSync(dir, 'r'));
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') {
      throw outputFailed(dir, 'flushing it to disk (fsync)', error);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes a file or directory tree if present, ignoring errors. Only for cleanup on paths that are already failing
 * or are hidden leftovers, where a second error would hide the first.
 */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Best effort, see above.
  }
}

/** Closes `fd`, ignoring errors: for error paths, where the first error is the one to report. */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Best effort, see above.
  }
}
