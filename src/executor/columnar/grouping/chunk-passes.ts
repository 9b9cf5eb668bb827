/**
 * Which of `HashAggregator.add`'s slots go through its fused passes for one batch: sums of float64 or int32 columns
 * without nulls with the row counts (`aggregates/fused-sums.ts`), minima and maxima two at a time (`aggregates/fused-extremes.ts`);
 * every other slot takes `accumulate`, one pass each.
 */
import type { SumValues } from '../aggregates/fused-sums.js';
import { updateTwoExtremes } from '../aggregates/fused-extremes.js';
import type { SlotInput, StateSlot } from './group-states.js';

/** A batch's fused passes: the slots in each, their input values and (sums) their lanes. */
export interface ChunkPasses {
  /** Sums of columns without nulls (in this batch and before), fused with the row counts. */
  readonly fused: readonly StateSlot[];
  readonly fusedValues: readonly SumValues[];
  readonly fusedLanes: readonly number[];
  /** Minima and maxima of columns without nulls (in this batch and before), in pairs that share a state block. */
  readonly extremes: readonly StateSlot[];
  readonly extremeValues: readonly SumValues[];
}

/**
 * The fused passes of a batch whose slots `slots` read `inputs` (null for a shared slot).
 *
 * @example
 * const { fused, fusedLanes, fusedValues } = chunkPasses(slots, slots.map((s) => (s.shared ? null : inputOf(s, batch))));
 */
export function chunkPasses(slots: readonly StateSlot[], inputs: readonly (SlotInput | null)[]): ChunkPasses {
  const fused = slots.filter(
    (slot, s) =>
      !slot.shared &&
      slot.accumulate === 'add' &&
      inputs[s]!.values !== null &&
      inputs[s]!.valid === undefined &&
      slot.states.seen === null,
  );
  const fusedValues = fused.map((slot) => inputs[slots.indexOf(slot)]!.values!);
  const fusedLanes = fused.map((slot) => slot.states.lane);
  const extremes = slots.filter(
    (slot, s) =>
      !slot.shared &&
      (slot.accumulate === 'min' || slot.accumulate === 'max') &&
      inputs[s]!.values !== null &&
      inputs[s]!.valid === undefined &&
      slot.states.seen === null,
  );
  // `stateSlotsOf` puts them in one block (a pair must share one); an odd one out takes its own pass.
  if (extremes.some((slot) => slot.states.block !== extremes[0]!.states.block)) extremes.length = 0;
  else if (extremes.length % 2 === 1) extremes.pop();
  const extremeValues = extremes.map((slot) => inputs[slots.indexOf(slot)]!.values!);
  return { fused, fusedValues, fusedLanes, extremes, extremeValues };
}

/**
 * Updates the pairs of `extremes` (`chunkPasses`) from rows `from … to - 1`, whose groups are `ids[0 …]`, with
 * `updateTwoExtremes`; their states grown to `groups` first.
 *
 * @example
 * addExtremes(passes.extremes, passes.extremeValues, groupIds, 0, 65_536, 100);
 */
export function addExtremes(
  extremes: readonly StateSlot[],
  extremeValues: readonly SumValues[],
  ids: Int32Array,
  from: number,
  to: number,
  groups: number,
): void {
  for (let e = 0; e < extremes.length; e += 2) {
    const [a, b] = [extremes[e]!.states, extremes[e + 1]!.states];
    a.ensure(groups);
    b.ensure(groups);
    const [maxA, maxB] = [extremes[e]!.accumulate === 'max', extremes[e + 1]!.accumulate === 'max'];
    const [va, vb] = [extremeValues[e]!, extremeValues[e + 1]!];
    const { values: states, width } = a.block;
    updateTwoExtremes(states, width, a.lane, maxA, va, b.lane, maxB, vb, ids, from, to);
  }
}
