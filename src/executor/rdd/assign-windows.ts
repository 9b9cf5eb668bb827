/**
 * The map side of `reduceByKeyAndWindow` (a streaming batch): the event time of each record, checked, cut into the
 * windows that hold it, late windows dropped (`WindowAssignSpec`). An event time that is not a number of
 * milliseconds (or a Date) is bad input: an `InputError` the scheduler reports at once, naming the record.
 */
import type { EventTimesSeen, WindowAssignSpec } from '../../protocol/state.js';
import { InputError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { expectPair } from './pairs.js';
import { windowKey } from '../../common/window-keys.js';
import type { TaskContext } from '../task-context.js';

const OPERATION = 'reduceByKeyAndWindow()';

/**
 * `[eventTime, [key, value]]` records as `[window, value]` (`windowKey(key, windowStartMs)`), one per window that holds the event time
 * and ends after the watermark, newest window first; adds the latest event time to the spec's accumulator.
 *
 * @example
 * // windowMs 10_000, slideMs 5_000: an event at 12_000 is in the windows starting at 10_000 and 5_000
 * [...assignWindows([[12_000, ['a', 1]]], spec, context)]; // [[['a', 10000], 1], [['a', 5000], 1]]
 */
export function* assignWindows(
  input: Iterable<unknown>,
  spec: WindowAssignSpec,
  context: TaskContext,
): Generator<unknown> {
  const { windowMs, slideMs, watermarkMs } = spec;
  let latestMs = -Infinity;
  let lateRows = 0;
  for (const record of input) {
    const [time, pair] = expectPair(record, OPERATION);
    const [key, value] = expectPair(pair, OPERATION);
    const timeMs = time instanceof Date ? time.getTime() : time;
    if (typeof timeMs !== 'number' || !Number.isFinite(timeMs)) {
      throw new InputError(
        'ERR_INPUT_INVALID_RECORD',
        `${OPERATION}: eventTime gave ${describeTime(time)} for the record ${describeValue(pair)}: expected milliseconds since the epoch (a finite number) or a valid Date`,
      );
    }
    if (timeMs > latestMs) latestMs = timeMs;
    // Windows start at multiples of slideMs; an earlier window ends earlier, so the first late one ends the loop.
    const newestMs = timeMs - positiveRemainder(timeMs, slideMs);
    for (let startMs = newestMs; startMs > timeMs - windowMs; startMs -= slideMs) {
      if (watermarkMs !== null && startMs + windowMs <= watermarkMs) {
        if (startMs === newestMs) lateRows++;
        break;
      }
      yield [windowKey(key, startMs), value];
    }
    context.tick();
  }
  const seen: EventTimesSeen = { latestMs: latestMs > -Infinity ? latestMs : null, lateRows };
  context.accumulator(spec.eventTimesAccumulatorId).add(seen);
}

/** The value an event time was, in words (`describeValue` writes NaN as null, as JSON does). */
function describeTime(time: unknown): string {
  if (typeof time === 'number') return String(time);
  if (time instanceof Date) return 'an invalid Date';
  return describeValue(time);
}

function positiveRemainder(value: number, divisor: number): number {
  const remainder = value % divisor;
  return remainder < 0 ? remainder + divisor : remainder;
}
