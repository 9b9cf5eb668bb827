// A CSV scan cached as it is read codes its string columns per batch as it reads them, and the cache stores those
// codes (read-time-dictionary.ts) instead of coding the strings itself (dictionary-encode.ts). The stored block must
// be exactly the one the cache's own coding writes from the same rows, byte for byte: on seeded random files with
// nulls (empty fields and a null text), quoted fields (with a doubled quote, a delimiter inside), multi-byte
// UTF-8, strings of many widths, a string too long to code arriving midway, malformed records (PERMISSIVE,
// DROPMALFORMED), a column whose distinct strings pass a quarter of the rows midway, and one the check of nearly
// unique columns refuses; split into several splits, read in small batches and in one. Seeded: SEED= replays a run.
import assert from 'node:assert/strict';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import type { Batch } from '../../src/executor/columnar/batches/batch.js';
import { blockOfBatches } from '../../src/executor/columnar/batches/batch-to-block.js';
import { codingStringsAsRead, readCsvBatches } from '../../src/executor/columnar/sources/csv-source.js';
import { readCodedParts } from '../../src/executor/columnar/caching/read-time-dictionary.js';
import type { Block } from '../../src/protocol/block.js';
import type { CsvReadSpec, FileColumn } from '../../src/protocol/file-formats.js';
import type { TextSplit } from '../../src/protocol/pipeline.js';
import { testSeed } from './random-rows.js';
import { makeTempDir } from '../support/temp-dir.js';

const seed = testSeed('csv-strings-coded-as-read-cache-the-same-blocks');
const dir = makeTempDir('csv-coded');
after(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS: readonly FileColumn[] = [
  { name: 'id', type: 'utf8' },
  { name: 'n', type: 'int32' },
  { name: 'tag', type: 'utf8' },
  { name: 'flip', type: 'utf8' },
  { name: 'v', type: 'float64' },
];

const TAGS = ['a', 'é', '😀', 'xy', 'abcd', 'abcde', 'Straße', 'abcdefgh', 'abcdefghijk', 'abcdefghijkl', 'ΣΟΦΊΑ'];

/** A field as CSV text: sometimes quoted (with its quotes doubled), always when it holds a comma or a quote. */
function field(rng: Rng, text: string): string {
  if (text.includes(',') || text.includes('"') || rng.nextInt(30) === 0) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

/** `rows` random records; `longAt` puts a 15-byte tag there, `flipAt` makes `flip` unique from there on. */
function csvText(rng: Rng, rows: number, longAt: number, flipAt: number, nullText: string): string {
  const lines = ['id,n,tag,flip,v'];
  for (let r = 0; r < rows; r++) {
    const roll = rng.nextInt(100);
    const id =
      roll < 3
        ? ''
        : roll < 4
          ? nullText
          : roll < 5
            ? 'i"d'
            : roll < 6
              ? 'a,b'
              : `id${String(rng.nextInt(40)).padStart(3, '0')}`;
    const n = rng.nextInt(200) === 0 ? 'x' : rng.nextInt(50) === 0 ? '' : String(rng.nextInt(1000) - 500);
    const tag = r === longAt ? 'fifteen-bytes!!' : rng.nextInt(40) === 0 ? '' : TAGS[rng.nextInt(TAGS.length)]!;
    const flip = r >= flipAt ? `u${r}` : `f${rng.nextInt(10)}`;
    const v = (rng.nextInt(10000) / 100).toString();
    const record = [field(rng, id), n, field(rng, tag), field(rng, flip), v];
    // A record of too few fields now and then: null-filled (PERMISSIVE) or dropped (DROPMALFORMED).
    lines.push(rng.nextInt(300) === 0 ? record.slice(0, 3).join(',') : record.join(','));
  }
  return lines.join('\n') + '\n';
}

/** `count` splits of about equal bytes over the file (the reader aligns them to records). */
function splitsOf(path: string, count: number): TextSplit[] {
  const size = statSync(path).size;
  const step = Math.ceil(size / count);
  const splits: TextSplit[] = [];
  for (let start = 0; start < size; start += step) splits.push({ path, start, length: Math.min(step, size - start) });
  return splits;
}

/** The read of `COLUMNS` from a file with a header, comma-separated, `"`-quoted. */
function specOf(nullValue: string, mode: CsvReadSpec['mode'], multiLine: boolean): CsvReadSpec {
  return { columns: COLUMNS, header: true, delimiter: 0x2c, quote: 0x22, escape: 0x22, nullValue, mode, multiLine };
}

function bytesOf(block: Block): Buffer {
  return Buffer.from(block.buffer, 0, block.byteLength);
}

/** The cached block of a split read with strings coded as read, and the one the cache codes itself. */
function bothBlocks(
  split: TextSplit,
  spec: CsvReadSpec,
  batchBytes: number,
): { read: Batch[]; coded: Block; plain: Block } {
  const read = codingStringsAsRead(() => [...readCsvBatches(split, spec, () => {}, batchBytes)]);
  const coded = blockOfBatches(read, true);
  const plain = blockOfBatches([...readCsvBatches(split, spec, () => {}, batchBytes)], true);
  return { read, coded, plain };
}

function assertSameBlock(coded: Block, plain: Block, what: string): void {
  assert.deepEqual(coded.columns, plain.columns, `${what}: column layout (SEED=${seed})`);
  assert.equal(coded.rows, plain.rows, `${what}: rows (SEED=${seed})`);
  assert.ok(bytesOf(coded).equals(bytesOf(plain)), `${what}: block bytes (SEED=${seed})`);
}

test('a cached CSV split whose strings were coded as read is the block the cache codes itself', () => {
  const rng = new Rng(seed);
  let takenAsRead = 0;
  let dictionaryColumns = 0;
  for (let file = 0; file < 12; file++) {
    const rows = 1500 + rng.nextInt(9000);
    const longAt = file % 3 === 0 ? rng.nextInt(rows) : -1;
    // flip: unique from a random row on; from early on it ends with more distinct strings than a quarter of rows.
    const flipAt = rng.nextInt(rows + rows / 2);
    const nullText = file % 2 === 0 ? 'NA' : '';
    const path = join(dir, `random-${file}.csv`);
    writeFileSync(path, csvText(rng, rows, longAt, flipAt, nullText));
    const mode = file % 4 === 1 ? 'DROPMALFORMED' : 'PERMISSIVE';
    const spec = specOf(nullText, mode, file % 6 === 5);
    const splitCount = spec.multiLine ? 1 : 1 + rng.nextInt(3);
    for (const batchBytes of [1000 + rng.nextInt(4000), 1 << 22]) {
      for (const split of splitsOf(path, splitCount)) {
        const { read, coded, plain } = bothBlocks(split, spec, batchBytes);
        const what = `file ${file} (${rows} rows, ${mode}, multiLine ${spec.multiLine}), split at ${split.start}, batches of ${batchBytes} bytes`;
        assertSameBlock(coded, plain, what);
        const full = read.filter((b) => b.rows > 0);
        for (let c = 0; c < COLUMNS.length; c++) {
          if (COLUMNS[c]!.type !== 'utf8' || full.length === 0) continue;
          if (readCodedParts(full.map((b) => ({ column: b.columns[c]!, rows: b.rows }))) !== null) takenAsRead++;
        }
        dictionaryColumns += coded.columns.filter((column) => column.type === 'utf8-dict').length;
      }
    }
  }
  // Not vacuous: many columns went the read-time way, and many blocks hold dictionary-coded columns.
  assert.ok(takenAsRead > 20, `${takenAsRead} columns coded as read (SEED=${seed})`);
  assert.ok(dictionaryColumns > 20, `${dictionaryColumns} dictionary-coded columns (SEED=${seed})`);
});

test('the check of nearly unique columns refuses a column coded as read, as it refuses it in the cache', () => {
  // 2^18 + 8 rows: a quarter is 65,538, so only the prefix check (at 65,536 rows, more than 15 in 16 distinct) decides.
  const rows = (1 << 18) + 8;
  for (const unique of [65_536, 60_000]) {
    const lines = ['id,n,tag,flip,v'];
    for (let r = 0; r < rows; r++) lines.push(`id${r % 7},${r % 100},t,${r < unique ? `u${r}` : 'same'},1.5`);
    const path = join(dir, `prefix-${unique}.csv`);
    writeFileSync(path, lines.join('\n') + '\n');
    const spec = specOf('', 'FAILFAST', false);
    // One batch: the column stays coded as read to the end, and the cache's check of its codes decides.
    const { read, coded, plain } = bothBlocks({ path, start: 0, length: statSync(path).size }, spec, 1 << 24);
    assert.equal(read.length, 1);
    assert.notEqual(readCodedParts([{ column: read[0]!.columns[3]!, rows: read[0]!.rows }]), null);
    assertSameBlock(coded, plain, `${unique} unique strings first`);
    assert.equal(coded.columns[3]!.type, unique === 65_536 ? 'utf8' : 'utf8-dict');
  }
});

test("batches that are not all of one reader's rows from its first are coded by the cache, not taken as read", () => {
  const rng = new Rng(seed + 1);
  const path = join(dir, 'parts.csv');
  writeFileSync(path, csvText(rng, 20_000, -1, 1 << 30, ''));
  const spec = specOf('', 'PERMISSIVE', false);
  const [first, second] = splitsOf(path, 2) as [TextSplit, TextSplit];
  const read = (split: TextSplit) => codingStringsAsRead(() => [...readCsvBatches(split, spec, () => {}, 8192)]);
  const plain = (split: TextSplit) => [...readCsvBatches(split, spec, () => {}, 8192)];
  const cases: [string, Batch[], Batch[]][] = [
    ['without its first batch', read(first).slice(1), plain(first).slice(1)],
    ['two splits back to back', [...read(first), ...read(second)], [...plain(first), ...plain(second)]],
    ['a later batch first', [...read(first)].reverse(), [...plain(first)].reverse()],
  ];
  for (const [what, coded, uncoded] of cases) {
    assert.ok(coded.length > 2, `${what}: ${coded.length} batches`);
    assertSameBlock(blockOfBatches(coded, true), blockOfBatches(uncoded, true), what);
  }
});
