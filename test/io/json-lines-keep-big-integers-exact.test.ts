import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../src/common/rng.js';
import { exactJsonValue } from '../../src/io/parsing/json-exact-values.js';

const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`json-lines-keep-big-integers-exact: SEED=${SEED}`);

/** Writes `value` as JSON text, a bigint as its digits (what a JSON producer writes for a 64-bit id). */
function jsonOf(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(jsonOf).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonOf(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const INT64_MAX = 2n ** 63n - 1n;

/** A random JSON value: big integers as bigints (past ±2^53, within int64), everything else as JSON.parse gives it. */
function randomValue(rng: Rng, depth: number): unknown {
  const pick = rng.nextInt(depth > 2 ? 6 : 8);
  switch (pick) {
    case 0: {
      const magnitude = 2n ** 53n + BigInt(rng.nextInt(1_000_000)) * BigInt(rng.nextInt(2 ** 30) + 1);
      const value = magnitude > INT64_MAX ? INT64_MAX : magnitude;
      return rng.nextFloat() < 0.5 ? -value : value;
    }
    case 1:
      return rng.nextInt(2 ** 31) - 2 ** 30; // small integers stay numbers
    case 2:
      return rng.nextFloat() * 1e6; // fractions stay numbers
    case 3: // strings with long digit runs, escapes and quotes stay strings
      return `${rng.nextInt(1e9)}${rng.nextInt(1e9)}${rng.nextInt(1e9)} "q" \\ \u00e9 ${String.fromCharCode(rng.nextInt(32))}`;
    case 4:
      return [true, false, null][rng.nextInt(3)];
    case 5:
      return 9_007_199_254_740_000 + rng.nextInt(900); // 16 digits, below 2^53: a number
    case 6:
      return Array.from({ length: rng.nextInt(4) }, () => randomValue(rng, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = rng.nextInt(5); i > 0; i--) {
        const key = ['id', '__proto__', 'n', 'a b', 'ünï', String(rng.nextInt(10))][rng.nextInt(6)]!;
        Object.defineProperty(object, key, {
          value: randomValue(rng, depth + 1),
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

test('integers past 2^53 in a JSON line come back exact, as bigints; everything else as JSON.parse gives it', () => {
  const rng = new Rng(SEED);
  let exactOnes = 0;
  for (let i = 0; i < 3_000; i++) {
    const value = randomValue(rng, 0);
    const line = jsonOf(value);
    const parsed = exactJsonValue(line, JSON.parse(line));
    assert.deepStrictEqual(parsed, value, `line ${line}, SEED=${SEED}`);
    if (JSON.stringify(parsed, (_k, v: unknown) => (typeof v === 'bigint' ? 'BIG' : v)).includes('BIG')) exactOnes++;
  }
  assert.ok(exactOnes > 300, `${exactOnes} of the lines held a big integer`);
});

test('the rules at the edges: 2^53 and past, int64 bounds, exponent and fraction forms, repeated keys', () => {
  const cases: [string, unknown][] = [
    ['9007199254740991', 9007199254740991], // 2^53 - 1: a safe number
    ['9007199254740992', 9007199254740992n], // 2^53: may have rounded, so exact
    ['-9007199254740993', -9007199254740993n],
    ['9223372036854775807', 9223372036854775807n], // int64 max
    ['-9223372036854775808', -9223372036854775808n], // int64 min
    ['9223372036854775808', 2 ** 63], // past int64: a number, as the batch reader's float64
    ['12345678901234567e3', Number('12345678901234567e3')], // exponent form: a number as written
    ['[1234567890123456789.0]', [Number('1234567890123456789.0')]], // a fraction form: a number
    ['{"id":1,"id":12345678901234567891}', { id: Number('12345678901234567891') }], // last key wins; past int64
    ['{"id":"1234567890123456789","n":1234567890123456789}', { id: '1234567890123456789', n: 1234567890123456789n }],
    [' { "a" : [ 1 , { "b" : 99999999999999999 } ] } ', { a: [1, { b: 99999999999999999n }] }],
  ];
  for (const [line, expected] of cases) {
    assert.deepStrictEqual(exactJsonValue(line, JSON.parse(line)), expected, line);
  }
});
