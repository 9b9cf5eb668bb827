import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFunction, COMPILED_FACTORIES_MAX } from '../../src/executor/compile-function.js';
import type { ShippedFunction } from '../../src/protocol/shipped-function.js';

const noBroadcasts = () => assert.fail('no broadcast expected');

function source(text: string, captures: Record<string, unknown> = {}): ShippedFunction {
  return { kind: 'source', label: 'reduceByKey()', source: text, captures, deterministic: true };
}

test('a source that does not compile names the label and the syntax error', async () => {
  await assert.rejects(compileFunction(source('(a, b) => a +'), noBroadcasts), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.match(error.message, /^reduceByKey\(\): the shipped function does not compile in the worker thread: /);
    assert.ok(error.cause instanceof SyntaxError);
    return true;
  });
});

test('a source that evaluates to something other than a function is reported', async () => {
  await assert.rejects(compileFunction(source('42'), noBroadcasts), {
    message: 'reduceByKey(): the shipped source evaluates to 42, not to a function',
  });
});

test('a global path that is not a function in the worker is reported', async () => {
  const shipped: ShippedFunction = { kind: 'global', label: 'map()', path: 'Math.nothing', deterministic: true };
  await assert.rejects(compileFunction(shipped, noBroadcasts), {
    message: 'map(): globalThis.Math.nothing is not a function in this worker thread, found undefined',
  });
  const deep: ShippedFunction = { kind: 'global', label: 'map()', path: 'nothing.at.all', deterministic: true };
  await assert.rejects(compileFunction(deep, noBroadcasts), /globalThis\.nothing\.at\.all is not a function/);
});

test('many distinct sources compile correctly past the factory cache bound', async () => {
  for (let i = 0; i < COMPILED_FACTORIES_MAX + 10; i += 1) {
    const compiled = await compileFunction(source(`(x) => x + ${i}`), noBroadcasts);
    assert.equal(compiled(0), i);
  }
  const again = await compileFunction(source('(x) => x + 0'), noBroadcasts);
  assert.equal(again(5), 5);
});

test('capture names decide the factory: the same source with other capture names compiles anew', async () => {
  const a = await compileFunction(source('() => typeof k', { k: 1 }), noBroadcasts);
  const b = await compileFunction(source('() => typeof k', { j: 1 }), noBroadcasts);
  assert.equal(a(), 'number');
  assert.equal(b(), 'undefined');
});
