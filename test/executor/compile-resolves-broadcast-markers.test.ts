import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFunction } from '../../src/executor/compile-function.js';
import { shipFunction } from '../../src/plan/capture.js';
import type { BroadcastMarker, ShippedFunction } from '../../src/protocol/shipped-function.js';

/** Declared for the type checker only: inside the shipped function `factor` is a capture. */
const factor = 0;

test('broadcast markers among the captures are replaced by what resolveBroadcast returns', async () => {
  const lookup = {
    toBroadcastMarker: (): BroadcastMarker => ({ kindlingBroadcastId: 9 }),
  };
  const shipped = shipFunction((w: string) => (lookup as any).value.get(w) ?? factor, {
    label: 'map()',
    captures: { lookup, factor: 0 },
  });
  const received = structuredClone(shipped) as ShippedFunction;
  const asked: number[] = [];
  const compiled = await compileFunction(received, (marker) => {
    asked.push(marker.kindlingBroadcastId);
    return { value: new Map([['a', 1]]) };
  });
  assert.deepEqual(asked, [9]);
  assert.equal(compiled('a'), 1);
  assert.equal(compiled('b'), 0);
});
