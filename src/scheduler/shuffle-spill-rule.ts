import type { ShuffleSpillSpec } from '../protocol/task.js';

/** Where map tasks spill, and the byte budgets of shuffle outputs and of them plus cached partitions. */
export interface ShuffleSpillBudget {
  readonly dir: string;
  readonly memoryBytesMax: number;
  readonly shuffleMemoryBytesMax: number;
}

/**
 * The spill rule of a map task launched now (DESIGN.md §6). At most 2 attempts per thread run at once (the task
 * set's in-flight bound), each keeping at most `shuffleMemoryBytesMax / (4 × threads)` bytes of output in memory:
 * half the shuffle budget in all. A task may keep that much only while the map outputs in memory are within the
 * other half, and they plus cached partitions within `memoryBytesMax`; otherwise it spills every non-empty block.
 * So in-memory shuffle output stays within `shuffleMemoryBytesMax`, checked at launch, without the driver moving
 * blocks a reader may hold.
 *
 * @example
 * shuffleSpillRule(budget, 2, tracker.bytesUsed(), cache.bytesUsed ?? 0); // { dir, bytesInMemoryMax: … or 0 }
 */
export function shuffleSpillRule(
  budget: ShuffleSpillBudget,
  threads: number,
  shuffleBytes: number,
  cachedBytes: number,
): ShuffleSpillSpec {
  const { dir, memoryBytesMax, shuffleMemoryBytesMax } = budget;
  const inFlightMax = 2 * Math.max(1, threads);
  const perTaskBytes = Math.floor(shuffleMemoryBytesMax / (2 * inFlightMax));
  const inFlightBytes = inFlightMax * perTaskBytes;
  const fits =
    shuffleBytes + inFlightBytes <= shuffleMemoryBytesMax &&
    shuffleBytes + cachedBytes + inFlightBytes <= memoryBytesMax;
  return { dir, bytesInMemoryMax: fits ? perTaskBytes : 0 };
}
