// roundHalfUp's fast path (a comparison with the double nearest the decimal tie) against HALF_UP done on the
// shortest decimal digits of each value, as Spark's BigDecimal(double) sees them, on seeded random values of every
// magnitude and scale, plus values whose binary form lies just under a decimal tie.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { roundHalfUp } from '../../../src/executor/columnar/functions/math.js';
import { Rng, testSeed } from '../random-rows.js';

/** HALF_UP on the digits of `x.toExponential()` (the shortest round-tripping digits), in BigInt arithmetic. */
function roundOnDigits(x: number, scale: number): number {
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const keep = Number(exponent) + 1 + scale;
  let r: number;
  if (keep >= digits.length) r = Math.abs(x);
  else if (keep < 0) r = 0;
  else {
    const kept = BigInt(keep === 0 ? '0' : digits.slice(0, keep)) + (digits[keep]! >= '5' ? 1n : 0n);
    r = Number(`${kept}e${-scale}`);
  }
  return r === 0 ? 0 : x < 0 ? -r : r;
}

test('roundHalfUp equals HALF_UP on the shortest decimal digits, at every scale', () => {
  const rng = new Rng(testSeed('round-half-up-matches-decimal-digits'));
  for (let i = 0; i < 200_000; i++) {
    const digits = 1 + rng.nextInt(9);
    const magnitude = [1, 1e-6, 1e6, 1e15][rng.nextInt(4)]!;
    const x = ((rng.nextInt(10 ** digits) - 10 ** digits / 2) / 10 ** rng.nextInt(10)) * magnitude;
    const scale = rng.nextInt(12) - 4;
    assert.ok(Object.is(roundHalfUp(x, scale), roundOnDigits(x, scale)), `round(${x}, ${scale})`);
  }
  for (const x of [2.675, 1.005, 0.285, 1.45, 8.345, 0.1 + 0.2, 123456789.125, 4503599627370495.5, 5e-324, 1e300]) {
    for (let scale = -3; scale <= 6; scale++) {
      assert.ok(Object.is(roundHalfUp(x, scale), roundOnDigits(x, scale)), `round(${x}, ${scale})`);
      assert.ok(Object.is(roundHalfUp(-x, scale), roundOnDigits(-x, scale)), `round(${-x}, ${scale})`);
    }
  }
  assert.equal(roundHalfUp(2.675, 2), 2.68);
  assert.equal(roundHalfUp(-2.5, 0), -3);
  assert.ok(Object.is(roundHalfUp(-0.4, 0), 0));
});
