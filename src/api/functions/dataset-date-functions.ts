/**
 * Date and timestamp functions of the `Dataset` API, by Spark's names: fields (`year`, `month`, `dayOfMonth`,
 * `hour`), truncation (`dateTrunc`) and parsing with a format (`toDate`, `toTimestamp`). Times are UTC: a
 * timestamp column's zone is carried, not applied. Strings given where a date is expected are read as timestamps.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { compileFormat, TRUNC_UNITS } from '../../io/parsing/datetime-pattern.js';
import type { ColumnExpression, Operand } from './dataset-expressions.js';
import { call } from './dataset-functions.js';

/** The year of a date or timestamp (int32). @example year(col('day')) */
export function year(arg: Operand): ColumnExpression {
  return call('year', [arg]);
}
/** The month, 1–12 (int32). @example month(col('day')) */
export function month(arg: Operand): ColumnExpression {
  return call('month', [arg]);
}
/** The day of the month, 1–31 (int32). @example dayOfMonth(col('day')) */
export function dayOfMonth(arg: Operand): ColumnExpression {
  return call('dayOfMonth', [arg]);
}
/** The hour, 0–23 (int32; 0 for dates). @example hour(col('at')) */
export function hour(arg: Operand): ColumnExpression {
  return call('hour', [arg]);
}

/**
 * Spark's `date_trunc(unit, ts)`: a timestamp truncated to the start of its `year` (`yyyy`, `yy`), `quarter`,
 * `month` (`mon`, `mm`), `week` (Monday), `day` (`dd`), `hour`, `minute`, `second`, `millisecond` or
 * `microsecond`. A date becomes a timestamp at midnight.
 *
 * @example
 * ds.withColumn('month', dateTrunc('month', col('at'))).groupBy('month').agg(count())
 */
export function dateTrunc(unit: string, arg: Operand): ColumnExpression {
  const canonical = typeof unit === 'string' ? TRUNC_UNITS[unit.toLowerCase()] : undefined;
  if (canonical === undefined) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `dateTrunc(): expected a unit (${Object.keys(TRUNC_UNITS).join(', ')}), found ${describeValue(unit)}`,
    );
  }
  return call('dateTrunc', [arg], [canonical]);
}

function formatParam(fn: string, format: string | undefined): string | null {
  if (format === undefined) return null;
  if (typeof format !== 'string') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${fn}(): expected a format string, found ${describeValue(format)}`,
    );
  }
  const tokens = compileFormat(format);
  if (typeof tokens === 'string') throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `${fn}(): ${tokens}`);
  return format;
}

/**
 * Strings parsed as dates with `format` (a subset of Spark's patterns: `yyyy yy y MM M dd d HH H mm m ss s S…`
 * and `'quoted text'`), or as `cast('date')` without one; null where a string does not parse. Timestamps keep
 * their day; dates stay.
 *
 * @example
 * toDate(col('d'), 'dd/MM/yyyy')
 */
export function toDate(arg: Operand, format?: string): ColumnExpression {
  return call('toDate', [arg], [formatParam('toDate', format)]);
}

/**
 * Strings parsed as timestamps (milliseconds, UTC) with `format` (as `toDate`), or as `cast('timestamp')`
 * without one; null where a string does not parse. Dates become midnight.
 *
 * @example
 * toTimestamp(col('at'), 'yyyy-MM-dd HH:mm:ss')
 */
export function toTimestamp(arg: Operand, format?: string): ColumnExpression {
  return call('toTimestamp', [arg], [formatParam('toTimestamp', format)]);
}
