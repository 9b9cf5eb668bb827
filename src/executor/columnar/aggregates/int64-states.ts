/**
 * Exact per-group states of an int64 sum, min or max. A float64 state holds integers exactly only up to 2^53, so
 * `sum` of 2^62 + 1 or a min of two values above 2^53 that differ by 1 would come out wrong: these states read an
 * int64 column as its two int32 words (no BigInt per row) and keep every group's value exact.
 *
 * A sum keeps two float64 numbers per group, the sum of the high words (signed) and the sum of the low words
 * (unsigned, each below 2^32); a low sum past 2^52 carries into the high one, so both stay exact integers. A min or
 * max keeps the group's value as its two words and compares them (high signed, then low unsigned).
 *
 * Overflow, as Spark's ANSI mode (its default since 4.0) and not as its legacy mode (which wraps): a sum whose
 * value leaves the int64 range fails with `ERR_COLUMNAR_OVERFLOW` when it is written out, a map task's partial sum
 * too (so, as in Spark, a running sum that leaves the range and comes back in one map task fails). A running sum
 * past ±2^84 fails at once (its high word sum would no longer be exact).
 */
import { ColumnarError } from '../error.js';
import type { StateSlot } from '../grouping/group-states.js';

/** 2^32: one unit of a high word. */
const HIGH_UNIT = 4294967296;
/** A low-word sum at or past this carries into the high one: one more uint32 keeps it below 2^53, exact. */
const CARRY_AT = 2 ** 52;
/** The largest high-word sum still certainly exact after one more int32 is added. */
const HIGH_MAX = 2 ** 52;

/** How an int64 state accumulates. */
export type Int64Accumulate = 'add' | 'min' | 'max';

/**
 * The exact int64 states of one aggregate, per group, and which groups saw a value.
 *
 * @example
 * const sums = new Int64States('add');
 * sums.ensure(2);
 * sums.update(int64Words(column), column.valid, groupIds, 0, column.values.length);
 * const { values, valid } = sums.int64(2, 'sum(x)');
 */
export class Int64States {
  readonly how: Int64Accumulate;
  /** Group g's state at `[2g, 2g + 1]`: a sum's high and low word sums, or a min's or max's low and high word. */
  private sums: Float64Array;
  private words: Int32Array;
  /** 1 once group g got a value. */
  seen: Uint8Array;
  capacity = 0;
  constructor(how: Int64Accumulate) {
    this.how = how;
    this.sums = new Float64Array(0);
    this.words = new Int32Array(0);
    this.seen = new Uint8Array(0);
  }

  ensure(groups: number): void {
    if (groups <= this.capacity) return;
    const capacity = Math.max(groups, this.capacity * 2, 1024);
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T, n: number) => {
      const next = make(n);
      next.set(old);
      return next;
    };
    if (this.how === 'add') this.sums = grow(this.sums, (n) => new Float64Array(n), capacity * 2);
    else this.words = grow(this.words, (n) => new Int32Array(n), capacity * 2);
    this.seen = grow(this.seen, (n) => new Uint8Array(n), capacity);
    this.capacity = capacity;
  }

  /**
   * Adds rows `from … to - 1` of an int64 column given as its words (`int64Words`: row i's low word at 2i, high at
   * 2i + 1), skipping nulls; the rows' groups are `ids[0 …]`. `name` names the aggregate in an overflow error.
   */
  update(
    words: Int32Array,
    valid: Uint8Array | undefined,
    ids: Int32Array,
    from: number,
    to: number,
    name: string,
  ): void {
    const seen = this.seen;
    if (this.how === 'add') {
      const sums = this.sums;
      for (let i = from; i < to; i++) {
        if (valid !== undefined && valid[i] === 0) continue;
        const g = ids[i - from]!;
        seen[g] = 1;
        addWords(sums, g * 2, words, i, name);
      }
      return;
    }
    const states = this.words;
    const max = this.how === 'max';
    for (let i = from; i < to; i++) {
      if (valid !== undefined && valid[i] === 0) continue;
      const g = ids[i - from]!;
      const at = g * 2;
      const high = words[2 * i + 1]!;
      const low = words[2 * i]! >>> 0;
      const mHigh = states[at + 1]!;
      const mLow = states[at]! >>> 0;
      const less = high < mHigh || (high === mHigh && low < mLow);
      const more = high > mHigh || (high === mHigh && low > mLow);
      if (seen[g] === 0 || (max ? more : less)) {
        states[at] = words[2 * i]!;
        states[at + 1] = high;
        seen[g] = 1;
      }
    }
  }

  /**
   * Folds group g's float64 state `value` (an integer of at most 2^53 in magnitude, from the int32 inputs met
   * before the first int64 one) into its exact state, as if its rows had come as int64.
   */
  fold(g: number, value: number, name: string): void {
    const high = Math.floor(value / HIGH_UNIT);
    const words = new Int32Array([value - high * HIGH_UNIT, high]);
    this.update(words, undefined, Int32Array.of(g), 0, 1, name);
  }

  /**
   * The first `groups` groups' values as int64 (0 where a group saw no value); a sum out of the int64 range
   * throws `ERR_COLUMNAR_OVERFLOW` naming `name`.
   */
  int64(groups: number, name: string): BigInt64Array {
    const out = new BigInt64Array(groups);
    const words = new Int32Array(out.buffer);
    if (this.how !== 'add') {
      words.set(this.words.subarray(0, groups * 2));
      return out;
    }
    for (let g = 0; g < groups; g++) writeSum(this.sums, 2 * g, words, g, name);
    return out;
  }

  /** The first `groups` groups' values, each the float64 nearest to it (NaN where a group saw no value). */
  numbers(groups: number): Float64Array {
    const out = new Float64Array(groups);
    const { seen, sums, words } = this;
    for (let g = 0; g < groups; g++) {
      if (seen[g] === 0) out[g] = Number.NaN;
      else if (this.how === 'add') out[g] = sumNumber(sums, 2 * g);
      else out[g] = words[2 * g + 1]! * HIGH_UNIT + (words[2 * g]! >>> 0);
    }
    return out;
  }
}

/**
 * `accumulate` for int64 values (as words): into the slot's exact states, started at the first int64 input. Then
 * the float64 lane's safe integers so far (from int32 inputs) move into them, and the lane tracks which groups it
 * still holds a value for (floats met before, or after: the answer is then float64).
 */
export function accumulateInt64(
  slot: StateSlot,
  words: Int32Array,
  valid: Uint8Array | undefined,
  ids: Int32Array,
  from: number,
  to: number,
  groupsBefore: number,
): void {
  const states = slot.states;
  const name = slot.column ?? slot.name;
  if (states.exact === null) {
    const exact = new Int64States(slot.accumulate === 'min' || slot.accumulate === 'max' ? slot.accumulate : 'add');
    exact.ensure(states.block.capacity);
    states.trackSeen(groupsBefore);
    const seen = states.seen!;
    const { values, width } = states.block;
    for (let g = 0, at = states.lane; g < groupsBefore; g++, at += width) {
      const v = values[at]!;
      if (seen[g] === 0 || !Number.isSafeInteger(v)) continue;
      exact.fold(g, v, name);
      values[at] = states.initial;
      seen[g] = 0;
    }
    states.exact = exact;
  }
  states.trackSeen(groupsBefore);
  states.exact.update(words, valid, ids, from, to, name);
}

/**
 * Adds row i of `words` (`int64Words`) to the sum at `sums[at]` (high word sum) and `sums[at + 1]` (low word sum),
 * carrying a low sum past 2^52 into the high one; a high sum past ±2^52 (a running total past ±2^84) throws
 * `ERR_COLUMNAR_OVERFLOW` naming the sum `name`.
 */
export function addWords(sums: Float64Array, at: number, words: Int32Array, i: number, name: string): void {
  let high = sums[at]! + words[2 * i + 1]!;
  let low = sums[at + 1]! + (words[2 * i]! >>> 0);
  if (low >= CARRY_AT) {
    const carry = Math.floor(low / HIGH_UNIT);
    low -= carry * HIGH_UNIT;
    high += carry;
  }
  if (high > HIGH_MAX || high < -HIGH_MAX) throw int64SumOverflow(`the int64 sum '${name}'`);
  sums[at] = high;
  sums[at + 1] = low;
}

/**
 * Writes the sum at `sums[at …]` (`addWords`) as row `row` of `words` (an int64 column's words); a sum outside the
 * int64 range throws `ERR_COLUMNAR_OVERFLOW` naming `name`.
 */
export function writeSum(sums: Float64Array, at: number, words: Int32Array, row: number, name: string): void {
  let high = sums[at]!;
  let low = sums[at + 1]!;
  const carry = Math.floor(low / HIGH_UNIT);
  low -= carry * HIGH_UNIT;
  high += carry;
  if (high >= 0x80000000 || high < -0x80000000) throw int64SumOverflow(`the int64 sum '${name}'`);
  words[2 * row] = low | 0;
  words[2 * row + 1] = high;
}

/** The float64 nearest to the sum at `sums[at …]` (`addWords`): high·2^32 is exact, so the addition rounds once. */
export function sumNumber(sums: Float64Array, at: number): number {
  return sums[at]! * HIGH_UNIT + sums[at + 1]!;
}

/** An int64 column's values as int32 words, row i's low word at 2i and high word at 2i + 1 (a view, no copy). */
export function int64Words(values: BigInt64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** Row i's int32 `values` as int64 words (`int64Words`'s layout): the high word is the sign. */
export function int32AsInt64Words(values: Int32Array, rows: number): Int32Array {
  const words = new Int32Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const v = values[i]!;
    words[2 * i] = v;
    words[2 * i + 1] = v >> 31;
  }
  return words;
}

/** The error of an int64 sum out of the int64 range; `what` names it ("the int64 sum 'v'"). */
export function int64SumOverflow(what: string): ColumnarError {
  return new ColumnarError(
    'ERR_COLUMNAR_OVERFLOW',
    `sum(): ${what} left the int64 range [-2^63, 2^63) (as in Spark's ANSI mode; cast the column to double to ` +
      `sum it inexactly)`,
  );
}
