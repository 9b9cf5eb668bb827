import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StreamCheckpointCorruptError } from '../common/errors.js';
import { writeFileDurably } from '../io/files/durable-file.js';
import { crc32 } from '../storage/blocks/crc32.js';

/**
 * The small JSON records of a streaming checkpoint (`metadata`, `offsets/N`, `handles/N`, `commits/N`, the file
 * sink's log). Each file is `kindling-log <format> <crc32-hex> <bytes>\n` followed by the JSON body: written whole
 * or not at all (`writeFileDurably`), and a truncated, bit-flipped or foreign file is a
 * `StreamCheckpointCorruptError` naming it, never a silent misread.
 */

/** The format of log files this version writes; a higher one on disk is refused (a newer kindling wrote it). */
export const LOG_FORMAT_VERSION = 1;

/** Writes `body` as a log file at `path`, durably. */
export function writeLog(path: string, body: unknown): void {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  const header = `kindling-log ${LOG_FORMAT_VERSION} ${crc32(json).toString(16).padStart(8, '0')} ${json.byteLength}\n`;
  writeFileDurably(path, Buffer.concat([Buffer.from(header, 'utf8'), json]));
}

/** The body of the log file at `path`, checked; `undefined` when there is no such file. */
export function readLog(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new StreamCheckpointCorruptError(path, 'a readable log file', String(error), { cause: error });
  }
  const newline = bytes.indexOf(10);
  const header = (newline < 0 ? bytes : bytes.subarray(0, newline)).toString('utf8');
  const match = /^kindling-log (\d+) ([0-9a-f]{8}) (\d+)$/.exec(header);
  if (match === null) {
    throw new StreamCheckpointCorruptError(path, "a 'kindling-log' header line", describeStart(bytes));
  }
  const format = Number(match[1]);
  if (format > LOG_FORMAT_VERSION) {
    throw new StreamCheckpointCorruptError(
      path,
      `log format ${LOG_FORMAT_VERSION} or older`,
      `format ${format} (written by a newer kindling)`,
    );
  }
  const body = bytes.subarray(newline + 1);
  if (body.byteLength !== Number(match[3])) {
    throw new StreamCheckpointCorruptError(path, `${match[3]} bytes of JSON`, `${body.byteLength} bytes`);
  }
  const found = crc32(body).toString(16).padStart(8, '0');
  if (found !== match[2]) throw new StreamCheckpointCorruptError(path, `CRC-32 ${match[2]}`, `CRC-32 ${found}`);
  return JSON.parse(body.toString('utf8'));
}

/** The batch ids of the log files in `dir` (files named by a decimal batch id), ascending; [] when no folder. */
export function listBatchIds(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => /^(0|[1-9]\d*)$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}

/** `<dir>/<batchId>`: the path of a batch's log file. */
export function batchLogPath(dir: string, batchId: number): string {
  return join(dir, String(batchId));
}

function describeStart(bytes: Buffer): string {
  if (bytes.byteLength === 0) return 'an empty file';
  return JSON.stringify(bytes.subarray(0, 40).toString('utf8'));
}
