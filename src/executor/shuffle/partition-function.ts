import type { PartitionerSpec } from '../../protocol/pipeline.js';
import { compareValues, hashPartition } from '../../common/keys.js';

/**
 * The worker-side form of a partitioner: key → reduce partition. Hash: the deterministic key hash modulo the count.
 * Range: the number of bounds below the key (bound `i` is the inclusive upper end of partition `i`), found by binary
 * search; descending sorts reverse the order.
 */
export function partitionFunction(spec: PartitionerSpec): (key: unknown) => number {
  if (spec.kind === 'hash') {
    const n = spec.numPartitions;
    return n === 1 ? () => 0 : (key) => hashPartition(key, n);
  }
  // Direct: the key is the target partition, or `[target, sortKey]` (repartitionAndSortWithinPartitions, whose
  // reduce side then sorts by the whole key, so by sortKey within the partition).
  if (spec.kind === 'direct') return (key) => (Array.isArray(key) ? key[0] : key) as number;
  const { bounds, ascending } = spec;
  const last = bounds.length;
  return (key) => {
    let low = 0;
    let high = last;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareValues(bounds[middle], key) < 0) low = middle + 1;
      else high = middle;
    }
    return ascending ? low : last - low;
  };
}
