import { KindlingError } from '../../common/errors.js';

/**
 * A block failed its checks where it was read: the CRC-32 of its bytes differs from the one recorded when it was
 * written, or its column descriptors point outside its buffer. The scheduler treats it like a lost block (a
 * `fetch-failed`, DESIGN.md §5) and recomputes it from lineage.
 *
 * @example
 * try { verifyBlock(block, 'shuffle 3, map 7 → reduce 2'); }
 * catch (error) { if (error instanceof BlockCorruptError) recompute(); }
 */
export class BlockCorruptError extends KindlingError {
  /** Where the block was read (a shuffle id and partition, a file path …), as given by the caller. */
  readonly where: string;

  constructor(where: string, problem: string, options?: { cause?: unknown }) {
    super('ERR_BLOCK_CORRUPT', `corrupt block at ${where}: ${problem}`, options);
    this.where = where;
  }
}
