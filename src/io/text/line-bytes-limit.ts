/**
 * The limit on a line's length that every line reader applies (`textFile`, `readText`, CSV and JSON lines): its
 * default, the check of a user's value, and the error a longer line raises.
 */
import { constants as bufferConstants } from 'node:buffer';

import { describeValue } from '../../common/describe-value.js';
import { InputError, PlanError } from '../../common/errors.js';

/**
 * The longest line `textFile`, `readText`, `readCsv` and `readJson` accept by default, in bytes without its terminator: the longest string
 * V8 can hold (`buffer.constants.MAX_STRING_LENGTH`, 2^29 - 24 bytes on 64-bit builds, about 512 MiB). A longer
 * line is an `InputError`; set `lineBytesMax` lower to fail fast on files that are not line-oriented.
 */
export const DEFAULT_LINE_BYTES_MAX: number = bufferConstants.MAX_STRING_LENGTH;

/**
 * `lineBytesMax` as a user gave it (`undefined`: the default), checked: an integer from 1 to
 * `DEFAULT_LINE_BYTES_MAX`, else `PlanError` `ERR_PLAN_INVALID_ARGUMENT` naming `where`.
 */
export function resolveLineBytesMax(value: unknown, where: string): number {
  if (value === undefined) return DEFAULT_LINE_BYTES_MAX;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= DEFAULT_LINE_BYTES_MAX) {
    return value;
  }
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${where} lineBytesMax must be an integer from 1 to ${DEFAULT_LINE_BYTES_MAX}, found ${describeValue(value)}`,
  );
}

/**
 * Throws `InputError` `ERR_INPUT_INVALID_RECORD` naming the file and the line's byte offset when a line (or the part
 * of it read so far) has more than `lineBytesMax` bytes. Shared by the line reader and the columnar text source.
 */
export function checkLineBytes(path: string, lineOffset: number, bytes: number, lineBytesMax: number): void {
  if (bytes > lineBytesMax) throw lineTooLong(path, lineOffset, lineBytesMax);
}

/** The error of `checkLineBytes`, for a reader that compares the lengths itself (common/line-scanner.ts). */
export function lineTooLong(path: string, lineOffset: number, lineBytesMax: number): InputError {
  return new InputError(
    'ERR_INPUT_INVALID_RECORD',
    `Line starting at byte offset ${lineOffset} of ${path} is longer than lineBytesMax (${lineBytesMax} bytes): ` +
      `expected a line terminator ('\\n', '\\r\\n' or '\\r') within lineBytesMax bytes, found more ` +
      `(raise the lineBytesMax option of the read, textFile, readText, readCsv or readJson, for longer lines)`,
  );
}

/**
 * Throws `InputError` `ERR_INPUT_INVALID_RECORD` naming the file and the record's byte offset when a `multiLine` CSV
 * record (whose quoted fields may hold line ends) has more than `lineBytesMax` bytes.
 */
export function checkRecordBytes(path: string, recordOffset: number, bytes: number, lineBytesMax: number): void {
  if (bytes <= lineBytesMax) return;
  throw new InputError(
    'ERR_INPUT_INVALID_RECORD',
    `Record starting at byte offset ${recordOffset} of ${path} is longer than lineBytesMax (${lineBytesMax} bytes): ` +
      `expected a multiLine record of at most lineBytesMax bytes, found ${bytes} ` +
      `(raise readCsv's lineBytesMax option for longer records)`,
  );
}
