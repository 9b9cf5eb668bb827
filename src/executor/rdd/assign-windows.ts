/**
 * The map side of `reduceByKeyAndWindow` (a streaming batch): the event time of each record, checked, cut into the
 * windows that hold it, late windows dropped (`WindowAssignSpec`). An event time that is not a number of
 * milliseconds (or a Date) is bad input: an `InputError` the scheduler reports at once, quoting the user's record
 * as it came and, when known, the file and line it was read from.
 */
import type { EventTimesSeen, WindowAssignSpec } from '../../protocol/state.js';
import { InputError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { lineNumberAt } from '../../io/text/line-number.js';
import { expectPair } from './pairs.js';
import { windowKey } from '../../common/window-keys.js';
import type { TaskContext } from '../task-context.js';

const OPERATION = 'reduceByKeyAndWindow()';

/** Characters of a bad record quoted in its error (the rest is cut, with `…`). */
const SHOWN_RECORD_CHARS_MAX = 120;

/**
 * Each record as `[window, value]` (`windowKey(key, windowStartMs)`, `[key, value]` from `spec.pair`), one per
 * window that holds its event time (`spec.eventTime`) and ends after the watermark, newest window first; adds the
 * latest event time to the spec's accumulator.
 *
 * @example
 * // windowMs 10_000, slideMs 5_000, eventTime (e) => e.ts, pair (e) => [e.user, 1]: an event at 12_000 is in the
 * // windows starting at 10_000 and 5_000
 * [...assignWindows([{ user: 'a', ts: 12_000 }], spec, context)]; // [[['a', 10000], 1], [['a', 5000], 1]]
 */
export function* assignWindows(
  input: Iterable<unknown>,
  spec: WindowAssignSpec,
  context: TaskContext,
): Generator<unknown> {
  const { windowMs, slideMs, watermarkMs } = spec;
  const eventTime = context.fn(spec.eventTime);
  const pairOf = spec.pair === null ? null : context.fn(spec.pair);
  let latestMs = -Infinity;
  let lateRows = 0;
  for (const record of input) {
    const time: unknown = eventTime(record);
    const timeMs = time instanceof Date ? time.getTime() : time;
    if (typeof timeMs !== 'number' || !Number.isFinite(timeMs)) throw badEventTime(time, record, spec, context);
    const [key, value] = expectPair(pairOf === null ? record : pairOf(record), OPERATION);
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

/** The error for a record whose event time is not a time: the record as the user's stream gave it, and its line. */
function badEventTime(time: unknown, record: unknown, spec: WindowAssignSpec, context: TaskContext): InputError {
  const input = spec.sourceLineKnown ? context.textInput : null;
  let where = '';
  if (input !== null) {
    const line = lineNumberAt(input.path, input.at.lineOffset);
    where = ` (${input.shownPath}:${line ?? `byte ${input.at.lineOffset}`})`;
  }
  return new InputError(
    'ERR_INPUT_INVALID_RECORD',
    `streaming batch ${spec.batchId}: ${OPERATION}: eventTime gave ${describeTime(time)} for the record ${describeValue(record, SHOWN_RECORD_CHARS_MAX)}${where}: expected milliseconds since the epoch (a finite number) or a valid Date`,
  );
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
