/**
 * The word-count inner loop, fused: splits strings on whitespace (JS `\s`, as `splitOnWhitespace`) and counts each
 * token in a byte-key counter, in one pass over the bytes. No token arrays are written beyond a batch of bounds.
 *
 * The scan takes 32 bytes at a time: one table load per byte ORs the byte's space bit into a 32-bit mask, with no
 * branch per byte, and the tokens' bounds are the mask's 0→1 and 1→0 edges, found by `Math.clz32` (a few
 * instructions per token). A byte-at-a-time loop that branches on every byte mispredicts at every token's end and
 * every run of spaces: on the word-count corpora it took ~125 ms per 32 MiB against ~70 for the masks. The rare
 * bytes a table can not decide alone (a lead byte of a multi-byte space, a CR whose line end depends on the next
 * byte) are looked at one by one, in the few blocks that hold them. The tokens' hashes are the counter's to make
 * (from the words it packs each key into), so the scan does no per-byte arithmetic at all.
 */
import type { Utf8Column } from '../batches/batch.js';
import type { ByteKeyCounter } from './byte-key-counter.js';
import { spaceClass, wideSpaceBytes } from './utf8-whitespace.js';

const LF = 0x0a;
const CR = 0x0d;

/** Byte class bits: a space (ASCII `\s`, LF and CR included), a line feed, a byte to look at alone. */
const SPACE = 1;
const LINE_FEED = 2;
const LOOK = 4;

/**
 * Per byte, its class bits, from `spaceClass` (the one table of which bytes are whitespace): SPACE for an ASCII
 * space (tab, LF, VT, FF, CR, space), LINE_FEED for LF, LOOK for a byte that may start a multi-byte space
 * (`wideSpaceBytes` decides) and for CR (a line end unless LF follows).
 */
const BYTE_CLASS = Uint8Array.from(spaceClass, (kind, b) => {
  if (kind === 2) return LOOK;
  if (kind !== 1) return 0;
  return b === LF ? SPACE | LINE_FEED : b === CR ? SPACE | LOOK : SPACE;
});

/** Bytes a mask covers. */
const BLOCK = 32;

/**
 * Tokens scanned before the counter probes them, in one call (`ByteKeyCounter.addTokens`). The scan loop then
 * makes no call per token: when it did (`counter.add`), whether V8 inlined that call depended on the order its
 * concurrent compiles finished in, and a thread that lost the race paid a call per token for the rest of its life.
 * A batch also lets the counter touch all its slots before probing, so their cache misses overlap.
 */
const TOKEN_BATCH = 1024;
const tokenStarts = new Int32Array(TOKEN_BATCH);
const tokenEnds = new Int32Array(TOKEN_BATCH);

/** The scan's state between blocks: the open token's start (-1 when none) and the counts so far. */
let tokenStart = -1;
let tokens = 0;
let lineEnds = 0;
/** Space bits of the next block that a multi-byte space starting in this one covers (its last one or two bytes). */
let carriedSpace = 0;

/**
 * Counts every whitespace-separated token of the first `rows` strings in `counter`. Equivalent to
 * `splitOnWhitespace` followed by a count aggregation over the tokens. Returns the line ends the strings hold
 * (`\n`, `\r`, and `\r\n` once when both lie in one string): 0 for lines, the lines but the last for a span of
 * whole lines (see `sources/text-spans.ts`).
 *
 * @example
 * const lineEnds = countWhitespaceTokens(lines, rows, counter);
 */
export function countWhitespaceTokens(column: Utf8Column, rows: number, counter: ByteKeyCounter): number {
  const { bytes, starts, ends } = column;
  tokens = 0;
  lineEnds = 0;
  try {
    for (let row = 0; row < rows; row++) {
      const end = ends[row]!;
      tokenStart = -1;
      carriedSpace = 0;
      let i = starts[row]!;
      for (; i + BLOCK <= end; i += BLOCK) scanBlock(bytes, i, end, counter);
      i += carriedBytes();
      scanTail(bytes, i, end, counter);
    }
    if (tokens > 0) counter.addTokens(bytes, tokenStarts, tokenEnds, tokens);
    return lineEnds;
  } finally {
    tokens = 0;
  }
}

/** The 32 bytes at `at` (all before the row's `end`): their tokens' bounds into the batch. */
function scanBlock(bytes: Uint8Array, at: number, end: number, counter: ByteKeyCounter): void {
  const classOf = BYTE_CLASS;
  let space = carriedSpace;
  let feeds = 0;
  let seen = 0;
  for (let k = 0; k < BLOCK; k++) {
    const c = classOf[bytes[at + k]!]!;
    space |= (c & SPACE) << k;
    feeds |= ((c >>> 1) & 1) << k;
    seen |= c;
  }
  carriedSpace = 0;
  if ((seen & LOOK) !== 0) space = lookAtRareBytes(bytes, at, end, space);
  lineEnds += bitCount(feeds);
  // A token starts at a byte that is not a space after one that is (or after the row's start), and ends at a
  // space after a byte that is not; starts and ends alternate, beginning with an end when a token is open. The
  // scan's state is in locals here (module variables cost a context load and store per token).
  let open = tokenStart;
  let n = tokens;
  const spaceBefore = (space << 1) | (open < 0 ? 1 : 0);
  let startBits = ~space & spaceBefore;
  let endBits = space & ~spaceBefore;
  for (;;) {
    if (open < 0) {
      if (startBits === 0) break;
      const bit = startBits & -startBits;
      startBits ^= bit;
      open = at + 31 - Math.clz32(bit);
    } else {
      if (endBits === 0) break;
      const bit = endBits & -endBits;
      endBits ^= bit;
      tokenStarts[n] = open;
      tokenEnds[n] = at + 31 - Math.clz32(bit);
      open = -1;
      if (++n === TOKEN_BATCH) {
        counter.addTokens(bytes, tokenStarts, tokenEnds, n);
        n = 0;
      }
    }
  }
  tokenStart = open;
  tokens = n;
}

/**
 * The block at `at`'s space mask with its LOOK bytes decided: a CR is a line end unless an LF follows it in the
 * row; a multi-byte space sets the bits of all its bytes (those past the block in `carriedSpace`).
 */
function lookAtRareBytes(bytes: Uint8Array, at: number, end: number, space: number): number {
  let mask = space;
  for (let k = 0; k < BLOCK; k++) {
    const b = bytes[at + k]!;
    if ((BYTE_CLASS[b]! & LOOK) === 0) continue;
    if (b === CR) {
      if (at + k + 1 === end || bytes[at + k + 1] !== LF) lineEnds++;
      continue;
    }
    const width = wideSpaceBytes(bytes, at + k, end);
    if (width === 0) continue;
    const bits = (1 << width) - 1;
    mask |= bits << k;
    if (k + width > BLOCK) carriedSpace = bits >>> (BLOCK - k);
  }
  return mask;
}

/** Bytes at the start of the row's tail that a multi-byte space of the last block covers. */
function carriedBytes(): number {
  const carried = bitCount(carriedSpace);
  carriedSpace = 0;
  return carried;
}

/** The row's last bytes `[at, end)` (fewer than a block), one at a time, and the open token's end at the row's. */
function scanTail(bytes: Uint8Array, at: number, end: number, counter: ByteKeyCounter): void {
  let i = at;
  while (i < end) {
    const b = bytes[i]!;
    const c = BYTE_CLASS[b]!;
    let width = c & SPACE;
    if (b === LF || (b === CR && (i + 1 === end || bytes[i + 1] !== LF))) lineEnds++;
    else if (width === 0 && (c & LOOK) !== 0) width = wideSpaceBytes(bytes, i, end);
    if (width === 0) {
      if (tokenStart < 0) tokenStart = i;
      i++;
      continue;
    }
    if (tokenStart >= 0) pushToken(bytes, i, counter);
    i += width;
  }
  if (tokenStart >= 0) pushToken(bytes, end, counter);
}

/** Ends the open token at `end` (into the batch, probed when full). */
function pushToken(bytes: Uint8Array, end: number, counter: ByteKeyCounter): void {
  tokenStarts[tokens] = tokenStart;
  tokenEnds[tokens] = end;
  tokenStart = -1;
  if (++tokens === TOKEN_BATCH) {
    counter.addTokens(bytes, tokenStarts, tokenEnds, tokens);
    tokens = 0;
  }
}

/** Set bits of a 32-bit mask. */
function bitCount(mask: number): number {
  let x = mask - ((mask >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
