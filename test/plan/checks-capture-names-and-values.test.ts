import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shipFunction } from '../../src/plan/capture.js';
import { PlanError } from '../../src/common/errors.js';

function refusal(captures: unknown): PlanError {
  try {
    shipFunction((x: unknown) => x, { label: 'map()', captures: captures as Record<string, unknown> });
  } catch (error) {
    assert.ok(error instanceof PlanError);
    return error;
  }
  assert.fail('expected a PlanError');
}

test('captures must be an object of named values', () => {
  for (const bad of [42, 'stop', null, [1, 2]]) {
    const error = refusal(bad);
    assert.equal(error.code, 'ERR_PLAN_INVALID_ARGUMENT');
    assert.match(
      error.message,
      /^map\(\) expects its captures as an object of named values such as \{ stop \}, found /,
    );
  }
});

test('capture names must be identifiers and not reserved words', () => {
  const notIdentifier = refusal({ 'my-set': 1 });
  assert.equal(notIdentifier.code, 'ERR_PLAN_INVALID_ARGUMENT');
  assert.match(notIdentifier.message, /capture name "my-set" is not a JavaScript identifier/);
  for (const word of ['let', 'class', 'yield', 'await', 'eval', 'arguments', 'static', 'null']) {
    const error = refusal({ [word]: 1 });
    assert.equal(error.code, 'ERR_PLAN_INVALID_ARGUMENT');
    assert.match(error.message, new RegExp(`capture name \`${word}\` is a reserved word`));
  }
  assert.match(refusal({ [Symbol('s')]: 1 }).message, /symbol key/);
});

test('unicode and dollar identifiers are fine', () => {
  const shipped = shipFunction((x: number) => x, { label: 'map()', captures: { $el: 1, _x: 2, café: 3, ñ: 4 } });
  assert.equal(shipped.kind, 'source');
});

test('a captured function is refused, naming the capture and the fix', () => {
  const error = refusal({ parse: (s: string) => s });
  assert.equal(error.code, 'ERR_PLAN_UNSHIPPABLE_FUNCTION');
  assert.match(error.message, /^map\(\) cannot capture `parse`: it holds a function, and functions cannot be copied/);
  assert.match(error.message, /kc\.fn\(url, name\)/);
});

test('a function nested in a captured object, array or Map is found, with its path', () => {
  assert.match(
    refusal({ opts: { steps: [1, { run: () => 1 }] } }).message,
    /cannot capture `opts`: .*\(at `opts\.steps\[1\]\.run`\)/,
  );
  assert.match(refusal({ table: new Map([['k', () => 1]]) }).message, /\(at `table\.get\("k"\)`\)/);
  assert.match(refusal({ set: new Set([() => 1]) }).message, /\(at `set\.values\(\)\[0\]`\)/);
});

test('symbols and weak collections are refused', () => {
  assert.match(refusal({ s: Symbol('x') }).message, /holds a symbol/);
  assert.match(refusal({ w: new WeakMap() }).message, /holds a WeakMap/);
  assert.match(refusal({ p: Promise.resolve(1) }).message, /holds a Promise/);
});

test('a class instance with methods is refused: the clone would drop its methods', () => {
  class Vocabulary {
    words = ['a'];
    has(w: string) {
      return this.words.includes(w);
    }
  }
  const error = refusal({ vocab: new Vocabulary() });
  assert.equal(error.code, 'ERR_PLAN_INVALID_ARGUMENT');
  assert.match(error.message, /cannot capture `vocab`: it holds an instance of class Vocabulary/);
});

test('plain data, Map, Set, Date, RegExp, typed arrays, cycles and null-prototype objects are fine', () => {
  const cyclic: Record<string, unknown> = { n: 1 };
  cyclic.self = cyclic;
  const captures = {
    m: new Map([['a', { b: [1, 2n] }]]),
    s: new Set([1, 'x']),
    d: new Date(0),
    r: /x/g,
    t: new Float64Array(2),
    cyclic,
    bare: Object.assign(Object.create(null) as object, { a: 1 }),
    nothing: null,
    u: undefined,
    e: new Error('e'),
  };
  assert.equal(shipFunction((x: unknown) => x, { label: 'map()', captures }).kind, 'source');
});

test('the capture check runs even when the function is fine, before any free-variable check', () => {
  assert.match(refusal({ f: () => 1 }).message, /cannot capture `f`/);
});
