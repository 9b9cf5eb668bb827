/**
 * The first `limit` rows of each group in a sort order, found in one pass without sorting: each group keeps its
 * best rows so far in a small sorted run, and a row that does not beat the group's worst kept row costs one
 * comparison. A filtered `rowNumber()` window (db-benchmark q8: the two largest v3 of each id6) keeps two rows
 * of every group; sorting all of a task's rows to find them cost most of the question.
 */

/**
 * Ascending indices of the rows that are among the first `limit` of their group (`groupOf[row]`, groups
 * `0 … groups - 1`) in `compare` order. `compare` must never return 0 for two different rows (break ties by row
 * index, as `sortComparator` does), so "the first `limit`" is exactly what a stable sort would put first.
 *
 * @example
 * const kept = topRowsPerGroup(groupOf, groups, rows, 2, sortComparator([{ column: v3, ascending: false }]));
 */
export function topRowsPerGroup(
  groupOf: Int32Array,
  groups: number,
  rows: number,
  limit: number,
  compare: (a: number, b: number) => number,
): Int32Array {
  // Group g's kept rows, best first, are best[g * limit … g * limit + sizes[g] - 1].
  const best = new Int32Array(groups * limit);
  const sizes = new Int32Array(groups);
  for (let row = 0; row < rows; row++) {
    const g = groupOf[row]!;
    const start = g * limit;
    const size = sizes[g]!;
    if (size === limit && compare(row, best[start + limit - 1]!) > 0) continue;
    // Insert in order, dropping the worst when the run is full.
    let at = start + (size === limit ? limit - 1 : size);
    while (at > start && compare(row, best[at - 1]!) < 0) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = row;
    if (size < limit) sizes[g] = size + 1;
  }
  let count = 0;
  for (let g = 0; g < groups; g++) count += sizes[g]!;
  const kept = new Int32Array(count);
  let at = 0;
  for (let g = 0; g < groups; g++) {
    const start = g * limit;
    for (let i = 0; i < sizes[g]!; i++) kept[at++] = best[start + i]!;
  }
  return kept.sort();
}
