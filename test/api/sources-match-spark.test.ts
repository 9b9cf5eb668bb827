import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, PlanError } from '../../src/index.js';
import { PARTITION_COUNTS, onEveryBackend, sorted, temporaryDirectory, throwsWith } from './helpers.js';

/** Dataset sources against Spark: how parallelize and range slice, emptyRDD, and textFile. */

const LINES = Array.from({ length: 40 }, (_, i) => `line ${i}: ${'x'.repeat(i % 7)}`);

onEveryBackend('sources match Spark', (on) => {
  const dir = temporaryDirectory('sources');

  test('parallelize slices contiguously by position, as Spark does', async () => {
    const kc = on.kc();
    // sc.parallelize([1, 2, 3, 4, 5], 3).glom().collect() == [[1], [2, 3], [4, 5]]
    assert.deepEqual(await kc.parallelize([1, 2, 3, 4, 5], 3).glom().collect(), [[1], [2, 3], [4, 5]]);
    // sc.parallelize(range(5), 7): slice i is [i*5/7, (i+1)*5/7)
    assert.deepEqual(await kc.parallelize([0, 1, 2, 3, 4], 7).glom().collect(), [[], [0], [1], [], [2], [3], [4]]);
    assert.deepEqual(await kc.parallelize([], 3).glom().collect(), [[], [], []]);
    // Any iterable, not only arrays.
    assert.deepEqual(await kc.parallelize(new Set(['a', 'b', 'c']), 2).collect(), ['a', 'b', 'c']);
  });

  test('parallelize without numSlices uses defaultParallelism', () => {
    const kc = on.kc();
    assert.equal(kc.parallelize([1, 2, 3]).getNumPartitions(), kc.options.defaultParallelism);
    assert.equal(kc.options.defaultParallelism, Math.max(on.backend.threads, 2));
  });

  for (const n of PARTITION_COUNTS) {
    test(`range counts like Spark (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.range(5).collect() == [0, 1, 2, 3, 4]
      assert.deepEqual(await kc.range(5, undefined, 1, n).collect(), [0, 1, 2, 3, 4]);
      // sc.range(2, 4).collect() == [2, 3]
      assert.deepEqual(await kc.range(2, 4, 1, n).collect(), [2, 3]);
      // sc.range(1, 7, 2).collect() == [1, 3, 5]
      assert.deepEqual(await kc.range(1, 7, 2, n).collect(), [1, 3, 5]);
      assert.deepEqual(await kc.range(0, 10, 3, n).collect(), [0, 3, 6, 9]);
      // Negative steps count down, end excluded.
      assert.deepEqual(await kc.range(10, 0, -2, n).collect(), [10, 8, 6, 4, 2]);
      assert.deepEqual(await kc.range(3, -3, -1, n).collect(), [3, 2, 1, 0, -1, -2]);
      assert.deepEqual(await kc.range(5, 0, 1, n).collect(), []);
      assert.deepEqual(await kc.range(0, 5, -1, n).collect(), []);
      assert.equal(await kc.range(0, 1000, 1, n).count(), 1000);
      assert.equal(kc.range(0, 1000, 1, n).getNumPartitions(), n);
    });

    test(`range slices like parallelize of the same numbers (${n} partitions)`, async () => {
      const kc = on.kc();
      const numbers = Array.from({ length: 10 }, (_, i) => i * 3);
      assert.deepEqual(await kc.range(0, 30, 3, n).glom().collect(), await kc.parallelize(numbers, n).glom().collect());
    });
  }

  test('range of n uses defaultParallelism and counts from 0', async () => {
    const kc = on.kc();
    const rdd = kc.range(7);
    assert.equal(rdd.getNumPartitions(), kc.options.defaultParallelism);
    assert.deepEqual(await rdd.collect(), [0, 1, 2, 3, 4, 5, 6]);
  });

  test('range refuses a zero step and non-finite bounds', () => {
    const kc = on.kc();
    throwsWith(() => kc.range(0, 10, 0), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
    throwsWith(() => kc.range(0, Number.POSITIVE_INFINITY), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
    throwsWith(() => kc.range(Number.NaN), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
  });

  test('emptyRDD has no partitions and no records', async () => {
    const empty = on.kc().emptyRDD<string>();
    assert.equal(empty.getNumPartitions(), 0);
    assert.deepEqual(await empty.collect(), []);
    assert.equal(await empty.map((s) => s.length).count(), 0);
  });

  for (const n of PARTITION_COUNTS) {
    test(`textFile reads every line once, in order (minPartitions ${n})`, async () => {
      const path = join(dir(), `lines-${on.backend.name}-${n}.txt`);
      writeFileSync(path, `${LINES.join('\n')}\n`);
      const lines = on.kc().textFile(path, { minPartitions: n });
      assert.ok(lines.getNumPartitions() >= n, `at least minPartitions splits, got ${lines.getNumPartitions()}`);
      assert.deepEqual(await lines.collect(), LINES);
      assert.equal(await lines.filter((l) => l.startsWith('line 3')).count(), 11);
    });
  }

  test('textFile reads one line per line ending, with or without a final newline', async () => {
    const kc = on.kc();
    // with open(path, "w") as f: f.write("Hello world!"); sc.textFile(path).collect() == ['Hello world!']
    const hello = join(dir(), `hello-${on.backend.name}.txt`);
    writeFileSync(hello, 'Hello world!');
    assert.deepEqual(await kc.textFile(hello).collect(), ['Hello world!']);
    const endings = join(dir(), `endings-${on.backend.name}.txt`);
    writeFileSync(endings, 'a\r\nb\rc\n\nd');
    assert.deepEqual(await kc.textFile(endings).collect(), ['a', 'b', 'c', '', 'd']);
  });

  test('textFile of a directory, a glob or a list reads every file', async () => {
    const kc = on.kc();
    const folder = join(dir(), `folder-${on.backend.name}`);
    mkdirSync(folder);
    writeFileSync(join(folder, 'part-a.txt'), 'a1\na2\n');
    writeFileSync(join(folder, 'part-b.txt'), 'b1\n');
    writeFileSync(join(folder, 'other.log'), 'c1\nc2\n');
    assert.deepEqual(sorted(await kc.textFile(folder).collect()), ['a1', 'a2', 'b1', 'c1', 'c2']);
    assert.deepEqual(sorted(await kc.textFile(join(folder, 'part-*.txt')).collect()), ['a1', 'a2', 'b1']);
    const list = [join(folder, 'part-b.txt'), join(folder, 'other.log')];
    assert.deepEqual(sorted(await kc.textFile(list).collect()), ['b1', 'c1', 'c2']);
  });

  test('textFile of a missing path is an InputError naming the path', () => {
    const missing = join(dir(), 'no-such-file.txt');
    const error = throwsWith(() => on.kc().textFile(missing), InputError, 'ERR_INPUT_NOT_FOUND');
    assert.ok(error.message.includes(missing), `the message should name ${missing}: ${error.message}`);
  });
});
