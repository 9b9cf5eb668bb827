// A hash join's big build side is packed row by row for the answer's gathers (executor/columnar/joins/packed-rows.ts):
// what it gathers must equal the column-by-column gathers (gatherColumn, gatherDictionaryColumn) for every packed
// shape: int32, date, float64, timestamp, short strings held in the row (empty and 12-byte ones), longer strings
// (starts and ends), and dictionary-read strings with 1- and 2-byte codes. End to end, joins whose build side is
// big enough to be packed must answer as a plain-JS model does, cached (co-located) and shuffled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { gatherColumn, type Column, type Utf8Column } from '../../src/executor/columnar/batches/batch.js';
import {
  dictionaryColumn,
  dictionaryOf,
  gatherDictionaryColumn,
} from '../../src/executor/columnar/batches/dictionary-column.js';
import { PackedRows } from '../../src/executor/columnar/joins/packed-rows.js';
import { Context, type JoinType } from '../../src/index.js';
import { assertGroupsEqual, KeyedGroups, Rng, rowTuples, testSeed } from './random-rows.js';

const seed = testSeed('packed-rows-gather-as-columns-do');
const rng = new Rng(seed);
const encoder = new TextEncoder();

/** A plain string column of `rows` strings drawn by `draw`. */
function stringColumn(rows: number, draw: () => string): Utf8Column {
  const strings = Array.from({ length: rows }, draw).map((s) => encoder.encode(s));
  const bytes = new Uint8Array(strings.reduce((n, s) => n + s.length + 1, 0));
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  let at = 0;
  strings.forEach((s, r) => {
    at += 1; // a byte between strings, so no row's bytes follow another's
    bytes.set(s, at);
    starts[r] = at;
    ends[r] = at += s.length;
  });
  return { type: 'utf8', bytes, starts, ends };
}

function dictionaryOfSize(rows: number, size: number, codes: Uint8Array | Uint16Array): Utf8Column {
  const words = Array.from({ length: size }, (_, i) => encoder.encode(`w${i}é`));
  const offsets = new Int32Array(size + 1);
  words.forEach((w, i) => (offsets[i + 1] = offsets[i]! + w.length));
  const bytes = new Uint8Array(offsets[size]!);
  words.forEach((w, i) => bytes.set(w, offsets[i]!));
  for (let r = 0; r < rows; r++) codes[r] = rng.nextInt(size);
  return dictionaryColumn(bytes, offsets, size, codes, undefined);
}

/** A column's rows as JS values (strings decoded), for comparing columns made differently. */
function valuesOf(column: Column, count: number): unknown[] {
  const decoder = new TextDecoder();
  return Array.from({ length: count }, (_, i) => {
    if (column.valid !== undefined && column.valid[i] === 0) return null;
    if (column.type === 'utf8') return decoder.decode(column.bytes.subarray(column.starts[i], column.ends[i]));
    return column.values[i];
  });
}

const word = () => 'abcdefghijklmnopqrstuvwxyzé'.slice(0, rng.nextInt(13));

test('packed gathers equal the column-by-column gathers, every packed shape', () => {
  const rows = 3000 + rng.nextInt(2000);
  const ints = (scale: number) => Int32Array.from({ length: rows }, () => rng.nextInt(scale) - scale / 2);
  const columns: Column[] = [
    { type: 'i32', values: ints(1 << 30) },
    { type: 'date', values: ints(40000) },
    { type: 'f64', values: Float64Array.from({ length: rows }, () => rng.nextInt(1e9) / 7) },
    { type: 'timestamp', values: Float64Array.from({ length: rows }, () => rng.nextInt(1e9)), unit: 'ms', zone: 'UTC' },
    // At most 12 bytes (é takes two): held in the row.
    stringColumn(rows, () => word().slice(0, 11)),
    // Some longer than 12 bytes: starts and ends.
    stringColumn(rows, () => word() + word()),
    dictionaryOfSize(rows, 100, new Uint8Array(rows)),
    dictionaryOfSize(rows, 3000, new Uint16Array(rows)),
    // With nulls: not packed, the caller gathers it.
    { type: 'i32', values: ints(100), valid: Uint8Array.from({ length: rows }, () => (rng.nextInt(3) === 0 ? 0 : 1)) },
  ];
  const packed = PackedRows.of(columns, rows);
  assert.ok(packed !== null);
  const count = 2 * rows + rng.nextInt(700);
  const picked = Int32Array.from({ length: count }, () => rng.nextInt(rows));
  picked[0] = 0;
  picked[1] = rows - 1;
  const gathered = packed.gather(picked, count);
  assert.equal(gathered.size, columns.length - 1, 'every column but the nullable one packed');
  assert.equal(gathered.get(columns[8]!), undefined);
  columns.slice(0, 8).forEach((column, c) => {
    const got = gathered.get(column)!;
    const coded = dictionaryOf(column);
    const want =
      coded === undefined
        ? gatherColumn(column, picked, count)
        : gatherDictionaryColumn(column as Utf8Column, coded, picked, count);
    assert.equal(got.type, want.type, `column ${c}`);
    assert.deepEqual(valuesOf(got, count), valuesOf(want, count), `column ${c}`);
    if (coded !== undefined) {
      const codes = dictionaryOf(got)?.codes;
      assert.ok(codes !== undefined, `column ${c} stays dictionary-read`);
      assert.deepEqual([...codes], [...dictionaryOf(want)!.codes], `column ${c}: codes`);
    }
  });
});

test('one packable column is not packed', () => {
  const only: Column = { type: 'i32', values: new Int32Array(10) };
  assert.equal(PackedRows.of([only], 10), null);
});

describe('joins whose build side is packed answer as a model does', () => {
  let kc: Context;
  before(() => {
    kc = new Context({ threads: 2, broadcastJoinBytesMax: 0 });
  });
  after(() => kc.stop());
  // 70 k distinct keys on the right, 100 k rows on the left: either build side is above the packing threshold.
  const buildRows = 70_000;
  const keys = Int32Array.from({ length: buildRows }, (_, i) => i * 3);
  for (let i = buildRows - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  const right = {
    k: [...keys],
    b: Array.from({ length: buildRows }, (_, i) => i / 4),
    id: Array.from({ length: buildRows }, (_, i) => `id${i}`),
    long: Array.from({ length: buildRows }, (_, i) => `a longer string ${i}`),
    low: Array.from({ length: buildRows }, (_, i) => `g${i % 7}`),
  };
  // Every build key once (so a right join, built on the left, has no unmatched probe row), then 30 k keys drawn
  // from a wider range (unmatched rows for a left join).
  const leftKeys = [...keys, ...Array.from({ length: 30_000 }, () => rng.nextInt(buildRows * 4))];
  const left = { k: leftKeys, a: leftKeys.map((_, i) => i) };
  /** The joined rows by `[a, k]` (each left row once, a right row without a match has no `a`): b, id, long, low. */
  const model = (how: JoinType): KeyedGroups<unknown[]> => {
    const byKey = new Map(right.k.map((k, r) => [k, r]));
    const out = new KeyedGroups<unknown[]>(2);
    const add = (a: number | null, k: number, values: unknown[]) => {
      const made = out.group([a, k], () => values);
      if (made !== values) assert.fail(`the model has two rows of a = ${a}, k = ${k}`);
    };
    const matched = new Set<number>();
    left.k.forEach((k, i) => {
      const r = byKey.get(k);
      if (r !== undefined) matched.add(r);
      if (r === undefined && how !== 'left') return;
      const pick = <T>(values: T[]) => (r === undefined ? null : values[r]);
      add(left.a[i]!, k, [pick(right.b), pick(right.id), pick(right.long), pick(right.low)]);
    });
    if (how === 'right') {
      right.k.forEach((k, r) => {
        if (!matched.has(r)) add(null, k, [right.b[r], right.id[r], right.long[r], right.low[r]]);
      });
    }
    return out;
  };
  // A model per join type, shared by the cached and the shuffled case.
  const models = new Map<JoinType, KeyedGroups<unknown[]>>();
  const modelOf = (how: JoinType) => models.get(how) ?? models.set(how, model(how)).get(how)!;
  for (const cached of [true, false]) {
    for (const how of ['inner', 'left', 'right'] as const) {
      test(`${how} join, ${cached ? 'cached sides (co-located)' : 'shuffled'}`, async () => {
        let l = kc.fromColumns(left, { numPartitions: 3 });
        let r = kc.fromColumns(right, { numPartitions: 2 });
        if (cached) {
          l = l.cache();
          r = r.cache();
          await l.count();
          await r.count();
        }
        // One task, so its build side is all of one side. A right join builds on the left (its keys then packed too).
        const joined = l.join(r, 'k', how, { numPartitions: 1 });
        assert.match(joined.explain(), cached ? /co-located-hash/ : /shuffled-hash/);
        const rows = rowTuples(await joined.collect(), ['k', 'a', 'b', 'id', 'long', 'low'], how);
        assertGroupsEqual(
          rows.map(([k, a, ...rest]) => [a, k, ...rest]),
          modelOf(how),
          (values) => values,
          `${how} join, ${cached ? 'cached' : 'shuffled'}`,
        );
        if (cached) {
          l.unpersist();
          r.unpersist();
        }
      });
    }
  }
});
