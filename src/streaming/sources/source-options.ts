/**
 * Checks of a streaming source's options, made when the stream is defined (`kc.readStream.…(options)`). A bad
 * option is a mistake in the definition, like every other one: a `PlanError` `ERR_PLAN_INVALID_ARGUMENT`, thrown
 * before any query starts. `ERR_STREAM_SOURCE` stays for a source that fails while a query runs (a folder that
 * vanished, a stream the server does not have), which no change to the code that defines the stream could avoid.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';

/**
 * The `PlanError` for option `name` of source `where` (`'readStream.rate()'`): what it must be, what was found.
 *
 * @example
 * throw invalidSourceOption('readStream.rate()', 'rowsPerSecond', 'a positive number', 0);
 * // PlanError ERR_PLAN_INVALID_ARGUMENT: readStream.rate(): rowsPerSecond must be a positive number, found 0
 */
export function invalidSourceOption(where: string, name: string, expected: string, found: unknown): PlanError {
  return new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${where}: ${name} must be ${expected}, found ${describeValue(found)}`,
  );
}

/**
 * `value` when it is undefined or an integer ≥ `least` (1 unless told); else the `PlanError` naming it. A string
 * `'3'` is refused (it was once reported as "found 3", as if the number were refused).
 *
 * @example
 * const max = integerSourceOption('readStream.memory()', 'maxRecordsPerTrigger', options.maxRecordsPerTrigger);
 */
export function integerSourceOption(where: string, name: string, value: unknown, least = 1): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least) {
    throw invalidSourceOption(where, name, least === 1 ? 'a positive integer' : `an integer >= ${least}`, value);
  }
  return value;
}
