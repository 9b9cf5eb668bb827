/**
 * Block → records: the inverse of `encodeBlock`. Columns are decoded in chunks straight from typed arrays, then
 * zipped into records of the block's shape.
 */
import type { Block } from '../../protocol/block.js';
import { checkBlockStructure } from './block-structure.js';
import { decodeColumnInto } from './column-decoder.js';

/** Rows decoded per chunk: big enough to amortize per-chunk work, small enough that column scratch stays young. */
const chunkRowsMax = 4096;

/**
 * Decodes rows [start, end) (at most `chunkRowsMax`) into `out[outStart …]`, rebuilding pairs and objects.
 * `columnScratch` holds one reusable array per column, so the per-column values of a chunk never outlive it.
 */
function decodeChunk(
  block: Block,
  start: number,
  end: number,
  out: unknown[],
  outStart: number,
  columnScratch: unknown[][],
  where: string,
): void {
  const { buffer, columns, shape } = block;
  const count = end - start;
  switch (shape.kind) {
    case 'scalar':
      decodeColumnInto(buffer, columns[0]!, start, end, out, outStart, where);
      return;
    case 'pair': {
      const keys = columnScratch[0]!;
      const values = columnScratch[1]!;
      decodeColumnInto(buffer, columns[0]!, start, end, keys, 0, where);
      decodeColumnInto(buffer, columns[1]!, start, end, values, 0, where);
      for (let i = 0; i < count; i++) out[outStart + i] = [keys[i], values[i]];
      return;
    }
    case 'nested-pair': {
      for (let c = 0; c < columns.length; c++)
        decodeColumnInto(buffer, columns[c]!, start, end, columnScratch[c]!, 0, where);
      const { keyPair, valuePair } = shape;
      const k0 = columnScratch[0]!;
      const k1 = columnScratch[1]!;
      const v0 = columnScratch[keyPair ? 2 : 1]!;
      const v1 = columnScratch[keyPair ? 3 : 2]!;
      for (let i = 0; i < count; i++) {
        const key = keyPair ? [k0[i], k1[i]] : k0[i];
        out[outStart + i] = [key, valuePair ? [v0[i], v1[i]] : v0[i]];
      }
      return;
    }
    case 'object': {
      const fields = shape.fields;
      for (let c = 0; c < columns.length; c++)
        decodeColumnInto(buffer, columns[c]!, start, end, columnScratch[c]!, 0, where);
      // An own property named __proto__ would set the prototype through plain assignment; define it instead.
      const needsDefine = fields.includes('__proto__');
      for (let i = 0; i < count; i++) {
        const record: Record<string, unknown> = {};
        for (let c = 0; c < fields.length; c++) {
          const value = columnScratch[c]![i];
          if (needsDefine) {
            Object.defineProperty(record, fields[c]!, { value, enumerable: true, writable: true, configurable: true });
          } else record[fields[c]!] = value;
        }
        out[outStart + i] = record;
      }
      return;
    }
  }
}

/** Calls `visit(start, end, scratch)` per chunk of rows, with column scratch arrays sized for one chunk. */
function forEachChunk(block: Block, visit: (start: number, end: number, scratch: unknown[][]) => void): void {
  const chunkRows = Math.min(block.rows, chunkRowsMax);
  const scratch = block.shape.kind === 'scalar' ? [] : block.columns.map(() => new Array<unknown>(chunkRows));
  for (let start = 0; start < block.rows; start += chunkRowsMax) {
    visit(start, Math.min(block.rows, start + chunkRowsMax), scratch);
  }
}

/**
 * Decodes every record of `block`, in order, as fresh JS values (nothing returned aliases the block's shared
 * memory). Checks the descriptor's structure first, so a corrupt descriptor throws `BlockCorruptError` instead of
 * reading out of bounds; the checksum is `verifyBlock`'s job (one more pass over the bytes).
 *
 * @example
 * decodeBlock(encodeBlock([1, 'a', null])); // [1, 'a', null]
 */
export function decodeBlock(block: Block, where = 'block being decoded'): unknown[] {
  checkBlockStructure(block, where);
  const out = new Array<unknown>(block.rows);
  forEachChunk(block, (start, end, scratch) => decodeChunk(block, start, end, out, start, scratch, where));
  return out;
}

/**
 * Calls `fn(record, row)` for every record in order, decoding a few thousand rows at a time so memory stays
 * bounded by the chunk, not the block. Checks structure first, as `decodeBlock` does.
 *
 * @example
 * let total = 0;
 * forEachRecord(block, (record) => { total += (record as [string, number])[1]; });
 */
export function forEachRecord(
  block: Block,
  fn: (record: unknown, row: number) => void,
  where = 'block being read',
): void {
  checkBlockStructure(block, where);
  const chunk = new Array<unknown>(Math.min(block.rows, chunkRowsMax));
  forEachChunk(block, (start, end, scratch) => {
    decodeChunk(block, start, end, chunk, 0, scratch, where);
    for (let i = 0; i < end - start; i++) fn(chunk[i], start + i);
  });
}

/**
 * Decodes rows [start, end) of `block`, in order, as fresh JS values. The caller vouches for the descriptor and
 * those rows' bytes (a map output chunk read in place: its descriptor checked once, the rows by their checksum).
 *
 * @example
 * const rows = readMapOutputRows(ref, 3, false, where);
 * if (rows !== null) decodeBlockRows(rows.block, rows.start, rows.end); // e.g. [['a', 1]]
 */
export function decodeBlockRows(block: Block, start: number, end: number, where = 'block rows being read'): unknown[] {
  const out = new Array<unknown>(end - start);
  const chunkRows = Math.min(end - start, chunkRowsMax);
  const scratch = block.shape.kind === 'scalar' ? [] : block.columns.map(() => new Array<unknown>(chunkRows));
  for (let from = start; from < end; from += chunkRowsMax) {
    decodeChunk(block, from, Math.min(end, from + chunkRowsMax), out, from - start, scratch, where);
  }
  return out;
}
