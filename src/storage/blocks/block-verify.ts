/**
 * The read-side check of a block (STYLE.md §5: check where written and where read): CRC-32 of its bytes against
 * the one recorded at write time, then the descriptor's structure.
 */
import type { Block } from '../../protocol/block.js';
import { BlockCorruptError } from './block-corrupt-error.js';
import { checkBlockStructure } from './block-structure.js';
import { crc32 } from './crc32.js';

function hex(checksum: number): string {
  return `0x${(checksum >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Throws `BlockCorruptError` (code `ERR_BLOCK_CORRUPT`) naming `where` when the block's bytes do not match its
 * checksum or its descriptor is inconsistent. Call it where a block crosses a trust boundary: fetched as a shuffle
 * input, read back from disk, received from another thread after a crash. Costs one CRC pass over the bytes.
 *
 * @example
 * verifyBlock(block, 'shuffle 2, map partition 5');
 */
export function verifyBlock(block: Block, where: string): void {
  const { buffer, byteLength } = block;
  if (
    buffer === null ||
    typeof buffer !== 'object' ||
    !Number.isSafeInteger(byteLength) ||
    byteLength < 0 ||
    byteLength > buffer.byteLength
  ) {
    throw new BlockCorruptError(
      where,
      `expected byteLength within the buffer (${String(buffer?.byteLength)} bytes), found ${String(byteLength)}`,
    );
  }
  const found = crc32(new Uint8Array(buffer, 0, byteLength));
  if (found !== block.checksum >>> 0) {
    throw new BlockCorruptError(
      where,
      `checksum mismatch over ${byteLength} bytes: expected ${hex(block.checksum)} (recorded when written), ` +
        `found ${hex(found)}`,
    );
  }
  checkBlockStructure(block, where);
}
