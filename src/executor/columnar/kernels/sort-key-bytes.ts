/**
 * Sort keys as order-preserving byte strings: comparing two rows' bytes (unsigned, lexicographic) gives the order
 * `sortedRowOrder` gives them, so a range partitioner can cut the key space with sampled byte strings and each
 * partition's own sort then yields a global order. Per key: a tag byte (null: 0x00 when nulls come first, 0x04 when
 * last; NaN, the largest number as in `sortedRowOrder`: 0x03 ascending, 0x01 descending; a value: 0x02), then the
 * value's bytes, inverted for a descending key. Numbers (int32, float64, dates, timestamps) are float64 big-endian with the sign bit
 * flipped (negatives inverted), `-0` as `0`; int64 is big-endian with the sign bit flipped; strings are their UTF-8
 * bytes with the lead bytes of U+E000–U+FFFF moved after those of astral code points (UTF-16 order, as
 * `compareUtf8`), 0x00 escaped as 0x00 0xFF and a 0x00 0x00 terminator (so a prefix sorts first).
 */
import type { Column } from '../batches/batch.js';

/** A sort key column with its direction (nulls first by default for ascending keys, as `sortedRowOrder`). */
export interface SortKeyColumn {
  readonly column: Column;
  readonly ascending: boolean;
  readonly nullsFirst?: boolean | undefined;
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const i64 = new BigInt64Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** UTF-8 byte → byte whose unsigned order is `compareUtf8`'s (UTF-16 code unit) order. */
const UTF16_ORDER = new Uint8Array(256);
for (let b = 0; b < 256; b++) UTF16_ORDER[b] = b < 0xee ? b : b >= 0xf0 ? b - 2 : b + 0x10;

/**
 * Appends the key bytes of `row` to a growing buffer; returns the bytes written (a view of `scratch.bytes`).
 *
 * @example
 * const key = encodeSortKey(keys, row, scratch); // compare with compareBytes
 */
export function encodeSortKey(keys: readonly SortKeyColumn[], row: number, scratch: SortKeyScratch): Uint8Array {
  scratch.length = 0;
  for (const key of keys) {
    const { column, ascending } = key;
    if (column.valid !== undefined && column.valid[row] === 0) {
      scratch.push((key.nullsFirst ?? ascending) ? 0x00 : 0x04);
      continue;
    }
    const start = scratch.length + 1;
    switch (column.type) {
      case 'utf8': {
        scratch.push(0x02);
        const { bytes } = column;
        for (let i = column.starts[row]!, end = column.ends[row]!; i < end; i++) {
          const b = bytes[i]!;
          scratch.push(UTF16_ORDER[b]!);
          if (b === 0) scratch.push(0xff);
        }
        scratch.push(0x00);
        scratch.push(0x00);
        break;
      }
      case 'i64': {
        scratch.push(0x02);
        i64[0] = column.values[row]!;
        pushBigEndian(scratch, 0x80);
        break;
      }
      case 'bool':
        scratch.push(0x02);
        scratch.push(column.values[row]!);
        break;
      default: {
        const value = column.values[row]!;
        if (value !== value) {
          scratch.push(ascending ? 0x03 : 0x01); // NaN: after the values ascending, before them descending
          continue;
        }
        scratch.push(0x02);
        f64[0] = value === 0 ? 0 : value;
        if (value < 0) {
          for (let i = 0; i < 8; i++) f64Bytes[i] = ~f64Bytes[i]! & 0xff;
          pushBigEndian(scratch, 0);
        } else pushBigEndian(scratch, 0x80);
      }
    }
    if (!ascending) for (let i = start; i < scratch.length; i++) scratch.bytes[i] = ~scratch.bytes[i]! & 0xff;
  }
  return scratch.bytes.subarray(0, scratch.length);
}

/** The 8 bytes of `f64Bytes` big-endian, the top byte XORed with `flip`. */
function pushBigEndian(scratch: SortKeyScratch, flip: number): void {
  for (let i = 0; i < 8; i++) {
    const byte = f64Bytes[littleEndian ? 7 - i : i]!;
    scratch.push(i === 0 ? byte ^ flip : byte);
  }
}

/** A reusable byte buffer for `encodeSortKey`. */
export class SortKeyScratch {
  bytes = new Uint8Array(64);
  length = 0;

  push(byte: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = byte;
  }
}

/**
 * Unsigned lexicographic comparison of two byte strings (a prefix first).
 *
 * @example
 * compareBytes(a, b) < 0; // a sorts before b
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
