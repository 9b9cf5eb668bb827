// Shared by the long-line tests (fast, in npm test) and the heavy one (test-chaos): seeded files holding one very
// long line, and the time both text readers take per byte over the split layouts that cross or start inside it.
// (node --test also loads this file; it declares no tests.)
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';

import { Rng } from '../../src/common/rng.js';
import { readTextBatches } from '../../src/executor/columnar/text-source.js';
import { readLines } from '../../src/io/line-reader.js';
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

export const READERS: Readonly<Record<'textFile' | 'readText', SplitReader>> = {
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
};

/** Bytes of the first split in the layouts below: small, so most of the line is read past the split's end. */
const HEAD_SPLIT_BYTES = 64 * 1024;

/**
 * Reads a one-line file of `size` bytes through the split layouts a long line meets: the whole file as one split,
 * a small first split that must read the rest of its line past its end, and the split after it, which starts inside
 * that line and must skip all of it. Checks what each returns; returns the best of `runs` total times, in ms.
 */
export function bestReadMs(reader: SplitReader, path: string, size: number, runs: number): number {
  const layouts: { split: TextSplit; lines: number; bytes: number }[] = [
    { split: { path, start: 0, length: size }, lines: 1, bytes: size },
    { split: { path, start: 0, length: HEAD_SPLIT_BYTES }, lines: 1, bytes: size },
    { split: { path, start: HEAD_SPLIT_BYTES, length: size - HEAD_SPLIT_BYTES }, lines: 0, bytes: 0 },
  ];
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    for (const { split, lines, bytes } of layouts) {
      assert.deepEqual(reader(split), { lines, bytes }, `${JSON.stringify(split)} of a ${size}-byte line`);
    }
    best = Math.min(best, performance.now() - started);
  }
  return best;
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
