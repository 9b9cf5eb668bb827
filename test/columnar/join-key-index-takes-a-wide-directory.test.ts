// The int32 key index (executor/columnar/joins/join-key-index.ts) takes its directory past the 4 Mi-key span limit when
// the directory is no larger than the open-addressing table would be (db-benchmark's q5: 5 M unique keys of 1.1e7
// per task). The groups and the probe's answers must be those of a plain-JS map, with null keys, duplicates, probe
// keys outside the build's range, and the build's first and last keys (the directory's ends).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { I32Column } from '../../src/executor/columnar/batches/batch.js';
import { buildJoinIndex, takesDirectory } from '../../src/executor/columnar/joins/join-key-index.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('join-key-index-takes-a-wide-directory');
const rng = new Rng(seed);

test('keys spanning more than 4 Mi values take the directory when it is no larger than the hash table', () => {
  assert.equal(takesDirectory(11_000_000, 5_000_000), true, "q5's build side per task");
  assert.equal(takesDirectory(5_200_000, 1_100_000), true, 'just past the old limit');
  assert.equal(takesDirectory(1 << 30, 1_100_000), false, 'sparse keys keep the table');
  assert.equal(takesDirectory(1000, 10), true, 'a small span always');
});

test('a wide directory finds what a map finds', () => {
  const rows = 1_100_000;
  const low = -2_600_000;
  const span = 5_200_000;
  const values = new Int32Array(rows);
  const valid = new Uint8Array(rows).fill(1);
  for (let r = 0; r < rows; r++) values[r] = low + rng.nextInt(span);
  values[0] = low;
  values[1] = low + span - 1;
  for (let r = 2; r < rows; r += 97) valid[r] = 0;
  const build: I32Column = { type: 'i32', values, valid };
  const groupOf = new Int32Array(rows);
  const index = buildJoinIndex([build], rows, ['i32'], groupOf);
  assert.equal(index.kind, 'directory');
  // The model: the first row of each key numbers its group, in row order.
  const groupOfKey = new Map<number, number>();
  for (let r = 0; r < rows; r++) {
    if (valid[r] === 0) {
      assert.equal(groupOf[r], -1, `null key at row ${r}`);
      continue;
    }
    let g = groupOfKey.get(values[r]!);
    if (g === undefined) groupOfKey.set(values[r]!, (g = groupOfKey.size));
    assert.equal(groupOf[r], g, `group of build row ${r}`);
  }
  assert.equal(index.groups, groupOfKey.size);
  const probes = 200_000;
  const keys = new Int32Array(probes);
  const probeValid = new Uint8Array(probes).fill(1);
  for (let i = 0; i < probes; i++) keys[i] = low - 1000 + rng.nextInt(span + 2000);
  keys[0] = low;
  keys[1] = low + span - 1;
  keys[2] = low - 1;
  keys[3] = low + span;
  for (let i = 4; i < probes; i += 89) probeValid[i] = 0;
  const out = new Int32Array(probes);
  index.probe([{ type: 'i32', values: keys, valid: probeValid }], probes, out);
  for (let i = 0; i < probes; i++) {
    const expected = probeValid[i] === 0 ? -1 : (groupOfKey.get(keys[i]!) ?? -1);
    assert.equal(out[i], expected, `probe row ${i} (key ${keys[i]})`);
  }
});
