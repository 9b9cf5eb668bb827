import { constants as bufferConstants } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../common/errors.js';
import { LineScanner } from '../common/line-scanner.js';
import { EVENT_KINDS, schemaMismatches } from './event-fields.js';
import { EVENT_LOG_VERSION, TASK_COUNTERS_OMITTED_WHEN_ZERO, type LoggedEvent } from './event-schema.js';

/** The events of one application, read back from its part files. */
export interface ApplicationLog {
  readonly appId: string;
  readonly files: readonly string[];
  readonly events: readonly LoggedEvent[];
  /** The last line was cut short (the process died while writing it); it was skipped. */
  readonly truncated: boolean;
}

/** The longest line a part may hold: the longest string V8 can make of it. */
const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;

const PART_FILE = /^kindling-(.+)\.(\d{4,})\.jsonl$/;
const KNOWN_KINDS: ReadonlySet<string> = new Set(EVENT_KINDS);

/** An application whose log could not be read, and why (the file and line, what was expected and what was found). */
export interface UnreadableLog {
  readonly appId: string;
  readonly files: readonly string[];
  readonly reason: string;
}

/**
 * Reads every application log in `dir` (the `eventLog` directory), oldest part first. A line that is not a JSON
 * object with the envelope fields, or has another schema version, is an `InputError` naming the file and line; a
 * kind this version does not know is skipped (a later writer may add kinds). The last line of a file may be cut
 * short by a crash: it is skipped and the log marked `truncated`.
 *
 * @example
 * for (const app of readEventLogs('logs')) console.log(app.appId, app.events.length);
 */
export function readEventLogs(dir: string): ApplicationLog[] {
  return oldestFirst(listApplications(dir).map(([appId, files]) => readApplication(appId, files)));
}

/**
 * {@link readEventLogs} for a reader that shows what it can, as Spark's history server does: an application whose
 * log has a bad line (or a part that cannot be read) is left out and reported, and the others are read.
 *
 * @example
 * const { logs, unreadable } = readEventLogsSkippingUnreadable('logs');
 * for (const bad of unreadable) console.error(`skipped ${bad.appId}: ${bad.reason}`);
 */
export function readEventLogsSkippingUnreadable(dir: string): {
  logs: ApplicationLog[];
  unreadable: UnreadableLog[];
} {
  const logs: ApplicationLog[] = [];
  const unreadable: UnreadableLog[] = [];
  for (const [appId, files] of listApplications(dir)) {
    try {
      logs.push(readApplication(appId, files));
    } catch (error: unknown) {
      // Only what the log holds is skipped: a fault of ours still surfaces.
      if (!(error instanceof InputError)) throw error;
      unreadable.push({ appId, files, reason: error.message });
    }
  }
  return { logs: oldestFirst(logs), unreadable };
}

/** Each application's part files in `dir`, in part order. */
function listApplications(dir: string): [appId: string, files: string[]][] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error: unknown) {
    throw new InputError('ERR_INPUT_NOT_FOUND', `event log directory ${dir} cannot be read: expected a directory`, {
      cause: error,
    });
  }
  const parts = new Map<string, { part: number; file: string }[]>();
  for (const name of names) {
    const match = PART_FILE.exec(name);
    if (match === null || !isFile(join(dir, name))) continue;
    const appId = match[1]!;
    const list = parts.get(appId) ?? [];
    list.push({ part: Number(match[2]), file: join(dir, name) });
    parts.set(appId, list);
  }
  return [...parts].map(([appId, list]) => [appId, list.sort((a, b) => a.part - b.part).map((p) => p.file)]);
}

/** False also for a file removed since the directory was listed. */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readApplication(appId: string, files: readonly string[]): ApplicationLog {
  const events: LoggedEvent[] = [];
  let truncated = false;
  for (const file of files) truncated = readPart(file, events) || truncated;
  return { appId, files, events, truncated };
}

/** Oldest application first, by the time of its first event. */
function oldestFirst(logs: ApplicationLog[]): ApplicationLog[] {
  return logs.sort((a, b) => (a.events[0]?.timeMs ?? 0) - (b.events[0]?.timeMs ?? 0));
}

/** Bytes read from a part file at a time: parts are parsed a line at a time, never held as one string. */
const READ_CHUNK_BYTES = 1 << 20;

/** Parses one part file into `events`; returns true when its last line was cut short. */
function readPart(file: string, events: LoggedEvent[]): boolean {
  let lineNumber = 0;
  let cut = false;
  readLines(file, READ_CHUNK_BYTES, (line, terminated) => {
    lineNumber++;
    if (terminated) {
      events.push(parseLine(line, file, lineNumber));
      return;
    }
    // A complete file ends with a line terminator; otherwise its last line may be the one a crash cut short.
    try {
      events.push(parseLine(line, file, lineNumber));
    } catch {
      cut = true;
    }
  });
  return cut;
}

/**
 * Calls `onLine` with each line of `file` (ended by `\n`, `\r\n` or `\r`, as `common/line-scanner.ts` splits
 * them) and whether a terminator ended it: only the last line may lack one, when the file was cut while written.
 * Reads `chunkBytes` at a time; a line is decoded only once whole, so a character cut by a chunk's end reads right.
 */
export function readLines(file: string, chunkBytes: number, onLine: (line: string, terminated: boolean) => void): void {
  let fd: number;
  let fileBytes: number;
  try {
    fd = openSync(file, 'r');
  } catch (error: unknown) {
    throw unreadable(file, error);
  }
  try {
    try {
      fileBytes = fstatSync(fd).size;
    } catch (error: unknown) {
      throw unreadable(file, error);
    }
    const scanner = new LineScanner({
      read: (buffer, at, length, position) => {
        try {
          return readSync(fd, buffer, at, length, position);
        } catch (error: unknown) {
          throw unreadable(file, error);
        }
      },
      fileBytes,
      start: 0,
      end: fileBytes,
      chunkBytes,
      lineBytesMax: MAX_STRING_LENGTH,
      tooLong: (lineOffset) => {
        throw new InputError(
          'ERR_INPUT_INVALID_RECORD',
          `${file}: the line at byte offset ${lineOffset} is longer than the longest string V8 can hold ` +
            `(${MAX_STRING_LENGTH} bytes): expected one JSON event per line`,
        );
      },
    });
    while (scanner.scan(false)) onLine(scanner.decodeLine(), scanner.terminated);
  } finally {
    closeSync(fd);
  }
}

function unreadable(file: string, error: unknown): InputError {
  return new InputError('ERR_INPUT_UNREADABLE', `${file} cannot be read: ${(error as Error).message}`, {
    cause: error,
  });
}

function parseLine(line: string, file: string, lineNumber: number): LoggedEvent {
  const where = `${file}:${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `${where}: expected one JSON object per line, found ${JSON.stringify(line.slice(0, 80))}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('ERR_INPUT_INVALID_RECORD', `${where}: expected a JSON object, found ${line.slice(0, 80)}`);
  }
  const record = value as Record<string, unknown>;
  if (record['v'] !== EVENT_LOG_VERSION) {
    throw new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `${where}: expected event log version ${EVENT_LOG_VERSION}, found ${JSON.stringify(record['v'])}`,
    );
  }
  for (const field of ['seq', 'timeMs'] as const) {
    if (typeof record[field] !== 'number') {
      throw new InputError(
        'ERR_INPUT_INVALID_RECORD',
        `${where}: expected a number in field ${field}, found ${JSON.stringify(record[field])}`,
      );
    }
  }
  if (typeof record['kind'] !== 'string') {
    throw new InputError('ERR_INPUT_INVALID_RECORD', `${where}: expected a string in field kind`);
  }
  const mismatches = schemaMismatches(record);
  if (mismatches.length > 0) {
    throw new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `${where}: ${record['kind']} event does not match schema version ${EVENT_LOG_VERSION}: ${mismatches.join('; ')}`,
    );
  }
  if (record['kind'] === 'task-end') zeroAbsentCounters(record['metrics']);
  return record as unknown as LoggedEvent;
}

/** Hands on an absent counter of {@link TASK_COUNTERS_OMITTED_WHEN_ZERO} as 0 (a null stays null). */
function zeroAbsentCounters(metrics: unknown): void {
  if (typeof metrics !== 'object' || metrics === null) return;
  const record = metrics as Record<string, unknown>;
  for (const field of TASK_COUNTERS_OMITTED_WHEN_ZERO) if (record[field] === undefined) record[field] = 0;
}

/** Whether this schema version knows the event's kind (others are skipped by consumers). */
export function isKnownKind(event: { readonly kind: string }): boolean {
  return KNOWN_KINDS.has(event.kind);
}
