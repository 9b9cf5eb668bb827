import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shipFunction } from '../../src/plan/capture.js';

test('ECMAScript and worker-visible Node globals need no capture', () => {
  const fn = (x: string) => {
    const parsed = JSON.parse(x) as unknown;
    const n = Math.max(Number(parsed), parseInt('1', 10), parseFloat('2'), NaN, Infinity);
    const m = new Map<string, Set<number>>();
    const d = new Date(0);
    const r = /x/.test(String(x)) ? RegExp('y') : undefined;
    const bytes = new TextEncoder().encode(x);
    const back = new TextDecoder().decode(new Uint8Array(bytes));
    const url = new URL('file:///x').href + new URLSearchParams('a=1').toString();
    const buf = Buffer.from(back).toString('hex');
    const copy = structuredClone({ n, m, d, r });
    const keys = Object.keys(copy).concat(Array.from('ab'), Reflect.ownKeys({}) as string[]);
    const sym = Symbol('s').toString() + BigInt(1).toString() + String(isNaN(1)) + String(isFinite(1));
    const enc = encodeURIComponent(decodeURIComponent('%20')) + encodeURI(decodeURI('x'));
    if (!Array.isArray(keys)) throw new TypeError('never');
    console.log(url, buf, sym, enc, globalThis === undefined, new Intl.NumberFormat().format(1));
    return new Promise((resolve) => setTimeout(resolve, 0)).then(() => queueMicrotask(() => clearTimeout(undefined)));
  };
  assert.equal(shipFunction(fn, { label: 'map()' }).kind, 'source');
});

test('errors, typed arrays and shared memory are allowed', () => {
  const fn = () => [
    new Error('e'),
    new RangeError('r'),
    new TypeError('t'),
    new SyntaxError('s'),
    new Float64Array(1),
    new BigInt64Array(1),
    new DataView(new ArrayBuffer(8)),
    new SharedArrayBuffer(8),
    Atomics.load(new Int32Array(1), 0),
    new WeakMap(),
  ];
  assert.equal(shipFunction(fn, { label: 'map()' }).kind, 'source');
});
