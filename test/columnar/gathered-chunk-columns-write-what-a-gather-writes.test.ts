// A shuffle map output's chunk columns are sized from the chosen rows and written straight from the batch
// (`pendingGatheredColumn`, no gathered copy in between): the block they make must be byte for byte the block of
// the gathered batch, for every column type, with and without nulls, short and long (> 64 bytes) strings, rows
// repeated, reordered, in input order (runs of neighbours), or none.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { gatherColumn, type Column } from '../../src/executor/columnar/batches/batch.js';
import { pendingColumn } from '../../src/executor/columnar/batches/batch-to-block.js';
import { pendingGatheredColumn } from '../../src/executor/columnar/shuffle/shuffle-chunks.js';
import { assembleBlock } from '../../src/storage/blocks/block-layout.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('gathered-chunk-columns-write-what-a-gather-writes');
const rng = new Rng(seed);

function randomColumn(type: Column['type'], rows: number, withNulls: boolean): Column {
  const valid = withNulls ? Uint8Array.from({ length: rows }, () => (rng.nextInt(4) === 0 ? 0 : 1)) : undefined;
  switch (type) {
    case 'utf8': {
      const text = Array.from({ length: rows }, () => 'é😀ab'.repeat(rng.nextInt(3) === 0 ? 20 : rng.nextInt(3)));
      const bytes = Buffer.from(text.join(''), 'utf8');
      const starts = new Int32Array(rows);
      const ends = new Int32Array(rows);
      for (let i = 0, at = 0; i < rows; i++) {
        starts[i] = at;
        at += Buffer.byteLength(text[i]!, 'utf8');
        ends[i] = at;
      }
      return { type, bytes: new Uint8Array(bytes), starts, ends, valid };
    }
    case 'f64':
      return { type, values: Float64Array.from({ length: rows }, () => rng.nextInt(1e6) / 7), valid };
    case 'i32':
    case 'date':
      return { type, values: Int32Array.from({ length: rows }, () => rng.nextInt(2e9) - 1e9), valid };
    case 'i64':
      return { type, values: BigInt64Array.from({ length: rows }, () => BigInt(rng.nextInt(1e9)) << 20n), valid };
    case 'bool':
      return { type, values: Uint8Array.from({ length: rows }, () => rng.nextInt(2)), valid };
    case 'timestamp':
      return {
        type,
        values: Float64Array.from({ length: rows }, () => rng.nextInt(1e9) * 1000),
        unit: 'us',
        zone: 'UTC',
        valid,
      };
  }
}

const TYPES: readonly Column['type'][] = ['utf8', 'f64', 'i32', 'i64', 'bool', 'date', 'timestamp'];

for (const type of TYPES) {
  test(`${type} columns: the chunk column of chosen rows is the block of the gathered rows`, () => {
    for (let round = 0; round < 20; round++) {
      const rows = rng.nextInt(300);
      const column = randomColumn(type, rows, round % 2 === 1);
      const chosen = Int32Array.from({ length: rows === 0 ? 0 : rng.nextInt(2 * rows) }, () => rng.nextInt(rows));
      // Half the rounds in input order, as a map task's rows of one reduce partition are (runs of neighbours).
      if (round % 4 >= 2) chosen.sort();
      const direct = assembleBlock({ kind: 'object', fields: ['c'] }, chosen.length, [
        pendingGatheredColumn('c', column, chosen),
      ]);
      const gathered = assembleBlock({ kind: 'object', fields: ['c'] }, chosen.length, [
        pendingColumn('c', gatherColumn(column, chosen, chosen.length), chosen.length),
      ]);
      assert.deepEqual(direct.columns, gathered.columns, `${type}, round ${round}: descriptors`);
      assert.equal(direct.byteLength, gathered.byteLength);
      assert.deepEqual(
        new Uint8Array(direct.buffer, 0, direct.byteLength),
        new Uint8Array(gathered.buffer, 0, gathered.byteLength),
        `${type}, round ${round}: bytes`,
      );
      assert.equal(direct.checksum, gathered.checksum);
    }
  });
}
