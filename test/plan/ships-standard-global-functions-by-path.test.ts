import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shipFunction } from '../../src/plan/capture.js';

function pathOf(fn: unknown): string | undefined {
  const shipped = shipFunction(fn, { label: 'map()' });
  return shipped.kind === 'global' ? shipped.path : undefined;
}

test('top-level global functions ship by name', () => {
  assert.equal(pathOf(String), 'String');
  assert.equal(pathOf(Number), 'Number');
  assert.equal(pathOf(Boolean), 'Boolean');
  assert.equal(pathOf(BigInt), 'BigInt');
  assert.equal(pathOf(parseInt), 'parseInt');
  assert.equal(pathOf(parseFloat), 'parseFloat');
  assert.equal(pathOf(encodeURIComponent), 'encodeURIComponent');
  assert.equal(pathOf(decodeURIComponent), 'decodeURIComponent');
});

test('functions of global namespaces ship by dotted path', () => {
  assert.equal(pathOf(Math.max), 'Math.max');
  assert.equal(pathOf(Math.abs), 'Math.abs');
  assert.equal(pathOf(JSON.stringify), 'JSON.stringify');
  assert.equal(pathOf(JSON.parse), 'JSON.parse');
  assert.equal(pathOf(Object.keys), 'Object.keys');
  assert.equal(pathOf(Object.entries), 'Object.entries');
  assert.equal(pathOf(Array.isArray), 'Array.isArray');
  assert.equal(pathOf(Array.from), 'Array.from');
  assert.equal(pathOf(String.fromCharCode), 'String.fromCharCode');
  assert.equal(pathOf(Number.isInteger), 'Number.isInteger');
});

test('an alias ships under its top-level name', () => {
  assert.equal(Number.parseFloat, parseFloat);
  assert.equal(pathOf(Number.parseFloat), 'parseFloat');
});

test('a user function named like a global is shipped as source, not as the global', () => {
  const max = (a: number, b: number) => (a > b ? a : b);
  assert.equal(shipFunction(max, { label: 'reduce()' }).kind, 'source');
});
