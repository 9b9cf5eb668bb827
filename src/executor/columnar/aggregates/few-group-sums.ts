/**
 * The fused sums pass for few groups (≤ `FEW_GROUPS_MAX`, as a `groupBy` of 100 keys): rows go round-robin to
 * `STREAMS` private copies of a group's exact lanes (its row count and its sums of int32 columns), folded into the
 * states once per chunk. Consecutive rows then update different addresses even when they share a group, so the core
 * overlaps them instead of waiting on each other's read-modify-write of the same few cache lines. In-process
 * micro-benchmark (min of 300, 64K rows, 100 groups): a mean of three columns (count, two int32 sums, a float64
 * sum) 5.6 → 4.5 ns a row, one int32 sum 2.9 → 1.8 ns a row.
 *
 * Exact lanes only: a count, or a sum of int32 values onto an integer state with room for the chunk
 * (`fewGroupsServe`: |state| ≤ 2^53 − rows × 2^31), is an integer of at most 2^53 in every copy and in every
 * partial total, so any order of additions gives the same double (`HashAggregator` stops using this pass once a
 * lane that summed float64 values gets int32 ones). The check is per chunk, not a bound on the aggregation's rows,
 * so a whole partition goes through this pass: a map task's aggregation of q4 (5 M rows, of which the last 0.8 M
 * were past the former 2^22-row bound; CPU time, fresh process per run, loaded machine, 10 interleaved pairs) took
 * 0.72–0.84× the base's CPU time from its second run on, about the same (0.99–1.02×) at its first. A float64 sum is not associative: its lane is updated in the same
 * loop, straight in the states and in row order, so it stays bit-identical to the one-row-at-a-time pass.
 *
 * By key (`addFewGroupsByKey`), rows of one int32 key find their groups in the number table's directory inside the
 * loop, no group-id pass: a map task's aggregation of db-benchmark q4 (three means by id4, 5 M rows; in-process,
 * CPU time, loaded machine, 25 interleaved pairs) took 0.73× the CPU time of the lookup pass then this one.
 */
import type { SumValues } from './fused-sums.js';
import type { KeyDirectory } from './sums-by-key-directory.js';

/** Private copies of the exact lanes: 4 hide the latency of a read-modify-write chain through one address. */
const STREAMS = 4;

/** At most this many groups: the copies (groups × 4 × lanes doubles) stay in the core's L1/L2 cache. */
export const FEW_GROUPS_MAX = 1024;

/** The largest magnitude of an int32 value (or of a count's 1) that an exact lane adds. */
const INT32_MAGNITUDE_MAX = 2 ** 31;

/** Compiled kernels kept, by lane layout (an aggregation has one; a thread sees a few). */
const KERNELS_MAX = 64;

/**
 * Adds rows `start … to - 1` (their group ids from `ids[start - from]`, or by key) and returns the first row it did
 * not add: `fourRows` four rows at a time (stopping before the last 1–3 rows, or at four rows whose keys it cannot
 * add), `tailRows` one at a time (stopping at a row whose key it cannot add).
 */
type RowsPass = (
  copies: Float64Array,
  s: Float64Array,
  values: readonly SumValues[],
  groupsOf: Int32Array | KeyDirectory,
  from: number,
  start: number,
  to: number,
) => number;

/**
 * One lane layout's loops, two functions: a loop optimized while the other has not yet run would meet its
 * untried code (the tail, a key outside the directory) with no type feedback and deoptimize, chunk after chunk
 * (`--trace-deopt`, q4's 5 M rows: 78 deoptimizations a run in one function, 1 in two).
 */
interface Kernel {
  readonly fourRows: RowsPass;
  readonly tailRows: RowsPass;
}

const kernels = new Map<string, Kernel>();
let scratch = new Float64Array(FEW_GROUPS_MAX * STREAMS * 4);

/**
 * Adds `values[c][i]` to lane `lanes[c]` of group `ids[i - from]` (and 1 to `countLane` unless it is -1) for rows
 * `from … to - 1`, as `addChunk` does, for `groups` ≤ `FEW_GROUPS_MAX` whose states `fewGroupsServe` (the caller
 * checks both).
 *
 * @example
 * addFewGroups(block.values, block.width, [1, 2, 3], [v1, v2, v3], 0, groupIds, 0, 65_536, 100);
 */
export function addFewGroups(
  s: Float64Array,
  width: number,
  lanes: readonly number[],
  values: readonly SumValues[],
  countLane: number,
  ids: Int32Array,
  from: number,
  to: number,
  groups: number,
): void {
  addFewGroupsOf(s, width, lanes, values, countLane, ids, from, to, groups);
}

/**
 * `addFewGroups` for rows of one int32 key whose groups the number table's directory holds (`byKey`): looked up in the loop that adds, no group ids. Stops at the first four rows that hold a key
 * outside the directory or without a group yet, and returns the first of them (`to` when it added every row); the
 * caller adds the rows from there.
 *
 * @example
 * const at = addFewGroupsByKey(block.values, block.width, [1, 2, 3], [v1, v2, v3], 0, byId4, 0, 65_536, 100);
 */
export function addFewGroupsByKey(
  s: Float64Array,
  width: number,
  lanes: readonly number[],
  values: readonly SumValues[],
  countLane: number,
  byKey: KeyDirectory,
  from: number,
  to: number,
  groups: number,
): number {
  return addFewGroupsOf(s, width, lanes, values, countLane, byKey, from, to, groups);
}

function addFewGroupsOf(
  s: Float64Array,
  width: number,
  lanes: readonly number[],
  values: readonly SumValues[],
  countLane: number,
  groupsOf: Int32Array | KeyDirectory,
  from: number,
  to: number,
  groups: number,
): number {
  // Exact lanes: the count (value index -1), then each int32 column; ordered lanes: each float64 column.
  const exact: { lane: number; column: number }[] = countLane >= 0 ? [{ lane: countLane, column: -1 }] : [];
  const ordered: { lane: number; column: number }[] = [];
  values.forEach((v, c) => (v instanceof Int32Array ? exact : ordered).push({ lane: lanes[c]!, column: c }));
  const copyWidth = exact.length;
  const byKey = !(groupsOf instanceof Int32Array);
  const key = `${width}|${byKey ? 'key' : 'ids'}|${exact.map((e) => `${e.lane}:${e.column}`).join(',')}|${ordered.map((o) => `${o.lane}:${o.column}`).join(',')}`;
  let kernel = kernels.get(key);
  if (kernel === undefined) {
    if (kernels.size >= KERNELS_MAX) kernels.clear();
    kernel = compileKernel(width, exact, ordered, byKey);
    kernels.set(key, kernel);
  }
  const used = groups * STREAMS * copyWidth;
  if (scratch.length < used) scratch = new Float64Array(used);
  const four = kernel.fourRows(scratch, s, values, groupsOf, from, from, to);
  // Four rows it could not add (by key) end the pass there; else the last 1–3 rows go one at a time.
  const at = four + 3 < to ? four : kernel.tailRows(scratch, s, values, groupsOf, from, four, to);
  // Fold the copies into the states (exact: any order), and leave them zeroed for the next chunk.
  for (let g = 0; g < groups; g++) {
    const at = g * STREAMS * copyWidth;
    for (let e = 0; e < copyWidth; e++) {
      let total = 0;
      for (let k = 0; k < STREAMS; k++) total += scratch[at + k * copyWidth + e]!;
      const lane = g * width + exact[e]!.lane;
      s[lane] = s[lane]! + total;
    }
  }
  scratch.fill(0, 0, used);
  return at;
}

/**
 * The lane layouts whose loops were compiled on this thread so far (`…|key|…` by key, `…|ids|…` by group ids): for
 * tests that check which pass a map task ran, as a first run compiles every one it meets.
 */
export function fewGroupLayouts(): string[] {
  return [...kernels.keys()];
}

/**
 * True when the few-groups pass adds `rows` rows of `values` (and the count, unless `countLane` is -1) to the states
 * of `groups` groups exactly: every exact lane's state is at most 2^53 − rows × 2^31 in magnitude, so every copy
 * (at most `rows` values of at most 2^31), their total and the state plus it are integers of at most 2^53, exact in
 * any order. The states of exact lanes must be integers (`HashAggregator`'s mixed sums keep them so).
 *
 * @example
 * if (fewGroupsServe(block.values, block.width, [1, 2], [v1, v2], 0, 100, 65_536)) addFewGroups(...);
 */
export function fewGroupsServe(
  s: Float64Array,
  width: number,
  lanes: readonly number[],
  values: readonly SumValues[],
  countLane: number,
  groups: number,
  rows: number,
): boolean {
  const room = 2 ** 53 - rows * INT32_MAGNITUDE_MAX;
  const end = groups * width;
  for (let c = -1; c < lanes.length; c++) {
    if (c < 0 ? countLane < 0 : !(values[c] instanceof Int32Array)) continue;
    // `!(… <= …)` also fails a state past the block's end (undefined) or NaN.
    for (let at = c < 0 ? countLane : lanes[c]!; at < end; at += width) if (!(Math.abs(s[at]!) <= room)) return false;
  }
  return true;
}

/**
 * The loops of one lane layout, generated with its lanes as constants (so each layout's loops are monomorphic and
 * keep their offsets in address modes, as the hand-written loops of `fused-sums.ts`): `fourRows` takes 4 rows an
 * iteration, row r + k's exact lanes into copy k, then the float64 lanes of the 4 rows in row order; `tailRows`
 * the last rows one at a time into copy 0. By key, each 4 rows' keys are checked before any of them is added (a
 * row outside the directory or without a group ends the loop there), then their groups are their directory
 * entries less 1.
 */
function compileKernel(
  width: number,
  exact: readonly { lane: number; column: number }[],
  ordered: readonly { lane: number; column: number }[],
  byKey: boolean,
): Kernel {
  const cw = exact.length;
  const columns = [...exact, ...ordered].filter((l) => l.column >= 0).map((l) => l.column);
  const head: string[] = columns.map((c) => `const v${c} = values[${c}];`);
  head.push(
    byKey ? 'const { keys, directory, base } = groupsOf; const length = directory.length;' : 'const ids = groupsOf;',
  );
  // By key: rows `i … i + count - 1` stop the loop at `i` unless each has a group in the directory.
  const check = (count: number) => {
    const out: string[] = [];
    for (let k = 0; k < count; k++) {
      const i = k === 0 ? 'i' : `i + ${k}`;
      out.push(`const o${k} = keys[${i}] - base;`, `if (o${k} < 0 || o${k} >= length) return i;`);
    }
    for (let k = 0; k < count; k++) out.push(`const e${k} = directory[o${k}];`);
    out.push(`if (${Array.from({ length: count }, (_, k) => `e${k} === 0`).join(' || ')}) return i;`);
    return out;
  };
  const row = (k: number) => {
    const out: string[] = [];
    const i = k === 0 ? 'i' : `i + ${k}`;
    out.push(byKey ? `const g${k} = e${k} - 1;` : `const g${k} = ids[${i} - from];`);
    if (cw > 0) out.push(`const c${k} = g${k} * ${STREAMS * cw} + ${k * cw};`);
    exact.forEach((e, x) => out.push(`copies[c${k} + ${x}] += ${e.column < 0 ? '1' : `v${e.column}[${i}]`};`));
    return out;
  };
  const orderedRow = (k: number) => {
    const i = k === 0 ? 'i' : `i + ${k}`;
    const out = ordered.length > 0 ? [`const a${k} = g${k} * ${width};`] : [];
    for (const o of ordered) out.push(`s[a${k} + ${o.lane}] = s[a${k} + ${o.lane}] + v${o.column}[${i}];`);
    return out;
  };
  const four = [...head, 'let i = start;', `for (; i + ${STREAMS - 1} < to; i += ${STREAMS}) {`];
  if (byKey) four.push(...check(STREAMS));
  for (let k = 0; k < STREAMS; k++) four.push(...row(k));
  for (let k = 0; k < STREAMS; k++) four.push(...orderedRow(k));
  four.push('}', 'return i;');
  const tail = [...head, 'for (let i = start; i < to; i++) {', ...(byKey ? check(1) : []), ...row(0)];
  tail.push(...orderedRow(0), '}', 'return to;');
  const params = 'copies, s, values, groupsOf, from, start, to';
  const named = (name: string, body: string[]) => `function ${name}(${params}) {\n${body.join('\n')}\n}`;
  const kind = byKey ? 'ByKey' : 'ByIds';
  const source = [
    '"use strict";',
    named(`fewGroupSumsFourRows${kind}`, four),
    named(`fewGroupSumsTailRows${kind}`, tail),
    `return { fourRows: fewGroupSumsFourRows${kind}, tailRows: fewGroupSumsTailRows${kind} };`,
  ];
  return new Function(source.join('\n'))() as Kernel;
}
