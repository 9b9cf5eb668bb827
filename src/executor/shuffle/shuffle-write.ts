import { join } from 'node:path';
import type { MapOutputRef } from '../../protocol/map-output.js';
import type { Aggregator, PartitionerSpec } from '../../protocol/pipeline.js';
import type { ShuffleSpillSpec } from '../../protocol/task.js';
import { encodeBlock } from '../../storage/blocks/block-writer.js';
import { chunkOfBlock, MapOutputWriter, type PendingChunk } from '../../storage/map-outputs/map-output-writer.js';
import { Combiner } from '../rdd/combiner.js';
import { expectPair } from '../rdd/pairs.js';
import { partitionFunction } from './partition-function.js';
import { drain } from '../rdd/record-stream.js';
import type { TaskContext } from '../task-context.js';

/**
 * The map side of a shuffle: routes each `[key, value]` record to its reduce partition and writes them in
 * partition order, a block per chunk of consecutive partitions, all packed into one map output. With an aggregator, values are combined per key
 * first (map-side combine), so the shuffle is sized by distinct keys, not by input records.
 *
 * With `spill` (DESIGN.md §6), the output stays in shared memory while it is within `spill.bytesInMemoryMax`;
 * past that it goes to one file, written a chunk at a time as chunks are encoded, so the task holds about
 * that bound plus a chunk.
 */
export function writeShuffle(
  records: Iterable<unknown>,
  partitioner: PartitionerSpec,
  mapSideCombine: Aggregator | null,
  label: string,
  context: TaskContext,
  spill: TaskSpill | null = null,
): MapOutputRef {
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
  return writeBuckets(buckets, spill, context);
}

/**
 * Writes `buckets[p]` as reduce partition p's rows of one map output, in chunks of consecutive partitions (see
 * {@link CHUNK_RECORDS_MAX}); empties each bucket once it is in a chunk, so the heap holds one copy of the records.
 */
export function writeBuckets(buckets: unknown[][], spill: TaskSpill | null, context: TaskContext): MapOutputRef {
  const n = buckets.length;
  const sink = new ShuffleOutputSink(n, spill, context);
  try {
    let chunk: unknown[] = [];
    let first = 0;
    let rowsPerPartition: number[] = [];
    const flush = (): void => {
      if (rowsPerPartition.length === 0) return;
      // Encoded into a plain buffer: the sink copies it into the packed output, so it needs no shared memory.
      sink.acceptChunk(chunkOfBlock(encodeBlock(chunk, false)), first, rowsPerPartition);
      chunk = [];
      rowsPerPartition = [];
    };
    for (let p = 0; p < n; p++) {
      const bucket = buckets[p]!;
      if (chunk.length > 0 && chunk.length + bucket.length > CHUNK_RECORDS_MAX) flush();
      if (rowsPerPartition.length === 0) {
        if (bucket.length === 0) continue;
        first = p;
      }
      for (let i = 0; i < bucket.length; i++) chunk.push(bucket[i]);
      rowsPerPartition.push(bucket.length);
      // The records are in the chunk: let the bucket go, so the heap holds one copy of them.
      buckets[p] = [];
    }
    flush();
    return sink.finish();
  } catch (error: unknown) {
    sink.abandon();
    throw error;
  }
}

/**
 * Records per chunk of a map output (a chunk is one block over consecutive reduce partitions; a bigger partition
 * is a chunk of its own): few blocks per map task whatever the number of reduce partitions, and at most this many
 * records held twice (as values and encoded) while a chunk is encoded.
 */
export const CHUNK_RECORDS_MAX = 1 << 16;

/** Where a map task spills (its `ShuffleSpillSpec` plus the names its files need). */
export type TaskSpill = ShuffleSpillSpec & {
  readonly shuffleId: number;
  readonly mapPartition: number;
  readonly taskId: number;
};

/**
 * Takes a map task's output in chunks of consecutive reduce partitions, in order (RDD and columnar writers alike),
 * counts them into the task's metrics, and packs them into one map output (storage/map-outputs/): in shared memory
 * while it is within `spill.bytesInMemoryMax`, else in one file (named by shuffle, map partition and task id, so no
 * two attempts ever write the same file).
 *
 * @example
 * const sink = new ShuffleOutputSink(n, spill, context);
 * sink.acceptChunk(chunkOfBlock(encodeBlock(records, false)), 0, rowsPerPartition);
 * const output = sink.finish();
 */
export class ShuffleOutputSink {
  private readonly writer: MapOutputWriter;
  private readonly context: TaskContext;

  constructor(partitions: number, spill: TaskSpill | null, context: TaskContext) {
    this.context = context;
    this.writer = new MapOutputWriter(
      partitions,
      spill === null
        ? null
        : {
            path: join(spill.dir, `shuffle-${spill.shuffleId}`, `map-${spill.mapPartition}-task-${spill.taskId}.kmo`),
            bytesInMemoryMax: spill.bytesInMemoryMax,
          },
    );
  }

  /**
   * Adds a chunk: `chunk` holds the rows of reduce partitions `firstPartition`, `firstPartition + 1` … in order,
   * `rowsPerPartition[i]` of them for the i-th (chunks in increasing partition order; partitions skipped are empty).
   * Its bytes are written when the output is filled (at `finish`, or at once when the output spills).
   */
  acceptChunk(chunk: PendingChunk, firstPartition: number, rowsPerPartition: ArrayLike<number>): void {
    this.context.recordsWritten += chunk.rows;
    this.context.bytesWritten += this.writer.addChunk(chunk, firstPartition, rowsPerPartition);
    this.context.beat();
  }

  finish(): MapOutputRef {
    const output = this.writer.finish();
    if (output.kind === 'spilled') this.context.spillBytes += output.byteLength;
    return output;
  }

  /** Removes a half-written spill file. */
  abandon(): void {
    this.writer.abandon();
  }
}
