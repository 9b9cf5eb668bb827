/**
 * Typed errors, one class per phase (STYLE.md §3). Every error has a stable `code` that callers may switch on,
 * an optional `cause`, and a message that says what was expected, what was found and where.
 */

/** Stable error codes. Adding a code is fine; changing or removing one breaks users who switch on it. */
export type ErrorCode =
  | 'ERR_PLAN_FREE_VARIABLE'
  | 'ERR_PLAN_NOT_A_FUNCTION'
  | 'ERR_PLAN_UNSHIPPABLE_FUNCTION'
  | 'ERR_PLAN_INVALID_ARGUMENT'
  | 'ERR_OPTIONS_INVALID'
  | 'ERR_OPTIONS_UNKNOWN'
  | 'ERR_INPUT_NOT_FOUND'
  | 'ERR_INPUT_NOT_A_FILE'
  | 'ERR_INPUT_UNREADABLE'
  | 'ERR_INPUT_INVALID_RECORD'
  | 'ERR_INPUT_CORRUPT'
  | 'ERR_INPUT_SCHEMA_MISMATCH'
  | 'ERR_OUTPUT_EXISTS'
  | 'ERR_OUTPUT_FAILED'
  | 'ERR_OUTPUT_SCHEMA_MISMATCH'
  | 'ERR_CONTEXT_STOPPED'
  | 'ERR_TASK_FAILED'
  | 'ERR_TASK_RESULT_INVALID'
  | 'ERR_JOB_FAILED'
  | 'ERR_BLOCK_CORRUPT'
  | 'ERR_FETCH_FAILED'
  | 'ERR_POOL_FAILED'
  | 'ERR_EMPTY_DATASET'
  | 'ERR_COLUMNAR_TYPE'
  | 'ERR_COLUMNAR_UNKNOWN_COLUMN'
  | 'ERR_COLUMNAR_UNSUPPORTED'
  | 'ERR_COLUMNAR_OVERFLOW'
  | 'ERR_COLUMNAR_JOIN_KEY_TOO_FREQUENT'
  | 'ERR_CHECKPOINT_CORRUPT'
  | 'ERR_STREAM_CHECKPOINT_CORRUPT'
  | 'ERR_STREAM_INCOMPATIBLE_CHECKPOINT'
  | 'ERR_STREAM_SOURCE'
  | 'ERR_STREAM_SINK'
  | 'ERR_STREAM_QUERY_FAILED'
  | 'ERR_STREAM_CHECKPOINT_IN_USE'
  | 'ERR_ASSERTION'
  | 'ERR_MISSING_PACKAGE';

/** Base class of every error kindling throws on purpose. */
export class KindlingError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A dataset definition that cannot run: a bad argument, a function a worker cannot see. Thrown at definition time. */
export class PlanError extends KindlingError {}

/**
 * Invalid options, of a `Context` or of any call that takes an options object: `ERR_OPTIONS_INVALID` for a bad
 * value, `ERR_OPTIONS_UNKNOWN` for a key no option has (a typo, named with the closest known option).
 */
export class OptionsError extends KindlingError {
  constructor(message: string, code: 'ERR_OPTIONS_INVALID' | 'ERR_OPTIONS_UNKNOWN' = 'ERR_OPTIONS_INVALID') {
    super(code, message);
  }
}

/** Input that cannot be read as asked: a missing path, a directory where a file is expected, a malformed record. */
export class InputError extends KindlingError {}

/** Output that cannot be written as asked: an existing target, a failed commit. Nothing partial is left behind. */
export class OutputError extends KindlingError {}

/** The context was stopped; no new jobs run on it, and jobs that were running when it stopped were aborted. */
export class ContextStoppedError extends KindlingError {
  constructor(what: string, options?: { cause?: unknown }) {
    super(
      'ERR_CONTEXT_STOPPED',
      `${what}: this Context was stopped with kc.stop(); create a new Context to run more jobs`,
      options,
    );
  }
}

/** Where a task ran: enough to find it in the plan and in the event log. */
export interface TaskLocation {
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
}

/**
 * A user function threw inside a task. Carries the user's own message and stack (from the worker thread) plus the
 * stage, partition and attempt.
 */
export class TaskError extends KindlingError {
  readonly location: TaskLocation;
  readonly userStack: string | undefined;
  constructor(message: string, location: TaskLocation, userStack: string | undefined, options?: { cause?: unknown }) {
    super('ERR_TASK_FAILED', message, options);
    this.location = location;
    this.userStack = userStack;
    if (userStack !== undefined)
      this.stack = `${this.name}: ${message}\n    --- stack in the worker thread ---\n${userStack}`;
  }
}

/** A job gave up: a task failed `taskAttemptsMax` times. `cause` is the last attempt's error. */
export class JobFailedError extends KindlingError {
  readonly location: TaskLocation;
  constructor(message: string, location: TaskLocation, options?: { cause?: unknown }) {
    super('ERR_JOB_FAILED', message, options);
    this.location = location;
  }
}

/** A broken invariant inside kindling: a bug in kindling, never in the caller's input. */
export class AssertionError extends KindlingError {
  constructor(message: string) {
    super('ERR_ASSERTION', `kindling internal invariant broken: ${message}`);
  }
}

/**
 * A checkpoint cannot be read as written: a part file or the manifest is missing, truncated, fails its CRC-32, or
 * the manifest comes from an incompatible format version. Names the file and what was expected versus found.
 *
 * @example
 * try { await kc.readCheckpoint(dir).count(); }
 * catch (error) { if (error instanceof CheckpointCorruptError) console.error(error.file, error.expected, error.found); }
 */
export class CheckpointCorruptError extends KindlingError {
  /** The file that failed its check. */
  readonly file: string;
  readonly expected: string;
  readonly found: string;
  constructor(file: string, expected: string, found: string, options?: { cause?: unknown }) {
    super('ERR_CHECKPOINT_CORRUPT', `corrupt checkpoint file ${file}: expected ${expected}, found ${found}`, options);
    this.file = file;
    this.expected = expected;
    this.found = found;
  }
}

/**
 * A streaming query's checkpoint cannot be trusted: an offset, commit or handle log or a state file is missing,
 * truncated, fails its CRC-32, or comes from a newer format. Nothing was written when it is thrown.
 *
 * @example
 * query.awaitTermination().catch((error) => { if (error.code === 'ERR_STREAM_CHECKPOINT_CORRUPT') console.error(error.file); });
 */
export class StreamCheckpointCorruptError extends KindlingError {
  readonly file: string;
  readonly expected: string;
  readonly found: string;
  constructor(file: string, expected: string, found: string, options?: { cause?: unknown }) {
    super(
      'ERR_STREAM_CHECKPOINT_CORRUPT',
      `corrupt streaming checkpoint file ${file}: expected ${expected}, found ${found}`,
      options,
    );
    this.file = file;
    this.expected = expected;
    this.found = found;
  }
}

/**
 * A streaming query cannot run as asked: a restart whose query differs from the one its checkpoint recorded
 * (`ERR_STREAM_INCOMPATIBLE_CHECKPOINT`), a checkpoint another running query holds (`ERR_STREAM_CHECKPOINT_IN_USE`), a source that cannot be read (`ERR_STREAM_SOURCE`), a sink that cannot be
 * used (`ERR_STREAM_SINK`), or a batch that failed (`ERR_STREAM_QUERY_FAILED`, with `batchId` and the `cause`).
 */
export class StreamingQueryError extends KindlingError {
  /** The batch that failed, or null when the query failed before or between batches. */
  readonly batchId: number | null;
  constructor(
    code:
      | 'ERR_STREAM_INCOMPATIBLE_CHECKPOINT'
      | 'ERR_STREAM_CHECKPOINT_IN_USE'
      | 'ERR_STREAM_SOURCE'
      | 'ERR_STREAM_SINK'
      | 'ERR_STREAM_QUERY_FAILED',
    message: string,
    options?: { cause?: unknown; batchId?: number | null },
  ) {
    super(code, message, options);
    this.batchId = options?.batchId ?? null;
  }
}

/**
 * A feature needs an optional package that is not installed (`pg` for `format('postgres')`, `@nats-io/jetstream`
 * and `@nats-io/transport-node` for `readStream.jetstream`): the message names the package and how to install it.
 */
export class MissingPackageError extends KindlingError {
  /** The npm package to install. */
  readonly packageName: string;
  constructor(feature: string, packageName: string, options?: { cause?: unknown }) {
    super('ERR_MISSING_PACKAGE', `${feature} needs the '${packageName}' package: npm install ${packageName}`, options);
    this.packageName = packageName;
  }
}
