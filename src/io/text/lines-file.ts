/**
 * One part file of text output: records written as lines through a reused buffer, optionally gzip, fsynced before
 * the task reports it. The commit protocol that publishes part files is `TextOutputCommitter` (text-output.ts).
 */
import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';

import { closeQuietly, fsStep, removeQuietly, writeFully } from '../files/output-fs.js';

/** Bytes buffered before each write call of `writeLinesFile` (before compression, when compressing). */
export const WRITE_BUFFER_BYTES = 1024 * 1024;

/** How `writeLinesFile` encodes its bytes: as they are, or gzip. */
export type TextCompression = 'none' | 'gzip';

/** What `writeLinesFile` wrote. */
export interface WrittenFile {
  readonly rows: number;
  readonly bytes: number;
}

/**
 * Writes `String(record) + '\n'` for each record to `path`, streaming through a 1 MiB buffer, then fsyncs and
 * closes the file. With `'gzip'`, each buffer is written as one gzip member: a multi-member gzip file, which gunzip,
 * Node's zlib and Hadoop's codec read as one stream (and `bytes` counts compressed bytes). Creates missing parent directories; replaces an existing file. Synchronous: runs inside a task.
 *
 * Errors thrown while iterating `lines` (a user function in the pipeline) pass through unchanged; file-system
 * failures throw `OutputError` `ERR_OUTPUT_FAILED` naming the path. Either way the partial file is removed.
 *
 * @example
 * writeLinesFile('/out/.staging/_temporary/attempt-0-0/part-00000', ['a', 1, null]); // { rows: 3, bytes: 9 }
 */
export function writeLinesFile(
  path: string,
  lines: Iterable<unknown>,
  compression: TextCompression = 'none',
): WrittenFile {
  fsStep(path, 'creating its parent directory', () => mkdirSync(dirname(path), { recursive: true }));
  const fd = fsStep(path, 'opening it for writing', () => openSync(path, 'w'));
  let written: WrittenFile;
  try {
    written = writeRecords(fd, path, lines, compression);
    fsStep(path, 'flushing it to disk (fsync)', () => fsyncSync(fd));
  } catch (error) {
    closeQuietly(fd);
    removeQuietly(path);
    throw error;
  }
  fsStep(path, 'closing it', () => closeSync(fd));
  return written;
}

function writeRecords(fd: number, path: string, lines: Iterable<unknown>, compression: TextCompression): WrittenFile {
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  let rows = 0;
  let bytes = 0;
  const write = (data: Buffer): void => {
    if (data.length === 0) return;
    const encoded = compression === 'gzip' ? gzipSync(data) : data;
    writeFully(fd, path, encoded);
    bytes += encoded.length;
  };
  const flush = (): void => {
    write(buffer.subarray(0, used));
    used = 0;
  };
  for (const record of lines) {
    const text = String(record);
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes, so this bound is safe without measuring the text.
    const bytesBound = text.length * 3 + 1;
    if (bytesBound > buffer.length - used) flush();
    if (bytesBound > buffer.length) {
      write(Buffer.from(`${text}\n`, 'utf8'));
    } else {
      used += buffer.write(text, used, 'utf8');
      buffer[used++] = 0x0a;
    }
    rows++;
  }
  flush();
  return { rows, bytes };
}
