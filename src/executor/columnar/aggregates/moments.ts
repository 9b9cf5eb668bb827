/**
 * Variance, standard deviation (sample, as Spark's `stddev` / `variance`, and population) and Pearson correlation,
 * kept per group as a count, means and sums of squared deviations (Welford's update per row, Chan et al.'s merge
 * of partial states): no catastrophic cancellation of a sum-of-squares formula. Rows with a null input are skipped
 * (for `corr`, rows where either input is null). A group with too few rows gives null (Spark 3: sample statistics
 * of one row, and `corr` with a constant input, are null rather than NaN).
 */
import type { Batch, Column } from '../batches/batch.js';
import type { GroupAggregate } from './group-aggregate.js';
import { NumericInputs } from './numeric-inputs.js';
import { grownFloat64 } from './state-arrays.js';

type MomentFunction = 'stddev' | 'variance' | 'stddevPop' | 'varPop' | 'corr';

/** States of one moment aggregate, per group side by side: [n, mean, m2] or, for `corr`, [n, meanX, meanY, m2X, m2Y, cXY]. */
export class Moments implements GroupAggregate {
  private readonly fn: MomentFunction;
  private readonly mode: 'partial' | 'final';
  private readonly inputs: readonly string[];
  /** The input columns' numbers, an int64 one converted once per batch, not once per chunk of it. */
  private readonly numbers: NumericInputs;
  /** States per group. */
  private readonly width: number;
  /**
   * Group g's states are `states[g * width … (g + 1) * width)`: a row's update touches one or two cache lines,
   * not one per state (six separate arrays cost q9's 10 k groups ~1.7× the time).
   */
  private states: Float64Array = new Float64Array(1024 * 6);

  constructor(fn: MomentFunction, mode: 'partial' | 'final', inputs: readonly string[]) {
    this.fn = fn;
    this.mode = mode;
    this.inputs = inputs;
    this.numbers = new NumericInputs(fn);
    this.width = fn === 'corr' ? 6 : 3;
  }

  add(batch: Batch, ids: Int32Array, from: number, to: number, groups: number): void {
    this.states = grownFloat64(this.states, groups * this.width);
    if (this.mode === 'final') return this.merge(batch, ids, from, to);
    const x = this.numbers.of(batch, this.inputs[0]!);
    const s = this.states;
    const xs = x.values;
    const xValid = x.valid;
    if (this.fn !== 'corr') {
      if (xValid === undefined && xs instanceof Float64Array) {
        addMomentsFloat64(s, xs, ids, from, to);
        return;
      }
      for (let i = from; i < to; i++) {
        if (xValid !== undefined && xValid[i] === 0) continue;
        const at = ids[i - from]! * 3;
        const v = xs[i]!;
        const count = ++s[at]!;
        const d = v - s[at + 1]!;
        const mean = s[at + 1]! + d / count;
        s[at + 1] = mean;
        s[at + 2] = s[at + 2]! + d * (v - mean);
      }
      return;
    }
    const y = this.numbers.of(batch, this.inputs[1]!);
    const ys = y.values;
    const yValid = y.valid;
    if (xValid === undefined && yValid === undefined && xs instanceof Int32Array && ys instanceof Int32Array) {
      addCorrInt32(s, xs, ys, ids, from, to);
      return;
    }
    for (let i = from; i < to; i++) {
      if ((xValid !== undefined && xValid[i] === 0) || (yValid !== undefined && yValid[i] === 0)) continue;
      const at = ids[i - from]! * 6;
      const vx = xs[i]!;
      const vy = ys[i]!;
      const count = ++s[at]!;
      const dx = vx - s[at + 1]!;
      const dy = vy - s[at + 2]!;
      const mx = s[at + 1]! + dx / count;
      const my = s[at + 2]! + dy / count;
      s[at + 1] = mx;
      s[at + 2] = my;
      s[at + 3] = s[at + 3]! + dx * (vx - mx);
      s[at + 4] = s[at + 4]! + dy * (vy - my);
      s[at + 5] = s[at + 5]! + dx * (vy - my);
    }
  }

  /** Merges partial states (Chan et al.): means move by their difference weighted by counts. */
  private merge(batch: Batch, ids: Int32Array, from: number, to: number): void {
    const parts = this.inputs.map((name) => this.numbers.of(batch, name));
    const counts = parts[0]!;
    const values = parts.map((p) => p.values);
    const s = this.states;
    const width = this.width;
    const corr = this.fn === 'corr';
    for (let i = from; i < to; i++) {
      const nb = values[0]![i]!;
      if ((counts.valid !== undefined && counts.valid[i] === 0) || nb === 0) continue;
      const at = ids[i - from]! * width;
      const na = s[at]!;
      const n = na + nb;
      const weight = (na * nb) / n;
      const dx = values[1]![i]! - s[at + 1]!;
      s[at] = n;
      s[at + 1] = s[at + 1]! + (dx * nb) / n;
      if (!corr) {
        s[at + 2] = s[at + 2]! + values[2]![i]! + dx * dx * weight;
        continue;
      }
      const dy = values[2]![i]! - s[at + 2]!;
      s[at + 2] = s[at + 2]! + (dy * nb) / n;
      s[at + 3] = s[at + 3]! + values[3]![i]! + dx * dx * weight;
      s[at + 4] = s[at + 4]! + values[4]![i]! + dy * dy * weight;
      s[at + 5] = s[at + 5]! + values[5]![i]! + dx * dy * weight;
    }
  }

  partial(groups: number): Column[] {
    const { states, width } = this;
    return Array.from({ length: width }, (_, k): Column => {
      const values = new Float64Array(groups);
      for (let g = 0; g < groups; g++) values[g] = states[g * width + k]!;
      return { type: 'f64', values };
    });
  }

  final(groups: number): Column {
    const { states, width } = this;
    const values = new Float64Array(groups);
    const valid = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) {
      const at = g * width;
      const n = states[at]!;
      const m2 = states[at + 2]!;
      let v: number;
      switch (this.fn) {
        case 'variance':
          v = n > 1 ? m2 / (n - 1) : NaN;
          break;
        case 'stddev':
          v = n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN;
          break;
        case 'varPop':
          v = n > 0 ? m2 / n : NaN;
          break;
        case 'stddevPop':
          v = n > 0 ? Math.sqrt(m2 / n) : NaN;
          break;
        case 'corr': {
          const spread = Math.sqrt(states[at + 3]! * states[at + 4]!);
          v = n > 0 && spread !== 0 ? states[at + 5]! / spread : NaN;
          break;
        }
      }
      // A statistic that divides by zero is null (Spark 3); a NaN input still gives NaN.
      const defined =
        this.fn === 'corr' ? n > 0 && states[at + 3]! * states[at + 4]! !== 0 : n > (this.fn.endsWith('Pop') ? 0 : 1);
      values[g] = v;
      valid[g] = defined ? 1 : 0;
    }
    return { type: 'f64', values, valid };
  }
}

/**
 * `corr`'s Welford update of rows `from … to - 1` of two int32 columns without nulls (db-benchmark q9's v1 and v2),
 * the same operations in the same order as the general loop of `Moments.add`, so the same doubles: a loop of one
 * array type and no null checks, ~15 % less time a row (in-process, 625 k rows over 10 k groups) than the general
 * loop once it has met float64 columns too (a `stddev` of q6).
 *
 * Four rows an iteration, one after the other (a group met twice among them is updated twice in row order): each
 * iteration checks its arrays' kinds and reads their lengths once, not once a row (V8 checks them again after every
 * loop back-edge). Kernel micro-benchmark (5 M rows into 10 k groups, 64 K-row chunks, CPU): 25–26 → 20–21 ms.
 * The last 1–3 rows go through a loop of their own, after the four-rows loop has returned
 * (`sums-four-rows-at-a-time.ts` says why not after it in the same function).
 */
function addCorrInt32(
  s: Float64Array,
  xs: Int32Array,
  ys: Int32Array,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  const at = addCorrInt32FourRows(s, xs, ys, ids, from, to);
  for (let i = at; i < to; i++) addCorrInt32Row(s, xs, ys, ids, from, i);
}

/** `addCorrInt32` four rows at a time up to the last 1–3: returns the first row it did not add. */
function addCorrInt32FourRows(
  s: Float64Array,
  xs: Int32Array,
  ys: Int32Array,
  ids: Int32Array,
  from: number,
  to: number,
): number {
  let i = from;
  for (; i + 3 < to; i += 4) {
    addCorrInt32Row(s, xs, ys, ids, from, i);
    addCorrInt32Row(s, xs, ys, ids, from, i + 1);
    addCorrInt32Row(s, xs, ys, ids, from, i + 2);
    addCorrInt32Row(s, xs, ys, ids, from, i + 3);
  }
  return i;
}

/** Row `i`'s Welford update of its group `ids[i - from]` (inlined into the loops above). */
function addCorrInt32Row(s: Float64Array, xs: Int32Array, ys: Int32Array, ids: Int32Array, from: number, i: number) {
  const at = ids[i - from]! * 6;
  const vx = xs[i]!;
  const vy = ys[i]!;
  const count = s[at]! + 1;
  const meanX = s[at + 1]!;
  const meanY = s[at + 2]!;
  const dx = vx - meanX;
  const dy = vy - meanY;
  const mx = meanX + dx / count;
  const my = meanY + dy / count;
  s[at] = count;
  s[at + 1] = mx;
  s[at + 2] = my;
  s[at + 3] = s[at + 3]! + dx * (vx - mx);
  s[at + 4] = s[at + 4]! + dy * (vy - my);
  s[at + 5] = s[at + 5]! + dx * (vy - my);
}

/**
 * The Welford update of `Moments.add` for rows `from … to - 1` of a float64 column without nulls (db-benchmark q6's
 * v3): the same operations in the same order, so the same doubles, in a loop of one array type with no null check
 * and each state read once: ~0.9× the CPU time of the general loop (in-process, 5 M rows into 10 k groups, after an
 * int32 column made that loop polymorphic; most of 8 pairs on a loaded machine). Four rows an iteration, as
 * `addCorrInt32`: a q6-like map task's stddev (5 M rows into 10 k groups, in-process CPU) 0.91× the time of one row an
 * iteration (median of 6 pairs, 0.82–1.05).
 */
function addMomentsFloat64(s: Float64Array, xs: Float64Array, ids: Int32Array, from: number, to: number): void {
  const at = addMomentsFloat64FourRows(s, xs, ids, from, to);
  for (let i = at; i < to; i++) addMomentsFloat64Row(s, xs, ids, from, i);
}

/** `addMomentsFloat64` four rows an iteration (as `addCorrInt32FourRows`): returns the first row it did not add. */
function addMomentsFloat64FourRows(s: Float64Array, xs: Float64Array, ids: Int32Array, from: number, to: number) {
  let i = from;
  for (; i + 3 < to; i += 4) {
    addMomentsFloat64Row(s, xs, ids, from, i);
    addMomentsFloat64Row(s, xs, ids, from, i + 1);
    addMomentsFloat64Row(s, xs, ids, from, i + 2);
    addMomentsFloat64Row(s, xs, ids, from, i + 3);
  }
  return i;
}

/** Row `i`'s Welford update of its group `ids[i - from]` (inlined into the loops above). */
function addMomentsFloat64Row(s: Float64Array, xs: Float64Array, ids: Int32Array, from: number, i: number): void {
  const at = ids[i - from]! * 3;
  const v = xs[i]!;
  const count = s[at]! + 1;
  const mean = s[at + 1]!;
  const d = v - mean;
  const next = mean + d / count;
  s[at] = count;
  s[at + 1] = next;
  s[at + 2] = s[at + 2]! + d * (v - next);
}
