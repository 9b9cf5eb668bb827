// A thread that reads several CSV splits into a cached dataset codes their strings into one table of its own, kept
// across the splits (read-time-dictionary.ts), and maps that table's codes to the dataset's shared dictionary once
// (shared-dictionary-codes.ts): a later split whose strings are all mapped is coded into the shared dictionary
// without taking its lock again. So a split cached while the lock is held elsewhere is still coded into the shared
// dictionary, the same block as with the lock free, not one with a dictionary of its own (the lock's fallback).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { blockOfBatches } from '../../src/executor/columnar/batch-to-block.js';
import { codingStringsAsRead, readCsvBatches } from '../../src/executor/columnar/csv-source.js';
import { codingIntoSharedDictionaries } from '../../src/executor/columnar/shared-dictionary-codes.js';
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

/** A file of 4000 rows cycling through 50 ids, first seen in the order `ids`. */
function fileOf(name: string, ids: readonly string[]): string {
  const path = join(dir, name);
  const lines = ['id,v'];
  for (let r = 0; r < 4000; r++) lines.push(`${ids[r % ids.length]!},${r}`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** The cached block of the whole file, its strings coded as read, into the shared dictionaries `buffer`. */
function cachedBlock(path: string, buffer: SharedArrayBuffer | undefined): Buffer {
  const split = { path, start: 0, length: statSync(path).size };
  const read = codingStringsAsRead(() => [...readCsvBatches(split, SPEC, () => {})]);
  const block: Block = codingIntoSharedDictionaries(buffer, () => blockOfBatches(read, true));
  return Buffer.from(block.buffer, 0, block.byteLength);
}

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
