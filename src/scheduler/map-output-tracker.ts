import type { Block } from '../protocol/block.js';
import { assert } from '../common/assert.js';

/**
 * A map output block that a task needs is not there: its map task never ran, its whole output was lost, or the
 * block store lost that one block. Thrown while building a task, and turned into that task's `fetch-failed`.
 */
export class MapOutputMissingError extends Error {
  readonly shuffleId: number;
  readonly mapPartition: number;
  readonly reducePartition: number;

  constructor(shuffleId: number, mapPartition: number, reducePartition: number) {
    super(
      `shuffle ${shuffleId}: the block of map partition ${mapPartition} for reduce partition ${reducePartition} is missing`,
    );
    this.name = 'MapOutputMissingError';
    this.shuffleId = shuffleId;
    this.mapPartition = mapPartition;
    this.reducePartition = reducePartition;
  }
}

/** One map task's output: a block per reduce partition, with holes where a block was lost. */
type MapOutput = readonly (Block | undefined)[];

/**
 * Which map outputs of each shuffle exist (Spark's `MapOutputTracker`): for every map partition, its blocks, one per
 * reduce partition, or nothing when it has not run or its output was lost. Blocks are opaque handles here; the
 * scheduler never reads their buffers.
 */
export class MapOutputTracker {
  private readonly outputs = new Map<number, (MapOutput | undefined)[]>();

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

  /** Map partitions whose output is missing (never run, lost, or with a lost block). */
  missing(shuffleId: number): number[] {
    const outputs = this.outputs.get(shuffleId);
    if (outputs === undefined) return [];
    const missing: number[] = [];
    outputs.forEach((blocks, index) => {
      if (blocks === undefined || blocks.includes(undefined)) missing.push(index);
    });
    return missing;
  }

  isRegistered(shuffleId: number): boolean {
    return this.outputs.has(shuffleId);
  }

  /**
   * The blocks every map task wrote for `reducePartition`, in map order. Throws `MapOutputMissingError` for the
   * first map output or block that is not there.
   */
  blocksFor(shuffleId: number, reducePartition: number): Block[] {
    const outputs = this.outputs.get(shuffleId);
    assert(outputs !== undefined, `shuffle ${shuffleId} is registered`);
    return outputs.map((blocks, mapPartition) => {
      const block = blocks?.[reducePartition];
      if (block === undefined) throw new MapOutputMissingError(shuffleId, mapPartition, reducePartition);
      return block;
    });
  }

  /** The block store lost one block of a map output (a fault, an eviction): readers of it get a fetch failure. */
  dropBlock(shuffleId: number, mapPartition: number, reducePartition: number): void {
    const outputs = this.outputs.get(shuffleId);
    const blocks = outputs?.[mapPartition];
    if (outputs === undefined || blocks === undefined) return;
    outputs[mapPartition] = blocks.map((block, index) => (index === reducePartition ? undefined : block));
  }

  /** Forgets a map output (lost or corrupt): the next job that needs it recomputes it from lineage. */
  markLost(shuffleId: number, mapPartition: number): void {
    const outputs = this.outputs.get(shuffleId);
    if (outputs !== undefined) outputs[mapPartition] = undefined;
  }

  /**
   * Forgets a map output that a task found bad, unless it was already replaced by a recomputed one the task never
   * saw: `seen` is the block the task read and found corrupt, or `{ reducePartition }` when the block it needed was
   * missing. Returns true when the output was forgotten now.
   */
  markLostIfSeen(
    shuffleId: number,
    mapPartition: number,
    seen: { readonly block: Block } | { readonly reducePartition: number },
  ): boolean {
    const blocks = this.outputs.get(shuffleId)?.[mapPartition];
    if (blocks === undefined) return false;
    const stillBad = 'block' in seen ? blocks.includes(seen.block) : blocks[seen.reducePartition] === undefined;
    if (stillBad) this.markLost(shuffleId, mapPartition);
    return stillBad;
  }

  /** Bytes held by all map outputs, for the memory budget. */
  bytesUsed(): number {
    let total = 0;
    for (const outputs of this.outputs.values()) {
      for (const blocks of outputs) for (const block of blocks ?? []) total += block?.byteLength ?? 0;
    }
    return total;
  }
}
