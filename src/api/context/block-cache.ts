import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Block, BlockRef, SpilledBlock } from '../../protocol/block.js';
import type { CachedBlock } from '../../protocol/task.js';
import type { PlanNode } from '../../plan/plan-node.js';
import type { BlockCache } from '../../scheduler/dag-scheduler.js';
import { BlockStore } from '../../storage/block-store.js';
import { spillBlock } from '../../storage/arrow/spill-file.js';
import { verifyBlock } from '../../storage/blocks/block-verify.js';
import { sealCachedBlock } from '../../storage/blocks/cached-block-verify.js';
import { allocateSharedDictionaries, releaseLockOfThread } from '../../storage/shared-dictionary.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { didYouMean, optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import type { ContextInternals } from './context-internals.js';
import type { CachedDatasetStatus } from '../../events/event-schema.js';

/**
 * Where `persist()` keeps a dataset's partitions (Spark's storage levels): `MEMORY_ONLY` in shared memory, dropped
 * when evicted and recomputed from lineage; `MEMORY_AND_DISK` in shared memory, written to an Arrow IPC file in
 * the Context's spill dir when evicted and read back from it instead of recomputed.
 */
export type StorageLevel = 'MEMORY_ONLY' | 'MEMORY_AND_DISK';

const LEVELS: readonly StorageLevel[] = ['MEMORY_ONLY', 'MEMORY_AND_DISK'];

/**
 * Marks `node` persisted at `level` (`rdd.persist`, `ds.persist`); throws `PlanError` for an unknown level.
 *
 * @example
 * persistNode(context, node, 'MEMORY_AND_DISK');
 */
export function persistNode(context: ContextInternals, node: PlanNode, level: StorageLevel): void {
  if (!LEVELS.includes(level)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `persist() expects 'MEMORY_ONLY' or 'MEMORY_AND_DISK', found ${describeValue(level)}` + didYouMean(level, LEVELS),
    );
  }
  context.setStorageLevel(node, level);
  node.persisted = true;
}

/** Options of `unpersist`. */
export interface UnpersistOptions {
  /**
   * Also forget the map outputs of the shuffles this dataset's last stage reads (freeing their shared memory and
   * spill files now rather than when the dataset is garbage collected); the next action that needs them recomputes
   * them from lineage.
   * @default false
   */
  shuffleOutputs?: boolean;
}

const UNPERSIST_OPTIONS = optionNames<UnpersistOptions>({ shuffleOutputs: true });

/**
 * `rdd.unpersist(options)`, `ds.unpersist(options)`: drops the cached partitions of `node` when it is persisted,
 * and with `shuffleOutputs` the map outputs its last stage reads.
 *
 * @example
 * unpersistNode(context, node, { shuffleOutputs: true });
 */
export function unpersistNode(context: ContextInternals, node: PlanNode, options: UnpersistOptions): void {
  refuseUnknownOptions('unpersist()', options, UNPERSIST_OPTIONS);
  const { shuffleOutputs } = options;
  if (shuffleOutputs !== undefined && typeof shuffleOutputs !== 'boolean') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `unpersist(): shuffleOutputs must be a boolean, found ${describeValue(shuffleOutputs)}`,
    );
  }
  if (node.persisted) {
    node.persisted = false;
    context.dropCached(node);
  }
  if (shuffleOutputs === true) context.discardShuffleOutputs(node);
}

/** Options of {@link CachedPartitions}. */
export interface CachedPartitionsOptions {
  /** Budget of cached partitions plus `externalBytes()`. */
  readonly memoryBytesMax: number;
  /** Shared-memory bytes held elsewhere against the same budget (shuffle outputs). @default () => 0 */
  readonly externalBytes?: () => number;
  /** Directory for evicted `MEMORY_AND_DISK` partitions; removed by the Context on stop. */
  readonly spillDir: string;
}

/**
 * Cached partitions of persisted datasets, held in the block store under the memory budget (DESIGN.md §6). An
 * evicted `MEMORY_ONLY` partition is simply absent: the next job recomputes it from lineage. An evicted
 * `MEMORY_AND_DISK` partition is spilled to a file and handed to tasks as a `SpilledBlock`, which they read with
 * `openBlock`; a spill file found missing or of the wrong size is forgotten, so lineage recomputes it.
 *
 * @example
 * const cache = new CachedPartitions({ memoryBytesMax: 2 ** 28, spillDir: '/tmp/kindling-spill-1' });
 * cache.setLevel(7, 'MEMORY_AND_DISK');
 */
export class CachedPartitions implements BlockCache {
  private readonly store: BlockStore;
  private readonly spillDir: string;
  /** Partitions cached per dataset (in memory or spilled), to answer `isFullyCached` without scanning the store. */
  private readonly partitionsByDataset = new Map<number, Set<number>>();
  /** Datasets persisted `MEMORY_AND_DISK`; every other one is `MEMORY_ONLY`. */
  private readonly toDisk = new Set<number>();
  /** Evicted `MEMORY_AND_DISK` partitions, by block id. */
  private readonly spilled = new Map<string, SpilledBlock>();
  /** Spill files written so far: numbers file names, so a partition spilled again never reuses a path. */
  private spillFiles = 0;
  /**
   * Per persisted dataset, the string dictionaries its columnar partitions share (storage/shared-dictionary.ts):
   * kept while the dataset is persisted, so a partition recomputed from lineage codes into the same ones.
   */
  private readonly dictionaries = new Map<number, SharedArrayBuffer>();

  constructor(options: CachedPartitionsOptions) {
    this.spillDir = options.spillDir;
    this.store = new BlockStore({
      memoryBytesMax: options.memoryBytesMax,
      externalBytes: options.externalBytes,
      onEvict: (id, _kind, _bytes, block) => this.evicted(id, block),
    });
  }

  /** Labels of persisted datasets, for the storage report. */
  private readonly labels = new Map<number, string>();

  /** The storage level of a dataset's partitions from now on (`rdd.persist(level)`). */
  setLevel(datasetId: number, level: StorageLevel, label?: string): void {
    if (level === 'MEMORY_AND_DISK') this.toDisk.add(datasetId);
    else this.toDisk.delete(datasetId);
    if (label !== undefined) this.labels.set(datasetId, label);
  }

  /** What is cached now, per dataset: partitions and bytes in shared memory and in spill files. */
  status(): CachedDatasetStatus[] {
    return [...this.partitionsByDataset].map(([datasetId, partitions]) => {
      const status = {
        datasetId,
        label: this.labels.get(datasetId) ?? `dataset ${datasetId}`,
        level: this.toDisk.has(datasetId) ? 'MEMORY_AND_DISK' : 'MEMORY_ONLY',
        memoryPartitions: 0,
        memoryBytes: 0,
        diskPartitions: 0,
        diskBytes: 0,
      } satisfies CachedDatasetStatus;
      for (const partition of partitions) {
        const id = blockId(datasetId, partition);
        const inMemory = this.store.sizeOf(id);
        const spilled = this.spilled.get(id);
        if (inMemory !== undefined) {
          status.memoryPartitions++;
          status.memoryBytes += inMemory;
        } else if (spilled !== undefined) {
          status.diskPartitions++;
          status.diskBytes += spilled.byteLength;
        }
      }
      return status;
    });
  }

  get(datasetId: number, partition: number): BlockRef | undefined {
    const id = blockId(datasetId, partition);
    const block = this.store.get(id);
    if (block !== undefined) return block;
    const spilled = this.spilled.get(id);
    if (spilled === undefined) return undefined;
    // A file already gone is recomputed now rather than failing the task that would read it; a corrupt one is
    // caught by the reader's CRC check.
    if (sizeOf(spilled.path) === spilled.byteLength) return spilled;
    this.forget(datasetId, partition);
    return undefined;
  }

  put(cached: CachedBlock): void {
    let partitions = this.partitionsByDataset.get(cached.datasetId);
    if (partitions === undefined) {
      partitions = new Set();
      this.partitionsByDataset.set(cached.datasetId, partitions);
    }
    partitions.add(cached.partition);
    const id = blockId(cached.datasetId, cached.partition);
    this.removeSpilled(id);
    this.store.put(id, sealCachedBlock(cached.block), 'cache');
  }

  isFullyCached(node: PlanNode): boolean {
    return (this.partitionsByDataset.get(node.id)?.size ?? 0) === node.numPartitions && node.numPartitions > 0;
  }

  sharedDictionaries(datasetId: number): SharedArrayBuffer {
    let buffer = this.dictionaries.get(datasetId);
    if (buffer === undefined) {
      buffer = allocateSharedDictionaries(nextDictionariesId++);
      this.dictionaries.set(datasetId, buffer);
    }
    return buffer;
  }

  /**
   * Worker thread `threadId` has exited: frees the shared dictionary locks it held (it was terminated mid-add), so
   * later partitions share the dictionaries instead of waiting for a lock no one will release.
   */
  threadExited(threadId: number): void {
    for (const buffer of this.dictionaries.values()) releaseLockOfThread(buffer, threadId);
  }

  drop(datasetId: number): void {
    this.dictionaries.delete(datasetId);
    for (const partition of this.partitionsByDataset.get(datasetId) ?? []) {
      const id = blockId(datasetId, partition);
      this.store.remove(id);
      this.removeSpilled(id);
    }
    this.partitionsByDataset.delete(datasetId);
  }

  /** Bytes of cached partitions held in shared memory now (spilled ones are files: not counted). */
  get bytesUsed(): number {
    return this.store.bytesUsed;
  }

  /** Number of cached partitions held in spill files now. */
  get spilledCount(): number {
    return this.spilled.size;
  }

  private evicted(id: string, block: Block): void {
    const { datasetId, partition } = parseId(id);
    if (!this.toDisk.has(datasetId)) {
      this.partitionsByDataset.get(datasetId)?.delete(partition);
      return;
    }
    try {
      // Checked before it leaves memory: a damaged block written out would get a fresh, matching file checksum.
      verifyBlock(block, `cached partition ${partition} of dataset ${datasetId}, spilling`);
      const path = join(this.spillDir, 'cache', `${id}-${this.spillFiles++}.arrow`);
      this.spilled.set(id, spillBlock(block, path));
    } catch {
      // Damaged, or the disk is full or unwritable: fall back to memory-only behaviour (recompute when needed).
      this.partitionsByDataset.get(datasetId)?.delete(partition);
    }
  }

  private forget(datasetId: number, partition: number): void {
    this.removeSpilled(blockId(datasetId, partition));
    this.partitionsByDataset.get(datasetId)?.delete(partition);
  }

  private removeSpilled(id: string): void {
    const spilled = this.spilled.get(id);
    if (spilled === undefined) return;
    this.spilled.delete(id);
    rmSync(spilled.path, { force: true });
  }
}

/** Ids of shared dictionary sets, unique in the process (threads key their indexes of them by it). */
let nextDictionariesId = 1;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

function blockId(datasetId: number, partition: number): string {
  return `rdd_${datasetId}_${partition}`;
}

function parseId(id: string): { datasetId: number; partition: number } {
  const [, dataset, partition] = id.split('_');
  return { datasetId: Number(dataset), partition: Number(partition) };
}
