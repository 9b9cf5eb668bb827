import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowPartitions } from '../../src/scheduler/speculation.js';
import { resolveContextOptions } from '../../src/common/options.js';
import { OptionsError } from '../../src/common/errors.js';

const policy = { quantile: 0.75, multiplier: 1.5, minTaskMs: 100 };

test('no copy before quantile of the tasks finished', () => {
  assert.deepEqual(slowPartitions(policy, 4, [10, 10], [{ partition: 3, heartbeatMs: 0 }], 10_000), []);
});

test('a task slower than multiplier × the median finished duration, and over minTaskMs, is a straggler', () => {
  const finished = [100, 200, 300];
  const running = [
    { partition: 3, heartbeatMs: 0 },
    { partition: 4, heartbeatMs: 100 },
  ];
  // Threshold max(1.5 × 200, 100) = 300 ms: partition 3 has run 350 ms, partition 4 250 ms.
  assert.deepEqual(slowPartitions(policy, 4, finished, running, 350), [3]);
});

test('minTaskMs keeps short stages from speculating', () => {
  assert.deepEqual(slowPartitions(policy, 4, [1, 1, 1], [{ partition: 3, heartbeatMs: 0 }], 99), []);
  assert.deepEqual(slowPartitions(policy, 4, [1, 1, 1], [{ partition: 3, heartbeatMs: 0 }], 101), [3]);
});

test('speculation is off by default; true takes the Spark defaults; bad fields are option errors', () => {
  assert.equal(resolveContextOptions({}).speculation, null);
  assert.equal(resolveContextOptions({ speculation: false }).speculation, null);
  assert.deepEqual(resolveContextOptions({ speculation: true }).speculation, policy);
  assert.deepEqual(resolveContextOptions({ speculation: { multiplier: 3 } }).speculation, { ...policy, multiplier: 3 });
  assert.throws(() => resolveContextOptions({ speculation: { quantile: 0 } }), OptionsError);
  assert.throws(() => resolveContextOptions({ speculation: { multiplier: 0.5 } }), /speculation\.multiplier/);
  assert.throws(() => resolveContextOptions({ speculation: { minTaskMs: -1 } }), OptionsError);
  assert.throws(() => resolveContextOptions({ speculation: 7 as never }), OptionsError);
});
