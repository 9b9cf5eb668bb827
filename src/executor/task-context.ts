import type { CachedBlock } from '../protocol/task.js';
import type { StateWrite } from '../protocol/state.js';
import type { ShippedFunction } from '../protocol/shipped-function.js';
import type { TextSplit } from '../protocol/pipeline.js';
import type { LineAt } from '../io/text/line-reader.js';
import { AssertionError } from '../common/errors.js';
import type { TaskAccumulators, TaskLocalAccumulator } from './faults/fault-tolerant-accumulators.js';

/** A text split being read: the file read, the name the user gave it, and where the line just read starts. */
export interface TextInput {
  /** The file read (a gzip file's decompressed copy), for `lineNumberAt`. */
  readonly path: string;
  /** The file as the user named it. */
  readonly shownPath: string;
  readonly at: LineAt;
}

/** A compiled user function, called with at most two arguments. */
export type UserFunction = (a?: unknown, b?: unknown) => any;

/**
 * What one running task attempt owns on the worker: its compiled functions, its progress counter, its metrics and
 * the cached blocks it produced on the way. Lives for one attempt only.
 */
export class TaskContext {
  recordsWritten = 0;
  bytesRead = 0;
  bytesWritten = 0;
  /** Bytes of shuffle blocks read (also counted in `bytesRead`). */
  shuffleReadBytes = 0;
  /** Bytes of shuffle output written to spill files. */
  spillBytes = 0;
  /** Malformed input records kept with nulls (`PERMISSIVE`) and dropped (`DROPMALFORMED`). */
  malformedRecordsNulled = 0;
  malformedRecordsDropped = 0;
  /** Counts a malformed input record (passed to the file readers). */
  readonly countMalformed = (handled: 'nulled' | 'dropped'): void => {
    if (handled === 'nulled') this.malformedRecordsNulled++;
    else this.malformedRecordsDropped++;
  };

  /** The malformed-record counters for the task's metrics: none when there were none (their fields are optional). */
  malformedCounts(): { malformedRecordsNulled?: number; malformedRecordsDropped?: number } {
    if (this.malformedRecordsNulled === 0 && this.malformedRecordsDropped === 0) return {};
    return {
      malformedRecordsNulled: this.malformedRecordsNulled,
      malformedRecordsDropped: this.malformedRecordsDropped,
    };
  }
  /** Rows out of each columnar operator of the task, in the order they were set up (the scan first). */
  readonly operatorRows: { readonly op: string; rows: number }[] = [];
  readonly cached: CachedBlock[] = [];
  /** Streaming state versions this attempt wrote (`update-state`); reported with a sink's prepared output. */
  readonly stateWrites: StateWrite[] = [];
  /**
   * Decompressed copies of this attempt's gzip splits, by the gzip file's path (see
   * files-and-sinks/decompress-inputs.ts).
   */
  readonly decompressed = new Map<string, TextSplit>();
  /**
   * The text split this attempt is reading and where its current line starts (set as a text source starts
   * reading), for errors about a record made from that line; null when the task reads no text file.
   */
  textInput: TextInput | null = null;
  private readonly progress: Int32Array | null;
  /**
   * This attempt's heartbeat count, mirrored into `progress[0]`. Only this thread writes the counter while the
   * attempt runs, so a plain store of a local count is enough (the watcher reads it with `Atomics.load`): well
   * under 1 ns per record, where an atomic add costs ~18 ns. Kept an int32 (it wraps; the watcher only compares).
   */
  private beats: number;

  private readonly functions: ReadonlyMap<ShippedFunction, UserFunction>;
  /** Hand-backs of thread scratch (hash tables) that the task's batches are views of: see `releaseAfterOutput`. */
  private readonly scratchReleases: (() => void)[] = [];

  /** The attempt's accumulators (set by `runTask`), for builtin operations that add to one as user code does. */
  accumulators: TaskAccumulators | null = null;

  constructor(functions: ReadonlyMap<ShippedFunction, UserFunction>, progress: SharedArrayBuffer | null) {
    this.functions = functions;
    this.progress = progress === null ? null : new Int32Array(progress);
    this.beats = this.progress === null ? 0 : Atomics.load(this.progress, 0);
    this.beat();
  }

  /** The task-local side of accumulator `id`: what is added returns with the task's result. */
  accumulator(id: number): TaskLocalAccumulator {
    if (this.accumulators === null) throw new AssertionError(`accumulator ${id} used by a task without accumulators`);
    return this.accumulators.local(id);
  }

  /** A new count of the rows an operator outputs, reported with the task's metrics. */
  operatorRowsOf(op: string): { rows: number } {
    const count = { op, rows: 0 };
    this.operatorRows.push(count);
    return count;
  }

  /**
   * Runs `release` once the task's output holds copies of its batches (`releaseScratch`), not before: it hands
   * memory that batches are views of (an aggregation's table) to the next task on this thread. A task that fails
   * never runs it, and the memory is simply dropped.
   */
  releaseAfterOutput(release: () => void): void {
    this.scratchReleases.push(release);
  }

  /** Runs the releases of `releaseAfterOutput`, once the output no longer reads any batch. */
  releaseScratch(): void {
    for (const release of this.scratchReleases.splice(0)) release();
  }

  /** The split a reader reads: the decompressed copy of a gzip split, else the split itself. */
  textSplit(split: TextSplit): TextSplit {
    if (split.compression !== 'gzip') return split;
    const copy = this.decompressed.get(split.path);
    if (copy === undefined) throw new AssertionError(`gzip split ${split.path} was not decompressed for this task`);
    return copy;
  }

  /** The compiled form of a shipped function of this task. */
  fn(shipped: ShippedFunction): UserFunction {
    const compiled = this.functions.get(shipped);
    if (compiled === undefined) throw new AssertionError(`function ${shipped.label} was not compiled for this task`);
    return compiled;
  }

  /**
   * Call once per record processed: advances the heartbeat with a plain store, so a task is seen progressing as
   * long as each record takes less than `taskTimeoutMs`, however slow (issue 12: it once beat every 16 records,
   * and a task whose records took over taskTimeoutMs / 16 was killed as hung).
   */
  tick(): void {
    if (this.progress !== null) this.progress[0] = this.beats = (this.beats + 1) | 0;
  }

  /** Advances the heartbeat now (after slow steps that process no record, such as decoding a big block). */
  beat(): void {
    if (this.progress !== null) Atomics.store(this.progress, 0, (this.beats = (this.beats + 1) | 0));
  }
}
