import type { Block } from '../protocol/block.js';
import { decodeBlock } from '../storage/block-reader.js';
import { verifyBlock } from '../storage/block-verify.js';
import { BlockCorruptError } from '../storage/block-corrupt-error.js';
import { FetchFailedError } from './fault-fetch-failed.js';
import type { Pushable } from './record-stream.js';
import type { TaskContext } from './task-context.js';

/**
 * The records of committed blocks, in order, each verified against its checksum first (DESIGN.md §5: a corrupt
 * block is detected where it is read, never silently used). With `shuffleId`, `blocks` are that shuffle's map
 * outputs in map-partition order, and a corrupt one throws `FetchFailedError` naming its map partition, so the
 * scheduler recomputes just that map output.
 */
export function readBlocks(
  blocks: readonly Block[],
  what: string,
  context: TaskContext,
  shuffleId?: number,
): Pushable<unknown> {
  const decoded = function* () {
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i]!;
      if (block.rows === 0) continue;
      try {
        verifyBlock(block, `${what}, block ${i}`);
      } catch (error: unknown) {
        if (shuffleId === undefined || !(error instanceof BlockCorruptError)) throw error;
        throw new FetchFailedError(shuffleId, i, error.message, { cause: error });
      }
      context.bytesRead += block.byteLength;
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
