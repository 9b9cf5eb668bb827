/**
 * The row executor's text files: the line reader of `textFile` splits, the JSON values reader of `jsonlFiles` splits, the gzip copy made before reading one, and
 * the writer of `saveAsTextFile`. Loaded by a thread before its first task that reads or writes one
 * (`row-kinds-loader.ts`, issue 11).
 */
export { forEachLine, readLines } from '../../io/text/line-reader.js';
export { forEachJsonValue, readJsonValues } from '../../io/text/json-line-values.js';
export { decompressGzipInputs } from '../files-and-sinks/decompress-inputs.js';
export { writeLinesFile } from '../../io/text/lines-file.js';
