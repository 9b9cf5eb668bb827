import { test } from 'node:test';
import assert from 'node:assert/strict';
import type NodePath from 'node:path';
import { PlanError } from '../../src/index.js';
import { PARTITION_COUNTS, onEveryBackend, sorted, throwsWith } from './helpers.js';

/**
 * Free-variable detection end to end: a function that uses an outside value without naming it is refused when the
 * dataset is defined, with the fix in the message; named as a capture (or a broadcast) it works on every backend.
 */

const WORDS = ['a', 'rose', 'is', 'a', 'rose', 'is', 'a', 'rose'];

onEveryBackend('captures reach worker threads', (on) => {
  test('an uncaptured outside value is a PlanError that shows the fix', () => {
    const stop = new Set(['a']);
    const words = on.kc().parallelize(WORDS);
    const error = throwsWith(() => words.filter((w) => !stop.has(w)), PlanError, 'ERR_PLAN_FREE_VARIABLE');
    assert.ok(
      error.message.includes('filter() uses `stop`, which a worker thread cannot see: pass it as filter(fn, { stop })'),
      error.message,
    );
    const limit = 3;
    const mapError = throwsWith(() => words.map((w) => w.length > limit), PlanError, 'ERR_PLAN_FREE_VARIABLE');
    assert.match(mapError.message, /map\(\) uses `limit`/);
    const keyError = throwsWith(
      () => words.map((w): [string, number] => [w, 1]).reduceByKey((a, b) => a + b + limit),
      PlanError,
      'ERR_PLAN_FREE_VARIABLE',
    );
    assert.match(keyError.message, /reduceByKey\(\) uses `limit`/);
  });

  for (const n of PARTITION_COUNTS) {
    test(`a captured value is seen by the function (${n} partitions)`, async () => {
      const stop = new Set(['a']);
      const kept = on
        .kc()
        .parallelize(WORDS, n)
        .filter((w) => !stop.has(w), { stop });
      assert.deepEqual(await kept.collect(), ['rose', 'is', 'rose', 'is', 'rose']);
      const lengths = new Map([
        ['rose', 4],
        ['is', 2],
      ]);
      const offset = 10;
      const counted = kept
        .map((w): [string, number] => [w, (lengths.get(w) ?? 0) + offset], { lengths, offset })
        .reduceByKey((a, b) => a + b);
      assert.deepEqual(sorted(await counted.collect()), [
        ['is', 24],
        ['rose', 42],
      ]);
    });

    test(`a broadcast is read through .value in the tasks (${n} partitions)`, async () => {
      const kc = on.kc();
      const dictionary = kc.broadcast(
        new Map([
          ['a', 'ein'],
          ['rose', 'Rose'],
          ['is', 'ist'],
        ]),
      );
      assert.equal(dictionary.value.get('is'), 'ist');
      const translated = kc.parallelize(WORDS, n).map((w) => dictionary.value.get(w) ?? '?', { dictionary });
      assert.deepEqual(await translated.collect(), ['ein', 'Rose', 'ist', 'ein', 'Rose', 'ist', 'ein', 'Rose']);
      const threshold = kc.broadcast(3);
      assert.equal(
        await kc
          .parallelize(WORDS, n)
          .filter((w) => w.length > threshold.value, { threshold })
          .count(),
        3,
      );
    });
  }

  test('captured values are copies: changing them in a task does not change the driver', async () => {
    const seen = { count: 0 };
    const out = await on
      .kc()
      .parallelize([1, 2, 3], 3)
      .map(
        (x) => {
          seen.count += x;
          return seen.count;
        },
        { seen },
      )
      .collect();
    assert.deepEqual(out, [1, 2, 3], 'each task starts from its own copy');
    assert.equal(seen.count, 0);
  });

  test('process is a standard global: getBuiltinModule reaches node:path, env is a copy (issue 12)', async (t) => {
    if (typeof process.getBuiltinModule !== 'function') {
      t.skip(`process.getBuiltinModule needs Node >= 20.16, this is ${process.version}`);
      return;
    }
    const out = await on
      .kc()
      .parallelize(['/a/b.txt', '/c/d.csv'], 2)
      .map((p) => {
        const path = process.getBuiltinModule('node:path') as typeof NodePath;
        return [path.basename(p), typeof process.env['PATH'], process.pid === undefined] as const;
      })
      .collect();
    assert.deepEqual(out, [
      ['b.txt', 'string', false],
      ['d.csv', 'string', false],
    ]);
  });
});
