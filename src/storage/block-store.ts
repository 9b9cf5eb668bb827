/**
 * The driver-side registry of committed blocks (Spark's BlockManager, memory part): shuffle outputs, cached
 * partitions and job results by id, under a byte budget. Over budget it evicts least-recently-used cached blocks,
 * which lineage can recompute or the owner spills to disk (DESIGN.md §5, §6); shuffle outputs and results are never
 * evicted here (map tasks spill large outputs themselves), so the store may run over budget and says by how much.
 */
import { OptionsError } from '../common/errors.js';
import type { Block } from '../protocol/block.js';

/** Why a block is held; only `cache` blocks are evictable. */
export type BlockKind = 'shuffle' | 'cache' | 'result';

/** Options of a `BlockStore`. */
export interface BlockStoreOptions {
  /** Byte budget for all blocks' buffers. */
  readonly memoryBytesMax: number;
  /**
   * True for blocks that must not be evicted now, for example cached partitions a running job is reading.
   * @default () => false
   */
  readonly pinned?: (id: string) => boolean;
  /**
   * Called once per evicted block, after the `put` that evicted it has completed (so it may use the store), with
   * the block itself (for example to spill it).
   * @default () => {}
   */
  readonly onEvict?: (id: string, kind: BlockKind, bytes: number, block: Block) => void;
  /**
   * Bytes held outside this store that count against the same `memoryBytesMax` (shuffle outputs in memory): a
   * `put` evicts until the store's bytes plus these fit.
   * @default () => 0
   */
  readonly externalBytes?: () => number;
}

interface Entry {
  readonly block: Block;
  readonly kind: BlockKind;
  readonly bytes: number;
}

/**
 * Holds blocks by id under `memoryBytesMax`. Not thread-safe by design: it lives on the driver's event loop.
 *
 * @example
 * const store = new BlockStore({ memoryBytesMax: 512 * 2 ** 20, onEvict: (id) => tracker.lost(id) });
 * store.put('rdd-3/part-0', block, 'cache');
 * store.get('rdd-3/part-0'); // the block, now most recently used
 */
export class BlockStore {
  readonly memoryBytesMax: number;
  private readonly pinned: (id: string) => boolean;
  private readonly onEvict: (id: string, kind: BlockKind, bytes: number, block: Block) => void;
  private readonly externalBytes: () => number;
  /** Insertion order is recency order: `get` and `put` move an id to the end, eviction scans from the start. */
  private readonly entries = new Map<string, Entry>();
  private used = 0;

  constructor(options: BlockStoreOptions) {
    const { memoryBytesMax } = options;
    if (typeof memoryBytesMax !== 'number' || Number.isNaN(memoryBytesMax) || memoryBytesMax < 0) {
      throw new OptionsError(`memoryBytesMax: expected a number of bytes ≥ 0, found ${String(memoryBytesMax)}`);
    }
    this.memoryBytesMax = memoryBytesMax;
    this.pinned = options.pinned ?? (() => false);
    this.onEvict = options.onEvict ?? (() => {});
    this.externalBytes = options.externalBytes ?? (() => 0);
  }

  /** Bytes of all held blocks (their whole buffers, which is what they occupy). */
  get bytesUsed(): number {
    return this.used;
  }

  /** Bytes of the block under `id`, or undefined; unlike `get`, leaves its recency as it is (for reports). */
  sizeOf(id: string): number | undefined {
    return this.entries.get(id)?.bytes;
  }

  /** Bytes over `memoryBytesMax` that eviction could not free (unevictable or pinned blocks); 0 within budget. */
  get overBudgetBytes(): number {
    return Math.max(0, this.used - this.memoryBytesMax);
  }

  /** Number of blocks held. */
  get count(): number {
    return this.entries.size;
  }

  /**
   * Stores `block` under `id` (replacing any block with that id) as most recently used. If that takes the store
   * over budget, evicts least-recently-used unpinned `cache` blocks (never the one being put) until it fits or
   * none is left; the block is kept either way. Returns the ids evicted, oldest first.
   */
  put(id: string, block: Block, kind: BlockKind): readonly string[] {
    this.remove(id);
    const bytes = block.buffer.byteLength;
    this.entries.set(id, { block, kind, bytes });
    this.used += bytes;
    // Choose victims first, then delete: the scan never mutates the Map it walks.
    const evicted: { id: string; entry: Entry }[] = [];
    let excessBytes = this.used + this.externalBytes() - this.memoryBytesMax;
    for (const [candidate, entry] of this.entries) {
      if (excessBytes <= 0) break;
      if (candidate === id || entry.kind !== 'cache' || this.pinned(candidate)) continue;
      evicted.push({ id: candidate, entry });
      excessBytes -= entry.bytes;
    }
    for (const { id: victim, entry } of evicted) {
      this.entries.delete(victim);
      this.used -= entry.bytes;
    }
    for (const { id: victim, entry } of evicted) this.onEvict(victim, entry.kind, entry.bytes, entry.block);
    return evicted.map((e) => e.id);
  }

  /** The block stored under `id`, now most recently used; `undefined` if absent (never stored, removed, evicted). */
  get(id: string): Block | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.block;
  }

  /** True if a block is stored under `id`. Does not count as a use. */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The kind `id` was stored as, or `undefined`. */
  kindOf(id: string): BlockKind | undefined {
    return this.entries.get(id)?.kind;
  }

  /** Drops the block under `id`; true if there was one. Does not call `onEvict`: removal is the caller's choice. */
  remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    this.entries.delete(id);
    this.used -= entry.bytes;
    return true;
  }

  /**
   * Drops every block whose id (and kind) match, for example all outputs of a finished shuffle. Returns the ids
   * removed.
   *
   * @example
   * store.removeWhere((id) => id.startsWith('shuffle-4/'));
   */
  removeWhere(predicate: (id: string, kind: BlockKind) => boolean): readonly string[] {
    const removed: string[] = [];
    for (const [id, entry] of this.entries) if (predicate(id, entry.kind)) removed.push(id);
    for (const id of removed) this.remove(id);
    return removed;
  }
}
