// A cached partition's block stores a string column of few distinct values dictionary-coded (utf8-dict): the same
// rows read back as records, as a batch (whole or sliced) and as Arrow (decoded to Utf8, readable by any Arrow
// reader, spilled and read back); a column of many distinct values stays plain; a damaged dictionary byte, code
// or dictionary size is reported as a corrupt block.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { tableFromIPC, tableToIPC, Table } from 'apache-arrow';

import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import type { Block } from '../../src/protocol/block.js';
import { BlockCorruptError } from '../../src/storage/blocks/block-corrupt-error.js';
import { blockToRecordBatch } from '../../src/storage/arrow/block-to-arrow.js';
import { decodeBlock } from '../../src/storage/blocks/block-reader.js';
import { checkBlockStructure } from '../../src/storage/blocks/block-structure.js';
import { verifyBlock } from '../../src/storage/blocks/block-verify.js';
import { crc32 } from '../../src/storage/blocks/crc32.js';
import { openBlock, spillBlock } from '../../src/storage/arrow/spill-file.js';
import { sliceBatch, type Batch, type Utf8Column } from '../../src/executor/columnar/batches/batch.js';
import { blockOfBatches } from '../../src/executor/columnar/batches/batch-to-block.js';
import { blockToBatch } from '../../src/executor/columnar/batches/blocks.js';
import { dictionaryOf } from '../../src/executor/columnar/batches/dictionary-column.js';
import { makeTempDir } from '../support/temp-dir.js';

const seed = seedFromEnvironment();
console.log(`dictionary-coded-blocks-round-trip-and-detect-damage: SEED=${seed}`);

const WORDS = ['', 'a', 'é', 'Straße', '日本語', '😀', 'id001', 'id0000000001', 'a longer key past twelve bytes'];

/** A utf8 column of `strings` (null: a null row), its bytes back to back. */
function utf8Column(strings: readonly (string | null)[]): Utf8Column {
  const encoded = strings.map((s) => Buffer.from(s ?? '', 'utf8'));
  const bytes = new Uint8Array(encoded.reduce((n, b) => n + b.length, 0));
  const starts = new Int32Array(strings.length);
  const ends = new Int32Array(strings.length);
  let at = 0;
  encoded.forEach((b, i) => {
    bytes.set(b, at);
    starts[i] = at;
    at += b.length;
    ends[i] = at;
  });
  const hasNull = strings.includes(null);
  const valid = hasNull ? Uint8Array.from(strings, (s) => (s === null ? 0 : 1)) : undefined;
  return { type: 'utf8', bytes, starts, ends, valid };
}

/** Rows with a coded column `k` (few distinct, with nulls and empty strings) and a plain one `u` (all distinct). */
function rows(count: number, distinct: number, rng: Rng) {
  const k = Array.from({ length: count }, () =>
    rng.nextInt(8) === 0 ? null : `${WORDS[rng.nextInt(WORDS.length)]}${rng.nextInt(distinct)}`,
  );
  const u = Array.from({ length: count }, (_, i) => `u${i}`);
  return { k, u };
}

/** The rows as two batches (a CSV reader's batches), so a block is written from several parts. */
function batchesOf(k: readonly (string | null)[], u: readonly string[]): Batch[] {
  const half = k.length >> 1;
  return [
    [0, half],
    [half, k.length],
  ].map(([from, to]) => ({
    rows: to! - from!,
    names: ['k', 'u'],
    columns: [utf8Column(k.slice(from, to)), utf8Column(u.slice(from, to))],
  }));
}

function stringsOf(column: Utf8Column, rows: number): (string | null)[] {
  return Array.from({ length: rows }, (_, i) =>
    column.valid?.[i] === 0 ? null : Buffer.from(column.bytes.subarray(column.starts[i]!, column.ends[i]!)).toString(),
  );
}

function codedBlock(distinct: number, count = 5000): { block: Block; k: (string | null)[]; u: string[] } {
  const { k, u } = rows(count, distinct, new Rng(seed + distinct));
  return { block: blockOfBatches(batchesOf(k, u), true), k, u };
}

for (const distinct of [3, 40, 300]) {
  // 9 words × 3 / 40 / 300 suffixes: 1-byte codes, 1- or 2-byte codes, 2-byte codes.
  test(`a column of few distinct strings round-trips coded (${distinct} suffixes)`, () => {
    const { block, k, u } = codedBlock(distinct, distinct > 100 ? 20_000 : 5000);
    assert.deepEqual(
      block.columns.map((c) => c.type),
      ['utf8-dict', 'utf8'],
    );
    verifyBlock(block, 'test');
    assert.deepEqual(
      decodeBlock(block, 'test'),
      k.map((key, i) => ({ k: key, u: u[i] })),
    );
    const batch = blockToBatch(block, 'test');
    assert.deepEqual(stringsOf(batch.columns[0] as Utf8Column, k.length), k);
    assert.ok(dictionaryOf(batch.columns[0]!) !== undefined, 'a coded column reads with its codes');
    assert.equal(dictionaryOf(batch.columns[1]!), undefined);
    const slice = sliceBatch(batch, 700, 1234);
    assert.ok(dictionaryOf(slice.columns[0]!) !== undefined, 'a slice keeps its codes');
    assert.deepEqual(stringsOf(slice.columns[0] as Utf8Column, 700), k.slice(1234, 1934));
    const ranged = blockToBatch(block, 'test', true, 100, 200);
    assert.deepEqual(stringsOf(ranged.columns[0] as Utf8Column, 100), k.slice(100, 200));
    // A coded batch written again (not cached: a collected result) keeps its codes, and holds the same strings.
    const rewritten = blockOfBatches([batch]);
    assert.equal(rewritten.columns[0]!.type, 'utf8-dict');
    verifyBlock(rewritten, 'test');
    assert.deepEqual(
      decodeBlock(rewritten, 'test').map((r) => (r as { k: string | null }).k),
      k,
    );
  });
}

test('a column of many distinct strings, or of few rows, stays plain', () => {
  const { block } = codedBlock(1_000_000);
  assert.equal(block.columns[0]!.type, 'utf8');
  const small = blockOfBatches(batchesOf(['a', 'b', 'a'], ['x', 'y', 'z']), true);
  assert.equal(small.columns[0]!.type, 'utf8');
});

test('Arrow export decodes to Utf8 that an IPC file reader reads back, and a spill file round-trips', () => {
  const { block, k, u } = codedBlock(40);
  const table = tableFromIPC(tableToIPC(new Table([blockToRecordBatch(block)]), 'file'));
  assert.equal(String(table.schema.fields[0]!.type), 'Utf8');
  assert.deepEqual(
    Array.from({ length: k.length }, (_, i) => table.getChild('k')!.get(i) as string | null),
    k,
  );
  const dir = makeTempDir('dict-spill');
  try {
    const spilled = spillBlock(block, join(dir, 'block.arrow'));
    const back = openBlock(spilled, 'spill');
    assert.deepEqual(
      decodeBlock(back, 'spill'),
      k.map((key, i) => ({ k: key, u: u[i] })),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function copied(block: Block): Block & { checksum: number } {
  const buffer = new SharedArrayBuffer(block.buffer.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(block.buffer));
  return { ...block, buffer, columns: block.columns.map((c) => ({ ...c })) };
}

function isCorrupt(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof BlockCorruptError, `expected BlockCorruptError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };
}

test('a damaged dictionary byte or code is caught by the checksum', () => {
  const { block } = codedBlock(40);
  const k = block.columns[0]!;
  for (const at of [k.data!.offset + 1, k.codes!.offset + 17, k.offsets!.offset + 4]) {
    const damaged = copied(block);
    new Uint8Array(damaged.buffer)[at]! ^= 0x10;
    assert.throws(() => verifyBlock(damaged, 'cache 1, partition 0'), isCorrupt(/checksum mismatch/));
  }
});

test('a code past the dictionary, or a wrong dictionary size, is caught by the structure check', () => {
  const { block } = codedBlock(3);
  const k = block.columns[0]!;
  const pastEnd = copied(block);
  new Uint8Array(pastEnd.buffer)[k.codes!.offset + 5] = k.dictionarySize!;
  pastEnd.checksum = crc32(new Uint8Array(pastEnd.buffer, 0, pastEnd.byteLength));
  assert.throws(() => verifyBlock(pastEnd, 'cache 1'), isCorrupt(/expected codes in \[0, \d+\), found \d+ at row 5/));
  const noSize = copied(block);
  (noSize.columns[0] as { dictionarySize?: number }).dictionarySize = undefined;
  assert.throws(() => checkBlockStructure(noSize, 'cache 1'), isCorrupt(/dictionary size/));
  const tooBig = copied(block);
  (tooBig.columns[0] as { dictionarySize?: number }).dictionarySize = 1 << 20;
  assert.throws(() => checkBlockStructure(tooBig, 'cache 1'), isCorrupt(/column 'k'/));
});
