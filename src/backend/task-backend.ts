import type { MapOutputTable } from '../protocol/map-output.js';
import type { TaskDescriptor, TaskEndReason } from '../protocol/task.js';

/** Where broadcast values live on the driver; backends hand them to workers on request. */
export interface BroadcastSource {
  /** The value of broadcast `id`; throws when the id is unknown (destroyed or never created). */
  broadcastValue(id: number): unknown;
}

/**
 * How tasks run (DESIGN.md §2: backend decides *how*, never *what*). Every outcome, including a dead thread, comes
 * back as a `TaskEndReason`; `run` never rejects.
 */
export interface TaskBackend {
  /** Tasks that can run at the same time. */
  readonly parallelism: number;
  run(task: TaskDescriptor, signal?: AbortSignal): Promise<TaskEndReason>;
  /**
   * The driver released (or discarded) a shuffle's map outputs: threads that hold its map output table forget it
   * before their next task, so the outputs' shared memory can be freed.
   */
  shuffleReleased(shuffleId: number): void;
  /** Ends every thread; tasks still running end as `killed`. */
  close(): Promise<void>;
}

/**
 * The map output table `shuffleId` at `version` among a task's tables (what a worker's fetch asks for); throws when
 * the task was not launched with it.
 *
 * @example
 * tableOf(task.shuffleTables, 3, 17).outputs.length; // map partitions of shuffle 3
 */
export function tableOf(
  tables: readonly MapOutputTable[] | undefined,
  shuffleId: number,
  version: number,
): MapOutputTable {
  const table = tables?.find((t) => t.shuffleId === shuffleId && t.version === version);
  if (table === undefined)
    throw new Error(`the task has no map output table of shuffle ${shuffleId}, version ${version}`);
  return table;
}
