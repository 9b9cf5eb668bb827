/**
 * `cast(type)`: converts a column to another type, row by row, as Spark's (non-ANSI) cast does: a value that does
 * not convert (`'abc'` to int32, 3e10 to int32, NaN to an integer) becomes null rather than failing the job.
 * Numbers to strings use JS formatting (`String(1.5)`); dates print as `YYYY-MM-DD`, timestamps as
 * `YYYY-MM-DD HH:MM:SS[.fff]` in UTC. Numbers cast to timestamps count seconds since the epoch (as Spark).
 */
import type { DataTypeName } from '../../../protocol/columnar.js';
import type { Column, Utf8Column } from '../batches/batch.js';
import { allNull } from '../batches/batch.js';
import { ColumnarError } from '../error.js';
import { decodeUtf8, utf8FromStrings } from '../kernels/utf8-strings.js';
import {
  formatDate,
  formatTimestamp,
  parseDateDroppingTime,
  parseTimestampMs,
} from '../../../io/parsing/temporal-text.js';
import { CAST_TYPE_NAMES } from '../../../protocol/columnar-reshape.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * `column` as type `to`.
 *
 * @example
 * castColumn(strings, 'int32', rows); // '12' → 12, 'x' → null
 */
/**
 * A number column widened to the number type `to` (int32 to int64 or float64, int64 to float64): the one widening a
 * union's conformed sides and a join's keys share.
 *
 * @example
 * widenNumberColumn(int32Keys, 'i64', rows);
 */
export function widenNumberColumn(column: Column, to: 'i64' | 'f64', rows: number): Column {
  return castColumn(column, to === 'i64' ? 'int64' : 'float64', rows);
}

export function castColumn(column: Column, to: DataTypeName, rows: number): Column {
  if (column.type === 'utf8') return fromStrings(column, to, rows);
  if (to === 'utf8') return toStrings(column, rows);
  if (sameType(column, to)) return column;
  const valid = column.valid === undefined ? new Uint8Array(rows).fill(1) : Uint8Array.from(column.valid);
  const numbers = numbersFor(column, to, rows);
  switch (to) {
    case 'int32': {
      const values = new Int32Array(rows);
      for (let i = 0; i < rows; i++) {
        const v = Math.trunc(numbers[i]!);
        if (v >= INT32_MIN && v <= INT32_MAX) values[i] = v;
        else valid[i] = 0;
      }
      return { type: 'i32', values, valid };
    }
    case 'int64': {
      const values = new BigInt64Array(rows);
      for (let i = 0; i < rows; i++) {
        const v = numbers[i]!;
        if (Number.isFinite(v) && Math.abs(v) < 2 ** 63) values[i] = BigInt(Math.trunc(v));
        else valid[i] = 0;
      }
      return { type: 'i64', values, valid };
    }
    case 'float64':
      return { type: 'f64', values: Float64Array.from(numbers), valid };
    case 'bool': {
      const values = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) values[i] = numbers[i] !== 0 ? 1 : 0;
      return { type: 'bool', values, valid };
    }
    case 'date': {
      const values = new Int32Array(rows);
      for (let i = 0; i < rows; i++) values[i] = Math.floor(numbers[i]! / 86_400_000);
      return { type: 'date', values, valid };
    }
    case 'timestamp':
      return { type: 'timestamp', values: Float64Array.from(numbers), unit: 'ms', zone: null, valid };
  }
}

function sameType(column: Column, to: DataTypeName): boolean {
  const names: Record<Exclude<Column['type'], 'utf8'>, DataTypeName> = {
    i32: 'int32',
    i64: 'int64',
    f64: 'float64',
    bool: 'bool',
    date: 'date',
    timestamp: 'timestamp',
  };
  return column.type !== 'utf8' && names[column.type] === to;
}

/**
 * The values of a non-string column as numbers for target `to`: the number itself, 1 / 0 for booleans, and for
 * temporal targets, milliseconds since the epoch (dates at midnight UTC, numbers as seconds).
 */
function numbersFor(column: Exclude<Column, Utf8Column>, to: DataTypeName, rows: number): Float64Array {
  const out = new Float64Array(rows);
  const temporal = to === 'date' || to === 'timestamp';
  switch (column.type) {
    case 'date':
      for (let i = 0; i < rows; i++) out[i] = temporal ? column.values[i]! * 86_400_000 : column.values[i]!;
      return out;
    case 'timestamp': {
      const perMs = column.unit === 'us' ? 1000 : 1;
      for (let i = 0; i < rows; i++) out[i] = temporal ? column.values[i]! / perMs : column.values[i]!;
      return out;
    }
    default:
      // A column of only nulls (typed float64 where a partition never saw a value) casts to anything.
      if (to === 'date' && !allNull(column, rows)) {
        throw new ColumnarError(
          'ERR_COLUMNAR_TYPE',
          `cast(): cannot cast a ${CAST_TYPE_NAMES[column.type]} column to date`,
        );
      }
      for (let i = 0; i < rows; i++) {
        const v = Number(column.values[i]!);
        out[i] = to === 'timestamp' ? v * 1000 : v;
      }
      return out;
  }
}

function toStrings(column: Exclude<Column, Utf8Column>, rows: number): Utf8Column {
  const strings: (string | null)[] = new Array<string | null>(rows);
  const valid = column.valid;
  for (let i = 0; i < rows; i++) {
    if (valid !== undefined && valid[i] === 0) {
      strings[i] = null;
      continue;
    }
    switch (column.type) {
      case 'bool':
        strings[i] = column.values[i] === 1 ? 'true' : 'false';
        break;
      case 'date':
        strings[i] = formatDate(column.values[i]!);
        break;
      case 'timestamp':
        strings[i] = formatTimestamp(column.values[i]!, column.unit);
        break;
      default:
        strings[i] = String(column.values[i]!);
    }
  }
  return utf8FromStrings(strings);
}

/** Hex, binary and octal literals, which JS `Number()` reads and Spark's and DuckDB's casts to double do not. */
const NON_DECIMAL = /^[+-]?0[box]/i;

/** A trimmed string's number as Spark's cast reads it (decimal or exponent form), else NaN. */
function decimalNumber(s: string): number {
  return s === '' || NON_DECIMAL.test(s) ? NaN : Number(s);
}

/** Parses each string (trimmed) as `to`; null where it does not parse. */
function fromStrings(column: Utf8Column, to: DataTypeName, rows: number): Column {
  if (to === 'utf8') return column;
  const valid = column.valid === undefined ? new Uint8Array(rows).fill(1) : Uint8Array.from(column.valid);
  const text = (i: number) => decodeUtf8(column.bytes, column.starts[i]!, column.ends[i]!).trim();
  const parse = (into: (i: number, s: string) => boolean) => {
    for (let i = 0; i < rows; i++) if (valid[i] === 1 && !into(i, text(i))) valid[i] = 0;
  };
  switch (to) {
    case 'int32': {
      const values = new Int32Array(rows);
      parse((i, s) => {
        const v = Math.trunc(decimalNumber(s));
        values[i] = v;
        return v >= INT32_MIN && v <= INT32_MAX;
      });
      return { type: 'i32', values, valid };
    }
    case 'int64': {
      const values = new BigInt64Array(rows);
      parse((i, s) => {
        if (/^[+-]?\d+$/.test(s)) {
          const v = BigInt(s);
          values[i] = v;
          return v === BigInt.asIntN(64, v);
        }
        const n = decimalNumber(s);
        if (!Number.isFinite(n) || Math.abs(n) >= 2 ** 63) return false;
        values[i] = BigInt(Math.trunc(n));
        return true;
      });
      return { type: 'i64', values, valid };
    }
    case 'float64': {
      const values = new Float64Array(rows);
      parse((i, s) => {
        const v = decimalNumber(s);
        values[i] = v;
        return v === v || s === 'NaN';
      });
      return { type: 'f64', values, valid };
    }
    case 'bool': {
      const values = new Uint8Array(rows);
      parse((i, s) => {
        const lower = s.toLowerCase();
        if (lower === 'true' || lower === 't' || lower === 'yes' || lower === 'y' || lower === '1') values[i] = 1;
        else if (lower !== 'false' && lower !== 'f' && lower !== 'no' && lower !== 'n' && lower !== '0') return false;
        return true;
      });
      return { type: 'bool', values, valid };
    }
    case 'date': {
      const values = new Int32Array(rows);
      parse((i, s) => {
        const days = parseDateDroppingTime(s);
        values[i] = days ?? 0;
        return days !== null;
      });
      return { type: 'date', values, valid };
    }
    case 'timestamp': {
      const values = new Float64Array(rows);
      parse((i, s) => {
        const ms = parseTimestampMs(s);
        values[i] = ms ?? 0;
        return ms !== null;
      });
      return { type: 'timestamp', values, unit: 'ms', zone: null, valid };
    }
  }
}
