/**
 * Date and timestamp functions: `year`, `month`, `dayOfMonth`, `hour` (int32 fields) and `dateTrunc` (a timestamp,
 * as Spark's `date_trunc`). Fields are those of the instant in UTC: a timestamp column's time zone is carried as
 * metadata but not applied (kindling has no session time zone). Strings are read as timestamps first.
 */
import type { ColumnExpr } from '../../../protocol/columnar.js';
import type { Column } from '../batches/batch.js';
import type { TruncUnit } from '../../../io/parsing/datetime-pattern.js';
import { temporalArg } from './args.js';
import { civilFromDays, daysFromCivil } from './civil-date.js';

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
/** Milliseconds per unit of the units below a day. */
const TICK_MS = { hour: MS_PER_HOUR, minute: 60_000, second: 1000, millisecond: 1 } as const;

/** Per row, the day number and the milliseconds into that day, of a date or timestamp column. */
function daysAndMs(column: Extract<Column, { type: 'date' | 'timestamp' }>, i: number): [number, number] {
  if (column.type === 'date') return [column.values[i]!, 0];
  const ms = column.unit === 'us' ? Math.floor(column.values[i]! / 1000) : column.values[i]!;
  const days = Math.floor(ms / MS_PER_DAY);
  return [days, ms - days * MS_PER_DAY];
}

/**
 * `year`, `month`, `dayOfMonth` or `hour` of a date, timestamp or string column, as int32.
 *
 * @example
 * dateField('month', column, expr, rows); // 2024-02-29 → 2
 */
export function dateField(
  fn: 'year' | 'month' | 'dayOfMonth' | 'hour',
  arg: Column,
  expr: ColumnExpr | undefined,
  rows: number,
): Column {
  const column = temporalArg(fn, arg, expr, 0, rows);
  const values = new Int32Array(rows);
  const civil = new Int32Array(3);
  const field = fn === 'year' ? 0 : fn === 'month' ? 1 : 2;
  for (let i = 0; i < rows; i++) {
    const [days, ms] = daysAndMs(column, i);
    if (fn === 'hour') values[i] = Math.floor(ms / MS_PER_HOUR);
    else {
      civilFromDays(days, civil);
      values[i] = civil[field]!;
    }
  }
  return { type: 'i32', values, valid: column.valid };
}

/**
 * Spark's `date_trunc(unit, ts)`: the timestamp truncated to the start of its year, quarter, month, week (Monday),
 * day, hour, minute, second or millisecond. Dates become timestamps at midnight (UTC).
 *
 * @example
 * dateTrunc('month', column, expr, rows); // 2024-02-29 13:45 → 2024-02-01 00:00
 */
export function dateTrunc(unit: TruncUnit, arg: Column, expr: ColumnExpr | undefined, rows: number): Column {
  const column = temporalArg('dateTrunc', arg, expr, 0, rows);
  const micros = column.type === 'timestamp' && column.unit === 'us';
  const perMs = micros ? 1000 : 1;
  const values = new Float64Array(rows);
  const civil = new Int32Array(3);
  for (let i = 0; i < rows; i++) {
    const [days] = daysAndMs(column, i);
    const ticks = column.type === 'date' ? days * MS_PER_DAY : column.values[i]!;
    let day = days;
    switch (unit) {
      case 'year':
      case 'quarter':
      case 'month': {
        civilFromDays(days, civil);
        const month = unit === 'year' ? 1 : unit === 'quarter' ? Math.floor((civil[1]! - 1) / 3) * 3 + 1 : civil[1]!;
        day = daysFromCivil(civil[0]!, month, 1);
        break;
      }
      case 'week':
        // 1970-01-01 was a Thursday: (days + 3) mod 7 counts days since Monday.
        day = days - ((((days + 3) % 7) + 7) % 7);
        break;
      case 'day':
        break;
      case 'hour':
      case 'minute':
      case 'second':
      case 'millisecond': {
        const size = TICK_MS[unit] * perMs;
        values[i] = Math.floor(ticks / size) * size;
        continue;
      }
      case 'microsecond':
        values[i] = ticks;
        continue;
    }
    values[i] = day * MS_PER_DAY * perMs;
  }
  const zone = column.type === 'timestamp' ? column.zone : null;
  return { type: 'timestamp', values, unit: micros ? 'us' : 'ms', zone, valid: column.valid };
}
