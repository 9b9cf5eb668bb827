/**
 * The event-time watermark of a query with `reduceByKeyAndWindow` (Spark's, per query): the latest event time seen
 * in committed batches minus the allowed delay, never moving back. Batch N runs with the watermark recorded in its
 * offsets (so a rerun after a crash drops exactly the same late events and closes exactly the same windows); what
 * batch N saw (its latest event time, the earliest end of a window still open) is recorded in its commit decision
 * and commit record, and gives batch N + 1's watermark. When the watermark has passed an open window's end and no
 * new data comes, the loop runs a batch without data to close it (`finalWindowsDue`), as Spark's no-data batches.
 */

/** Event-time windows of `reduceByKeyAndWindow`, as recorded in the checkpoint's fingerprint. */
export interface EventTimeWindow {
  readonly windowMs: number;
  readonly slideMs: number;
  readonly watermarkDelayMs: number;
}

/** The event times after a committed batch: what the next batch's watermark is made of. */
export interface EventTimeProgress {
  /** The latest event time in any committed batch (null: no event yet). */
  readonly eventTimeMaxMs: number | null;
  /** The watermark the next batch runs with (null: no event yet). */
  readonly watermarkMs: number | null;
  /** The earliest end of a window left open in the state (null: none). */
  readonly windowEndMinMs: number | null;
}

/** The progress of a query before its first batch. */
export const NO_EVENT_TIME: EventTimeProgress = { eventTimeMaxMs: null, watermarkMs: null, windowEndMinMs: null };

/**
 * The progress after a batch that ran with `before.watermarkMs`, saw `batchEventTimeMaxMs` as its latest event time
 * (null: no event) and left windows open whose earliest end is `windowEndMinMs`.
 *
 * @example
 * advanceEventTime(NO_EVENT_TIME, 125_000, 180_000, 10_000); // { eventTimeMaxMs: 125000, watermarkMs: 115000, … }
 */
export function advanceEventTime(
  before: EventTimeProgress,
  batchEventTimeMaxMs: number | null,
  windowEndMinMs: number | null,
  watermarkDelayMs: number,
): EventTimeProgress {
  const eventTimeMaxMs =
    before.eventTimeMaxMs === null || (batchEventTimeMaxMs !== null && batchEventTimeMaxMs > before.eventTimeMaxMs)
      ? batchEventTimeMaxMs
      : before.eventTimeMaxMs;
  const candidate = eventTimeMaxMs === null ? null : eventTimeMaxMs - watermarkDelayMs;
  const watermarkMs =
    before.watermarkMs === null || (candidate !== null && candidate > before.watermarkMs)
      ? candidate
      : before.watermarkMs;
  return { eventTimeMaxMs, watermarkMs, windowEndMinMs };
}

/** True when the watermark the next batch runs with closes a window still open: a batch without data is due. */
export function finalWindowsDue(progress: EventTimeProgress): boolean {
  const { watermarkMs, windowEndMinMs } = progress;
  return watermarkMs !== null && windowEndMinMs !== null && windowEndMinMs <= watermarkMs;
}
