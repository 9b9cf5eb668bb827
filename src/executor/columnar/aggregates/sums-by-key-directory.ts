/**
 * The fused sums pass (`fused-sums.ts`) for rows of one int32 key whose groups the number table's directory holds
 * (`kernels/number-key-table.ts`), one row at a time in row order: each row's group is looked up inside the loop
 * that adds its values, so a chunk writes no group ids and reads none back. It serves the chunks of a few groups
 * that the few-groups pass may not take (past `EXACT_ROWS_MAX` rows; the few-groups pass looks its groups up by key
 * the same way, `addFewGroupsByKey`): q4's last 0.8 M rows of each 5 M-row map task, at the speed of the group ids
 * and four rows at a time they took before (in-process, 100 groups, CPU time, 20 interleaved pairs: 1.00×).
 * Many groups stay on the group ids (`addChunkByKey`).
 *
 * Every lane is added straight into the states in row order, so the sums are bit-identical to the one-row-at-a-time
 * pass, and to the few-groups pass wherever that one serves (its reordered lanes are exact).
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

type Kernel = (s: Float64Array, values: readonly SumValues[], byKey: KeyDirectory, from: number, to: number) => number;

const kernels = new Map<string, Kernel>();

/**
 * Adds `values[c][i]` to lane `lanes[c]` of the group of `keys[i]` (and 1 to `countLane` unless it is -1) for rows
 * `from …` in row order, where `directory[keys[i] - base]` is that group + 1 (`byKey`); stops at the first row whose key falls
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
  return kernel(s, values, byKey, from, to);
}

/**
 * The loop of one lane layout, generated with its lanes as constants (so each layout's loop is monomorphic in its
 * column types and keeps its offsets in address modes, as `few-group-sums.ts`). A key less the base is a double
 * (int32 keys and bases are ±(2^32 - 1) apart at most), compared with both ends of the directory.
 */
function compileKernel(width: number, lanes: readonly number[], columns: number, countLane: number): Kernel {
  const lines: string[] = [];
  for (let c = 0; c < columns; c++) lines.push(`const v${c} = values[${c}];`);
  lines.push('const { keys, directory, base } = byKey;', 'const length = directory.length;');
  lines.push('for (let i = from; i < to; i++) {');
  lines.push('const offset = keys[i] - base;');
  lines.push('if (offset < 0 || offset >= length) return i;');
  lines.push('const entry = directory[offset];');
  lines.push('if (entry === 0) return i;');
  lines.push(`const at = (entry - 1) * ${width};`);
  if (countLane >= 0) lines.push(`s[at + ${countLane}] = s[at + ${countLane}] + 1;`);
  lanes.forEach((lane, c) => lines.push(`s[at + ${lane}] = s[at + ${lane}] + v${c}[i];`));
  lines.push('}');
  lines.push('return to;');
  return new Function('s', 'values', 'byKey', 'from', 'to', `"use strict";\n${lines.join('\n')}`) as Kernel;
}
