import type { Context } from '../api/context/context.js';
import type { RDD } from '../api/rdd/rdd.js';
import type { ShippedFunction } from '../protocol/shipped-function.js';
import type { EventTimesSeen, UpdateStateSpec } from '../protocol/state.js';
import type { Accumulator } from '../api/context/accumulator.js';
import type { EventTimeWindow } from './event-time-watermark.js';
import type { StreamSource } from './sources/stream-source.js';

/**
 * What a `Stream` is underneath: its sources and a function that builds one batch's dataset from the batch's
 * source datasets (DESIGN.md §8: every batch runs as an ordinary job). Definitions are immutable; each operation
 * returns a new plan around the previous one.
 */
export interface StreamPlan {
  readonly kc: Context;
  /** Distinct sources in the order they were first used: offsets are recorded in this order. */
  readonly sources: readonly StreamSource[];
  /** The operations after the sources, for `explain` and error messages (`textFiles(/in) → flatMap → filter`). */
  readonly description: string;
  /** The stateful operator, when the stream has one (at most one per query). */
  readonly stateful: StatefulOperator | null;
  /**
   * Whether only record-wise operations (`map`, `flatMap`, `filter`, `keyBy`, `mapValues`, `union`) lie between the
   * sources and here: each record is then made while the source line it comes from is the one its task just read,
   * and an error about the record can name that file and line.
   */
  readonly recordWise: boolean;
  build(batch: BatchBuild): RDD<any>;
}

/** `updateStateByKey` or `reduceByKeyAndWindow` as defined; the execution fills in what changes per batch. */
export interface StatefulOperator {
  /** Its folder under `state/` in the checkpoint. */
  readonly name: string;
  readonly fn: ShippedFunction;
  /** null: the number the checkpoint recorded, else the Context's defaultParallelism. */
  readonly numPartitions: number | null;
  readonly timeoutMs: number | null;
  /** `update`: `fn(values, state)` (`updateStateByKey`); `reduce`: `fn(a, b)` folds values (`reduceByKeyAndWindow`). */
  readonly fold: 'update' | 'reduce';
  /** `reduceByKeyAndWindow`'s event-time windows; null for `updateStateByKey`. */
  readonly window: EventTimeWindow | null;
}

/** What a batch's window assignment needs: the batch's watermark, and where its tasks put their latest event time. */
export interface BatchEventTime {
  readonly watermarkMs: number | null;
  readonly eventTimes: Accumulator<EventTimesSeen, EventTimesSeen>;
}

/** What building one batch's dataset needs from the execution. */
export interface BatchBuild {
  readonly batchId: number;
  /** The batch's records of `source`. */
  input(source: StreamSource): RDD<any>;
  /** The state partitions and the per-batch facts of the stateful operator. */
  stateSpec(operator: StatefulOperator): {
    readonly numPartitions: number;
    readonly spec: UpdateStateSpec;
    readonly eventTime: BatchEventTime;
  };
}
