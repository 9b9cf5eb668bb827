// computeTextSplits follows Hadoop's FileInputFormat.getSplits as Spark's textFile uses it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { InputError, PlanError } from '../../src/common/errors.js';
import { DEFAULT_BLOCK_BYTES, computeTextSplits } from '../../src/io/text/text-splits.js';
import { makeTempDir, removeTempDir } from './io-fixtures.js';

const dir = makeTempDir('splits');
after(() => removeTempDir(dir));

function fileOfSize(name: string, size: number): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(size, 0x61));
  return path;
}

test('goal size is total / minPartitions, capped by the block size', () => {
  const a = fileOfSize('a.txt', 100);
  assert.deepEqual(computeTextSplits([a], 2), [
    { path: a, start: 0, length: 50 },
    { path: a, start: 50, length: 50 },
  ]);
  assert.deepEqual(computeTextSplits([a], 1, { blockBytes: 40 }), [
    { path: a, start: 0, length: 40 },
    { path: a, start: 40, length: 40 },
    { path: a, start: 80, length: 20 },
  ]);
  assert.equal(DEFAULT_BLOCK_BYTES, 32 * 1024 * 1024);
});

test('the last split takes a tail of up to 10 % over the split size (SPLIT_SLOP = 1.1)', () => {
  const a = fileOfSize('slop.txt', 110);
  assert.deepEqual(computeTextSplits([a], 1, { splitBytes: 100 }), [{ path: a, start: 0, length: 110 }]);
  const b = fileOfSize('slop-over.txt', 111);
  assert.deepEqual(computeTextSplits([b], 1, { splitBytes: 100 }), [
    { path: b, start: 0, length: 100 },
    { path: b, start: 100, length: 11 },
  ]);
});

test('goal size uses the total over all files; each file is cut separately, in order', () => {
  const a = fileOfSize('multi-a.txt', 30);
  const b = fileOfSize('multi-b.txt', 70);
  // goal = floor(100 / 4) = 25; a: 30 / 25 = 1.2 > 1.1, so 25 then 5; b: 70 → 25, 25, then 20 / 25 ≤ 1.1 stays.
  assert.deepEqual(computeTextSplits([a, b], 4), [
    { path: a, start: 0, length: 25 },
    { path: a, start: 25, length: 5 },
    { path: b, start: 0, length: 25 },
    { path: b, start: 25, length: 25 },
    { path: b, start: 50, length: 20 },
  ]);
});

test('goal size is an integer division, and never below 1 byte', () => {
  const a = fileOfSize('floor.txt', 10);
  // goal = floor(10 / 3) = 3: 10 → 3, 3, 3 (4 / 3 > 1.1), then the last byte.
  assert.deepEqual(
    computeTextSplits([a], 3).map((s) => s.length),
    [3, 3, 3, 1],
  );
  assert.equal(computeTextSplits([a], 1000).length, 10);
  assert.deepEqual(computeTextSplits([a], 0), computeTextSplits([a], 1));
});

test('empty files yield no split; all-empty input yields []', () => {
  const empty = fileOfSize('empty.txt', 0);
  const a = fileOfSize('non-empty.txt', 5);
  assert.deepEqual(computeTextSplits([empty, a, empty], 1), [{ path: a, start: 0, length: 5 }]);
  assert.deepEqual(computeTextSplits([empty], 4), []);
  assert.deepEqual(computeTextSplits([], 4), []);
});

test('splits tile each file exactly: contiguous, no gaps, no overlap, within the size', () => {
  const a = fileOfSize('tile.txt', 1234);
  for (let splitBytes = 1; splitBytes <= 1300; splitBytes += 37) {
    const splits = computeTextSplits([a], 1, { splitBytes });
    let next = 0;
    for (const split of splits) {
      assert.equal(split.start, next);
      assert.ok(split.length > 0);
      next += split.length;
    }
    assert.equal(next, 1234);
  }
});

test('bad arguments and unusable files are reported', () => {
  const a = fileOfSize('args.txt', 5);
  assert.throws(() => computeTextSplits([a], -1), PlanError);
  assert.throws(() => computeTextSplits([a], 1.5), PlanError);
  assert.throws(() => computeTextSplits([a], 1, { splitBytes: 0 }), PlanError);
  assert.throws(() => computeTextSplits([a], 1, { blockBytes: 0 }), PlanError);
  const missing = join(dir, 'missing.txt');
  assert.throws(
    () => computeTextSplits([missing], 1),
    (e: unknown) => e instanceof InputError && e.code === 'ERR_INPUT_NOT_FOUND' && e.message.includes(missing),
  );
  assert.throws(
    () => computeTextSplits([dir], 1),
    (e: unknown) => e instanceof InputError && e.code === 'ERR_INPUT_NOT_A_FILE',
  );
  const bz2 = fileOfSize('logs.txt.bz2', 10);
  assert.throws(
    () => computeTextSplits([bz2], 1),
    (e: unknown) => e instanceof InputError && e.code === 'ERR_INPUT_UNREADABLE' && e.message.includes('bzip2'),
  );
});

test('a gzip file is one split whatever the split size, as with Hadoop GzipCodec', () => {
  const gz = fileOfSize('logs.txt.gz', 1000);
  const plain = fileOfSize('plain-for-gz.txt', 100);
  assert.deepEqual(computeTextSplits([gz, plain], 1, { splitBytes: 60 }), [
    { path: gz, start: 0, length: 1000, compression: 'gzip' },
    { path: plain, start: 0, length: 60 },
    { path: plain, start: 60, length: 40 },
  ]);
});
