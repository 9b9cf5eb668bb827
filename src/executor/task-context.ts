import type { CachedBlock } from '../protocol/task.js';
import type { StateWrite } from '../protocol/state.js';
import type { ShippedFunction } from '../protocol/shipped-function.js';
import { AssertionError } from '../common/errors.js';

/** A compiled user function, called with at most two arguments. */
export type UserFunction = (a?: unknown, b?: unknown) => any;

/**
 * How often (in records) the progress counter in shared memory is advanced: about 1 ns per record (an atomic add per
 * record costs ~18 ns), and often enough that a task whose records take up to taskTimeoutMs / 16 each still shows
 * progress and is never killed as hung.
 */
const PROGRESS_EVERY_RECORDS = 16;

/**
 * What one running task attempt owns on the worker: its compiled functions, its progress counter, its metrics and
 * the cached blocks it produced on the way. Lives for one attempt only.
 */
export class TaskContext {
  recordsWritten = 0;
  bytesRead = 0;
  bytesWritten = 0;
  readonly cached: CachedBlock[] = [];
  /** Streaming state versions this attempt wrote (`update-state`); reported with a sink's prepared output. */
  readonly stateWrites: StateWrite[] = [];
  private readonly progress: Int32Array | null;
  private ticks = 0;

  private readonly functions: ReadonlyMap<ShippedFunction, UserFunction>;

  constructor(functions: ReadonlyMap<ShippedFunction, UserFunction>, progress: SharedArrayBuffer | null) {
    this.functions = functions;
    this.progress = progress === null ? null : new Int32Array(progress);
    this.beat();
  }

  /** The compiled form of a shipped function of this task. */
  fn(shipped: ShippedFunction): UserFunction {
    const compiled = this.functions.get(shipped);
    if (compiled === undefined) throw new AssertionError(`function ${shipped.label} was not compiled for this task`);
    return compiled;
  }

  /** Call once per record processed: advances the heartbeat every {@link PROGRESS_EVERY_RECORDS} records. */
  tick(): void {
    if (++this.ticks % PROGRESS_EVERY_RECORDS === 0) this.beat();
  }

  /** Advances the heartbeat now (after slow steps that process no record, such as decoding a big block). */
  beat(): void {
    if (this.progress !== null) Atomics.add(this.progress, 0, 1);
  }
}
