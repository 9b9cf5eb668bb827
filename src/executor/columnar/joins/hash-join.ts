/**
 * The hash join of one partition: the build side's rows hashed by their key tuple into a typed-array table (group
 * ids, then each group's rows in one index array), the probe side streamed through it batch by batch. Keys are
 * compared by the tuple encoding of grouping (`kernels/tuple-key.ts`: int32, float64, dates and timestamps as
 * numbers, strings by bytes); a null key matches nothing, as in SQL.
 */
import type { JoinSpec } from '../../../protocol/columnar.js';
import type { Batch, Column } from '../batches/batch.js';
import { columnOf } from '../batches/batch.js';
import { concatBatches } from '../batches/concat-batches.js';
import { assemble } from './join-answer.js';
import { pickColumn } from './join-buckets.js';
import { widenedBatches } from './join-key-casts.js';
import { checkJoinKeyTypes } from './join-key-types.js';
import { crossPairs, hasMissing, indexBuild, probePairs, type BuildSide, type Pairs } from './join-pairs.js';
import { PackedRows } from './packed-rows.js';
import { budgetedHashJoin, type JoinSpillTask } from './spilling-hash-join.js';

export { pickColumn } from './join-buckets.js';

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
 * The joined batches of `left` and `right` (all batches of the partition; empty ones still give the columns). With
 * a spill budget (`spec.spill`, a shuffled join with keys) and the task's `spillTask`, a build side over the budget
 * is joined in buckets of spill files (`spilling-hash-join.ts`).
 *
 * @example
 * for (const batch of hashJoin(spec, leftBatches, rightBatches)) yield batch;
 */
export function hashJoin(
  spec: JoinSpec,
  leftBatches: Iterable<Batch>,
  rightBatches: Iterable<Batch>,
  spillTask: JoinSpillTask | null = null,
): Generator<Batch> {
  // Keys of different number types widened alike (a shuffled join's map sides did so already: then a no-op).
  const left = widenedBatches(leftBatches, spec.leftKeys, spec.keyTypes);
  const right = widenedBatches(rightBatches, spec.rightKeys, spec.keyTypes);
  const buildLeft = spec.build === 'left';
  if (spec.spill !== undefined && spillTask !== null && spec.how !== 'cross') {
    return budgetedHashJoin(spec, buildLeft ? left : right, buildLeft ? right : left, spec.spill, spillTask, joinBuilt);
  }
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
  // Keys whose types were compared on both sides (join-key-types.ts): once each, where both hold values.
  const verified = new Uint8Array(spec.leftKeys.length);
  for (const part of probes) {
    const probe = part.batch;
    if (probeTemplate === null || probeTemplate.names.length === 0) probeTemplate = probe;
    if (how !== 'cross' && verified.includes(0)) {
      checkJoinKeyTypes(spec, buildLeft ? build : probe, buildLeft ? probe : build, verified);
    }
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

/** A batch of no rows with the columns of the first batch that has any. */
export function schemaOnly(batches: readonly Batch[]): Batch {
  return batches.find((b) => b.names.length > 0) ?? { rows: 0, names: [], columns: [] };
}
