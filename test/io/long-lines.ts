// Shared by the long-line tests (fast, in npm test) and the heavy one (test-chaos): seeded files holding one very
// long line, the work (counted) both text readers do per byte over the split layouts that cross or start inside it,
// and the timing ratio check of the heavy test.
// (node --test also loads this file; it declares no tests.)
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';

import { Rng } from '../../src/common/rng.js';
import { readCsvBatches } from '../../src/executor/columnar/sources/csv-source.js';
import { readTextBatches } from '../../src/executor/columnar/sources/text-source.js';
import { readLines } from '../../src/io/text/line-reader.js';
import type { CsvReadSpec } from '../../src/protocol/file-formats.js';
import type { TextSplit } from '../../src/protocol/pipeline.js';

const WRITE_CHUNK_BYTES = 1024 * 1024;

/**
 * Writes `bytes` bytes of seeded words and spaces, with no line terminator: a file that is one line. One seeded
 * chunk is drawn, then written again and again from a seeded offset, so hundreds of MB take little time to make and
 * never sit in memory.
 */
export function writeOneLineFile(path: string, bytes: number, seed: number): void {
  const rng = new Rng(seed);
  const chunk = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
  for (let i = 0; i < chunk.length; i++) chunk[i] = rng.nextInt(6) === 0 ? 0x20 : 0x61 + rng.nextInt(26);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < bytes;) {
      const n = Math.min(WRITE_CHUNK_BYTES, bytes - written);
      const from = rng.nextInt(chunk.length);
      const head = Math.min(n, chunk.length - from);
      writeSync(fd, chunk, from, head);
      if (n > head) writeSync(fd, chunk, 0, n - head);
      written += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** A text reader under test: reads one split and returns how many lines and bytes of line content it saw. */
export type SplitReader = (split: TextSplit) => { lines: number; bytes: number };

/** `readCsv` without a header or `multiLine`: the test files hold no comma, so each line is one string field. */
const ONE_STRING_COLUMN_CSV: CsvReadSpec = {
  columns: [{ name: '_c0', type: 'utf8' }],
  header: false,
  delimiter: 0x2c,
  quote: 0x22,
  escape: 0x22,
  nullValue: '',
  mode: 'FAILFAST',
  multiLine: false,
};

const CSV_READ_BYTES = 64 * 1024;

export const READERS: Readonly<Record<'textFile' | 'readText' | 'readCsv', SplitReader>> = {
  textFile: (split) => {
    let lines = 0;
    let bytes = 0;
    for (const line of readLines(split)) {
      lines++;
      bytes += line.length; // the test files are ASCII: one byte per character
    }
    return { lines, bytes };
  },
  readText: (split) => {
    let lines = 0;
    let bytes = 0;
    for (const batch of readTextBatches(split, () => {})) {
      const column = batch.columns[0];
      assert(column?.type === 'utf8');
      for (let r = 0; r < batch.rows; r++) bytes += column.ends[r]! - column.starts[r]!;
      lines += batch.rows;
    }
    return { lines, bytes };
  },
  // Reads of 64 KiB, not the default 4 MiB: a 16 MB line then takes hundreds of reads, so a reader that searches
  // the line again at each read (as the CSV reader did, 114 s for a 300 MB line) shows it in the count.
  readCsv: (split) => {
    let lines = 0;
    let bytes = 0;
    for (const batch of readCsvBatches(split, ONE_STRING_COLUMN_CSV, () => {}, CSV_READ_BYTES)) {
      const column = batch.columns[0];
      assert(column?.type === 'utf8');
      for (let r = 0; r < batch.rows; r++) bytes += column.ends[r]! - column.starts[r]!;
      lines += batch.rows;
    }
    return { lines, bytes };
  },
};

/** Bytes of the first split in the layouts below: small, so most of the line is read past the split's end. */
const HEAD_SPLIT_BYTES = 64 * 1024;

/** The work a reader did, in bytes: searched for a terminator, copied between buffers, and allocated for buffers. */
export interface ReaderWork {
  readonly searchedBytes: number;
  readonly copiedBytes: number;
  readonly allocatedBytes: number;
}

/**
 * Runs `body` while counting the byte work of the Buffer calls both readers build on (`indexOf`, `copy`,
 * `copyWithin`, `allocUnsafe`, which `Buffer.concat` also calls): a count that, unlike a time, does not depend on
 * what else the machine runs. A search is counted to the end of the buffer, which is exact for the one-line files
 * here (no terminator stops it early). The Buffer methods are restored afterwards.
 */
export function countReaderWork(body: () => void): ReaderWork {
  const proto = Buffer.prototype;
  const { indexOf, copy } = proto;
  const ownCopyWithin = Object.getOwnPropertyDescriptor(proto, 'copyWithin');
  const { allocUnsafe } = Buffer;
  let searchedBytes = 0;
  let copiedBytes = 0;
  let allocatedBytes = 0;
  proto.indexOf = function (
    this: Buffer,
    value: string | number | Uint8Array,
    byteOffset?: number | string,
    encoding?: BufferEncoding,
  ) {
    const from = typeof byteOffset === 'number' ? Math.max(0, byteOffset) : 0;
    searchedBytes += Math.max(0, this.length - from);
    return indexOf.call(this, value, byteOffset as number, encoding);
  };
  proto.copy = function (
    this: Buffer,
    target: Uint8Array,
    targetStart?: number,
    sourceStart?: number,
    sourceEnd?: number,
  ) {
    const n = copy.call(this, target, targetStart, sourceStart, sourceEnd);
    copiedBytes += n;
    return n;
  };
  proto.copyWithin = function (this: Buffer, target: number, start: number, end?: number) {
    copiedBytes += Math.max(0, (end ?? this.length) - start);
    return Uint8Array.prototype.copyWithin.call(this, target, start, end) as Buffer;
  };
  Buffer.allocUnsafe = (size: number) => {
    allocatedBytes += size;
    return allocUnsafe(size);
  };
  try {
    body();
  } finally {
    proto.indexOf = indexOf;
    proto.copy = copy;
    if (ownCopyWithin === undefined) delete (proto as { copyWithin?: unknown }).copyWithin;
    else Object.defineProperty(proto, 'copyWithin', ownCopyWithin);
    Buffer.allocUnsafe = allocUnsafe;
  }
  return { searchedBytes, copiedBytes, allocatedBytes };
}

/**
 * Reads a one-line file of `size` bytes through the split layouts a long line meets: the whole file as one split,
 * a small first split that must read the rest of its line past its end, and the split after it, which starts inside
 * that line and must skip all of it. Checks what each returns; returns the work all three layouts did.
 */
export function readWork(reader: SplitReader, path: string, size: number): ReaderWork {
  const layouts: { split: TextSplit; lines: number; bytes: number }[] = [
    { split: { path, start: 0, length: size }, lines: 1, bytes: size },
    { split: { path, start: 0, length: HEAD_SPLIT_BYTES }, lines: 1, bytes: size },
    { split: { path, start: HEAD_SPLIT_BYTES, length: size - HEAD_SPLIT_BYTES }, lines: 0, bytes: 0 },
  ];
  const results: { lines: number; bytes: number }[] = [];
  const work = countReaderWork(() => {
    for (const { split } of layouts) results.push(reader(split));
  });
  layouts.forEach(({ split, lines, bytes }, i) => {
    assert.deepEqual(results[i], { lines, bytes }, `${JSON.stringify(split)} of a ${size}-byte line`);
  });
  return work;
}

/**
 * Asserts that reading a `largeBytes` line costs at most `ratioMax` times as much per byte as a `smallBytes` one:
 * time linear in line length passes with a wide margin on a noisy machine (the small case carries fixed costs, so
 * the ratio is usually below 1), while quadratic time scales the ratio with `largeBytes / smallBytes`.
 */
export function assertLinear(
  name: string,
  small: { bytes: number; ms: number },
  large: { bytes: number; ms: number },
  ratioMax: number,
): void {
  const ratio = large.ms / large.bytes / (small.ms / small.bytes);
  const detail =
    `${name}: ${small.bytes} bytes in ${small.ms.toFixed(1)} ms, ${large.bytes} bytes in ${large.ms.toFixed(1)} ms, ` +
    `time-per-byte ratio ${ratio.toFixed(2)} (at most ${ratioMax})`;
  console.log(detail);
  assert.ok(ratio <= ratioMax, detail);
}
