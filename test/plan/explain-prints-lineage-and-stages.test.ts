import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context } from '../../src/index.js';

// Golden text (the join reads both sides without a new shuffle: they are already hash(2)-partitioned): explain() is part of the public surface, so its format changes only on purpose.
test('explain() prints the lineage with shuffles indented and the stages parents-last', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const words = kc.parallelize(['a b', 'b c'], 2).flatMap((line) => line.split(' '));
    const counts = words.map((w) => [w, 1] as const).reduceByKey((a, b) => a + b);
    const joined = counts.join(kc.parallelize([['a', true] as const], 3).partitionBy(2)).sortByKey(false, 3);
    assert.equal(
      joined.explain(),
      [
        '== Lineage ==',
        '[8] sortByKey (3 partitions, range(3, descending))',
        ' +- shuffle 2: range(3, descending)',
        '   [7] join rows (2 partitions, hash(2))',
        '   [6] join (2 partitions, hash(2))',
        '   [3] reduceByKey (2 partitions, hash(2))',
        '    +- shuffle 0: hash(2), map-side combine',
        '      [2] map (2 partitions)',
        '      [1] flatMap (2 partitions)',
        '      [0] parallelize: array of 2 records (2 partitions)',
        '   [5] partitionBy (2 partitions, hash(2))',
        '    +- shuffle 1: hash(2)',
        '      [4] parallelize: array of 1 record (3 partitions)',
        '== Stages ==',
        'stage 3: result, 3 tasks, [8] sortByKey, reads shuffle 2',
        'stage 2: shuffle-map writes shuffle 2, 2 tasks, [7] join rows <- [6] join <- [3] reduceByKey <- [5] partitionBy, reads shuffle 0, shuffle 1',
        'stage 1: shuffle-map writes shuffle 1, 3 tasks, [4] parallelize',
        'stage 0: shuffle-map writes shuffle 0, 2 tasks, [2] map <- [1] flatMap <- [0] parallelize',
      ].join('\n'),
    );
  } finally {
    await kc.stop();
  }
});

test('explain() marks persisted and indeterminate datasets', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const rdd = kc.range(0, 10, 1, 2).repartition(3).persist();
    assert.match(rdd.explain(), /\[\d+\] repartition values \(3 partitions, persisted, indeterminate\)/);
  } finally {
    await kc.stop();
  }
});
