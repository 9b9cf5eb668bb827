/**
 * Dates and timestamps as text: ISO 8601 parsing and printing in UTC, shared by casts and the CSV / JSON readers
 * (text in, so it lives with the sources; the executor's casts import it).
 * Dates are days since 1970-01-01; timestamps are milliseconds (or microseconds) since the epoch.
 */
import type { TemporalLiterals } from '../../protocol/scan-pushdown.js';

const MS_PER_DAY = 86_400_000;
const datePattern = /^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})$/;
const timestampPattern =
  /^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Days since the epoch of `YYYY-MM-DD` (no time part), or null when it is not a real date.
 *
 * @example
 * parseDate('1970-01-02'); // 1
 */
export function parseDate(text: string): number | null {
  const m = datePattern.exec(text);
  if (m === null) return null;
  return dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
}

function dayNumber(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  if (year >= 0 && year < 100) check.setUTCFullYear(year);
  if (check.getUTCDate() !== day) return null;
  return Math.round(check.getTime() / MS_PER_DAY);
}

/**
 * Milliseconds since the epoch of `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH:MM]` (UTC when no offset is
 * given; fractions below a millisecond are dropped), or null.
 *
 * @example
 * parseTimestampMs('1970-01-01T00:00:01.5Z'); // 1500
 */
export function parseTimestampMs(text: string): number | null {
  const m = timestampPattern.exec(text);
  if (m === null) return null;
  const days = dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
  if (days === null) return null;
  const hours = Number(m[4] ?? 0);
  const minutes = Number(m[5] ?? 0);
  const seconds = Number(m[6] ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6);
  let ms = days * MS_PER_DAY + ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/**
 * Days since the epoch of a date with or without a time part, as Spark's cast of a string to a date: the date as
 * written, the time (which must itself be valid) dropped, an offset ignored. Null when it is neither.
 *
 * @example
 * parseDateDroppingTime('1970-01-02 23:59:59'); // 1
 */
export function parseDateDroppingTime(text: string): number | null {
  const days = parseDate(text);
  if (days !== null || parseTimestampMs(text) === null) return days;
  const m = timestampPattern.exec(text)!;
  return dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** `YYYY-MM-DD` of a day number. @example formatDate(0); // '1970-01-01' */
export function formatDate(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * `YYYY-MM-DD HH:MM:SS` in UTC, with `.fff` (or `.ffffff` for microseconds) when not whole seconds.
 *
 * @example
 * formatTimestamp(1500, 'ms'); // '1970-01-01 00:00:01.500'
 */
export function formatTimestamp(ticks: number, unit: 'ms' | 'us'): string {
  const perMs = unit === 'us' ? 1000 : 1;
  const ms = Math.floor(ticks / perMs);
  const iso = new Date(ms).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  const subSecond = ticks - Math.floor(ms / 1000) * 1000 * perMs;
  if (subSecond === 0) return base;
  return `${base}.${String(subSecond).padStart(unit === 'us' ? 6 : 3, '0')}`;
}

/** How a string compared with a date or timestamp column is read (row-group pruning reads literals alike). */
export const TEMPORAL_LITERALS: TemporalLiterals = { date: parseDate, timestampMs: parseTimestampMs };
