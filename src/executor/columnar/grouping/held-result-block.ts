/**
 * The answer of a reduce side that held its rows (`held-rows-reduce.ts`: many groups, db-benchmark q10's ten
 * million) written straight into the block a collect hands back: the key columns from the groups' codes, the counts
 * and sums from their state lanes, each written once, into the block's one SharedArrayBuffer. Assembled as other
 * answers are (a column per key and aggregate, then `blockOfBatches` copying them into a block), a reduce task of five
 * million groups took 200 MB of row-sized arrays first (a float64 column is 40 MB, allocated fresh each time: above
 * glibc's mmap threshold, so every page is faulted in again) and then copied them. The block's own buffer is the only
 * fresh memory left; its columns are the answer's batch (views), so a collect returns the block as it is
 * (`committedBlockOf`) and any other operator reads the views.
 */
import type { Block } from '../../../protocol/block.js';
import { dictionaryCodeBytes } from '../../../protocol/block.js';
import {
  assembleBlock,
  bitmapBytes,
  type ColumnTarget,
  type PendingColumn,
} from '../../../storage/blocks/block-layout.js';
import type { Batch, Column } from '../batches/batch.js';
import { blockToBatch } from '../batches/blocks.js';
import type { GroupStates } from './group-states.js';
import type { HeldKeyCodes } from '../kernels/coded-tuple-keys.js';
import type { PackedColumn } from '../kernels/packed-code-tuples.js';

/** Answers written as blocks here, by their batch: a collect of exactly that batch takes the block. */
const blocksOfAnswers = new WeakMap<Batch, Block>();

/**
 * The block behind `batch` when it is an answer written here (its columns are views of it), else undefined.
 *
 * @example
 * const block = committedBlockOf(batch) ?? blockOfBatches([batch]);
 */
export function committedBlockOf(batch: Batch): Block | undefined {
  return blocksOfAnswers.get(batch);
}

/**
 * `columns` (named `names`, `rows` rows each) written into one committed block; returns the block's columns as a
 * batch (views), which `committedBlockOf` maps back to the block.
 *
 * @example
 * const batch = answerBlockBatch(['id1', 'n'], groups, [heldKeyColumn(...), countLaneColumn(...)]);
 */
export function answerBlockBatch(names: readonly string[], rows: number, columns: readonly PendingColumn[]): Batch {
  const block = assembleBlock({ kind: 'object', fields: [...names] }, rows, columns);
  const batch = blockToBatch(block, 'aggregate answer', false);
  blocksOfAnswers.set(batch, block);
  return batch;
}

/**
 * Key column `name` of `groups` groups from their codes (`CodedTupleKeys.heldKeyCodes`): strings as a `utf8-dict`
 * column over the column's dictionary (each string once, a code per group: as `blockOfBatches` writes a
 * dictionary-read column), numbers as int32 when `template`, the answer's key type (`KeyTypes`), is int32 (then every
 * number in the dictionary came from an int32 column), else as float64. Null when the column is not one of those
 * (dates and timestamps, which the caller writes from a decoded column), or when every string key is null (written
 * as a plain column, as before).
 */
export function heldKeyColumn(
  name: string,
  key: HeldKeyCodes,
  groups: number,
  template: Column | undefined,
): PendingColumn | null {
  const { nullCode } = key;
  const { words, shift, mask } = key.codes;
  let nullCount = 0;
  if (nullCode >= 0) for (let g = 0; g < groups; g++) if (((words[g]! >>> shift) & mask) === nullCode) nullCount++;
  const base = { name, nullCount, validityBytes: nullCount > 0 ? bitmapBytes(groups) : 0, timeZone: null };
  const validity = (target: ColumnTarget) => {
    if (target.validity !== null) {
      setValidBits(target.validity, groups, (g) => ((words[g]! >>> shift) & mask) !== nullCode);
    }
  };
  const strings = key.strings;
  if (strings !== null) {
    if (nullCount === groups) return null;
    // The table's strings sit one after the other in its arena (a reserved null code as an empty one).
    const size = strings.size;
    const first = strings.keyStarts[0]!;
    const end = strings.keyEnds[size - 1]!;
    return {
      ...base,
      type: 'utf8-dict',
      hasOffsets: true,
      dataBytes: end - first,
      dictionarySize: size,
      fill: (target) => {
        validity(target);
        const offsets = target.offsets!;
        for (let c = 0; c < size; c++) offsets[c] = strings.keyStarts[c]! - first;
        offsets[size] = end - first;
        target.data!.set(strings.arena.subarray(first, end));
        writeCodes(target.codes!, dictionaryCodeBytes(size), key.codes, groups, nullCode);
      },
    };
  }
  if (template?.type === 'date' || template?.type === 'timestamp') return null;
  const numbers = key.numbers!;
  // Int32 keys written as int32: half the bytes to fill (q10's answer: 60 of 120 MB a task) and to hand back.
  const int32 = template?.type === 'i32';
  return {
    ...base,
    type: int32 ? 'i32' : 'f64',
    hasOffsets: false,
    dataBytes: groups * (int32 ? 4 : 8),
    fill: (target) => {
      validity(target);
      const data = target.data!;
      const values = int32
        ? new Int32Array(data.buffer, data.byteOffset, groups)
        : new Float64Array(data.buffer, data.byteOffset, groups);
      for (let g = 0; g < groups; g++) {
        const code = (words[g]! >>> shift) & mask;
        if (code !== nullCode) values[g] = numbers[code]!;
      }
    },
  };
}

/**
 * A count's column from its state lane: int32, or float64 when a count passes int32 (as `countColumn` types it).
 */
export function countLaneColumn(name: string, states: GroupStates, groups: number): PendingColumn {
  const { values, width } = states.block;
  const lane = states.lane;
  let wide = false;
  for (let g = 0, at = lane; g < groups && !wide; g++, at += width) wide = values[at]! > 0x7fffffff;
  return {
    name,
    type: wide ? 'f64' : 'i32',
    nullCount: 0,
    validityBytes: 0,
    hasOffsets: false,
    dataBytes: groups * (wide ? 8 : 4),
    timeZone: null,
    fill: (target) => {
      const data = target.data!;
      const out = wide
        ? new Float64Array(data.buffer, data.byteOffset, groups)
        : new Int32Array(data.buffer, data.byteOffset, groups);
      for (let g = 0, at = lane; g < groups; g++, at += width) out[g] = values[at]!;
    },
  };
}

/**
 * A sum's, min's or max's column from its state lane, null where a group saw no value, typed as `extremeColumn`
 * types it: int32 for a min or max of int32 (`input`), else float64; null when the input was of another type (an
 * int64, a date or a timestamp) or the states met int64 values (`GroupStates.exact`): the caller writes those from
 * a typed column.
 */
export function stateLaneColumn(
  name: string,
  states: GroupStates,
  groups: number,
  input: Column | null,
): PendingColumn | null {
  if (states.exact !== null || (input !== null && input.type !== 'f64' && input.type !== 'i32')) return null;
  const int32 = input?.type === 'i32';
  const { values, width } = states.block;
  const lane = states.lane;
  const seen = states.validity(groups);
  let nullCount = 0;
  if (seen !== undefined) for (let g = 0; g < groups; g++) nullCount += seen[g]! ^ 1;
  return {
    name,
    type: int32 ? 'i32' : 'f64',
    nullCount,
    validityBytes: nullCount > 0 ? bitmapBytes(groups) : 0,
    hasOffsets: false,
    dataBytes: groups * (int32 ? 4 : 8),
    timeZone: null,
    fill: (target) => {
      if (target.validity !== null) setValidBits(target.validity, groups, (g) => seen![g] === 1);
      const data = target.data!;
      const out = int32
        ? new Int32Array(data.buffer, data.byteOffset, groups)
        : new Float64Array(data.buffer, data.byteOffset, groups);
      // A group without a value holds NaN or -Infinity, which an int32 lane writes as 0 (null by its validity bit).
      for (let g = 0, at = lane; g < groups; g++, at += width) out[g] = values[at]!;
    },
  };
}

/** Sets bit g of `bits` (zeroed) for each of `rows` rows that `valid(g)`. */
function setValidBits(bits: Uint8Array, rows: number, valid: (g: number) => boolean): void {
  for (let g = 0; g < rows; g++) if (valid(g)) bits[g >>> 3] = bits[g >>> 3]! | (1 << (g & 7));
}

/** Each group's code at the stored width into `target` (zeroed; a null group's code stays 0). */
function writeCodes(target: Uint8Array, width: 1 | 2 | 4, codes: PackedColumn, groups: number, nullCode: number): void {
  const { words, shift, mask } = codes;
  const out =
    width === 1
      ? target
      : width === 2
        ? new Uint16Array(target.buffer, target.byteOffset, groups)
        : new Int32Array(target.buffer, target.byteOffset, groups);
  for (let g = 0; g < groups; g++) {
    const code = (words[g]! >>> shift) & mask;
    if (code !== nullCode) out[g] = code;
  }
}
