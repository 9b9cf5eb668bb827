/**
 * The fused sums pass (`fused-sums.ts`) for rows of one int32 key whose groups the number table's directory holds
 * (`kernels/number-key-table.ts`), where the few-groups pass does not serve (many groups, float64 sums only, or
 * states without room for a chunk's exact sums): each row's group is looked up inside the loop that adds its
 * values, so a chunk writes no group ids and reads none back; four rows at a time as `sums-four-rows-at-a-time.ts` (when the four rows have four groups, all
 * their states are read before any is written, so the core overlaps the groups' cache misses; rows of one group
 * among the four go one at a time, in row order). A map task's aggregation of db-benchmark q5 (sums of three
 * columns by id6, 100 k groups, 5 M rows; in-process, CPU time, loaded machine, 15–20 interleaved pairs) took
 * 0.76–0.81× the CPU time of the group ids then four rows at a time; 100 groups past the few-groups pass's former
 * row limit (q4's last 0.8 M rows a task, then), 0.87× that of one row at a time by key.
 *
 * Every group's additions keep row order, so the sums are bit-identical to the one-row-at-a-time pass, and to the
 * few-groups pass wherever that one serves (its reordered lanes are exact).
 */
import type { SumValues } from './fused-sums.js';

/** Compiled kernels kept, by lane layout and column types (an aggregation has one; a thread sees a few). */
const KERNELS_MAX = 64;

/** Rows' groups by their int32 key: `directory[keys[i] - base]` is row i's group + 1, or 0 for a key not seen. */
export interface KeyDirectory {
  readonly keys: Int32Array;
  readonly directory: Int32Array;
  readonly base: number;
}

type RowsPass = (
  s: Float64Array,
  values: readonly SumValues[],
  byKey: KeyDirectory,
  from: number,
  to: number,
) => number;

/**
 * One lane layout's loops, two functions (as `few-group-sums.ts`): in one function, code optimized while its tail
 * had not yet run (every chunk of a task's first rows ends early, at a key without a group) met that tail with no
 * type feedback at the end of every later chunk and deoptimized there, chunk after chunk (`--trace-deopt`, q5's
 * first run: ~60 deoptimizations a thread, one at the end of each chunk; the optimized code was kept, so it went on).
 */
interface Kernel {
  readonly fourRows: RowsPass;
  readonly tailRows: RowsPass;
}

const kernels = new Map<string, Kernel>();

/**
 * Adds `values[c][i]` to lane `lanes[c]` of the group of `keys[i]` (and 1 to `countLane` unless it is -1) for rows
 * `from …`, each group's in row order, where `directory[keys[i] - base]` is that group + 1 (`byKey`); stops at the first row whose key falls
 * outside the directory or has no group yet (0 there), and returns it (`to` when every row was added). The caller
 * groups the rows from there the usual way.
 *
 * @example
 * const at = addRowsByKey(block.values, block.width, [1, 2, 3], [v1, v2, v3], 0, { keys: id4, directory, base: 1 }, 0, 65_536);
 */
export function addRowsByKey(
  s: Float64Array,
  width: number,
  lanes: readonly number[],
  values: readonly SumValues[],
  countLane: number,
  byKey: KeyDirectory,
  from: number,
  to: number,
): number {
  const types = values.map((v) => (v instanceof Int32Array ? 'i' : 'f')).join('');
  const key = `${width}|${countLane}|${lanes.join(',')}|${types}`;
  let kernel = kernels.get(key);
  if (kernel === undefined) {
    if (kernels.size >= KERNELS_MAX) kernels.clear();
    kernel = compileKernel(width, lanes, values.length, countLane);
    kernels.set(key, kernel);
  }
  const four = kernel.fourRows(s, values, byKey, from, to);
  // Four rows it could not add end the pass there; else the last 1–3 rows go one at a time.
  return four + 3 < to ? four : kernel.tailRows(s, values, byKey, four, to);
}

/**
 * The loops of one lane layout, generated with their lanes as constants (so each layout's loops are monomorphic in
 * their column types and keep their offsets in address modes, as `few-group-sums.ts`): `fourRows` four rows at a
 * time, their keys all checked before any row is added (a row outside the directory or without a group ends the
 * loop there), `tailRows` the last rows one at a time. A key less the base is a double (int32 keys and bases are ±(2^32 - 1) apart at most),
 * compared with both ends of the directory.
 */
function compileKernel(width: number, lanes: readonly number[], columns: number, countLane: number): Kernel {
  const head: string[] = [];
  for (let c = 0; c < columns; c++) head.push(`const v${c} = values[${c}];`);
  head.push('const { keys, directory, base } = byKey;', 'const length = directory.length;');
  // The lanes row `i` adds to (offsets from its group's first lane) and what it adds to each.
  const laneOf = (i: string) => [
    ...(countLane >= 0 ? [{ lane: countLane, value: '1' }] : []),
    ...lanes.map((lane, c) => ({ lane, value: `v${c}[${i}]` })),
  ];
  const lookUp = (k: number, i: string) => [
    `const o${k} = keys[${i}] - base;`,
    `if (o${k} < 0 || o${k} >= length) return i;`,
  ];
  const rows = ['i', 'i + 1', 'i + 2', 'i + 3'];
  const four = [...head, 'let i = from;', 'for (; i + 3 < to; i += 4) {'];
  rows.forEach((i, k) => four.push(...lookUp(k, i)));
  rows.forEach((_, k) => four.push(`const e${k} = directory[o${k}];`));
  four.push('if (e0 === 0 || e1 === 0 || e2 === 0 || e3 === 0) return i;');
  rows.forEach((_, k) => four.push(`const a${k} = (e${k} - 1) * ${width};`));
  // Rows of one group among the four: one at a time, in row order.
  four.push('if (a0 === a1 || a0 === a2 || a0 === a3 || a1 === a2 || a1 === a3 || a2 === a3) {');
  rows.forEach((i, k) => {
    for (const { lane, value } of laneOf(i)) four.push(`s[a${k} + ${lane}] = s[a${k} + ${lane}] + ${value};`);
  });
  four.push('continue;', '}');
  // Four groups: every state read before any is written, so the core overlaps their cache misses.
  rows.forEach((i, k) => laneOf(i).forEach(({ lane }, l) => four.push(`const s${k}_${l} = s[a${k} + ${lane}];`)));
  rows.forEach((i, k) =>
    laneOf(i).forEach(({ lane, value }, l) => four.push(`s[a${k} + ${lane}] = s${k}_${l} + ${value};`)),
  );
  four.push('}', 'return i;');
  const tail = [...head, 'let i = from;', 'for (; i < to; i++) {', ...lookUp(0, 'i')];
  tail.push('const e0 = directory[o0];', 'if (e0 === 0) return i;', `const a0 = (e0 - 1) * ${width};`);
  for (const { lane, value } of laneOf('i')) tail.push(`s[a0 + ${lane}] = s[a0 + ${lane}] + ${value};`);
  tail.push('}', 'return to;');
  const params = 's, values, byKey, from, to';
  const named = (name: string, body: string[]) => `function ${name}(${params}) {\n${body.join('\n')}\n}`;
  const source = [
    '"use strict";',
    named('sumsByKeyFourRows', four),
    named('sumsByKeyTailRows', tail),
    'return { fourRows: sumsByKeyFourRows, tailRows: sumsByKeyTailRows };',
  ];
  return new Function(source.join('\n'))() as Kernel;
}
