/**
 * The hash join of one partition: the build side's rows hashed by their key tuple into a typed-array table (group
 * ids, then each group's rows in one index array), the probe side streamed through it batch by batch. Keys are
 * compared by the tuple encoding of grouping (`kernels/tuple-key.ts`: int32, float64, dates and timestamps as
 * numbers, strings by bytes); a null key matches nothing, as in SQL.
 */
import type { JoinSpec } from '../../protocol/columnar.js';
import type { Batch, Column, Utf8Column } from './batch.js';
import { columnOf, gatherColumn, gatherColumnOrNull } from './batch.js';
import { chooseRows } from './choose-rows.js';
import { concatBatches } from './concat-batches.js';
import { dictionaryOf, gatherDictionaryColumn } from './dictionary-column.js';
import { ColumnarError } from './error.js';
import { buildJoinIndex, type JoinKeyIndex } from './join-key-index.js';
import { PackedRows } from './packed-rows.js';

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
 * Build sides of at least this many rows are packed row by row for the answer's gathers (`packed-rows.ts`), once the
 * answer has gathered a quarter as many rows: smaller ones stay in cache, where a gather per column costs little.
 */
const PACKED_BUILD_ROWS_MIN = 1 << 16;

/**
 * A probe batch, or some of its rows: `rows[0 … count)` (ascending) when a co-located join picked them by key hash,
 * null for every row. The answer's probe columns are gathered from `batch` itself, so picking copies nothing.
 */
export interface ProbePart {
  readonly batch: Batch;
  readonly rows: Int32Array | null;
  readonly count: number;
}

/**
 * The joined batches of `left` and `right` (all batches of the partition; empty ones still give the columns).
 *
 * @example
 * for (const batch of hashJoin(spec, leftBatches, rightBatches)) yield batch;
 */
export function hashJoin(spec: JoinSpec, left: Iterable<Batch>, right: Iterable<Batch>): Generator<Batch> {
  const buildBatches = [...(spec.build === 'left' ? left : right)];
  const build = concatBatches(buildBatches.filter((b) => b.rows > 0)) ?? schemaOnly(buildBatches);
  return joinBuilt(spec, build, wholeBatches(spec.build === 'left' ? right : left));
}

function* wholeBatches(batches: Iterable<Batch>): Generator<ProbePart> {
  for (const batch of batches) yield { batch, rows: null, count: batch.rows };
}

/**
 * The joined batches of one build batch (every build row of the partition) and the probe parts, streamed.
 *
 * @example
 * yield* joinBuilt(spec, build, probeParts);
 */
export function* joinBuilt(spec: JoinSpec, build: Batch, probes: Iterable<ProbePart>): Generator<Batch> {
  const buildLeft = spec.build === 'left';
  const buildKeys = buildLeft ? spec.leftKeys : spec.rightKeys;
  const probeKeys = buildLeft ? spec.rightKeys : spec.leftKeys;
  const how = spec.how;
  const preserveProbe = how === 'full' || how === (buildLeft ? 'right' : 'left');
  const preserveBuild = how === 'full' || how === (buildLeft ? 'left' : 'right');
  const matched = preserveBuild ? new Uint8Array(build.rows) : null;
  let side: BuildSide | null = null;
  // The build side's packed rows: undefined until worth making (null: never, or nothing to pack).
  let packed: PackedRows | null | undefined =
    build.rows >= PACKED_BUILD_ROWS_MIN && how !== 'cross' && how !== 'semi' && how !== 'anti' ? undefined : null;
  let gathered = 0;
  let probeTemplate: Batch | null = null;
  let yielded = false;
  for (const part of probes) {
    const probe = part.batch;
    if (probeTemplate === null || probeTemplate.names.length === 0) probeTemplate = probe;
    if (part.count === 0) continue;
    let pairs: Pairs;
    if (how === 'cross') pairs = crossPairs(part.count, build.rows);
    else {
      const keyColumns = probeKeys.map((k) => {
        const column = columnOf(probe, k, 'join()');
        return part.rows === null ? column : pickColumn(column, part.rows, part.count);
      });
      side ??= indexBuild(build, buildKeys, keyColumns);
      pairs = probePairs(side, keyColumns, part.count, how, preserveProbe, matched);
    }
    if (part.rows !== null) {
      // Pairs name picked rows: turned into the batch's rows, the answer is gathered from the batch directly.
      const { probe: rows, count } = pairs;
      for (let i = 0; i < count; i++) rows[i] = part.rows[rows[i]!]!;
    }
    let prepared: Map<Column, Column> | null = null;
    if (packed !== null && !hasMissing(pairs.build, pairs.count)) {
      gathered += pairs.count;
      // Packing costs a pass over the build side: made once the answer's gathers have read a quarter of it.
      if (packed === undefined && gathered * 4 >= build.rows) packed = packBuild(build, buildKeys, buildLeft);
      if (packed) prepared = packed.gather(pairs.build, pairs.count);
    }
    const out = assemble(spec, buildLeft ? build : probe, buildLeft ? probe : build, pairs, buildLeft, prepared);
    if (out.rows > 0) {
      yielded = true;
      yield out;
    }
  }
  const probe = probeTemplate ?? { rows: 0, names: [], columns: [] };
  if (matched !== null && build.rows > 0) {
    let count = 0;
    for (let b = 0; b < build.rows; b++) count += matched[b]! ^ 1;
    const pairs = { probe: new Int32Array(count).fill(-1), build: new Int32Array(count), count };
    for (let b = 0, at = 0; b < build.rows; b++) if (matched[b] === 0) pairs.build[at++] = b;
    const out = assemble(spec, buildLeft ? build : probe, buildLeft ? probe : build, pairs, buildLeft);
    if (out.rows > 0) {
      yielded = true;
      yield out;
    }
  }
  // No rows: the answer's columns still, as with rows (an empty side's columns are there, as in SQL).
  if (!yielded) {
    const none = { probe: new Int32Array(0), build: new Int32Array(0), count: 0 };
    yield assemble(spec, buildLeft ? build : probe, buildLeft ? probe : build, none, buildLeft);
  }
}

/**
 * The build side's columns the answer gathers, packed row by row (null when fewer than two pack). Its key columns
 * only when the build side is the left one: else the answer's keys come from the probe side.
 */
function packBuild(build: Batch, keys: readonly string[], buildLeft: boolean): PackedRows | null {
  const columns = build.columns.filter((_, i) => buildLeft || !keys.includes(build.names[i]!));
  return PackedRows.of(columns, build.rows);
}

/**
 * Rows `rows[0 … count)` of a column; a dictionary-read string column stays one (its codes gathered, not per-row
 * starts/ends of every source row). No row may be -1.
 *
 * @example
 * const keys = pickColumn(keyColumn, picked, count);
 */
export function pickColumn(column: Column, rows: Int32Array, count: number): Column {
  const coded = dictionaryOf(column);
  if (coded !== undefined) return gatherDictionaryColumn(column as Utf8Column, coded, rows, count);
  return gatherColumn(column, rows, count);
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
export function schemaOnly(batches: readonly Batch[]): Batch {
  return batches.find((b) => b.names.length > 0) ?? { rows: 0, names: [], columns: [] };
}

/**
 * The output rows of `pairs` (probe index first): keys once, then the left's columns, then the right's.
 * `prepared` holds build columns already gathered at `pairs.build` (from packed rows), keyed by source column.
 */
function assemble(
  spec: JoinSpec,
  left: Batch,
  right: Batch,
  pairs: Pairs,
  buildLeft: boolean,
  prepared: Map<Column, Column> | null = null,
): Batch {
  const count = pairs.count;
  const leftRows = buildLeft ? pairs.build : pairs.probe;
  const rightRows = buildLeft ? pairs.probe : pairs.build;
  const names: string[] = [];
  const columns: Column[] = [];
  const add = (name: string, column: Column) => {
    if (names.includes(name)) {
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `join(): both sides have a column '${name}' that is not a join key: rename one with select(col('${name}').as(…))`,
      );
    }
    names.push(name);
    columns.push(column);
  };
  const leftWhole = isIdentity(leftRows, count, left.rows);
  const rightWhole = isIdentity(rightRows, count, right.rows);
  // A side whose rows all come through once and in order (a left join's probe side, with unique keys on the
  // build side) is passed on as it is, without a copy.
  const leftNulls = !leftWhole && hasMissing(leftRows, count);
  const rightNulls = !rightWhole && hasMissing(rightRows, count);
  const side = (batch: Batch, name: string, rows: Int32Array) => {
    const column = columnOf(batch, name, 'join()');
    const isLeft = batch === left;
    if (isLeft ? leftWhole : rightWhole) return column;
    // Only for the build side's rows (a self-join's two sides may be one batch, with the same columns).
    const ready = rows === pairs.build ? prepared?.get(column) : undefined;
    if (ready !== undefined) return ready;
    // A dictionary-read string column stays one: its codes gathered, not per-row starts/ends of every source row.
    const coded = dictionaryOf(column);
    if (coded !== undefined) return gatherDictionaryColumn(column as Utf8Column, coded, rows, count);
    return (isLeft ? leftNulls : rightNulls)
      ? gatherColumnOrNull(column, rows, count)
      : gatherColumn(column, rows, count);
  };
  if (spec.how === 'semi' || spec.how === 'anti') {
    left.names.forEach((name) => add(name, side(left, name, leftRows)));
    return { rows: count, names, columns };
  }
  const keyed = spec.how !== 'cross';
  if (keyed) {
    spec.leftKeys.forEach((name, k) => {
      // A side that met no batch with columns at all (every input empty) has no key column to read.
      if (left.names.length === 0) return add(name, side(right, spec.rightKeys[k]!, rightRows));
      const fromLeft = side(left, name, leftRows);
      if (right.names.length === 0) return add(name, fromLeft);
      if (spec.how !== 'right' && spec.how !== 'full') return add(name, fromLeft);
      // The unmatched rows of the right side have their key on the right only.
      const fromRight = side(right, spec.rightKeys[k]!, rightRows);
      const pick = new Int32Array(count);
      for (let i = 0; i < count; i++) pick[i] = leftRows[i]! < 0 ? 1 : 0;
      add(name, chooseRows([fromLeft, fromRight], pick, count, 'join()'));
    });
  }
  for (const name of left.names) if (!keyed || !spec.leftKeys.includes(name)) add(name, side(left, name, leftRows));
  for (const name of right.names) if (!keyed || !spec.rightKeys.includes(name)) add(name, side(right, name, rightRows));
  return { rows: count, names, columns };
}

/** True when `rows` is 0, 1, … `total - 1`: every row of a side, once, in order. */
function isIdentity(rows: Int32Array, count: number, total: number): boolean {
  if (count !== total) return false;
  for (let i = 0; i < count; i++) if (rows[i] !== i) return false;
  return true;
}

/** True when some pair has no row on this side (-1: the unmatched side of an outer row). */
function hasMissing(rows: Int32Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (rows[i]! < 0) return true;
  return false;
}
