import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shipFunction } from '../../src/plan/capture.js';
import { compileFunction } from '../../src/executor/compile-function.js';
import type { CompiledFunction } from '../../src/executor/compile-function.js';
import type { ShippedFunction } from '../../src/protocol/shipped-function.js';

const noBroadcasts = () => assert.fail('no broadcast expected');

/** Declared for the type checker only: inside shipped functions `base` is always a capture. */
const base = 0;

/** Ships `fn` on the "driver", copies it as a worker would receive it, and compiles it there. */
async function roundTrip(fn: unknown, captures?: Record<string, unknown>): Promise<CompiledFunction> {
  const shipped = shipFunction(fn, { label: 'map()', captures });
  const received = structuredClone(shipped) as ShippedFunction;
  return compileFunction(received, noBroadcasts);
}

test('a plain arrow behaves the same after the round trip', async () => {
  const fn = (x: number) => x * 2 + 1;
  const compiled = await roundTrip(fn);
  for (const x of [0, 1, -5, 2.5]) assert.equal(compiled(x), fn(x));
});

test('captured Set, Map and Date values work after a structured clone', async () => {
  const stop = new Set(['the', 'a']);
  const weights = new Map([['x', 2]]);
  const epoch = new Date('2020-01-01T00:00:00Z');
  const filter = await roundTrip((w: string) => !stop.has(w), { stop });
  assert.deepEqual(['the', 'cat', 'a'].filter(filter), ['cat']);
  const weigh = await roundTrip((w: string) => weights.get(w) ?? 1, { weights });
  assert.deepEqual(['x', 'y'].map(weigh), [2, 1]);
  const after = await roundTrip((ms: number) => ms > epoch.getTime(), { epoch });
  assert.equal(after(Date.UTC(2021, 0, 1)), true);
  assert.equal(after(0), false);
});

test('pairs, destructuring and defaults behave the same', async () => {
  const fn = ([k, v]: [string, number], scale = 10) => [k.toUpperCase(), v * scale] as const;
  const compiled = await roundTrip(fn);
  assert.deepEqual(compiled(['a', 2]), fn(['a', 2]));
});

test('a reducer with captures behaves the same', async () => {
  const offset = 100;
  const fn = (a: number, b: number) => a + b + offset;
  const compiled = await roundTrip(fn, { offset });
  assert.equal(
    [1, 2, 3].reduce((a, b) => compiled(a, b)),
    [1, 2, 3].reduce(fn),
  );
});

test('inner functions, hoisting and closures over locals behave the same', async () => {
  function wordLengths(line: string) {
    const words = line.split(/\s+/).filter(nonEmpty);
    return words.map((w) => [w, len(w)]);
    function nonEmpty(w: string) {
      return w.length > 0;
    }
    function len(w: string) {
      return w.length;
    }
  }
  const compiled = await roundTrip(wordLengths);
  assert.deepEqual(compiled('  to be  or '), wordLengths('  to be  or '));
});

test('method shorthand and generator functions behave the same', async () => {
  const holder = {
    triple(x: number) {
      return x * 3;
    },
    *explode(x: string) {
      yield* x.split('');
    },
  };
  assert.equal((await roundTrip(holder.triple))(4), 12);
  assert.deepEqual([...(await roundTrip(holder.explode))('ab')], ['a', 'b']);
});

test('a named recursive function expression behaves the same', async () => {
  const compiled = await roundTrip(function fib(n: number): number {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  });
  assert.equal(compiled(10), 55);
});

test('a try/catch with a destructured catch parameter behaves the same', async () => {
  const fn = (s: string) => {
    try {
      return JSON.parse(s) as unknown;
    } catch ({ name }: any) {
      return name as string;
    }
  };
  const compiled = await roundTrip(fn);
  assert.equal(compiled('{'), 'SyntaxError');
  assert.deepEqual(compiled('[1]'), [1]);
});

test('a class defined inside the function behaves the same', async () => {
  const fn = (x: number) => {
    class Box {
      readonly v: number;
      constructor(v: number) {
        this.v = v;
      }
      twice() {
        return this.v * 2;
      }
    }
    return new Box(x).twice();
  };
  assert.equal((await roundTrip(fn))(21), 42);
});

test('compiled code is strict: assigning to an undeclared name throws', async () => {
  // Built from text, since the driver-side check would refuse such a function outright.
  const shipped: ShippedFunction = {
    kind: 'source',
    label: 'map()',
    source: '(x) => { leaked = x; return x; }',
    captures: {},
    deterministic: true,
  };
  const compiled = await compileFunction(shipped, noBroadcasts);
  assert.throws(() => compiled(1), ReferenceError);
  assert.equal('leaked' in globalThis, false);
});

test('each compile gives a fresh closure over its own capture values', async () => {
  const shipped = shipFunction((x: number) => x + base, { label: 'map()', captures: { base: 1 } });
  assert.ok(shipped.kind === 'source');
  const one = await compileFunction(shipped, noBroadcasts);
  const two = await compileFunction({ ...shipped, captures: { base: 10 } }, noBroadcasts);
  assert.equal(one(1), 2);
  assert.equal(two(1), 11);
});

test('standard globals round-trip by path', async () => {
  assert.equal((await roundTrip(String))(12), '12');
  assert.equal((await roundTrip(Math.max))(1, 5, 3), 5);
  assert.deepEqual((await roundTrip(JSON.parse))('{"a":1}'), { a: 1 });
  assert.deepEqual((await roundTrip(Object.keys))({ a: 1, b: 2 }), ['a', 'b']);
  assert.deepEqual(['1', '2'].map(await roundTrip(Number)), [1, 2]);
});
