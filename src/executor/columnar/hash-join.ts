/**
 * The hash join of one partition: the build side's rows hashed by their key tuple into a typed-array table (group
 * ids, then each group's rows in one index array), the probe side streamed through it batch by batch. Keys are
 * compared by the tuple encoding of grouping (`kernels/tuple-key.ts`: int32, float64, dates and timestamps as
 * numbers, strings by bytes); a null key matches nothing, as in SQL.
 */
import type { JoinSpec } from '../../protocol/columnar.js';
import type { Batch, Column } from './batch.js';
import { columnOf, gatherColumnOrNull } from './batch.js';
import { chooseRows } from './choose-rows.js';
import { concatBatches } from './concat-batches.js';
import { ColumnarError } from './error.js';
import { ByteKeyTable } from './kernels/byte-key-table.js';
import { hashBytes } from './kernels/hash-bytes.js';
import { encodeTupleKey } from './kernels/tuple-key.js';

/** Key tuples of rows, encoded one at a time into a growing scratch buffer. */
class KeyEncoder {
  scratch = new Uint8Array(256);
  /** The encoded length of `row`'s key, or -1 when one of its keys is null. */
  encode(columns: readonly Column[], row: number): number {
    for (const column of columns) if (column.valid !== undefined && column.valid[row] === 0) return -1;
    let length = encodeTupleKey(columns, row, this.scratch);
    while (length < 0) {
      this.scratch = new Uint8Array(this.scratch.length * 4);
      length = encodeTupleKey(columns, row, this.scratch);
    }
    return length;
  }
}

/** Row pairs of the output: `left[i]` with `right[i]`, -1 for the missing side of an outer row. */
class Pairs {
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  count = 0;
  push(l: number, r: number): void {
    if (this.count === this.left.length) {
      const grow = (a: Int32Array) => {
        const next = new Int32Array(a.length * 2);
        next.set(a);
        return next;
      };
      this.left = grow(this.left);
      this.right = grow(this.right);
    }
    this.left[this.count] = l;
    this.right[this.count++] = r;
  }
}

/**
 * The joined batches of `left` and `right` (all batches of the partition; empty ones still give the columns).
 *
 * @example
 * for (const batch of hashJoin(spec, leftBatches, rightBatches)) yield batch;
 */
export function* hashJoin(spec: JoinSpec, left: Iterable<Batch>, right: Iterable<Batch>): Generator<Batch> {
  const buildLeft = spec.build === 'left';
  const buildBatches = [...(buildLeft ? left : right)];
  const build = concatBatches(buildBatches.filter((b) => b.rows > 0)) ?? schemaOnly(buildBatches);
  const buildKeys = buildLeft ? spec.leftKeys : spec.rightKeys;
  const probeKeys = buildLeft ? spec.rightKeys : spec.leftKeys;
  const how = spec.how;
  const table = new ByteKeyTable(Math.max(16, build.rows));
  const encoder = new KeyEncoder();
  const cross = how === 'cross';
  // Rows of each group, contiguous: rowsOf[firstOf[g] … firstOf[g + 1]).
  let firstOf = new Int32Array(1);
  let rowsOf = new Int32Array(0);
  if (!cross && build.rows > 0) {
    const keyColumns = buildKeys.map((k) => columnOf(build, k, 'join()'));
    const groupOf = new Int32Array(build.rows);
    for (let r = 0; r < build.rows; r++) {
      const length = encoder.encode(keyColumns, r);
      groupOf[r] =
        length < 0 ? -1 : table.findOrInsert(encoder.scratch, 0, length, hashBytes(encoder.scratch, 0, length));
    }
    firstOf = new Int32Array(table.size + 1);
    for (let r = 0; r < build.rows; r++) if (groupOf[r]! >= 0) firstOf[groupOf[r]! + 1]!++;
    for (let g = 0; g < table.size; g++) firstOf[g + 1] = firstOf[g + 1]! + firstOf[g]!;
    rowsOf = new Int32Array(firstOf[table.size]!);
    const filled = firstOf.slice(0, table.size);
    for (let r = 0; r < build.rows; r++) {
      const g = groupOf[r]!;
      if (g >= 0) rowsOf[filled[g]!++] = r;
    }
  }
  const preserveProbe = how === 'full' || how === (buildLeft ? 'right' : 'left');
  const preserveBuild = how === 'full' || how === (buildLeft ? 'left' : 'right');
  const matched = preserveBuild ? new Uint8Array(build.rows) : null;
  let probeTemplate: Batch | null = null;
  for (const probe of buildLeft ? right : left) {
    if (probeTemplate === null || probeTemplate.names.length === 0) probeTemplate = probe;
    if (probe.rows === 0) continue;
    const pairs = new Pairs();
    const keyColumns = cross ? [] : probeKeys.map((k) => columnOf(probe, k, 'join()'));
    for (let p = 0; p < probe.rows; p++) {
      if (cross) {
        for (let b = 0; b < build.rows; b++) pairs.push(p, b);
        continue;
      }
      const length = encoder.encode(keyColumns, p);
      const g =
        length < 0 || build.rows === 0
          ? -1
          : table.find(encoder.scratch, 0, length, hashBytes(encoder.scratch, 0, length));
      if (how === 'semi' || how === 'anti') {
        if (g >= 0 === (how === 'semi')) pairs.push(p, -1);
        continue;
      }
      if (g < 0) {
        if (preserveProbe) pairs.push(p, -1);
        continue;
      }
      for (let k = firstOf[g]!; k < firstOf[g + 1]!; k++) {
        const b = rowsOf[k]!;
        pairs.push(p, b);
        if (matched !== null) matched[b] = 1;
      }
    }
    const out = assemble(spec, buildLeft ? build : probe, buildLeft ? probe : build, pairs, buildLeft);
    if (out.rows > 0) yield out;
  }
  if (matched !== null && build.rows > 0) {
    const pairs = new Pairs();
    for (let b = 0; b < build.rows; b++) if (matched[b] === 0) pairs.push(-1, b);
    const probe = probeTemplate ?? { rows: 0, names: [], columns: [] };
    const out = assemble(spec, buildLeft ? build : probe, buildLeft ? probe : build, pairs, buildLeft);
    if (out.rows > 0) yield out;
  }
}

/** A batch of no rows with the columns of the first batch that has any. */
function schemaOnly(batches: readonly Batch[]): Batch {
  return batches.find((b) => b.names.length > 0) ?? { rows: 0, names: [], columns: [] };
}

/** The output rows of `pairs` (probe index first): keys once, then the left's columns, then the right's. */
function assemble(spec: JoinSpec, left: Batch, right: Batch, pairs: Pairs, buildLeft: boolean): Batch {
  const count = pairs.count;
  const leftRows = buildLeft ? pairs.right : pairs.left;
  const rightRows = buildLeft ? pairs.left : pairs.right;
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
  const side = (batch: Batch, name: string, rows: Int32Array) =>
    gatherColumnOrNull(columnOf(batch, name, 'join()'), rows, count);
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
