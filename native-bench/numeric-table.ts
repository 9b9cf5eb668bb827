/**
 * The seeded numeric table of the group-by benchmarks: `rows` rows of an int32 key drawn uniformly from
 * `0 … keys - 1` and a float64 value, in typed arrays over SharedArrayBuffers (data already in shared memory, as
 * the group-by target assumes).
 */
import { Rng } from '../src/common/rng.js';

/** Options of {@link generateNumericTable}. */
export interface NumericTableSpec {
  readonly rows: number;
  /** Distinct keys: every key is in `0 … keys - 1`. */
  readonly keys: number;
  readonly seed: number;
}

/** Two equal-length columns over SharedArrayBuffers. */
export interface NumericTable {
  readonly key: Int32Array;
  readonly value: Float64Array;
}

/**
 * A table of `spec.rows` rows, the same for the same spec. Values are multiples of 1/1024 in [0, 1024), so sums of
 * up to 2^33 of them are exact in float64 and every summation order gives the same total (results compare exactly).
 *
 * @example
 * const { key, value } = generateNumericTable({ rows: 20_000_000, keys: 100_000, seed: 1 });
 */
export function generateNumericTable(spec: NumericTableSpec): NumericTable {
  const { rows, keys } = spec;
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`rows must be an integer >= 0, found ${rows}`);
  if (!Number.isSafeInteger(keys) || keys < 1 || keys > 2 ** 31)
    throw new RangeError(`keys must be in 1 … 2^31, found ${keys}`);
  const key = new Int32Array(new SharedArrayBuffer(rows * 4));
  const value = new Float64Array(new SharedArrayBuffer(rows * 8));
  const rng = new Rng(spec.seed);
  for (let i = 0; i < rows; i++) {
    key[i] = rng.nextInt(keys);
    value[i] = (rng.nextUint32() >>> 12) / 1024;
  }
  return { key, value };
}
