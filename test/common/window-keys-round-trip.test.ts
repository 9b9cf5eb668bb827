import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { windowKey, windowOf, windowStartOf, windowStateRow } from '../../src/common/window-keys.js';
import { KeyMap } from '../../src/common/keys.js';

const KEYS: unknown[] = [
  'page',
  '',
  'a|b', // the separator inside a key
  '"quoted" \\ back|slash\u0000',
  'ünïcödé 🔥',
  0,
  -0,
  -17,
  1.5,
  1e21,
  Number.MAX_SAFE_INTEGER,
  NaN,
  Infinity,
  -Infinity,
  12345678901234567890n,
  -5n,
  true,
  false,
  null,
  undefined,
];
const STARTS = [0, 60_000, -30_000, 1_767_225_600_000, 0.5];

test('a window of any primitive key travels as one string and comes back as [key, windowStartMs]', () => {
  for (const key of KEYS) {
    for (const start of STARTS) {
      const inside = windowKey(key, start);
      assert.equal(typeof inside, 'string', `${String(key)}`);
      const [back, backStart] = windowOf(inside);
      assert.ok(
        Object.is(back, key) || (Object.is(key, -0) && back === 0),
        `${String(key)} came back as ${String(back)}`,
      );
      assert.equal(backStart, start);
      assert.equal(windowStartOf(inside), start);
      assert.deepEqual(windowStateRow({ key: inside, value: 3, updatedMs: 9 }), {
        key: back,
        windowStartMs: start,
        value: 3,
        updatedMs: 9,
      });
    }
  }
});

test('windows are equal inside exactly when their keys are equal by value and their starts are equal', () => {
  const seen = new KeyMap<string>();
  for (const key of KEYS) for (const start of STARTS) seen.set(windowKey(key, start), `${String(key)}@${start}`);
  // 0 and -0 are one key (SameValueZero, as every keyed operation), every other pair differs.
  assert.equal(seen.size, (KEYS.length - 1) * STARTS.length);
  assert.notEqual(windowKey('1', 5), windowKey(1, 5));
  assert.notEqual(windowKey(1n, 5), windowKey(1, 5));
  assert.notEqual(windowKey('a|1', 5), windowKey('a', 15));
});

test('a composite key keeps the pair form', () => {
  const key = { user: 'u1', region: 'eu' };
  const inside = windowKey(key, 60_000);
  assert.deepEqual(inside, [key, 60_000]);
  assert.deepEqual(windowOf(inside), [key, 60_000]);
  assert.equal(windowStartOf(inside), 60_000);
});
