import type { Context } from '../api/context/context.js';
import type { Accumulator } from '../api/context/accumulator.js';
import type { Block } from '../protocol/block.js';
import { mergeEventTimes, NO_EVENT_TIMES_SEEN, type EventTimesSeen, type StateWrite } from '../protocol/state.js';
import type { TwoPhaseCommitSink } from '../protocol/sink.js';
import { StreamCheckpointCorruptError, StreamingQueryError } from '../common/errors.js';
import { wallClock } from '../common/clock.js';
import { batchLogPath } from './checkpoint-log.js';
import { crashIfAsked } from './crash-points.js';
import { commitContextOf } from './sinks/resolve-sink.js';
import { StateCoordinator, type RecordedStatePartition, type StateMetrics } from './state-coordinator.js';
import {
  replayCommittedState,
  type CommitRecord,
  type HandleRecord,
  type OffsetRecord,
  type StreamCheckpoint,
} from './stream-checkpoint.js';
import type { StreamPlan } from './stream-plan.js';
import type { StreamSource } from './sources/stream-source.js';
import { progressEvent, type StreamingQueryProgress } from './query-progress.js';
import { runBatchJob, type BatchJobParts } from './batch-job.js';
import type { QuerySettings } from './query-settings.js';
import { advanceEventTime, finalWindowsDue, NO_EVENT_TIME, type EventTimeProgress } from './event-time-watermark.js';

/** With a processing-time trigger of 0, how long to wait before looking for new data again when there was none. */
export const IDLE_POLL_MS = 50;

/**
 * The micro-batch loop of one query (DESIGN.md §8), on the driver. For batch N: record its offsets, run it as one
 * job whose tasks update state and prepare the sink, record every handle (the commit decision), commit the sink,
 * record the commit. A restart finds the first batch without a commit record and either rolls its recorded commit
 * forward or reruns it with exactly its recorded offsets over the previous state version.
 */
export class MicroBatchExecution {
  readonly #kc: Context;
  readonly #plan: StreamPlan;
  /** This query's own cursors over the plan's sources, in the same order (`StreamSource.forQuery`). */
  readonly #sources: readonly StreamSource[];
  readonly #checkpoint: StreamCheckpoint;
  readonly #settings: QuerySettings;
  readonly #state: StateCoordinator | null;
  readonly #counter: Accumulator<number, number>;
  readonly #eventTimesSeen: Accumulator<EventTimesSeen, EventTimesSeen>;
  /** With event-time windows: the event times after the last committed batch; null without windows. */
  #eventTimeProgress: EventTimeProgress | null;
  readonly #onProgress: (progress: StreamingQueryProgress) => void;
  #sink: TwoPhaseCommitSink | null = null;
  #lastCommitted = -1;
  #previousStartMs: number | null = null;
  #stopRequested = false;
  #wake: (() => void) | null = null;
  /** What the query is doing, for `status`. */
  activity: 'starting' | 'waiting' | 'processing' | 'stopped' = 'starting';

  constructor(
    kc: Context,
    plan: StreamPlan,
    checkpoint: StreamCheckpoint,
    settings: QuerySettings,
    onProgress: (progress: StreamingQueryProgress) => void,
  ) {
    this.#kc = kc;
    this.#plan = plan;
    this.#sources = plan.sources.map((source) => source.forQuery());
    this.#checkpoint = checkpoint;
    this.#settings = settings;
    this.#onProgress = onProgress;
    this.#counter = kc.accumulator(0, (total: number, n: number) => total + n);
    this.#eventTimesSeen = kc.accumulator<EventTimesSeen, EventTimesSeen>(NO_EVENT_TIMES_SEEN, mergeEventTimes);
    const operator = plan.stateful;
    this.#eventTimeProgress = operator?.window ? NO_EVENT_TIME : null;
    this.#state =
      operator === null
        ? null
        : new StateCoordinator(
            operator.name,
            checkpoint.stateDir(operator.name),
            settings.statePartitions,
            kc.options.memoryBytesMax,
          );
  }

  get queryId(): string {
    return this.#checkpoint.metadata.queryId;
  }

  /** Asks the loop to end after the running batch (a batch is never left half-committed). */
  requestStop(): void {
    this.#stopRequested = true;
    this.#wake?.();
  }

  /** Runs until the trigger is exhausted, `requestStop`, or a failure (which rejects). */
  async run(): Promise<void> {
    try {
      if (this.#settings.sink.twoPhase) {
        this.#sink = await this.#settings.sink.driver();
        await this.#sink.open?.(commitContextOf(this.queryId, this.#settings.sink));
      }
      await this.#recover();
      const trigger = this.#settings.trigger;
      if (trigger.kind !== 'processingTime') for (const source of this.#sources) source.freeze();
      while (!this.#stopRequested) {
        const plannedMs = performance.now();
        const offsets: unknown[] = await Promise.all(
          this.#sources.map((source) => source.nextOffsets(trigger.kind === 'once')),
        );
        const getOffsetsMs = performance.now() - plannedMs;
        // No new data: wait, or end, unless the watermark has passed an open window (a batch without data closes it).
        const closesWindows = this.#eventTimeProgress !== null && finalWindowsDue(this.#eventTimeProgress);
        if (offsets.every((offset) => offset === null) && !closesWindows) {
          if (trigger.kind !== 'processingTime') break;
          this.activity = 'waiting';
          await this.#sleep(trigger.intervalMs > 0 ? trigger.intervalMs : IDLE_POLL_MS);
          continue;
        }
        const batchId = this.#lastCommitted + 1;
        const record: OffsetRecord = {
          batchId,
          timestampMs: wallClock.nowMs(),
          sources: offsets,
          ...(this.#eventTimeProgress === null ? {} : { watermarkMs: this.#eventTimeProgress.watermarkMs }),
        };
        const walStartMs = performance.now();
        this.#checkpoint.write('offsets', batchId, record);
        this.#sources.forEach((source, i) => {
          if (offsets[i] !== null) source.commitOffsets(offsets[i]);
        });
        const walMs = performance.now() - walStartMs;
        crashIfAsked(this.#settings.crashAt, 'after-offsets', batchId);
        await this.#runBatch(record, { getOffsets: getOffsetsMs, walCommit: walMs }, false);
        if (trigger.kind === 'once') break;
        if (trigger.kind === 'processingTime' && trigger.intervalMs > 0) {
          const remainingMs = trigger.intervalMs - (performance.now() - plannedMs);
          if (remainingMs > 0) {
            this.activity = 'waiting';
            await this.#sleep(remainingMs);
          }
        }
      }
    } finally {
      this.activity = 'stopped';
      await Promise.all(this.#sources.map((source) => source.close?.().catch(() => {})));
      // Best effort (see TwoPhaseCommitSink.close): what a failure leaves, the next start's recovery settles.
      await Promise.resolve(
        this.#sink?.close?.(this.#lastCommitted, commitContextOf(this.queryId, this.#settings.sink)),
      ).catch(() => {});
    }
  }

  /** Restores sources and state from the checkpoint, then finishes the batch an earlier run left uncommitted. */
  async #recover(): Promise<void> {
    const checkpoint = this.#checkpoint;
    const commits = checkpoint.batchIds('commits');
    for (const id of commits) checkpoint.read('commits', id); // checked: a damaged commit log is an error, not a guess
    this.#lastCommitted = commits.at(-1) ?? -1;
    if (this.#eventTimeProgress !== null && this.#lastCommitted >= 0) {
      this.#eventTimeProgress =
        checkpoint.read<CommitRecord>('commits', this.#lastCommitted)!.eventTime ?? NO_EVENT_TIME;
    }
    const offsetIds = checkpoint.batchIds('offsets');
    // Offset logs are never dropped: they are what tells the sources which data earlier batches took. Without one,
    // its batch's files would count as new and be read again (duplicated output), so a gap is corruption.
    const missing = offsetIds.findIndex((id, i) => id !== i);
    const firstMissing = missing >= 0 ? missing : offsetIds.length;
    if (firstMissing < offsetIds.length || firstMissing <= this.#lastCommitted) {
      throw new StreamCheckpointCorruptError(
        batchLogPath(checkpoint.dir('offsets'), firstMissing),
        `the offset log of batch ${firstMissing}, which is kept for every batch (the last committed is ${this.#lastCommitted}, the last planned ${Math.max(this.#lastCommitted, offsetIds.at(-1) ?? -1)})`,
        'no file',
      );
    }
    const records = new Map<number, OffsetRecord>();
    for (const id of offsetIds) {
      const record = checkpoint.read<OffsetRecord>('offsets', id)!;
      records.set(id, record);
      this.#sources.forEach((source, i) => {
        const offset = record.sources[i];
        if (offset !== null && offset !== undefined) source.commitOffsets(offset);
      });
    }
    const pending = offsetIds.filter((id) => id > this.#lastCommitted);
    if (pending.length > 1 || (pending.length === 1 && pending[0] !== this.#lastCommitted + 1)) {
      throw new StreamCheckpointCorruptError(
        checkpoint.dir('offsets'),
        `at most one batch after the last commit (${this.#lastCommitted})`,
        `offset logs of batches ${pending.join(', ')}`,
      );
    }
    if (this.#state !== null) replayCommittedState(checkpoint, this.#state, this.#lastCommitted);
    const batchId = pending[0];
    if (batchId === undefined) return;
    const decided = checkpoint.read<HandleRecord>('handles', batchId);
    const rolledForward = decided !== undefined && decided.twoPhase;
    const recorded = rolledForward ? ((decided.state?.partitions ?? []) as RecordedStatePartition[]) : [];
    this.#state?.discardUncommitted(batchId, recorded);
    if (rolledForward) {
      // The commit decision was recorded: roll it forward (the sink's commit is idempotent).
      await this.#publish(batchId, () =>
        this.#sink!.commit(batchId, [...decided.handles], commitContextOf(this.queryId, this.#settings.sink)),
      );
      if (this.#state !== null && decided.state !== null) {
        this.#state.replay(batchId, decided.state.partitions as RecordedStatePartition[]);
        this.#state.verify();
      }
      this.#writeCommitRecord(batchId, decided.eventTime ?? null);
      return;
    }
    await this.#runBatch(records.get(batchId)!, { getOffsets: 0, walCommit: 0 }, true);
  }

  async #runBatch(
    record: OffsetRecord,
    planning: { getOffsets: number; walCommit: number },
    recovered: boolean,
  ): Promise<void> {
    this.activity = 'processing';
    const { batchId } = record;
    const startedMs = performance.now();
    const settings = this.#settings;
    const context = commitContextOf(this.queryId, settings.sink);
    if (this.#sink !== null) await this.#sink.abort(batchId, [], context); // leftovers of a crashed attempt
    this.#eventTimesSeen.reset(NO_EVENT_TIMES_SEEN);
    const batchJob = await runBatchJob(this.#jobParts(), record, this.#sink);
    const runMs = performance.now() - startedMs;
    const prepared = batchJob.prepared;
    const handles = prepared.map((value) => value.handle);
    const writes: StateWrite[] = prepared.flatMap((value) => value.stateWrites);
    const outputRows = prepared.reduce((sum, value) => sum + value.rows, 0);
    crashIfAsked(settings.crashAt, 'after-prepare', batchId);

    const handlesStartMs = performance.now();
    const decision: HandleRecord = {
      batchId,
      twoPhase: settings.sink.twoPhase,
      handles: settings.sink.twoPhase ? handles : [],
      state: this.#state === null ? null : { operator: this.#state.operator, partitions: this.#state.record(writes) },
      ...(this.#eventTimeProgress === null ? {} : { eventTime: this.#eventTimeAfter(writes) }),
    };
    this.#checkpoint.write('handles', batchId, decision);
    crashIfAsked(settings.crashAt, 'after-handles', batchId);
    const commitStartMs = performance.now();
    await this.#publish(batchId, () =>
      this.#sink !== null
        ? this.#sink.commit(batchId, handles, context)
        : settings.sink.deliver!(batchId, handles as Block[]),
    );
    crashIfAsked(settings.crashAt, 'after-commit', batchId);

    const commitLogStartMs = performance.now();
    const stateMetrics: StateMetrics[] = this.#state === null ? [] : [this.#state.adopt(batchId, writes)];
    this.#writeCommitRecord(batchId, decision.eventTime ?? null);
    crashIfAsked(settings.crashAt, 'after-commit-log', batchId);
    const cleanupStartMs = performance.now();
    this.#cleanUp(batchId);
    const endMs = performance.now();

    const inputRows = batchJob.inputRows();
    const totalMs = endMs - startedMs + planning.getOffsets + planning.walCommit;
    const sincePreviousMs = this.#previousStartMs === null ? totalMs : startedMs - this.#previousStartMs;
    this.#previousStartMs = startedMs;
    const progress: StreamingQueryProgress = {
      id: this.queryId,
      name: settings.name,
      batchId,
      timestamp: new Date(record.timestampMs).toISOString(),
      numInputRows: inputRows,
      inputRowsPerSecond: sincePreviousMs > 0 ? (inputRows * 1000) / sincePreviousMs : 0,
      processedRowsPerSecond: totalMs > 0 ? (inputRows * 1000) / totalMs : 0,
      durationMs: {
        getOffsets: planning.getOffsets,
        walCommit: planning.walCommit,
        runBatch: runMs,
        recordHandles: commitStartMs - handlesStartMs,
        commitSink: commitLogStartMs - commitStartMs,
        commitLog: cleanupStartMs - commitLogStartMs,
        cleanup: endMs - cleanupStartMs,
        total: totalMs,
      },
      stateOperators: stateMetrics,
      sink: { description: settings.sink.description, numOutputRows: outputRows },
      ...(decision.eventTime === undefined
        ? {}
        : {
            eventTime: {
              watermarkMs: record.watermarkMs ?? null,
              eventTimeMaxMs: decision.eventTime.eventTimeMaxMs,
              lateRowsDropped: this.#eventTimesSeen.value.lateRows,
            },
          }),
      recovered,
    };
    this.#onProgress(progress);
    const job = this.#kc.lastJobMetrics;
    this.#kc.reportStreamingProgress(progressEvent(progress, job === null ? [] : [job.jobId]));
  }

  /**
   * Runs the sink's commit (or a driver-side sink's delivery) of batch `batchId`. Its failure (a read-only or full
   * disk under the file sink, a user's sink throwing) fails the query with a `StreamingQueryError` naming the batch,
   * the sink and what a restart does, never with the sink's raw error.
   */
  async #publish(batchId: number, publish: () => Promise<void> | void): Promise<void> {
    try {
      await publish();
    } catch (error: unknown) {
      if (error instanceof StreamingQueryError) throw error;
      const sink = this.#settings.sink;
      const restart = sink.twoPhase
        ? `its commit decision is recorded in ${batchLogPath(this.#checkpoint.dir('handles'), batchId)}, so a restart with the same checkpoint commits it again`
        : 'a restart with the same checkpoint runs the batch again';
      const message = error instanceof Error ? error.message : String(error);
      throw new StreamingQueryError(
        'ERR_STREAM_SINK',
        `streaming batch ${batchId}: the sink (${sink.description}) failed to commit: ${message}; ${restart}`,
        { cause: error, batchId },
      );
    }
  }

  /** The event times after the batch that made `writes` (its latest event time, the windows its state left open). */
  #eventTimeAfter(writes: readonly StateWrite[]): EventTimeProgress {
    let windowEndMinMs: number | null = null;
    for (const { windowEndMinMs: endMs } of writes) {
      if (endMs !== null && (windowEndMinMs === null || endMs < windowEndMinMs)) windowEndMinMs = endMs;
    }
    const delayMs = this.#plan.stateful!.window!.watermarkDelayMs;
    return advanceEventTime(this.#eventTimeProgress!, this.#eventTimesSeen.value.latestMs, windowEndMinMs, delayMs);
  }

  /** Records that batch `batchId` committed (with the event times after it, for event-time windows). */
  #writeCommitRecord(batchId: number, eventTime: EventTimeProgress | null): void {
    const record: CommitRecord = eventTime === null ? { batchId } : { batchId, eventTime };
    this.#checkpoint.write('commits', batchId, record);
    this.#lastCommitted = batchId;
    if (eventTime !== null) this.#eventTimeProgress = eventTime;
  }

  #jobParts(): BatchJobParts {
    return {
      kc: this.#kc,
      plan: this.#plan,
      sources: this.#sources,
      counter: this.#counter,
      eventTimes: this.#eventTimesSeen,
      state: this.#state,
      settings: this.#settings,
      queryId: this.queryId,
    };
  }

  /** Retention: state files and handle logs older than `minBatchesToRetain` versions back are removed. */
  #cleanUp(batchId: number): void {
    if (this.#state === null) return;
    const oldest = batchId - this.#settings.minBatchesToRetain + 1;
    if (oldest <= 0) return;
    const keepFrom = this.#state.clean(oldest);
    crashIfAsked(this.#settings.crashAt, 'during-cleanup', batchId);
    this.#checkpoint.dropBefore('handles', keepFrom);
    this.#checkpoint.dropBefore('commits', Math.min(keepFrom, batchId));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => {
      this.#wake = null;
    });
  }
}
