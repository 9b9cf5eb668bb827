import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shipFunction } from '../../src/plan/capture.js';

test('a function whose free names are all captured ships as its source with the captures as given', () => {
  const stop = new Set(['a', 'the']);
  const fn = (w: string) => !stop.has(w);
  const shipped = shipFunction(fn, { label: 'filter()', captures: { stop } });
  assert.equal(shipped.kind, 'source');
  assert.ok(shipped.kind === 'source');
  assert.equal(shipped.source, fn.toString());
  assert.equal(shipped.captures.stop, stop);
  assert.equal(shipped.label, 'filter()');
  assert.equal(shipped.deterministic, true);
});

test('unused capture names are fine', () => {
  const shipped = shipFunction((x: number) => x + 1, { label: 'map()', captures: { unused: 3 } });
  assert.ok(shipped.kind === 'source');
  assert.deepEqual(shipped.captures, { unused: 3 });
});

test('deterministic: false is recorded on every kind', () => {
  const shipped = shipFunction(() => Math.random(), { label: 'map()', deterministic: false });
  assert.equal(shipped.deterministic, false);
  assert.equal(shipFunction(Math.random, { label: 'map()', deterministic: false }).deterministic, false);
});

test('a function whose toString was replaced still ships its real source', () => {
  const fn = (x: number) => x * 2;
  fn.toString = () => 'evil';
  const shipped = shipFunction(fn, { label: 'map()' });
  assert.ok(shipped.kind === 'source');
  assert.equal(shipped.source, Function.prototype.toString.call(fn));
});
