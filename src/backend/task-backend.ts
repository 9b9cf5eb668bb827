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
  /** Ends every thread; tasks still running end as `killed`. */
  close(): Promise<void>;
}
