import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobFailedError, KindlingError, TaskError } from '../../src/index.js';
import type { RDD } from '../../src/index.js';
import { PARTITION_COUNTS, onEveryBackend, rejectsWith } from './helpers.js';

/**
 * An error thrown by user code inside a task comes back to the caller of the action: a JobFailedError naming the
 * stage, the partition and the number of attempts, with the user's message, whose cause is a TaskError carrying
 * the stack from the worker thread.
 */

const ATTEMPTS = 3;

/** The partition that holds record 3 of parallelize([1, 2, 3, 4], n). */
const PARTITION_OF_3: Readonly<Record<number, number>> = { 1: 0, 2: 1, 7: 5 };

onEveryBackend(
  'user errors reach the caller',
  (on) => {
    for (const n of PARTITION_COUNTS) {
      test(`a throwing map fails the job with the user's message, stage, partition and attempts (${n} partitions)`, async () => {
        const failing = on
          .kc()
          .parallelize([1, 2, 3, 4], n)
          .map(function explodeOnThree(x) {
            if (x === 3) throw new RangeError(`boom at record ${x}`);
            return x;
          });
        const error = await rejectsWith(failing.collect(), JobFailedError, 'ERR_JOB_FAILED');
        const partition = PARTITION_OF_3[n]!;
        assert.match(error.message, /boom at record 3/);
        assert.match(error.message, new RegExp(`stage ${error.location.stageId}\\b`));
        assert.match(error.message, new RegExp(`partition ${partition}\\b`));
        assert.match(error.message, new RegExp(`${ATTEMPTS} times`));
        assert.equal(error.location.partition, partition);

        const cause = error.cause;
        assert.ok(cause instanceof TaskError, `the cause should be a TaskError, got ${String(cause)}`);
        assert.equal(cause.code, 'ERR_TASK_FAILED');
        assert.match(cause.message, /boom at record 3/);
        assert.deepEqual(cause.location, {
          stageId: error.location.stageId,
          partition,
          attempt: ATTEMPTS - 1,
        });
        assert.ok(cause.userStack !== undefined, 'the TaskError carries the stack from the worker');
        assert.match(cause.userStack, /RangeError: boom at record 3/);
        assert.match(cause.userStack, /explodeOnThree/, 'the stack names the user function');
        assert.match(cause.stack ?? '', /explodeOnThree/);
      });
    }

    test('an error in a reduce-side function fails the job too', async () => {
      const failing = on
        .kc()
        .parallelize<[string, number]>(
          [
            ['a', 1],
            ['a', 2],
            ['b', 3],
          ],
          3,
        )
        .reduceByKey((a, b) => {
          if (a + b > 2) throw new Error('sum too large');
          return a + b;
        });
      const error = await rejectsWith(failing.collect(), JobFailedError, 'ERR_JOB_FAILED');
      assert.match(error.message, /sum too large/);
      assert.ok(error.cause instanceof TaskError);
    });

    test('a thrown non-Error value is reported too', async () => {
      const failing = on
        .kc()
        .parallelize([1], 1)
        .map((): number => {
          throw 'a plain string';
        });
      const error = await rejectsWith(failing.count(), JobFailedError, 'ERR_JOB_FAILED');
      assert.match(error.message, /a plain string/);
    });

    test('a record that is not a pair given to reduceByKey names reduceByKey and shows the record', async () => {
      const kc = on.kc();
      // Deliberately mistyped: the check under test is the engine's, at run time.
      const notPairs = kc.parallelize(['fine', 'not-a-pair'], 2) as unknown as RDD<[string, number]>;
      await assert.rejects(notPairs.reduceByKey((a, b) => a + b).collect(), (e: unknown) => {
        assert.ok(e instanceof KindlingError, `expected a KindlingError, got ${String(e)}`);
        assert.match(e.message, /reduceByKey/);
        assert.match(e.message, /fine|not-a-pair/, `the message should show the record: ${e.message}`);
        return true;
      });
      const triples = kc.parallelize([[1, 2, 3]], 1) as unknown as RDD<[number, number]>;
      await assert.rejects(triples.reduceByKey((a, b) => a + b).collect(), (e: unknown) => {
        assert.ok(e instanceof KindlingError);
        assert.match(e.message, /reduceByKey/);
        assert.match(e.message, /\[\s*1,\s*2,\s*3\s*\]/, `the message should show the record: ${e.message}`);
        return true;
      });
    });

    test('a throwing foreach fails the job', async () => {
      const kc = on.kc();
      const error = await rejectsWith(
        kc.parallelize([1, 2, 3], 2).foreach((x) => {
          if (x === 2) throw new Error(`cannot handle ${x}`);
        }),
        JobFailedError,
        'ERR_JOB_FAILED',
      );
      assert.match(error.message, /cannot handle 2/);
      await rejectsWith(
        kc.parallelize([1, 2, 3], 2).foreachPartition(() => {
          throw new Error('partition refused');
        }),
        JobFailedError,
        'ERR_JOB_FAILED',
      );
    });

    test('the context keeps working after failed jobs', async () => {
      const kc = on.kc();
      for (let round = 0; round < 20; round++) {
        await rejectsWith(
          kc.parallelize([1, 2], 2).foreachPartition(() => {
            throw new Error('every partition fails');
          }),
          JobFailedError,
          'ERR_JOB_FAILED',
        );
        assert.deepEqual(
          await kc
            .parallelize([1, 2], 2)
            .map((x) => x + 1)
            .collect(),
          [2, 3],
          `a plain job after ${round + 1} failed jobs`,
        );
      }
    });
  },
  { taskAttemptsMax: ATTEMPTS },
);
