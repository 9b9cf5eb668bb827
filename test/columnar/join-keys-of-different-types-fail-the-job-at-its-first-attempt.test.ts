// Join keys are compared by their encoding, so an int32 key never matched an int64 one (different bytes, and
// different shuffle partitions): `a.join(b, 'k')` of an int32 `k` and an int64 `k` returned no rows without an error
// (found trying a join as a user). Now every join path fails at the first attempt where a task sees keys of both
// sides, naming the key, both types and the cast that fixes it; after that cast the join answers as it should.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromArrays } from 'apache-arrow';

import { col, Context } from '../../src/index.js';

// 1,000 keys a side, so that every one of 16 shuffle partitions holds keys of both sides: the check compares the
// two sides' key types where a task sees both (a partition holding one side only matches nothing either way).
const KEYS = 1000;
const left = () =>
  tableFromArrays({
    k: Int32Array.from({ length: KEYS }, (_, i) => i + 1),
    x: Float64Array.from({ length: KEYS }, (_, i) => i + 1),
  });
const right = () =>
  tableFromArrays({
    k: BigInt64Array.from({ length: KEYS }, (_, i) => (i % 2 === 0 ? BigInt(i + 1) : 2n ** 40n + BigInt(i))),
    y: Int32Array.from({ length: KEYS }, (_, i) => (i + 1) * 10),
  });

for (const [path, options, partitions] of [
  ['broadcast', {}, undefined],
  ['shuffled into 1 partition', { broadcastJoinBytesMax: 0 }, { numPartitions: 1 }],
  ['shuffled into 16 partitions (most hold one side or none)', { broadcastJoinBytesMax: 0 }, { numPartitions: 16 }],
] as const) {
  test(`${path}: an int32 key joined with an int64 key fails at the first attempt, naming the cast`, async () => {
    const kc = new Context({ threads: 2, ...options });
    try {
      const a = kc.fromArrow(left());
      const b = kc.fromArrow(right());
      for (const how of ['inner', 'left', 'full', 'semi'] as const) {
        await assert.rejects(a.join(b, 'k', how, partitions).collect(), (error: Error) => {
          assert.match(error.message, /failed 1 time/);
          assert.match(error.message, /key column 'k' is int32 on the left and int64 on the right/);
          assert.match(error.message, /left\.withColumn\('k', col\('k'\)\.cast\('int64'\)\)/);
          return true;
        });
      }
      const cast = a.withColumn('k', col('k').cast('int64'));
      const rows = await cast.join(b, 'k', 'inner', partitions).orderBy('k').collect();
      // The right side's even positions hold the keys 1, 3, 5 …; its odd ones are past the left side's keys.
      assert.equal(rows.length, KEYS / 2);
      rows.forEach((row, i) => assert.deepEqual(row, { k: BigInt(2 * i + 1), x: 2 * i + 1, y: (2 * i + 1) * 10 }));
    } finally {
      await kc.stop();
    }
  });
}

test('a string key joined with a number key fails, asking to cast the right side to the left type', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const a = kc.fromColumns({ k: ['1', '2'], x: [1, 2] });
    const b = kc.fromArrow(left());
    await assert.rejects(a.join(b, 'k').collect(), {
      message:
        /key column 'k' is string on the left and int32 on the right.*right\.withColumn\('k', col\('k'\)\.cast\('string'\)\)/,
    });
  } finally {
    await kc.stop();
  }
});
