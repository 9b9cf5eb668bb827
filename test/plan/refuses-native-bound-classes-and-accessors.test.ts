import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shipFunction } from '../../src/plan/capture.js';
import { PlanError } from '../../src/common/errors.js';

function refusal(fn: unknown): PlanError {
  try {
    shipFunction(fn, { label: 'map()' });
  } catch (error) {
    assert.ok(error instanceof PlanError);
    return error;
  }
  assert.fail('expected a PlanError');
}

test('a value that is not a function is refused, described', () => {
  const error = refusal(42);
  assert.equal(error.code, 'ERR_PLAN_NOT_A_FUNCTION');
  assert.equal(error.message, 'map() expects a function, found 42');
  assert.equal(refusal('x => x').message, 'map() expects a function, found "x => x"');
  assert.equal(refusal(undefined).message, 'map() expects a function, found undefined');
});

test('a native function that is not a standard global is refused, with the fix', () => {
  const error = refusal([].push);
  assert.equal(error.code, 'ERR_PLAN_UNSHIPPABLE_FUNCTION');
  assert.match(error.message, /^map\(\) cannot ship function `push`: it is native or bound/);
  assert.match(error.message, /pass an arrow function that calls it/);
  assert.match(error.message, /kc\.fn\(url, name\)/);
});

test('a bound function is refused: its source is not the code it runs', () => {
  const add = (a: number, b: number) => a + b;
  const error = refusal(add.bind(null, 1));
  assert.equal(error.code, 'ERR_PLAN_UNSHIPPABLE_FUNCTION');
  assert.match(error.message, /cannot ship function `bound add`/);
});

test('a class is refused', () => {
  class Parser {
    parse(x: string) {
      return x;
    }
  }
  const error = refusal(Parser);
  assert.equal(error.code, 'ERR_PLAN_UNSHIPPABLE_FUNCTION');
  assert.match(error.message, /^map\(\) cannot ship this function: it is a class `Parser`/);
});

test('getters and setters are refused', () => {
  const holder = {
    get size() {
      return 1;
    },
    set size(_v: number) {},
  };
  const descriptor = Object.getOwnPropertyDescriptor(holder, 'size');
  assert.match(refusal(descriptor?.get).message, /it is a getter/);
  assert.match(refusal(descriptor?.set).message, /it is a setter/);
});

test('an arrow using the arguments of an enclosing function is refused, suggesting rest parameters', () => {
  function outer(..._args: unknown[]) {
    // eslint-disable-next-line prefer-rest-params
    return () => arguments[0];
  }
  const error = refusal(outer());
  assert.equal(error.code, 'ERR_PLAN_UNSHIPPABLE_FUNCTION');
  assert.match(error.message, /uses `arguments` of the function around it/);
  assert.match(error.message, /rest parameters/);
});

test('a method using super is refused: its home object stays on the driver', () => {
  const base = {
    greet() {
      return 'hi';
    },
  };
  const derived = {
    __proto__: base,
    greet() {
      return super.greet() + '!';
    },
  };
  const error = refusal(derived.greet);
  assert.equal(error.code, 'ERR_PLAN_UNSHIPPABLE_FUNCTION');
  assert.match(error.message, /uses `super`/);
  assert.match(error.message, /\n {2}return super\.greet\(\) \+ '!';\n {9}\^$/);
});

test('super inside a class defined within the shipped function is fine', () => {
  const fn = () => {
    class A {
      f() {
        return 1;
      }
    }
    class B extends A {
      override f() {
        return super.f() + 1;
      }
    }
    return new B().f();
  };
  assert.equal(shipFunction(fn, { label: 'map()' }).kind, 'source');
});

test('import.meta is refused: the worker would see a different module', () => {
  const error = refusal(() => import.meta.url);
  assert.equal(error.code, 'ERR_PLAN_UNSHIPPABLE_FUNCTION');
  assert.match(error.message, /uses `import\.meta`/);
});

test('a function that does not parse as strict code is refused with the parser message', () => {
  // Sloppy-mode code (as from a CommonJS file) cannot run in a strict worker.
  const sloppy = new Function('x', 'with (x) { return y; }');
  const error = refusal(sloppy);
  assert.equal(error.code, 'ERR_PLAN_UNSHIPPABLE_FUNCTION');
  assert.match(error.message, /does not parse as a strict-mode function expression: .*'with'/);
});
