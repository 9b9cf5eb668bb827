/**
 * The options of `Stream.reduceByKeyAndWindow`, checked at definition: window length and slide in whole
 * milliseconds, the slide dividing nothing in particular but never longer than the window (Spark's rule), and a
 * watermark delay (how late an event may come, in event time, and still count).
 */
import { PlanError } from '../common/errors.js';
import { optionNames, refuseUnknownOptions } from '../common/check-options.js';
import { describeValue } from '../common/describe-value.js';
import type { Fn } from '../api/rdd/rdd.js';
import type { Captures } from '../api/context/context-internals.js';
import type { EventTimeWindow } from './event-time-watermark.js';

/** Options of `reduceByKeyAndWindow`. */
export interface WindowOptions {
  /** A record's event time: milliseconds since the epoch, or a `Date` (called with the stream's record). */
  eventTime: Fn<[any], number | Date>;
  /** The record's `[key, value]` (e.g. `(e) => [e.page, 1]`). @default the record itself, which must be a pair */
  pair?: Fn<[any], [any, any]>;
  /** The window length in ms of event time (Spark's `window(col, '10 minutes')`). */
  windowMs: number;
  /** How often a window starts, in ms (sliding windows when under `windowMs`). @default windowMs (tumbling) */
  slideMs?: number;
  /**
   * How late an event may arrive, in event time: the watermark is the latest event time seen minus this; events of
   * windows that end at or before the watermark are dropped, and such windows are final (Spark's `withWatermark`).
   */
  watermarkDelayMs: number;
  /**
   * State partitions (fixed for the life of the checkpoint).
   * @default the number recorded in the checkpoint, else the Context's defaultParallelism
   */
  numPartitions?: number;
  /** Values `fn`, `eventTime` and `pair` use, by name (as `map(fn, captures)` takes them). */
  captures?: Captures;
}

const OPTION_NAMES = optionNames<WindowOptions>({
  eventTime: true,
  pair: true,
  windowMs: true,
  slideMs: true,
  watermarkDelayMs: true,
  numPartitions: true,
  captures: true,
});

/**
 * The windows `options` define, or a `PlanError` naming the option, what it must be and what it was.
 *
 * @example
 * checkWindowOptions({ eventTime: (r) => r[1].ts, windowMs: 60_000, watermarkDelayMs: 5_000 }); // slideMs 60000
 */
export function checkWindowOptions(options: WindowOptions): EventTimeWindow {
  if (typeof options !== 'object' || options === null) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `reduceByKeyAndWindow() expects options { eventTime, windowMs, watermarkDelayMs }, found ${describeValue(options)}`,
    );
  }
  refuseUnknownOptions('reduceByKeyAndWindow()', options, OPTION_NAMES);
  if (typeof options.eventTime !== 'function') {
    throw invalid('eventTime', 'a function (record) => milliseconds or Date', options.eventTime);
  }
  if (options.pair !== undefined && typeof options.pair !== 'function') {
    throw invalid('pair', 'a function (record) => [key, value]', options.pair);
  }
  const windowMs = options.windowMs;
  if (!(Number.isInteger(windowMs) && windowMs >= 1)) throw invalid('windowMs', 'a positive integer', windowMs);
  const slideMs = options.slideMs ?? windowMs;
  if (!(Number.isInteger(slideMs) && slideMs >= 1 && slideMs <= windowMs)) {
    throw invalid('slideMs', `a positive integer no larger than windowMs (${windowMs})`, options.slideMs);
  }
  const delayMs = options.watermarkDelayMs;
  if (!(Number.isInteger(delayMs) && delayMs >= 0)) throw invalid('watermarkDelayMs', 'an integer ≥ 0', delayMs);
  const partitions = options.numPartitions;
  if (partitions !== undefined && !(Number.isInteger(partitions) && partitions >= 1)) {
    throw invalid('numPartitions', 'a positive integer', partitions);
  }
  return { windowMs, slideMs, watermarkDelayMs: delayMs };
}

function invalid(option: string, expected: string, found: unknown): PlanError {
  return new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `reduceByKeyAndWindow(): ${option} must be ${expected}, found ${describeValue(found)}`,
  );
}
