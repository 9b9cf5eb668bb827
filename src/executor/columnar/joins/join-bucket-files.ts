/**
 * One side of a spilling hash join written into buckets of spill files (`spilling-hash-join.ts`): rows are split
 * by bucket as their batches come, held until about `flushBytes` of input has come, then each bucket's held rows
 * are written as one Arrow IPC spill file (`storage/arrow/spill-file.ts`: CRC-32, read back into shared memory). So the
 * side is held in memory at most `flushBytes` at a time, whatever its size. Reading a bucket back checks every
 * file; a missing or corrupt one throws `BlockCorruptError` and fails the task, which is retried from lineage.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import type { SpilledBlock } from '../../../protocol/block.js';
import { openBlock, spillBlock } from '../../../storage/arrow/spill-file.js';
import type { Batch } from '../batches/batch.js';
import { batchesToBlock, batchToBlock } from '../batches/batch-to-block.js';
import { blockToBatch } from '../batches/blocks.js';
import { concatBatches } from '../batches/concat-batches.js';
import { batchBytes, rowBuckets, splitByBucket, type NullSpread } from './join-buckets.js';

/** How a side is bucketed: its key columns, the bucketing level's seed, and the bucket count. */
export interface Bucketing {
  readonly keys: readonly string[];
  readonly seed: number;
  readonly buckets: number;
}

/**
 * A side's buckets in spill files under `dir`, named `<name>-<bucket>-<file>.arrow`.
 *
 * @example
 * const files = new BucketFiles(dir, 'build', bucketing, 1 << 24, (bytes) => (context.spillBytes += bytes));
 * for (const batch of batches) files.add(batch);
 * files.finish();
 * for (const batch of files.batchesOf(3, 'join bucket 3')) use(batch);
 */
export class BucketFiles {
  /** Bytes each bucket's rows take in memory (`batchBytes`; its files add Arrow framing per file). */
  readonly bytes: Float64Array;
  /** Rows written to each bucket. */
  readonly rows: Float64Array;
  private readonly files: SpilledBlock[][];
  private readonly held: Batch[][];
  private heldBytes = 0;
  private readonly dir: string;
  private readonly name: string;
  private readonly bucketing: Bucketing;
  private readonly flushBytes: number;
  private readonly onWritten: (bytes: number) => void;
  /** The round robin of this side's null-key rows, on from batch to batch (`rowBuckets`). */
  private readonly nullSpread: NullSpread = { next: 0 };

  constructor(dir: string, name: string, bucketing: Bucketing, flushBytes: number, onWritten: (bytes: number) => void) {
    this.dir = dir;
    this.name = name;
    this.bucketing = bucketing;
    this.flushBytes = flushBytes;
    this.onWritten = onWritten;
    const n = bucketing.buckets;
    this.bytes = new Float64Array(n);
    this.rows = new Float64Array(n);
    this.files = Array.from({ length: n }, () => []);
    this.held = Array.from({ length: n }, () => []);
  }

  /** Splits the batch's rows into their buckets; writes every bucket's held rows once `flushBytes` came in. */
  add(batch: Batch): void {
    if (batch.rows === 0) return;
    const { keys, seed, buckets } = this.bucketing;
    const parts = splitByBucket(batch, rowBuckets(batch, keys, seed, buckets, this.nullSpread), buckets);
    for (let b = 0; b < buckets; b++) {
      const part = parts[b];
      if (part === null || part === undefined) continue;
      const bytes = batchBytes(part);
      this.held[b]!.push(part);
      this.bytes[b] = this.bytes[b]! + bytes;
      // The parts' strings are views of the batch's bytes: together they cost about the batch's size.
      this.heldBytes += bytes;
    }
    if (this.heldBytes >= this.flushBytes) this.flush();
  }

  /** Writes what is still held: every row added is then in a file. */
  finish(): void {
    this.flush();
  }

  /** The bucket's rows, a file at a time, each checked (size, CRC-32, structure) as it is read. */
  *batchesOf(bucket: number, where: string): Generator<Batch> {
    for (const ref of this.files[bucket]!) {
      yield blockToBatch(openBlock(ref, where), where, false);
    }
  }

  /** Deletes the bucket's files (its rows were split again into a deeper level's buckets). */
  remove(bucket: number): void {
    for (const ref of this.files[bucket]!) rmSync(ref.path, { force: true });
    this.files[bucket] = [];
  }

  private flush(): void {
    for (let b = 0; b < this.held.length; b++) {
      const parts = this.held[b]!;
      if (parts.length === 0) continue;
      // Parts of differently typed batches (an all-null column read as float64) are concatenated (widened) first.
      const block = batchesToBlock(parts, false) ?? batchToBlock(concatBatches(parts)!, false);
      const path = join(this.dir, `${this.name}-${b}-${this.files[b]!.length}.arrow`);
      const ref = spillBlock(block, path);
      this.files[b]!.push(ref);
      this.rows[b] = this.rows[b]! + block.rows;
      this.onWritten(ref.byteLength);
      this.held[b] = [];
    }
    this.heldBytes = 0;
  }
}
