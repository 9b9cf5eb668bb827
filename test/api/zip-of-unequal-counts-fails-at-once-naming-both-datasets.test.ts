import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobFailedError, type LoggedEvent } from '../../src/index.js';
import { onEveryBackend, rejectsWith } from './helpers.js';

/**
 * A zip of datasets with different record counts fails the same way on every attempt: it fails at once, before any
 * pairing task runs, and names the user's two datasets, their counts and the first partition whose sizes differ
 * (it used to be retried taskAttemptsMax times and named the internal sortByKey stage).
 */
onEveryBackend('zip of unequal counts', (on) => {
  test('fails at once, naming both datasets and their counts', async () => {
    const kc = on.kc();
    const left = kc.parallelize([1, 2, 3, 4, 5], 2).setName('clicks');
    const right = kc.parallelize(['a', 'b', 'c', 'd'], 2);
    const failedTasks: LoggedEvent[] = [];
    const off = kc.onEvent((event) => {
      if (event.kind === 'task-end' && event.reason !== 'success') failedTasks.push(event);
    });
    try {
      const error = await rejectsWith(left.zip(right).collect(), JobFailedError, 'ERR_JOB_FAILED');
      assert.equal(
        error.message,
        `zip() needs datasets with equal numbers of records: dataset ${left.id} 'clicks' has 5 and ` +
          `dataset ${right.id} (parallelize) has 4 (partition 1 holds 3 and 2)`,
      );
      assert.deepEqual(failedTasks, []);
    } finally {
      off();
    }
  });

  test('still zips equal counts spread differently over the partitions', async () => {
    const kc = on.kc();
    const left = kc.parallelize([1, 2, 3, 4], 2);
    const right = kc.parallelize([10, 20, 30, 40, 50], 2).filter((x) => x !== 20);
    assert.deepEqual(await left.zip(right).collect(), [
      [1, 10],
      [2, 30],
      [3, 40],
      [4, 50],
    ]);
  });
});
