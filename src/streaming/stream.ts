import { PlanError } from '../common/errors.js';
import { optionNames, refuseUnknownOptions } from '../common/check-options.js';
import { describeValue } from '../common/describe-value.js';
import { RDD, type Fn } from '../api/rdd/rdd.js';
import type { Captures, FunctionOptions } from '../api/context/context-internals.js';
import { assignWindowsRdd, shipStateFunction, updateStateRdd } from '../api/context/stream-support.js';
import type { BatchBuild, StatefulOperator, StreamPlan } from './stream-plan.js';
import { checkWindowOptions, type WindowOptions } from './window-options.js';
import { DataStreamWriter } from './data-stream-writer.js';

/** Options of `updateStateByKey`. */
export interface UpdateStateOptions {
  /**
   * State partitions (fixed for the life of the checkpoint: a restart keeps the recorded number).
   * @default the number recorded in the checkpoint, else the Context's defaultParallelism
   */
  numPartitions?: number;
  /**
   * Keys with no new values for this long (in batch time) get one last call `fn([], state)` and are dropped.
   * @default never
   */
  timeoutMs?: number;
  /** Values the function uses, by name (as `map(fn, captures)` takes them). */
  captures?: Captures;
}

/**
 * A stream of records cut into micro-batches (Spark's DStream): each batch is an RDD, and the operations here run
 * on every batch. Lazy: nothing runs until `writeStream…start()`. Functions cross threads as everywhere else
 * (name what they use in `captures`), and a free variable is an error here, at definition.
 *
 * @example
 * kc.readStream.textFiles('incoming/')
 *   .flatMap((line) => line.split(/\s+/))
 *   .map((w) => [w, 1])
 *   .updateStateByKey((values, state) => (state ?? 0) + values.reduce((a, b) => a + b, 0))
 *   .writeStream.outputMode('update').option('checkpointLocation', 'ckpt').format('jsonl').start('out');
 */
export class Stream<T> {
  /** @internal */
  readonly plan: StreamPlan;
  /** An empty dataset the operations are applied to at definition, so bad functions fail now, not in batch 7. */
  readonly #probe: RDD<any>;

  /** @internal Streams are made by `kc.readStream` and by operations. */
  constructor(plan: StreamPlan, probe: RDD<any>) {
    this.plan = plan;
    this.#probe = probe;
  }

  /** Each record through `fn`. */
  map<U>(fn: Fn<[T], U>, captures?: Captures, options?: FunctionOptions): Stream<U> {
    return this.#derive('map', (rdd) => rdd.map(fn as Fn<[unknown], U>, captures, options));
  }

  /** Each record to zero or more records. */
  flatMap<U>(fn: Fn<[T], Iterable<U>>, captures?: Captures, options?: FunctionOptions): Stream<U> {
    return this.#derive('flatMap', (rdd) => rdd.flatMap(fn as Fn<[unknown], Iterable<U>>, captures, options));
  }

  /** The records for which `fn` is truthy. */
  filter(fn: Fn<[T], unknown>, captures?: Captures, options?: FunctionOptions): Stream<T> {
    return this.#derive('filter', (rdd) => rdd.filter(fn as Fn<[unknown], unknown>, captures, options));
  }

  /** `fn` over each partition of each batch. */
  mapPartitions<U>(fn: Fn<[Iterable<T>], Iterable<U>>, captures?: Captures, options?: FunctionOptions): Stream<U> {
    return this.#derive(
      'mapPartitions',
      (rdd) => rdd.mapPartitions(fn as Fn<[Iterable<unknown>], Iterable<U>>, captures, options),
      { recordWise: false },
    );
  }

  /** `[fn(x), x]`. */
  keyBy<K>(fn: Fn<[T], K>, captures?: Captures, options?: FunctionOptions): Stream<[K, T]> {
    return this.#derive('keyBy', (rdd) => rdd.keyBy(fn as Fn<[unknown], K>, captures, options));
  }

  /** `[k, fn(v)]` for pairs. */
  mapValues<U>(fn: Fn<[any], U>, captures?: Captures, options?: FunctionOptions): Stream<[any, U]> {
    return this.#derive('mapValues', (rdd) => rdd.mapValues(fn, captures, options));
  }

  /** Per batch: the values of each key merged with `fn` (no state across batches: see `updateStateByKey`). */
  reduceByKey(fn: Fn<[any, any], any>, numPartitions?: number, captures?: Captures): Stream<T> {
    this.#refuseAfterState('reduceByKey');
    return this.#derive('reduceByKey', (rdd) => rdd.reduceByKey(fn, numPartitions, captures), { recordWise: false });
  }

  /** The records of both streams, batch by batch (the batch takes new data of every source). */
  union(other: Stream<T>): Stream<T> {
    if (!(other instanceof Stream) || other.plan.kc !== this.plan.kc) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `union() expects a Stream of the same Context, found ${describeValue(other)}`,
      );
    }
    this.#refuseAfterState('union');
    other.#refuseAfterState('union');
    const left = this.plan;
    const right = other.plan;
    return new Stream<T>(
      {
        kc: left.kc,
        sources: [...left.sources, ...right.sources.filter((source) => !left.sources.includes(source))],
        description: `union(${left.description}, ${right.description})`,
        stateful: null,
        recordWise: left.recordWise && right.recordWise,
        build: (batch) => left.build(batch).union(right.build(batch)),
      },
      this.#probe.union(other.#probe),
    );
  }

  /**
   * Any batch code: `fn(rdd, batchId)` runs on the driver once per batch and returns the batch's new dataset.
   * @example stream.transform((rdd) => rdd.distinct())
   */
  transform<U>(fn: (rdd: RDD<T>, batchId: number) => RDD<U>): Stream<U> {
    if (typeof fn !== 'function') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `transform() expects a function (rdd, batchId) => rdd, found ${describeValue(fn)}`,
      );
    }
    this.#refuseAfterState('transform');
    return this.#derive(
      'transform',
      (rdd, batchId) => {
        const result = fn(rdd as RDD<T>, batchId) as unknown;
        if (!(result instanceof RDD)) {
          throw new PlanError(
            'ERR_PLAN_INVALID_ARGUMENT',
            `transform()'s function must return an RDD, returned ${describeValue(result)}`,
          );
        }
        return result;
      },
      { probe: false, recordWise: false },
    );
  }

  /**
   * Keyed state across batches (Spark's `updateStateByKey`): records must be `[key, value]`; for every key with new
   * values in a batch, `fn(newValues, state | undefined)` returns the key's new state, or `undefined` to remove it.
   * The stream's records become `[key, state]`: in `update` mode the keys changed by the batch, in `complete` mode
   * every key. State is checkpointed (a snapshot plus deltas) and survives a restart exactly.
   */
  updateStateByKey<S>(
    fn: Fn<[any[], S | undefined], S | undefined>,
    options: UpdateStateOptions = {},
  ): Stream<[any, S]> {
    this.#refuseAfterState('updateStateByKey');
    refuseUnknownOptions(
      'updateStateByKey()',
      options,
      optionNames<UpdateStateOptions>({ numPartitions: true, timeoutMs: true, captures: true }),
    );
    const { numPartitions, timeoutMs, captures } = options;
    for (const [name, value] of [
      ['numPartitions', numPartitions],
      ['timeoutMs', timeoutMs],
    ] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
        throw new PlanError(
          'ERR_PLAN_INVALID_ARGUMENT',
          `updateStateByKey(): ${name} must be a positive integer, found ${describeValue(value)}`,
        );
      }
    }
    const operator = {
      name: '0',
      fn: shipStateFunction(fn, captures),
      numPartitions: numPartitions ?? null,
      timeoutMs: timeoutMs ?? null,
      fold: 'update' as const,
      window: null,
    };
    const previous = this.plan;
    return new Stream(
      {
        ...previous,
        description: `${previous.description} → updateStateByKey`,
        stateful: operator,
        build: (batch: BatchBuild) => {
          const { numPartitions: n, spec } = batch.stateSpec(operator);
          return updateStateRdd(previous.build(batch), n, spec);
        },
      },
      this.#probe,
    );
  }

  /**
   * A reduction per key and **event-time** window, with a watermark (Spark Structured Streaming's
   * `withWatermark(t, delay).groupBy(window(t, windowMs, slideMs), key)`; DStream's reduceByKeyAndWindow used batch
   * time). `eventTime(record)` gives each record's time (ms since the epoch, or a Date) and `pair(record)` its
   * `[key, value]` (without `pair`, records must be pairs); `fn(a, b)` reduces the values of a key and window.
   * The stream's records become `[[key, windowStartMs], reduced]`: in `append` mode each window once, when the
   * watermark (the latest event time seen minus `watermarkDelayMs`) passes its end; in `update` mode the windows a
   * batch changed. Events of a window the watermark has passed are dropped (late). Exactly once across restarts,
   * as `updateStateByKey`.
   * @example
   * events.reduceByKeyAndWindow((a, b) => a + b, {
   *   eventTime: (e) => e.ts, pair: (e) => [e.page, 1], windowMs: 60_000, watermarkDelayMs: 10_000,
   * }); // Stream<[[page, windowStartMs], count]>
   */
  reduceByKeyAndWindow(fn: Fn<[any, any], any>, options: WindowOptions): Stream<[[any, number], any]> {
    this.#refuseAfterState('reduceByKeyAndWindow');
    const window = checkWindowOptions(options);
    const { eventTime, pair, captures } = options;
    // Shipped now: a function that cannot cross threads fails here, at definition. The window assignment calls them
    // itself, so that a bad event time is reported with the user's record as it came, not a pair made of it.
    const eventTimeFn = shipStateFunction(eventTime, captures, 'reduceByKeyAndWindow() eventTime');
    const pairFn = pair === undefined ? null : shipStateFunction(pair, captures, 'reduceByKeyAndWindow() pair');
    const operator: StatefulOperator = {
      name: '0',
      fn: shipStateFunction(fn, captures, 'reduceByKeyAndWindow()'),
      numPartitions: options.numPartitions ?? null,
      timeoutMs: null,
      fold: 'reduce',
      window,
    };
    const previous = this.plan;
    return new Stream(
      {
        ...previous,
        description: `${previous.description} → reduceByKeyAndWindow`,
        stateful: operator,
        build: (batch: BatchBuild) => {
          const { numPartitions: n, spec, eventTime: times } = batch.stateSpec(operator);
          const windowed = assignWindowsRdd(previous.build(batch), {
            eventTime: eventTimeFn,
            pair: pairFn,
            sourceLineKnown: previous.recordWise,
            windowMs: window.windowMs,
            slideMs: window.slideMs,
            watermarkMs: times.watermarkMs,
            eventTimesAccumulatorId: times.eventTimes.id,
            batchId: batch.batchId,
          });
          // Combined within the batch, partitioned as the state: the state update then needs no second shuffle.
          return updateStateRdd(windowed.reduceByKey(fn, n, captures), n, spec);
        },
      },
      this.#probe,
    );
  }

  /** How to write the stream out: `writeStream.outputMode(…).trigger(…).format(…).start(path)`. */
  get writeStream(): DataStreamWriter {
    return new DataStreamWriter(this.plan);
  }

  /** The stream's operations as text (the batch plan itself is shown by `explain()` of a batch's RDD). */
  explain(): string {
    return this.plan.description;
  }

  /**
   * A new stream applying `apply` to each batch's dataset. Record-wise operations may follow `updateStateByKey` (they
   * run on its output); the others call `#refuseAfterState` first. `probe: false` skips the definition-time check
   * (for `transform`, whose function must not run before a batch exists); `recordWise: false` marks an operation
   * after which a record no longer comes from the source line just read (`StreamPlan.recordWise`).
   */
  #derive<U>(
    label: string,
    apply: (rdd: RDD<any>, batchId: number) => RDD<any>,
    { probe = true, recordWise = true }: { probe?: boolean; recordWise?: boolean } = {},
  ): Stream<U> {
    const previous = this.plan;
    return new Stream<U>(
      {
        ...previous,
        description: `${previous.description} → ${label}`,
        recordWise: previous.recordWise && recordWise,
        build: (batch) => apply(previous.build(batch), batch.batchId),
      },
      probe ? apply(this.#probe, -1) : this.#probe,
    );
  }

  #refuseAfterState(operation: string): void {
    if (this.plan.stateful === null) return;
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${operation}() cannot follow ${this.plan.stateful.window === null ? 'updateStateByKey' : 'reduceByKeyAndWindow'}(): after the stateful operator a stream takes only record-wise operations (map, flatMap, filter, mapPartitions, keyBy, mapValues)`,
    );
  }
}
