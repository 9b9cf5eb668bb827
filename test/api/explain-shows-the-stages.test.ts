import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onEveryBackend } from './helpers.js';

/** explain() shows the lineage and the stages a job runs, cut at every shuffle; and the job runs those stages. */

onEveryBackend('explain shows the stages', (on) => {
  test('a narrow chain is one stage', async () => {
    const kc = on.kc();
    const rdd = kc
      .range(0, 10, 1, 3)
      .map((x) => x + 1)
      .filter((x) => x % 2 === 0);
    const text = rdd.explain();
    assert.match(text, /^== Lineage ==$/m);
    assert.match(text, /^== Stages ==$/m);
    assert.match(text, /\] filter \(3 partitions\)/);
    assert.match(text, /\] range: range\(0, 10, 1\) \(3 partitions\)/);
    const stages = text.split('== Stages ==')[1]!.trim().split('\n');
    assert.equal(stages.length, 1, text);
    assert.match(stages[0]!, /^stage 0: result, 3 tasks, \[\d+\] filter <- \[\d+\] map <- \[\d+\] range$/);
    await rdd.collect();
    assert.equal(kc.lastJobMetrics?.stagesRun, 1);
    assert.equal(kc.lastJobMetrics?.taskAttempts, 3);
  });

  test('reduceByKey cuts a shuffle-map stage and a result stage', async () => {
    const kc = on.kc();
    const counts = kc
      .parallelize(['a', 'b', 'a'], 2)
      .map((w): [string, number] => [w, 1])
      .reduceByKey((a, b) => a + b, 3);
    const text = counts.explain();
    assert.match(text, /\] reduceByKey \(3 partitions, hash\(3\)\)/);
    assert.match(text, /\+- shuffle \d+: hash\(3\), map-side combine/);
    assert.match(text, /^stage 1: result, 3 tasks, \[\d+\] reduceByKey, reads shuffle \d+$/m);
    assert.match(text, /^stage 0: shuffle-map writes shuffle \d+, 2 tasks, \[\d+\] map <- \[\d+\] parallelize$/m);
    await counts.collect();
    assert.equal(kc.lastJobMetrics?.stagesRun, 2);
    assert.equal(kc.lastJobMetrics?.taskAttempts, 5);
  });

  test('a join of two shuffled inputs shows three stages', async () => {
    const kc = on.kc();
    const left = kc.parallelize<[string, number]>([['a', 1]], 2);
    const right = kc.parallelize<[string, number]>([['a', 2]], 1);
    const joined = left.join(right, 4);
    const text = joined.explain();
    const stageLines = text.split('== Stages ==')[1]!.trim().split('\n');
    assert.equal(stageLines.length, 3, text);
    assert.equal(stageLines.filter((l) => l.includes('shuffle-map writes')).length, 2, text);
    assert.match(stageLines[0]!, /^stage 2: result, 4 tasks, .*reads shuffle \d+, shuffle \d+$/);
    await joined.collect();
    assert.equal(kc.lastJobMetrics?.stagesRun, 3);
    assert.equal(kc.lastJobMetrics?.taskAttempts, 2 + 1 + 4);
  });

  test('explain is stable text: asking twice gives the same', () => {
    const rdd = on
      .kc()
      .parallelize([3, 1, 2], 2)
      .sortBy((x) => x);
    assert.equal(rdd.explain(), rdd.explain());
  });
});
