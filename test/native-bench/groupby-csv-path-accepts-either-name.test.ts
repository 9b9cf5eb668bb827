// The bench runners find the db-benchmark groupby table under db-benchmark's own name (G1_1e7_1e2_0_0) or under our
// former one (G1_1e7_100_0_0), whichever exists, and name a table to generate as db-benchmark does.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { groupbyCsvPath } from '../../native-bench/groupby-csv-path.js';

const dir = '/data';
const ours = join(dir, 'kindling-G1_1e7_100_0_0.csv');
const theirs = join(dir, 'kindling-G1_1e7_1e2_0_0.csv');
const existing =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

test('the db-benchmark name when it exists, or when both do', () => {
  assert.equal(groupbyCsvPath(1e7, 100, dir, existing(theirs)), theirs);
  assert.equal(groupbyCsvPath(1e7, 100, dir, existing(theirs, ours)), theirs);
});

test('the former name when only it exists', () => {
  assert.equal(groupbyCsvPath(1e7, 100, dir, existing(ours)), ours);
});

test('the db-benchmark name, to generate, when neither exists; other sizes take the same forms', () => {
  assert.equal(groupbyCsvPath(1e7, 100, dir, existing()), theirs);
  assert.equal(groupbyCsvPath(1e6, 10, dir, existing()), join(dir, 'kindling-G1_1e6_1e1_0_0.csv'));
  assert.equal(groupbyCsvPath(1e5, 2, dir, existing()), join(dir, 'kindling-G1_1e5_2e0_0_0.csv'));
  const former = join(dir, 'kindling-G1_1e6_10_0_0.csv');
  assert.equal(groupbyCsvPath(1e6, 10, dir, existing(former)), former);
});
