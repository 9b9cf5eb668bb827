import type { Block } from '../protocol/block.js';
import type { Aggregator, PartitionerSpec } from '../protocol/pipeline.js';
import { encodeBlock } from '../storage/block-writer.js';
import { Combiner } from './combiner.js';
import { expectPair } from './pairs.js';
import { partitionFunction } from './partition-function.js';
import type { TaskContext } from './task-context.js';

/**
 * The map side of a shuffle: routes each `[key, value]` record to its reduce partition and writes one block per
 * reduce partition. With an aggregator, values are combined per key first (map-side combine), so the shuffle is
 * sized by distinct keys, not by input records.
 */
export function writeShuffle(
  records: Iterable<unknown>,
  partitioner: PartitionerSpec,
  mapSideCombine: Aggregator | null,
  label: string,
  context: TaskContext,
): Block[] {
  const partitionOf = partitionFunction(partitioner);
  const n = partitioner.numPartitions;
  let buckets: unknown[][];
  if (mapSideCombine === null) {
    buckets = Array.from({ length: n }, () => []);
    for (const record of records) {
      const pair = expectPair(record, label);
      buckets[partitionOf(pair[0])]!.push(pair);
      context.tick();
    }
  } else {
    const combiners = Array.from({ length: n }, () => new Combiner(mapSideCombine, false, context));
    for (const record of records) {
      const [key, value] = expectPair(record, label);
      combiners[partitionOf(key)]!.add(key, value);
      context.tick();
    }
    buckets = combiners.map((combiner) => Array.from(combiner.combiners.entries()));
  }
  return buckets.map((bucket) => {
    context.recordsWritten += bucket.length;
    const block = encodeBlock(bucket);
    context.bytesWritten += block.byteLength;
    context.beat();
    return block;
  });
}
