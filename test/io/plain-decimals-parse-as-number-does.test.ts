// The CSV reader's decimal parser (`parsePlainDecimal` / `scanPlainDecimal` / `scanPlainDecimalInto`, digit by
// digit, the last storing into a column) against `Number()` on seeded random decimals: many digits, leading zeros,
// signs, -0, 15-digit mantissas at every scale (the rounding edges of `mantissa / 10^scale`), and forms it must leave
// to JS's parser (exponents, more than 15 significant digits, NaN, odd text), for which it returns null and
// `parseFloat64` still gives `Number()`'s value. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  decimalScan,
  parseFloat64,
  parsePlainDecimal,
  scanPlainDecimal,
  scanPlainDecimalInto,
} from '../../src/io/parsing/parse-field.js';
import { Rng, testSeed } from '../columnar/random-rows.js';

const seed = testSeed('plain-decimals-parse-as-number-does');
const encoder = new TextEncoder();

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += String(rng.nextInt(10));
  return s;
}

/** A decimal text: sign, integer digits (maybe with leading zeros), point, fraction digits; sometimes an exponent. */
function randomDecimal(rng: Rng): string {
  const sign = ['', '', '-', '+'][rng.nextInt(4)]!;
  const zeros = rng.nextInt(4) === 0 ? '0'.repeat(1 + rng.nextInt(20)) : '';
  const whole = digits(rng, rng.nextInt(12));
  const point = rng.nextInt(5) === 0 ? '' : '.';
  const fraction = point === '' ? '' : digits(rng, rng.nextInt(point === '.' && whole === '' ? 12 : 18));
  const exponent =
    rng.nextInt(12) === 0 ? `${['e', 'E'][rng.nextInt(2)]}${['', '-', '+'][rng.nextInt(3)]}${rng.nextInt(40)}` : '';
  return `${sign}${zeros}${whole}${point}${fraction}${exponent}`;
}

/** A 15-digit mantissa with its point anywhere from 0 to 22 digits from the right: the correctly-rounded edge. */
function fifteenDigits(rng: Rng): string {
  const mantissa = String(1 + rng.nextInt(9)) + digits(rng, 14);
  const scale = rng.nextInt(23);
  const padded = mantissa.padStart(scale + 1, '0');
  const text = scale === 0 ? padded : `${padded.slice(0, padded.length - scale)}.${padded.slice(-scale)}`;
  return rng.nextInt(2) === 0 ? `-${text}` : text;
}

const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/** Significant digits (leading zeros not counted) and digits after the point. */
function shape(text: string): { significant: number; scale: number } {
  const body = text.replace(/^[+-]/, '');
  const [whole = '', fraction = ''] = body.split('.');
  return { significant: (whole + fraction).replace(/^0+/, '').length, scale: fraction.length };
}

function check(text: string): void {
  const bytes = encoder.encode(text);
  const where = `${JSON.stringify(text)}, SEED=${seed}`;
  const fast = parsePlainDecimal(bytes, 0, bytes.length);
  const { significant, scale } = shape(text);
  if (PLAIN.test(text) && significant <= 15 && scale <= 22) {
    assert.ok(fast !== null, `the common form is parsed digit by digit: ${where}`);
  }
  if (fast !== null) {
    assert.ok(PLAIN.test(text), `only plain digits are parsed digit by digit: ${where}`);
    assert.ok(Object.is(fast, Number(text)), `${fast} is Number()'s ${Number(text)}: ${where}`);
  }
  const any = parseFloat64(bytes, 0, bytes.length);
  // JS's parser takes what the fast path leaves: exponents, Infinity, NaN, surrounding spaces.
  const trimmed = text.trim();
  const expected = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Infinity)$|^NaN$/.test(trimmed)
    ? Number(trimmed)
    : null;
  assert.ok(Object.is(any, expected), `parseFloat64 gives ${any}, Number() ${expected}: ${where}`);
  // Scanning up to a delimiter or a line end stops there, with the same value.
  for (const stop of [',', '\n', '\r']) {
    const line = encoder.encode(`${text}${stop}9`);
    const scanned = scanPlainDecimal(line, 0, line.length, 0x2c);
    assert.ok(Object.is(scanned, fast), `scanned to ${JSON.stringify(stop)}: ${where}`);
    if (scanned !== null) assert.equal(decimalScan.end, bytes.length, where);
    // Stored into a column: the same value at its row, and nothing stored when there is none.
    const column = new Float64Array(3).fill(7.5);
    const found = scanPlainDecimalInto(line, 0, line.length, 0x2c, column, 1);
    assert.equal(found, scanned !== null, where);
    assert.ok(Object.is(column[1], scanned ?? 7.5), `stored ${column[1]}: ${where}`);
    assert.deepEqual([column[0], column[2]], [7.5, 7.5], `only its row: ${where}`);
  }
}

test('plain decimals parse to the double Number() gives, and any other text is left to it', () => {
  const rng = new Rng(seed);
  for (let k = 0; k < 50_000; k++) check(randomDecimal(rng));
  for (let k = 0; k < 50_000; k++) check(fifteenDigits(rng));
});

test('the edges: -0, leading zeros, 15 and 16 digits, scale 22 and 23, lone signs and points', () => {
  const edges = [
    '-0',
    '-0.0',
    '+0',
    '0',
    '00000000000000000000.5',
    '0.0000000000000000000001',
    '0.00000000000000000000001',
    '123456789012345',
    '1234567890123456',
    '000000000000000123456789012345',
    '-999999999999999.',
    '9007199254740993',
    '0.1',
    '0.3',
    '1.005',
    '2.675',
    '.5',
    '5.',
    '-.5',
    '+.5',
    '.',
    '-',
    '+',
    '-.',
    '',
    '1.2.3',
    '1e3',
    '1E-3',
    'NaN',
    'Infinity',
    '-Infinity',
    ' 1',
    '1 ',
    '0x10',
    '1_0',
    '--1',
    '+-1',
  ];
  for (const text of edges) check(text);
});

test('a stop byte that may be part of a number ends the number there, as it ends a field', () => {
  for (const [text, stop, value, end] of [
    ['12.5', '.', 12, 2],
    ['-3-4', '-', -3, 2],
    ['7+1', '+', 7, 1],
    ['1905', '0', 19, 2],
  ] as const) {
    const bytes = encoder.encode(text);
    assert.equal(scanPlainDecimal(bytes, 0, bytes.length, stop.charCodeAt(0)), value, text);
    assert.equal(decimalScan.end, end, text);
  }
});
