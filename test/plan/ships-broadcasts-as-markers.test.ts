import { test } from 'node:test';
import assert from 'node:assert/strict';
import { broadcastIdsOf, isBroadcastSource, shipFunction } from '../../src/plan/capture.js';
import type { BroadcastMarker } from '../../src/protocol/shipped-function.js';
import { ModuleFunction } from '../../src/plan/module-function.js';

/** A stand-in for the api's Broadcast: a handle with a method, which a structured clone could not carry. */
class FakeBroadcast<T> {
  readonly id: number;
  readonly value: T;
  constructor(id: number, value: T) {
    this.id = id;
    this.value = value;
  }
  toBroadcastMarker(): BroadcastMarker {
    return { kindlingBroadcastId: this.id };
  }
}

test('a capture with toBroadcastMarker() ships as its marker, other captures as given', () => {
  const big = new FakeBroadcast(7, new Set(['x']));
  const small = [1, 2];
  const shipped = shipFunction((w: string) => big.value.has(w) && small.length > 0, {
    label: 'filter()',
    captures: { big, small },
  });
  assert.ok(shipped.kind === 'source');
  assert.deepEqual(shipped.captures.big, { kindlingBroadcastId: 7 });
  assert.equal(shipped.captures.small, small);
  assert.ok(isBroadcastSource(big));
  assert.ok(!isBroadcastSource(small));
});

test('broadcastIdsOf lists the marker ids among the captures, in capture order', () => {
  const shipped = shipFunction((x: number) => x, {
    label: 'map()',
    captures: { a: new FakeBroadcast(3, 1), b: 'plain', c: new FakeBroadcast(1, 2) },
  });
  assert.deepEqual(broadcastIdsOf(shipped), [3, 1]);
  assert.deepEqual(broadcastIdsOf(shipFunction(String, { label: 'map()' })), []);
  const moduleFn = shipFunction(new ModuleFunction('file:///tmp/udf.mjs', 'parse'), { label: 'map()' });
  assert.deepEqual(broadcastIdsOf(moduleFn), []);
});
