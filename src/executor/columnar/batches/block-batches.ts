/**
 * The batches a columnar stage reads from blocks: cached or source partitions (in shared memory or spilled), and a
 * reduce partition's shuffle input, each a view of its block; and the progress beat of a source's reads. Moved out of
 * evaluate.ts, which chooses among a stage's inputs.
 */
import { isSpilled, type BlockRef } from '../../../protocol/block.js';
import { openBlock } from '../../../storage/arrow/spill-file.js';
import { verifyCachedBlock } from '../../../storage/blocks/cached-block-verify.js';
import type { Batch } from './batch.js';
import { blockToBatch } from './blocks.js';
import { markRetained } from './retained-buffers.js';
import { shuffleInputRows, type ShuffleReadNode } from '../../shuffle/shuffle-input.js';
import type { TaskContext } from '../../task-context.js';

/** Counts a source's bytes read and beats the task's heartbeat (a long line's reads are its progress). */
export function onBytes(context: TaskContext): (bytes: number) => void {
  return (bytes) => {
    context.bytesRead += bytes;
    context.beat();
  };
}

/**
 * Batches of blocks (in shared memory or spilled), each opened just before use and checked (a corrupt or missing
 * one fails the task): a spilled one by `openBlock` (the file's CRC), one in memory by `verifyCachedBlock` (a cached
 * partition once per thread, anything else on every read).
 */
export function* readBlockBatches(refs: readonly BlockRef[], what: string, context: TaskContext): Generator<Batch> {
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i]!;
    // A block of no rows is opened only for its columns: when it is the first block, which `schemaKept` keeps
    // when no other block has rows.
    if (ref.rows === 0 && i > 0) continue;
    const where = `${what}, block ${i}`;
    const block = openBlock(ref, where);
    if (!isSpilled(ref)) {
      verifyCachedBlock(block, where);
      markRetained(block.buffer);
    }
    const batch = blockToBatch(block, where, false);
    context.bytesRead += ref.byteLength;
    context.beat();
    yield batch;
  }
}

/**
 * Batches of a reduce partition's shuffle input, views of the map outputs (checked by `shuffleInputRows`: a corrupt block becomes a
 * `FetchFailedError`, so the scheduler recomputes that map output instead of retrying this task).
 */
export function* shuffleBatches(node: ShuffleReadNode, context: TaskContext, keepEmpty: boolean): Generator<Batch> {
  const what = `shuffle ${node.shuffleId} input`;
  let yielded = false;
  for (const rows of shuffleInputRows(node, what, context, keepEmpty)) {
    yielded = true;
    yield blockToBatch(rows.block, what, false, rows.start, rows.end);
  }
  if (yielded) return;
  // No map output has rows for this partition: the first one that carries the columns tells them (an empty reduce
  // partition of a sort, a distinct or a window keeps its schema). Read only in that case, and only up to it.
  for (const rows of shuffleInputRows(node, what, context, true)) {
    yield blockToBatch(rows.block, what, false, rows.start, rows.end);
    return;
  }
}
