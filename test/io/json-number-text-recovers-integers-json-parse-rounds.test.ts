// `JSON.parse` reads 9007199254740993 (2^53 + 1) as 9007199254740992. The JSON readers recover such an integer
// from the line's text: the member's own number (not one of a nested object holding the same key, the last of
// repeated keys, keys compared decoded), read exactly while int64 holds it, and typed int64 or float64 from its
// digits. Random lines check the scan against the model: the value that was written.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { exactJsonNumberType, int64OfJsonNumber, memberNumberText } from '../../src/io/parsing/json-number-text.js';

const seed = seedFromEnvironment();
console.log('SEED=' + seed);

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

test('int64OfJsonNumber reads the digits exactly at the edges of 2^53 and of int64', () => {
  for (const value of [2n ** 53n + 1n, -(2n ** 53n + 1n), INT64_MAX, INT64_MIN, 0n, -1n]) {
    assert.equal(int64OfJsonNumber(String(value)), value, String(value));
  }
  assert.equal(int64OfJsonNumber('9223372036854775808'), null, '2^63 is past int64');
  assert.equal(int64OfJsonNumber('-9223372036854775809'), null, '-2^63 - 1 is past int64');
  assert.equal(int64OfJsonNumber('18446744073709551616'), null, '2^64');
  assert.equal(int64OfJsonNumber('1e999999999'), null, 'a huge exponent is refused without building its digits');
});

test('int64OfJsonNumber takes an integral exponent or fraction form as its value, and refuses a fraction', () => {
  assert.equal(int64OfJsonNumber('1e3'), 1000n);
  assert.equal(int64OfJsonNumber('5.0'), 5n);
  assert.equal(int64OfJsonNumber('-0'), 0n);
  assert.equal(int64OfJsonNumber('9007199254740993.000'), 2n ** 53n + 1n);
  assert.equal(int64OfJsonNumber('9.007199254740993E15'), 2n ** 53n + 1n);
  assert.equal(int64OfJsonNumber('12500e-2'), 125n);
  assert.equal(int64OfJsonNumber('1.5'), null);
  assert.equal(int64OfJsonNumber('9007199254740992.5'), null);
  assert.equal(int64OfJsonNumber('1e-1'), null);
  assert.equal(int64OfJsonNumber('1e-999999999'), null);
});

test('memberNumberText finds the object’s own member past nesting, escapes, whitespace and repeats', () => {
  const n = '9007199254740993';
  const cases: [string, string | null][] = [
    [`{"id":${n}}`, n],
    [` \t{ "id" :\t${n} } `, n],
    [`{"a":{"id":1},"b":[{"id":2},"}"],"id":${n}}`, n],
    [`{"id":1,"x":"\\"id\\":2","id":${n}}`, n],
    [`{"i\\u0064":${n}}`, n],
    [`{"id":${n},"id":7}`, '7'],
    [`{"id":"${n}"}`, null],
    [`{"a":{"id":${n}}}`, null],
    [`{"idx":${n}}`, null],
    [`{"id":-${n}e0,"z":null}`, `-${n}e0`],
  ];
  for (const [line, expected] of cases) {
    assert.equal(memberNumberText(line, 'id'), expected, line);
    assert.doesNotThrow(() => JSON.parse(line), line);
  }
  assert.equal(memberNumberText(`{"a\\"b":${n}}`, 'a"b'), n, 'a key holding a quote');
  assert.equal(memberNumberText(`{"a\\\\b":${n}}`, 'a\\b'), n, 'a key holding a backslash');
  assert.equal(memberNumberText(`{"a\\\\b":${n}}`, 'a\\\\b'), null, 'the escaped text is not the key');
});

test('exactJsonNumberType types an integer past 2^53 by its digits', () => {
  assert.equal(exactJsonNumberType(2 ** 53, '{"v":9007199254740993}', 'v'), 'int64');
  assert.equal(exactJsonNumberType(2 ** 63, '{"v":-9223372036854775808}', 'v'), 'int64');
  assert.equal(exactJsonNumberType(2 ** 63, '{"v":9223372036854775808}', 'v'), 'float64');
  assert.equal(exactJsonNumberType(2 ** 64, '{"v":18446744073709551616}', 'v'), 'float64');
  assert.equal(exactJsonNumberType(2 ** 53, '{"v":9007199254740992.5}', 'v'), 'float64');
  assert.equal(exactJsonNumberType(1000, '{"v":1e3}', 'v'), 'int32');
  assert.equal(exactJsonNumberType(2 ** 40, '{"v":1099511627776}', 'v'), 'int64');
});

/** A random JSON value that may hold the key `id` in nested objects, with decoys in strings. */
function decoy(rng: Rng, depth: number): string {
  switch (rng.nextInt(depth > 2 ? 3 : 5)) {
    case 0:
      return String(rng.nextInt(1000) - 500);
    case 1:
      return JSON.stringify(['"id":1', 'x}', '\\', '[{', 'é😀'][rng.nextInt(5)]);
    case 2:
      return ['true', 'false', 'null'][rng.nextInt(3)]!;
    case 3:
      return `{${space(rng)}"id"${space(rng)}:${space(rng)}${decoy(rng, depth + 1)}}`;
    default:
      return `[${space(rng)}${decoy(rng, depth + 1)},${space(rng)}${decoy(rng, depth + 1)}]`;
  }
}

function space(rng: Rng): string {
  return [' ', '', '\t', '  ', '\r\n'][rng.nextInt(5)]!;
}

/** A random int64, mostly past ±2^53. */
function randomInt64(rng: Rng): bigint {
  const high = BigInt(rng.nextUint32());
  const low = BigInt(rng.nextUint32());
  return BigInt.asIntN(64, (high << 32n) | low);
}

test('random lines: the member’s text reads back the int64 written, whatever surrounds it', () => {
  const rng = new Rng(seed);
  for (let i = 0; i < 2000; i++) {
    const value = randomInt64(rng);
    const key = ['"id"', '"i\\u0064"', '"\\u0069d"'][rng.nextInt(3)]!;
    const members = [`${key}:${space(rng)}${value}`];
    for (let m = rng.nextInt(4); m > 0; m--) {
      const other = `"${['a', 'b', 'idx', 'i'][rng.nextInt(4)]}":${space(rng)}${decoy(rng, 0)}`;
      if (rng.nextFloat() < 0.5) members.push(other);
      else members.unshift(other);
    }
    const line = `${space(rng)}{${space(rng)}${members.join(`${space(rng)},${space(rng)}`)}${space(rng)}}`;
    const parsed = JSON.parse(line) as { id: number };
    assert.equal(parsed.id, Number(value), line);
    const text = memberNumberText(line, 'id');
    assert.equal(text === null ? null : int64OfJsonNumber(text), value, `${line} (SEED=${seed})`);
  }
});
