/**
 * Event-time windows in keyed state (`reduceByKeyAndWindow`): a state key is a window (`common/window-keys.ts`), and a window
 * whose end is at or before the batch's watermark can get no more events (the window assignment drops them as
 * late), so it is final: dropped from the state, and emitted once in `append` mode.
 */
import type { KeyMap } from '../../common/keys.js';
import { windowOf, windowStartOf } from '../../common/window-keys.js';
import type { UpdateStateSpec } from '../../protocol/state.js';
import type { TaskContext } from '../task-context.js';
import type { DeltaRow, StateEntry } from './state-partition.js';

/** What `dropFinalWindows` did: the windows it dropped, and the earliest end of those left (null: none left). */
export interface FinalWindows {
  readonly dropped: number;
  readonly windowEndMinMs: number | null;
}

/**
 * Drops every window of `state` that ends at or before `spec.window.watermarkMs` (recording each removal in
 * `delta`), yielding `[[key, windowStartMs], value]` for each when `spec.emit` is `evicted`, in the state's order.
 *
 * @example
 * const { dropped, windowEndMinMs } = yield* dropFinalWindows(state, spec, delta, context);
 */
export function* dropFinalWindows(
  state: KeyMap<StateEntry>,
  spec: UpdateStateSpec,
  delta: DeltaRow[],
  context: TaskContext,
): Generator<unknown, FinalWindows> {
  const { windowMs, watermarkMs } = spec.window!;
  const final: [unknown, StateEntry][] = [];
  let windowEndMinMs: number | null = null;
  for (const [key, entry] of state.entries()) {
    const endMs = windowStartOf(key) + windowMs;
    if (watermarkMs !== null && endMs <= watermarkMs) final.push([key, entry]);
    else if (windowEndMinMs === null || endMs < windowEndMinMs) windowEndMinMs = endMs;
  }
  for (const [key, entry] of final) {
    state.delete(key);
    delta.push({ key, value: null, updatedMs: spec.batchTimestampMs, removed: true });
    context.tick();
    if (spec.emit === 'evicted') yield [windowOf(key), entry.value];
  }
  return { dropped: final.length, windowEndMinMs };
}

/**
 * `spec.fold === 'reduce'`: the key's new values folded into its state with `reduce(a, b)` (from the first new value
 * when the key has no state).
 */
export function reduceValues(reduce: (a: unknown, b: unknown) => unknown, values: unknown[], state: unknown): unknown {
  let at = 0;
  let folded = state;
  if (folded === undefined) folded = values[at++];
  for (; at < values.length; at++) folded = reduce(folded, values[at]);
  return folded;
}
