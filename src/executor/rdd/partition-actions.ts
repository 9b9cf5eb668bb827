import type { PartitionAction } from '../../protocol/task.js';
import { assertNever } from '../../common/assert.js';
import { KeyMap, compareValues } from '../../common/keys.js';
import { Rng, deriveSeed } from '../../common/rng.js';
import { expectPair } from './pairs.js';
import { drain } from './record-stream.js';
import type { TaskContext } from '../task-context.js';

/** The per-partition half of an action; the result is small and goes back by structured clone. */
export function runPartitionAction(
  records: Iterable<unknown>,
  action: PartitionAction,
  partition: number,
  context: TaskContext,
): unknown {
  switch (action.kind) {
    case 'count': {
      let count = 0;
      drain(records, () => {
        count++;
        context.tick();
      });
      return count;
    }
    case 'take': {
      const taken: unknown[] = [];
      if (action.n <= 0) return taken;
      for (const record of records) {
        taken.push(record);
        if (taken.length >= action.n) break;
      }
      return taken;
    }
    case 'take-ordered':
      return takeOrdered(records, action, context);
    case 'fold': {
      const fn = context.fn(action.fn);
      let hasValue = action.hasZero;
      let accumulator = action.zero;
      drain(records, (record) => {
        accumulator = hasValue ? fn(accumulator, record) : record;
        hasValue = true;
        context.tick();
      });
      return { hasValue, value: accumulator };
    }
    case 'foreach': {
      const fn = context.fn(action.fn);
      drain(records, (record) => {
        fn(record);
        context.tick();
      });
      return null;
    }
    case 'foreach-partition':
      context.fn(action.fn)(records);
      return null;
    case 'count-by-value': {
      const counts = new KeyMap<number>();
      drain(records, (record) => {
        counts.set(record, (counts.get(record) ?? 0) + 1);
        context.tick();
      });
      return Array.from(counts.entries());
    }
    case 'lookup': {
      const probe = new KeyMap<true>();
      probe.set(action.key, true);
      const found: unknown[] = [];
      for (const record of records) {
        const [key, value] = expectPair(record, 'lookup()');
        if (probe.has(key)) found.push(value);
      }
      return found;
    }
    case 'sample-keys':
      return sampleKeys(records, action.perPartition, deriveSeed(action.seed, partition), context);
    default:
      return assertNever(action, 'partition action');
  }
}

/** The `n` records with the smallest keys, in order, kept in a bounded sorted buffer (no full sort). */
function takeOrdered(
  records: Iterable<unknown>,
  action: Extract<PartitionAction, { kind: 'take-ordered' }>,
  context: TaskContext,
): unknown[] {
  const keyOf = action.keyFn === null ? (record: unknown) => record : context.fn(action.keyFn);
  const sign = action.descending ? -1 : 1;
  const best: { key: unknown; record: unknown }[] = [];
  if (action.n <= 0) return [];
  for (const record of records) {
    const key = keyOf(record);
    context.tick();
    if (best.length === action.n && sign * compareValues(key, best[best.length - 1]!.key) >= 0) continue;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sign * compareValues(best[middle]!.key, key) <= 0) low = middle + 1;
      else high = middle;
    }
    best.splice(low, 0, { key, record });
    if (best.length > action.n) best.pop();
  }
  return best.map((entry) => entry.record);
}

/**
 * Reservoir sample of the keys of `[key, value]` records, for range partitioner bounds: the `sample-keys` action,
 * and the map tasks of a one-pass sort (`shuffle/sorted-run-write.ts`), which must draw the same keys.
 */
export function sampleKeys(records: Iterable<unknown>, size: number, seed: number, context: TaskContext) {
  const rng = new Rng(seed);
  const keys: unknown[] = [];
  let recordCount = 0;
  for (const record of records) {
    const [key] = expectPair(record, 'sortByKey()');
    if (keys.length < size) keys.push(key);
    else {
      const slot = Math.floor(rng.nextFloat() * (recordCount + 1));
      if (slot < size) keys[slot] = key;
    }
    recordCount++;
    context.tick();
  }
  return { keys, recordCount };
}
