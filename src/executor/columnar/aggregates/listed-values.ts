/**
 * The map side of `median` / `quantile`: the non-null values a task meets and their groups, appended as they come,
 * and how many each group has; at the end, the values ordered by group (the partial lists, `inGroupOrder`). Its
 * buffers go to the next one on this thread once the partial column is let go (`release`): a map task of q6's
 * (625 k rows) otherwise wrote ~12 MB of fresh pages, and a counting sort into fresh pages took 1.5–2× as long as
 * into used ones (in-process, 5 M values into 10 k groups; copying chunks into used buffers, half the time of
 * slicing them).
 */
import { grownInt32 } from './state-arrays.js';
import { chunksInGroupOrder } from './group-order.js';

/** Buffers kept for the next map side on this thread, at most this many bytes (more are left to the collector). */
const SPARE_BYTES_MAX = 64 * 2 ** 20;
/** Least values room of a first `add` that finds no spare buffers big enough. */
const FIRST_CAPACITY_MIN = 1 << 16;

interface Buffers {
  readonly values: Float64Array;
  readonly ids: Int32Array;
  readonly packed: Float64Array;
}

/** This thread's spare buffers (each worker thread has its own module instance). */
let spare: Buffers | null = null;

/** Values and groups of one map-side `median` / `quantile`, appended in arrival order. */
export class ListedValues {
  private values: Float64Array = new Float64Array(0);
  private ids: Int32Array = new Int32Array(0);
  /** Where `inGroupOrder` writes the lists (a view of it is the partial column until `release`). */
  private packed: Float64Array = new Float64Array(0);
  private count = 0;
  private groupCounts: Int32Array = new Int32Array(1024);
  private taken = false;

  /**
   * Appends the non-null values of rows `from … to - 1` of a numeric column; row `from + k`'s group is `ids[k]`.
   * `rowsAhead` (at least `to - from`): rows of this batch still to come, so a first chunk makes room for its whole
   * batch (a cached partition is one batch) rather than doubling towards it.
   */
  add(
    column: Float64Array | Int32Array,
    valid: Uint8Array | undefined,
    ids: Int32Array,
    from: number,
    to: number,
    groups: number,
    rowsAhead: number,
  ): void {
    const rows = to - from;
    this.reserve(this.count + rows, this.count + Math.max(rows, rowsAhead));
    const counts = (this.groupCounts = grownInt32(this.groupCounts, groups));
    const values = this.values;
    const listedIds = this.ids;
    let n = this.count;
    if (valid === undefined) {
      values.set(column.subarray(from, to), n);
      listedIds.set(ids.subarray(0, rows), n);
      for (let k = 0; k < rows; k++) counts[ids[k]!]!++;
      n += rows;
    } else {
      for (let k = 0; k < rows; k++) {
        if (valid[from + k] === 0) continue;
        values[n] = column[from + k]!;
        listedIds[n++] = ids[k]!;
        counts[ids[k]!]!++;
      }
    }
    this.count = n;
  }

  /** The values ordered by group (arrival order within one): group g's are `sorted[offsets[g] … offsets[g + 1])`. */
  inGroupOrder(groups: number): { readonly offsets: Int32Array; readonly sorted: Float64Array } {
    const chunk = { values: this.values, valid: undefined, from: 0, to: this.count, ids: this.ids };
    const ordered = chunksInGroupOrder([chunk], this.groupCounts, groups, this.packed);
    this.packed = ordered.sorted.length > this.packed.length ? ordered.sorted : this.packed;
    return ordered;
  }

  /**
   * Hands the buffers to the next map side on this thread. WARNING: only once nothing reads the column made from
   * `inGroupOrder`'s values any more: the next one writes over them.
   */
  release(): void {
    if (!this.taken) return;
    const bytes = this.values.byteLength + this.ids.byteLength + this.packed.byteLength;
    if (bytes <= SPARE_BYTES_MAX && (spare === null || spare.values.length < this.values.length))
      spare = { values: this.values, ids: this.ids, packed: this.packed };
    this.values = new Float64Array(0);
    this.ids = new Int32Array(0);
    this.packed = new Float64Array(0);
    this.taken = false;
  }

  /** Room for `n` values (`wanted` if it must grow): the thread's spare buffers at first, grown past them. */
  private reserve(n: number, wanted: number): void {
    if (!this.taken) {
      this.taken = true;
      if (spare !== null) {
        ({ values: this.values, ids: this.ids, packed: this.packed } = spare);
        spare = null;
      }
    }
    if (n <= this.values.length) return;
    // The first batch of a task as it is; later ones by doubling (a task of many batches copies each value O(1) times).
    const capacity = Math.max(wanted, FIRST_CAPACITY_MIN, this.count === 0 ? 0 : this.values.length * 2);
    const values = new Float64Array(capacity);
    values.set(this.values.subarray(0, this.count));
    const ids = new Int32Array(capacity);
    ids.set(this.ids.subarray(0, this.count));
    this.values = values;
    this.ids = ids;
  }
}
