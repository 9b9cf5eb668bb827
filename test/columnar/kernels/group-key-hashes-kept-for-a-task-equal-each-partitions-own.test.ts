// A map task that passes rows through hashes them with one GroupKeyHasher for all its cached partitions, which keeps
// each key column's dictionary string hashes and, for the next partition's dictionary, hashes only the strings past
// the prefix it shares with the last one. Its hashes must equal those of each partition hashed on its own (the plain
// strings, row by row), whatever the dictionaries do between partitions: grow (the shared dictionary of a dataset),
// shrink (an earlier partition's prefix), diverge (same offsets, other bytes; other lengths), or be a dictionary
// larger than the partition's rows; with nulls, empty and multi-byte strings, for one key and for several. And they
// are the hashes the aggregator's tables give the same keys (a table that groups the rows: `CodedTupleKeys`), so a
// passed row and a grouped one of the same key reach the same reduce partition.
// Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column, Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import { dictionaryColumn } from '../../../src/executor/columnar/batches/dictionary-column.js';
import { GroupKeyHasher, groupKeyHashes } from '../../../src/executor/columnar/kernels/group-key-hashes.js';
import { CodedTupleKeys } from '../../../src/executor/columnar/kernels/coded-tuple-keys.js';
import { hashBytes } from '../../../src/executor/columnar/kernels/hash-bytes.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('group-key-hashes-kept-for-a-task-equal-each-partitions-own');
const text = new TextEncoder();
const PIECES = ['', 'a', 'é', '😀', 'id', '日本', 'x\u0000y', 'Z'];

/** `count` distinct strings, '' among them, most of several multi-byte pieces. */
function distinctStrings(rng: Rng, count: number): string[] {
  const strings = new Set<string>(['']);
  while (strings.size < count) {
    let s = '';
    const n = 1 + rng.nextInt(4);
    for (let k = 0; k < n; k++) s += PIECES[rng.nextInt(PIECES.length)]!;
    strings.add(rng.nextInt(3) === 0 ? s : `${s}${rng.nextInt(100_000)}`);
  }
  return [...strings];
}

/** A dictionary's strings in a buffer of their own (as each cached block holds its copy), maybe with spare room. */
function dictionaryOf(rng: Rng, strings: readonly string[]): { bytes: Uint8Array; offsets: Int32Array } {
  const encoded = strings.map((s) => text.encode(s));
  const offsets = new Int32Array(strings.length + 1);
  encoded.forEach((b, c) => (offsets[c + 1] = offsets[c]! + b.length));
  const bytes = new Uint8Array(offsets[strings.length]! + rng.nextInt(3) * 16);
  encoded.forEach((b, c) => bytes.set(b, offsets[c]!));
  return { bytes, offsets };
}

/** Rows of `strings` as a dictionary-read column and as a plain one (the same rows, about one in 6 null). */
function columnPair(rng: Rng, strings: readonly string[], rows: number): [Utf8Column, Utf8Column] {
  const { bytes, offsets } = dictionaryOf(rng, strings);
  const size = strings.length;
  const codes = size <= 256 ? new Uint8Array(rows) : size <= 65536 ? new Uint16Array(rows) : new Int32Array(rows);
  const valid = rng.nextInt(4) === 0 ? undefined : new Uint8Array(rows);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const code = rng.nextInt(size);
    codes[r] = code;
    if (valid !== undefined) valid[r] = rng.nextInt(6) === 0 ? 0 : 1;
    starts[r] = offsets[code]!;
    ends[r] = offsets[code + 1]!;
  }
  const plain: Utf8Column = { type: 'utf8', bytes, starts, ends, ...(valid === undefined ? {} : { valid }) };
  return [dictionaryColumn(bytes, offsets, size, codes, valid), plain];
}

/** Each row's hash as a table that groups the rows gives it: one string key's `hashBytes`, several keys' tuple hash. */
function tableHashes(columns: readonly Column[], rows: number): Int32Array {
  if (columns.length === 1) {
    const { bytes, starts, ends, valid } = columns[0] as Utf8Column;
    return Int32Array.from({ length: rows }, (_, i) =>
      valid !== undefined && valid[i] === 0 ? 0 : hashBytes(bytes, starts[i]!, ends[i]!),
    );
  }
  const coded = new CodedTupleKeys(
    columns.map((column) => (column.type === 'utf8' ? 'utf8' : 'number')),
    Math.max(1, rows),
  );
  const ids = new Int32Array(rows);
  coded.assign(columns, 0, rows, ids, () => new Error('no type change here'));
  return Int32Array.from(ids, (g) => coded.hashes[g]!);
}

/** The next partition's dictionary strings, from the last one's (see the file's comment). */
function nextStrings(rng: Rng, last: readonly string[], pool: readonly string[]): string[] {
  const move = rng.nextInt(6);
  if (move === 0) return last.slice(0, rng.nextInt(last.length + 1)); // an earlier, shorter prefix
  if (move === 1 && last.length > 1) {
    // Diverges at one string: the same byte length but other bytes (same offsets), or another string.
    const at = rng.nextInt(last.length);
    const was = last[at]!;
    const same = was.length > 0 && rng.nextInt(2) === 0;
    const other = same ? `${was.slice(0, -1)}${was.endsWith('q') ? 'r' : 'q'}` : `other${rng.nextInt(1000)}`;
    if (!last.includes(other)) return [...last.slice(0, at), other, ...last.slice(at + 1)];
  }
  // Grows by a few strings, or by many (more than the partition's rows).
  const more = rng.nextInt(4) === 0 ? 200 + rng.nextInt(400) : rng.nextInt(20);
  return pool.slice(0, Math.min(pool.length, Math.max(last.length, pool.indexOf(last[last.length - 1]!) + 1) + more));
}

test(`a task's kept dictionary hashes equal each partition's own (SEED=${seed})`, () => {
  const rng = new Rng(seed);
  for (let task = 0; task < 40; task++) {
    const pool = distinctStrings(rng, 3000);
    const otherPool = distinctStrings(rng, 300);
    const hasher = new GroupKeyHasher();
    const oneKey = new GroupKeyHasher();
    let strings = pool.slice(0, 1 + rng.nextInt(50));
    let others = otherPool.slice(0, 1 + rng.nextInt(10));
    for (let partition = 0; partition < 12; partition++) {
      const rows = rng.nextInt(4) === 0 ? rng.nextInt(8) : rng.nextInt(500);
      const [coded, plain] = columnPair(rng, strings, rows);
      const [otherCoded, otherPlain] = columnPair(rng, others, rows);
      const ints: Column = {
        type: 'i32',
        values: Int32Array.from({ length: rows }, () => rng.nextInt(50) - 25),
        valid: Uint8Array.from({ length: rows }, () => (rng.nextInt(9) === 0 ? 0 : 1)),
      };
      const nulls: Column = { type: 'bool', values: new Uint8Array(rows), valid: new Uint8Array(rows) };
      const where = `task ${task}, partition ${partition}: ${rows} rows, ${strings.length} strings`;
      const one = oneKey.hashes('utf8', [coded], rows);
      assert.deepEqual(one, groupKeyHashes('utf8', [plain], rows), where);
      assert.deepEqual(one, tableHashes([plain], rows), `${where}: as a table hashes them`);
      assert.deepEqual(
        new GroupKeyHasher().hashes('coded', [coded, ints, otherCoded], rows),
        tableHashes([plain, ints, otherPlain], rows),
        `${where}, three keys: as a table hashes them`,
      );
      assert.deepEqual(
        hasher.hashes('coded', [coded, ints, otherCoded, nulls], rows),
        groupKeyHashes('coded', [plain, ints, otherPlain, nulls], rows),
        `${where}, four keys`,
      );
      strings = nextStrings(rng, strings, pool);
      if (strings.length === 0) strings = pool.slice(0, 1);
      others = nextStrings(rng, others, otherPool);
      if (others.length === 0) others = otherPool.slice(0, 1);
    }
  }
});
