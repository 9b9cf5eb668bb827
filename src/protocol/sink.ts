/**
 * The public two-phase-commit sink contract of streaming queries (DESIGN.md §8), as plain types: a module exports
 * an object with these three methods; workers call `prepare`, the driver `commit` and `abort`.
 *
 * @example
 * // my-sink.js
 * export const sink = {
 *   prepare(batchId, partition, rows, { attempt }) { return writeHidden(batchId, partition, attempt, rows); },
 *   commit(batchId, handles) { for (const h of handles) publish(h); },  // idempotent: may run again after a crash
 *   abort(batchId, handles) { for (const h of handles) discard(h); },   // idempotent; handles may be []
 * };
 * // app.js
 * stream.writeStream.format(kc.fn(new URL('./my-sink.js', import.meta.url), 'sink')).start();
 */
export interface TwoPhaseCommitSink<H = unknown> {
  /**
   * Runs in the worker that computed `partition` of batch `batchId`: writes `rows` where no reader sees them
   * (attempt-private: two attempts of one partition may both run) and returns a plain, JSON-serializable handle
   * (it is recorded in the checkpoint, and is the commit decision once recorded).
   */
  prepare(batchId: number, partition: number, rows: unknown[], context: SinkPrepareContext): H | Promise<H>;
  /**
   * Runs on the driver once every partition prepared and the handles are recorded: makes the batch visible. Must be
   * idempotent: after a crash it runs again with the same handles.
   */
  commit(batchId: number, handles: H[], context: SinkCommitContext): void | Promise<void>;
  /**
   * Runs on the driver when the batch will not commit: discards what `handles` name and anything else this sink
   * prepared for `batchId` that it can find (after a crash, `handles` may be empty). Must be idempotent.
   */
  abort(batchId: number, handles: H[], context: SinkCommitContext): void | Promise<void>;
  /** Optional: runs on the driver when the query starts, to check or claim the target (a path, a table). */
  open?(context: SinkCommitContext): void | Promise<void>;
  /**
   * Optional: runs on the driver when the query's loop ends (a stop, the end of its trigger, or a failure), with the
   * last committed batch (-1 for none): discards what attempts prepared for batches up to it that is still there,
   * e.g. a straggling task attempt that prepared after its batch committed, which would otherwise wait for the next
   * start. It must leave alone anything of later batches: their handles may be recorded, and a restart commits them.
   * Best effort: a failure here is ignored, and the next start settles what is left.
   */
  close?(lastCommittedBatchId: number, context: SinkCommitContext): void | Promise<void>;
}

/** Facts a sink's `prepare` needs to name its output uniquely. */
export interface SinkPrepareContext {
  readonly queryId: string;
  /** The task attempt: two attempts of one partition must never write to the same place. */
  readonly attempt: number;
  /** The sink's options (`writeStream.option(…)`). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What the driver-side methods of a sink get. */
export interface SinkCommitContext {
  readonly queryId: string;
  readonly options: Readonly<Record<string, unknown>>;
}
