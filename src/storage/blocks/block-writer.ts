/**
 * Records → block. The only way records become a block: shuffle outputs, cached partitions and results all go
 * through `encodeBlock`, so every block has the same layout, a checksum, and a lossless round trip.
 */
import type { Block } from '../../protocol/block.js';
import { assembleBlock } from './block-layout.js';
import { encodeColumn } from './column-encoder.js';
import { splitRecords } from './record-shape.js';
import { acquireScratch, releaseScratch } from './scratch-bytes.js';

/**
 * Encodes records into a new committed block (DESIGN.md §3): infers the record shape (pair, flat object or
 * scalar) and each column's type, writes every column into one SharedArrayBuffer of exactly the needed size, and
 * records the CRC-32 of its bytes. With `shared` false the buffer is a plain ArrayBuffer (a block that is only
 * copied, as into a packed map output).
 *
 * Guarantee: `decodeBlock(encodeBlock(records))` deep-equals `records` with exact types (`1` vs `1n` vs `'1'`,
 * `-0`, `NaN`, `undefined` vs `null`, Dates, Maps, Sets, nested structures, holes) — everything `v8.serialize`
 * keeps. WARNING: like `structuredClone`, it drops what structured clone drops (class prototypes become plain
 * objects, a null-prototype object comes back with `Object.prototype`, symbol keys vanish) and throws an
 * `InputError` for values it refuses (functions, symbols).
 *
 * @example
 * const block = encodeBlock([['a', 1], ['b', 2]]); // shape pair, columns key: utf8, value: i32
 * decodeBlock(block); // [['a', 1], ['b', 2]]
 */
export function encodeBlock(records: readonly unknown[], shared = true): Block {
  const { shape, names, columns } = splitRecords(records);
  const scratch = acquireScratch();
  try {
    const pending = columns.map((values, c) => encodeColumn(names[c]!, values, scratch));
    return assembleBlock(shape, records.length, pending, shared);
  } finally {
    releaseScratch(scratch);
  }
}
