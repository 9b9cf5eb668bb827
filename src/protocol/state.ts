import type { Block, SpilledBlock } from './block.js';
import type { ShippedFunction } from './shipped-function.js';

/**
 * Keyed streaming state crossing the thread boundary (DESIGN.md §8). State of one operator is cut into partitions by
 * key hash; version v of a partition is the state after batch v. The driver holds, per partition, the newest
 * version as an immutable block in shared memory (when it fits the budget) and the files that rebuild it from disk:
 * the newest snapshot at or before v, then one delta per batch after it (C(t) = C(t-1) + ΔC(t)).
 *
 * A state row is `{ key, value, updatedMs }`; a delta row is `{ key, value, updatedMs, removed }` (removed rows carry
 * `value: null`). Rows keep the order of the partition's key map, so a rebuilt map iterates exactly as the live one.
 */

/** One state file (snapshot or delta): an Arrow IPC file holding one record batch, checked by size and CRC-32. */
export type StateFileRef = SpilledBlock;

/**
 * Where a task finds version `version` of its state partition: the snapshot (first, if any) and then the deltas in
 * version order, as blocks in shared memory when the driver kept them, and always as files. A thread that built
 * exactly this version itself keeps it in its own cache and reads neither.
 */
export interface StatePartitionInput {
  /** The version these describe (-1: no state yet). */
  readonly version: number;
  /** The snapshot and deltas as blocks, or null to read `files`. */
  readonly blocks: readonly Block[] | null;
  readonly files: readonly StateFileRef[];
}

/** What the `update-state` operation of one batch does (the same for every partition; inputs indexed by partition). */
export interface UpdateStateSpec {
  /** The operator's name in the checkpoint (`state/<operator>/`). */
  readonly operator: string;
  /** `state/<operator>` under the checkpoint directory: partition p writes into `<dir>/<p>/`. */
  readonly dir: string;
  /** The version this batch writes (its batch id). */
  readonly version: number;
  /** The batch's logical time (recorded in its offsets, so a replay sees the same time). */
  readonly batchTimestampMs: number;
  /** Keys not updated for this long get a last call with `[]` and are dropped; null: never. */
  readonly timeoutMs: number | null;
  /**
   * Which records the operation yields: changed keys, every key, none, or (event-time windows in `append` mode) each
   * window once, when it is final (`window`).
   */
  readonly emit: 'update' | 'complete' | 'none' | 'evicted';
  /** How `fn` folds a key's new values: `update` calls `fn(values, state)`, `reduce` folds them with `fn(a, b)`. */
  readonly fold: 'update' | 'reduce';
  /**
   * Event-time windows (`reduceByKeyAndWindow`): keys are windows (`common/window-keys.ts`), and after the batch's updates
   * every window whose end (`windowStartMs + windowMs`) is at or before `watermarkMs` is final and dropped (null
   * watermark: no event seen yet). Null: the keys are not windows.
   */
  readonly window: { readonly windowMs: number; readonly watermarkMs: number | null } | null;
  /** Also write a snapshot of version `version`. */
  readonly snapshot: boolean;
  /** `fn(newValues, state | undefined)` returns the new state, or undefined to remove the key. */
  readonly fn: ShippedFunction;
  /** Version `version - 1` of each partition, indexed by partition. */
  readonly inputs: readonly StatePartitionInput[];
}

/** What a task reports for the state partition it wrote; the driver adopts it only if the batch commits. */
export interface StateWrite {
  readonly operator: string;
  readonly partition: number;
  readonly version: number;
  /** ΔC of this batch, or null when no key changed: in shared memory and on disk (the same Arrow batch). */
  readonly delta: { readonly block: Block; readonly file: StateFileRef } | null;
  /** The whole partition at `version`, when a snapshot was due. */
  readonly snapshot: { readonly block: Block; readonly file: StateFileRef } | null;
  readonly rowsTotal: number;
  readonly rowsUpdated: number;
  readonly rowsRemoved: number;
  /** With event-time windows: the earliest end of a window still in the partition (null: none, or no windows). */
  readonly windowEndMinMs: number | null;
}

/** `<dir>/<partition>/<version>.<kind>.arrow`: the one place state file names are made. */
export function stateFilePath(dir: string, partition: number, version: number, kind: 'delta' | 'snapshot'): string {
  return `${dir}/${partition}/${version}.${kind}.arrow`;
}

/**
 * `reduceByKeyAndWindow`'s window assignment, the step before the state update: each of the user's records, with
 * its event time `eventTime(record)` and its `[key, value]` `pair(record)` (the record itself without `pair`),
 * becomes `[[key, windowStartMs], value]` for every window holding its event time (windows of `windowMs` starting
 * every `slideMs` from time 0), except windows that end at or before `watermarkMs` (late: already final).
 * What the task saw goes to accumulator `eventTimesAccumulatorId` as one `EventTimesSeen`: its latest event time
 * (late events count too) and the records dropped as late (every window of theirs was final).
 */
export interface WindowAssignSpec {
  readonly eventTime: ShippedFunction;
  readonly pair: ShippedFunction | null;
  readonly windowMs: number;
  readonly slideMs: number;
  readonly watermarkMs: number | null;
  readonly eventTimesAccumulatorId: number;
  /** The streaming batch, named by a bad record's `InputError` (a user reading only the cause sees it too). */
  readonly batchId: number;
  /**
   * Whether each record reaches the assignment while the line it came from is the one its task's text source
   * just read (only record-wise operations since the source): then a bad record's error names that file and line.
   */
  readonly sourceLineKnown: boolean;
}

/** The event times a window assignment saw (added to `WindowAssignSpec`'s accumulator once per task). */
export interface EventTimesSeen {
  /** The latest event time (null: no record). */
  readonly latestMs: number | null;
  /** Records dropped because every window holding them was final (Spark's rows dropped by watermark). */
  readonly lateRows: number;
}

/** What an accumulator of `EventTimesSeen` starts from. */
export const NO_EVENT_TIMES_SEEN: EventTimesSeen = { latestMs: null, lateRows: 0 };

/** Two `EventTimesSeen` as one (the accumulator's merge, on the driver). */
export function mergeEventTimes(a: EventTimesSeen, b: EventTimesSeen): EventTimesSeen {
  const latestMs = a.latestMs === null || (b.latestMs !== null && b.latestMs > a.latestMs) ? b.latestMs : a.latestMs;
  return { latestMs, lateRows: a.lateRows + b.lateRows };
}
