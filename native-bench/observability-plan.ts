/**
 * The order of a blocked, randomized comparison of Contexts (observability-contexts.ts): per block, a fresh Context
 * per variant created in a shuffled order, then rounds that run every variant once in a shuffled order. Everything
 * about a Context that does not depend on its options (which one was created first, which ran first after a
 * collection, which ran after which) is then spread at random over the variants instead of fixed for a whole run,
 * and the blocks are independent units for the interval. Seeded: the same seed gives the same plan.
 */
import { Rng } from '../src/common/rng.js';

export interface Block {
  /** Indices into the variants, in the order their Contexts are created (and warmed up). */
  readonly creation: readonly number[];
  /** One order of the variants' indices per round. */
  readonly rounds: readonly (readonly number[])[];
}

/** A Fisher–Yates shuffle of 0..n-1. */
export function shuffled(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * `blocks` blocks of `rounds` rounds over `variants` variants.
 *
 * @example
 * planBlocks(3, 2, 4, 7) // [{ creation: [2, 0, 1], rounds: [[1, 2, 0], …] }, …]
 */
export function planBlocks(variants: number, blocks: number, rounds: number, seed: number): Block[] {
  const rng = new Rng(seed);
  return Array.from({ length: blocks }, () => ({
    creation: shuffled(variants, rng),
    rounds: Array.from({ length: rounds }, () => shuffled(variants, rng)),
  }));
}
