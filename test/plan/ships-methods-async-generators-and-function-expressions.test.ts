import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shipFunction } from '../../src/plan/capture.js';

/** Evaluates a shipped source expression the way a worker does, without captures. */
function evaluate(fn: unknown): (...args: any[]) => any {
  const shipped = shipFunction(fn, { label: 'map()' });
  assert.ok(shipped.kind === 'source');
  return new Function(`"use strict";\nreturn (\n${shipped.source}\n);`)() as (...args: any[]) => any;
}

test('method shorthand ships as an expression that evaluates to the method', () => {
  const holder = {
    double(x: number) {
      return x * 2;
    },
  };
  assert.equal(evaluate(holder.double)(21), 42);
});

test('methods named like keywords or with string keys work', () => {
  const holder = {
    get(x: number) {
      return x + 1;
    },
    'with space'(x: number) {
      return x + 2;
    },
    async(x: number) {
      return x + 3;
    },
  };
  assert.equal(evaluate(holder.get)(1), 2);
  assert.equal(evaluate(holder['with space'])(1), 3);
  assert.equal(evaluate(holder.async)(1), 4);
});

test('a method with a computed key is re-declared under a fixed key, so its key expression never runs', () => {
  const key = 'computed';
  const holder = {
    [key](x: number) {
      return x * 3;
    },
  };
  const shipped = shipFunction(holder[key], { label: 'map()' });
  assert.ok(shipped.kind === 'source');
  assert.doesNotMatch(shipped.source, /\[key\]/);
  assert.equal(evaluate(holder[key])(2), 6);
});

test('async arrows, functions, methods and async generators are refused: tasks call functions synchronously', () => {
  const holder = {
    async method(x: number) {
      return x + 2;
    },
    async *later(x: number) {
      yield x;
    },
  };
  const candidates: unknown[] = [
    async (x: number) => x + 1,
    async function named(x: number) {
      return x + 3;
    },
    holder.method,
    holder.later,
  ];
  for (const fn of candidates) {
    assert.throws(
      () => shipFunction(fn, { label: 'map()' }),
      (error: unknown) =>
        (error as { code?: string }).code === 'ERR_PLAN_UNSHIPPABLE_FUNCTION' &&
        /map\(\) was given an async function/.test((error as Error).message),
    );
  }
});

test('generator functions and generator methods ship', () => {
  function* upTo(n: number) {
    for (let i = 0; i < n; i += 1) yield i;
  }
  const holder = {
    *twice(x: number) {
      yield x;
      yield x;
    },
  };
  assert.deepEqual([...evaluate(upTo)(3)], [0, 1, 2]);
  assert.deepEqual([...evaluate(holder.twice)(7)], [7, 7]);
});

test('function expressions and declarations ship, named and anonymous', () => {
  function declared(x: number) {
    return x - 1;
  }
  assert.equal(evaluate(declared)(1), 0);
  assert.equal(
    evaluate(function (x: number) {
      return x * x;
    })(3),
    9,
  );
});

test('a line comment inside the source survives the wrapper', () => {
  // Made from text: the build strips comments from this file's own functions (tsconfig.json `removeComments`).
  const fn = new Function(
    "return (x) => x // the comment is inside the arrow's source text when it ends a line\n + 1;",
  )();
  assert.match(String(fn), /\/\/ the comment/);
  assert.equal(evaluate(fn)(1), 2);
});
