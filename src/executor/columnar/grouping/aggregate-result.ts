/**
 * The result of a `HashAggregator`: one row per group, its key columns taken back from whichever table held the
 * keys (`group-key-mode.ts`), then the partial states (map side) or the aggregates' outputs (reduce side).
 */
import type { AggregateSpec } from '../../../protocol/columnar.js';
import { partialColumns } from '../../../protocol/columnar.js';
import type { Batch, Column, Utf8Column } from '../batches/batch.js';
import type { GroupAggregate } from '../aggregates/group-aggregate.js';
import { countColumn, extremeColumn, type Accumulate, type GroupStates, type StateSlot } from './group-states.js';
import { countsOf } from './state-slots.js';
import { minOfNumbers } from '../aggregates/min-of-numbers.js';
import type { ByteKeyTable } from '../kernels/byte-key-table.js';
import type { DictionaryGroups } from './dictionary-groups.js';
import type { NumberKeyTable } from '../kernels/number-key-table.js';
import type { CodedTupleKeys, HeldKeyCodes } from '../kernels/coded-tuple-keys.js';
import { decodeTupleKeys, type TupleKeyKind } from '../kernels/tuple-key.js';
import { emptyKeyColumns, keyValidity, retype, type GroupKeyMode } from './group-key-mode.js';
import { pendingColumn } from '../batches/batch-to-block.js';
import { answerBlockBatch, countLaneColumn, heldKeyColumn, stateLaneColumn } from './held-result-block.js';

/** The result of an aggregation: one row per group, plus each group's key hash (for hash partitioning). */
export interface AggregateResult {
  readonly batch: Batch;
  readonly hashes: Int32Array;
}

/** What an aggregator holds that its result is read from (every table but the fused word count's). */
export interface ResultSources {
  readonly keys: readonly string[];
  readonly aggregates: readonly AggregateSpec[];
  readonly mode: 'partial' | 'final';
  readonly slots: readonly StateSlot[];
  readonly extras: ReadonlyMap<number, GroupAggregate>;
  readonly rowCounts: GroupStates | null;
  readonly keyMode: GroupKeyMode | null;
  readonly groups: number;
  readonly numberTable: NumberKeyTable;
  readonly coded: CodedTupleKeys | null;
  readonly dictionaryGroups: DictionaryGroups | null;
  /** The string and tuple keys' table (taken on demand: a result of no rows takes an empty one). */
  readonly bytesTable: () => ByteKeyTable;
  readonly tupleKinds: readonly TupleKeyKind[];
  readonly nullGroup: number;
  /** Per key column, one of the type its answer takes (`KeyTypes.templates`); null when no batch had columns. */
  readonly keyTemplates: readonly Column[] | null;
  readonly inputTemplates: readonly (Column | null)[] | null;
}

/** One row per group: key columns, then partial states (`partial`) or the aggregates' outputs (`final`). */
export function aggregateResult(from: ResultSources): AggregateResult {
  const { keys, groups } = from;
  const held = from.mode === 'final' && groups > 0 ? (from.coded?.heldKeyCodes() ?? null) : null;
  if (held !== null) return heldAnswer(from, held);
  // A map side that met no columns at all (an empty partition of rows typed per partition): no key types to send,
  // so it sends no columns, and the reduce side types its answer from the other map sides' (`KeyTypes`).
  if (from.mode === 'partial' && from.keyTemplates === null) {
    return { batch: { rows: 0, names: [], columns: [] }, hashes: new Int32Array(0) };
  }
  const names: string[] = [...keys];
  const { columns, hashes } = keyColumnsOf(from);
  const { template } = statesOf(from);
  if (from.mode === 'partial') {
    for (const slot of from.slots) {
      names.push(slot.name);
      // Partial counts go to the shuffle as int32 when they fit: 4 bytes a group less to keep and move.
      if (slot.accumulate === 'count') columns.push(countColumn(countsOf(slot, from.rowCounts!, groups)));
      else
        columns.push(stateColumn(slot.states, slot.accumulate, groups, template(slot.name), slot.column ?? slot.name));
    }
    from.extras.forEach((extra, i) => {
      names.push(...partialColumns(from.aggregates[i]!, i));
      columns.push(...extra.partial(groups));
    });
  } else {
    from.aggregates.forEach((spec, i) => {
      names.push(spec.name);
      columns.push(finalColumn(from, spec, i));
    });
  }
  return { batch: { rows: groups, names, columns }, hashes };
}

/** The reading of the aggregator's states by slot name: each one's column, validity and input template. */
function statesOf(from: ResultSources) {
  const { groups } = from;
  const slotOf = (name: string) => from.slots.find((s) => s.name === name)!;
  return {
    slotOf,
    state: (name: string) => slotOf(name).states.column(groups),
    // A min or max keeps its input's type, so does a sum of int64 (other sums and counts do not: null). A shared
    // slot read no input of its own: the slot that owns the states read it.
    template: (name: string) => {
      const slot = slotOf(name);
      const typed = slot.accumulate === 'min' || slot.accumulate === 'max' || slot.states.exact !== null;
      if (!typed) return null;
      return from.inputTemplates?.[from.slots.findIndex((s) => s.states === slot.states)] ?? null;
    },
  };
}

/** The output column of aggregate `i` (reduce side). */
function finalColumn(from: ResultSources, spec: AggregateSpec, i: number): Column {
  const { groups } = from;
  const { slotOf, state, template } = statesOf(from);
  const partial = partialColumns(spec, i);
  const extra = from.extras.get(i);
  if (extra !== undefined) return extra.final(groups);
  if (spec.fn === 'mean') return meanColumn(sumNumbers(slotOf(partial[0]!).states, groups), state(partial[1]!), groups);
  if (spec.fn === 'count') return countColumn(state(partial[0]!));
  const slot = slotOf(partial[0]!);
  return stateColumn(slot.states, slot.accumulate, groups, template(partial[0]!), spec.name);
}

/**
 * A sum's, min's or max's column from its states: `extremeColumn` of its float64 lane, or, once the states met
 * int64 values (`GroupStates.exact`), their exact answer as int64 (a sum out of the int64 range throws
 * `ERR_COLUMNAR_OVERFLOW`), unless float64 values came too (`template` float64): then each group's float64.
 */
function stateColumn(
  states: GroupStates,
  how: Accumulate,
  groups: number,
  template: Column | null,
  name: string,
): Column {
  const { exact } = states;
  const floats = states.column(groups);
  const floatSeen = states.validity(groups);
  if (exact === null) return extremeColumn(floats, floatSeen, how === 'add' ? null : template);
  // The float64 lane tracks its groups from the first int64 value on (`accumulateInt64`).
  const valid = new Uint8Array(groups);
  for (let g = 0; g < groups; g++) valid[g] = exact.seen[g]! | (floatSeen?.[g] ?? 1);
  const validity = valid.includes(0) ? valid : undefined;
  if (template?.type !== 'f64') return { type: 'i64', values: exact.int64(groups, name), valid: validity };
  const numbers = exact.numbers(groups);
  const out = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    const [a, b] = [exact.seen[g] === 1 ? numbers[g]! : null, floatSeen?.[g] === 1 ? floats[g]! : null];
    if (a === null || b === null) out[g] = a ?? b ?? 0;
    else out[g] = how === 'add' ? a + b : how === 'min' ? minOfNumbers(a, b) : Math.max(a, b);
  }
  return { type: 'f64', values: out, valid: validity };
}

/** A sum's states as float64 (a mean's numerator): an exact int64 sum rounded once, plus the float64 lane's. */
function sumNumbers(states: GroupStates, groups: number): Float64Array {
  const floats = states.column(groups);
  if (states.exact === null) return floats;
  const numbers = states.exact.numbers(groups);
  const seen = states.exact.seen;
  const out = new Float64Array(groups);
  for (let g = 0; g < groups; g++) out[g] = floats[g]! + (seen[g] === 1 ? numbers[g]! : 0);
  return out;
}

/**
 * The answer of a reduce side that held its rows, written straight into its block (`held-result-block.ts`): keys
 * from the groups' codes, counts, sums, minima and maxima from their state lanes; the rest (means, dates and
 * timestamps) as columns first, then copied in.
 */
function heldAnswer(from: ResultSources, held: readonly HeldKeyCodes[]): AggregateResult {
  const { keys, groups } = from;
  const { slotOf, template } = statesOf(from);
  let decoded: Column[] | null = null;
  const decodedKey = (c: number) => {
    decoded ??= from.coded!.decode(groups).map((column, k) => retype(column, from.keyTemplates?.[k]));
    return decoded[c]!;
  };
  const columns = keys.map(
    (key, c) =>
      heldKeyColumn(key, held[c]!, groups, from.keyTemplates?.[c]) ?? pendingColumn(key, decodedKey(c), groups),
  );
  from.aggregates.forEach((spec, i) => {
    const state = partialColumns(spec, i)[0]!;
    const direct =
      from.extras.has(i) || spec.fn === 'mean'
        ? null
        : spec.fn === 'count'
          ? countLaneColumn(spec.name, slotOf(state).states, groups)
          : stateLaneColumn(spec.name, slotOf(state).states, groups, template(state));
    columns.push(direct ?? pendingColumn(spec.name, finalColumn(from, spec, i), groups));
  });
  const names = [...keys, ...from.aggregates.map((spec) => spec.name)];
  const coded = from.coded!;
  // The groups' key hashes only when asked for (held rows group by other hashes: `heldHashes`), as a final answer
  // never is: asked after the aggregator's `release`, they are not there.
  return {
    batch: answerBlockBatch(names, groups, columns),
    get hashes() {
      return coded.hashes.subarray(0, groups);
    },
  };
}

/** Per key column, true when the answer's key is int32 (`KeyTypes`): its coded keys decode as int32. */
function int32Keys(from: ResultSources): boolean[] {
  return from.keyTemplates?.map((template) => template.type === 'i32') ?? [];
}

/** Means of `groups` groups from their sums and counts; null where a group counted no value. */
function meanColumn(sums: Float64Array, counts: Float64Array, groups: number): Column {
  const means = new Float64Array(groups);
  let valid: Uint8Array | undefined;
  for (let g = 0; g < groups; g++) {
    means[g] = sums[g]! / counts[g]!;
    if (counts[g] === 0) (valid ??= new Uint8Array(groups).fill(1))[g] = 0;
  }
  return { type: 'f64', values: means, valid };
}

/** The groups' key columns and key hashes, from the table of the aggregator's key mode. */
function keyColumnsOf(from: ResultSources): { columns: Column[]; hashes: Int32Array } {
  const { groups, keyMode } = from;
  const columns: Column[] = [];
  if (keyMode === 'identity') {
    // The rows' own keys (of the one batch added), in their type: as the groups of a map side leave (`KeyTypes`).
    columns.push(...from.keyTemplates!);
    return { columns, hashes: new Int32Array(0) };
  }
  if (keyMode === 'number') {
    const keys = from.numberTable.keys.subarray(0, groups);
    columns.push(
      retype({ type: 'f64', values: keys, valid: keyValidity(from.nullGroup, groups) }, from.keyTemplates?.[0]),
    );
    return { columns, hashes: from.numberTable.hashes.subarray(0, groups) };
  }
  if (keyMode === 'coded') {
    const hashes = from.coded!.hashes.subarray(0, groups);
    // Map side: strings leave as codes into the key's dictionary, so a shuffle chunk carries each string once
    // (beside the dictionaries of the rows passed through) and the reduce side looks each up once, not per group.
    // Strings all read from one cached partition's dictionary leave coded into it, as the rows passed through do.
    // Int32 keys leave as int32, written so from the codes (no float64 column first).
    const partial = from.mode === 'partial';
    const decoded = from.coded!.decode(groups, partial, int32Keys(from), partial);
    columns.push(...decoded.map((column, c) => retype(column, from.keyTemplates?.[c])));
    return { columns, hashes };
  }
  if (from.dictionaryGroups !== null && from.dictionaryGroups.codeOrderSize !== null) {
    const keys = from.dictionaryGroups.codeOrderKeys()!;
    columns.push(keys.column);
    return { columns, hashes: keys.hashes };
  }
  const table = from.bytesTable();
  const hashes = table.hashes.subarray(0, groups);
  if (keyMode === 'tuple') {
    const decoded = decodeTupleKeys(table, groups, from.tupleKinds);
    columns.push(...decoded.map((column, c) => retype(column, from.keyTemplates?.[c])));
    return { columns, hashes };
  }
  const key: Utf8Column = {
    type: 'utf8',
    bytes: table.arena,
    starts: table.keyStarts.subarray(0, groups),
    ends: table.keyEnds.subarray(0, groups),
    valid: keyValidity(from.nullGroup, groups),
  };
  // No rows yet: the key columns' types are those of an empty batch, if one came, else unknown.
  if (keyMode === null && from.keyTemplates !== null) columns.push(...emptyKeyColumns(from.keyTemplates));
  else if (keyMode === 'utf8' || from.keys.length === 1) columns.push(key);
  else for (let k = 0; k < from.keys.length; k++) columns.push(key);
  return { columns, hashes };
}
