import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shipFunction } from '../../src/plan/capture.js';
import { PlanError } from '../../src/common/errors.js';

const stop = new Set(['the']);
const a = 1;
const b = 2;
const c = 3;

function planError(run: () => unknown): PlanError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PlanError, `expected a PlanError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a PlanError, nothing was thrown');
}

test('one missing name: the message names it and shows the fix, then quotes the line with a caret', () => {
  const error = planError(() => shipFunction((w: string) => !stop.has(w), { label: 'filter()' }));
  assert.equal(error.code, 'ERR_PLAN_FREE_VARIABLE');
  assert.equal(
    error.message,
    [
      'filter() uses `stop`, which a worker thread cannot see: pass it as filter(fn, { stop })',
      '  (w) => !stop.has(w)',
      '          ^',
    ].join('\n'),
  );
});

test('several missing names are all listed, in source order', () => {
  const two = planError(() => shipFunction((x: number) => x + a + b, { label: 'map()' }));
  assert.equal(
    two.message.split('\n')[0],
    'map() uses `a` and `b`, which a worker thread cannot see: pass them as map(fn, { a, b })',
  );
  const three = planError(() => shipFunction((x: number) => c * x + b + a, { label: 'map()' }));
  assert.equal(
    three.message.split('\n')[0],
    'map() uses `c`, `b` and `a`, which a worker thread cannot see: pass them as map(fn, { c, b, a })',
  );
});

test('the suggested fix keeps the captures already passed', () => {
  const error = planError(() => shipFunction((x: number) => x + a + b, { label: 'map()', captures: { a } }));
  assert.equal(
    error.message.split('\n')[0],
    'map() uses `b`, which a worker thread cannot see: pass it as map(fn, { a, b })',
  );
});

test('the quoted line is the line of the first missing name, trimmed of its indentation', () => {
  const fn = (x: number) => {
    const y = x * 2;
    return y + b;
  };
  const lines = planError(() => shipFunction(fn, { label: 'map()' })).message.split('\n');
  assert.equal(lines[1], '  return y + b;');
  assert.equal(lines[2], '             ^');
});

test('a long source line is cut to a window that keeps the caret under the name', () => {
  // prettier-ignore
  const fn = (x: number) => x + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 20 + 21 + 22 + 23 + 24 + 25 + b + 26 + 27 + 28 + 29 + 30 + 31 + 32 + 33 + 34 + 35 + 36 + 37 + 38 + 39 + 40;
  const lines = planError(() => shipFunction(fn, { label: 'map()' })).message.split('\n');
  const quoted = lines[1] ?? '';
  const caret = lines[2] ?? '';
  assert.ok(quoted.length <= 102, `quoted line is ${quoted.length} chars`);
  assert.ok(quoted.startsWith('  …') && quoted.endsWith('…'));
  assert.equal(quoted[caret.indexOf('^')], 'b');
});

test('typeof of an undeclared name is still reported: the worker would silently see undefined', () => {
  // @ts-expect-error -- the name is deliberately undeclared
  const error = planError(() => shipFunction(() => typeof undeclaredThing, { label: 'filter()' }));
  assert.equal(error.code, 'ERR_PLAN_FREE_VARIABLE');
  assert.match(error.message, /^filter\(\) uses `undeclaredThing`/);
});

test('assigning to an outer variable is reported too', () => {
  let counter = 0;
  const error = planError(() =>
    shipFunction(
      () => {
        counter += 1;
      },
      { label: 'foreach()' },
    ),
  );
  assert.match(error.message, /^foreach\(\) uses `counter`/);
  assert.equal(counter, 0);
});

test('require is rejected with a hint on what to do instead; process is a standard global (issue 12)', () => {
  const error = planError(() =>
    shipFunction((x: string) => (process.env.HOME ?? '') + (typeof require === 'function' ? x : ''), {
      label: 'map()',
    }),
  );
  assert.equal(error.code, 'ERR_PLAN_FREE_VARIABLE');
  const lines = error.message.split('\n');
  assert.equal(lines[0], 'map() uses `require`, which a worker thread cannot see: pass it as map(fn, { require })');
  assert.ok(lines.some((line) => line.startsWith('hint: CommonJS names')));
});

test('a label that is more than a call gets the captures to pass, without a made-up call', () => {
  const error = planError(() => shipFunction((acc: number, x: number) => acc + x + b, { label: 'aggregate() seqOp' }));
  assert.equal(
    error.message.split('\n')[0],
    'aggregate() seqOp uses `b`, which a worker thread cannot see: pass it as captures: { b }',
  );
});
