import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggedEvent } from './event-schema.js';
import { eventLine } from './event-line.js';
import { TASK_LINE_BYTES_MAX, writeTaskFact, writeTaskLine } from './event-line-bytes.js';
import { FACT_COLUMNS, type TaskFacts } from './task-facts.js';
import { releaseTarget } from './json-bytes.js';

/** Options of the event log writer (the `eventLog` Context option). */
export interface ResolvedEventLogOptions {
  readonly dir: string;
  /** A part file is closed and the next one started before it would pass this size. */
  readonly fileBytesMax: number;
  /** Buffered lines are written at least this often (and at every job end). */
  readonly flushIntervalMs: number;
}

/**
 * Bytes of encoded lines buffered before they are written early: bounds the writer's memory when a job of many tiny
 * tasks runs longer than a flush interval (10,000 task starts and ends are ~5 MiB of JSON).
 */
const BUFFERED_BYTES_MAX = 1024 * 1024;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit: a line of n units fits in 3n bytes. */
const UTF8_BYTES_PER_UNIT_MAX = 3;
/** Code units of lines joined before they are encoded: ~250 task lines, a 64 KiB string that dies young. */
const PENDING_UNITS_MAX = 64 * 1024;

/** Writers with unwritten lines, flushed synchronously if the process exits before they close. */
const openWriters = new Set<EventLogWriter>();
let exitHookInstalled = false;

/**
 * Closes the open writers when the process exits. Installed outside the constructor: a closure made there would
 * share the constructor's scope, which holds `this`, and keep the first writer (and its 1 MiB buffer) alive forever.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const writer of openWriters) writer.close();
  });
}

/** The part file names of an application's log, in order: `kindling-<appId>.<part>.jsonl`. */
export function partFileName(appId: string, part: number): string {
  return `kindling-${appId}.${String(part).padStart(4, '0')}.jsonl`;
}

/**
 * Writes one application's events as JSON lines (DESIGN.md §9). `append` only buffers the line (the scheduler's
 * event loop never waits on a disk); the buffer is written with one synchronous write per flush, at job end, on a
 * timer, when it passes 1 MiB, at `close()`, and when the process exits. Synchronous writes keep the file a prefix
 * of the event stream at all times: a crashed application's log is valid JSON lines up to its last flush, with no
 * hole an in-flight asynchronous write could leave. Task code never waits on it: tasks run on worker threads.
 *
 * Parts rotate by size: a line never spans two parts, and every part is valid on its own.
 *
 * @example
 * const log = new EventLogWriter({ dir: 'logs', fileBytesMax: 64 << 20, flushIntervalMs: 1000 }, 'app-1');
 * bus.subscribe((e) => log.append(e));
 */
export class EventLogWriter {
  readonly #options: ResolvedEventLogOptions;
  readonly #appId: string;
  #part = 0;
  #partBytes = 0;
  #fd: number | null = null;
  /**
   * Encoded lines waiting for a flush. Task starts and successful ends are written into it as bytes, with no
   * string (event-line-bytes.ts). Other lines are first joined into {@link #pending} (a string, up to
   * {@link PENDING_UNITS_MAX} code units) and encoded into this buffer a chunk at a time: one encoding call per few
   * hundred lines instead of one per line. Chunks stay small so their strings die young.
   */
  readonly #buffer = Buffer.allocUnsafe(BUFFERED_BYTES_MAX);
  #bufferedBytes = 0;
  #pending = '';
  /**
   * Once encoded, the pending lines take at most this many bytes. A line joins them only while this bound keeps
   * them within the buffer and the part within `fileBytesMax`; other lines take the exact path in `append`.
   */
  #pendingBytesMax = 0;
  #timer: NodeJS.Timeout | null;
  #closed = false;
  readonly #beforeFlush: () => void;

  /**
   * `beforeFlush` runs first in every {@link flush} (timer, job end, close, process exit): the event bus hands on
   * the task facts it holds there (`EventBus.flushTaskFacts`), so a flush writes every event up to that moment.
   */
  constructor(options: ResolvedEventLogOptions, appId: string, beforeFlush: () => void = () => {}) {
    this.#options = options;
    this.#appId = appId;
    this.#beforeFlush = beforeFlush;
    mkdirSync(options.dir, { recursive: true });
    this.#open();
    this.#timer = setInterval(() => this.flush(), options.flushIntervalMs);
    // The log must never be what keeps the process alive.
    this.#timer.unref();
    openWriters.add(this);
    installExitHook();
  }

  /** The part file written now. */
  get path(): string {
    return join(this.#options.dir, partFileName(this.#appId, this.#part));
  }

  /**
   * Buffers one event; flushes at job and application end, or when the buffer is full. Parts rotate here, on a
   * line boundary, before a line would take the part past `fileBytesMax`.
   */
  append(event: LoggedEvent): void {
    if (this.#closed || this.#fd === null) return;
    if (!this.#appendTaskLine(event)) this.#appendLine(eventLine(event));
    if (event.kind === 'job-end' || event.kind === 'app-end') this.flush();
  }

  /**
   * Buffers a batch of task facts (task-facts.ts) as their lines, written as bytes with no string built, in one
   * loop: the formatting code runs warm, not once between every two tasks' worth of scheduler and pool code.
   */
  appendTaskFacts(facts: TaskFacts): void {
    if (this.#closed || this.#fd === null) return;
    this.#encodePending();
    const cells = facts.cells;
    for (let row = 0, at = 0; row < facts.count; row++, at += FACT_COLUMNS) {
      if (this.#bufferedBytes + TASK_LINE_BYTES_MAX > BUFFERED_BYTES_MAX) this.#writeBuffered();
      const end = writeTaskFact(this.#buffer, this.#bufferedBytes, cells, at);
      this.#commitBufferedLine(end - this.#bufferedBytes);
    }
  }

  /** Writes the buffered lines, after taking in what the bus holds (see the constructor). */
  flush(): void {
    this.#beforeFlush();
    this.#writeBuffered();
  }

  #writeBuffered(): void {
    this.#encodePending();
    if (this.#bufferedBytes === 0 || this.#fd === null) return;
    this.#write(this.#buffer.subarray(0, this.#bufferedBytes));
    this.#bufferedBytes = 0;
  }

  /** A line as a string: joined to the pending ones when they have room, else encoded on its own. */
  #appendLine(line: string): void {
    const pendingBytesMax = this.#pendingBytesMax + line.length * UTF8_BYTES_PER_UNIT_MAX;
    if (
      this.#pending.length + line.length <= PENDING_UNITS_MAX &&
      this.#bufferedBytes + pendingBytesMax <= BUFFERED_BYTES_MAX &&
      this.#partBytes + this.#bufferedBytes + pendingBytesMax <= this.#options.fileBytesMax
    ) {
      this.#pending += line;
      this.#pendingBytesMax = pendingBytesMax;
    } else {
      this.#encodePending();
      this.#appendExact(line);
    }
  }

  /** Flushes and closes the file; later events are dropped. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
    openWriters.delete(this);
    releaseTarget(this.#buffer);
  }

  /** Moves the pending lines into the buffer; `append` made sure they fit it and the part. */
  #encodePending(): void {
    if (this.#pending.length === 0) return;
    this.#bufferedBytes += this.#buffer.write(this.#pending, this.#bufferedBytes);
    this.#pending = '';
    this.#pendingBytesMax = 0;
  }

  /** A task line written straight into the buffer; false (nothing written) for one `writeTaskLine` leaves out. */
  #appendTaskLine(event: LoggedEvent): boolean {
    if (event.kind !== 'task-start' && event.kind !== 'task-end') return false;
    this.#encodePending();
    if (this.#bufferedBytes + TASK_LINE_BYTES_MAX > BUFFERED_BYTES_MAX) this.#writeBuffered();
    const end = writeTaskLine(this.#buffer, this.#bufferedBytes, event);
    if (end < 0) return false;
    this.#commitBufferedLine(end - this.#bufferedBytes);
    return true;
  }

  /**
   * Counts the line of `lineBytes` just written into the buffer after the buffered ones, first rotating to the
   * next part (the line moved to the buffer's start) when it would take this part past `fileBytesMax`.
   */
  #commitBufferedLine(lineBytes: number): void {
    const pending = this.#partBytes + this.#bufferedBytes;
    if (pending + lineBytes > this.#options.fileBytesMax && pending > 0) {
      this.#write(this.#buffer.subarray(0, this.#bufferedBytes));
      this.#buffer.copyWithin(0, this.#bufferedBytes, this.#bufferedBytes + lineBytes);
      this.#bufferedBytes = 0;
      this.#rotate();
    }
    this.#bufferedBytes += lineBytes;
  }

  /** One line, with its exact size in bytes: written early, or after a rotation, when it must be. */
  #appendExact(line: string): void {
    if (this.#bufferedBytes + line.length * UTF8_BYTES_PER_UNIT_MAX > BUFFERED_BYTES_MAX) this.#writeBuffered();
    if (line.length * UTF8_BYTES_PER_UNIT_MAX <= BUFFERED_BYTES_MAX) {
      this.#commitBufferedLine(this.#buffer.write(line, this.#bufferedBytes));
      return;
    }
    // A line larger than the buffer (a huge plan or stack) is written on its own, the buffer flushed above.
    const bytes = Buffer.from(line);
    if (this.#partBytes + bytes.length > this.#options.fileBytesMax && this.#partBytes > 0) this.#rotate();
    this.#write(bytes);
  }

  #open(): void {
    this.#fd = openSync(this.path, 'a');
    this.#partBytes = 0;
  }

  #rotate(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#part++;
    this.#open();
  }

  #write(bytes: Buffer): void {
    if (bytes.length === 0 || this.#fd === null) return;
    let written = 0;
    while (written < bytes.length) written += writeSync(this.#fd, bytes, written);
    this.#partBytes += bytes.length;
  }
}
