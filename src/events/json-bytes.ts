import { MICROSECOND_DECIMALS, num, wholeMicroseconds } from './event-line.js';

/**
 * Writing JSON text straight into bytes, for the task lines of the event log (event-line-bytes.ts): fixed pieces of
 * text copied a word at a time, and numbers written digit by digit with the characters `String` gives them. Nothing
 * here allocates once a line's pieces exist.
 */

const encoder = new TextEncoder();

/**
 * A fixed piece of a line as bytes, with its bytes as little-endian 32-bit words (the last one zero-padded), which
 * {@link put} stores 4 bytes at a time: a line is ~70 % fixed text, and a store per byte was the formatter's
 * largest cost after the numbers.
 */
export interface Fragment {
  readonly length: number;
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
}
const fragmentOf = (bytes: Uint8Array): Fragment => ({
  length: bytes.length,
  bytes,
  words: wordsOf(bytes, bytes.length),
});
export const bytesOf = (text: string): Fragment => fragmentOf(encoder.encode(text));

/** The first `length` bytes of `bytes` as little-endian 32-bit words, the last one zero-padded. */
function wordsOf(bytes: Uint8Array, length: number, into?: Uint32Array): Uint32Array {
  const words = into ?? new Uint32Array((length + 3) >>> 2);
  for (let w = 0, i = 0; i < length; w++, i += 4) {
    words[w] = (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24);
  }
  return words;
}

/** Characters a number takes at most: `String(-Number.MAX_VALUE)`. */
export const NUMBER_CHARS_MAX = 24;

/**
 * {@link MICROSECOND_DECIMALS} as bytes in one flat table, 4 bytes per entry (`.001` is the longest), and their
 * lengths: a task line prints two times, and 1,000 separate arrays scattered over the heap made each a likely
 * cache miss.
 */
const DECIMAL_BYTES_MAX = 4;
const MICROSECOND_DECIMAL_BYTES = new Uint8Array(MICROSECOND_DECIMALS.length * DECIMAL_BYTES_MAX);
const MICROSECOND_DECIMAL_LENGTHS = new Uint8Array(MICROSECOND_DECIMALS.length);
MICROSECOND_DECIMALS.forEach((text, i) => {
  MICROSECOND_DECIMAL_BYTES.set(encoder.encode(text), i * DECIMAL_BYTES_MAX);
  MICROSECOND_DECIMAL_LENGTHS[i] = text.length;
});

const ZERO = 0x30;

/** Text rebuilt now and then (a stage's head, the current millisecond's time) and copied into many lines. */
export interface Piece {
  length: number;
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
}
export function newPiece(bytesMax: number): Piece {
  const rounded = (bytesMax + 3) & ~3;
  return { length: 0, bytes: new Uint8Array(rounded), words: new Uint32Array(rounded >>> 2) };
}
/** Takes the first `length` bytes of `piece.bytes`, just written, as its text. */
export function setPiece(piece: Piece, length: number): void {
  piece.length = length;
  wordsOf(piece.bytes, length, piece.words);
}

/** The bytes `put` stores into and a view of them (kept while the target stays the same: the writer's buffer). */
let target: Uint8Array = new Uint8Array(0);
let view: DataView = new DataView(target.buffer);

/**
 * Lets go of `b` if `put` last stored into it, so a closed writer's buffer (1 MiB) is not kept alive by this module
 * until another writer formats a line.
 */
export function releaseTarget(b: Uint8Array): void {
  if (b !== target) return;
  target = new Uint8Array(0);
  view = new DataView(target.buffer);
}

/** Copies `piece` to `at`, a 32-bit word at a time and its last 0–3 bytes one by one; returns where it ends. */
export function put(b: Uint8Array, at: number, piece: Fragment): number {
  if (b !== target) {
    target = b;
    view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  const length = piece.length;
  const whole = length & ~3;
  const words = piece.words;
  const v = view;
  for (let i = 0; i < whole; i += 4) v.setUint32(at + i, words[i >>> 2]!, true);
  const bytes = piece.bytes;
  for (let i = whole; i < length; i++) b[at + i] = bytes[i]!;
  return at + length;
}

/** `piece` at `at` byte by byte (to build the text of a {@link Piece}, whose room has no margin to spare). */
export function putBytes(b: Uint8Array, at: number, piece: Fragment): number {
  const from = piece.bytes;
  for (let i = 0; i < piece.length; i++) b[at++] = from[i]!;
  return at;
}

/** A number as `String` (null when not finite) writes it: digit by digit for whole numbers, else from its text. */
export function number(b: Uint8Array, at: number, n: number): number {
  if (isPlainNumber(n)) return digits(b, at, n);
  return ascii(b, at, num(n));
}

/** A time in ms as `msText` writes it. */
export function ms(b: Uint8Array, at: number, value: number): number {
  const us = wholeMicroseconds(value);
  if (us < 0) return ascii(b, at, num(value));
  const decimals = us % 1000;
  at = digits(b, at, (us - decimals) / 1000);
  const length = MICROSECOND_DECIMAL_LENGTHS[decimals]!;
  for (let i = 0, from = decimals * DECIMAL_BYTES_MAX; i < length; i++) b[at++] = MICROSECOND_DECIMAL_BYTES[from + i]!;
  return at;
}

/** Whether {@link number} writes `n` as plain digits: a whole number from 0 to 2^53 − 1. */
export function isPlainNumber(n: number): boolean {
  return n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n;
}

/**
 * The characters {@link number} writes for `n` when it is plain ({@link isPlainNumber}), else -1: a task line's
 * template (task-line-template.ts) is reused while every number keeps its width.
 */
export function plainNumberWidth(n: number): number {
  if (!isPlainNumber(n)) return -1;
  let width = 1;
  for (let power = 10; power <= n; power *= 10) width++;
  return width;
}

/**
 * Writes `n`, a plain whole number known to take `width` characters, at `at` as {@link number} does: below 2^31
 * from the right, without counting its digits first.
 */
export function plainNumberOfWidth(b: Uint8Array, at: number, n: number, width: number): void {
  if (n >= 2 ** 31) {
    number(b, at, n);
    return;
  }
  let rest = n | 0;
  for (let i = at + width - 1; i >= at; i--) {
    const next = (rest / 10) | 0;
    b[i] = ZERO + rest - next * 10;
    rest = next;
  }
}

/**
 * Adds `delta` (1 to 9) to the plain whole number whose digits end just before `end` in `b`, in place, carrying
 * leftwards: the caller knows the sum has the same number of digits. A task line's sequence number, task id and
 * partition each move on by 1 or 2 from one line of a kind to the next (and its time by 1 ms now and then): a digit
 * or two changes, where writing the number again costs a division per digit.
 */
export function addToDigits(b: Uint8Array, end: number, delta: number): void {
  let i = end - 1;
  let digit = b[i]! - ZERO + delta;
  while (digit >= 10) {
    b[i--] = ZERO + digit - 10;
    digit = b[i]! - ZERO + 1;
  }
  b[i] = ZERO + digit;
}

/** "00" … "99" as bytes: whole numbers are written two digits at a time. */
const DIGIT_PAIRS = encoder.encode(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));
/** A whole number from 0 to 2^53 − 1 in decimal (`-0` as `0`, as `String` writes it). */
function digits(b: Uint8Array, at: number, n: number): number {
  if (n < 2 ** 31) return int32Digits(b, at, n | 0);
  // Above 2^31 (a timestamp in ms, a byte count): the part above 10^9 is below 2^24, the rest takes 9 digits.
  const high = Math.floor(n / 1e9);
  at = int32Digits(b, at, high);
  let low = (n - high * 1e9) | 0;
  for (let i = at + 8; i >= at; i -= 2) {
    const rest = (low / 100) | 0;
    const pair = (low - rest * 100) * 2;
    b[i] = DIGIT_PAIRS[pair + 1]!;
    if (i > at) b[i - 1] = DIGIT_PAIRS[pair]!;
    low = rest;
  }
  return at + 9;
}

/** A whole number from 0 to 2^31 − 1, two digits at a time from the right (integer arithmetic only). */
function int32Digits(b: Uint8Array, at: number, n: number): number {
  let length = 1;
  for (let power = 10; length < 10 && n >= power; power *= 10) length++;
  let i = at + length;
  while (n >= 100) {
    const rest = (n / 100) | 0;
    const pair = (n - rest * 100) * 2;
    b[--i] = DIGIT_PAIRS[pair + 1]!;
    b[--i] = DIGIT_PAIRS[pair]!;
    n = rest;
  }
  if (n >= 10) {
    b[--i] = DIGIT_PAIRS[n * 2 + 1]!;
    b[--i] = DIGIT_PAIRS[n * 2]!;
  } else b[--i] = ZERO + n;
  return at + length;
}

/** Text known to be ASCII (a number's), one byte per character. */
function ascii(b: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) b[at++] = text.charCodeAt(i);
  return at;
}
