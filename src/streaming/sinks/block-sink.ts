import type { Block } from '../../protocol/block.js';
import type { TwoPhaseCommitSink } from '../../protocol/sink.js';
import { encodeBlock } from '../../storage/blocks/block-writer.js';

/**
 * The prepare half of the driver-side sinks (`foreachBatch`, `memory`, `console`): each task hands its partition
 * back as a block in shared memory. Not durable: a batch whose blocks were lost with the process is rerun, which is
 * why those sinks are at-least-once (as in Spark) and never roll forward.
 */
export const blockSink: TwoPhaseCommitSink<Block> = {
  prepare(_batchId, _partition, rows) {
    return encodeBlock(rows);
  },
  commit() {},
  abort() {},
};
