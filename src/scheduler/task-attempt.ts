import type { TaskEndReason, TaskOutputSpec } from '../protocol/task.js';
import type { CommittedAttempt, StageRun, TaskSetHost } from './task-set.js';
import { MapOutputMissingError } from './map-output-tracker.js';
import { watchProgress } from './progress-watch.js';
import { slowPartitions, type RunningAttemptView } from './speculation.js';
import { blockFault, launchAttempt, type LaunchedAttempt } from './task-launch.js';
import { checkEndReason } from './check-end-reason.js';
import { attemptRef, reportTaskEnd, reportTaskStart } from './scheduler-events.js';

/** One attempt handed to the backend, while it runs. */
interface LiveAttempt {
  readonly speculative: boolean;
  /** The attempt's heartbeat counter (0 until its task code started on a thread). */
  readonly progress: Int32Array;
  readonly abort: AbortController;
  /** When the speculation watch first saw it past its first heartbeat; null before. */
  heartbeatMs: number | null;
}

/** The attempts of one partition in a task set: the original ones and at most one speculative copy. */
export interface PartitionRun {
  readonly partition: number;
  /** Set by the first attempt to succeed; every later success is dropped. */
  resolved: boolean;
  /** A copy was launched (a partition gets one at most, as in Spark). */
  copied: boolean;
  readonly live: Set<LiveAttempt>;
  /** Settles with the copy's result when a speculative copy succeeds first; never settles otherwise. */
  readonly copyWon: Promise<CommittedAttempt>;
  winByCopy(committed: CommittedAttempt): void;
}

/** How one attempt ended; `committed` is set for a success. */
export interface AttemptOutcome {
  readonly attempt: number;
  readonly reason: TaskEndReason;
  readonly launched: LaunchedAttempt | MapOutputMissingError;
  readonly live: LiveAttempt | null;
  readonly committed: CommittedAttempt | null;
}

/** Why a losing attempt is aborted (its end reason is `killed` with this reason). */
const SPECULATION_LOST = 'speculation-lost';
/** Bounds of the speculation watch's period, in ms. */
const WATCH_PERIOD_MS_MIN = 5;
const WATCH_PERIOD_MS_MAX = 100;

/**
 * The state of one task set as it runs: attempt numbers, live attempts per partition, finished durations (for
 * speculation), and attempts still running after their partition was decided. Owned by the scheduler's event loop.
 */
export class TaskSetRun {
  readonly host: TaskSetHost;
  readonly stage: StageRun;
  readonly progress: { stageId: number; label: string; total: number; done: number; running: number };
  /** Promises of attempts whose outcome no longer matters but which must end before the task set returns. */
  readonly pending = new Set<Promise<void>>();
  readonly outputFor: (partition: number, attempt: number) => TaskOutputSpec;
  private readonly attempts: Map<number, number>;
  private readonly partitions = new Map<number, PartitionRun>();
  private readonly finishedDurationsMs: number[] = [];

  constructor(
    host: TaskSetHost,
    stage: StageRun,
    total: number,
    outputFor: (partition: number, attempt: number) => TaskOutputSpec,
  ) {
    this.host = host;
    this.stage = stage;
    this.outputFor = outputFor;
    this.attempts = stage.attempts ?? new Map();
    this.progress = { stageId: stage.stageId, label: stage.label, total, done: 0, running: 0 };
    this.report();
  }

  /** Keeps `work` in {@link pending} until it settles (its outcome is handled elsewhere). */
  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => {},
      () => {},
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  report(): void {
    this.host.onProgress({ ...this.progress });
  }

  /** Takes the next attempt number of a partition (original attempts and copies share the count). */
  nextAttempt(partition: number): number {
    const attempt = this.attempts.get(partition) ?? 0;
    this.attempts.set(partition, attempt + 1);
    return attempt;
  }

  partitionRun(partition: number): PartitionRun {
    let win: (committed: CommittedAttempt) => void = () => {};
    const copyWon = new Promise<CommittedAttempt>((resolve) => (win = resolve));
    const state: PartitionRun = { partition, resolved: false, copied: false, live: new Set(), copyWon, winByCopy: win };
    this.partitions.set(partition, state);
    return state;
  }

  recordDuration(durationMs: number): void {
    this.finishedDurationsMs.push(durationMs);
  }

  /**
   * Decides the partition for `winner`: every other live attempt past its first heartbeat is terminated; one not
   * yet started on a thread is left to finish (terminating a starting thread can crash V8) and its result dropped.
   */
  resolve(state: PartitionRun, winner: AttemptOutcome): void {
    state.resolved = true;
    this.partitions.delete(state.partition);
    for (const live of state.live) {
      if (live === winner.live || Atomics.load(live.progress, 0) === 0) continue;
      live.abort.abort(SPECULATION_LOST);
      this.host.metrics.speculativeKills++;
    }
  }

  /** An attempt that ended after its partition was decided: nothing of it is used. */
  dropLoser(outcome: AttemptOutcome): void {
    if (outcome.committed !== null) {
      this.host.metrics.accumulatorUpdatesDropped += outcome.committed.accumulatorUpdates.length;
    }
  }

  /** Starts the speculation watch when `speculation` is on and a copy could run beside the original; returns stop. */
  watchStragglers(): () => void {
    const policy = this.host.options.speculation ?? null;
    if (policy === null || this.progress.total < 2 || this.host.backend.parallelism < 2) return () => {};
    const periodMs = Math.min(WATCH_PERIOD_MS_MAX, Math.max(WATCH_PERIOD_MS_MIN, Math.floor(policy.minTaskMs / 4)));
    const timer = setInterval(() => {
      if (this.host.abort.signal.aborted) return;
      const nowMs = this.host.clock.nowMs();
      const running: RunningAttemptView[] = [];
      for (const state of this.partitions.values()) {
        if (state.resolved || state.copied) continue;
        for (const live of state.live) {
          if (live.speculative || Atomics.load(live.progress, 0) === 0) continue;
          live.heartbeatMs ??= nowMs;
          running.push({ partition: state.partition, heartbeatMs: live.heartbeatMs });
        }
      }
      for (const partition of slowPartitions(policy, this.progress.total, this.finishedDurationsMs, running, nowMs)) {
        const state = this.partitions.get(partition);
        if (state !== undefined && !state.copied) this.launchCopy(state);
      }
    }, periodMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Runs one speculative copy of a partition. Its failure is recorded but not retried: the original still runs. */
  private launchCopy(state: PartitionRun): void {
    state.copied = true;
    const metrics = this.host.metrics;
    metrics.speculativeAttempts++;
    const [jobId, stageId, partition] = [metrics.jobId, this.stage.stageId, state.partition];
    this.host.events?.({ kind: 'speculative-launch', jobId, stageId, partition });
    const copy = runAttempt(this, state, true).then(
      (outcome) => {
        if (state.resolved) return this.dropLoser(outcome);
        if (outcome.committed !== null) {
          metrics.speculativeWins++;
          this.resolve(state, outcome);
          state.winByCopy(outcome.committed);
        } else {
          metrics.failures[outcome.reason.kind as Exclude<TaskEndReason['kind'], 'success'>]++;
        }
      },
      () => {
        // Building the copy failed; the original attempt meets the same error and reports it.
      },
    );
    this.track(copy);
  }
}

/**
 * Builds and runs one attempt of a partition to its end: heartbeat watch, metrics, the shuffle generations it read.
 * A missing input block known on the driver ends it as `fetch-failed` without running it.
 */
export async function runAttempt(run: TaskSetRun, state: PartitionRun, speculative: boolean): Promise<AttemptOutcome> {
  const { host, stage } = run;
  const metrics = host.metrics;
  const partition = state.partition;
  const attempt = run.nextAttempt(partition);
  const launchedMs = host.clock.nowMs();
  const launched = launchAttempt(host, stage, partition, attempt, run.outputFor(partition, attempt));
  if (launched instanceof MapOutputMissingError) {
    // The driver already knows an input block is gone: the task would fail to fetch it, so it is not run.
    const reason = { kind: 'fetch-failed', ...launched, message: launched.message } as const;
    return { attempt, reason, launched, live: null, committed: null };
  }
  const { task } = launched;
  const reads = host.attemptStarted(task.taskId, launched.shufflesRead, launched.cachedRead);
  const fault = task.fault ?? null;
  if (fault !== null && fault.kind !== 'lose-block' && fault.kind !== 'corrupt-block')
    metrics.faultsInjected[fault.kind]++;
  metrics.taskAttempts++;
  // With nobody listening (`events` null) nothing is reported; a start and a success go as numbers
  // (events/task-facts.ts).
  const events = host.events ?? null;
  const facts = host.taskFacts ?? null;
  if (events !== null) {
    reportTaskStart(
      events,
      facts,
      metrics.jobId,
      stage.stageId,
      task.taskId,
      partition,
      attempt,
      speculative,
      launchedMs,
    );
    if (fault !== null && fault.kind !== 'lose-block' && fault.kind !== 'corrupt-block')
      events({
        kind: 'fault-injected',
        ...attemptRef(metrics.jobId, stage.stageId, task.taskId, partition, attempt),
        fault: fault.kind,
      });
  }
  run.progress.running++;
  run.report();
  const live: LiveAttempt = {
    speculative,
    progress: new Int32Array(task.progress!),
    abort: new AbortController(),
    heartbeatMs: null,
  };
  state.live.add(live);
  const stopWatch = watchProgress(task.progress, host.options.taskTimeoutMs, host.clock, () =>
    live.abort.abort('timed-out'),
  );
  let reason = checkEndReason(await host.backend.run(task, live.abort.signal), task);
  stopWatch();
  state.live.delete(live);
  run.progress.running--;
  if (reason.kind === 'killed' && live.abort.signal.reason === 'timed-out') {
    reason = { kind: 'timed-out', timeoutMs: host.options.taskTimeoutMs };
  }
  host.attemptEnded(task.taskId, reads, reason.kind === 'success');
  const endedMs = host.clock.nowMs();
  if (events !== null) {
    const durationMs = endedMs - launchedMs;
    reportTaskEnd(
      events,
      facts,
      metrics.jobId,
      stage.stageId,
      task.taskId,
      partition,
      attempt,
      speculative,
      durationMs,
      reason,
      endedMs,
    );
  }
  if (reason.kind !== 'success') {
    if (live.abort.signal.reason !== SPECULATION_LOST) metrics.timeLostMs += endedMs - launchedMs;
    return { attempt, reason, launched, live, committed: null };
  }
  metrics.tasksSucceeded++;
  metrics.recordsWritten += reason.metrics.recordsWritten;
  metrics.bytesRead += reason.metrics.bytesRead;
  metrics.bytesWritten += reason.metrics.bytesWritten;
  metrics.spillBytes += reason.metrics.spillBytes;
  metrics.malformedRecordsNulled += reason.metrics.malformedRecordsNulled ?? 0;
  metrics.malformedRecordsDropped += reason.metrics.malformedRecordsDropped ?? 0;
  run.recordDuration(reason.metrics.durationMs);
  // A loser's cached blocks are equal to the winner's; the block store keeps one of them.
  if (!state.resolved) for (const cached of reason.cached) host.putCached(cached, reads);
  const blockFaultsBefore = fault === null ? 0 : metrics.faultsInjected[fault.kind];
  const committed: CommittedAttempt = {
    value: reason.value,
    accumulatorUpdates: reason.accumulatorUpdates ?? [],
    lostBlock: state.resolved ? null : blockFault(fault, reason.value, metrics),
    reads,
  };
  // A block fault counts (and is logged) only when it hit a block.
  if (events !== null && fault !== null && metrics.faultsInjected[fault.kind] > blockFaultsBefore) {
    events({
      kind: 'fault-injected',
      ...attemptRef(metrics.jobId, stage.stageId, task.taskId, partition, attempt),
      fault: fault.kind,
    });
  }
  return { attempt, reason, launched, live, committed };
}
