/**
 * When a memory-resident cached block is checked (the checksum policy, DESIGN.md §5). Shuffle inputs, spill files
 * and checkpoint parts are checked on every read: they cross a trust boundary each time (another task's output that
 * may be lost or recomputed, bytes back from disk). A cached partition held in shared memory does not: it is
 * immutable once committed, and a thread that has hashed it once gains nothing from hashing it again on every query
 * (Spark does not checksum in-memory cached blocks at all). So each thread checks such a block (one with a
 * `sealId`) the first time it reads it and trusts it after that. The blocks of the driver's in-memory sources
 * (`fromColumns`, `fromArrow`, `readArrow`) are sealed the same way: built once, never written. A block without a
 * seal (a shuffle input, a checkpoint part, one handed over by anything else) is checked on every read. A cached
 * block leaving memory is checked before it is spilled (src/api/block-cache.ts), so a damaged one is recomputed
 * rather than written to disk under a fresh checksum.
 */
import type { Block } from '../protocol/block.js';
import { verifyBlock } from './block-verify.js';

/** Seal ids this thread has checked. Numbers only: nothing here keeps a block alive. */
const verified = new Set<number>();
/** Past this many ids the set is cleared (each id then checked once more): bounds a long-lived thread's memory. */
const VERIFIED_IDS_MAX = 1 << 20;
let checks = 0;

/**
 * Checks `block` as `verifyBlock` does, unless it is a sealed cached block this thread has already checked.
 *
 * @example
 * verifyCachedBlock(block, 'cached partition 3, block 0'); // hashes it the first time only
 */
export function verifyCachedBlock(block: Block, where: string): void {
  const id = block.sealId;
  if (id !== undefined && verified.has(id)) return;
  checks++;
  verifyBlock(block, where);
  if (id === undefined) return;
  if (verified.size >= VERIFIED_IDS_MAX) verified.clear();
  verified.add(id);
}

/** How many times this thread has hashed a block in `verifyCachedBlock` (tests prove the policy by it). */
export function cachedBlockChecks(): number {
  return checks;
}

let nextSealId = 1;

/**
 * `block` with a seal id of its own (a new one on every call: a recomputed or re-read partition is a new block). Only
 * the driver calls this (its block cache and in-memory sources), so ids are unique within the process (worker
 * threads share its address space, not its counter).
 */
export function sealCachedBlock(block: Block): Block {
  return { ...block, sealId: nextSealId++ };
}
