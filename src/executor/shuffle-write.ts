import type { Block } from '../protocol/block.js';
import type { Aggregator, PartitionerSpec } from '../protocol/pipeline.js';
import { encodeBlock } from '../storage/block-writer.js';
import { Combiner } from './combiner.js';
import { expectPair } from './pairs.js';
import { partitionFunction } from './partition-function.js';
import { drain } from './record-stream.js';
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
    drain(records, (record) => {
      const pair = expectPair(record, label);
      buckets[partitionOf(pair[0])]!.push(pair);
      context.tick();
    });
  } else {
    // Combine first, partition after: the partitioner's hash then runs once per distinct key, not per record.
    const combiner = new Combiner(mapSideCombine, false, context);
    drain(records, (record) => {
      const pair = expectPair(record, label);
      combiner.add(pair[0], pair[1]);
      context.tick();
    });
    buckets = Array.from({ length: n }, () => []);
    for (const entry of combiner.entries()) buckets[partitionOf(entry[0])]!.push(entry);
  }
  return buckets.map((bucket) => {
    if (bucket.length === 0) return emptyBlock();
    context.recordsWritten += bucket.length;
    const block = encodeBlock(bucket);
    context.bytesWritten += block.byteLength;
    context.beat();
    return block;
  });
}

let emptyBlockOfThisThread: Block | null = null;

/**
 * One empty block per thread, shared by every empty reduce bucket: with m map and r reduce partitions most of the
 * m × r buckets can be empty, and a SharedArrayBuffer each would make small jobs with many partitions slow.
 * Blocks are immutable, so sharing is safe.
 */
function emptyBlock(): Block {
  emptyBlockOfThisThread ??= encodeBlock([]);
  return emptyBlockOfThisThread;
}
