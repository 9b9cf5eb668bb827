import { join } from 'node:path';
import type { Block, BlockRef } from '../protocol/block.js';
import type { Aggregator, PartitionerSpec } from '../protocol/pipeline.js';
import type { ShuffleSpillSpec } from '../protocol/task.js';
import { encodeBlock } from '../storage/block-writer.js';
import { spillBlock } from '../storage/spill-file.js';
import { Combiner } from './combiner.js';
import { expectPair } from './pairs.js';
import { partitionFunction } from './partition-function.js';
import { drain } from './record-stream.js';
import type { TaskContext } from './task-context.js';

/**
 * The map side of a shuffle: routes each `[key, value]` record to its reduce partition and writes one block per
 * reduce partition. With an aggregator, values are combined per key first (map-side combine), so the shuffle is
 * sized by distinct keys, not by input records.
 *
 * With `spill` (DESIGN.md §6), blocks stay in shared memory while their running total is within
 * `spill.bytesInMemoryMax`; each later non-empty block is written to an Arrow IPC file as soon as it is encoded and
 * dropped, so the task holds at most one block beyond that bound. Files are named by shuffle, map partition, task
 * id and reduce partition, so no two attempts ever write the same file.
 */
export function writeShuffle(
  records: Iterable<unknown>,
  partitioner: PartitionerSpec,
  mapSideCombine: Aggregator | null,
  label: string,
  context: TaskContext,
  spill: TaskSpill | null = null,
): BlockRef[] {
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
  const sink = new ShuffleBlockSink(spill, context);
  return buckets.map((bucket, reducePartition) => {
    if (bucket.length === 0) return emptyBlock();
    const block = encodeBlock(bucket);
    // The records are encoded: let the bucket go before the next one is, so the heap holds one copy at a time.
    buckets[reducePartition] = [];
    return sink.accept(block, reducePartition);
  });
}

/** Where a map task spills (its `ShuffleSpillSpec` plus the names its files need). */
export type TaskSpill = ShuffleSpillSpec & {
  readonly shuffleId: number;
  readonly mapPartition: number;
  readonly taskId: number;
};

/**
 * Takes a map task's output blocks one reduce partition at a time (RDD and columnar writers alike): counts them
 * into the task's metrics and keeps each in shared memory while the running total is within
 * `spill.bytesInMemoryMax`, else writes it to an Arrow IPC file at once and returns the file's reference.
 *
 * @example
 * const sink = new ShuffleBlockSink(spill, context);
 * const refs = blocks.map((block, p) => sink.accept(block, p));
 */
export class ShuffleBlockSink {
  private bytesInMemory = 0;
  private readonly spill: TaskSpill | null;
  private readonly context: TaskContext;

  constructor(spill: TaskSpill | null, context: TaskContext) {
    this.spill = spill;
    this.context = context;
  }

  /** The block, or the reference of the file it was spilled to. */
  accept(block: Block, reducePartition: number): BlockRef {
    const { spill, context } = this;
    context.recordsWritten += block.rows;
    context.bytesWritten += block.byteLength;
    context.beat();
    if (spill === null || block.rows === 0 || this.bytesInMemory + block.buffer.byteLength <= spill.bytesInMemoryMax) {
      this.bytesInMemory += block.buffer.byteLength;
      return block;
    }
    const name = `map-${spill.mapPartition}-task-${spill.taskId}-reduce-${reducePartition}.arrow`;
    const ref = spillBlock(block, join(spill.dir, `shuffle-${spill.shuffleId}`, name));
    context.spillBytes += block.byteLength;
    context.beat();
    return ref;
  }
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
