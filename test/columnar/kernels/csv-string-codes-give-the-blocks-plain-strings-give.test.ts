// The CSV reader codes string columns as it parses them (`csv-string-codes.ts`). Seeded files with a column of few
// strings (nulls, empty and quoted ones among them), a nearly unique one (coding given up after 65,536 rows), one
// where a string too long to code turns up mid-batch (coding stopped there, the batch's earlier rows copied out),
// one of ~35 % distinct strings (coded by the reader, refused by the block's quarter rule) and numbers that now and
// then send a record to the general path or get it dropped (with a string of its own, coded but then named by no
// row): read at several batch sizes and modes, the rows are the model's, and the cached block built from the coded
// batches is byte for byte the one built from the same rows as plain strings, also for a later run of the batches
// and for the batches in reverse (codes renumbered). SEED= replays a run.
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import type { Batch, Column } from '../../../src/executor/columnar/batch.js';
import { blockOfBatches } from '../../../src/executor/columnar/blocks.js';
import { readCsvBatches } from '../../../src/executor/columnar/csv-source.js';
import { dictionaryOf } from '../../../src/executor/columnar/dictionary-column.js';
import type { CsvReadSpec } from '../../../src/protocol/file-formats.js';
import { temporaryDirectory } from '../../api/helpers.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('csv-string-codes-give-the-blocks-plain-strings-give');
const decoder = new TextDecoder();
const dir = temporaryDirectory('csv-codes');

const ROWS = 80_000;
const LONG = 'a-key-longer-than-twelve-bytes';
/** Texts of the few-strings column, and the value each reads as (null: a null). */
const FEW: readonly [string, string | null][] = [
  ['a', 'a'],
  ['b', 'b'],
  ['é😀', 'é😀'],
  ['', null],
  ['NA', null],
  ['"q,1"', 'q,1'],
  ['"x""y"', 'x"y'],
  ['""', ''],
  ['id001', 'id001'],
];

interface File {
  readonly path: string;
  /** Per record: its values, and whether DROPMALFORMED keeps it. */
  readonly rows: (string | number | null)[][];
  readonly kept: boolean[];
}

function writeFile(rng: Rng): File {
  const longFrom = Math.floor(ROWS * (0.5 + 0.3 * rng.nextFloat()));
  const lines = ['few,many,long,mid,n'];
  const rows: (string | number | null)[][] = [];
  const kept: boolean[] = [];
  let longSeen = false;
  for (let r = 0; r < ROWS; r++) {
    const long = r >= longFrom && rng.nextInt(50) === 0 ? LONG : `k${rng.nextInt(3)}`;
    // The record that stops coding `long` is dropped under DROPMALFORMED: the rows copied out before it stay.
    const odd = long === LONG && !longSeen ? 0 : rng.nextInt(40);
    longSeen ||= long === LONG;
    // A dropped record (DROPMALFORMED) has a string of its own: coded, then named by no row kept.
    const [fewText, few] =
      odd === 0 ? [`z${r}`, `z${r}`] : FEW[rng.nextInt(20) < 12 ? rng.nextInt(2) : rng.nextInt(FEW.length)]!;
    const many = `u${rng.nextInt(32) === 0 ? rng.nextInt(r + 1) : r}`;
    const mid = `m${rng.nextInt(ROWS * 0.375)}`;
    const nText = odd === 0 ? 'bad' : odd === 1 ? `"${r}"` : String(r);
    lines.push([fewText, many, long, mid, nText].join(','));
    rows.push([few, many, long, mid, odd === 0 ? null : r]);
    kept.push(odd !== 0);
  }
  const path = join(dir(), `codes-${rows.length}.csv`);
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, rows, kept };
}

function spec(mode: CsvReadSpec['mode']): CsvReadSpec {
  return {
    columns: [
      { name: 'few', type: 'utf8' },
      { name: 'many', type: 'utf8' },
      { name: 'long', type: 'utf8' },
      { name: 'mid', type: 'utf8' },
      { name: 'n', type: 'int32' },
    ],
    header: true,
    delimiter: 0x2c,
    quote: 0x22,
    escape: 0x22,
    nullValue: 'NA',
    mode,
    multiLine: false,
  };
}

function valueOf(column: Column, r: number): string | number | null {
  if (column.valid !== undefined && column.valid[r] === 0) return null;
  if (column.type === 'utf8') return decoder.decode(column.bytes.subarray(column.starts[r]!, column.ends[r]!));
  return (column as { values: Int32Array }).values[r]!;
}

/** The batch with its string columns as plain ones (the same strings, no dictionary). */
function plain(batch: Batch): Batch {
  const columns = batch.columns.map((column): Column => {
    if (column.type !== 'utf8') return column;
    const { bytes, starts, ends, valid } = column;
    return { type: 'utf8', bytes, starts, ends, valid };
  });
  return { ...batch, columns };
}

function blockBytes(batches: readonly Batch[]): { bytes: Buffer; types: string[] } {
  const block = blockOfBatches(batches, true);
  return { bytes: Buffer.from(new Uint8Array(block.buffer)), types: block.columns.map((c) => c.type) };
}

test('coded string columns read as the model, give coding up when it does not pay, and make the plain blocks', () => {
  const rng = new Rng(seed);
  const file = writeFile(rng);
  const split = { path: file.path, start: 0, length: statSync(file.path).size };
  for (const [batchBytes, mode] of [
    [1 << 16, 'PERMISSIVE'],
    [1 << 20, 'DROPMALFORMED'],
    [16_381, 'PERMISSIVE'],
  ] as const) {
    const where = `batchBytes ${batchBytes}, ${mode}, SEED=${seed}`;
    const batches = [...readCsvBatches(split, spec(mode), () => {}, batchBytes)];
    const expected = mode === 'PERMISSIVE' ? file.rows : file.rows.filter((_, r) => file.kept[r]);
    const found: (string | number | null)[][] = [];
    for (const batch of batches) {
      for (let r = 0; r < batch.rows; r++) found.push(batch.columns.map((c) => valueOf(c, r)));
    }
    assert.equal(found.length, expected.length, where);
    for (let r = 0; r < found.length; r++) {
      if (found[r]!.some((v, c) => v !== expected[r]![c]))
        assert.deepEqual(found[r], expected[r], `row ${r}, ${where}`);
    }

    // Which batches came coded: `few` and `mid` all; `many` only up to 65,536 rows; `long` up to its first long key.
    const coded = (c: number) => batches.map((b) => dictionaryOf(b.columns[c]!) !== undefined);
    assert.ok(coded(0).every(Boolean) && coded(3).every(Boolean), where);
    let rowsBefore = 0;
    for (const [b, batch] of batches.entries()) {
      assert.equal(coded(1)[b], rowsBefore < 65_536, `many, batch ${b}, ${where}`);
      rowsBefore += batch.rows;
    }
    const firstLong = batches.findIndex((b) =>
      [...Array(b.rows).keys()].some((r) => valueOf(b.columns[2]!, r) === LONG),
    );
    // Under DROPMALFORMED the record that stopped coding was dropped: a later batch may hold the first long key kept.
    const stopped = coded(2).indexOf(false);
    assert.ok(stopped > 0 && (stopped === firstLong || (mode === 'DROPMALFORMED' && stopped < firstLong)), where);
    assert.deepEqual(
      coded(2),
      batches.map((_, b) => b < stopped),
      `long, ${where}`,
    );

    // The block: `few` coded, `many` and `mid` (too many strings) plain, `long` coded through long keys.
    const built = blockBytes(batches);
    assert.deepEqual(built.types, ['utf8-dict', 'utf8', 'utf8-dict', 'utf8', 'i32'], where);
    assert.ok(built.bytes.equals(blockBytes(batches.map(plain)).bytes), `block of every batch, ${where}`);
    // A run of batches not from the first (codes renumbered from where they start), as a filter would leave.
    const later = batches.slice(Math.floor(batches.length / 3));
    assert.ok(blockBytes(later).bytes.equals(blockBytes(later.map(plain)).bytes), `later batches, ${where}`);
    // Every string named, in another order.
    const reversed = [...batches].reverse();
    assert.ok(blockBytes(reversed).bytes.equals(blockBytes(reversed.map(plain)).bytes), `reversed, ${where}`);
  }
});
