import type { Context } from '../api/context/context.js';
import { MicroBatchExecution } from './micro-batch-execution.js';
import type { QuerySettings } from './query-settings.js';
import { RECENT_PROGRESS_MAX, type StreamingQueryProgress, type StreamingQueryStatus } from './query-progress.js';
import { queryRegistryOf } from './query-registry.js';
import type { StreamCheckpoint } from './stream-checkpoint.js';
import type { StreamPlan } from './stream-plan.js';

/**
 * A running streaming query (Spark's `StreamingQuery`), returned by `writeStream…start()`. It runs in the
 * background on the Context's pool until its trigger is exhausted, `stop()`, or a failure; `awaitTermination()`
 * settles then (rejecting with a `StreamingQueryError` naming the batch and its cause).
 *
 * @example
 * const query = stream.writeStream.trigger({ availableNow: true }).option('checkpointLocation', 'ckpt').start('out');
 * await query.awaitTermination();
 * console.log(query.lastProgress?.numInputRows);
 */
export class StreamingQuery {
  /** Stable across restarts: recorded in the checkpoint. */
  readonly id: string;
  readonly name: string | null;
  /** The newest batch's progress, or null before the first batch. */
  lastProgress: StreamingQueryProgress | null = null;
  /** The last {@link RECENT_PROGRESS_MAX} batches' progress, oldest first. */
  readonly recentProgress: StreamingQueryProgress[] = [];
  /** The error that ended the query, or null. */
  exception: Error | null = null;
  readonly #execution: MicroBatchExecution;
  readonly #done: Promise<void>;
  #active = true;

  /** @internal Made by `DataStreamWriter.start()`. */
  constructor(
    kc: Context,
    plan: StreamPlan,
    checkpoint: StreamCheckpoint,
    settings: QuerySettings,
    /** Runs once when the query has ended: releases the checkpoint (and removes a temporary one). */
    onEnd: () => void,
  ) {
    this.id = checkpoint.metadata.queryId;
    this.name = settings.name;
    this.#execution = new MicroBatchExecution(kc, plan, checkpoint, settings, (progress) => {
      this.lastProgress = progress;
      this.recentProgress.push(progress);
      if (this.recentProgress.length > RECENT_PROGRESS_MAX) this.recentProgress.shift();
    });
    const registry = queryRegistryOf(kc);
    registry.running.add(this);
    this.#done = this.#execution
      .run()
      .catch((error: unknown) => {
        this.exception = error instanceof Error ? error : new Error(String(error));
      })
      .finally(() => {
        this.#active = false;
        registry.running.delete(this);
        onEnd();
      });
  }

  /** True until the query ends. */
  get isActive(): boolean {
    return this.#active;
  }

  /** What the query is doing now. */
  get status(): StreamingQueryStatus {
    const activity = this.#execution.activity;
    return {
      message:
        activity === 'processing'
          ? 'Processing new data'
          : activity === 'waiting'
            ? 'Waiting for data to arrive'
            : activity === 'starting'
              ? 'Initializing sources'
              : this.exception !== null
                ? `Terminated with exception: ${this.exception.message}` // Spark's words: a failure is not a stop
                : 'Stopped',
      isDataAvailable: activity === 'processing',
      isTriggerActive: activity === 'processing',
    };
  }

  /** Settles when the query ends: resolves after a trigger's last batch or `stop()`, rejects with the failure. */
  async awaitTermination(): Promise<void> {
    await this.#done;
    if (this.exception !== null) throw this.exception;
  }

  /**
   * Stops the query gracefully: the running batch finishes and commits (never half-committed), no new batch starts.
   * Resolves when it has ended; does not reject with the query's failure (see `awaitTermination` and `exception`).
   */
  async stop(): Promise<void> {
    this.#execution.requestStop();
    await this.#done;
  }
}
