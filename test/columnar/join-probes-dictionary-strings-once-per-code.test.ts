// Issue 10, db-benchmark join q4: a string-key join whose probe column is dictionary-read (a cached partition's
// `utf8-dict` column, x's id5) looks each dictionary string up once, not every row's bytes. Seeded random sides
// with null keys, probe strings the build side lacks, empty and multi-byte strings, several probe batches sharing
// one dictionary, and a dictionary too large for its batch (looked up row by row): the groups are a plain-JS map's,
// and every join type's answer equals the same join of plain string columns.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Batch, Utf8Column } from '../../src/executor/columnar/batches/batch.js';
import { blockOfBatches } from '../../src/executor/columnar/batches/batch-to-block.js';
import { blockToBatch, recordsToBatches } from '../../src/executor/columnar/batches/blocks.js';
import { dictionaryColumn, dictionaryOf } from '../../src/executor/columnar/batches/dictionary-column.js';
import { hashJoin } from '../../src/executor/columnar/joins/hash-join.js';
import { buildJoinIndex } from '../../src/executor/columnar/joins/join-key-index.js';
import type { JoinSpec, JoinType } from '../../src/protocol/columnar.js';
import { decodeBlock } from '../../src/storage/blocks/block-reader.js';
import { Rng, testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('join-probes-dictionary-strings-once-per-code');
const rng = new Rng(seed);
const encoder = new TextEncoder();

/** Distinct strings: "id<n>" as db-benchmark's, plus empty and multi-byte ones. */
const STRINGS = [...new Set([...Array.from({ length: 300 }, (_, i) => `id${i}`), '', ...TRICKY_WORDS])];

/** A plain string column of `values` (null: a null row viewing no bytes). */
function plainColumn(values: readonly (string | null)[]): Utf8Column {
  const encoded = values.map((v) => encoder.encode(v ?? ''));
  const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
  const starts = new Int32Array(values.length);
  const ends = new Int32Array(values.length);
  let at = 0;
  encoded.forEach((e, i) => {
    starts[i] = at;
    bytes.set(e, at);
    ends[i] = at += e.length;
  });
  const valid = values.some((v) => v === null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : undefined;
  return { type: 'utf8', bytes, starts, ends, valid };
}

/** A dictionary-read column over `dictionary` whose row i is `dictionary[codes[i]]` (null where `nulls[i]`). */
function codedColumn(dictionary: readonly string[], codes: Uint16Array, nulls: readonly boolean[]): Utf8Column {
  const strings = plainColumn(dictionary);
  const offsets = new Int32Array(dictionary.length + 1);
  for (let c = 0; c < dictionary.length; c++) offsets[c + 1] = strings.ends[c]!;
  const valid = nulls.some(Boolean) ? Uint8Array.from(nulls, (n) => (n ? 0 : 1)) : undefined;
  return dictionaryColumn(strings.bytes, offsets, dictionary.length, codes, valid);
}

test('a dictionary-read probe column finds what a map finds, one lookup per distinct string', () => {
  // The build side holds ~2/3 of the strings, some twice, and a null.
  const buildValues = STRINGS.filter(() => rng.nextInt(3) > 0);
  const build = plainColumn([...buildValues, null, ...buildValues.slice(0, 20)]);
  const buildRows = build.starts.length;
  const groupOf = new Int32Array(buildRows);
  const index = buildJoinIndex([build], buildRows, ['utf8'], groupOf);
  assert.equal(index.kind, 'utf8');
  const groupOfString = new Map<string, number>();
  buildValues.forEach((v, r) => groupOfString.set(v, groupOf[r]!));
  // Two probe batches of 20,000 rows over one dictionary, in another order than the build side's.
  const dictionary = [...STRINGS].reverse();
  const rows = 20_000;
  const used = new Set<number>();
  for (let batch = 0; batch < 2; batch++) {
    const codes = Uint16Array.from({ length: rows }, () => rng.nextInt(dictionary.length));
    const nulls = Array.from({ length: rows }, () => rng.nextInt(17) === 0);
    const probe = codedColumn(dictionary, codes, nulls);
    const out = new Int32Array(rows);
    index.probe([probe], rows, out);
    for (let i = 0; i < rows; i++) {
      if (!nulls[i]) used.add(codes[i]!);
      const expected = nulls[i] ? -1 : (groupOfString.get(dictionary[codes[i]!]!) ?? -1);
      assert.equal(out[i], expected, `batch ${batch}, row ${i} (${JSON.stringify(dictionary[codes[i]!])})`);
    }
  }
  // Each batch has its own offsets array here, so each looks its strings up once: at most the dictionary twice.
  assert.ok(index.lookups <= 2 * dictionary.length, `${index.lookups} lookups for ${2 * rows} rows`);
  // A small batch of a large dictionary goes row by row, and still finds the same groups.
  const few = Uint16Array.from({ length: 10 }, () => rng.nextInt(dictionary.length));
  const before = index.lookups;
  const out = new Int32Array(few.length);
  index.probe([codedColumn(dictionary, few, [])], few.length, out);
  few.forEach((c, i) => assert.equal(out[i], groupOfString.get(dictionary[c]!) ?? -1, `small batch row ${i}`));
  assert.equal(index.lookups - before, few.length);
});

test('probe batches gathered from one dictionary-read column look its strings up once', () => {
  const dictionary = STRINGS.slice(0, 100);
  const rows = 50_000;
  const codes = Uint16Array.from({ length: rows }, () => rng.nextInt(dictionary.length));
  const probe = codedColumn(dictionary, codes, []);
  const build = plainColumn(dictionary.slice(0, 60));
  const index = buildJoinIndex([build], 60, ['utf8'], new Int32Array(60));
  // Two halves of one column: views of the same dictionary, as a block's batches are.
  const view = dictionaryOf(probe)!;
  for (const [from, to] of [
    [0, rows / 2],
    [rows / 2, rows],
  ] as const) {
    const part = dictionaryColumn(probe.bytes, view.offsets, view.size, codes.subarray(from, to), undefined);
    const out = new Int32Array(to - from);
    index.probe([part], to - from, out);
    for (let i = 0; i < to - from; i++) {
      const code = codes[from + i]!;
      assert.equal(out[i], code < 60 ? code : -1, `row ${from + i}`);
    }
  }
  assert.ok(index.lookups <= dictionary.length, `${index.lookups} lookups for ${rows} rows`);
});

/** One batch: string key k of few values (nulls), a payload; coded as a cached partition reads it when asked. */
function side(rows: number, strings: readonly string[], payload: string): Batch {
  const records = Array.from({ length: rows }, (_, i) => ({
    k: rng.nextInt(9) === 0 ? null : strings[rng.nextInt(strings.length)]!,
    [payload]: i,
  }));
  const batches = [...recordsToBatches(records, 'test rows')];
  assert.equal(batches.length, 1);
  return batches[0]!;
}

const coded = (batch: Batch): Batch => blockToBatch(blockOfBatches([batch], true), 'coded side');
const rowsOf = (batches: Iterable<Batch>): unknown[] => decodeBlock(blockOfBatches([...batches]));

const left = side(4000, STRINGS.slice(0, 200), 'a');
const right = side(1500, STRINGS.slice(100), 'b');
const HOWS: readonly JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];

test('the sides are dictionary-read on their string key (the path under test)', () => {
  assert.notEqual(dictionaryOf(coded(left).columns[left.names.indexOf('k')]!), undefined);
  assert.notEqual(dictionaryOf(coded(right).columns[right.names.indexOf('k')]!), undefined);
});

for (const how of HOWS) {
  for (const build of ['left', 'right'] as const) {
    if ((how === 'semi' || how === 'anti' || how === 'left') && build === 'left') continue;
    test(`a ${how} join on a dictionary-read string key building the ${build} side answers as over plain strings`, () => {
      const spec: JoinSpec = { how, leftKeys: ['k'], rightKeys: ['k'], build, strategy: 'shuffled-hash' };
      const out = [...hashJoin(spec, [coded(left)], [coded(right)])];
      const plain = [...hashJoin(spec, [left], [right])];
      assert.deepEqual(rowsOf(out), rowsOf(plain));
    });
  }
}
