// A cached string column is dictionary-coded through a loop for strings of one width (ids such as `id%03d`), which
// codes runs of rows without a length test a row. A row of another width, a null, or a string too long for the
// short-key table may come anywhere: at the first row, at a check boundary (row 4095 / 4096), as a part's first or
// last row. Every column below must give the model's dictionary (distinct strings in first-seen order) and codes.
// Seeded: SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import type { Utf8Column } from '../../src/executor/columnar/batches/batch.js';
import { dictionaryPendingColumn, type Utf8Part } from '../../src/executor/columnar/caching/dictionary-encode.js';
import { dictionaryCodeBytes } from '../../src/protocol/block.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('dictionary-coding-of-fixed-width-ids-matches-a-model');

/** A part of a column holding `values` (null: a null row), its strings back to back. */
function partOf(values: readonly (string | null)[]): Utf8Part {
  const encoded = values.map((v) => Buffer.from(v ?? '', 'utf8'));
  const bytes = Buffer.concat(encoded);
  const starts = new Int32Array(values.length);
  const ends = new Int32Array(values.length);
  let at = 0;
  encoded.forEach((b, i) => {
    starts[i] = at;
    at += b.length;
    ends[i] = at;
  });
  const hasNull = values.some((v) => v === null);
  const valid = hasNull ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : undefined;
  const column: Utf8Column = { type: 'utf8', bytes, starts, ends, ...(valid ? { valid } : {}) };
  return { column, rows: values.length };
}

/** The coded column's rows as strings, and its dictionary; null when it was left plain. */
function coded(parts: readonly (string | null)[][]): { rows: (string | null)[]; dictionary: string[] } | null {
  const utf8Parts = parts.map(partOf);
  const rows = parts.reduce((n, p) => n + p.length, 0);
  const nullCount = parts.flat().filter((v) => v === null).length;
  const pending = dictionaryPendingColumn('k', utf8Parts, rows, nullCount, () => {});
  if (pending === null) return null;
  const size = pending.dictionarySize!;
  const width = dictionaryCodeBytes(size);
  const target = {
    validity: null,
    offsets: new Int32Array(size + 1),
    data: new Uint8Array(pending.dataBytes),
    codes: new Uint8Array(rows * width),
  };
  pending.fill(target);
  const view =
    width === 1
      ? target.codes
      : width === 2
        ? new Uint16Array(target.codes.buffer)
        : new Int32Array(target.codes.buffer);
  const dictionary = Array.from({ length: size }, (_, c) =>
    Buffer.from(target.data.subarray(target.offsets[c]!, target.offsets[c + 1]!)).toString('utf8'),
  );
  const flat = parts.flat();
  return { rows: flat.map((v, i) => (v === null ? null : dictionary[view[i]!]!)), dictionary };
}

/** The model: distinct strings in first-seen order. */
function firstSeen(parts: readonly (string | null)[][]): string[] {
  return [...new Set(parts.flat().filter((v): v is string => v !== null))];
}

function assertCodedAsModel(parts: (string | null)[][], what: string): void {
  const got = coded(parts);
  assert.ok(got !== null, `${what}: coded`);
  assert.deepEqual(got.dictionary, firstSeen(parts), `${what}: dictionary`);
  assert.deepEqual(got.rows, parts.flat(), `${what}: rows`);
}

/** `count` ids of `width` bytes: 'i' and a zero-padded number below `distinct`. */
function ids(rng: Rng, count: number, width: number, distinct: number): string[] {
  return Array.from({ length: count }, () => `i${String(rng.nextInt(distinct)).padStart(width - 1, '0')}`);
}

test('a row of another width anywhere in a fixed-width column is coded as itself', () => {
  const rng = new Rng(seed);
  const sizes = [5000, 4096, 3000];
  const where: [number, number][] = [
    [0, 0],
    [0, 1],
    [0, 4095],
    [0, 4096],
    [0, 4999],
    [1, 0],
    [1, 4095],
    [2, 2999],
  ];
  for (const width of [5, 12]) {
    for (const [part, row] of where) {
      for (const odd of [width - 1, width + 1]) {
        const parts = sizes.map((n) => ids(rng, n, width, 100));
        // Shares all its first bytes with a common id, so reading it at the column's width would merge the two.
        const common = parts[0]![1]!;
        parts[part]![row] = odd < width ? common.slice(0, odd) : common + '7';
        assertCodedAsModel(parts, `width ${width}, a ${odd}-byte string at part ${part} row ${row}`);
      }
    }
  }
});

test('every width from 1 to 12, with nulls, empty strings and a width change in one part', () => {
  const rng = new Rng(seed + 1);
  for (let width = 1; width <= 12; width++) {
    const parts = [2000, 3000, 1500].map((n) => ids(rng, n, Math.max(width, 1), 10) as (string | null)[]);
    if (width === 1) for (const p of parts) for (let i = 0; i < p.length; i++) p[i] = String.fromCharCode(97 + (i % 7));
    parts[1] = parts[1]!.map((v, i) => (i % 97 === 0 ? null : i % 101 === 0 ? '' : v));
    parts[2]![700] = 'x'.repeat(width === 12 ? 11 : width + 1);
    assertCodedAsModel(parts, `width ${width}`);
  }
});

test('a string over 12 bytes in a fixed-width column is still coded (through the long-key table)', () => {
  const rng = new Rng(seed + 2);
  const parts = [ids(rng, 5000, 5, 50), ids(rng, 5000, 5, 50)];
  parts[1]![3000] = 'a-much-longer-key';
  assertCodedAsModel(parts, 'a 17-byte key at part 1 row 3000');
});

test('nearly unique fixed-width ids are left plain, as before', () => {
  const unique = Array.from({ length: 70_000 }, (_, i) => `u${String(i).padStart(7, '0')}`);
  assert.equal(coded([unique.slice(0, 30_000), unique.slice(30_000)]), null);
  // A quarter of the rows distinct, and one more: plain.
  const rows = 8192;
  const quarter = Array.from({ length: rows }, (_, i) => `q${String(i % (rows / 4 + 1)).padStart(4, '0')}`);
  assert.equal(coded([quarter]), null);
  assert.ok(coded([quarter.map((v, i) => (i < rows / 4 ? v : 'q0000'))]) !== null);
});
