/**
 * Exact quantiles as Spark's `percentile` (and `median`, which is `percentile(x, 0.5)`): the value at position
 * q × (n − 1) of the sorted values, interpolated linearly between its two neighbours — so the median of 1, 2, 3, 4
 * is 2.5 (as Spark, DuckDB's `quantile_cont` and Polars' `median`). "Sorted" is a typed array's sort: NaN after
 * every number, -0 before 0. The two neighbours are found by selection (quickselect), not by sorting the group:
 * about 3n comparisons instead of n log n, which was most of a median of groups of a thousand values.
 */

/** Selection rounds before giving up on quickselect for a sort (adversarial pivots: the worst case stays n log n). */
const SELECT_ROUNDS_MAX = 48;

/**
 * Quantile `q` in [0, 1] of `values[from, to)` (at least one value), as if the range were sorted. Reorders the
 * range.
 *
 * @example
 * selectPercentile(Float64Array.of(4, 1, 3, 2), 0, 4, 0.5); // 2.5
 */
export function selectPercentile(values: Float64Array, from: number, to: number, q: number): number {
  // NaN sorts last: move them to the end, select among the numbers.
  let numbersEnd = to;
  for (let i = from; i < numbersEnd; i++) {
    const v = values[i]!;
    if (v !== v) {
      values[i--] = values[--numbersEnd]!;
      values[numbersEnd] = v;
    }
  }
  return percentileOfNumbers(values, from, numbersEnd, to, q, from);
}

/**
 * Quantile `q` of the float64 ranges `views[r][starts[r] … ends[r])`, r < `ranges` (at least one value in all), as
 * if they were one sorted range: the same number `selectPercentile` gives for their concatenation. The values are
 * copied into `run` (at least their count long), and the copy is quickselect's first round: each value goes
 * below or above a pivot (the median of three of them) as it is copied, NaN aside. So the values are read once
 * and written once before the selection narrows, where a copy and then `selectPercentile` went over them three
 * times (the copy, the pass that moves NaN last, the first partition).
 *
 * @example
 * percentileOfRanges(run, [a, b], Int32Array.of(0, 4), Int32Array.of(3, 9), 2, 0.5);
 */
export function percentileOfRanges(
  run: Float64Array,
  views: readonly Float64Array[],
  starts: Int32Array,
  ends: Int32Array,
  ranges: number,
  q: number,
): number {
  let count = 0;
  for (let r = 0; r < ranges; r++) count += ends[r]! - starts[r]!;
  // The pivot: the median of the first range's first and middle values and the last range's last (a range that is
  // empty reads no value, and NaN or nothing leaves no pivot).
  const first = views[0]!;
  const last = views[ranges - 1]!;
  const a = first[starts[0]!]!;
  const b = first[(starts[0]! + ends[0]! - 1) >>> 1]!;
  const c = last[ends[ranges - 1]! - 1]!;
  const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  if (
    count <= INSERTION_RANGE_MAX ||
    pivot !== pivot ||
    ends[0] === starts[0] ||
    ends[ranges - 1] === starts[ranges - 1]
  ) {
    // Too few values for a first round to pay, or no pivot among the samples: copy, then select.
    let at = 0;
    for (let r = 0; r < ranges; r++) {
      run.set(views[r]!.subarray(starts[r]!, ends[r]!), at);
      at += ends[r]! - starts[r]!;
    }
    return selectPercentile(run, 0, count, q);
  }
  // Values below the pivot fill run from the front, the others from the back; each is written at both ends and
  // only the end it belongs to moves on (no branch on the comparison: it mispredicts on random values). A NaN is
  // only counted: the NaNs' places are the gap left between the two ends.
  let below = 0;
  let above = count - 1;
  let nans = 0;
  for (let r = 0; r < ranges; r++) {
    const view = views[r]!;
    const end = ends[r]!;
    for (let i = starts[r]!; i < end; i++) {
      const v = view[i]!;
      if (v !== v) {
        nans++;
        continue;
      }
      const less = +(v < pivot);
      run[below] = v;
      run[above] = v;
      below += less;
      above -= less ^ 1;
    }
  }
  // run[0, below) < pivot, run[below, below + nans) is the gap, run[below + nans, count) ≥ pivot: the values at
  // the back move into the gap, so the numbers end at count − nans and NaN fills the rest.
  const numbersEnd = count - nans;
  const moved = Math.min(nans, numbersEnd - below);
  for (let k = 0; k < moved; k++) run[below + k] = run[count - 1 - k]!;
  run.fill(NaN, numbersEnd, count);
  return percentileOfNumbers(run, 0, numbersEnd, count, q, below);
}

/**
 * Quantile `q` of `values[from, to)` whose numbers are `values[from, numbersEnd)` and NaN the rest, where every
 * value of `values[from, split)` is less than every value of `values[split, numbersEnd)` (a partition done already;
 * `split` = `from` for none). Reorders the numbers.
 */
function percentileOfNumbers(
  values: Float64Array,
  from: number,
  numbersEnd: number,
  to: number,
  q: number,
  split: number,
): number {
  const position = q * (to - from - 1);
  const lower = from + Math.floor(position);
  const higher = from + Math.ceil(position);
  const low = orderStatistic(values, from, numbersEnd, lower, split);
  if (lower === higher) return low;
  let high = NaN;
  if (higher < numbersEnd) {
    // After selecting `lower`, the values past it are all at least as large: the next order statistic is their least.
    high = values[higher]!;
    for (let i = higher + 1; i < numbersEnd; i++) if (values[i]! < high) high = values[i]!;
    if (high === 0) high = signedZero(values, from, numbersEnd, higher);
  }
  // Spark's formula: (higher − position) × lowerValue + (position − lower) × higherValue.
  return (higher - from - position) * low + (position - (lower - from)) * high;
}

/**
 * The value a sort would put at index `k` of `values[from, numbersEnd)` (NaN past the numbers), selected within
 * the side of `split` that holds k; leaves it at k.
 */
function orderStatistic(values: Float64Array, from: number, numbersEnd: number, k: number, split: number): number {
  if (k >= numbersEnd) return NaN;
  if (k < split) selectInPlace(values, from, split - 1, k);
  else selectInPlace(values, split, numbersEnd - 1, k);
  const v = values[k]!;
  return v === 0 ? signedZero(values, from, numbersEnd, k) : v;
}

/** Ranges this short are finished by an insertion sort. */
const INSERTION_RANGE_MAX = 16;

/**
 * Quickselect: afterwards values[l, k) ≤ values[k] ≤ values(k, r]. The partition is Lomuto's, written without a
 * branch on the comparison (each value is swapped to the front and the front moves on by `v < pivot` as 0 or 1):
 * on random values half of Hoare's comparisons mispredicted, and this loop took half the time (in-process, 10 k
 * ranges of 1000 values, q6's median). Values equal to the pivot are split off when k lies past it, so ties end
 * the search rather than slow it.
 */
function selectInPlace(values: Float64Array, l: number, r: number, k: number): void {
  for (let round = 0; r - l > INSERTION_RANGE_MAX; round++) {
    if (round === SELECT_ROUNDS_MAX) {
      values.subarray(l, r + 1).sort();
      return;
    }
    const m = (l + r) >>> 1;
    // Median of three as the pivot (sorted data, the usual adversary of a fixed pivot, then splits in halves).
    if (values[m]! < values[l]!) swap(values, m, l);
    if (values[r]! < values[l]!) swap(values, r, l);
    if (values[r]! < values[m]!) swap(values, r, m);
    const pivot = values[m]!;
    swap(values, m, l);
    let less = l + 1;
    for (let i = l + 1; i <= r; i++) {
      const v = values[i]!;
      const below = +(v < pivot);
      values[i] = values[less]!;
      values[less] = v;
      less += below;
    }
    // values[l, j) < pivot = values[j] ≤ values(j, r].
    const j = less - 1;
    swap(values, l, j);
    if (k < j) {
      r = j - 1;
      continue;
    }
    if (k === j) return;
    let equal = j + 1;
    for (let i = j + 1; i <= r; i++) {
      const v = values[i]!;
      const same = +(v === pivot);
      values[i] = values[equal]!;
      values[equal] = v;
      equal += same;
    }
    // values(j, equal) equal the pivot, values[equal, r] exceed it.
    if (k < equal) return;
    l = equal;
  }
  for (let i = l + 1; i <= r; i++) {
    const v = values[i]!;
    let at = i - 1;
    while (at >= l && values[at]! > v) values[at + 1] = values[at--]!;
    values[at + 1] = v;
  }
}

function swap(values: Float64Array, a: number, b: number): void {
  const t = values[a]!;
  values[a] = values[b]!;
  values[b] = t;
}

/** -0 or 0: what a sort (-0 before 0) puts at index `k` of the numbers, given that a zero is there. */
function signedZero(values: Float64Array, from: number, numbersEnd: number, k: number): number {
  let negatives = 0;
  let negativeZeros = 0;
  for (let i = from; i < numbersEnd; i++) {
    const v = values[i]!;
    if (v < 0) negatives++;
    else if (v === 0 && 1 / v < 0) negativeZeros++;
  }
  return k - from >= negatives && k - from < negatives + negativeZeros ? -0 : 0;
}

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
  const sorted = new Float64Array(offsets[groups]!);
  scatterChunks(chunks, offsets.slice(0, groups), sorted);
  return { offsets, sorted };
}

/**
 * Writes the non-null values of `chunks` to `into`, group g's from `next[g]` on in arrival order (`next` moves on
 * past them). Group g's run must have room for its values (as many as the chunks hold).
 *
 * @example
 * scatterChunks(chunks, offsets.slice(0, groups), sorted);
 */
export function scatterChunks(chunks: readonly GroupedChunk[], next: Int32Array, into: Float64Array): void {
  for (const { values, valid, from, to, ids } of chunks) {
    if (valid === undefined) {
      for (let i = from; i < to; i++) into[next[ids[i - from]!]!++] = values[i]!;
      continue;
    }
    for (let i = from; i < to; i++) if (valid[i] !== 0) into[next[ids[i - from]!]!++] = values[i]!;
  }
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
