import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, PlanError } from '../../src/index.js';
import type { RDD } from '../../src/index.js';
import { onEveryBackend, rejectsWith, throwsWith } from './helpers.js';

/**
 * Bad arguments are refused when the dataset is defined, not when a job runs: a PlanError with a stable code whose
 * message names the operation the user called.
 */

type Pairs = RDD<[string, number]>;

const BAD_COUNTS: readonly unknown[] = [0, -1, 1.5, 'x'];

/** Every operation that takes a partition count, called with `bad` as that count. */
const TAKES_A_COUNT: readonly [string, (kc: Context, pairs: Pairs, bad: number) => unknown][] = [
  ['parallelize', (kc, _p, bad) => kc.parallelize([1], bad)],
  ['range', (kc, _p, bad) => kc.range(0, 10, 1, bad)],
  ['reduceByKey', (_kc, p, bad) => p.reduceByKey((a, b) => a + b, bad)],
  ['foldByKey', (_kc, p, bad) => p.foldByKey(0, (a, b) => a + b, bad)],
  [
    'aggregateByKey',
    (_kc, p, bad) =>
      p.aggregateByKey(
        0,
        (a, b) => a + b,
        (a, b) => a + b,
        bad,
      ),
  ],
  [
    'combineByKey',
    (_kc, p, bad) =>
      p.combineByKey(
        (v) => v,
        (a, b) => a + b,
        (a, b) => a + b,
        bad,
      ),
  ],
  ['groupByKey', (_kc, p, bad) => p.groupByKey(bad)],
  ['sortByKey', (_kc, p, bad) => p.sortByKey(true, bad)],
  ['sortBy', (_kc, p, bad) => p.sortBy(([k]) => k, true, bad)],
  ['partitionBy', (_kc, p, bad) => p.partitionBy(bad)],
  ['repartition', (_kc, p, bad) => p.repartition(bad)],
  ['coalesce', (_kc, p, bad) => p.coalesce(bad)],
  ['join', (_kc, p, bad) => p.join(p, bad)],
  ['leftOuterJoin', (_kc, p, bad) => p.leftOuterJoin(p, bad)],
  ['rightOuterJoin', (_kc, p, bad) => p.rightOuterJoin(p, bad)],
  ['fullOuterJoin', (_kc, p, bad) => p.fullOuterJoin(p, bad)],
  ['cogroup', (_kc, p, bad) => p.cogroup(p, bad)],
  ['subtractByKey', (_kc, p, bad) => p.subtractByKey(p, bad)],
  ['distinct', (_kc, p, bad) => p.distinct(bad)],
  ['intersection', (_kc, p, bad) => p.intersection(p, bad)],
  ['subtract', (_kc, p, bad) => p.subtract(p, bad)],
];

/** Operations whose check is known to fail, with the reason (see the report of this suite). */
onEveryBackend('bad arguments are plan errors', (on) => {
  const pairs = (): Pairs =>
    on.kc().parallelize<[string, number]>(
      [
        ['a', 1],
        ['b', 2],
      ],
      2,
    );

  for (const [operation, define] of TAKES_A_COUNT) {
    test(`${operation} refuses a partition count of 0, -1, 1.5 and 'x'`, () => {
      for (const bad of BAD_COUNTS) {
        const error = throwsWith(() => define(on.kc(), pairs(), bad as number), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
        assert.ok(
          error.message.startsWith(`${operation}()`),
          `the message should name ${operation}(): ${error.message}`,
        );
        assert.match(error.message, /must be a positive integer/);
        assert.ok(
          error.message.includes(JSON.stringify(bad)),
          `the message should show ${String(bad)}: ${error.message}`,
        );
      }
    });
  }

  test('textFile refuses a minPartitions that is not a positive integer', () => {
    for (const bad of BAD_COUNTS) {
      const error = throwsWith(
        () => on.kc().textFile('/any/path', { minPartitions: bad as number }),
        PlanError,
        'ERR_PLAN_INVALID_ARGUMENT',
      );
      assert.match(error.message, /textFile\(\).*minPartitions/);
    }
  });

  test('a non-function given to a transformation is refused at definition time', () => {
    const rdd = on.kc().parallelize([1, 2, 3]);
    const cases: [string, () => unknown][] = [
      ['map', () => rdd.map(42 as never)],
      ['filter', () => rdd.filter('x => x' as never)],
      ['flatMap', () => rdd.flatMap(null as never)],
      ['mapPartitions', () => rdd.mapPartitions({} as never)],
      ['keyBy', () => rdd.keyBy(undefined as never)],
      ['reduceByKey', () => pairs().reduceByKey(1 as never)],
      ['mapValues', () => pairs().mapValues([] as never)],
    ];
    for (const [operation, define] of cases) {
      const error = throwsWith(define, PlanError, 'ERR_PLAN_NOT_A_FUNCTION');
      assert.ok(error.message.startsWith(`${operation}()`), `the message should name ${operation}(): ${error.message}`);
    }
  });

  test('a non-function given to an action rejects before any task runs', async () => {
    const kc = on.kc();
    const rdd = kc.parallelize([1, 2, 3]);
    kc.lastJobMetrics = null;
    await rejectsWith(rdd.reduce(7 as never), PlanError, 'ERR_PLAN_NOT_A_FUNCTION');
    await rejectsWith(rdd.foreach('print' as never), PlanError, 'ERR_PLAN_NOT_A_FUNCTION');
    assert.equal(kc.lastJobMetrics, null, 'no job ran');
  });

  test('take, top and takeOrdered refuse a count that is not a non-negative integer', async () => {
    const rdd = on.kc().parallelize([1, 2, 3]);
    for (const bad of [-1, 1.5, 'x']) {
      await rejectsWith(rdd.take(bad as number), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
      await rejectsWith(rdd.top(bad as number), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
      await rejectsWith(rdd.takeOrdered(bad as number), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
    }
    const add = (a: number, b: number) => a + b;
    await rejectsWith(rdd.aggregate(0, add, 'add' as never), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
  });

  test('a dataset of another Context is refused by binary operations', async () => {
    const other = new Context({ threads: 0 });
    try {
      const foreign = other.parallelize<[string, number]>([['a', 1]]);
      throwsWith(() => pairs().join(foreign), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
      throwsWith(() => pairs().union(foreign), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
    } finally {
      await other.stop();
    }
  });
});
