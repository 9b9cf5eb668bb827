import type { Block, BlockRef } from '../protocol/block.js';
import { decodeBlock } from '../storage/block-reader.js';
import { verifyBlock } from '../storage/block-verify.js';
import { BlockCorruptError } from '../storage/block-corrupt-error.js';
import { isSpilled, openBlock } from '../storage/spill-file.js';
import { FetchFailedError } from './fault-fetch-failed.js';
import type { Pushable } from './record-stream.js';
import type { TaskContext } from './task-context.js';

/**
 * The records of committed blocks, in order, each verified against its checksum first (DESIGN.md §5: a corrupt
 * block is detected where it is read, never silently used). With `shuffleId`, `blocks` are that shuffle's map
 * outputs in map-partition order, and a corrupt one throws `FetchFailedError` naming its map partition, so the
 * scheduler recomputes just that map output. Spilled blocks are read back (`openBlock`: size and CRC-32 of the
 * file checked) one at a time, just before they are decoded, so a task holds one input block at a time; a missing
 * or damaged spill file fails the same way as a corrupt block in memory.
 */
export function readBlocks(
  blocks: readonly BlockRef[],
  what: string,
  context: TaskContext,
  shuffleId?: number,
): Pushable<unknown> {
  const decoded = function* () {
    for (let i = 0; i < blocks.length; i++) {
      const ref = blocks[i]!;
      if (ref.rows === 0) continue;
      let block: Block;
      try {
        // openBlock checks a spilled file's CRC-32, which is the block's checksum: no second pass over it.
        block = openBlock(ref, `${what}, block ${i}`);
        if (!isSpilled(ref)) verifyBlock(block, `${what}, block ${i}`);
      } catch (error: unknown) {
        if (shuffleId === undefined || !(error instanceof BlockCorruptError)) throw error;
        throw new FetchFailedError(shuffleId, i, error.message, { cause: error });
      }
      context.bytesRead += block.byteLength;
      if (shuffleId !== undefined) context.shuffleReadBytes += block.byteLength;
      const records = decodeBlock(block);
      context.beat();
      yield records;
    }
  };
  return {
    pushInto(sink) {
      for (const records of decoded()) for (let j = 0; j < records.length; j++) sink(records[j]);
    },
    *[Symbol.iterator]() {
      for (const records of decoded()) yield* records;
    },
  };
}
