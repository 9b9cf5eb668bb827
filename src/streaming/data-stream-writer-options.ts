/**
 * The `option()`s of a `DataStreamWriter` that kindling itself reads: which keys those are (a module sink receives
 * every other option, the other sinks refuse them), and the checks of the numeric and fault-injection ones, made
 * when the query starts. Apart from data-stream-writer.ts because both the writer's `start` and the sink it names
 * (data-stream-writer-sink.ts) read them.
 */
import { PlanError } from '../common/errors.js';
import { refuseUnknownOptions } from '../common/check-options.js';
import { describeValue } from '../common/describe-value.js';
import { CRASH_POINTS, type CrashAt } from './crash-points.js';

/** The options kindling itself reads; a module sink receives every other option. */
export const ENGINE_OPTIONS = [
  'checkpointLocation',
  'path',
  'snapshotEveryDeltas',
  'minBatchesToRetain',
  'crashAt',
  'numRows',
];

/** Refuses the options kindling does not read (for every sink but a module sink, which receives them). */
export function refuseUnknownEngineOptions(options: Readonly<Record<string, unknown>>): void {
  refuseUnknownOptions('writeStream.option()', options, ENGINE_OPTIONS);
}

/** The option `name` as a positive integer; `fallback` when it is not given. */
export function positiveOption(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `option('${name}') must be a positive integer, found ${describeValue(value)}`,
    );
  }
  return value;
}

/** Where the query crashes on purpose (`option('crashAt', { point, batchId })`, see crash-points.ts); null: nowhere. */
export function crashAtOption(options: Readonly<Record<string, unknown>>): CrashAt | null {
  const value = options.crashAt as Partial<CrashAt> | undefined;
  if (value === undefined) return null;
  if (
    typeof value !== 'object' ||
    value === null ||
    !CRASH_POINTS.includes(value.point!) ||
    !Number.isInteger(value.batchId)
  ) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `option('crashAt') expects { point, batchId } with point one of ${CRASH_POINTS.join(', ')}, found ${describeValue(value)}`,
    );
  }
  return value as CrashAt;
}
