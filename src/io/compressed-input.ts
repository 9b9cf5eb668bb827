import { extname } from 'node:path';

import { InputError } from '../common/errors.js';

/**
 * File extensions of the compression codecs Hadoop registers by default. Spark decompresses these transparently;
 * kindling does not yet (Node has no synchronous streaming inflate in its public API, and the text reader is
 * synchronous), so such files are refused instead of being read as garbage text.
 */
const codecByExtension: ReadonlyMap<string, string> = new Map([
  ['.gz', 'gzip'],
  ['.bz2', 'bzip2'],
  ['.deflate', 'deflate'],
  ['.zst', 'zstd'],
  ['.lz4', 'lz4'],
  ['.snappy', 'snappy'],
]);

/**
 * The compression codec a path's extension names (`'gzip'` for `logs.txt.gz`), or `undefined` for an ordinary
 * file. Matching is by extension only, case-insensitive, as Hadoop's `CompressionCodecFactory` does.
 */
export function compressionCodecOf(path: string): string | undefined {
  return codecByExtension.get(extname(path).toLowerCase());
}

/**
 * Throws `InputError` `ERR_INPUT_UNREADABLE` if `path` names a compressed file, which kindling cannot read yet.
 * WARNING: reading such a file as text would silently produce garbage lines; always check before reading.
 */
export function rejectCompressedInput(path: string): void {
  const codec = compressionCodecOf(path);
  if (codec === undefined) return;
  throw new InputError(
    'ERR_INPUT_UNREADABLE',
    `Input file ${path} is ${codec}-compressed: expected an uncompressed text file, found a ` +
      `${extname(path)} extension. kindling cannot decompress input yet; decompress it first ` +
      `(for gzip: gunzip -k ${path})`,
  );
}
