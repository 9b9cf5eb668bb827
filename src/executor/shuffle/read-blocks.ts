import { isSpilled, type Block, type BlockRef } from '../../protocol/block.js';
import { decodeBlock, decodeBlockRows } from '../../storage/blocks/block-reader.js';
import { verifyCachedBlock } from '../../storage/blocks/cached-block-verify.js';
import type { BlockRows } from '../../storage/map-outputs/map-output-reader.js';
import { openBlock } from '../../storage/arrow/spill-file.js';
import type { Pushable } from '../rdd/record-stream.js';
import type { TaskContext } from '../task-context.js';

/**
 * The records of committed blocks (cached partitions), in order, each verified against its checksum first
 * (DESIGN.md §5: a corrupt block is detected where it is read, never silently used; a cached partition in memory
 * once per thread, see `verifyCachedBlock`). Spilled blocks are read back
 * (`openBlock`: size and CRC-32 of the file checked) one at a time, just before they are decoded, so a task holds
 * one input block at a time; a missing or damaged spill file fails the same way as a corrupt block in memory.
 * (Shuffle input is read by `shuffleInputRows`.)
 */
export function readBlocks(blocks: readonly BlockRef[], what: string, context: TaskContext): Pushable<unknown> {
  const opened = function* () {
    for (let i = 0; i < blocks.length; i++) {
      const ref = blocks[i]!;
      if (ref.rows === 0) continue;
      // openBlock checks a spilled file's CRC-32, which is the block's checksum: no second pass over it.
      const block = openBlock(ref, `${what}, block ${i}`);
      if (!isSpilled(ref)) verifyCachedBlock(block, `${what}, block ${i}`);
      context.bytesRead += block.byteLength;
      context.beat();
      yield block;
    }
  };
  return recordsOfBlocks(opened);
}

/** The records of the blocks `blocks()` yields, in order, as a `Pushable` (each block decoded once, when reached). */
export function recordsOfBlocks(blocks: () => Iterable<Block>): Pushable<unknown> {
  return recordsOf(function* () {
    for (const block of blocks()) yield decodeBlock(block);
  });
}

/**
 * The records of the row ranges `rows()` yields (shuffle input read in place), in order, as a `Pushable`.
 *
 * @example
 * drain(recordsOfBlockRows(() => shuffleInputRows(node, what, context)), sink);
 */
export function recordsOfBlockRows(rows: () => Iterable<BlockRows>): Pushable<unknown> {
  return recordsOf(function* () {
    for (const { block, start, end } of rows()) yield decodeBlockRows(block, start, end);
  });
}

function recordsOf(decoded: () => Iterable<unknown[]>): Pushable<unknown> {
  return {
    pushInto(sink) {
      for (const records of decoded()) for (let j = 0; j < records.length; j++) sink(records[j]);
    },
    *[Symbol.iterator]() {
      for (const records of decoded()) yield* records;
    },
  };
}
