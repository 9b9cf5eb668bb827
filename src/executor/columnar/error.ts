import { KindlingError, type ErrorCode } from '../../common/errors.js';

/**
 * A columnar stage that cannot run on the data it met: an unknown column, a type a kernel does not take (`sum` of
 * strings, `lower` of numbers), or a value the columnar path does not support yet (nulls, bigints). Thrown in the
 * worker; reaches the caller as the task's failure with this message.
 *
 * @example
 * throw new ColumnarError('ERR_COLUMNAR_TYPE', "lower(): expected a string column, found f64 column 'x'");
 */
export class ColumnarError extends KindlingError {
  constructor(code: Extract<ErrorCode, `ERR_COLUMNAR_${string}`>, message: string) {
    super(code, message);
  }
}
