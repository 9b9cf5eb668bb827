/**
 * Variance, standard deviation (sample, as Spark's `stddev` / `variance`, and population) and Pearson correlation,
 * kept per group as a count, means and sums of squared deviations (Welford's update per row, Chan et al.'s merge
 * of partial states): no catastrophic cancellation of a sum-of-squares formula. Rows with a null input are skipped
 * (for `corr`, rows where either input is null). A group with too few rows gives null (Spark 3: sample statistics
 * of one row, and `corr` with a constant input, are null rather than NaN).
 */
import type { Batch, Column } from '../batch.js';
import type { GroupAggregate } from './group-aggregate.js';
import { grownFloat64, numericInput } from './state-arrays.js';

type MomentFunction = 'stddev' | 'variance' | 'stddevPop' | 'varPop' | 'corr';

/** States of one moment aggregate: [n, mean, m2] or, for `corr`, [n, meanX, meanY, m2X, m2Y, cXY]. */
export class Moments implements GroupAggregate {
  private readonly fn: MomentFunction;
  private readonly mode: 'partial' | 'final';
  private readonly inputs: readonly string[];
  private states: Float64Array[];

  constructor(fn: MomentFunction, mode: 'partial' | 'final', inputs: readonly string[]) {
    this.fn = fn;
    this.mode = mode;
    this.inputs = inputs;
    this.states = Array.from({ length: fn === 'corr' ? 6 : 3 }, () => new Float64Array(1024));
  }

  add(batch: Batch, ids: Int32Array, from: number, to: number, groups: number): void {
    this.states = this.states.map((s) => grownFloat64(s, groups));
    if (this.mode === 'final') return this.merge(batch, ids, from, to);
    const x = numericInput(batch, this.inputs[0]!, this.fn);
    const [n, mx, my, m2x, m2y, cxy] = this.states as [Float64Array, Float64Array, Float64Array, ...Float64Array[]];
    if (this.fn !== 'corr') {
      const m2 = my;
      for (let i = from; i < to; i++) {
        if (x.valid !== undefined && x.valid[i] === 0) continue;
        const g = ids[i - from]!;
        const v = x.values[i]!;
        const count = ++n[g]!;
        const d = v - mx[g]!;
        mx[g] = mx[g]! + d / count;
        m2[g] = m2[g]! + d * (v - mx[g]!);
      }
      return;
    }
    const y = numericInput(batch, this.inputs[1]!, this.fn);
    for (let i = from; i < to; i++) {
      if ((x.valid !== undefined && x.valid[i] === 0) || (y.valid !== undefined && y.valid[i] === 0)) continue;
      const g = ids[i - from]!;
      const vx = x.values[i]!;
      const vy = y.values[i]!;
      const count = ++n[g]!;
      const dx = vx - mx[g]!;
      const dy = vy - my[g]!;
      mx[g] = mx[g]! + dx / count;
      my[g] = my[g]! + dy / count;
      m2x![g] = m2x![g]! + dx * (vx - mx[g]!);
      m2y![g] = m2y![g]! + dy * (vy - my[g]!);
      cxy![g] = cxy![g]! + dx * (vy - my[g]!);
    }
  }

  /** Merges partial states (Chan et al.): means move by their difference weighted by counts. */
  private merge(batch: Batch, ids: Int32Array, from: number, to: number): void {
    const parts = this.inputs.map((name) => numericInput(batch, name, this.fn));
    const counts = parts[0]!;
    const values = parts.map((p) => p.values);
    const s = this.states;
    const corr = this.fn === 'corr';
    for (let i = from; i < to; i++) {
      const nb = values[0]![i]!;
      if ((counts.valid !== undefined && counts.valid[i] === 0) || nb === 0) continue;
      const g = ids[i - from]!;
      const na = s[0]![g]!;
      const n = na + nb;
      const weight = (na * nb) / n;
      const dx = values[1]![i]! - s[1]![g]!;
      s[0]![g] = n;
      s[1]![g] = s[1]![g]! + (dx * nb) / n;
      if (!corr) {
        s[2]![g] = s[2]![g]! + values[2]![i]! + dx * dx * weight;
        continue;
      }
      const dy = values[2]![i]! - s[2]![g]!;
      s[2]![g] = s[2]![g]! + (dy * nb) / n;
      s[3]![g] = s[3]![g]! + values[3]![i]! + dx * dx * weight;
      s[4]![g] = s[4]![g]! + values[4]![i]! + dy * dy * weight;
      s[5]![g] = s[5]![g]! + values[5]![i]! + dx * dy * weight;
    }
  }

  partial(groups: number): Column[] {
    return this.states.map((s): Column => ({ type: 'f64', values: s.subarray(0, groups) }));
  }

  final(groups: number): Column {
    const s = this.states;
    const values = new Float64Array(groups);
    const valid = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) {
      const n = s[0]![g]!;
      let v: number;
      switch (this.fn) {
        case 'variance':
          v = n > 1 ? s[2]![g]! / (n - 1) : NaN;
          break;
        case 'stddev':
          v = n > 1 ? Math.sqrt(s[2]![g]! / (n - 1)) : NaN;
          break;
        case 'varPop':
          v = n > 0 ? s[2]![g]! / n : NaN;
          break;
        case 'stddevPop':
          v = n > 0 ? Math.sqrt(s[2]![g]! / n) : NaN;
          break;
        case 'corr': {
          const spread = Math.sqrt(s[3]![g]! * s[4]![g]!);
          v = n > 0 && spread !== 0 ? s[5]![g]! / spread : NaN;
          break;
        }
      }
      // A statistic that divides by zero is null (Spark 3); a NaN input still gives NaN.
      const defined = this.fn === 'corr' ? n > 0 && s[3]![g]! * s[4]![g]! !== 0 : n > (this.fn.endsWith('Pop') ? 0 : 1);
      values[g] = v;
      valid[g] = defined ? 1 : 0;
    }
    return { type: 'f64', values, valid };
  }
}
