// A shuffle chunk whose string column comes from a dictionary-read column (a cached partition's low-cardinality
// strings, passed through a partial aggregation) carries it dictionary-coded: its partition's strings once, a code
// per row. Seeded random parts (dictionary-read and plain sources mixed in one chunk, nulls, empty and multi-byte
// strings, few and many distinct) are partitioned into a map output, in memory and spilled; every reduce partition
// reads back exactly its rows, as a dictionary-read column (columnar) and as records (RDD), and a flipped bit in a
// partition's codes or its dictionary's bytes is a BlockCorruptError for its reader.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import type { Batch, Column, Utf8Column } from '../../src/executor/columnar/batches/batch.js';
import { blockToBatch } from '../../src/executor/columnar/batches/blocks.js';
import { dictionaryColumn, dictionaryOf } from '../../src/executor/columnar/batches/dictionary-column.js';
import type { MapOutputRef } from '../../src/protocol/map-output.js';
import { BlockCorruptError } from '../../src/storage/blocks/block-corrupt-error.js';
import { decodeBlockRows } from '../../src/storage/blocks/block-reader.js';
import { mapOutputBlockBytes, readMapOutputRows } from '../../src/storage/map-outputs/map-output-reader.js';
import type { MapOutputSpillTarget } from '../../src/storage/map-outputs/map-output-writer.js';
import { randomMapOutput } from './random-map-output.js';
import { Rng, testSeed, TRICKY_WORDS } from './random-rows.js';
import { makeTempDir } from '../support/temp-dir.js';

const seed = testSeed('shuffle-chunks-carry-dictionary-strings-as-codes');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One source batch: its rows as plain values, and the batch (column `s` dictionary-read or plain, `n` numbers). */
interface Source {
  readonly strings: (string | null)[];
  readonly numbers: (number | null)[];
  readonly batch: Batch;
  readonly coded: boolean;
}

function randomSource(rng: Rng, rows: number): Source {
  const distinct = rng.nextInt(2) === 0 ? 1 + rng.nextInt(6) : 1 + rng.nextInt(rows + 1);
  const words = Array.from({ length: distinct }, (_, d) =>
    d < TRICKY_WORDS.length && rng.nextInt(2) === 0 ? TRICKY_WORDS[d]! : d % 7 === 0 ? '' : `w${d}·${rng.nextInt(99)}`,
  );
  const nulls = rng.nextInt(3);
  const strings = Array.from({ length: rows }, () =>
    nulls > 0 && rng.nextInt(nulls === 2 ? 2 : 9) === 0 ? null : words[rng.nextInt(distinct)]!,
  );
  const numbers = Array.from({ length: rows }, (_, i) => (i % 11 === 5 ? null : rng.nextInt(1000) - 500));
  const coded = rng.nextInt(3) !== 0;
  const valid = strings.some((s) => s === null) ? Uint8Array.from(strings, (s) => (s === null ? 0 : 1)) : undefined;
  let column: Utf8Column;
  if (coded) {
    // The dictionary holds every word (some unused by any row), in a shuffled order.
    const order = words.map((_, d) => d).sort(() => rng.nextInt(3) - 1);
    const parts = order.map((d) => encoder.encode(words[d]!));
    const offsets = new Int32Array(parts.length + 1);
    parts.forEach((p, c) => (offsets[c + 1] = offsets[c]! + p.length));
    const bytes = new Uint8Array(offsets[parts.length]!);
    parts.forEach((p, c) => bytes.set(p, offsets[c]!));
    const codeOf = new Map(order.map((d, c) => [words[d]!, c]));
    const codes = Int32Array.from(strings, (s) => (s === null ? 0 : codeOf.get(s)!));
    column = dictionaryColumn(bytes, offsets, parts.length, codes, valid);
  } else {
    const parts = strings.map((s) => encoder.encode(s ?? ''));
    const starts = new Int32Array(rows);
    const ends = new Int32Array(rows);
    let at = 0;
    parts.forEach((p, i) => ((starts[i] = at), (at += p.length), (ends[i] = at)));
    const bytes = new Uint8Array(at);
    parts.forEach((p, i) => bytes.set(p, starts[i]!));
    column = { type: 'utf8', bytes, starts, ends, valid };
  }
  const values = Float64Array.from(numbers, (n) => n ?? 0);
  const n: Column = { type: 'f64', values, valid: Uint8Array.from(numbers, (v) => (v === null ? 0 : 1)) };
  return { strings, numbers, batch: { rows, names: ['s', 'n'], columns: [column, n] }, coded };
}

function stringsOf(column: Column, rows: number): (string | null)[] {
  const { bytes, starts, ends, valid } = column as Utf8Column;
  return Array.from({ length: rows }, (_, i) =>
    valid !== undefined && valid[i] === 0 ? null : decoder.decode(bytes.subarray(starts[i]!, ends[i]!)),
  );
}

test('every reduce partition reads back its rows, dictionary-coded, in memory and spilled', () => {
  const rng = new Rng(seed);
  const dir = makeTempDir('shuffle-dictionary-test');
  try {
    for (let round = 0; round < 40; round++) {
      const sources = Array.from({ length: 1 + rng.nextInt(3) }, () => randomSource(rng, rng.nextInt(3000)));
      const partitions = 1 + rng.nextInt(8);
      const spilled = round % 2 === 1;
      const spill = spilled ? { path: join(dir, `out-${round}.kmo`), bytesInMemoryMax: 0 } : null;
      const { ref, rowsOf } = randomMapOutput(
        rng,
        sources.map((s) => s.batch),
        partitions,
        spill,
      );
      const what = `seed ${seed}, round ${round} (${sources.length} sources, ${spilled ? 'spilled' : 'in memory'})`;
      for (let p = 0; p < partitions; p++) {
        const expected = rowsOf[p]!.map(({ from, row }) => ({
          s: sources[from]!.strings[row]!,
          n: sources[from]!.numbers[row]!,
        }));
        const read = readMapOutputRows(ref, p, false, () => `${what}, partition ${p}`);
        if (expected.length === 0) {
          assert.equal(read, null, `${what}, partition ${p}`);
          continue;
        }
        const batch = blockToBatch(read!.block, 'test', false, read!.start, read!.end);
        assert.deepStrictEqual(
          stringsOf(batch.columns[0]!, batch.rows),
          expected.map((r) => r.s),
          `${what}, p ${p}`,
        );
        const anyValue = rowsOf[p]!.some(({ from, row }) => sources[from]!.strings[row] !== null);
        // A chunk goes coded when any of its sources is dictionary-read (`dictionaryChunkColumn`), even one that sent
        // this partition no rows (a coded source's dictionary laid out whole, or a source of few rows).
        const anyCoded = sources.some((source) => source.coded);
        assert.equal(dictionaryOf(batch.columns[0]!) !== undefined, anyCoded && anyValue, `${what}, p ${p}: coded`);
        assert.deepStrictEqual(decodeBlockRows(read!.block, read!.start, read!.end), expected, `${what}, p ${p}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function flip(bytes: Uint8Array, at: number, bit: number): void {
  bytes[at] = bytes[at]! ^ bit;
}

/** One coded source of 2,000 rows in two partitions. */
function codedOutput(rng: Rng, spill: MapOutputSpillTarget | null): MapOutputRef {
  let source = randomSource(rng, 2000);
  while (!source.coded || source.strings.every((s) => s === null || s === '')) source = randomSource(rng, 2000);
  return randomMapOutput(rng, [source.batch], 2, spill).ref;
}

test('a flipped bit in a partition’s codes or its dictionary is reported to its reader, in memory and spilled', () => {
  const rng = new Rng(seed + 1);
  const dir = makeTempDir('shuffle-dictionary-test');
  const where = () => 'test output, partition 1';
  try {
    // Codes (what mapOutputBlockBytes names first for a dictionary-coded column), in memory and in a spill file.
    const memory = codedOutput(rng, null);
    const span = mapOutputBlockBytes(memory, 1)!;
    assert.ok(readMapOutputRows(memory, 1, false, where) !== null);
    if (memory.kind !== 'memory') throw new Error('expected an output in memory');
    flip(new Uint8Array(memory.buffer), span.offset, 1);
    assert.throws(() => readMapOutputRows(memory, 1, false, where), BlockCorruptError);
    const path = join(dir, 'out.kmo');
    const spilled = codedOutput(rng, { path, bytesInMemoryMax: 0 });
    const fileSpan = mapOutputBlockBytes(spilled, 1)!;
    const bytes = readFileSync(path);
    flip(bytes, fileSpan.offset, 4);
    writeFileSync(path, bytes);
    assert.throws(() => readMapOutputRows(spilled, 1, false, where), BlockCorruptError);
    // The dictionary's bytes (read by every reader of the chunk).
    const other = codedOutput(rng, null);
    const rows = readMapOutputRows(other, 1, false, where)!;
    const data = rows.block.columns[0]!.data!;
    if (other.kind !== 'memory') throw new Error('expected an output in memory');
    flip(new Uint8Array(other.buffer), data.offset + (data.length >>> 1), 0x10);
    assert.throws(() => readMapOutputRows(other, 1, false, where), /checksum mismatch over reduce partition 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
