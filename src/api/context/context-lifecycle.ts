import { rmSync } from 'node:fs';
import { ContextStoppedError } from '../../common/errors.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import type { TaskBackend } from '../../backend/task-backend.js';
import { removeStaleScratchDirs } from '../../io/files/owned-temp-dirs.js';
import type { DagScheduler, JobRequest } from '../../scheduler/dag-scheduler.js';
import type { JobMetrics } from '../../scheduler/job-metrics.js';
import type { Checkpoints } from '../../checkpoint/checkpoints.js';
import type { Observers } from './observability.js';
import { resolveUnions } from '../planning/dataset-union.js';
import { resolveJoinKeys } from '../planning/join-key-resolution.js';
import { DriverGc } from './driver-gc.js';

/** Options of `kc.stop()`. */
export interface StopOptions {
  /** Also delete the reliable checkpoints this Context wrote. @default false */
  cleanCheckpoints?: boolean;
}

const STOP_OPTIONS = optionNames<StopOptions>({ cleanCheckpoints: true });

/** The parts of a Context that its jobs and its stop go through. */
export interface LifecycleParts {
  readonly tmpDir: string;
  /** Spill files of the Context (removed by `stop()`). */
  readonly spillDir: string;
  readonly backend: TaskBackend;
  readonly scheduler: DagScheduler;
  readonly checkpoints: Checkpoints;
  readonly observers: Observers;
  /** Called with the metrics of every job that succeeded (`kc.lastJobMetrics`). */
  onJobEnded(metrics: JobMetrics): void;
}

/**
 * The life of a Context: every job it runs (the checkpoints around it, the sweep of a killed process's leftovers
 * before the first) and its stop, which aborts running jobs, waits for every thread to end and only then removes
 * what they were writing. After `stop()` no job starts.
 */
export class ContextLifecycle {
  readonly #parts: LifecycleParts;
  #stopped = false;
  /** The closing of the backend, once `stop()` started it: aborted jobs reject only after it (nothing still writes). */
  #closing: Promise<void> | null = null;
  /** The stop in progress or done: a second `stop()` waits for it. */
  #stopping: Promise<void> | null = null;
  /** Cleanups of outputs being written (`onStop`), run by `stop()` once no task runs. */
  readonly #stopCleanups = new Set<() => void>();
  /** Whether the first job already removed leftovers of killed processes from `tmpDir`. */
  #sweptTmpDir = false;
  /** Collects the driver's heap once the jobs wrote enough shared memory that dropped answers may hold (driver-gc.ts). */
  readonly driverGc = new DriverGc();

  constructor(parts: LifecycleParts) {
    this.#parts = parts;
  }

  /** True once `stop()` was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Registers a cleanup of an output being written, run by `stop()`; returns a function that removes it. */
  onStop(cleanup: () => void): () => void {
    this.#stopCleanups.add(cleanup);
    return () => this.#stopCleanups.delete(cleanup);
  }

  /** Runs a job of the Context; rejects with `ContextStoppedError` once the Context is stopped. */
  async runJob(request: JobRequest): Promise<JobMetrics> {
    if (this.#stopped) throw new ContextStoppedError('cannot run a job');
    // Leftovers of killed processes in tmpDir (issue 14), once per Context.
    const staleRemoved = this.#sweptTmpDir ? 0 : removeStaleScratchDirs(this.#parts.tmpDir);
    this.#sweptTmpDir = true;
    // Described before any await: the description is the caller's call site, read from the synchronous stack.
    const described = this.#parts.observers.describe(request);
    // Schemas a union needs are learned by probe jobs (each a job of its own) before its first job.
    const resolving = resolveUnions(request.node, (probe) => this.runJob(probe));
    if (resolving !== null) await resolving;
    // So are a join's key types (keys of different number types widen to one), before its first job.
    const joinKeys = resolveJoinKeys(request.node, (probe) => this.runJob(probe));
    if (joinKeys !== null) await joinKeys;
    const checkpoints = this.#parts.checkpoints.beforeJob(request.node);
    this.driverGc.collectIfDue(); // answers and map outputs of earlier jobs, dropped since (see driver-gc.ts)
    let metrics: JobMetrics;
    try {
      metrics = await this.#parts.scheduler.runJob(described);
      this.driverGc.noteWritten(metrics.bytesWritten);
      await this.#parts.checkpoints.afterJob(checkpoints);
    } catch (error: unknown) {
      this.#parts.checkpoints.abortJob(checkpoints);
      if (this.#closing === null) throw error;
      // Aborted by stop(): reject once every thread is gone, so nothing of the job writes while its caller cleans up.
      await this.#closing;
      throw error instanceof ContextStoppedError
        ? error
        : new ContextStoppedError('the job was aborted', { cause: error });
    }
    metrics.staleTempDirsRemoved += staleRemoved + checkpoints.abandonedRemoved;
    metrics.checkpointPartitionsRecomputed = checkpoints.recomputed;
    this.#parts.onJobEnded(metrics);
    return metrics;
  }

  /** `kc.stop()`: see `Context.stop`. A second call waits for the first. */
  stop(options: StopOptions = {}): Promise<void> {
    try {
      refuseUnknownOptions('stop()', options, STOP_OPTIONS);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#stopping ??= this.#stop(options.cleanCheckpoints === true);
    return this.#stopping;
  }

  async #stop(cleanCheckpoints: boolean): Promise<void> {
    this.#stopped = true;
    this.#parts.scheduler.cleaner.stop();
    this.#parts.scheduler.abortJobs(new ContextStoppedError('the job was aborted'));
    this.#closing = this.#parts.backend.close();
    await this.#closing;
    await this.#parts.observers.stop();
    // No task runs any more: outputs of aborted jobs and every spill file of this Context can go.
    for (const cleanup of this.#stopCleanups) {
      try {
        cleanup();
      } catch {
        // Left behind; the next write to the same target removes it (its process will be gone).
      }
    }
    rmSync(this.#parts.spillDir, { recursive: true, force: true });
    this.#parts.checkpoints.stop(cleanCheckpoints);
  }
}
