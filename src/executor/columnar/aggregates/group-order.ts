/**
 * Values ordered by their group with a counting sort (offsets from per-group counts, then each item moved once to
 * its group's run): how `median` / `quantile` lay out their per-group value lists, and how `countDistinct` packs its
 * keys.
 */

/**
 * A counting sort of `count` rows by their group: `order[offsets[g] … offsets[g + 1])` are group g's rows, in
 * arrival order.
 *
 * @example
 * const { offsets, order } = rowsByGroup(groupOf, rows, groups);
 */
export function rowsByGroup(
  groupOf: Int32Array,
  count: number,
  groups: number,
): { readonly offsets: Int32Array; readonly order: Int32Array } {
  const offsets = groupOffsets(groupOf, count, groups);
  const next = offsets.slice(0, groups);
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) order[next[groupOf[k]!]!++] = k;
  return { offsets, order };
}

/** Rows `from … to - 1` of a numeric column as one aggregation chunk met them: row `from + k`'s group is `ids[k]`. */
export interface GroupedChunk {
  readonly values: Float64Array | Int32Array;
  /** 0 for a null row (skipped). */
  readonly valid: Uint8Array | undefined;
  readonly from: number;
  readonly to: number;
  readonly ids: Int32Array;
}

/**
 * The non-null values of `chunks` ordered by their group, in arrival order within one: group g's values are
 * `sorted[offsets[g] … offsets[g + 1])`, where `counts[g]` is how many there are (counted as the chunks came). A
 * counting sort that moves each value once, straight from its input column to its place: no copy of every value
 * and its group into growing arrays first (which cost q6's map side two more writes of every value, and the
 * doubling's copies and fresh pages).
 *
 * @example
 * const { offsets, sorted } = chunksInGroupOrder(chunks, counts, groups);
 */
export function chunksInGroupOrder(
  chunks: readonly GroupedChunk[],
  counts: Int32Array,
  groups: number,
): { readonly offsets: Int32Array; readonly sorted: Float64Array } {
  const offsets = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) offsets[g + 1] = offsets[g]! + counts[g]!;
  const next = offsets.slice(0, groups);
  const sorted = new Float64Array(offsets[groups]!);
  for (const { values, valid, from, to, ids } of chunks) {
    if (valid === undefined) {
      for (let i = from; i < to; i++) sorted[next[ids[i - from]!]!++] = values[i]!;
      continue;
    }
    for (let i = from; i < to; i++) if (valid[i] !== 0) sorted[next[ids[i - from]!]!++] = values[i]!;
  }
  return { offsets, sorted };
}

/** Where each group's run starts in group order: group g's `count` items are `[offsets[g] … offsets[g + 1])`. */
function groupOffsets(groupOf: Int32Array, count: number, groups: number): Int32Array {
  const offsets = new Int32Array(groups + 1);
  for (let k = 0; k < count; k++) {
    const g = groupOf[k]! + 1;
    offsets[g] = offsets[g]! + 1;
  }
  for (let g = 0; g < groups; g++) offsets[g + 1] = offsets[g + 1]! + offsets[g]!;
  return offsets;
}
