/**
 * When a memory-resident cached block is checked (the checksum policy, DESIGN.md §5). Shuffle inputs, spill files
 * and checkpoint parts are checked on every read: they cross a trust boundary each time (another task's output that
 * may be lost or recomputed, bytes back from disk). A cached partition held in shared memory does not: it is
 * immutable once committed, and hashing it again on every query gains nothing (Spark does not checksum in-memory
 * cached blocks at all). So such a block (one with a `seal`) is checked by the first thread that reads it, and
 * trusted by every thread after that: the seal is a cell of shared memory the checking thread sets. (It was once
 * per thread: each of the db-benchmark's 2 threads hashed and scanned the whole 1e7-row table, ~0.2 s of CPU a
 * thread under load, over its first queries, for no check the first thread's had not made.) The blocks of the
 * driver's in-memory sources (`fromColumns`, `fromArrow`, `readArrow`) are sealed the same way: built once, never
 * written. A block without a seal (a shuffle input, a checkpoint part, one handed over by anything else) is checked
 * on every read. A cached block leaving memory is checked before it is spilled (src/api/context/block-cache.ts), so a
 * damaged one is recomputed rather than written to disk under a fresh checksum.
 */
import type { Block } from '../../protocol/block.js';
import { verifyBlock } from './block-verify.js';

/** The seal's value once a thread has checked the block. */
const CHECKED = 1;
let checks = 0;

/**
 * Checks `block` as `verifyBlock` does, unless it is a sealed cached block a thread of this process has already
 * checked. Two threads that read a fresh block at once may both check it; a block that fails is never trusted.
 *
 * @example
 * verifyCachedBlock(block, 'cached partition 3, block 0'); // hashes it on its first read in the process only
 */
export function verifyCachedBlock(block: Block, where: string): void {
  const seal = block.seal;
  if (seal !== undefined && Atomics.load(seal, 0) === CHECKED) return;
  checks++;
  verifyBlock(block, where);
  if (seal !== undefined) Atomics.store(seal, 0, CHECKED);
}

/** How many times this thread has hashed a block in `verifyCachedBlock` (tests prove the policy by it). */
export function cachedBlockChecks(): number {
  return checks;
}

/**
 * `block` with a seal of its own, not yet checked (a new one on every call: a recomputed or re-read partition is a
 * new block). Only the driver calls this (its block cache and in-memory sources), before any thread reads the block.
 */
export function sealCachedBlock(block: Block): Block {
  return { ...block, seal: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) };
}
