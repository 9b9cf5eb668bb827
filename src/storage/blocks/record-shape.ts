/**
 * Splits records into columns by their shape (DESIGN.md §3): pairs become columns `key` and `value` (a key or value
 * that is always a pair of scalars two columns `key.0`, `key.1`), flat objects
 * with identical keys one column per key, anything else one column `value`. The shape is stored in the block so
 * the reader rebuilds exactly the records it was given.
 */
import { shapeColumnNames, type RecordShape } from '../../protocol/block.js';

/** Records split into columns, ready for per-column type inference. */
export interface ShapedColumns {
  readonly shape: RecordShape;
  /** Column names, in block order. */
  readonly names: readonly string[];
  /** One array of values per column, each `records.length` long. */
  readonly columns: readonly (readonly unknown[])[];
}

const scalarShape: RecordShape = { kind: 'scalar' };
const pairShape: RecordShape = { kind: 'pair' };

/**
 * A 2-element array with both elements present. Holes are excluded because a hole would come back as `undefined`,
 * which `deepStrictEqual` (and a user) can tell apart; such arrays fall back to v8 serialization, which keeps holes.
 */
function isPair(record: unknown): record is readonly [unknown, unknown] {
  return Array.isArray(record) && record.length === 2 && 0 in record && 1 in record;
}

/**
 * A pair of values that get native columns or null (numbers, strings, booleans, bigints, null). Only such inner
 * pairs are split into two columns: an inner pair of objects would cost two v8 payloads instead of one.
 */
function isScalarPair(value: unknown): value is readonly [unknown, unknown] {
  return isPair(value) && isScalar(value[0]) && isScalar(value[1]);
}

function isScalar(value: unknown): boolean {
  const type = typeof value;
  return type === 'number' || type === 'string' || type === 'boolean' || type === 'bigint' || value === null;
}

/** The first and the second elements of `pairs`, as two columns. */
function unzip(pairs: readonly unknown[]): [unknown[], unknown[]] {
  const firsts = new Array<unknown>(pairs.length);
  const seconds = new Array<unknown>(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as readonly [unknown, unknown];
    firsts[i] = pair[0];
    seconds[i] = pair[1];
  }
  return [firsts, seconds];
}

/** A plain object: what an object literal or `JSON.parse` makes. Class instances keep their class only via v8. */
function isPlainObject(record: unknown): record is Record<string, unknown> {
  if (typeof record !== 'object' || record === null) return false;
  const proto: unknown = Object.getPrototypeOf(record);
  return proto === Object.prototype || proto === null;
}

/** True when `record`'s enumerable string keys are exactly `fields`, in that order. */
function hasExactFields(record: Record<string, unknown>, fields: readonly string[]): boolean {
  // for-in walks the enum cache V8 keeps per hidden class, so it is much cheaper than Object.keys per record. It
  // would also list enumerable inherited keys, but plain objects inherit none unless Object.prototype is polluted,
  // in which case the count check below fails and the records fall back to the scalar shape: still correct.
  let index = 0;
  for (const key in record) {
    if (key !== fields[index]) return false;
    index++;
  }
  return index === fields.length;
}

/**
 * Infers the record shape and splits the records into columns.
 *
 * - every record a 2-element array → `pair`, or `nested-pair` when every key (or every value) is itself a pair of
 *   scalars (numbers, strings, booleans, bigints, null), which then takes two columns;
 * - every record a plain object (prototype `Object.prototype` or `null`) with the same keys in the same order →
 *   `object` (WARNING: a null-prototype object comes back with `Object.prototype`, as after `structuredClone`);
 * - otherwise, and for no records at all → `scalar`.
 *
 * @example
 * splitRecords([['a', 1], ['b', 2]]); // { shape: { kind: 'pair' }, names: ['key', 'value'], columns: [['a','b'], [1,2]] }
 */
export function splitRecords(records: readonly unknown[]): ShapedColumns {
  const rows = records.length;
  if (rows === 0) return { shape: scalarShape, names: ['value'], columns: [records] };
  const first = records[0];

  if (isPair(first)) {
    let allPairs = true;
    for (let i = 1; i < rows && allPairs; i++) allPairs = isPair(records[i]);
    if (allPairs) {
      const keys = new Array<unknown>(rows);
      const values = new Array<unknown>(rows);
      let keyPairs = true;
      let valuePairs = true;
      for (let i = 0; i < rows; i++) {
        const pair = records[i] as readonly [unknown, unknown];
        keys[i] = pair[0];
        values[i] = pair[1];
        if (keyPairs) keyPairs = isScalarPair(pair[0]);
        if (valuePairs) valuePairs = isScalarPair(pair[1]);
      }
      if (!keyPairs && !valuePairs) return { shape: pairShape, names: ['key', 'value'], columns: [keys, values] };
      const shape: RecordShape = { kind: 'nested-pair', keyPair: keyPairs, valuePair: valuePairs };
      return {
        shape,
        names: shapeColumnNames(shape),
        columns: [...(keyPairs ? unzip(keys) : [keys]), ...(valuePairs ? unzip(values) : [values])],
      };
    }
  } else if (isPlainObject(first)) {
    const fields = Object.keys(first);
    let allMatch = hasExactFields(first, fields);
    for (let i = 1; i < rows && allMatch; i++) {
      const record = records[i];
      allMatch = isPlainObject(record) && hasExactFields(record, fields);
    }
    if (allMatch) {
      const columns = fields.map(() => new Array<unknown>(rows));
      for (let i = 0; i < rows; i++) {
        const record = records[i] as Record<string, unknown>;
        for (let c = 0; c < fields.length; c++) columns[c]![i] = record[fields[c]!];
      }
      return { shape: { kind: 'object', fields }, names: fields, columns };
    }
  }
  return { shape: scalarShape, names: ['value'], columns: [records] };
}
