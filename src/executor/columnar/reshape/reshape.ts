/**
 * Operators that reshape a batch without computing values: a union side conformed to the union's schema,
 * `withColumnRenamed`, `toDF`, `drop`, `sample`, `dropna` and `fillna`. Columns move by reference; only a widened or null-filled column is new.
 */
import {
  NUMERIC_TYPE_RANK,
  type BatchTypeName,
  type ConformColumn,
  type ReshapeOp,
} from '../../../protocol/columnar-reshape.js';
import { deriveSeed, Rng } from '../../../common/rng.js';
import { allNull, gatherBatch, type Batch, type Column } from '../batches/batch.js';
import { widenNumberColumn } from '../expressions/cast.js';
import { dropNulls, fillNulls } from './null-handling.js';
import { unpivot } from './unpivot.js';
import { replaceValues } from './replace-values.js';
import { ColumnarError } from '../error.js';

/**
 * The batch-to-batch function of `op` in task `partition`: one per task, so `sample` draws one sequence over all
 * its batches (the RDD `sample`'s sequence for the same seed and partition).
 *
 * @example
 * const dropTmp = reshaper({ kind: 'drop', names: ['tmp'] }, 0);
 */
export function reshaper(op: ReshapeOp, partition: number): (batch: Batch) => Batch {
  switch (op.kind) {
    case 'conform': {
      const columns = op.side === 'left' ? op.resolution.left : op.resolution.right;
      const where = op.byName ? 'unionByName()' : 'union()';
      return columns === null ? (batch) => batch : (batch) => conform(batch, columns, where);
    }
    case 'rename':
      return (batch) => {
        if (op.from === op.to || !batch.names.includes(op.from)) return batch;
        return { ...batch, names: batch.names.map((n) => (n === op.from ? op.to : n)) };
      };
    case 'rename-all':
      return (batch) => renameAll(batch, op.names);
    case 'drop':
      return (batch) => {
        const keep = batch.names.map((n, i) => (op.names.includes(n) ? -1 : i)).filter((i) => i >= 0);
        if (keep.length === batch.names.length) return batch;
        return {
          rows: batch.rows,
          names: keep.map((i) => batch.names[i]!),
          columns: keep.map((i) => batch.columns[i]!),
        };
      };
    case 'sample': {
      const rng = new Rng(deriveSeed(op.seed, partition));
      return (batch) => sample(batch, op.lower ?? 0, op.fraction, op.withReplacement, rng);
    }
    case 'drop-nulls':
      return (batch) => dropNulls(batch, op.columns, op.minValues);
    case 'unpivot':
      return (batch) => unpivot(batch, op);
    case 'replace':
      return (batch) => replaceValues(batch, op);
    case 'fill-nulls':
      return (batch) => fillNulls(batch, op.fills);
  }
}

/** `toDF(...names)`: the batch's columns renamed by position, when it has as many. */
function renameAll(batch: Batch, names: readonly string[]): Batch {
  if (batch.names.length !== names.length) {
    throw new ColumnarError(
      'ERR_COLUMNAR_UNKNOWN_COLUMN',
      `toDF(): expected ${names.length} column name${names.length === 1 ? '' : 's'} for the ${batch.names.length} ` +
        `columns ${batch.names.map((n) => `'${n}'`).join(', ')}, found ${names.map((n) => `'${n}'`).join(', ')}`,
    );
  }
  return { ...batch, names: [...names] };
}

/**
 * One uniform draw per row (Bernoulli: kept when in [lower, fraction)), or a Poisson count per row with
 * replacement, as the RDD `sample`. Every split of one `randomSplit` draws the same sequence over the same rows, so
 * the splits are disjoint and together hold every row once.
 */
function sample(batch: Batch, lower: number, fraction: number, withReplacement: boolean, rng: Rng): Batch {
  let indices = new Int32Array(batch.rows);
  let count = 0;
  for (let row = 0; row < batch.rows; row++) {
    if (!withReplacement) {
      const draw = rng.nextFloat();
      if (draw >= lower && draw < fraction) indices[count++] = row;
      continue;
    }
    for (let n = rng.nextPoisson(fraction); n > 0; n--) {
      if (count === indices.length) {
        const grown = new Int32Array(indices.length * 2 + 16);
        grown.set(indices);
        indices = grown;
      }
      indices[count++] = row;
    }
  }
  return gatherBatch(batch, indices, count);
}

/** The batch's columns in the union's order and types: numbers widened, missing (or all-null) columns null. */
function conform(batch: Batch, columns: readonly ConformColumn[], where: string): Batch {
  const out = columns.map((target): Column => {
    const column = target.from === null ? undefined : batch.columns[target.from];
    if (column === undefined || allNull(column, batch.rows)) return nullColumn(target.type, batch.rows);
    const type = column.type as BatchTypeName;
    if (type === target.type || target.type === 'null') return column;
    const from = NUMERIC_TYPE_RANK[type];
    const to = NUMERIC_TYPE_RANK[target.type];
    if (from !== undefined && to !== undefined) {
      // Numbers widen to the union's type; a wider batch than the probe saw (RDD rows infer types per block) stays
      // as it is, and meets the others as every numeric batch does (concatenation widens to float64).
      return to > from ? widenNumberColumn(column, target.type as 'i64' | 'f64', batch.rows) : column;
    }
    throw new ColumnarError(
      'ERR_COLUMNAR_TYPE',
      `${where}: column '${target.name}' (position ${target.from}) is ${target.type} in the union's schema, ` +
        `found ${type} in a batch of this side`,
    );
  });
  return { rows: batch.rows, names: columns.map((c) => c.name), columns: out };
}

/** A column of `rows` nulls of `type`. */
export function nullColumn(type: BatchTypeName, rows: number): Column {
  const valid = new Uint8Array(rows);
  switch (type) {
    case 'utf8':
      return {
        type: 'utf8',
        bytes: new Uint8Array(0),
        starts: new Int32Array(rows),
        ends: new Int32Array(rows),
        valid,
      };
    case 'i64':
      return { type: 'i64', values: new BigInt64Array(rows), valid };
    case 'f64':
      return { type: 'f64', values: new Float64Array(rows), valid };
    case 'bool':
      return { type: 'bool', values: new Uint8Array(rows), valid };
    case 'date':
      return { type: 'date', values: new Int32Array(rows), valid };
    case 'timestamp':
      return { type: 'timestamp', values: new Float64Array(rows), unit: 'ms', zone: null, valid };
    case 'i32':
    case 'null':
      return { type: 'i32', values: new Int32Array(rows), valid };
  }
}
