import { describeValue } from '../../common/describe-value.js';
import { InputError } from '../../common/errors.js';

/**
 * Checks that a record is a `[key, value]` pair, as keyed operations require, with an error that names the
 * operation and shows the record instead of a TypeError from deep inside.
 */
export function expectPair(record: unknown, operation: string): [unknown, unknown] {
  if (Array.isArray(record) && record.length === 2) return record as [unknown, unknown];
  throw new InputError(
    'ERR_INPUT_INVALID_RECORD',
    `${operation} expects [key, value] pairs (2-element arrays), found ${describeValue(record)}`,
  );
}
