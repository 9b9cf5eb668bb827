// Keys laid out as the fused word count's tokens are: back to back in one buffer, each but the last followed by a
// space, the buffer ending right after the last key (shared by the counter's tests).
/** A batch of tokens for `ByteKeyCounter.addTokens`. */
export interface TokenBatch {
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
}

/**
 * `keys` as one batch of tokens.
 *
 * @example
 * const { bytes, starts, ends } = tokenBatch([Uint8Array.of(0x61)]);
 */
export function tokenBatch(keys: readonly Uint8Array[]): TokenBatch {
  const bytes = new Uint8Array(Math.max(0, keys.reduce((sum, key) => sum + key.length + 1, 0) - 1));
  const starts = new Int32Array(keys.length);
  const ends = new Int32Array(keys.length);
  let at = 0;
  keys.forEach((key, t) => {
    bytes.set(key, at);
    starts[t] = at;
    ends[t] = at + key.length;
    at += key.length;
    if (at < bytes.length) bytes[at++] = 0x20;
  });
  return { bytes, starts, ends };
}
