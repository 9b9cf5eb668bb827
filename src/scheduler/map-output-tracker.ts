import type { Block } from '../protocol/block.js';
import { assert } from '../common/assert.js';

/**
 * Which map outputs of each shuffle exist (Spark's `MapOutputTracker`): for every map partition, its blocks, one per
 * reduce partition, or nothing when it has not run or its output was lost. Blocks are opaque handles here; the
 * scheduler never reads their buffers.
 */
export class MapOutputTracker {
  private readonly outputs = new Map<number, (readonly Block[] | undefined)[]>();

  /** Registers a shuffle with `mapPartitions` map tasks; registering again keeps what is there. */
  register(shuffleId: number, mapPartitions: number): void {
    if (!this.outputs.has(shuffleId)) this.outputs.set(shuffleId, new Array(mapPartitions).fill(undefined));
  }

  /** Records the blocks of a finished map task. The first committed output wins; later attempts are dropped. */
  commit(shuffleId: number, mapPartition: number, blocks: readonly Block[]): boolean {
    const outputs = this.outputs.get(shuffleId);
    assert(outputs !== undefined, `shuffle ${shuffleId} is registered`);
    if (outputs[mapPartition] !== undefined) return false;
    outputs[mapPartition] = blocks;
    return true;
  }

  /** Map partitions whose output is missing (never run, or lost). */
  missing(shuffleId: number): number[] {
    const outputs = this.outputs.get(shuffleId);
    if (outputs === undefined) return [];
    const missing: number[] = [];
    outputs.forEach((blocks, index) => {
      if (blocks === undefined) missing.push(index);
    });
    return missing;
  }

  isRegistered(shuffleId: number): boolean {
    return this.outputs.has(shuffleId);
  }

  /** The blocks every map task wrote for `reducePartition`, in map order. All map outputs must be present. */
  blocksFor(shuffleId: number, reducePartition: number): Block[] {
    const outputs = this.outputs.get(shuffleId);
    assert(outputs !== undefined, `shuffle ${shuffleId} is registered`);
    return outputs.map((blocks, mapPartition) => {
      assert(blocks !== undefined, `map output ${mapPartition} of shuffle ${shuffleId} is present`);
      const block = blocks[reducePartition];
      assert(
        block !== undefined,
        `map output ${mapPartition} of shuffle ${shuffleId} has reduce partition ${reducePartition}`,
      );
      return block;
    });
  }

  /** Forgets a map output (lost or corrupt): the next job that needs it recomputes it from lineage. */
  markLost(shuffleId: number, mapPartition: number): void {
    const outputs = this.outputs.get(shuffleId);
    if (outputs !== undefined) outputs[mapPartition] = undefined;
  }

  /** Bytes held by all map outputs, for the memory budget. */
  bytesUsed(): number {
    let total = 0;
    for (const outputs of this.outputs.values()) {
      for (const blocks of outputs) for (const block of blocks ?? []) total += block.byteLength;
    }
    return total;
  }
}
