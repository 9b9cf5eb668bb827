/**
 * Rows marked one bit a row, 32 to a word, and read back: the rows a top-rows-per-group pass keeps, listed ascending
 * or in the order the pass placed them. A few rows are kept of many (q8's map side: 200 k of 5 M), and reading them
 * back word by word skips the rows in between 32 at a time, where a byte a row cost a read of every row.
 */

/**
 * The words that mark `rows` rows.
 *
 * @example
 * const marks = new Int32Array(markWords(rows));
 */
export function markWords(rows: number): number {
  return (rows + 31) >>> 5;
}

/** Marks `row` (see `markWords`). @example mark(marks, row); */
export function mark(marks: Int32Array, row: number): void {
  marks[row >>> 5] = marks[row >>> 5]! | (1 << (row & 31));
}

/**
 * The `count` marked rows among `from … from + rows - 1`, ascending, less `from`.
 *
 * @example
 * const kept = markedRows(marks, 0, rows, count);
 */
export function markedRows(marks: Int32Array, from: number, rows: number, count: number): Int32Array {
  const kept = new Int32Array(count);
  const end = from + rows;
  let at = 0;
  for (let w = from >>> 5; w < markWords(end); w++) {
    let word = marks[w]!;
    while (word !== 0) {
      const row = w * 32 + (31 - Math.clz32(word & -word)); // the lowest bit set: rows come out ascending
      word &= word - 1;
      if (row >= from && row < end) kept[at++] = row - from;
    }
  }
  return kept;
}

/**
 * For the marked rows listed ascending, the order that lists them as `best` places them (-1: an empty place): the
 * position of a marked row in that list is the count of marks before it (per word, then within its word). Every
 * row in `best` must be marked.
 *
 * @example
 * const order = placeOrder(best, marks); // gatherBatch(keptRows, order, order.length)
 */
export function placeOrder(best: Int32Array, marks: Int32Array): Int32Array {
  const before = new Int32Array(marks.length);
  let count = 0;
  for (let w = 0; w < marks.length; w++) {
    before[w] = count;
    count += bitCount(marks[w]!);
  }
  const order = new Int32Array(count);
  let at = 0;
  for (let i = 0; i < best.length; i++) {
    const row = best[i]!;
    if (row < 0) continue;
    const w = row >>> 5;
    order[at++] = before[w]! + bitCount(marks[w]! & ((1 << (row & 31)) - 1));
  }
  return order;
}

/** The number of bits set in a 32-bit word. */
function bitCount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
