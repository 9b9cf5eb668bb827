/**
 * LZ4's block format, decoded: Parquet's LZ4_RAW codec (pyarrow's and DuckDB's `lz4`, Polars' `lz4`) stores each page
 * as one raw block. A block is a run of sequences, each a token (high nibble: literal length, low nibble: match length
 * less 4; 15 means more length bytes follow, each added, until one is not 255), the literals, then a two-byte
 * little-endian offset back into the output and the match copied from there (it may overlap what it writes). The
 * last sequence has literals only. Small and synchronous, as a task's page decoding is; Node 20's zlib has no LZ4.
 */

/** Why a block could not be decoded, for the caller's error naming the file and column. */
export class Lz4BlockError extends Error {}

/**
 * The `outputLength` bytes that `input`, one LZ4 block, decodes to. Throws `Lz4BlockError` for a block that is
 * truncated, points before the start of its output, or decodes to another length.
 *
 * @example
 * decodeLz4Block(Uint8Array.of(0x50, 104, 101, 108, 108, 111), 5); // the bytes of 'hello'
 */
export function decodeLz4Block(input: Uint8Array, outputLength: number): Uint8Array {
  const output = new Uint8Array(outputLength);
  let i = 0;
  let o = 0;
  const byteAt = (at: number): number => {
    if (at >= input.length) throw new Lz4BlockError(`LZ4 block truncated at byte ${at} of ${input.length}`);
    return input[at]!;
  };
  while (i < input.length) {
    const token = input[i++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      for (let more = 255; more === 255; literals += more) more = byteAt(i++);
    }
    if (i + literals > input.length || o + literals > outputLength) {
      throw new Lz4BlockError(
        `LZ4 literals of ${literals} bytes run past the block or its ${outputLength}-byte output`,
      );
    }
    output.set(input.subarray(i, i + literals), o);
    i += literals;
    o += literals;
    if (i === input.length) break; // the last sequence: literals only
    const offset = byteAt(i) | (byteAt(i + 1) << 8);
    i += 2;
    let length = token & 15;
    if (length === 15) {
      for (let more = 255; more === 255; length += more) more = byteAt(i++);
    }
    length += 4;
    if (offset === 0 || offset > o) throw new Lz4BlockError(`LZ4 match offset ${offset} at output byte ${o}`);
    if (o + length > outputLength) {
      throw new Lz4BlockError(`LZ4 match of ${length} bytes runs past the ${outputLength}-byte output`);
    }
    // Byte by byte: a match may overlap the bytes it writes (offset < length repeats a short run).
    for (let from = o - offset, end = o + length; o < end;) output[o++] = output[from++]!;
  }
  if (o !== outputLength) throw new Lz4BlockError(`LZ4 block decoded to ${o} bytes, expected ${outputLength}`);
  return output;
}
