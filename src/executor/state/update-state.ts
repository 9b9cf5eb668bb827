import type { UpdateStateSpec } from '../../protocol/state.js';
import { stateFilePath } from '../../protocol/state.js';
import { KeyMap } from '../../common/keys.js';
import { expectPair } from '../rdd/pairs.js';
import type { TaskContext } from '../task-context.js';
import { putCachedState, takeCachedState } from './state-cache.js';
import { loadStatePartition, snapshotRows, writeStatePart, type DeltaRow, type StateEntry } from './state-partition.js';
import { dropFinalWindows, reduceValues } from './final-windows.js';
import { windowOf } from '../../common/window-keys.js';

/**
 * `updateStateByKey` for one partition of one batch (DESIGN.md §8). The input is the batch's `[key, value]` pairs,
 * hash-partitioned like the state (grouped here, so a batch already partitioned that way, after a `reduceByKey` with
 * the state's partition count, needs no shuffle at all); the previous version of this state partition comes from
 * `spec.inputs[partition]`. Calls `fn(values, state)` for each key with new values (and, with a timeout, once with
 * `[]` for keys idle that long, which are then dropped; with event-time windows, windows the watermark has passed
 * are dropped as final), yields what `spec.emit` asks for, and once the input is
 * exhausted writes the delta (and the snapshot when due) under names of this version and reports the new version in
 * `context.stateWrites`. Files of a failed attempt are overwritten by the next attempt's identical ones; the driver
 * records a version only when its batch commits, so a version nobody committed is never read.
 */
export function* updateState(
  input: Iterable<unknown>,
  spec: UpdateStateSpec,
  partition: number,
  context: TaskContext,
): Generator<unknown> {
  const where = `state ${spec.operator}, partition ${partition}, version ${spec.version - 1}`;
  const previous = spec.inputs[partition] ?? { version: -1, blocks: [], files: [] };
  const state = takeCachedState(spec.dir, partition, previous.version) ?? loadStatePartition(previous, where, context);
  const fn = context.fn(spec.fn);
  const now = spec.batchTimestampMs;
  const delta: DeltaRow[] = [];
  const updated = new KeyMap<true>();
  let removed = 0;
  for (const [key, values] of groupByKey(input, context)) {
    const entry = state.get(key);
    const next: unknown =
      spec.fold === 'reduce'
        ? reduceValues(fn as (a: unknown, b: unknown) => unknown, values, entry?.value)
        : fn(values, entry?.value);
    context.tick();
    if (next === undefined) {
      if (entry === undefined) continue;
      state.delete(key);
      delta.push({ key, value: null, updatedMs: now, removed: true });
      removed++;
      continue;
    }
    state.set(key, { value: next, updatedMs: now });
    delta.push({ key, value: next, updatedMs: now, removed: false });
    if (spec.timeoutMs !== null) updated.set(key, true);
    if (spec.emit === 'update') yield [spec.window === null ? key : windowOf(key), next];
  }
  if (spec.timeoutMs !== null) removed += yield* expireIdleKeys(state, spec, updated, delta, context);
  let windowEndMinMs: number | null = null;
  if (spec.window !== null) {
    const windows = yield* dropFinalWindows(state, spec, delta, context);
    removed += windows.dropped;
    windowEndMinMs = windows.windowEndMinMs;
  }
  if (spec.emit === 'complete') {
    for (const [key, entry] of state.entries()) yield [key, entry.value];
  }
  const dir = spec.dir;
  context.stateWrites.push({
    operator: spec.operator,
    partition,
    version: spec.version,
    delta: delta.length === 0 ? null : writeStatePart(delta, stateFilePath(dir, partition, spec.version, 'delta')),
    snapshot: spec.snapshot
      ? writeStatePart(snapshotRows(state), stateFilePath(dir, partition, spec.version, 'snapshot'))
      : null,
    rowsTotal: state.size,
    rowsUpdated: delta.length - removed,
    rowsRemoved: removed,
    windowEndMinMs,
  });
  putCachedState(dir, partition, spec.version, state);
  context.beat();
}

/**
 * The batch's `[key, value]` pairs as `[key, values]`, keys in order of first appearance (so the order of the
 * state map, and of `update` output, is the same in every run over the same input).
 */
function groupByKey(input: Iterable<unknown>, context: TaskContext): [unknown, unknown[]][] {
  const groups = new KeyMap<unknown[]>();
  const order: [unknown, unknown[]][] = [];
  for (const record of input) {
    const [key, value] = expectPair(record, 'updateStateByKey()');
    const values = groups.get(key);
    if (values === undefined) {
      const created = [value];
      groups.set(key, created);
      order.push([key, created]);
    } else values.push(value);
    context.tick();
  }
  return order;
}

/**
 * Keys whose last update is `timeoutMs` or more before this batch get `fn([], state)`: its result is emitted in
 * `update` mode (so the caller sees the final state), then the key is dropped. Keys updated in this batch never
 * time out. Returns how many keys were removed.
 */
function* expireIdleKeys(
  state: KeyMap<StateEntry>,
  spec: UpdateStateSpec,
  updated: KeyMap<true>,
  delta: DeltaRow[],
  context: TaskContext,
): Generator<unknown, number> {
  const fn = context.fn(spec.fn);
  const now = spec.batchTimestampMs;
  const idle: [unknown, StateEntry][] = [];
  for (const [key, entry] of state.entries()) {
    if (!updated.has(key) && now - entry.updatedMs >= spec.timeoutMs!) idle.push([key, entry]);
  }
  for (const [key, entry] of idle) {
    const last: unknown = fn([], entry.value);
    context.tick();
    state.delete(key);
    delta.push({ key, value: null, updatedMs: now, removed: true });
    if (spec.emit === 'update' && last !== undefined) yield [key, last];
  }
  return idle.length;
}
