/**
 * One warm thread of {@link IntAggregateThreads}: aggregates the row slice it is given, posts its groups split by
 * key hash into shared memory, then merges the part it is given from every thread (sums, counts, means).
 */
import { parentPort, workerData } from 'node:worker_threads';

import { aggregateInt32 } from './int-aggregate-native.js';
import {
  partOfKey,
  type IntAggregateMessage,
  type IntAggregatePart,
  type MergedGroups,
} from './int-aggregate-native-threads.js';

const port = parentPort!;
const { keys, values, parts } = workerData as { keys: Int32Array; values: Float64Array; parts: number };
/** The groups of the last merge, kept for a check (`result`); a job replies with their number only. */
let lastMerged: MergedGroups = {
  keys: new Int32Array(0),
  sums: new Float64Array(0),
  counts: new Float64Array(0),
  means: new Float64Array(0),
};

port.on('message', (message: IntAggregateMessage) => {
  if (message.kind === 'aggregate') {
    const { from, to } = message;
    const reply: IntAggregateMessage = {
      kind: 'aggregated',
      parts: splitByHash(aggregateInt32(keys.subarray(from, to), values.subarray(from, to), to - from)),
    };
    port.postMessage(reply);
  } else if (message.kind === 'merge') {
    lastMerged = mergeParts(message.parts);
    const reply: IntAggregateMessage = { kind: 'merged', groups: lastMerged.keys.length };
    port.postMessage(reply);
  } else if (message.kind === 'result') {
    const reply: IntAggregateMessage = { kind: 'merged-groups', groups: lastMerged };
    port.postMessage(reply);
  }
});

function splitByHash(result: ReturnType<typeof aggregateInt32>): IntAggregatePart[] {
  const sizes = new Int32Array(parts);
  for (let g = 0; g < result.groups; g++) sizes[partOfKey(result.keys[g]!, parts)]!++;
  const out = Array.from({ length: parts }, (_, p) => ({
    keys: new Int32Array(new SharedArrayBuffer(sizes[p]! * 4)),
    sums: new Float64Array(new SharedArrayBuffer(sizes[p]! * 8)),
    counts: new Float64Array(new SharedArrayBuffer(sizes[p]! * 8)),
  }));
  sizes.fill(0);
  for (let g = 0; g < result.groups; g++) {
    const key = result.keys[g]!;
    const p = partOfKey(key, parts);
    const at = sizes[p]!++;
    const part = out[p]!;
    part.keys[at] = key;
    part.sums[at] = result.sums[g]!;
    part.counts[at] = result.counts[g]!;
  }
  return out;
}

/**
 * Sums and counts of every key of `inputs` in an open-addressing table sized for all of them at once; returns the
 * groups with their means. The slot comes from a second multiplier: the parts already share the Fibonacci hash's top bits.
 */
function mergeParts(inputs: readonly IntAggregatePart[]): MergedGroups {
  const most = inputs.reduce((sum, part) => sum + part.keys.length, 0);
  let bits = 1;
  while (1 << bits < 2 * most) bits++;
  const slots = new Int32Array(1 << bits);
  const mask = slots.length - 1;
  const groupKeys = new Int32Array(most);
  const sums = new Float64Array(most);
  const counts = new Float64Array(most);
  let groups = 0;
  for (const part of inputs) {
    for (let i = 0; i < part.keys.length; i++) {
      const key = part.keys[i]!;
      let slot = Math.imul(key, 0x85ebca6b) >>> (32 - bits);
      let entry: number;
      while ((entry = slots[slot]!) !== 0 && groupKeys[entry - 1] !== key) slot = (slot + 1) & mask;
      if (entry === 0) {
        entry = ++groups;
        slots[slot] = entry;
        groupKeys[entry - 1] = key;
      }
      sums[entry - 1] = sums[entry - 1]! + part.sums[i]!;
      counts[entry - 1] = counts[entry - 1]! + part.counts[i]!;
    }
  }
  const means = new Float64Array(groups);
  for (let g = 0; g < groups; g++) means[g] = sums[g]! / counts[g]!;
  return {
    keys: groupKeys.subarray(0, groups),
    sums: sums.subarray(0, groups),
    counts: counts.subarray(0, groups),
    means,
  };
}
