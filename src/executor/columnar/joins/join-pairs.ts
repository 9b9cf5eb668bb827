/**
 * The row pairs of a hash join: the build side's rows grouped by key (its key index and a counting sort of its rows
 * by group), and the probe of a batch's keys through them into pairs of row indexes, which the answer gathers
 * (`join-answer.ts`).
 */
import type { JoinSpec } from '../../../protocol/columnar.js';
import type { Batch, Column } from '../batches/batch.js';
import { columnOf } from '../batches/batch.js';
import { buildJoinIndex, type JoinKeyIndex } from './join-key-index.js';

/** Row pairs of the output: `probe[i]` with `build[i]`, -1 for the missing side of an outer row. */
export interface Pairs {
  readonly probe: Int32Array;
  readonly build: Int32Array;
  readonly count: number;
}

/** The build side indexed: its rows grouped by key, each group's rows contiguous in `rowsOf`. */
export interface BuildSide {
  readonly index: JoinKeyIndex | null;
  /** Rows of group g: `rowsOf[firstOf[g] … firstOf[g + 1])`; null when group g is row g alone (unique keys). */
  readonly firstOf: Int32Array | null;
  readonly rowsOf: Int32Array | null;
}

/** The build side's key index and its rows grouped by key (a counting sort of the rows by group). */
export function indexBuild(build: Batch, keys: readonly string[], probeKeys: readonly Column[]): BuildSide {
  if (build.rows === 0) return { index: null, firstOf: new Int32Array(1), rowsOf: new Int32Array(0) };
  const keyColumns = keys.map((k) => columnOf(build, k, 'join()'));
  const groupOf = new Int32Array(build.rows);
  const index = buildJoinIndex(
    keyColumns,
    build.rows,
    probeKeys.map((c) => c.type),
    groupOf,
  );
  const groups = index.groups;
  // Unique build keys (db-benchmark's big table on id3) number their groups in row order: group g is row g, and
  // the probe reads its build row straight from the group (no row lists, one random read less per output row).
  if (groups === build.rows && isIdentity(groupOf, build.rows, build.rows))
    return { index, firstOf: null, rowsOf: null };
  const firstOf = new Int32Array(groups + 1);
  for (let r = 0; r < build.rows; r++) if (groupOf[r]! >= 0) firstOf[groupOf[r]! + 1]!++;
  for (let g = 0; g < groups; g++) firstOf[g + 1] = firstOf[g + 1]! + firstOf[g]!;
  const rowsOf = new Int32Array(firstOf[groups]!);
  const filled = firstOf.slice(0, groups);
  for (let r = 0; r < build.rows; r++) {
    const g = groupOf[r]!;
    if (g >= 0) rowsOf[filled[g]!++] = r;
  }
  return { index, firstOf, rowsOf };
}

/**
 * The output pairs of one probe batch: its rows' groups found in one pass, the output counted, then filled into
 * exactly-sized arrays (no per-row push or growth).
 */
export function probePairs(
  side: BuildSide,
  keys: readonly Column[],
  rows: number,
  how: JoinSpec['how'],
  preserveProbe: boolean,
  matched: Uint8Array | null,
): Pairs {
  const groupOf = new Int32Array(rows);
  if (side.index === null) groupOf.fill(-1);
  else side.index.probe(keys, rows, groupOf);
  if (how === 'semi' || how === 'anti') {
    const wanted = how === 'semi';
    let count = 0;
    for (let p = 0; p < rows; p++) if (groupOf[p]! >= 0 === wanted) count++;
    const probe = new Int32Array(count);
    for (let p = 0, at = 0; p < rows; p++) if (groupOf[p]! >= 0 === wanted) probe[at++] = p;
    return { probe, build: new Int32Array(count).fill(-1), count };
  }
  const { firstOf, rowsOf } = side;
  if (firstOf === null || rowsOf === null) return uniquePairs(groupOf, rows, preserveProbe, matched);
  let count = 0;
  for (let p = 0; p < rows; p++) {
    const g = groupOf[p]!;
    count += g >= 0 ? firstOf[g + 1]! - firstOf[g]! : preserveProbe ? 1 : 0;
  }
  const probe = new Int32Array(count);
  const build = new Int32Array(count);
  let at = 0;
  for (let p = 0; p < rows; p++) {
    const g = groupOf[p]!;
    if (g < 0) {
      if (preserveProbe) {
        probe[at] = p;
        build[at++] = -1;
      }
      continue;
    }
    for (let k = firstOf[g]!, end = firstOf[g + 1]!; k < end; k++) {
      probe[at] = p;
      build[at++] = rowsOf[k]!;
    }
  }
  if (matched !== null) for (let i = 0; i < count; i++) if (build[i]! >= 0) matched[build[i]!] = 1;
  return { probe, build, count };
}

/** The output pairs of a probe batch when group g is build row g (see `indexBuild`): at most one per probe row. */
function uniquePairs(groupOf: Int32Array, rows: number, preserveProbe: boolean, matched: Uint8Array | null): Pairs {
  let count = rows;
  if (!preserveProbe) {
    count = 0;
    for (let p = 0; p < rows; p++) count += groupOf[p]! >= 0 ? 1 : 0;
  }
  const probe = new Int32Array(count);
  const build = new Int32Array(count);
  for (let p = 0, at = 0; p < rows; p++) {
    const g = groupOf[p]!;
    if (g < 0 && !preserveProbe) continue;
    probe[at] = p;
    build[at++] = g;
    if (matched !== null && g >= 0) matched[g] = 1;
  }
  return { probe, build, count };
}

/** Every probe row with every build row. */
export function crossPairs(probeRows: number, buildRows: number): Pairs {
  const count = probeRows * buildRows;
  const probe = new Int32Array(count);
  const build = new Int32Array(count);
  for (let p = 0, at = 0; p < probeRows; p++) {
    for (let b = 0; b < buildRows; b++, at++) {
      probe[at] = p;
      build[at] = b;
    }
  }
  return { probe, build, count };
}

/** True when `rows` is 0, 1, … `total - 1`: every row of a side, once, in order. */
export function isIdentity(rows: Int32Array, count: number, total: number): boolean {
  if (count !== total) return false;
  for (let i = 0; i < count; i++) if (rows[i] !== i) return false;
  return true;
}

/** True when some pair has no row on this side (-1: the unmatched side of an outer row). */
export function hasMissing(rows: Int32Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (rows[i]! < 0) return true;
  return false;
}
