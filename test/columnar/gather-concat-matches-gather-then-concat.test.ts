// Issue 10, db-benchmark join q5: a co-located join gathers its build side's picked rows from every block straight
// into one batch (`gatherConcat`), where it gathered per block and then concatenated (a second copy of 5 M rows a
// task). Seeded random parts of every plain column type (strings short and over 64 bytes, multi-byte, parts that
// share one byte buffer, parts with no picked row) must give exactly what the gather-then-concatenate gave; a
// column it cannot take (nulls, dictionary-read, mixed types or time units) must be left to that path (null).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { gatherColumn, type Column } from '../../src/executor/columnar/batches/batch.js';
import { concatBatches, gatherConcat } from '../../src/executor/columnar/batches/concat-batches.js';
import { dictionaryColumn } from '../../src/executor/columnar/batches/dictionary-column.js';
import { Rng, testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('gather-concat-matches-gather-then-concat');
const rng = new Rng(seed);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Ascending picked rows of a part of `rows` rows (some parts pick none, some all). */
function picks(rows: number): Int32Array {
  const keep = [0, 1, 2, 3][rng.nextInt(4)]!;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) if (keep === 3 || (keep > 0 && rng.nextInt(3) < keep)) out.push(r);
  return Int32Array.from(out);
}

function randomString(): string {
  const words = 1 + rng.nextInt(rng.nextInt(4) === 0 ? 40 : 3);
  return Array.from({ length: words }, () => TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]!).join(' ');
}

/** A plain string column of `rows` rows; two columns may share one byte buffer (a block's), at other offsets. */
function utf8Part(rows: number, shared: { bytes: Uint8Array; length: number } | null): Column {
  const strings = Array.from({ length: rows }, () => encoder.encode(randomString()));
  const size = strings.reduce((sum, s) => sum + s.length, 0);
  const bytes = shared?.bytes ?? new Uint8Array(size + 8);
  let at = shared?.length ?? rng.nextInt(8);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  strings.forEach((s, r) => {
    bytes.set(s, at);
    starts[r] = at;
    at += s.length;
    ends[r] = at;
  });
  if (shared) shared.length = at;
  // Rows out of byte order, as a gathered column's may be.
  for (let r = rows - 1; r > 0; r--) {
    const o = rng.nextInt(r + 1);
    [starts[r], starts[o]] = [starts[o]!, starts[r]!];
    [ends[r], ends[o]] = [ends[o]!, ends[r]!];
  }
  return { type: 'utf8', bytes, starts, ends };
}

function fixedPart(type: Exclude<Column['type'], 'utf8'>, rows: number): Column {
  const ints = () => Int32Array.from({ length: rows }, () => rng.nextInt(2000) - 1000);
  const doubles = () => Float64Array.from({ length: rows }, () => (rng.nextFloat() - 0.5) * 1e6);
  if (type === 'i32' || type === 'date') return { type, values: ints() };
  if (type === 'f64') return { type, values: doubles() };
  if (type === 'timestamp') return { type, values: doubles(), unit: 'us', zone: 'UTC' };
  if (type === 'bool') return { type, values: Uint8Array.from({ length: rows }, () => rng.nextInt(2)) };
  return { type, values: BigInt64Array.from({ length: rows }, () => BigInt(rng.nextUint32()) << 20n) };
}

/** Row r of a column as a comparable value. */
function valueAt(column: Column, r: number): unknown {
  if (column.valid !== undefined && column.valid[r] === 0) return null;
  if (column.type === 'utf8') return decoder.decode(column.bytes.subarray(column.starts[r]!, column.ends[r]!));
  return column.values[r];
}

function gatherThenConcat(parts: readonly Column[], rows: readonly Int32Array[]): Column {
  const batches = parts.map((c, i) => ({
    rows: rows[i]!.length,
    names: ['c'],
    columns: [gatherColumn(c, rows[i]!, rows[i]!.length)],
  }));
  return concatBatches(batches)!.columns[0]!;
}

for (const type of ['i32', 'f64', 'date', 'timestamp', 'i64', 'bool', 'utf8'] as const) {
  test(`gathering ${type} parts straight into one column gives what gather-then-concatenate gave`, () => {
    for (let round = 0; round < 20; round++) {
      const shared = rng.nextInt(2) === 0 ? { bytes: new Uint8Array(1 << 16), length: 0 } : null;
      const parts = Array.from({ length: 1 + rng.nextInt(5) }, () => {
        const rows = rng.nextInt(60);
        return type === 'utf8' ? utf8Part(rows, shared) : fixedPart(type, rows);
      });
      const rows = parts.map((p) => picks(p.type === 'utf8' ? p.starts.length : p.values.length));
      const total = rows.reduce((sum, r) => sum + r.length, 0);
      const straight = gatherConcat(
        parts,
        rows,
        rows.map((r) => r.length),
        total,
      );
      assert.ok(straight !== null, `SEED=${seed} round ${round}: plain ${type} parts are gathered straight`);
      const expected = gatherThenConcat(parts, rows);
      assert.equal(straight.type, expected.type);
      assert.equal(straight.valid, undefined);
      if (straight.type === 'timestamp') assert.equal(straight.unit, 'us');
      const got = Array.from({ length: total }, (_, r) => valueAt(straight, r));
      const want = Array.from({ length: total }, (_, r) => valueAt(expected, r));
      assert.deepEqual(got, want, `SEED=${seed} round ${round}`);
      if (straight.type === 'utf8') {
        // One buffer of exactly the picked strings' bytes, back to back: not views into the parts' buffers.
        assert.equal(straight.bytes.length, straight.ends[total - 1] ?? 0);
        for (let r = 0; r < total; r++) assert.equal(straight.starts[r], r === 0 ? 0 : straight.ends[r - 1]);
      }
    }
  });
}

test('columns with nulls, dictionary-read strings, mixed types or time units are left to gather-then-concatenate', () => {
  const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
  const tryParts = (parts: readonly Column[]) =>
    gatherConcat(
      parts,
      parts.map(() => all(2)),
      parts.map(() => 2),
      parts.length * 2,
    );
  const ints: Column = { type: 'i32', values: Int32Array.of(1, 2) };
  assert.equal(tryParts([ints, { type: 'i32', values: Int32Array.of(3, 4), valid: Uint8Array.of(1, 0) }]), null);
  assert.equal(tryParts([ints, { type: 'f64', values: Float64Array.of(3, 4) }]), null);
  const at = (unit: 'ms' | 'us'): Column => ({ type: 'timestamp', values: Float64Array.of(1, 2), unit, zone: null });
  assert.equal(tryParts([at('ms'), at('us')]), null);
  const bytes = encoder.encode('ab');
  const coded = dictionaryColumn(bytes, Int32Array.of(0, 1, 2), 2, Uint8Array.of(1, 0), undefined);
  const plain: Column = { type: 'utf8', bytes, starts: Int32Array.of(0, 1), ends: Int32Array.of(1, 2) };
  assert.equal(tryParts([plain, coded]), null);
  assert.equal(tryParts([]), null);
});
