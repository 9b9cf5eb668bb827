// A one-key aggregation over a dictionary-read string column whose rows name codes in code order (a map task over
// a cached partition) takes its groups to be the codes (dictionary-groups.ts): its result must be the one the
// byte-key table gives for the same rows as plain strings, bit for bit (keys, hashes, every state, in the same
// group order), when the rows stay in code order and when they leave it part way: a null key, a code skipped, a
// second dictionary (of other strings, or of mostly the same ones, whose codes the table finds ahead of the rows),
// plain strings after; both sides (map and reduce). Seeded rows: nulls in keys and values,
// multi-byte and empty strings, batches longer than a chunk. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Column, Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import { dictionaryColumn } from '../../../src/executor/columnar/batches/dictionary-column.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed, TRICKY_WORDS } from '../random-rows.js';

const seed = testSeed('dictionary-key-groups-in-code-order-equal-the-table-path');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const SPECS: AggregateSpec[] = [
  { fn: 'count', column: null, name: 'n' },
  { fn: 'sum', column: 'i', name: 'sum_i' },
  { fn: 'mean', column: 'f', name: 'mean_f' },
  { fn: 'min', column: 'f', name: 'min_f' },
  { fn: 'max', column: 'i', name: 'max_i' },
];

/** One cached partition's rows: its key column dictionary-read (codes in first-seen order) and plain. */
interface Partition {
  readonly rows: number;
  readonly coded: Utf8Column;
  readonly plain: Utf8Column;
  readonly dictionaryBytes: Uint8Array;
  readonly values: Column[];
  /** The strings its keys were drawn from. */
  readonly pool: readonly string[];
}

/**
 * `rows` rows of keys drawn from `distinct` strings (a null key one row in `nullEvery`, or none when 0), coded as
 * the CSV reader codes them: a dictionary of the strings in first-seen order, a null row code 0. The strings are
 * `shared` and then new ones.
 */
function partition(
  rng: Rng,
  rows: number,
  distinct: number,
  nullEvery: number,
  valueNulls: boolean,
  shared: readonly string[] = [],
): Partition {
  const pool = Array.from({ length: distinct }, (_, k) =>
    k < shared.length
      ? shared[k]!
      : k < TRICKY_WORDS.length
        ? TRICKY_WORDS[k]!
        : `id${String(rng.nextInt(1e9)).padStart(10, '0')}·${k}`,
  );
  const codeOf = new Map<string, number>();
  const strings: Uint8Array[] = [];
  const codes = new Int32Array(rows);
  const valid = new Uint8Array(rows).fill(1);
  let nulls = false;
  for (let r = 0; r < rows; r++) {
    if (nullEvery > 0 && rng.nextInt(nullEvery) === 0) {
      valid[r] = 0;
      nulls = true;
      continue;
    }
    const word = pool[rng.nextInt(distinct)]!;
    let code = codeOf.get(word);
    if (code === undefined) {
      codeOf.set(word, (code = strings.length));
      strings.push(encoder.encode(word));
    }
    codes[r] = code;
  }
  const offsets = new Int32Array(strings.length + 1);
  strings.forEach((s, c) => (offsets[c + 1] = offsets[c]! + s.length));
  const bytes = new Uint8Array(offsets[strings.length]!);
  strings.forEach((s, c) => bytes.set(s, offsets[c]!));
  const keyValid = nulls ? valid : undefined;
  const coded = dictionaryColumn(bytes, offsets, strings.length, codes, keyValid);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (valid[r] === 0) continue;
    starts[r] = offsets[codes[r]!]!;
    ends[r] = offsets[codes[r]! + 1]!;
  }
  const plain: Utf8Column = { type: 'utf8', bytes, starts, ends, valid: keyValid };
  const i = new Int32Array(rows);
  const f = new Float64Array(rows);
  const iValid = valueNulls ? new Uint8Array(rows) : undefined;
  const fValid = valueNulls ? new Uint8Array(rows) : undefined;
  for (let r = 0; r < rows; r++) {
    i[r] = rng.nextInt(2000) - 1000;
    f[r] = rng.nextInt(40) === 0 ? NaN : (rng.nextInt(1e6) - 5e5) / 7;
    if (iValid !== undefined) iValid[r] = rng.nextInt(5) === 0 ? 0 : 1;
    if (fValid !== undefined) fValid[r] = rng.nextInt(5) === 0 ? 0 : 1;
  }
  const values: Column[] = [
    { type: 'i32', values: i, valid: iValid },
    { type: 'f64', values: f, valid: fValid },
  ];
  return { rows, coded, plain, dictionaryBytes: bytes, values, pool };
}

function batchOf(p: Partition, key: Utf8Column): Batch {
  return { rows: p.rows, names: ['k', 'i', 'f'], columns: [key, ...p.values] };
}

/** Every column of a result as plain values (strings decoded, nulls as null), and its hashes. */
function contents(result: { batch: Batch; hashes: Int32Array }): unknown {
  const { batch, hashes } = result;
  const columns = batch.columns.map((column) => {
    const out: unknown[] = [];
    for (let r = 0; r < batch.rows; r++) {
      if (column.valid !== undefined && column.valid[r] === 0) out.push(null);
      else if (column.type === 'utf8')
        out.push(decoder.decode(column.bytes.subarray(column.starts[r], column.ends[r])));
      else out.push((column.values as ArrayLike<number | bigint>)[r]);
    }
    return out;
  });
  return { names: batch.names, columns, hashes: [...hashes] };
}

/** Distinct keys `column` (a null row's bytes empty) as a dictionary-read column: row r is code r. */
function asDictionary(column: Utf8Column, rows: number): Utf8Column {
  const offsets = new Int32Array(rows + 1);
  const parts: Uint8Array[] = [];
  for (let r = 0; r < rows; r++) {
    const s = column.valid?.[r] === 0 ? 0 : column.starts[r]!;
    const e = column.valid?.[r] === 0 ? 0 : column.ends[r]!;
    parts.push(column.bytes.subarray(s, e));
    offsets[r + 1] = offsets[r]! + e - s;
  }
  const bytes = new Uint8Array(offsets[rows]!);
  parts.forEach((part, r) => bytes.set(part, offsets[r]!));
  return dictionaryColumn(
    bytes,
    offsets,
    rows,
    Int32Array.from({ length: rows }, (_, r) => r),
    column.valid,
  );
}

/** A feed of an aggregator: which partition's rows, `start … end - 1`, coded or plain. */
type Feed = readonly [Partition, number, number, 'coded' | 'plain'];

/** The result of a partial aggregator fed `feeds` in chunks of `step` rows (the key column as each feed says). */
function aggregate(feeds: readonly Feed[], as: 'as fed' | 'plain', step: number) {
  const agg = new HashAggregator(['k'], SPECS, 'partial');
  for (const [p, start, end, kind] of feeds) {
    const batch = batchOf(p, as === 'plain' || kind === 'plain' ? p.plain : p.coded);
    for (let from = start; from < end; from += step) agg.add(batch, from, Math.min(end, from + step));
  }
  return agg;
}

test('groups of dictionary codes in code order equal the byte-key table path', () => {
  const rng = new Rng(seed);
  const clean = partition(rng, 150_000, 20_000, 0, false);
  const clean2 = partition(rng, 40_000, 3_000, 0, true);
  const nullable = partition(rng, 150_000, 20_000, 30_000, true);
  const mostlyNull = partition(rng, 20_000, 50, 3, true);
  // Another cached partition of the same key: the first one's strings in another order, a few new ones, nulls.
  const sameKeys = partition(rng, 120_000, 21_000, 40_000, true, clean.pool);
  const scenarios: [string, Feed[]][] = [
    ['in code order throughout', [[clean, 0, clean.rows, 'coded']]],
    ['a null key part way', [[nullable, 0, nullable.rows, 'coded']]],
    ['many null keys', [[mostlyNull, 0, mostlyNull.rows, 'coded']]],
    ['read from a middle row (codes out of order)', [[clean, 70_001, clean.rows, 'coded']]],
    [
      'a code skipped part way',
      [
        [clean, 0, 50_000, 'coded'],
        [clean, 90_000, clean.rows, 'coded'],
      ],
    ],
    [
      'a second dictionary',
      [
        [clean, 0, clean.rows, 'coded'],
        [clean2, 0, clean2.rows, 'coded'],
      ],
    ],
    [
      'plain strings after',
      [
        [clean, 0, 100_000, 'coded'],
        [clean, 100_000, clean.rows, 'plain'],
      ],
    ],
    [
      'plain strings first',
      [
        [clean, 0, 10_000, 'plain'],
        [clean, 10_000, clean.rows, 'coded'],
      ],
    ],
    [
      'a second dictionary of mostly the same strings',
      [
        [clean, 0, clean.rows, 'coded'],
        [sameKeys, 0, sameKeys.rows, 'coded'],
      ],
    ],
    [
      'a second dictionary of mostly the same strings, read from a middle row',
      [
        [clean, 0, 60_000, 'coded'],
        [sameKeys, 50_001, sameKeys.rows, 'coded'],
        [clean, 60_000, clean.rows, 'coded'],
      ],
    ],
    ['values with nulls', [[clean2, 0, clean2.rows, 'coded']]],
  ];
  for (const [what, feeds] of scenarios) {
    for (const step of [65_536, 1_000 + rng.nextInt(9_000)]) {
      const label = `${what}, batches of ${step} rows (SEED=${seed})`;
      const coded = aggregate(feeds, 'as fed', step);
      const plain = aggregate(feeds, 'plain', step);
      assert.equal(coded.groups, plain.groups, `${label}: groups`);
      const result = coded.result();
      assert.deepStrictEqual(contents(result), contents(plain.result()), label);
      // Merged on a reduce side whose key column is dictionary-read too (one code per group, in code order).
      const partial = plain.result().batch;
      const merged = (key: Utf8Column) => {
        const final = new HashAggregator(['k'], SPECS, 'final');
        final.add({ ...partial, columns: [key, ...partial.columns.slice(1)] });
        return contents(final.result());
      };
      const plainKey = partial.columns[0] as Utf8Column;
      assert.deepStrictEqual(merged(asDictionary(plainKey, partial.rows)), merged(plainKey), `${label}: merged`);
    }
  }
});

test('a map side over one dictionary in code order keeps its keys as the dictionary strings, no copy', () => {
  const rng = new Rng(seed + 1);
  const p = partition(rng, 100_000, 10_000, 0, false);
  const result = aggregate([[p, 0, p.rows, 'coded']], 'as fed', 65_536).result();
  const key = result.batch.columns[0] as Utf8Column;
  assert.equal(key.bytes, p.dictionaryBytes, `SEED=${seed + 1}: the key column views the dictionary's bytes`);
});
