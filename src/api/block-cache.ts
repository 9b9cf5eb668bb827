import type { Block } from '../protocol/block.js';
import type { CachedBlock } from '../protocol/task.js';
import type { PlanNode } from '../plan/plan-node.js';
import type { BlockCache } from '../scheduler/dag-scheduler.js';
import { BlockStore } from '../storage/block-store.js';

/**
 * Cached partitions of persisted datasets, held in the block store under the memory budget. An evicted partition
 * is simply absent: the next job recomputes it from lineage (DESIGN.md §6, memory-only storage level).
 */
export class CachedPartitions implements BlockCache {
  private readonly store: BlockStore;
  /** Partitions cached per dataset, to answer `isFullyCached` without scanning the store. */
  private readonly partitionsByDataset = new Map<number, Set<number>>();

  constructor(memoryBytesMax: number) {
    this.store = new BlockStore({
      memoryBytesMax,
      onEvict: (id) => {
        const { datasetId, partition } = parseId(id);
        this.partitionsByDataset.get(datasetId)?.delete(partition);
      },
    });
  }

  get(datasetId: number, partition: number): Block | undefined {
    return this.store.get(blockId(datasetId, partition));
  }

  put(cached: CachedBlock): void {
    let partitions = this.partitionsByDataset.get(cached.datasetId);
    if (partitions === undefined) {
      partitions = new Set();
      this.partitionsByDataset.set(cached.datasetId, partitions);
    }
    partitions.add(cached.partition);
    this.store.put(blockId(cached.datasetId, cached.partition), cached.block, 'cache');
  }

  isFullyCached(node: PlanNode): boolean {
    return (this.partitionsByDataset.get(node.id)?.size ?? 0) === node.numPartitions && node.numPartitions > 0;
  }

  drop(datasetId: number): void {
    for (const partition of this.partitionsByDataset.get(datasetId) ?? [])
      this.store.remove(blockId(datasetId, partition));
    this.partitionsByDataset.delete(datasetId);
  }

  /** Bytes of cached partitions held now. */
  get bytesUsed(): number {
    return this.store.bytesUsed;
  }
}

function blockId(datasetId: number, partition: number): string {
  return `rdd_${datasetId}_${partition}`;
}

function parseId(id: string): { datasetId: number; partition: number } {
  const [, dataset, partition] = id.split('_');
  return { datasetId: Number(dataset), partition: Number(partition) };
}
