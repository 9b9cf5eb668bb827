/**
 * The word-count inner loop, fused: splits strings on whitespace (JS `\s`, as `splitOnWhitespace`), hashes each
 * token while scanning it (the same hash as `hashBytes`) and counts it in a byte-key table, in one pass over the
 * bytes. No token arrays are written; the only per-token memory traffic is the counter's probe.
 */
import type { Utf8Column } from '../batch.js';
import type { ByteKeyCounter } from './byte-key-counter.js';
import { mix32 } from './hash-bytes.js';
import { spaceClass, wideSpaceBytes } from './utf8-whitespace.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Tokens scanned before the counter probes them, in one call (`ByteKeyCounter.addTokens`). The scan loop then
 * makes no call per token: when it did (`counter.add`), whether V8 inlined that call depended on the order its
 * concurrent compiles finished in (an optimized `add` brings its own inlined callees into the inlining budget), and
 * a thread that lost the race paid a call per token for the rest of its life. A batch also lets the counter touch
 * all its slots before probing, so their cache misses overlap.
 */
const TOKEN_BATCH = 1024;
const tokenStarts = new Int32Array(TOKEN_BATCH);
const tokenEnds = new Int32Array(TOKEN_BATCH);
const tokenHashes = new Int32Array(TOKEN_BATCH);

/**
 * Counts every whitespace-separated token of the first `rows` strings in `counter`. Equivalent to
 * `splitOnWhitespace` followed by a count aggregation over the tokens. Returns the line ends the strings hold
 * (`\n`, `\r`, and `\r\n` once when both lie in one string): 0 for lines, the lines but the last for a span of
 * whole lines (see `text-spans.ts`). Counting them costs a compare per ASCII space, off the token loop.
 *
 * @example
 * const lineEnds = countWhitespaceTokens(lines, rows, counter);
 */
export function countWhitespaceTokens(column: Utf8Column, rows: number, counter: ByteKeyCounter): number {
  const { bytes, starts, ends } = column;
  const space = spaceClass;
  let lineEnds = 0;
  let tokens = 0;
  for (let row = 0; row < rows; row++) {
    const end = ends[row]!;
    let i = starts[row]!;
    while (i < end) {
      const b = bytes[i]!;
      const kind = space[b]!;
      if (kind !== 0) {
        if (kind === 1) {
          // A space or tab is the common case: one compare keeps line ends off its path.
          if (b < 0x20 && (b === LF || (b === CR && (i + 1 === end || bytes[i + 1] !== LF)))) lineEnds++;
          i++;
          continue;
        }
        const w = wideSpaceBytes(bytes, i, end);
        if (w > 0) {
          i += w;
          continue;
        }
      }
      const tokenStart = i;
      let h = Math.imul(0x811c9dc5 ^ b, 0x01000193);
      i++;
      while (i < end) {
        const c = bytes[i]!;
        const k = space[c]!;
        if (k !== 0 && (k === 1 || wideSpaceBytes(bytes, i, end) > 0)) break;
        h = Math.imul(h ^ c, 0x01000193);
        i++;
      }
      tokenStarts[tokens] = tokenStart;
      tokenEnds[tokens] = i;
      tokenHashes[tokens] = mix32(h);
      if (++tokens === TOKEN_BATCH) {
        counter.addTokens(bytes, tokenStarts, tokenEnds, tokenHashes, tokens);
        tokens = 0;
      }
    }
  }
  if (tokens > 0) counter.addTokens(bytes, tokenStarts, tokenEnds, tokenHashes, tokens);
  return lineEnds;
}
