/**
 * The CSV reader's string columns while a batch is parsed: each column's strings are appended back to back to a
 * scratch buffer of its own (reused from batch to batch), and copied out, all columns into one exactly-sized buffer,
 * when the batch is finished. So a batch holds its strings' bytes and nothing else: not the read buffer, whose
 * numbers and delimiters are most of its bytes and which the text reader can then reuse for the next batch. A
 * column's strings lie back to back, so a block write copies each column as one run.
 */

/** One string column's bytes under construction: `bytes[0, length)` are the batch's strings so far. */
export interface StringBytes {
  bytes: Uint8Array;
  length: number;
}

/**
 * Scratch for the string columns among `types` (null for the others).
 *
 * @example
 * const strings = stringBytesFor(spec.columns.map((c) => c.type));
 */
export function stringBytesFor(types: readonly string[]): (StringBytes | null)[] {
  return types.map((type) => (type === 'utf8' ? { bytes: new Uint8Array(0), length: 0 } : null));
}

/**
 * Empties every column's scratch for a new batch whose records span `recordBytes` bytes of input, growing it to
 * hold that many (a column's strings never take more bytes than the records they come from).
 *
 * @example
 * startStrings(strings, ends[count - 1] - starts[0]);
 */
export function startStrings(strings: readonly (StringBytes | null)[], recordBytes: number): void {
  for (const target of strings) {
    if (target === null) continue;
    target.length = 0;
    if (target.bytes.length < recordBytes) {
      target.bytes = new Uint8Array(Math.max(recordBytes, 2 * target.bytes.length));
    }
  }
}

/**
 * Appends `bytes[start, end)` to `target` and returns where it starts there.
 *
 * @example
 * column.starts[row] = appendString(strings[c], bytes, fs, fe);
 */
export function appendString(target: StringBytes, bytes: Uint8Array, start: number, end: number): number {
  const at = target.length;
  if (end - start > 64) target.bytes.set(bytes.subarray(start, end), at);
  else for (let k = start; k < end; k++) target.bytes[at + k - start] = bytes[k]!;
  target.length = at + end - start;
  return at;
}

/**
 * Each string column's bytes, copied out of the scratch into one buffer of exactly their total size (null for the
 * other columns); the scratch is free for the next batch.
 *
 * @example
 * const packed = finishStrings(strings); // packed[c] is column c's bytes
 */
export function finishStrings(strings: readonly (StringBytes | null)[]): (Uint8Array | null)[] {
  let total = 0;
  for (const target of strings) if (target !== null) total += target.length;
  const packed = Buffer.allocUnsafe(total);
  let at = 0;
  return strings.map((target) => {
    if (target === null) return null;
    packed.set(target.bytes.subarray(0, target.length), at);
    at += target.length;
    return packed.subarray(at - target.length, at);
  });
}
