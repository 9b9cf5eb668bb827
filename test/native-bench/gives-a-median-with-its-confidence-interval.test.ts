// The overhead benchmarks report a median of paired ratios with a distribution-free confidence interval: the
// order statistics [x(k), x(n-k+1)] whose coverage 1 - 2·P(Binomial(n, ½) < k) is the narrowest at least 95 %.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatInterval, medianInterval } from '../../native-bench/observability-stats.js';

test('picks the order statistics of the binomial bound, whatever the order of the samples', () => {
  const nine = [1.04, 0.98, 1.01, 1.0, 1.03, 0.99, 1.02, 1.01, 1.0];
  const m = medianInterval(nine);
  assert.equal(m.median, 1.01);
  // n = 9: P(B <= 0) = 1/512, P(B <= 1) = 10/512, P(B <= 2) = 46/512, so k = 2: [x(2), x(8)] at 1 - 20/512.
  assert.deepEqual([m.low, m.high], [0.99, 1.03]);
  assert.equal(m.confidence, 1 - 20 / 512);
  assert.equal(formatInterval(m), '1.010 [0.990–1.030]');
});

test('narrows as rounds are added: with 30 rounds the interval is [x(10), x(21)]', () => {
  const thirty = Array.from({ length: 30 }, (_, i) => i + 1);
  const m = medianInterval(thirty);
  assert.deepEqual([m.low, m.high], [10, 21]);
  assert.ok(m.confidence >= 0.95 && m.confidence < 0.98, `coverage ${m.confidence}`);
});

test('says so when there are too few rounds for a 95 % interval', () => {
  const m = medianInterval([1, 2, 3, 4, 5]);
  assert.equal(m.median, 3);
  assert.ok(Number.isNaN(m.low));
  assert.equal(formatInterval(m), '3.000 [too few rounds for an interval]');
});
