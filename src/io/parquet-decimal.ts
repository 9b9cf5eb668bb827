/**
 * Parquet DECIMAL values as the double nearest the exact decimal (what Java's `BigDecimal.doubleValue` gives;
 * DuckDB's `CAST(d AS DOUBLE)` and Spark's `Decimal.toDouble` are at times 1 ulp off it). hyparquet turns the whole unscaled integer into a double and then divides by
 * 10^scale: past 2^53 the first step already drops digits (DECIMAL(38,4) 123456789012345.0000 read as
 * 123456789012345.02), so the executor has hyparquet hand over the stored integers (INT32, INT64, or big-endian
 * two's complement bytes) and converts them here.
 */

import type { SchemaElement } from 'hyparquet';

/** The largest scale whose 10^scale is an exact double (10^22 < 2^53 · 2^22), so one division rounds once. */
const EXACT_POWER_SCALE_MAX = 22;
/** Bytes of a two's complement integer that a double holds exactly, whatever their values (2^47 < 2^53). */
const NUMBER_BYTES_MAX = 6;

/**
 * The scale of a DECIMAL column (from its converted or its logical type), or null when it is no decimal.
 *
 * @example
 * decimalScale({ name: 'price', type: 'INT64', converted_type: 'DECIMAL', scale: 2, precision: 18 }); // 2
 */
export function decimalScale(element: SchemaElement): number | null {
  const logical = element.logical_type;
  if (logical?.type === 'DECIMAL') return logical.scale;
  return element.converted_type === 'DECIMAL' ? (element.scale ?? 0) : null;
}

/**
 * The decimal `unscaled` · 10^-scale as the nearest double. One division where both operands are exact doubles
 * (one rounding: the nearest double); otherwise JS's parse of the decimal text, which also rounds exactly once.
 *
 * @example
 * decimalToNumber(1234567890123450000n, 4); // 123456789012345 (unscaled / 1e4 in doubles gives …345.02)
 */
export function decimalToNumber(unscaled: bigint | number, scale: number): number {
  if (scale <= EXACT_POWER_SCALE_MAX) {
    if (typeof unscaled === 'number') return unscaled / 10 ** scale;
    if (unscaled >= -Number.MAX_SAFE_INTEGER && unscaled <= Number.MAX_SAFE_INTEGER) {
      return Number(unscaled) / 10 ** scale;
    }
  }
  return Number(`${unscaled}e-${scale}`);
}

/**
 * The big-endian two's complement integer in `bytes` (FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY decimals) as a number
 * where it fits 2^53 exactly (most values, even in 16-byte columns), else as a bigint.
 */
function unscaledOf(bytes: Uint8Array): bigint | number {
  const length = bytes.length;
  if (length === 0) return 0;
  // Leading bytes that only extend the sign carry no digits; the sign is the first byte's, whatever follows.
  const fill = bytes[0]! & 0x80 ? 0xff : 0;
  let start = 0;
  while (start < length - NUMBER_BYTES_MAX && bytes[start] === fill) start++;
  if (length - start <= NUMBER_BYTES_MAX) {
    let value = fill === 0 ? 0 : -1;
    for (let i = start; i < length; i++) value = value * 256 + bytes[i]!;
    return value;
  }
  let value = fill === 0 ? 0n : -1n; // BigInt's bit operations act as on infinite two's complement
  for (let i = start; i < length; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/**
 * One decoded part of a decimal column (raw stored integers: an Int32Array, a BigInt64Array, or an array of
 * integers, byte arrays and null / undefined for nulls) as decimal values: a Float64Array for a typed part, else an
 * array with null where the part had no value.
 *
 * @example
 * decimalsOf(new Int32Array([12345, -5]), 2); // Float64Array [123.45, -0.05]
 */
export function decimalsOf(part: ArrayLike<unknown>, scale: number): Float64Array | (number | null)[] {
  if (part instanceof Int32Array) {
    const out = new Float64Array(part.length);
    const factor = 10 ** scale;
    // Every int32 is an exact double: with an exact 10^scale one division gives the nearest double.
    if (scale <= EXACT_POWER_SCALE_MAX) for (let i = 0; i < part.length; i++) out[i] = part[i]! / factor;
    else for (let i = 0; i < part.length; i++) out[i] = decimalToNumber(part[i]!, scale);
    return out;
  }
  if (part instanceof BigInt64Array) {
    const out = new Float64Array(part.length);
    for (let i = 0; i < part.length; i++) out[i] = decimalToNumber(part[i]!, scale);
    return out;
  }
  const out = new Array<number | null>(part.length);
  for (let i = 0; i < part.length; i++) {
    const v = part[i];
    if (v === null || v === undefined) out[i] = null;
    else if (v instanceof Uint8Array) out[i] = decimalToNumber(unscaledOf(v), scale);
    else out[i] = decimalToNumber(v as number | bigint, scale);
  }
  return out;
}

/**
 * A bound of a decimal column's statistics, widened outwards past hyparquet's rounding: it converts the unscaled
 * integer to a double and then divides (two roundings, each within 2^-53 of the value, for any scale up to 308),
 * where the values read are the nearest doubles. Widening by 2^-49 of the bound keeps every value read inside,
 * so pruning never skips a row group that holds a row the filter keeps.
 *
 * @example
 * widenDecimalBound(123456789012345.02, 'max'); // a little above, so 123456789012345 is within
 */
export function widenDecimalBound(bound: number, side: 'min' | 'max'): number {
  if (!Number.isFinite(bound) || bound === 0) return bound;
  const margin = Math.abs(bound) * 2 ** -49;
  return side === 'min' ? bound - margin : bound + margin;
}
