import type { BlockRef } from '../protocol/block.js';
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
type MapOutput = readonly (BlockRef | undefined)[];

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

  /**
   * Records the blocks of a finished map task. The first committed output wins and later attempts are dropped,
   * except that a whole output replaces one that lost a block: that map partition was rerun to fill the hole.
   */
  commit(shuffleId: number, mapPartition: number, blocks: readonly BlockRef[]): boolean {
    const outputs = this.outputs.get(shuffleId);
    assert(outputs !== undefined, `shuffle ${shuffleId} is registered`);
    const present = outputs[mapPartition];
    if (present !== undefined && !present.includes(undefined)) return false;
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

  /** Forgets every map output that lost a block; returns how many. */
  markHoledLost(shuffleId: number): number {
    const outputs = this.outputs.get(shuffleId) ?? [];
    let forgotten = 0;
    outputs.forEach((blocks, index) => {
      if (blocks !== undefined && blocks.includes(undefined)) {
        outputs[index] = undefined;
        forgotten++;
      }
    });
    return forgotten;
  }

  /** Map partitions with no output at all (never run, lost, or discarded); a lost block alone does not count. */
  notRun(shuffleId: number): number[] {
    const outputs = this.outputs.get(shuffleId) ?? [];
    return outputs.flatMap((blocks, index) => (blocks === undefined ? [index] : []));
  }

  isRegistered(shuffleId: number): boolean {
    return this.outputs.has(shuffleId);
  }

  /**
   * The blocks every map task wrote for `reducePartition`, in map order. Throws `MapOutputMissingError` for the
   * first map output or block that is not there.
   */
  blocksFor(shuffleId: number, reducePartition: number): BlockRef[] {
    const outputs = this.outputs.get(shuffleId);
    assert(outputs !== undefined, `shuffle ${shuffleId} is registered`);
    return outputs.map((blocks, mapPartition) => {
      const block = blocks?.[reducePartition];
      if (block === undefined) throw new MapOutputMissingError(shuffleId, mapPartition, reducePartition);
      return block;
    });
  }

  /**
   * The blocks for `reducePartition`, as {@link blocksFor}, but only from a complete shuffle: throws
   * `MapOutputMissingError` for the first map output that is missing or lost a block, whichever reduce partition
   * the hole is in. Readers of an indeterminate shuffle read this way, so none reads a generation whose missing
   * part may still be recomputed differently.
   */
  completeBlocksFor(shuffleId: number, reducePartition: number): BlockRef[] {
    const outputs = this.outputs.get(shuffleId);
    assert(outputs !== undefined, `shuffle ${shuffleId} is registered`);
    outputs.forEach((blocks, mapPartition) => {
      const hole = blocks === undefined ? reducePartition : blocks.indexOf(undefined);
      if (hole >= 0) throw new MapOutputMissingError(shuffleId, mapPartition, hole);
    });
    return this.blocksFor(shuffleId, reducePartition);
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
   * Forgets every map output of a shuffle (an indeterminate shuffle that must rerun in full, or one computed from
   * it). Returns how many outputs (complete or not) were there.
   */
  discardAll(shuffleId: number): number {
    const outputs = this.outputs.get(shuffleId);
    if (outputs === undefined) return 0;
    const present = outputs.filter((blocks) => blocks !== undefined).length;
    outputs.fill(undefined);
    return present;
  }

  /**
   * Forgets a map output that a task found bad, unless it was already replaced by a recomputed one the task never
   * saw: `seen` is the block the task read and found corrupt, or `{ reducePartition }` when the block it needed was
   * missing. Returns true when the output was forgotten now.
   */
  markLostIfSeen(
    shuffleId: number,
    mapPartition: number,
    seen: { readonly block: BlockRef } | { readonly reducePartition: number },
  ): boolean {
    const blocks = this.outputs.get(shuffleId)?.[mapPartition];
    if (blocks === undefined) return false;
    const stillBad = 'block' in seen ? blocks.includes(seen.block) : blocks[seen.reducePartition] === undefined;
    if (stillBad) this.markLost(shuffleId, mapPartition);
    return stillBad;
  }

  /** Bytes of shared memory held by map outputs, for the memory budget (spilled blocks are files: not counted). */
  bytesUsed(): number {
    let total = 0;
    for (const outputs of this.outputs.values()) {
      for (const blocks of outputs) {
        for (const block of blocks ?? []) if (block !== undefined && 'buffer' in block) total += block.byteLength;
      }
    }
    return total;
  }
}
