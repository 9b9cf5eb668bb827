import { extname } from 'node:path';

import { InputError } from '../../common/errors.js';

/**
 * File extensions of the compression codecs Hadoop registers by default. Spark decompresses these transparently;
 * kindling reads gzip (each `.gz` file one split, decompressed by the task before its synchronous readers run,
 * see executor/files-and-sinks/decompress-inputs.ts) and refuses the others instead of reading them as garbage text.
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
 * The codec of an input file as split planning sees it: `'gzip'` for a `.gz` file (read as one split), undefined for
 * plain text. Throws `InputError` `ERR_INPUT_UNREADABLE` for the codecs kindling cannot decompress.
 */
export function inputCodecOf(path: string): 'gzip' | undefined {
  const codec = compressionCodecOf(path);
  if (codec === undefined || codec === 'gzip') return codec;
  throw new InputError(
    'ERR_INPUT_UNREADABLE',
    `Input file ${path} is ${codec}-compressed: expected plain or gzip-compressed text, found a ` +
      `${extname(path)} extension. kindling decompresses gzip only; decompress it first, or recompress it with gzip`,
  );
}

/**
 * Throws `InputError` `ERR_INPUT_UNREADABLE` if `path` names a compressed file: the line readers read raw bytes
 * (a gzip split reaches them already decompressed into a temporary file).
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
