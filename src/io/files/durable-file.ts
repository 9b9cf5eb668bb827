import { closeSync, fsyncSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { closeQuietly, fsStep, fsyncDirectory, removeQuietly, writeFully } from './output-fs.js';

let nextTemporaryId = 0;

/**
 * Writes `bytes` to `path` so that after a crash at any instant `path` holds either its old content (or nothing) or
 * all of `bytes`: a temporary file in the same folder, fsync, rename over `path`, fsync of the folder. For the
 * small records that a commit decision rests on (streaming offset, handle and commit logs, sink logs).
 *
 * @example
 * writeFileDurably('/ckpt/q1/offsets/7', Buffer.from(text));
 */
export function writeFileDurably(path: string, bytes: Buffer): void {
  const dir = dirname(path);
  fsStep(dir, 'creating the folder', () => mkdirSync(dir, { recursive: true }));
  const temporary = `${path}.tmp-${process.pid}-${nextTemporaryId++}`;
  const fd = fsStep(temporary, 'creating a temporary file', () => openSync(temporary, 'w'));
  try {
    writeFully(fd, temporary, bytes);
    fsStep(temporary, 'flushing it to disk (fsync)', () => fsyncSync(fd));
  } catch (error: unknown) {
    closeQuietly(fd);
    removeQuietly(temporary);
    throw error;
  }
  fsStep(temporary, 'closing it', () => closeSync(fd));
  try {
    fsStep(path, 'renaming the temporary file into place', () => renameSync(temporary, path));
  } catch (error: unknown) {
    removeQuietly(temporary);
    throw error;
  }
  fsyncDirectory(dir);
}
