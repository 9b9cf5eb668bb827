// kc.fromColumns over a plain array of strings: every string comes back as it went in (ASCII, multi-byte, astral,
// empty, null), in order, whatever the partition count, including a partition whose slice holds only nulls; a lone
// surrogate becomes U+FFFD, as Node's UTF-8 encoder makes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Context } from '../../src/index.js';
import { Rng, testSeed } from '../columnar/random-rows.js';

const seed = testSeed('from-columns-keeps-every-string');
const rng = new Rng(seed);
const alphabet = ['a', 'Z', '0', ' ', 'é', 'ß', '€', '中', '😀', '\u0000', '\n'];
const randomString = (): string | null => {
  if (rng.nextInt(8) === 0) return null;
  let s = '';
  for (let n = rng.nextInt(12); n > 0; n--) s += alphabet[rng.nextInt(alphabet.length)]!;
  return s;
};

test('fromColumns keeps every string of a plain array, in order, over 1 to 7 partitions', async () => {
  const kc = new Context({ threads: 0 });
  try {
    // Rows 1000-1199 of `names` are null: with 6 partitions (slices of 200) the last slice holds only nulls; the
    // first half of `sparse` is null: with 2 or more partitions its first slice holds only nulls.
    const names = Array.from({ length: 1200 }, (_, i) => (i < 10 || (i >= 1000 && i < 1200) ? null : randomString()));
    const sparse = Array.from({ length: 1200 }, (_, i) => (i < 600 ? null : `s${i}`));
    const index = Int32Array.from({ length: 1200 }, (_, i) => i);
    for (let partitions = 1; partitions <= 7; partitions++) {
      const got = await kc.fromColumns({ index, names, sparse }, { numPartitions: partitions }).collect();
      assert.deepEqual(
        got.map((row) => row['names']),
        names,
        `names, ${partitions} partitions`,
      );
      assert.deepEqual(
        got.map((row) => row['sparse']),
        sparse,
        `sparse, ${partitions} partitions`,
      );
      assert.deepEqual(
        got.map((row) => row['index']),
        [...index],
      );
    }
  } finally {
    await kc.stop();
  }
});

test('fromColumns writes a lone surrogate as U+FFFD, as Buffer.from does', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const values = ['a\uD800b', '\uDC00', 'ok', '\uD83D\uDE00'];
    const got = await kc.fromColumns({ values }, { numPartitions: 2 }).collect();
    assert.deepEqual(
      got.map((row) => row['values']),
      values.map((s) => Buffer.from(s, 'utf8').toString('utf8')),
    );
    assert.deepEqual(
      got.map((row) => row['values']),
      ['a\uFFFDb', '\uFFFD', 'ok', '😀'],
    );
  } finally {
    await kc.stop();
  }
});
