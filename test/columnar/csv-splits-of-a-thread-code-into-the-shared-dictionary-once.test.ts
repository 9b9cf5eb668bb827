// A thread that reads several CSV splits into a cached dataset codes their strings into one table of its own, kept
// across the splits (read-time-dictionary.ts), and maps that table's codes to the dataset's shared dictionary once
// (shared-dictionary-codes.ts): a later split whose strings are all mapped is coded into the shared dictionary
// without taking its lock again. So a split cached while the lock is held elsewhere is still coded into the shared
// dictionary, the same block as with the lock free, not one with a dictionary of its own (the lock's fallback).
// The thread's table also holds the strings of files it read for other datasets: only the split's own strings go
// into its dataset's shared dictionary, and a split keeps the list of them itself, so that its block is the same
// when the thread's next reader has taken the table over before the block is written. A split whose distinct
// strings pass a quarter of its rows (which alone would be written plain) is coded into the shared dictionary when
// that already holds all of them, and only then.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { blockOfBatches } from '../../src/executor/columnar/batch-to-block.js';
import { blockToBatch } from '../../src/executor/columnar/blocks.js';
import { codingStringsAsRead, readCsvBatches } from '../../src/executor/columnar/csv-source.js';
import { codingIntoSharedDictionaries } from '../../src/executor/columnar/shared-dictionary-codes.js';
import type { Batch, Utf8Column } from '../../src/executor/columnar/batch.js';
import type { Block } from '../../src/protocol/block.js';
import type { CsvReadSpec } from '../../src/protocol/file-formats.js';
import { allocateSharedDictionaries, SharedDictionaries } from '../../src/storage/shared-dictionary.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-csv-thread-codes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SPEC: CsvReadSpec = {
  columns: [
    { name: 'id', type: 'utf8' },
    { name: 'v', type: 'int32' },
  ],
  header: true,
  delimiter: 0x2c,
  quote: 0x22,
  escape: 0x22,
  nullValue: '',
  mode: 'PERMISSIVE',
  multiLine: false,
};

/** A file of `rows` rows cycling through `ids`, first seen in their order. */
function fileOf(name: string, ids: readonly string[], rows = 4000): string {
  const path = join(dir, name);
  const lines = ['id,v'];
  for (let r = 0; r < rows; r++) lines.push(`${ids[r % ids.length]!},${r}`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/**
 * The whole file's batches (of about `batchBytes` bytes), read with `codingStringsAsRead` (`coded`) or as any other
 * reader reads them.
 */
function batchesOf(path: string, coded = true, batchBytes?: number): Batch[] {
  const split = { path, start: 0, length: statSync(path).size };
  const read = () => [...readCsvBatches(split, SPEC, () => {}, batchBytes)];
  return coded ? codingStringsAsRead(read) : read();
}

/** The cached block of `batches` (by default the whole file's, coded as read) with the shared dictionaries `buffer`. */
function cachedBlock(path: string, buffer: SharedArrayBuffer | undefined, batches = batchesOf(path)): Buffer {
  const block: Block = codingIntoSharedDictionaries(buffer, () => blockOfBatches(batches, true));
  return Buffer.from(block.buffer, 0, block.byteLength);
}

/** The strings of column `id`'s shared dictionary in `buffer`, in code order. */
function sharedStrings(buffer: SharedArrayBuffer): string[] {
  const column = new SharedDictionaries(buffer).column('id')!;
  const strings: string[] = [];
  for (let c = 0; c < column.size(); c++) {
    strings.push(Buffer.from(column.bytes.subarray(column.offsets[c]!, column.offsets[c + 1]!)).toString());
  }
  return strings;
}

const idsOf = (prefix: string, count = 50) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

test('a split whose strings the thread already mapped is coded into the shared dictionary without its lock', () => {
  const ids = Array.from({ length: 50 }, (_, i) => `id${String(i).padStart(3, '0')}`);
  const first = fileOf('first.csv', ids);
  const second = fileOf('second.csv', [...ids].reverse());
  const buffer = allocateSharedDictionaries(1_000_001);
  cachedBlock(first, buffer);
  const own = cachedBlock(second, undefined);
  const shared = new SharedDictionaries(buffer);
  assert.ok(shared.lock(0));
  let held: Buffer;
  try {
    held = cachedBlock(second, buffer);
  } finally {
    shared.unlock();
  }
  const free = cachedBlock(second, buffer);
  assert.notDeepEqual(free, own, 'the shared dictionary (first file order) differs from the second file own one');
  assert.deepEqual(held, free, 'coded into the shared dictionary with its lock held elsewhere');
});

test("a dataset's shared dictionary takes only its own strings, not those its thread read for another dataset", () => {
  const a = fileOf('a.csv', idsOf('a'));
  const bIds = idsOf('b');
  const b = fileOf('b.csv', bIds);
  const bufferA = allocateSharedDictionaries(1_000_002);
  const bufferB = allocateSharedDictionaries(1_000_003);
  cachedBlock(a, bufferA);
  cachedBlock(b, bufferB);
  cachedBlock(a, bufferA);
  assert.deepEqual(sharedStrings(bufferA), idsOf('a'));
  assert.deepEqual(sharedStrings(bufferB), bIds, "B's shared dictionary: B's strings, first-seen order");
});

test("a split's block is the same when the thread's next reader took its table before the block is written", () => {
  const xIds = idsOf('x');
  const x = fileOf('x.csv', xIds);
  const y = fileOf('y.csv', [...idsOf('y'), ...xIds.slice(0, 10).reverse()]);
  const alone = cachedBlock(x, allocateSharedDictionaries(1_000_004));
  const ownAlone = cachedBlock(x, undefined, batchesOf(x, false));
  const xBatches = batchesOf(x);
  const xOwnBatches = batchesOf(x);
  batchesOf(y); // the next reader: the same table, its strings after x's, its own first-seen stamps
  const buffer = allocateSharedDictionaries(1_000_005);
  assert.deepEqual(cachedBlock(x, buffer, xBatches), alone, 'coded into a shared dictionary');
  assert.deepEqual(sharedStrings(buffer), xIds);
  assert.deepEqual(cachedBlock(x, undefined, xOwnBatches), ownAlone, 'with a dictionary of its own');
});

test('a split of more strings than a quarter of its rows is coded into a shared dictionary holding them all', () => {
  const ids = idsOf('k', 400);
  const buffer = allocateSharedDictionaries(1_000_006);
  cachedBlock(fileOf('all.csv', ids), buffer);
  // 1200 rows of the same 400 strings in another order (a quarter of the rows is 300), read in small batches; then
  // 1200 rows of 360 of them and 40 new ones.
  const rotated = [...ids.slice(123), ...ids.slice(0, 123)];
  const held = fileOf('held.csv', rotated, 1200);
  const grows = fileOf('grows.csv', [...rotated.slice(40), ...idsOf('new', 40)], 1200);
  const blockOf = (path: string): Block =>
    codingIntoSharedDictionaries(buffer, () => blockOfBatches(batchesOf(path, true, 4096), true));
  const heldBlock = blockOf(held);
  assert.equal(heldBlock.columns[0]!.type, 'utf8-dict', 'coded: the shared dictionary holds its strings');
  assert.equal(heldBlock.columns[0]!.dictionarySize, 400);
  const rows = blockToBatch(heldBlock, 'test').columns[0] as Utf8Column;
  for (let r = 0; r < 1200; r++) {
    const text = Buffer.from(rows.bytes.subarray(rows.starts[r]!, rows.ends[r]!)).toString();
    assert.equal(text, rotated[r % 400], `row ${r}`);
  }
  assert.equal(blockOf(grows).columns[0]!.type, 'utf8', 'plain: it would add strings');
  assert.deepEqual(sharedStrings(buffer), ids, 'the shared dictionary did not grow');
});
