/**
 * The hash join of one partition: the build side's rows hashed by their key tuple into a typed-array table (group
 * ids, then each group's rows in one index array), the probe side streamed through it batch by batch. Keys are
 * compared by the tuple encoding of grouping (`kernels/tuple-key.ts`: int32, float64, dates and timestamps as
 * numbers, strings by bytes); a null key matches nothing, as in SQL.
 */
import type { JoinSpec } from '../../protocol/columnar.js';
import type { Batch, Column } from './batch.js';
import { columnOf } from './batch.js';
import { concatBatches } from './concat-batches.js';
import { buildJoinIndex, type JoinKeyIndex } from './join-key-index.js';
import { assembleJoinPart, isIdentity, type JoinPart } from './join-output.js';

/** Row pairs of the output: `probe[i]` with `build[i]`, -1 for the missing side of an outer row. */
interface Pairs {
  readonly probe: Int32Array;
  readonly build: Int32Array;
  readonly count: number;
}

/** The build side indexed: its rows grouped by key, each group's rows contiguous in `rowsOf`. */
interface BuildSide {
  readonly index: JoinKeyIndex | null;
  /** Rows of group g: `rowsOf[firstOf[g] … firstOf[g + 1])`; null when group g is row g alone (unique keys). */
  readonly firstOf: Int32Array | null;
  readonly rowsOf: Int32Array | null;
}

/**
 * The joined batches of `left` and `right` (all batches of the partition; empty ones still give the columns).
 *
 * @example
 * for (const batch of hashJoin(spec, leftBatches, rightBatches)) yield batch;
 */
export function* hashJoin(spec: JoinSpec, left: Iterable<Batch>, right: Iterable<Batch>): Generator<Batch> {
  for (const part of joinParts(spec, left, right)) yield assembleJoinPart(spec, part);
}

/**
 * The join's output as parts not yet gathered (one per probe batch with output rows, then the unmatched build
 * rows of an outer join): `joinPartsBlock` writes them straight into a result block, `assembleJoinPart` gathers one.
 *
 * @example
 * const block = joinPartsBlock(spec, [...joinParts(spec, leftBatches, rightBatches)]);
 */
export function* joinParts(spec: JoinSpec, left: Iterable<Batch>, right: Iterable<Batch>): Generator<JoinPart> {
  const buildLeft = spec.build === 'left';
  const buildBatches = [...(buildLeft ? left : right)];
  const build = concatBatches(buildBatches.filter((b) => b.rows > 0)) ?? schemaOnly(buildBatches);
  const buildKeys = buildLeft ? spec.leftKeys : spec.rightKeys;
  const probeKeys = buildLeft ? spec.rightKeys : spec.leftKeys;
  const how = spec.how;
  const preserveProbe = how === 'full' || how === (buildLeft ? 'right' : 'left');
  const preserveBuild = how === 'full' || how === (buildLeft ? 'left' : 'right');
  const matched = preserveBuild ? new Uint8Array(build.rows) : null;
  const part = (probe: Batch, pairs: Pairs): JoinPart =>
    buildLeft
      ? { left: build, right: probe, leftRows: pairs.build, rightRows: pairs.probe, count: pairs.count }
      : { left: probe, right: build, leftRows: pairs.probe, rightRows: pairs.build, count: pairs.count };
  let side: BuildSide | null = null;
  let probeTemplate: Batch | null = null;
  for (const probe of buildLeft ? right : left) {
    if (probeTemplate === null || probeTemplate.names.length === 0) probeTemplate = probe;
    if (probe.rows === 0) continue;
    let pairs: Pairs;
    if (how === 'cross') pairs = crossPairs(probe.rows, build.rows);
    else {
      const keyColumns = probeKeys.map((k) => columnOf(probe, k, 'join()'));
      side ??= indexBuild(build, buildKeys, keyColumns);
      pairs = probePairs(side, keyColumns, probe.rows, how, preserveProbe, matched);
    }
    if (pairs.count > 0) yield part(probe, pairs);
  }
  if (matched !== null && build.rows > 0) {
    let count = 0;
    for (let b = 0; b < build.rows; b++) count += matched[b]! ^ 1;
    const pairs = { probe: new Int32Array(count).fill(-1), build: new Int32Array(count), count };
    for (let b = 0, at = 0; b < build.rows; b++) if (matched[b] === 0) pairs.build[at++] = b;
    if (count > 0) yield part(probeTemplate ?? { rows: 0, names: [], columns: [] }, pairs);
  }
}

/** The build side's key index and its rows grouped by key (a counting sort of the rows by group). */
function indexBuild(build: Batch, keys: readonly string[], probeKeys: readonly Column[]): BuildSide {
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
function probePairs(
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
function crossPairs(probeRows: number, buildRows: number): Pairs {
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

/** A batch of no rows with the columns of the first batch that has any. */
function schemaOnly(batches: readonly Batch[]): Batch {
  return batches.find((b) => b.names.length > 0) ?? { rows: 0, names: [], columns: [] };
}
