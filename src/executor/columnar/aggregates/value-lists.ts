/**
 * Exact aggregates that need every value of a group: `countDistinct`, `median` and `quantile`. The partial state
 * of a group is its list of values packed into bytes (Spark's percentile likewise ships a serialized buffer): a
 * string-typed column whose row g is group g's list, so it crosses the shuffle as one Utf8 column (its bytes are
 * not text and are never decoded as such). `median` / `quantile` lists hold float64s (8 bytes each); the map side
 * of `countDistinct` first drops duplicate values per group, then lists each value as a 4-byte length and its
 * tuple-key bytes. Nulls are skipped (`countDistinct` skips a row where any of its columns is null).
 */
import type { AggregateSpec } from '../../../protocol/columnar.js';
import type { Batch, Column, Utf8Column } from '../batches/batch.js';
import { allNull, columnOf } from '../batches/batch.js';
import { countColumn } from '../grouping/group-states.js';
import { bothValid } from '../batches/validity.js';
import { ByteKeyTable } from '../kernels/byte-key-table.js';
import { hashBytes } from '../kernels/hash-bytes.js';
import { encodeTupleKey } from '../kernels/tuple-key.js';
import { stringArg } from '../functions/args.js';
import type { GroupAggregate } from './group-aggregate.js';
import { NumericInputs } from './numeric-inputs.js';
import { grownFloat64, grownInt32 } from './state-arrays.js';
import { isRetained } from '../batches/retained-buffers.js';
import type { GroupedChunk } from './quantile.js';
import { chunksInGroupOrder, percentileOfRanges, rowsByGroup, scatterChunks, selectPercentile } from './quantile.js';
import { deferredBytesColumn } from '../batches/deferred-bytes.js';

/** Per-group value lists of one `countDistinct`, `median` or `quantile`. */
export class ValueLists implements GroupAggregate {
  private readonly spec: AggregateSpec;
  private readonly mode: 'partial' | 'final';
  private readonly inputs: readonly string[];
  /** Map side of `median` / `quantile`: the input column's numbers, an int64 one converted once per batch. */
  private readonly numbers: NumericInputs;
  /**
   * Map side of `median` / `quantile`: the chunks of rows met (their values and group ids copied at their size, no
   * doubling arrays), in arrival order, and per group how many non-null values they hold.
   */
  private chunks: GroupedChunk[] = [];
  private groupCounts: Int32Array = new Int32Array(1024);
  /**
   * Reduce side of `median` / `quantile`: each partial list's group, and where its bytes are (`sources[source]`,
   * byte offsets start … end).
   */
  private sources: Uint8Array[] = [];
  private segmentGroups: Int32Array = new Int32Array(1024);
  private segmentSources: Int32Array = new Int32Array(1024);
  private segmentStarts: Int32Array = new Int32Array(1024);
  private segmentEnds: Int32Array = new Int32Array(1024);
  private segmentCount = 0;
  /** `countDistinct`: distinct (group, value) keys; per group, how many (on the reduce side). */
  private distinct: ByteKeyTable | null = null;
  private distinctCounts: Float64Array = new Float64Array(1024);
  private scratch = new Uint8Array(256);

  constructor(spec: AggregateSpec, mode: 'partial' | 'final', inputs: readonly string[]) {
    this.spec = spec;
    this.mode = mode;
    this.inputs = inputs;
    this.numbers = new NumericInputs(spec.fn);
  }

  add(batch: Batch, ids: Int32Array, from: number, to: number, groups: number): void {
    if (this.spec.fn === 'countDistinct') return this.addDistinct(batch, ids, from, to, groups);
    if (this.mode === 'final') return this.addLists(batch, ids, from, to);
    const input = this.numbers.of(batch, this.inputs[0]!);
    const rows = to - from;
    // The values of an in-memory cached block are kept as they are (the block outlives the task anyway): q6's
    // map side no longer copies 40 MB of them into fresh memory. Anything else is copied, this chunk's rows only:
    // a view of a block read back from a spill would hold its whole block (every column) for as long as the
    // aggregation lasts, and a computed column (an int64 one converted) may be a buffer of the whole batch.
    const kept = isRetained(input.values.buffer);
    const values = kept ? input.values : input.values.slice(from, to);
    const valid = kept ? input.valid : input.valid?.slice(from, to);
    const at = kept ? from : 0;
    const counts = (this.groupCounts = grownInt32(this.groupCounts, groups));
    if (valid === undefined) {
      for (let k = 0; k < rows; k++) counts[ids[k]!]!++;
    } else {
      for (let k = 0; k < rows; k++) if (valid[at + k] !== 0) counts[ids[k]!]!++;
    }
    this.chunks.push({ values, valid, from: at, to: at + rows, ids: ids.slice(0, rows) });
  }

  /**
   * Reduce side: notes where each partial row's list lies (its block's bytes stay where the shuffle put them), so
   * `final` copies every value once, straight into its group's run.
   */
  private addLists(batch: Batch, ids: Int32Array, from: number, to: number): void {
    const lists = this.lists(batch);
    const source = this.sources.indexOf(lists.bytes);
    const sourceIndex = source >= 0 ? source : this.sources.push(lists.bytes) - 1;
    const needed = this.segmentCount + (to - from);
    if (needed > this.segmentGroups.length) {
      this.segmentGroups = grownInt32(this.segmentGroups, needed);
      this.segmentSources = grownInt32(this.segmentSources, needed);
      this.segmentStarts = grownInt32(this.segmentStarts, needed);
      this.segmentEnds = grownInt32(this.segmentEnds, needed);
    }
    let n = this.segmentCount;
    for (let i = from; i < to; i++) {
      const s = lists.starts[i]!;
      const e = lists.ends[i]!;
      if ((lists.valid !== undefined && lists.valid[i] === 0) || e === s) continue;
      this.segmentGroups[n] = ids[i - from]!;
      this.segmentSources[n] = sourceIndex;
      this.segmentStarts[n] = s;
      this.segmentEnds[n++] = e;
    }
    this.segmentCount = n;
  }

  /** The partial lists of a reduce-side batch; a column of only nulls (see `emptyPartialRow`) as no list. */
  private lists(batch: Batch): Utf8Column {
    const column = columnOf(batch, this.inputs[0]!, 'agg()');
    if (column.type !== 'utf8' && allNull(column, batch.rows)) {
      const none = new Int32Array(batch.rows);
      return { type: 'utf8', bytes: new Uint8Array(0), starts: none, ends: none, valid: column.valid };
    }
    return stringArg('agg', column, { kind: 'col', name: this.inputs[0]! }, 0);
  }

  /** Adds (group, value) keys; a key new to the table counts one more distinct value for its group. */
  private addDistinct(batch: Batch, ids: Int32Array, from: number, to: number, groups: number): void {
    const table = (this.distinct ??= new ByteKeyTable(1 << 12));
    this.distinctCounts = grownFloat64(this.distinctCounts, groups);
    // Key: the group's 4 bytes, then the value's bytes (copied from `bytes`, or already in place when null).
    const insert = (g: number, bytes: Uint8Array | null, start: number, end: number) => {
      const length = end - start + 4;
      if (length > this.scratch.length) this.scratch = new Uint8Array(length * 2);
      const key = this.scratch;
      key[0] = g & 0xff;
      key[1] = (g >>> 8) & 0xff;
      key[2] = (g >>> 16) & 0xff;
      key[3] = g >>> 24;
      if (bytes !== null) key.set(bytes.subarray(start, end), 4);
      const before = table.size;
      table.findOrInsert(key, 0, length, hashBytes(key, 0, length));
      if (table.size > before) this.distinctCounts[g] = this.distinctCounts[g]! + 1;
    };
    if (this.mode === 'partial') {
      const columns = this.inputs.map((name) => columnOf(batch, name, 'agg()'));
      let valid: Uint8Array | undefined;
      for (const c of columns) valid = bothValid(valid, c.valid, to);
      let tail = this.scratch.subarray(4);
      for (let i = from; i < to; i++) {
        if (valid !== undefined && valid[i] === 0) continue;
        // The tuple's bytes go straight after the group's 4 bytes in the scratch key.
        let length = encodeTupleKey(columns, i, tail);
        while (length < 0) {
          this.scratch = new Uint8Array(this.scratch.length * 4);
          tail = this.scratch.subarray(4);
          length = encodeTupleKey(columns, i, tail);
        }
        insert(ids[i - from]!, null, 0, length);
      }
      return;
    }
    const lists = this.lists(batch);
    for (let i = from; i < to; i++) {
      if (lists.valid !== undefined && lists.valid[i] === 0) continue;
      const g = ids[i - from]!;
      const bytes = lists.bytes;
      const e = lists.ends[i]!;
      for (let at = lists.starts[i]!; at < e;) {
        const n = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
        insert(g, bytes, at + 4, at + 4 + n);
        at += 4 + n;
      }
    }
  }

  partial(groups: number): Column[] {
    if (this.spec.fn === 'countDistinct') return [this.packDistinct(groups)];
    // Group g's list: its values in arrival order, at bytes starts[g] … ends[g] of the values of every group in
    // group order. They are scattered there when the bytes are first read, or straight into the shuffle block that
    // carries the lists (one write of each value, not a scatter and then a copy).
    const chunks = this.chunks;
    const counts = grownInt32(this.groupCounts, groups);
    const starts = new Int32Array(groups);
    const ends = new Int32Array(groups);
    for (let g = 0, at = 0; g < groups; g++) {
      starts[g] = at;
      at += counts[g]! * 8;
      ends[g] = at;
    }
    return [
      deferredBytesColumn(starts, ends, {
        make: () => new Uint8Array(chunksInGroupOrder(chunks, counts, groups).sorted.buffer),
        writeRows: (rows, data) => writeListsOfRows(chunks, counts, groups, rows, data),
      }),
    ];
  }

  /** Each group's distinct values as [4-byte length][tuple-key bytes]…, taken from the (group, value) keys. */
  private packDistinct(groups: number): Column {
    const table = this.distinct;
    const size = table?.size ?? 0;
    const keyGroup = new Int32Array(size);
    let bytes = 0;
    for (let k = 0; k < size; k++) {
      const s = table!.keyStarts[k]!;
      const a = table!.arena;
      keyGroup[k] = a[s]! | (a[s + 1]! << 8) | (a[s + 2]! << 16) | (a[s + 3]! << 24);
      bytes += table!.keyEnds[k]! - s;
    }
    const { offsets, order } = rowsByGroup(keyGroup, size, groups);
    const out = new Uint8Array(bytes);
    const starts = new Int32Array(groups);
    const ends = new Int32Array(groups);
    let at = 0;
    for (let g = 0; g < groups; g++) {
      starts[g] = at;
      for (let j = offsets[g]!; j < offsets[g + 1]!; j++) {
        const k = order[j]!;
        const s = table!.keyStarts[k]!;
        const n = table!.keyEnds[k]! - s - 4;
        out[at] = n & 0xff;
        out[at + 1] = (n >>> 8) & 0xff;
        out[at + 2] = (n >>> 16) & 0xff;
        out[at + 3] = n >>> 24;
        out.set(table!.arena.subarray(s + 4, s + 4 + n), at + 4);
        at += 4 + n;
      }
      ends[g] = at;
    }
    return { type: 'utf8', bytes: out, starts, ends };
  }

  final(groups: number): Column {
    if (this.spec.fn === 'countDistinct')
      return countColumn(grownFloat64(this.distinctCounts, groups).subarray(0, groups));
    const q = this.spec.fn === 'median' ? 0.5 : this.spec.quantile!;
    const { offsets, order } = rowsByGroup(this.segmentGroups, this.segmentCount, groups);
    const starts = this.segmentStarts;
    const ends = this.segmentEnds;
    let longest = 0;
    let mostSegments = 0;
    for (let g = 0; g < groups; g++) {
      let bytes = 0;
      for (let j = offsets[g]!; j < offsets[g + 1]!; j++) bytes += ends[order[j]!]! - starts[order[j]!]!;
      longest = Math.max(longest, bytes);
      mostSegments = Math.max(mostSegments, offsets[g + 1]! - offsets[g]!);
    }
    // Each source's bytes as float64s where they start on an 8-byte boundary (a block's columns do): a list there
    // is read as numbers in place.
    const views = this.sources.map((bytes) =>
      bytes.byteOffset % 8 === 0 ? new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 3) : null,
    );
    // One group's values at a time, selected in `run`: read from its lists in place into the selection's first
    // round when every list is aligned, else copied byte for byte (a list may start anywhere in its block) first.
    const run = new Float64Array(longest / 8);
    const runBytes = new Uint8Array(run.buffer);
    const rangeViews: Float64Array[] = new Array<Float64Array>(mostSegments);
    const rangeStarts = new Int32Array(mostSegments);
    const rangeEnds = new Int32Array(mostSegments);
    const values = new Float64Array(groups);
    const valid = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) {
      const ranges = offsets[g + 1]! - offsets[g]!;
      if (ranges === 0) continue;
      valid[g] = 1;
      let aligned = true;
      for (let r = 0; r < ranges; r++) {
        const k = order[offsets[g]! + r]!;
        const view = views[this.segmentSources[k]!] ?? null;
        if (view === null || starts[k]! % 8 !== 0 || ends[k]! % 8 !== 0) {
          aligned = false;
          break;
        }
        rangeViews[r] = view;
        rangeStarts[r] = starts[k]! >>> 3;
        rangeEnds[r] = ends[k]! >>> 3;
      }
      if (aligned) {
        values[g] = percentileOfRanges(run, rangeViews, rangeStarts, rangeEnds, ranges, q);
        continue;
      }
      let at = 0;
      for (let j = offsets[g]!; j < offsets[g + 1]!; j++) {
        const k = order[j]!;
        runBytes.set(this.sources[this.segmentSources[k]!]!.subarray(starts[k]!, ends[k]!), at);
        at += ends[k]! - starts[k]!;
      }
      values[g] = selectPercentile(run, 0, at / 8, q);
    }
    return { type: 'f64', values, valid };
  }
}

/**
 * The lists of groups `rows[0]`, `rows[1]` … written back to back into `data` (a shuffle chunk's bytes) straight
 * from `chunks`, as `DeferredBytes.writeRows`: only when the rows are every group once (a scatter reads every
 * chunk, so a subset of the groups would cost as much as all of them) or none, and `data` is 8-byte aligned (a
 * block's buffers are).
 */
function writeListsOfRows(
  chunks: readonly GroupedChunk[],
  counts: Int32Array,
  groups: number,
  rows: Int32Array,
  data: Uint8Array,
): boolean {
  if (rows.length === 0) return true;
  if (rows.length !== groups || data.byteOffset % 8 !== 0) return false;
  const next = new Int32Array(groups).fill(-1);
  let at = 0;
  for (let i = 0; i < groups; i++) {
    const g = rows[i]!;
    if (next[g] !== -1) return false;
    next[g] = at;
    at += counts[g]!;
  }
  scatterChunks(chunks, next, new Float64Array(data.buffer, data.byteOffset, at));
  return true;
}
