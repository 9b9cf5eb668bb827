/**
 * Exact quantiles as Spark's `percentile` (and `median`, which is `percentile(x, 0.5)`): the value at position
 * q × (n − 1) of the sorted values, interpolated linearly between its two neighbours — so the median of 1, 2, 3, 4
 * is 2.5 (as Spark, DuckDB's `quantile_cont` and Polars' `median`). "Sorted" is a typed array's sort: NaN after
 * every number, -0 before 0. The two neighbours are found by selection (quickselect, after a narrowing by samples
 * for long ranges), not by sorting the group: about 3n comparisons instead of n log n, which was most of a median
 * of groups of a thousand values.
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
  if (to - from >= NARROWED_RANGE_MIN) {
    const narrowed = narrowedPercentile(values, from, to, q);
    if (narrowed !== undefined) return narrowed;
  }
  // NaN sorts last: move them to the end, select among the numbers.
  let numbersEnd = to;
  for (let i = from; i < numbersEnd; i++) {
    const v = values[i]!;
    if (v !== v) {
      values[i--] = values[--numbersEnd]!;
      values[numbersEnd] = v;
    }
  }
  const position = q * (to - from - 1);
  const lower = from + Math.floor(position);
  const higher = from + Math.ceil(position);
  const low = orderStatistic(values, from, numbersEnd, lower);
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

/** Ranges at least this long are first narrowed by samples (`narrowedPercentile`); shorter ones are selected directly. */
const NARROWED_RANGE_MIN = 512;
/** Values sampled to bracket the wanted ranks, per narrowing round. */
const SAMPLE_SIZE = 64;
/**
 * Sample ranks kept either side of the wanted ones: 2.5 standard deviations of where a median's rank falls in 64
 * samples (sqrt(64 × ½ × ½) = 4), so under 1 % of rounds miss (and the range is then selected whole; random values,
 * medians and 0.9-quantiles of 1000 and 5000). A round keeps about (2 × 10 + 1) / 64 of its values. (12 kept more
 * and missed less, 8 missed more: neither was faster.)
 */
const SAMPLE_MARGIN = 10;
/**
 * Scratch of `narrowedPercentile`: its samples, and the values between its bounds, kept from range to range up to
 * this many values (a longer range gets its own, let go after it: one huge group must not pin its size for good).
 */
const KEPT_RETAINED_MAX = 1 << 16;
const sample = new Float64Array(SAMPLE_SIZE);
let retained = new Float64Array(1024);

/**
 * Quantile `q` of `values[from, to)` found by narrowing (after Floyd and Rivest): selected samples bracket the two
 * wanted ranks between bounds `low ≤ high`; one pass counts the values below `low` and copies those within the
 * bounds, and rounds narrow the copies in place until few are left, which quickselect finishes: about 1.5 reads of
 * each value, where quickselect alone moves each about three times (in-process, medians of groups of 1000 and 5000
 * random values: about 0.85× and 0.65× the CPU time; shorter ranges gained nothing). Leaves `values` as they were. Undefined (the caller then selects the whole range) when the range holds a
 * NaN or a round's bounds missed the wanted ranks.
 */
function narrowedPercentile(values: Float64Array, from: number, to: number, q: number): number | undefined {
  const position = q * (to - from - 1);
  const lowerRank = Math.floor(position);
  const higherRank = Math.ceil(position);
  const n = to - from;
  if (retained.length < n && n <= KEPT_RETAINED_MAX) retained = new Float64Array(Math.min(KEPT_RETAINED_MAX, n * 2));
  const kept = n <= retained.length ? retained : new Float64Array(n);
  // The wanted ranks within source[start, end): the range, then the values kept by the rounds so far.
  let source = values;
  let start = from;
  let end = to;
  let lowerAt = lowerRank;
  let higherAt = higherRank;
  for (;;) {
    const count = end - start;
    const below = narrowRound(source, start, end, lowerAt, higherAt, kept);
    if (below < 0) return undefined;
    lowerAt -= below;
    higherAt -= below;
    source = kept;
    start = 0;
    end = keptCount;
    // Stop when few are left, or when a round kept most (ties: the bounds were equal values).
    if (end < NARROWED_RANGE_MIN || end * 2 > count) break;
  }
  selectInPlace(kept, 0, end - 1, lowerAt);
  let lowValue = kept[lowerAt]!;
  if (lowValue === 0) lowValue = signedZero(values, from, to, from + lowerRank);
  if (lowerRank === higherRank) return lowValue;
  // After selecting lowerAt, the kept values past it are all at least as large: the next rank is their least.
  let highValue = kept[lowerAt + 1]!;
  for (let i = lowerAt + 2; i < end; i++) if (kept[i]! < highValue) highValue = kept[i]!;
  if (highValue === 0) highValue = signedZero(values, from, to, from + higherRank);
  // Spark's formula, as `selectPercentile`'s.
  return (higherRank - position) * lowValue + (position - lowerRank) * highValue;
}

/** How many values the last `narrowRound` kept. */
let keptCount = 0;

/**
 * One round of `narrowedPercentile`: bounds from samples of `source[start, end)` around ranks `lowerAt ≤ higherAt`
 * of it; copies the values within them to `kept[0, keptCount)` (which may be `source` itself, from 0) and returns
 * how many are below — or −1 when a NaN was met or the kept values do not hold both ranks.
 */
function narrowRound(
  source: Float64Array,
  start: number,
  end: number,
  lowerAt: number,
  higherAt: number,
  kept: Float64Array,
): number {
  const count = end - start;
  const stride = count / SAMPLE_SIZE;
  for (let i = 0; i < SAMPLE_SIZE; i++) sample[i] = source[start + Math.floor(i * stride)]!;
  // A bound at the sample's edge is open: the sampled extreme need not be the range's.
  const lowIndex = Math.round((lowerAt * SAMPLE_SIZE) / count) - SAMPLE_MARGIN;
  const highIndex = Math.round((higherAt * SAMPLE_SIZE) / count) + SAMPLE_MARGIN;
  let low = -Infinity;
  if (lowIndex > 0) {
    selectInPlace(sample, 0, SAMPLE_SIZE - 1, lowIndex);
    low = sample[lowIndex]!;
  }
  let high = Infinity;
  if (highIndex < SAMPLE_SIZE - 1) {
    selectInPlace(sample, Math.max(0, lowIndex), SAMPLE_SIZE - 1, highIndex);
    high = sample[highIndex]!;
  }
  let below = 0;
  let inside = 0;
  let nans = 0;
  for (let i = start; i < end; i++) {
    // Without a branch on the comparisons (as the partition of `selectInPlace`): on random values they mispredict
    // about a third of the time, and a branching loop took twice as long as the quickselect it saves.
    const v = source[i]!;
    const isBelow = +(v < low);
    const isAbove = +(v > high);
    kept[inside] = v;
    inside += 1 - isBelow - isAbove;
    below += isBelow;
    nans += +(v !== v);
  }
  keptCount = inside;
  return nans > 0 || below > lowerAt || higherAt >= below + inside ? -1 : below;
}

/** The value a sort would put at index `k` of `values[from, numbersEnd)` (NaN past the numbers); leaves it at k. */
function orderStatistic(values: Float64Array, from: number, numbersEnd: number, k: number): number {
  if (k >= numbersEnd) return NaN;
  selectInPlace(values, from, numbersEnd - 1, k);
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
