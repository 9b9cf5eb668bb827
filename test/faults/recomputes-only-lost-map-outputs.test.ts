import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Context } from '../../src/index.js';
import { expectedWordCount, sortedPairs, wordCount } from './fault-fixtures.js';

for (const threads of [0, 2]) {
  describe(`lost and corrupt shuffle blocks (${threads === 0 ? 'inline' : 'piscina'} backend)`, () => {
    const kc = new Context({ threads });
    after(() => kc.stop());

    for (const kind of ['lose-block', 'corrupt-block'] as const) {
      test(`a ${kind === 'lose-block' ? 'missing' : 'corrupt'} block is a fetch failure: only its map partition is recomputed, then the reduce resumes`, async () => {
        // Map partition 2 of the first map stage loses or corrupts one of its output blocks.
        kc.setFaults({ seed: 4, rules: [{ kind, partition: 2, attempt: 0 }] });
        try {
          assert.deepEqual(sortedPairs(await wordCount(kc).collect()), expectedWordCount());
        } finally {
          kc.setFaults(null);
        }
        const metrics = kc.lastJobMetrics!;
        assert.equal(metrics.faultsInjected[kind], 1);
        assert.equal(metrics.failures['fetch-failed'], 1);
        assert.equal(metrics.recomputedPartitions, 1);
        assert.equal(metrics.stageResubmissions, 1);
        // 4 map tasks + 1 recomputed map task + 3 reduce tasks (one of them twice for a corrupt block, which is
        // found by running it; a missing block is known before the task runs).
        assert.equal(metrics.stagesRun, 3);
        assert.equal(metrics.taskAttempts, kind === 'lose-block' ? 8 : 9);
        assert.equal(metrics.tasksSucceeded, 8);
      });
    }
  });
}

test('fetch failures are bounded by stageAttemptsMax', async () => {
  const kc = new Context({ threads: 0, stageAttemptsMax: 2 });
  try {
    // Every map task loses a block, so every recomputation is lost again.
    kc.setFaults({ seed: 4, rules: [{ kind: 'lose-block' }] });
    await assert.rejects(
      wordCount(kc).collect(),
      /partition \d failed 2 times; last failure: shuffle \d+ map output \d was lost/,
    );
  } finally {
    await kc.stop();
  }
});
