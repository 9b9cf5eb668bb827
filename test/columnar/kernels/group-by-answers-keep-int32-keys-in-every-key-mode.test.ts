// A groupBy by int32 keys answers int32 key columns in every key mode: one number key, several keys coded column by
// column (two of small ranges through a directory of pairs), keys encoded as byte tuples (beside a boolean), and a
// reduce side that holds its rows and groups them part by part. Map tasks (`HashAggregator` 'partial', passing rows
// through once groups approach rows) meet keys with nulls, negative and extreme int32 values, batches of no rows,
// and batches whose keys are all null typed float64 (how a block's Arrow `null` column reads: a partition of rows
// typed per partition whose keys are all null); their outputs go to reduce tasks by key hash, as the shuffle sends
// them (a reduce partition without rows gets the columns of the first map output that has some). Every map output's
// int32 keys leave as int32, every reduce answer (empty ones too) has the same column types whatever the split of
// the rows into map and reduce partitions, and the answers' keys, counts and sums equal a plain-JS model's.
// Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator, PARTITIONED_ROWS_MIN } from '../../../src/executor/columnar/grouping/aggregate.js';
import {
  allNull,
  gatherBatch,
  sliceBatch,
  type Batch,
  type Column,
} from '../../../src/executor/columnar/batches/batch.js';
import { committedBlockOf } from '../../../src/executor/columnar/grouping/held-result-block.js';
import { partitionOfHash } from '../../../src/executor/columnar/kernels/hash-bytes.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { assertGroupsEqual, KeyedGroups, Rng, testSeed } from '../random-rows.js';

const seed = testSeed('group-by-answers-keep-int32-keys-in-every-key-mode');

const AGGREGATES: AggregateSpec[] = [
  { fn: 'count', column: null, name: 'n' },
  { fn: 'sum', column: 'v', name: 's' },
];
/** Passes rows through early (after 300 rows of nearly as many groups), so rounds of many keys test it. */
const RULE = { rowsMin: 300, groupsPerRowMin: 0.5 };
/** Rows a map task adds between two looks at whether it passes the rest through (as `output.ts`, scaled down). */
const PROBE_ROWS = 256;
const INT32_EXTREMES = [-2147483648, 2147483647, -2147483647, -1, 0, 1];

/** A key column's kind: an int32 key (the subject), or a string or boolean beside it (other key modes). */
type KeyKind = 'int' | 'str' | 'bool';

/** Key shapes, one per key mode. */
const SHAPES: readonly { readonly name: string; readonly kinds: readonly KeyKind[] }[] = [
  { name: 'one int32 key (number mode)', kinds: ['int'] },
  { name: 'two int32 keys (coded, pairs)', kinds: ['int', 'int'] },
  { name: 'three int32 keys (coded)', kinds: ['int', 'int', 'int'] },
  { name: 'an int32 and a string key (coded)', kinds: ['int', 'str'] },
  { name: 'an int32 and a boolean key (tuple bytes)', kinds: ['int', 'bool'] },
];

/** One row of the model: its keys (null for null) and its value. */
type Row = { keys: (number | string | boolean | null)[]; v: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A draw of one key of `kind` over `space` values: nulls, extremes and negative values among them. */
function drawKey(rng: Rng, kind: KeyKind, space: number): number | string | boolean | null {
  if (rng.nextInt(9) === 0) return null;
  if (kind === 'bool') return rng.nextInt(2) === 1;
  const n = rng.nextInt(30) === 0 ? INT32_EXTREMES[rng.nextInt(INT32_EXTREMES.length)]! : rng.nextInt(space) - 7;
  return kind === 'int' ? n : `k${n}·é`;
}

/**
 * A batch of `rows` (keys `k0 …`, value `v`): int32 keys as int32 columns, except those in `untyped`, all null and
 * typed float64 (as a block's `null` column reads).
 */
function batchOf(rows: readonly Row[], kinds: readonly KeyKind[], untyped: ReadonlySet<number>): Batch {
  const n = rows.length;
  const columns = kinds.map((kind, c): Column => {
    const valid = Uint8Array.from(rows, (row) => (row.keys[c] === null ? 0 : 1));
    const nullable = valid.includes(0) ? valid : undefined;
    if (untyped.has(c)) return { type: 'f64', values: new Float64Array(n), valid: new Uint8Array(n) };
    if (kind === 'int')
      return { type: 'i32', values: Int32Array.from(rows, (r) => (r.keys[c] as number) ?? 0), valid: nullable };
    if (kind === 'bool')
      return { type: 'bool', values: Uint8Array.from(rows, (r) => (r.keys[c] ? 1 : 0)), valid: nullable };
    const encoded = rows.map((r) => encoder.encode((r.keys[c] as string | null) ?? ''));
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    let at = 0;
    encoded.forEach((bytes, i) => ((starts[i] = at), (ends[i] = at += bytes.length)));
    const bytes = new Uint8Array(at);
    encoded.forEach((b, i) => bytes.set(b, starts[i]!));
    return { type: 'utf8', bytes, starts, ends, valid: nullable };
  });
  columns.push({ type: 'f64', values: Float64Array.from(rows, (r) => r.v) });
  return { rows: n, names: [...kinds.map((_, c) => `k${c}`), 'v'], columns };
}

/**
 * A map partition: its batches (some of no rows, some with int32 keys all null and untyped), their rows, and how
 * many of them are in batches with every key typed.
 */
function mapPartition(rng: Rng, kinds: readonly KeyKind[], space: number, rows: number, untypedOnly: boolean) {
  const ints = kinds.flatMap((kind, c) => (kind === 'int' ? [c] : []));
  const batches: Batch[] = [];
  const all: Row[] = [];
  let typedRows = 0;
  const count = 1 + rng.nextInt(3);
  for (let b = 0; b < count; b++) {
    if (!untypedOnly && rng.nextInt(5) === 0) batches.push(batchOf([], kinds, new Set()));
    // Untyped: int32 keys of this batch all null and typed float64 (the first, and some others): any batch but the
    // last of a partition, which then sends its keys typed (see `groupBy` for why).
    const untypedBatch = untypedOnly || (b < count - 1 && rng.nextInt(2) === 0);
    const untyped = new Set(untypedBatch ? ints.filter((c) => c === 0 || rng.nextInt(2) === 0) : []);
    const batchRows = Array.from({ length: Math.ceil(rows / count) }, (): Row => ({
      keys: kinds.map((kind, c) => (untyped.has(c) ? null : drawKey(rng, kind, space))),
      v: rng.nextInt(1000) / 4,
    }));
    batches.push(batchOf(batchRows, kinds, untyped));
    for (const row of batchRows) all.push(row);
    if (untyped.size === 0) typedRows += batchRows.length;
  }
  return { batches, rows: all, typedRows };
}

/** A map task over `batches` as `output.ts` runs one: its groups, then the rows it passed through. */
function mapTask(batches: readonly Batch[], keys: readonly string[]): Batch[] {
  const aggregator = new HashAggregator(keys, AGGREGATES, 'partial', RULE);
  const passed: { batch: Batch; hashes: Int32Array }[] = [];
  for (const batch of batches) {
    if (batch.rows === 0) aggregator.add(batch);
    let from = 0;
    for (; from < batch.rows && !aggregator.passesThrough; from += PROBE_ROWS) {
      aggregator.add(batch, from, Math.min(batch.rows, from + PROBE_ROWS));
    }
    if (from < batch.rows) passed.push(aggregator.passThrough(sliceBatch(batch, batch.rows - from, from)));
  }
  return [aggregator.result(), ...passed].flatMap(({ batch, hashes }) =>
    batch.names.length === 0 ? [] : [hashedBatch(batch, hashes)],
  );
}

const hashesOf = new WeakMap<Batch, Int32Array>();
function hashedBatch(batch: Batch, hashes: Int32Array): Batch {
  hashesOf.set(batch, hashes);
  return batch;
}

/** Reduce partition `r` of `reduces` of the map outputs: its rows of each, or no rows of the first output. */
function reduceInput(outputs: readonly Batch[], r: number, reduces: number): Batch[] {
  const inputs: Batch[] = [];
  for (const output of reduces === 1 ? [] : outputs) {
    const hashes = hashesOf.get(output)!;
    const rows = Int32Array.from({ length: output.rows }, (_, i) => i).filter(
      (i) => partitionOfHash(hashes[i]!, reduces) === r,
    );
    if (rows.length > 0) inputs.push(gatherBatch(output, rows, rows.length));
  }
  if (reduces === 1) inputs.push(...outputs.filter((output) => output.rows > 0));
  return inputs.length > 0 || outputs.length === 0 ? inputs : [sliceBatch(outputs[0]!, 0)];
}

/** Each answer row as `[keys…, count, sum]`. */
function answerRows(answer: Batch, kinds: readonly KeyKind[]): unknown[][] {
  const out: unknown[][] = [];
  for (let g = 0; g < answer.rows; g++) {
    const row = answer.columns.map((column, c) => {
      if (column.valid !== undefined && column.valid[g] === 0) return null;
      if (column.type === 'utf8') return decoder.decode(column.bytes.subarray(column.starts[g]!, column.ends[g]!));
      const value = (column.values as ArrayLike<number | bigint>)[g]!;
      return c < kinds.length && kinds[c] === 'bool' ? value === 1 : Number(value);
    });
    out.push(row);
  }
  return out;
}

/** Per key tuple (null for null): its count and sum of v. */
function modelRows(rows: readonly Row[], keyCount: number): KeyedGroups<[number, number]> {
  const groups = new KeyedGroups<[number, number]>(keyCount);
  for (const row of rows) {
    const g = groups.group(row.keys, () => [0, 0]);
    g[0]++;
    g[1] += row.v;
  }
  return groups;
}

const EXPECTED_TYPE: Record<KeyKind, string> = { int: 'i32', str: 'utf8', bool: 'bool' };

/**
 * Groups `parts` (map partitions) through map tasks and `reduces` reduce tasks; checks the types of every output
 * and answer, and returns the answers' rows and how many answers were written from held rows' codes.
 */
function groupBy(parts: ReturnType<typeof mapPartition>[], kinds: readonly KeyKind[], reduces: number, what: string) {
  const keys = kinds.map((_, c) => `k${c}`);
  const outputs: Batch[] = [];
  for (const part of parts) {
    for (const output of mapTask(part.batches, keys)) {
      kinds.forEach((kind, c) => {
        const column = output.columns[c]!;
        // Keys with a value leave typed; keys all null may be float64 ones (a batch whose keys were all null and
        // untyped: passed through as they are, or all a map task grouped: it met no type to send).
        if (allNull(column, output.rows)) assert.ok(['f64', EXPECTED_TYPE[kind]].includes(column.type), what);
        else assert.equal(column.type, EXPECTED_TYPE[kind], `${what}: map output key k${c}`);
      });
      outputs.push(output);
    }
  }
  const types = [...kinds.map((kind) => EXPECTED_TYPE[kind]), 'i32', 'f64'];
  const rows: unknown[][] = [];
  let held = 0;
  for (let r = 0; r < reduces; r++) {
    const reduce = new HashAggregator(keys, AGGREGATES, 'final');
    reduce.addAll(reduceInput(outputs, r, reduces));
    const answer = reduce.result().batch;
    assert.deepEqual(
      answer.columns.map((c) => c.type),
      types,
      `${what}: reduce partition ${r} of ${reduces} (${answer.rows} groups)`,
    );
    for (const row of answerRows(answer, kinds)) rows.push(row);
    if (committedBlockOf(answer) !== undefined) held++;
  }
  return { rows, held };
}

test(`groupBy answers keep int32 keys in every key mode, for every split of the rows (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (const shape of SHAPES) {
    for (let round = 0; round < 8; round++) {
      // Few groups (grouped) or about as many as rows (passed through after the first rows).
      const space = round % 2 === 0 ? 20 : 1_000_000;
      const parts = Array.from({ length: 1 + rng.nextInt(4) }, () =>
        mapPartition(rng, shape.kinds, space, 50 + rng.nextInt(900), false),
      );
      // A partition whose int32 keys are all null and untyped sends them as float64 nulls (it cannot know better),
      // which the reduce side's answer ignores; it comes last, as a reduce partition without rows takes its columns
      // from the first map output that has some (an untyped first one would type that empty answer float64).
      if (round % 4 === 3) parts.push(mapPartition(rng, shape.kinds, space, 100, true));
      const expected = modelRows(
        parts.flatMap((p) => p.rows),
        shape.kinds.length,
      );
      for (const reduces of [1, 3, 8]) {
        const what = `seed ${seed}, ${shape.name}, round ${round}, ${parts.length} map and ${reduces} reduce tasks`;
        assertGroupsEqual(groupBy(parts, shape.kinds, reduces, what).rows, expected, (g) => g, what);
      }
    }
  }
});

test(`a reduce side that holds its rows answers int32 keys as int32 (seed ${seed})`, () => {
  const rng = new Rng(seed + 1);
  // Held rows are coded column by column (never pairs, never tuple bytes): three int32 keys, an int32 and a string.
  for (const shape of SHAPES.filter((s) => s.kinds.length === 3 || s.kinds.includes('str'))) {
    // One reduce task of more than PARTITIONED_ROWS_MIN rows of many groups: it holds them and groups part by part.
    // Sized by what reaches it, not by what the map tasks read: an untyped batch's rows share one all-null key and
    // a map task may fold them into one group, but its typed batches' rows, of nearly as many groups, reach the
    // reduce side: partitions are drawn until those alone bring more than PARTITIONED_ROWS_MIN rows (two or three
    // partitions of a third of it, where a fixed two had to be sized for the fewest typed rows: twice the rows).
    const parts: ReturnType<typeof mapPartition>[] = [];
    for (let typed = 0; typed <= PARTITIONED_ROWS_MIN + 5000;) {
      const part = mapPartition(rng, shape.kinds, 1_000_000, Math.ceil(PARTITIONED_ROWS_MIN / 3), false);
      parts.push(part);
      typed += part.typedRows;
    }
    const what = `seed ${seed}, ${shape.name}, held rows`;
    const { rows, held } = groupBy(parts, shape.kinds, 1, what);
    assert.equal(held, 1, `${what}: the answer written from the held rows' codes`);
    const expected = modelRows(
      parts.flatMap((p) => p.rows),
      shape.kinds.length,
    );
    assertGroupsEqual(rows, expected, (g) => g, what);
  }
});
