/**
 * Math functions as whole-column kernels, with Spark's semantics: `abs`, `round` (HALF_UP with a scale, ties away
 * from zero on the value's shortest decimal form, as Spark's `BigDecimal(double)`), `floor`, `ceil`, `sqrt`
 * (NaN below 0), `log` (null for x ≤ 0, as Spark), `pow`. Integer columns keep their type through `abs`,
 * `round`, `floor` and `ceil`; the rest give float64. A null row stays null.
 */
import type { ColumnExpr } from '../../../protocol/columnar.js';
import type { Column } from '../batches/batch.js';
import { numbersOf } from '../expressions/binary-ops.js';
import { bothValid } from '../batches/validity.js';
import { numericArg } from './args.js';

/** Largest power of ten a float64 holds exactly. */
const EXACT_POWER_MAX = 22;

/**
 * `abs`, `floor`, `ceil`, `sqrt`, `log` or `round` of one numeric column.
 *
 * @example
 * unaryMath('round', column, expr, rows, 2); // 2.675 → 2.68, -2.5 (scale 0) → -3
 */
export function unaryMath(
  fn: 'abs' | 'floor' | 'ceil' | 'sqrt' | 'log' | 'round',
  arg: Column,
  expr: ColumnExpr | undefined,
  rows: number,
  param: number | null,
): Column {
  const column = numericArg(fn, arg, expr, 0);
  const valid = column.valid;
  if (column.type === 'i32' && fn !== 'sqrt' && fn !== 'log') {
    const from = column.values;
    const values = new Int32Array(rows);
    if (fn === 'abs') for (let i = 0; i < rows; i++) values[i] = from[i]! < 0 ? -from[i]! | 0 : from[i]!;
    else if (fn === 'round' && param! < 0) for (let i = 0; i < rows; i++) values[i] = roundHalfUp(from[i]!, param!) | 0;
    else values.set(from.subarray(0, rows));
    return { type: 'i32', values, valid };
  }
  if (column.type === 'i64' && fn !== 'sqrt' && fn !== 'log') {
    const from = column.values;
    const values = new BigInt64Array(rows);
    if (fn === 'abs') for (let i = 0; i < rows; i++) values[i] = from[i]! < 0n ? -from[i]! : from[i]!;
    else if (fn === 'round' && param! < 0) for (let i = 0; i < rows; i++) values[i] = roundBigInt(from[i]!, -param!);
    else values.set(from.subarray(0, rows));
    return { type: 'i64', values, valid };
  }
  const x = numbersOf(column, `${fn}()`);
  const values = new Float64Array(rows);
  let out = valid;
  switch (fn) {
    case 'abs':
      for (let i = 0; i < rows; i++) values[i] = Math.abs(x[i]!);
      break;
    case 'floor':
      for (let i = 0; i < rows; i++) values[i] = Math.floor(x[i]!);
      break;
    case 'ceil':
      for (let i = 0; i < rows; i++) values[i] = Math.ceil(x[i]!);
      break;
    case 'sqrt':
      for (let i = 0; i < rows; i++) values[i] = Math.sqrt(x[i]!);
      break;
    case 'round':
      for (let i = 0; i < rows; i++) values[i] = roundHalfUp(x[i]!, param!);
      break;
    case 'log': {
      // Spark's Logarithm: null where x ≤ 0 (or the base ≤ 0), not -Infinity or NaN.
      const divisor = param === null ? 1 : Math.log(param);
      const own = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) {
        const v = x[i]!;
        own[i] = v > 0 && (param === null || param > 0) && (valid === undefined || valid[i] === 1) ? 1 : 0;
        values[i] = own[i] === 1 ? Math.log(v) / divisor : 0;
      }
      out = own;
      break;
    }
  }
  return { type: 'f64', values, valid: out };
}

/** `pow(x, y)` of two numeric columns, as float64 (`Math.pow`). */
export function pow(base: Column, exponent: Column, exprs: readonly ColumnExpr[], rows: number): Column {
  const x = numbersOf(numericArg('pow', base, exprs[0], 0), 'pow()');
  const y = numbersOf(numericArg('pow', exponent, exprs[1], 1), 'pow()');
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = Math.pow(x[i]!, y[i]!);
  return { type: 'f64', values, valid: bothValid(base.valid, exponent.valid, rows) };
}

/**
 * `x` rounded to `scale` decimal places (negative: to tens, hundreds …), ties away from zero, judged on the
 * shortest decimal form of `x` (so 2.675 rounds to 2.68 as Spark does, though its binary value is 2.67499…).
 *
 * @example
 * roundHalfUp(-2.5, 0); // -3
 */
export function roundHalfUp(x: number, scale: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (Math.abs(scale) <= EXACT_POWER_MAX) {
    const p = 10 ** Math.abs(scale);
    const scaled = scale >= 0 ? a * p : a / p;
    if (scaled < 2 ** 50) {
      const f = Math.floor(scaled);
      // The decimal tie T = (f + 0.5) / 10^scale, as the double nearest it. When that double is x itself, x's
      // shortest decimal form is T (doubles here lie closer together than 1/10^scale): a tie, rounded up. Else
      // that form lies on x's side of T, since rounding decimals to doubles is monotonic. (f one off near an
      // integer leaves the same nearest integer.)
      const tie = scale >= 0 ? (2 * f + 1) / (2 * p) : ((2 * f + 1) * p) / 2;
      const up = a >= tie;
      const r = up ? f + 1 : f;
      if (r === 0) return 0;
      return (x < 0 ? -1 : 1) * (scale >= 0 ? r / p : r * p);
    }
  }
  const r = roundDigits(a, scale);
  return r === 0 ? 0 : x < 0 ? -r : r;
}

/** HALF_UP rounding of a positive finite `a` on its shortest decimal digits (JS prints them, as Java's toString). */
function roundDigits(a: number, scale: number): number {
  const [mantissa, exponent] = a.toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  // a = 0.digits × 10^(exp + 1): keep the digits down to 10^-scale.
  const exp = Number(exponent);
  const keep = exp + 1 + scale;
  if (keep >= digits.length) return a;
  if (keep < 0) return 0;
  const kept = BigInt(keep === 0 ? '0' : digits.slice(0, keep)) + (digits.charCodeAt(keep) >= 53 ? 1n : 0n);
  return Number(`${kept}e${-scale}`);
}

/** An int64 rounded to 10^digits, HALF_UP (wrapping at 64 bits, as Spark's long). */
function roundBigInt(x: bigint, digits: number): bigint {
  const unit = 10n ** BigInt(digits);
  const rest = x % unit;
  const down = x - rest;
  const twice = (rest < 0n ? -rest : rest) * 2n;
  if (twice < unit) return BigInt.asIntN(64, down);
  return BigInt.asIntN(64, down + (x < 0n ? -unit : unit));
}
