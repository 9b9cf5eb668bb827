import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/plan/capture-analysis.js';
import { shipFunction } from '../../src/plan/capture.js';

/** The free names of a function source, sorted. */
function freeNames(source: string): string[] {
  const analysis = analyzeSource(source);
  assert.equal(analysis.kind, 'function', analysis.kind === 'unshippable' ? analysis.reason : '');
  return analysis.kind === 'function' ? [...analysis.free.keys()].sort() : [];
}

test('parameters, including destructuring, defaults and rest, are not free', () => {
  assert.deepEqual(
    freeNames('({ a, b: [c, { d }], ...e }, [f = g, , ...h] = [], i = f, ...j) => a + c + d + e + f + h + i + j'),
    ['g'],
  );
});

test('a default value cannot see the body: `function f(a = b) { var b }` reads an outer b', () => {
  assert.deepEqual(freeNames('function f(a = b) { var b = 1; return a + b; }'), ['b']);
});

test('var, let, const, function and class declarations bind their names, with hoisting', () => {
  const source = `function () {
    use(later(), hoisted, Klass, early);
    { var hoisted = 1; }
    function later() { return 2; }
    class Klass {}
    const early = 3;
    let { x, y: [z] } = {};
    return x + z;
  }`;
  assert.deepEqual(freeNames(source), ['use']);
});

test('block-scoped names do not leak out of their block', () => {
  assert.deepEqual(freeNames('() => { { let inner = 1; const c = 2; function g() {} } return inner + c + g(); }'), [
    'c',
    'g',
    'inner',
  ]);
});

test('closures over the function own locals are not free, at any depth', () => {
  assert.deepEqual(
    freeNames('(x) => { const k = 2; return [1].map((y) => () => function () { return x * y * k; }); }'),
    [],
  );
});

test('loop heads bind their names: for-let, for-of, for-in', () => {
  assert.deepEqual(
    freeNames(
      '(xs) => { for (let i = 0; i < 3; i++) xs.push(i); for (const [k, v] of xs) k + v; for (var p in xs) p; return i; }',
    ),
    ['i'],
  );
});

test('catch parameters, including destructured ones, are bound in the handler only', () => {
  assert.deepEqual(
    freeNames('() => { try { f(); } catch ({ message }) { return message; } try {} catch (e) {} return e; }'),
    ['e', 'f'],
  );
  assert.deepEqual(freeNames('() => { try { } catch { } }'), []);
});

test('switch cases share one block scope', () => {
  assert.deepEqual(freeNames('(x) => { switch (x) { case 1: let y = 2; break; default: return y + z; } }'), ['z']);
});

test('a named function expression sees its own name; a method does not see its key', () => {
  assert.deepEqual(freeNames('function fact(n) { return n < 2 ? 1 : n * fact(n - 1); }'), []);
  assert.deepEqual(freeNames('fact(n) { return n < 2 ? 1 : n * fact(n - 1); }'), ['fact']);
});

test('class bodies: the class name, methods, fields, static blocks, computed keys and extends', () => {
  const source = `() => {
    class Point extends Base {
      static origin = new Point(0, 0);
      #secret = seed;
      [keyName]() { return this.#secret; }
      static { var inStatic = 1; helper(inStatic); }
      constructor(x, y) { super(); this.x = x; this.y = y; }
      clone() { return new Point(this.x, this.y); }
    }
    return new Point(1, 2);
  }`;
  assert.deepEqual(freeNames(source), ['Base', 'helper', 'keyName', 'seed']);
});

test('labels, member property names and object keys are not references; shorthand properties and computed keys are', () => {
  assert.deepEqual(
    freeNames(
      '(x) => { outer: for (const y of x) { if (y) continue outer; break outer; } return { a: x.b.c, d, [e]: 1, "f": x?.g, h() {} }; }',
    ),
    ['d', 'e'],
  );
  assert.deepEqual(freeNames('(o) => { ({ p: q } = o); return q; }'), ['q']);
});

test('arguments is bound in functions; this and new.target are not variables', () => {
  assert.deepEqual(freeNames('function () { return arguments.length + this.x + (new.target ? 1 : 0); }'), []);
  assert.deepEqual(freeNames('(x) => this.y + x'), []);
  assert.deepEqual(freeNames('() => arguments[0]'), ['arguments']);
});

test('typeof and delete targets, template and tagged template expressions are references', () => {
  assert.deepEqual(freeNames('() => [typeof t, `${u}`, tag`x`, delete obj.p]'), ['obj', 't', 'tag', 'u']);
});

test('real functions: hoisted inner functions and closures over inner variables ship without captures', () => {
  function outerStyle(n: number) {
    let total = 0;
    for (let i = 0; i < n; i += 1) total += square(i);
    return total;
    function square(v: number) {
      return v * v;
    }
  }
  assert.equal(shipFunction(outerStyle, { label: 'map()' }).kind, 'source');
});
