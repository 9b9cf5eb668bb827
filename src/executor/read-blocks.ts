import type { Block } from '../protocol/block.js';
import { decodeBlock } from '../storage/block-reader.js';
import { verifyBlock } from '../storage/block-verify.js';
import type { Pushable } from './record-stream.js';
import type { TaskContext } from './task-context.js';

/**
 * The records of committed blocks, in order, each verified against its checksum first (DESIGN.md §5: a corrupt
 * block is detected where it is read, never silently used).
 */
export function readBlocks(blocks: readonly Block[], what: string, context: TaskContext): Pushable<unknown> {
  const decoded = function* () {
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i]!;
      if (block.rows === 0) continue;
      verifyBlock(block, `${what}, block ${i}`);
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
