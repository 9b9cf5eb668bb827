// The map side of a many-group, several-key group-by (db-benchmark's q10) keeps its string keys coded on the way to
// the shuffle: the groups a map task found leave as dictionary-read columns over the key's dictionary; a chunk whose
// sources' dictionaries have no more strings than it has rows carries them whole, each row with its own code moved
// past the dictionaries before its source's; and the reduce side scatters held value batches into part order as a
// concatenated copy gathered would be. Seeded random rows with nulls: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../src/executor/columnar/grouping/aggregate.js';
import { gatherColumn, type Batch, type Column, type Utf8Column } from '../../src/executor/columnar/batches/batch.js';
import { blockToBatch } from '../../src/executor/columnar/batches/blocks.js';
import { concatBatches } from '../../src/executor/columnar/batches/concat-batches.js';
import { dictionaryColumn, dictionaryOf } from '../../src/executor/columnar/batches/dictionary-column.js';
import { partOrder, radixParts, scatterBatches } from '../../src/executor/columnar/kernels/radix-partition.js';
import { chunkOfSources } from '../../src/executor/columnar/shuffle/shuffle-chunks.js';
import { readMapOutputRows } from '../../src/storage/map-outputs/map-output-reader.js';
import { MapOutputWriter } from '../../src/storage/map-outputs/map-output-writer.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('many-group-map-output-keeps-strings-coded');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A dictionary-read column of `rows` rows over `words` (some unused), with nulls when `nulls`. */
function codedColumn(rng: Rng, words: readonly string[], rows: number, nulls: boolean): Utf8Column {
  const parts = words.map((w) => encoder.encode(w));
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, c) => (offsets[c + 1] = offsets[c]! + p.length));
  const bytes = new Uint8Array(offsets[parts.length]!);
  parts.forEach((p, c) => bytes.set(p, offsets[c]!));
  // Rows use only the first half of the dictionary and a last word: the rest is unused.
  const used = Math.max(1, words.length >> 1);
  const codes = Int32Array.from({ length: rows }, () => (rng.nextInt(5) === 0 ? words.length - 1 : rng.nextInt(used)));
  const valid = nulls ? Uint8Array.from({ length: rows }, () => (rng.nextInt(6) === 0 ? 0 : 1)) : undefined;
  return dictionaryColumn(bytes, offsets, parts.length, codes, valid) as Utf8Column;
}

function stringsOf(column: Column, rows: number): (string | null)[] {
  const { bytes, starts, ends, valid } = column as Utf8Column;
  return Array.from({ length: rows }, (_, i) =>
    valid !== undefined && valid[i] === 0 ? null : decoder.decode(bytes.subarray(starts[i]!, ends[i]!)),
  );
}

function valuesOf(column: Column): ArrayLike<number> {
  return (column as { values: ArrayLike<number> }).values;
}

function wordsOf(rng: Rng, count: number, tag: string): string[] {
  return Array.from({ length: count }, (_, d) => (d % 9 === 4 ? '' : `${tag}${d}·${rng.nextInt(50)}`));
}

test('a partial aggregation of several keys returns its string keys dictionary-read, as the rows had them', () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 20; round++) {
    const rows = 1 + rng.nextInt(5000);
    const a = codedColumn(rng, wordsOf(rng, 1 + rng.nextInt(40), 'a'), rows, rng.nextInt(2) === 0);
    const b = codedColumn(rng, wordsOf(rng, 1 + rng.nextInt(3000), 'b'), rows, rng.nextInt(2) === 0);
    const n: Column = { type: 'i32', values: Int32Array.from({ length: rows }, () => rng.nextInt(7)) };
    const batch: Batch = { rows, names: ['a', 'b', 'n'], columns: [a, b, n] };
    const aggregator = new HashAggregator(['a', 'b', 'n'], [{ fn: 'count', column: null, name: 'c' }], 'partial');
    aggregator.add(batch);
    const { batch: groups } = aggregator.result();
    const what = `seed ${seed}, round ${round}`;
    const expected = new Map<string, number>();
    const as = stringsOf(a, rows);
    const bs = stringsOf(b, rows);
    for (let i = 0; i < rows; i++) {
      const key = JSON.stringify([as[i], bs[i], n.values[i]]);
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    for (const c of [0, 1]) assert.ok(dictionaryOf(groups.columns[c]!) !== undefined, `${what}: key ${c} coded`);
    const ga = stringsOf(groups.columns[0]!, groups.rows);
    const gb = stringsOf(groups.columns[1]!, groups.rows);
    const gn = valuesOf(groups.columns[2]!);
    const counts = valuesOf(groups.columns[3]!);
    const found = new Map<string, number>();
    for (let g = 0; g < groups.rows; g++) found.set(JSON.stringify([ga[g], gb[g], gn[g]]), counts[g]!);
    assert.deepStrictEqual(found, expected, what);
    aggregator.release();
  }
});

test('a chunk carries dictionaries no bigger than its rows whole, each row with its own code', () => {
  const rng = new Rng(seed + 1);
  for (let round = 0; round < 30; round++) {
    // Two sources (a task's groups and its passed rows) or one; the second may share the first one's dictionary.
    const words = wordsOf(rng, 1 + rng.nextInt(300), 'w');
    const sources = Array.from({ length: 1 + rng.nextInt(2) }, (_, s) => {
      const rows = 1 + rng.nextInt(2000);
      const column = codedColumn(
        rng,
        s === 1 && rng.nextInt(2) === 0 ? words : wordsOf(rng, 1 + rng.nextInt(300), `s${s}`),
        rows,
        rng.nextInt(2) === 0,
      );
      return { rows, names: ['k'], columns: [column] } as Batch;
    });
    // Every row of every source in one partition, interleaved by source runs as output.ts lays them.
    const from =
      sources.length === 1 ? null : new Uint8Array(sources[0]!.rows + sources[1]!.rows).fill(1, sources[0]!.rows);
    const rows = Int32Array.from(sources.flatMap((s) => Array.from({ length: s.rows }, (_, i) => i)));
    const views = sources.map((s) => dictionaryOf(s.columns[0]!)!);
    const distinct = [...new Set(views.map((v) => v.offsets))];
    const strings = distinct.reduce((sum, offsets) => sum + views.find((v) => v.offsets === offsets)!.size, 0);
    const writer = new MapOutputWriter(1, null);
    writer.addChunk(chunkOfSources(sources, from, rows), 0, [rows.length]);
    const read = readMapOutputRows(writer.finish(), 0, false, () => 'test')!;
    const batch = blockToBatch(read.block, 'test', false, read.start, read.end);
    const what = `seed ${seed + 1}, round ${round} (${sources.length} sources, ${strings} strings, ${rows.length} rows)`;
    const expected = sources.flatMap((s) => stringsOf(s.columns[0]!, s.rows));
    assert.deepStrictEqual(stringsOf(batch.columns[0]!, batch.rows), expected, what);
    if (expected.every((s) => s === null)) continue;
    const view = dictionaryOf(batch.columns[0]!)!;
    if (strings > rows.length) {
      assert.ok(view.size <= rows.length, what);
      continue;
    }
    assert.equal(view.size, strings, `${what}: the dictionaries whole`);
    let at = 0;
    sources.forEach((s, k) => {
      // Two dictionaries are laid out the longer first (the first source's on a tie).
      const other = views[1 - k];
      const first =
        other !== undefined &&
        other.offsets !== views[k]!.offsets &&
        (k === 1 ? other.size >= views[1]!.size : other.size > views[0]!.size)
          ? other.size
          : 0;
      const valid = s.columns[0]!.valid;
      for (let i = 0; i < s.rows; i++, at++) {
        if (valid === undefined || valid[i] === 1) assert.equal(view.codes[at], first + views[k]!.codes[i]!, what);
      }
    });
  }
});

test('held value batches scatter into part order as their concatenation gathered does', () => {
  const rng = new Rng(seed + 2);
  for (let round = 0; round < 30; round++) {
    const batches = Array.from({ length: 1 + rng.nextInt(4) }, (): Batch => {
      const rows = rng.nextInt(3000);
      const nulls = rng.nextInt(2) === 0;
      const valid = nulls ? Uint8Array.from({ length: rows }, () => (rng.nextInt(5) === 0 ? 0 : 1)) : undefined;
      // Counts of some batches widened to float64 (a count past int32): then the column is concatenated.
      const wide = rng.nextInt(8) === 0;
      const counts = Int32Array.from({ length: rows }, () => rng.nextInt(100));
      return {
        rows,
        names: ['s', 'c'],
        columns: [
          { type: 'f64', values: Float64Array.from({ length: rows }, () => rng.nextInt(1e6) / 64), valid },
          wide ? { type: 'f64', values: Float64Array.from(counts) } : { type: 'i32', values: counts },
        ],
      };
    });
    const total = batches.reduce((sum, b) => sum + b.rows, 0);
    const hashes = Int32Array.from({ length: total }, () => rng.nextInt(2 ** 32) | 0);
    const { positions } = radixParts([hashes], rng.nextInt(5));
    const all = concatBatches(batches)!;
    const order = partOrder(positions, total);
    const scattered = scatterBatches(batches, positions);
    const what = `seed ${seed + 2}, round ${round}`;
    assert.deepStrictEqual(scattered.names, all.names, what);
    all.columns.forEach((column, c) => {
      const expected = gatherColumn(column, order, total);
      const got = scattered.columns[c]!;
      assert.equal(got.type, expected.type, what);
      assert.deepStrictEqual(Array.from(valuesOf(got)), Array.from(valuesOf(expected)), what);
      assert.deepStrictEqual(
        got.valid === undefined ? undefined : Array.from(got.valid),
        expected.valid === undefined ? undefined : Array.from(expected.valid),
        what,
      );
    });
  }
});
