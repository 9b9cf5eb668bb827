// CodedTupleKeys (several string and number keys coded column by column) gives every distinct key tuple one dense
// group id in first-seen order, as a Map of the tuples would, with nulls grouping together apart from every value,
// NaN as one key and -0 as 0; decoding a group gives back its tuple; and the group hashes depend on the values
// only, so two aggregators that met the tuples in different orders (two map tasks) hash them alike. Both ways the
// tuple table finds groups are checked: the directory of packed codes (few codes per column), widened as the codes
// grow, and the hash slots it gives way to once the codes outgrow it (rows whose tuple space grows mid-stream).
// Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column } from '../../../src/executor/columnar/batches/batch.js';
import { CodedTupleKeys, codedKindOf } from '../../../src/executor/columnar/kernels/coded-tuple-keys.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('coded-tuple-keys-group-as-a-map');
const WORDS = ['', 'a', 'id001', 'id002', 'é😀', 'a\u0000b', 'id0000000042'];
const CHUNK = 97;

type Value = string | number | null;

/**
 * Three key columns: strings, int32 and float64 (NaN, -0), each with nulls; rows from a small tuple space, or, from
 * row `wideFrom` on, a space too wide for the tuple table's directory (ints spread over 0 … 49,999).
 */
function randomColumns(rng: Rng, rows: number, wideFrom = Infinity): { columns: Column[]; tuples: Value[][] } {
  const tuples: Value[][] = [];
  const text = new TextEncoder();
  const parts: Uint8Array[] = [];
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  const ints = new Int32Array(rows);
  const floats = new Float64Array(rows);
  const valid = [new Uint8Array(rows), new Uint8Array(rows), new Uint8Array(rows)];
  let at = 0;
  for (let r = 0; r < rows; r++) {
    const s = rng.nextInt(9) === 0 ? null : WORDS[rng.nextInt(WORDS.length)]!;
    const i = rng.nextInt(9) === 0 ? null : r < wideFrom ? rng.nextInt(20) - 5 : rng.nextInt(50_000);
    const f = rng.nextInt(9) === 0 ? null : [0.5, -0, 0, NaN, 1e300, -3][rng.nextInt(6)]!;
    const bytes = text.encode(s ?? 'ignored');
    parts.push(bytes);
    starts[r] = at;
    at += bytes.length;
    ends[r] = at;
    ints[r] = i ?? 12345;
    floats[r] = f ?? 7;
    valid[0]![r] = s === null ? 0 : 1;
    valid[1]![r] = i === null ? 0 : 1;
    valid[2]![r] = f === null ? 0 : 1;
    tuples.push([s, i, f === null ? null : Object.is(f, -0) ? 0 : f]);
  }
  const bytes = new Uint8Array(at);
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  const columns: Column[] = [
    { type: 'utf8', bytes, starts, ends, valid: valid[0] },
    { type: 'i32', values: ints, valid: valid[1] },
    { type: 'f64', values: floats, valid: valid[2] },
  ];
  return { columns, tuples };
}

/** Groups `columns` chunk by chunk; returns the group of every row, the table and the coder. */
function group(columns: Column[], rows: number) {
  const coded = new CodedTupleKeys(
    columns.map((c) => codedKindOf(c)!),
    CHUNK,
  );
  const ids = new Int32Array(CHUNK);
  const groups: number[] = [];
  for (let from = 0; from < rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK);
    coded.assign(columns, from, to, ids, (c, found) => new Error(`column ${c}: ${found}`));
    for (let i = 0; i < to - from; i++) groups.push(ids[i]!);
  }
  return { groups, coded };
}

const keyOf = (tuple: Value[]) => JSON.stringify(tuple.map((v) => (Number.isNaN(v) ? 'NaN' : v)));

for (const [name, wideFrom] of [
  ['a small tuple space (the directory of packed codes)', Infinity],
  ['a tuple space that outgrows the directory (then hash slots)', 20_000],
] as const) {
  test(`tuples of strings and numbers with nulls group as a Map of the tuples would: ${name} (SEED=${seed})`, () => {
    const rng = new Rng(seed);
    const rows = wideFrom === Infinity ? 3000 : 60_000;
    const { columns, tuples } = randomColumns(rng, rows, wideFrom);
    checkGroups(columns, tuples, rows);
  });
}

function checkGroups(columns: Column[], tuples: Value[][], rows: number): void {
  const { groups, coded } = group(columns, rows);
  const expected = new Map<string, number>();
  tuples.forEach((tuple, r) => {
    const key = keyOf(tuple);
    if (!expected.has(key)) expected.set(key, expected.size);
    assert.equal(groups[r], expected.get(key), `row ${r}: ${key}`);
  });
  assert.equal(coded.size, expected.size);
  // Decoding gives each group's tuple back.
  const decoded = coded.decode(coded.size);
  const text = new TextDecoder();
  const firstRow = new Map<number, number>();
  groups.forEach((g, r) => firstRow.has(g) || firstRow.set(g, r));
  for (const [g, r] of firstRow) {
    const tuple = decoded.map((column): Value => {
      if (column.valid !== undefined && column.valid[g] === 0) return null;
      if (column.type === 'utf8') return text.decode(column.bytes.subarray(column.starts[g]!, column.ends[g]!));
      return (column.values as Float64Array)[g]!;
    });
    assert.equal(keyOf(tuple), keyOf(tuples[r]!), `group ${g}`);
  }
}

test(`group hashes depend on the values only, not on the order the tuples came in (SEED=${seed})`, () => {
  const rng = new Rng(seed + 1);
  const rows = 40_000;
  // Hashes made by the directory (the first rows) and by the hash slots (the rest) alike.
  const { columns, tuples } = randomColumns(rng, rows, 10_000);
  // The same rows backwards: other codes, same values.
  const order = Int32Array.from({ length: rows }, (_, i) => rows - 1 - i);
  const reversed = columns.map((column): Column => {
    const valid = Uint8Array.from(order, (r) => column.valid![r]!);
    if (column.type === 'utf8') {
      return {
        ...column,
        starts: Int32Array.from(order, (r) => column.starts[r]!),
        ends: Int32Array.from(order, (r) => column.ends[r]!),
        valid,
      };
    }
    const values = column.values as Float64Array | Int32Array;
    const copy = new (values.constructor as new (n: number) => typeof values)(rows);
    order.forEach((r, i) => (copy[i] = values[r]!));
    return { ...column, values: copy, valid } as Column;
  });
  const a = group(columns, rows);
  const b = group(reversed, rows);
  for (let r = 0; r < rows; r++) {
    const ga = a.groups[r]!;
    const gb = b.groups[rows - 1 - r]!;
    assert.equal(a.coded.hashes[ga], b.coded.hashes[gb], `row ${r}: ${keyOf(tuples[r]!)}`);
  }
});

test('a later batch whose key column has another type is refused unless it is all null', () => {
  const strings: Column = {
    type: 'utf8',
    bytes: new Uint8Array([97]),
    starts: Int32Array.of(0),
    ends: Int32Array.of(1),
  };
  const ints: Column = { type: 'i32', values: Int32Array.of(4) };
  const coded = new CodedTupleKeys(['utf8', 'number'], 4);
  const ids = new Int32Array(4);
  const refuse = (c: number, found: string) => new Error(`column ${c} became ${found}`);
  coded.assign([strings, ints], 0, 1, ids, refuse);
  assert.throws(() => coded.assign([ints, ints], 0, 1, ids, refuse), /column 0 became i32/);
  const nulls: Column = { type: 'f64', values: Float64Array.of(0), valid: Uint8Array.of(0) };
  assert.equal(coded.assign([nulls, ints], 0, 1, ids, refuse), 2, 'an all-null column is a null key');
});
