/**
 * The loops of the fused sums pass (`fused-sums.ts`) for two and three sums a row (db-benchmark q3, q4, q5), with
 * and without the row count, four rows at a time: when the four rows have four different groups, all their states
 * are read before any is written, so the core overlaps the four groups' cache misses (100 k groups of three sums
 * are 2.4 MB, past a core's L2) where one row at a time each row's loads queued behind the last row's stores. Rows
 * of one group among the four go one at a time, in row order, so every group's additions keep row order and the
 * sums stay bit-identical to the one-row-at-a-time pass. Kernel micro-benchmark (76 chunks of 64K rows, 100 k
 * random groups, int32, int32 and float64 values; CPU time, loaded machine): three sums 7.8–8.3 → 5.8–7.0 ns a
 * row, with the count 8.2–9.0 → 6.1–7.1.
 *
 * Each width has a loop with and one without the count, written out on purpose: a test of `counted` per row costs
 * the loop what the fusion saves. Offsets from a row's first lane are constants, so each access is one address mode.
 *
 * Each four-rows loop returns where it stopped and its caller adds the last 1–3 rows: code after a loop that has not
 * run when the loop is optimized (while a task's first chunk runs) has no type feedback, and deoptimized the loop's
 * function at the end of every later chunk, every run (`--trace-deopt`, q3: one deoptimization per 64K-row chunk).
 */
import type { SumValues } from './fused-sums.js';

/**
 * Adds `v0[i]` and `v1[i]` to lanes `base + 1` and `base + 2` of group `ids[i - from]` for rows `from … to - 1`,
 * and 1 to lane `base` when `counted`; without the count, to lanes `base` and `base + 1`.
 *
 * @example
 * addTwo(block.values, block.width, 0, true, v1, v3, groupIds, 0, 65_536);
 */
export function addTwo(
  s: Float64Array,
  width: number,
  base: number,
  counted: boolean,
  v0: SumValues,
  v1: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  // The last 1–3 rows here, not after each loop (the file's comment says why).
  const at = counted
    ? addTwoCounted(s, width, base, v0, v1, ids, from, to)
    : addTwoFourRows(s, width, base, v0, v1, ids, from, to);
  if (counted) addTwoCountedEach(s, width, base, v0, v1, ids, from, at, to);
  else addTwoEach(s, width, base, v0, v1, ids, from, at, to);
}

/** `addTwo` without the count, four rows at a time up to the last 1–3: returns the first row it did not add. */
function addTwoFourRows(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): number {
  let i = from;
  for (; i + 3 < to; i += 4) {
    const a = ids[i - from]! * width + base;
    const b = ids[i + 1 - from]! * width + base;
    const c = ids[i + 2 - from]! * width + base;
    const d = ids[i + 3 - from]! * width + base;
    if (!fourApart(a, b, c, d)) {
      addTwoEach(s, width, base, v0, v1, ids, from, i, i + 4);
      continue;
    }
    const a0 = s[a]!,
      a1 = s[a + 1]!;
    const b0 = s[b]!,
      b1 = s[b + 1]!;
    const c0 = s[c]!,
      c1 = s[c + 1]!;
    const d0 = s[d]!,
      d1 = s[d + 1]!;
    s[a] = a0 + v0[i]!;
    s[a + 1] = a1 + v1[i]!;
    s[b] = b0 + v0[i + 1]!;
    s[b + 1] = b1 + v1[i + 1]!;
    s[c] = c0 + v0[i + 2]!;
    s[c + 1] = c1 + v1[i + 2]!;
    s[d] = d0 + v0[i + 3]!;
    s[d + 1] = d1 + v1[i + 3]!;
  }
  return i;
}

/** `addTwo` without the count, one row at a time: rows `start … end - 1`, whose ids start at `ids[start - from]`. */
function addTwoEach(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  ids: Int32Array,
  from: number,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const at = ids[i - from]! * width + base;
    s[at] = s[at]! + v0[i]!;
    s[at + 1] = s[at + 1]! + v1[i]!;
  }
}

/** `addTwo` with the count in lane `base`, four rows at a time as `addTwoFourRows` (and returns as it). */
function addTwoCounted(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): number {
  let i = from;
  for (; i + 3 < to; i += 4) {
    const a = ids[i - from]! * width + base;
    const b = ids[i + 1 - from]! * width + base;
    const c = ids[i + 2 - from]! * width + base;
    const d = ids[i + 3 - from]! * width + base;
    if (!fourApart(a, b, c, d)) {
      addTwoCountedEach(s, width, base, v0, v1, ids, from, i, i + 4);
      continue;
    }
    const a0 = s[a]!,
      a1 = s[a + 1]!,
      a2 = s[a + 2]!;
    const b0 = s[b]!,
      b1 = s[b + 1]!,
      b2 = s[b + 2]!;
    const c0 = s[c]!,
      c1 = s[c + 1]!,
      c2 = s[c + 2]!;
    const d0 = s[d]!,
      d1 = s[d + 1]!,
      d2 = s[d + 2]!;
    s[a] = a0 + 1;
    s[a + 1] = a1 + v0[i]!;
    s[a + 2] = a2 + v1[i]!;
    s[b] = b0 + 1;
    s[b + 1] = b1 + v0[i + 1]!;
    s[b + 2] = b2 + v1[i + 1]!;
    s[c] = c0 + 1;
    s[c + 1] = c1 + v0[i + 2]!;
    s[c + 2] = c2 + v1[i + 2]!;
    s[d] = d0 + 1;
    s[d + 1] = d1 + v0[i + 3]!;
    s[d + 2] = d2 + v1[i + 3]!;
  }
  return i;
}

/** `addTwoCounted` one row at a time, as `addTwoEach`. */
function addTwoCountedEach(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  ids: Int32Array,
  from: number,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const at = ids[i - from]! * width + base;
    s[at] = s[at]! + 1;
    s[at + 1] = s[at + 1]! + v0[i]!;
    s[at + 2] = s[at + 2]! + v1[i]!;
  }
}

/**
 * `addTwo` for three columns: lanes `base + 1 … base + 3` with the count in lane `base`, or `base … base + 2`.
 *
 * @example
 * addThree(block.values, block.width, 0, false, v1, v2, v3, groupIds, 0, 65_536);
 */
export function addThree(
  s: Float64Array,
  width: number,
  base: number,
  counted: boolean,
  v0: SumValues,
  v1: SumValues,
  v2: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  // The last 1–3 rows here, not after each loop (the file's comment says why).
  const at = counted
    ? addThreeCounted(s, width, base, v0, v1, v2, ids, from, to)
    : addThreeFourRows(s, width, base, v0, v1, v2, ids, from, to);
  if (counted) addThreeCountedEach(s, width, base, v0, v1, v2, ids, from, at, to);
  else addThreeEach(s, width, base, v0, v1, v2, ids, from, at, to);
}

/** `addThree` without the count, four rows at a time up to the last 1–3: returns the first row it did not add. */
function addThreeFourRows(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  v2: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): number {
  let i = from;
  for (; i + 3 < to; i += 4) {
    const a = ids[i - from]! * width + base;
    const b = ids[i + 1 - from]! * width + base;
    const c = ids[i + 2 - from]! * width + base;
    const d = ids[i + 3 - from]! * width + base;
    if (!fourApart(a, b, c, d)) {
      addThreeEach(s, width, base, v0, v1, v2, ids, from, i, i + 4);
      continue;
    }
    const a0 = s[a]!,
      a1 = s[a + 1]!,
      a2 = s[a + 2]!;
    const b0 = s[b]!,
      b1 = s[b + 1]!,
      b2 = s[b + 2]!;
    const c0 = s[c]!,
      c1 = s[c + 1]!,
      c2 = s[c + 2]!;
    const d0 = s[d]!,
      d1 = s[d + 1]!,
      d2 = s[d + 2]!;
    s[a] = a0 + v0[i]!;
    s[a + 1] = a1 + v1[i]!;
    s[a + 2] = a2 + v2[i]!;
    s[b] = b0 + v0[i + 1]!;
    s[b + 1] = b1 + v1[i + 1]!;
    s[b + 2] = b2 + v2[i + 1]!;
    s[c] = c0 + v0[i + 2]!;
    s[c + 1] = c1 + v1[i + 2]!;
    s[c + 2] = c2 + v2[i + 2]!;
    s[d] = d0 + v0[i + 3]!;
    s[d + 1] = d1 + v1[i + 3]!;
    s[d + 2] = d2 + v2[i + 3]!;
  }
  return i;
}

/** `addThree` without the count, one row at a time: rows `start … end - 1`, whose ids start at `ids[start - from]`. */
function addThreeEach(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  v2: SumValues,
  ids: Int32Array,
  from: number,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const at = ids[i - from]! * width + base;
    s[at] = s[at]! + v0[i]!;
    s[at + 1] = s[at + 1]! + v1[i]!;
    s[at + 2] = s[at + 2]! + v2[i]!;
  }
}

/** `addThree` with the count in lane `base`, four rows at a time as `addThreeFourRows` (and returns as it). */
function addThreeCounted(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  v2: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): number {
  let i = from;
  for (; i + 3 < to; i += 4) {
    const a = ids[i - from]! * width + base;
    const b = ids[i + 1 - from]! * width + base;
    const c = ids[i + 2 - from]! * width + base;
    const d = ids[i + 3 - from]! * width + base;
    if (!fourApart(a, b, c, d)) {
      addThreeCountedEach(s, width, base, v0, v1, v2, ids, from, i, i + 4);
      continue;
    }
    const a0 = s[a]!,
      a1 = s[a + 1]!,
      a2 = s[a + 2]!,
      a3 = s[a + 3]!;
    const b0 = s[b]!,
      b1 = s[b + 1]!,
      b2 = s[b + 2]!,
      b3 = s[b + 3]!;
    const c0 = s[c]!,
      c1 = s[c + 1]!,
      c2 = s[c + 2]!,
      c3 = s[c + 3]!;
    const d0 = s[d]!,
      d1 = s[d + 1]!,
      d2 = s[d + 2]!,
      d3 = s[d + 3]!;
    s[a] = a0 + 1;
    s[a + 1] = a1 + v0[i]!;
    s[a + 2] = a2 + v1[i]!;
    s[a + 3] = a3 + v2[i]!;
    s[b] = b0 + 1;
    s[b + 1] = b1 + v0[i + 1]!;
    s[b + 2] = b2 + v1[i + 1]!;
    s[b + 3] = b3 + v2[i + 1]!;
    s[c] = c0 + 1;
    s[c + 1] = c1 + v0[i + 2]!;
    s[c + 2] = c2 + v1[i + 2]!;
    s[c + 3] = c3 + v2[i + 2]!;
    s[d] = d0 + 1;
    s[d + 1] = d1 + v0[i + 3]!;
    s[d + 2] = d2 + v1[i + 3]!;
    s[d + 3] = d3 + v2[i + 3]!;
  }
  return i;
}

/** `addThreeCounted` one row at a time, as `addThreeEach`. */
function addThreeCountedEach(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  v2: SumValues,
  ids: Int32Array,
  from: number,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const at = ids[i - from]! * width + base;
    s[at] = s[at]! + 1;
    s[at + 1] = s[at + 1]! + v0[i]!;
    s[at + 2] = s[at + 2]! + v1[i]!;
    s[at + 3] = s[at + 3]! + v2[i]!;
  }
}

/**
 * True when four rows' first lanes differ, so they belong to four groups whose lanes do not overlap (a run is at
 * most `width` lanes): each group then gets one addition from the four rows, and reading all their states before
 * writing any changes no sum. Rows of one group among the four go one at a time, in row order.
 */
function fourApart(a: number, b: number, c: number, d: number): boolean {
  return a !== b && a !== c && a !== d && b !== c && b !== d && c !== d;
}
