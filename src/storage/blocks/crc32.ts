/**
 * CRC-32 (the zlib / PNG / Arrow-tooling polynomial 0xEDB88320) of a byte range. Block checksums use it on write
 * and on read (STYLE.md §5). Node ≥ 20.15 has a native `zlib.crc32`; older runtimes get a table-driven fallback that
 * gives the same numbers, so a checksum written by one thread always verifies on another.
 */
import zlib from 'node:zlib';

type Crc32Function = (bytes: Uint8Array) => number;

/** Table of the CRC of every byte value; built lazily, only when the native function is missing. */
let table: Uint32Array | undefined;

function crc32Table(): Uint32Array {
  if (table !== undefined) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * The portable CRC-32 of bytes [from, to) of `bytes`, one table lookup per byte. Exported so tests can check it
 * against the native function, and for short spans, where it beats a native call and needs no view.
 *
 * @example
 * crc32Portable(Buffer.from('123456789')); // 0xcbf43926
 */
export function crc32Portable(bytes: Uint8Array, from = 0, to = bytes.length): number {
  const t = crc32Table();
  let crc = 0xffffffff;
  for (let i = from; i < to; i++) crc = (t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}

// Feature-detect once: `zlib.crc32` is missing before Node 20.15, and @types/node declares it unconditionally.
const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
const implementation: Crc32Function = typeof native === 'function' ? (bytes) => native(bytes) >>> 0 : crc32Portable;

/**
 * CRC-32 of `bytes` as an unsigned 32-bit integer. Works on views of SharedArrayBuffers.
 *
 * @example
 * crc32(new Uint8Array(block.buffer, 0, block.byteLength)) === block.checksum;
 */
export function crc32(bytes: Uint8Array): number {
  return implementation(bytes);
}
