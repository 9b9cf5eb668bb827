// Two int32 or dictionary-read string key columns (db-benchmark's q6: id4, id5; q9: id2, id4; q2: id1, id2) are
// grouped by a directory of pairs (`dense-pair-groups.ts`) while their ranges allow, and by the coded keys
// (`coded-tuple-keys.ts`) from the first row they do not: either way every row gets the group the coded keys alone
// give it (first-seen order), and the groups' decoded keys and hashes (what the shuffle partitions by) are the coded
// keys' exactly. Seeded random tables with nulls in either column, negative keys, keys that leave the directory's
// range (widened when allowed, else handed to the coded keys mid chunk), the int32 extremes, batches of strings
// read from different dictionaries, and a later batch whose key is of another kind. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column, I32Column } from '../../../src/executor/columnar/batches/batch.js';
import { CodedTupleKeys, codedKindOf } from '../../../src/executor/columnar/kernels/coded-tuple-keys.js';
import { dictionaryColumn } from '../../../src/executor/columnar/batches/dictionary-column.js';
import { GroupAssigner } from '../../../src/executor/columnar/grouping/group-assigner.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('dense-pair-groups-equal-the-coded-keys');
const CHUNK = 97;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Draws one key; null when the caller's null rate says so (then the stored value is junk, as Arrow allows). */
type Draw = (rng: Rng, row: number) => number | null;

function pairColumns(rng: Rng, rows: number, drawA: Draw, drawB: Draw): [I32Column, I32Column] {
  const make = (draw: Draw): I32Column => {
    const values = new Int32Array(rows);
    const valid = new Uint8Array(rows);
    let nulls = 0;
    for (let r = 0; r < rows; r++) {
      const v = draw(rng, r);
      valid[r] = v === null ? 0 : 1;
      values[r] = v ?? rng.nextInt(1000) - 500;
      if (v === null) nulls++;
    }
    return { type: 'i32', values, valid: nulls > 0 ? valid : undefined };
  };
  return [make(drawA), make(drawB)];
}

function rowsOf(column: Column): number {
  return column.type === 'utf8' ? column.starts.length : (column as I32Column).values.length;
}

/** Groups `batches` chunk by chunk through `assign`; returns every row's group. */
function groupAll(batches: readonly Column[][], assign: (columns: Column[], from: number, to: number) => Int32Array) {
  const groups: number[] = [];
  for (const columns of batches) {
    const rows = rowsOf(columns[0]!);
    for (let from = 0; from < rows; from += CHUNK) {
      const to = Math.min(rows, from + CHUNK);
      const ids = assign(columns, from, to);
      for (let i = 0; i < to - from; i++) groups.push(ids[i]!);
    }
  }
  return groups;
}

interface Expectation {
  /** After every batch: still grouping pairs (true) or handed to the coded keys (false). */
  readonly pairsAtEnd: boolean;
}

function checkAgainstCoded(batches: readonly Column[][], expect: Expectation): void {
  const assigner = new GroupAssigner(['a', 'b'], CHUNK);
  const ids = new Int32Array(CHUNK);
  const got = groupAll(batches, (columns, from, to) => {
    assigner.assign(columns, from, to, ids);
    return ids;
  });
  assert.equal(assigner.keyMode, 'coded');
  assert.equal(assigner.groupsPairs, expect.pairsAtEnd, 'grouped by the directory of pairs');
  const size = assigner.size;
  const reference = new CodedTupleKeys(
    batches[0]!.map((c) => codedKindOf(c)!),
    CHUNK,
  );
  const referenceIds = new Int32Array(CHUNK);
  const expected = groupAll(batches, (columns, from, to) => {
    reference.assign(columns, from, to, referenceIds, (c, found) => new Error(`column ${c}: ${found}`));
    return referenceIds;
  });
  assert.equal(got.length, expected.length);
  for (let r = 0; r < got.length; r++) assert.equal(got[r], expected[r], `row ${r}`);
  assert.equal(size, reference.size);
  const coded = assigner.coded!;
  assert.equal(coded.size, reference.size);
  assert.deepEqual(coded.hashes.subarray(0, size), reference.hashes.subarray(0, size), 'group hashes');
  for (const int32Keys of [[], [true, true]]) {
    assert.deepEqual(coded.decode(size, true, int32Keys), reference.decode(size, true, int32Keys), 'keys');
  }
}

const small = (low: number, span: number, nullEvery = 0): Draw => {
  return (rng) => (nullEvery > 0 && rng.nextInt(nullEvery) === 0 ? null : low + rng.nextInt(span));
};

test(`pairs of small ranges with nulls group as the coded keys, through the directory throughout (SEED=${seed})`, () => {
  const rng = new Rng(seed);
  checkAgainstCoded([pairColumns(rng, 3000, small(1, 100, 7), small(1, 30, 5))], { pairsAtEnd: true });
  checkAgainstCoded([pairColumns(rng, 3000, small(1, 100), small(1, 100))], { pairsAtEnd: true });
  // Only nulls in one column at first: its range starts as one key, and widens once values come.
  checkAgainstCoded([pairColumns(rng, 2000, small(1, 5), (r, row) => (row < 500 ? null : small(-3, 9)(r, row)))], {
    pairsAtEnd: true,
  });
});

test(`negative keys, and keys leaving the range later, widen the directory (SEED=${seed})`, () => {
  const rng = new Rng(seed + 1);
  // Later rows reach below and above the first chunk's ranges: the directory widens and refills from the groups.
  const drawA: Draw = (r, row) => (row < 1000 ? -50 + r.nextInt(10) : -200 + r.nextInt(300));
  const drawB: Draw = (r, row) => (r.nextInt(11) === 0 ? null : row < 1500 ? r.nextInt(4) : -40 + r.nextInt(80));
  checkAgainstCoded([pairColumns(rng, 4000, drawA, drawB)], { pairsAtEnd: true });
});

test(`keys too wide for a directory hand the groups so far to the coded keys mid chunk (SEED=${seed})`, () => {
  const rng = new Rng(seed + 2);
  // Row 1234 (inside a chunk) starts drawing one column from a range no directory may span.
  const drawA: Draw = (r, row) => (r.nextInt(13) === 0 ? null : row < 1234 ? r.nextInt(20) : r.nextInt(1 << 24));
  checkAgainstCoded([pairColumns(rng, 5000, drawA, small(1, 10, 9))], { pairsAtEnd: false });
  // A first chunk already too wide never makes a directory.
  checkAgainstCoded([pairColumns(rng, 500, small(0, 1 << 30), small(1, 10))], { pairsAtEnd: false });
});

test(`the int32 extremes group apart from every other key, within the directory or not (SEED=${seed})`, () => {
  const rng = new Rng(seed + 3);
  const extremes = [INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX - 1, INT32_MAX];
  // Keys near one extreme span a small range: the directory serves them.
  const nearMax: Draw = (r) => INT32_MAX - r.nextInt(5);
  const nearMin: Draw = (r) => (r.nextInt(6) === 0 ? null : INT32_MIN + r.nextInt(5));
  checkAgainstCoded([pairColumns(rng, 2000, nearMax, nearMin)], { pairsAtEnd: true });
  // Then a key at the other extreme: a difference of 2^32 - 1 from the directory's low key, no slot for it.
  const flip: Draw = (r, row) => (row < 1500 ? nearMax(r, row) : extremes[r.nextInt(extremes.length)]!);
  checkAgainstCoded([pairColumns(rng, 3000, flip, nearMin)], { pairsAtEnd: false });
  checkAgainstCoded([pairColumns(rng, 3000, nearMin, flip)], { pairsAtEnd: false });
});

test(`a later batch whose key is not int32 goes on through the coded keys with the same groups (SEED=${seed})`, () => {
  const rng = new Rng(seed + 4);
  const first = pairColumns(rng, 1000, small(1, 20, 8), small(1, 20, 8));
  const [a, b] = pairColumns(rng, 1000, small(1, 30, 8), small(1, 20, 8));
  const floats: Column = { type: 'f64', values: Float64Array.from(a.values), valid: a.valid };
  checkAgainstCoded([first, [floats, b]], { pairsAtEnd: false });
});

const WORDS = ['id001', 'id002', 'id010', '', 'é😀', 'a\u0000b', 'id100'];

/**
 * A string key column read from a dictionary of `words` (in the order given), row r the word `pick(r)` names, or
 * null; `plain` gives the same rows as an ordinary string column.
 */
function stringColumn(words: readonly string[], pick: (row: number) => number | null, rows: number, plain = false) {
  const encoded = words.map((w) => new TextEncoder().encode(w));
  const offsets = new Int32Array(words.length + 1);
  encoded.forEach((w, c) => (offsets[c + 1] = offsets[c]! + w.length));
  const bytes = new Uint8Array(offsets[words.length]!);
  encoded.forEach((w, c) => bytes.set(w, offsets[c]!));
  const codes = new Int32Array(rows);
  const valid = new Uint8Array(rows);
  let nulls = 0;
  for (let r = 0; r < rows; r++) {
    const code = pick(r);
    valid[r] = code === null ? 0 : 1;
    codes[r] = code ?? 0;
    if (code === null) nulls++;
  }
  const keyValid = nulls > 0 ? valid : undefined;
  if (!plain) return dictionaryColumn(bytes, offsets, words.length, codes, keyValid);
  const starts = Int32Array.from(codes, (c, r) => (valid[r] === 0 ? 0 : offsets[c]!));
  const ends = Int32Array.from(codes, (c, r) => (valid[r] === 0 ? 0 : offsets[c + 1]!));
  return { type: 'utf8', bytes, starts, ends, valid: keyValid } as Column;
}

test(`dictionary-read strings beside int32 keys, or beside strings, group as the coded keys (SEED=${seed})`, () => {
  const rng = new Rng(seed + 5);
  const rows = 3000;
  const pickWord = (nullEvery: number) => () =>
    nullEvery > 0 && rng.nextInt(nullEvery) === 0 ? null : rng.nextInt(WORDS.length);
  // Two batches read from dictionaries of the same words in different orders (two blocks' dictionaries).
  const reversed = [...WORDS].reverse();
  const idsA = () => pairColumns(rng, rows, small(1, 100, 9), small(1, 100));
  checkAgainstCoded(
    [
      [stringColumn(WORDS, pickWord(6), rows), idsA()[0]],
      [stringColumn(reversed, pickWord(0), rows), idsA()[1]],
    ],
    { pairsAtEnd: true },
  );
  checkAgainstCoded(
    [
      [idsA()[0], stringColumn(WORDS, pickWord(0), rows)],
      [idsA()[0], stringColumn(reversed, pickWord(5), rows)],
    ],
    { pairsAtEnd: true },
  );
  checkAgainstCoded([[stringColumn(WORDS, pickWord(7), rows), stringColumn(reversed, pickWord(0), rows)]], {
    pairsAtEnd: true,
  });
  // A later batch of plain strings (not dictionary-read) goes on through the coded keys.
  checkAgainstCoded(
    [
      [stringColumn(WORDS, pickWord(7), rows), idsA()[1]],
      [stringColumn(WORDS, pickWord(7), rows, true), idsA()[1]],
    ],
    { pairsAtEnd: false },
  );
});

test(`strings of a dictionary longer than 4,096 go through the coded keys from the first row (SEED=${seed})`, () => {
  const rng = new Rng(seed + 6);
  const rows = 3000;
  const long = Array.from({ length: 5000 }, (_, i) => `id${i}`);
  checkAgainstCoded(
    [[stringColumn(long, () => rng.nextInt(40), rows), pairColumns(rng, rows, small(1, 10), small(1, 10))[0]]],
    { pairsAtEnd: false },
  );
});

test(`strings without nulls, of dictionaries with new words, beside keys that widen group as the coded keys (SEED=${seed})`, () => {
  // The loops for dictionary-read strings without nulls place each code in the directory once (`placedKeys`): a
  // later dictionary's new words, and a directory widened by the other column's keys mid batch, must place them anew.
  const rng = new Rng(seed + 7);
  const rows = 3000;
  const more = [...WORDS, 'id200', 'id201', 'zz'];
  const pick = (words: readonly string[]) => () => rng.nextInt(words.length);
  const widening: Draw = (r, row) => (row < 1300 ? 1 + r.nextInt(10) : -20 + r.nextInt(70));
  const ints = () => pairColumns(rng, rows, widening, small(1, 5))[0];
  checkAgainstCoded(
    [
      [stringColumn(WORDS.slice(0, 4), pick(WORDS.slice(0, 4)), rows), ints()],
      [stringColumn(more, pick(more), rows), ints()],
    ],
    { pairsAtEnd: true },
  );
  checkAgainstCoded(
    [
      [stringColumn(WORDS.slice(2), pick(WORDS.slice(2)), rows), stringColumn(WORDS, pick(WORDS), rows)],
      [stringColumn([...more].reverse(), pick(more), rows), stringColumn(more, pick(more), rows)],
    ],
    { pairsAtEnd: true },
  );
});
