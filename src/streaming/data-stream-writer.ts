import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PlanError } from '../common/errors.js';
import { describeValue } from '../common/describe-value.js';
import { ModuleFunction } from '../plan/module-function.js';
import type { RDD } from '../api/rdd/rdd.js';
import { lockCheckpoint } from './checkpoint-lock.js';
import { makeQueryFolder } from './query-folder.js';
import type { QuerySettings, ResolvedTrigger } from './query-settings.js';
import { isFileFormat } from './sinks/resolve-sink.js';
import { StreamCheckpoint } from './stream-checkpoint.js';
import type { StreamPlan } from './stream-plan.js';
import { StreamingQuery } from './streaming-query.js';
import { crashAtOption, positiveOption } from './data-stream-writer-options.js';
import { resolveSink } from './data-stream-writer-sink.js';

/** `trigger(…)`: when batches run (Spark's triggers). */
export type Trigger =
  /** A batch every `processingTimeMs` (0: as soon as the previous one ends and new data is there). */
  | { readonly processingTimeMs: number }
  /** Everything available at start, in batches that honour the per-trigger limits; then the query ends. */
  | { readonly availableNow: true }
  /** Everything available at start in one batch; then the query ends. */
  | { readonly once: true };

/** Defaults of the state-store options (DESIGN.md §8; the trade-off is measured in native-bench/RESULTS.md). */
export const SNAPSHOT_EVERY_DELTAS_DEFAULT = 10;
export const MIN_BATCHES_TO_RETAIN_DEFAULT = 100;

/**
 * How a stream is written (Spark's `DataStreamWriter`): `outputMode`, `trigger`, `format` (a file format, `memory`,
 * `console`, or a two-phase-commit sink module from `kc.fn(url, name)`), or `foreachBatch`, `option`s, then
 * `start()`. The sink these name is resolved in data-stream-writer-sink.ts; the options kindling reads are checked
 * in data-stream-writer-options.ts.
 */
export class DataStreamWriter {
  readonly #plan: StreamPlan;
  #outputMode: 'append' | 'update' | 'complete' | null = null;
  #trigger: ResolvedTrigger = { kind: 'processingTime', intervalMs: 0 };
  #format: string | ModuleFunction = 'jsonl';
  #name: string | null = null;
  #foreachBatch: ((rdd: RDD<any>, batchId: number) => unknown) | null = null;
  readonly #options: Record<string, unknown> = {};

  /** @internal */
  constructor(plan: StreamPlan) {
    this.#plan = plan;
  }

  /**
   * `append`: each record once (stateless queries; after reduceByKeyAndWindow, each window once when final);
   * `update`: the `[key, state]` of keys a batch changed;
   * `complete`: every key every batch.
   * @default 'update' after updateStateByKey, else 'append'
   */
  outputMode(mode: 'append' | 'update' | 'complete'): this {
    if (mode !== 'append' && mode !== 'update' && mode !== 'complete') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `outputMode() expects 'append', 'update' or 'complete', found ${describeValue(mode)}`,
      );
    }
    this.#outputMode = mode;
    return this;
  }

  /** When batches run. @default { processingTimeMs: 0 } */
  trigger(trigger: Trigger): this {
    const keys = typeof trigger === 'object' && trigger !== null ? Object.keys(trigger) : [];
    const t = trigger as Record<string, unknown>;
    if (
      keys.length === 1 &&
      keys[0] === 'processingTimeMs' &&
      Number.isFinite(t.processingTimeMs) &&
      (t.processingTimeMs as number) >= 0
    ) {
      this.#trigger = { kind: 'processingTime', intervalMs: t.processingTimeMs as number };
    } else if (keys.length === 1 && keys[0] === 'availableNow' && t.availableNow === true) {
      this.#trigger = { kind: 'availableNow' };
    } else if (keys.length === 1 && keys[0] === 'once' && t.once === true) {
      this.#trigger = { kind: 'once' };
    } else {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `trigger() expects { processingTimeMs: n >= 0 }, { availableNow: true } or { once: true }, found ${describeValue(trigger)}`,
      );
    }
    return this;
  }

  /**
   * `'jsonl' | 'text' | 'csv' | 'arrow'` (file sink), `'memory'`, `'console'`, `'postgres'` (options `connection`,
   * `table`, `mode`, `keyColumns`, `lockTimeoutMs`, `retryMs`: see the README's Streaming section), or
   * `kc.fn(url, name)`. @default 'jsonl'
   */
  format(format: string | ModuleFunction): this {
    if (
      !(format instanceof ModuleFunction) &&
      !(
        typeof format === 'string' &&
        (isFileFormat(format) || format === 'memory' || format === 'console' || format === 'postgres')
      )
    ) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `format() expects 'jsonl', 'text', 'csv', 'arrow', 'memory', 'console', 'postgres' or a sink module kc.fn(url, name), found ${describeValue(format)}`,
      );
    }
    this.#format = format;
    return this;
  }

  /**
   * A query option: `checkpointLocation` (required for file and module sinks), `path`, `snapshotEveryDeltas`
   * (default 10), `minBatchesToRetain` (default 100), `numRows` (console, default 20), `crashAt` (fault injection,
   * see crash-points.ts); a module sink receives every option.
   */
  option(key: string, value: unknown): this {
    this.#options[key] = value;
    return this;
  }

  /** Several options at once. */
  options(options: Readonly<Record<string, unknown>>): this {
    for (const [key, value] of Object.entries(options)) this.option(key, value);
    return this;
  }

  /** The query's name (required by the `memory` sink: the table's name). */
  queryName(name: string): this {
    this.#name = name;
    return this;
  }

  /**
   * Calls `fn(rdd, batchId)` on the driver with each batch (already computed, in shared memory). At-least-once: after
   * a crash the last batch may be delivered again with the same `batchId` (use it to write idempotently).
   */
  foreachBatch(fn: (rdd: RDD<any>, batchId: number) => unknown): this {
    if (typeof fn !== 'function') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `foreachBatch() expects a function (rdd, batchId) => Promise, found ${describeValue(fn)}`,
      );
    }
    this.#foreachBatch = fn;
    return this;
  }

  /** Starts the query in the background; `path` is the file sink's folder. */
  start(path?: string): StreamingQuery {
    const plan = this.#plan;
    const kc = plan.kc;
    const windowed = plan.stateful !== null && plan.stateful.window !== null;
    const mode = this.#outputMode ?? (plan.stateful === null || windowed ? 'append' : 'update');
    if (plan.stateful !== null && !windowed && mode === 'append') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `outputMode('append') needs a stateless query or reduceByKeyAndWindow: after updateStateByKey use 'update' or 'complete'`,
      );
    }
    if (windowed && mode === 'complete') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `outputMode('complete') would keep every window forever: after reduceByKeyAndWindow use 'append' (each window once, when final) or 'update'`,
      );
    }
    if (plan.stateful === null && mode === 'complete') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `outputMode('complete') needs updateStateByKey: a stateless query has no whole result to repeat`,
      );
    }
    const sink = resolveSink(
      { plan, format: this.#format, options: this.#options, name: this.#name, foreachBatch: this.#foreachBatch },
      path ?? (this.#options.path as string | undefined),
      mode,
    );
    const given = this.#options.checkpointLocation;
    if (given !== undefined && (typeof given !== 'string' || given.length === 0)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `option('checkpointLocation') expects a folder path, found ${describeValue(given)}`,
      );
    }
    if (given === undefined && sink.twoPhase) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `a query writing ${sink.description} needs option('checkpointLocation', dir): that folder is what makes a restart exactly-once`,
      );
    }
    const temporary = given === undefined;
    const checkpointLocation = temporary ? join(kc.options.tmpDir, `kindling-stream-${randomUUID()}`) : given;
    makeQueryFolder(
      checkpointLocation,
      (found, cause) =>
        new PlanError(
          'ERR_PLAN_INVALID_ARGUMENT',
          `option('checkpointLocation') expects a folder (or a path where one can be made), found ${found}`,
          { cause },
        ),
    );
    const operator = plan.stateful;
    const statePartitions =
      operator === null
        ? 0
        : (operator.numPartitions ??
          StreamCheckpoint.recordedStatePartitions(checkpointLocation) ??
          kc.options.defaultParallelism);
    const unlock = lockCheckpoint(resolve(checkpointLocation));
    let checkpoint: StreamCheckpoint;
    try {
      checkpoint = StreamCheckpoint.open(checkpointLocation, {
        sources: plan.sources.map((source) => source.description),
        stateful:
          operator === null
            ? null
            : {
                operator: operator.name,
                numPartitions: statePartitions,
                ...(operator.window === null ? {} : { window: operator.window }),
              },
        outputMode: mode,
        sink: sink.description,
      });
    } catch (error: unknown) {
      unlock();
      throw error;
    }
    const settings: QuerySettings = {
      name: this.#name,
      outputMode: mode,
      trigger: this.#trigger,
      sink,
      snapshotEveryDeltas: positiveOption(this.#options, 'snapshotEveryDeltas', SNAPSHOT_EVERY_DELTAS_DEFAULT),
      minBatchesToRetain: positiveOption(this.#options, 'minBatchesToRetain', MIN_BATCHES_TO_RETAIN_DEFAULT),
      statePartitions,
      crashAt: crashAtOption(this.#options),
    };
    return new StreamingQuery(kc, plan, checkpoint, settings, () => {
      unlock();
      if (temporary) rmSync(checkpointLocation, { recursive: true, force: true });
    });
  }
}
