/**
 * The partial rows of a map task's rows passed through (`HashAggregator.passThrough`) as plain copies of its columns:
 * a row that is its own group has a count state of 1 (0 for a null value) and a sum state of its value, so the
 * states need no table, no state block and no pass that adds each value to a zero. A sum of float64 values is the
 * batch's own column (the chunks that go to the shuffle copy it anyway). `passThroughRows` checks the keys, hashes
 * them and falls back to the identity aggregation where a copy does not serve.
 */
import type { AggregateResult } from './aggregate-result.js';
import type { Batch, Column } from '../batches/batch.js';
import { columnOf } from '../batches/batch.js';
import { keyTypeChange, type GroupKeyMode } from './group-key-mode.js';
import { inputOf, type StateSlot } from './group-states.js';
import type { GroupKeyHasher } from '../kernels/group-key-hashes.js';
import { isHashedKeyMode } from './pass-through-rule.js';

/**
 * The partial rows of `batch` passed through by an aggregator of `keys` whose table holds them in `mode`, and each
 * row's key hash (the one its table gives, by `hasher`): `passedPartialRows` when `copies` (no richer states) and
 * the slots allow it, else `identityRows()` (the batch through an aggregation with a group per row). Throws when the
 * batch's keys are not of the table's types.
 *
 * @example
 * return passThroughRows(keys, slots, 'number', hasher, batch, extras.size === 0, () => identityRows(batch));
 */
export function passThroughRows(
  keys: readonly string[],
  slots: readonly StateSlot[],
  mode: GroupKeyMode | null,
  hasher: GroupKeyHasher,
  batch: Batch,
  copies: boolean,
  identityRows: () => Batch,
): AggregateResult {
  if (!isHashedKeyMode(mode)) throw keyTypeChange(keys[0]!, String(mode), 'rows passed through');
  const keyColumns = keys.map((key) => columnOf(batch, key, 'groupBy()'));
  if (mode !== 'coded') {
    const only = keyColumns[0]!;
    const fits = mode === 'utf8' ? only.type === 'utf8' : only.type === 'f64' || only.type === 'i32';
    if (!fits) throw keyTypeChange(keys[0]!, mode, only.type);
  }
  const hashes = hasher.hashes(mode, keyColumns, batch.rows);
  const copied = copies ? passedPartialRows(keys, slots, batch, keyColumns) : null;
  return { batch: copied ?? identityRows(), hashes };
}

/**
 * `batch`'s partial rows, one per row, after its key columns `keyColumns` (as they are: keys leave a map side in
 * their input type, `KeyTypes`); null when a slot's state of one value is not the value
 * itself (a min, a max, a sum of a column with nulls or of dates: the identity aggregation makes those).
 *
 * @example
 * const rows = passedPartialRows(['id1', 'id4'], slots, batch, keyColumns) ?? identityRows(batch);
 */
export function passedPartialRows(
  keys: readonly string[],
  slots: readonly StateSlot[],
  batch: Batch,
  keyColumns: readonly Column[],
): Batch | null {
  const rows = batch.rows;
  const names = [...keys];
  const columns = [...keyColumns];
  for (const slot of slots) {
    const input = inputOf(slot, batch);
    const valid = input.valid;
    if (slot.accumulate === 'count') {
      let counts: Int32Array;
      if (valid === undefined) {
        counts = onesOf(rows);
      } else {
        counts = new Int32Array(rows);
        for (let i = 0; i < rows; i++) counts[i] = valid[i]!;
      }
      columns.push({ type: 'i32', values: counts });
    } else if (slot.accumulate === 'add' && valid === undefined && input.values !== null) {
      // 0 + v is v but for -0, which the reduce side's sum (from 0) makes 0 either way.
      const values = input.values;
      columns.push({
        type: 'f64',
        values: values instanceof Float64Array ? values.subarray(0, rows) : Float64Array.from(values.subarray(0, rows)),
      });
    } else if (slot.accumulate === 'add' && valid === undefined && input.column?.type === 'i64') {
      // An int64 sum's state of one value is the value, int64 (exact, `GroupStates.exact`).
      columns.push({ type: 'i64', values: input.column.values.subarray(0, rows) });
    } else {
      return null;
    }
    names.push(slot.name);
  }
  return { rows, names, columns };
}

/**
 * This thread's int32 ones, at least as many as the largest batch passed through so far: the count states of rows
 * without nulls are views of it. A map task of q10 took a fresh 20 MB array of ones (5 M rows), every page of it
 * faulted in, only for the shuffle write to copy them out. WARNING: read only (a batch's columns are never written).
 */
let ones = new Int32Array(0);

/** `rows` int32 ones (a view of this thread's `ones`). */
function onesOf(rows: number): Int32Array {
  if (ones.length < rows) ones = new Int32Array(rows).fill(1);
  return ones.subarray(0, rows);
}
