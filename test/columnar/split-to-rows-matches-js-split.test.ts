// splitToRows equals `line.split(/\s+/)` without empty strings (every JS whitespace, multi-byte text), and
// `line.split(sep)` with a separator; readText gives textFile's lines for any split size.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { col, splitToRows } from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { randomLine, Rng, testSeed } from './random-rows.js';
import { makeTempDir } from '../support/temp-dir.js';

const seed = testSeed('split-to-rows-matches-js-split');
const rng = new Rng(seed);
const lines = Array.from({ length: 800 }, () => randomLine(rng));
const csvLines = Array.from({ length: 300 }, () => randomLine(rng, [',', ',,', ', ', '—', '😀']));

const dir = makeTempDir('columnar-split');
after(() => rmSync(dir, { recursive: true, force: true }));
// Every line terminator the line reader knows, a BOM, and no final line end.
const terminators = ['\n', '\r\n', '\r'];
const file = join(dir, 'lines.txt');
writeFileSync(
  file,
  '\uFEFF' + lines.map((line, i) => line + (i === lines.length - 1 ? '' : terminators[i % 3])).join(''),
);

onEveryBackend('splitToRows and readText', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    test(`on whitespace equals split(/\\s+/) minus empty strings (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(lines, partitions).toDataset();
      const columnar = await ds.select(splitToRows(col('value')).as('word')).collect();
      const expected = lines.flatMap((line) => line.split(/\s+/).filter((w) => w !== ''));
      assert.deepEqual(
        columnar.map((r) => r['word']),
        expected,
      );
    });

    test(`with a separator equals split(separator), empty parts included (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(csvLines, partitions).toDataset();
      const columnar = await ds.select(splitToRows(col('value'), ',').as('part')).collect();
      assert.deepEqual(
        columnar.map((r) => r['part']),
        csvLines.flatMap((line) => line.split(',')),
      );
      const emoji = await ds.select(splitToRows(col('value'), '😀').as('part')).collect();
      assert.deepEqual(
        emoji.map((r) => r['part']),
        csvLines.flatMap((line) => line.split('😀')),
      );
    });

    test(`other columns repeat once per token (${partitions} partitions)`, async () => {
      const numbered = lines.map((value, i) => ({ i, value }));
      const ds = on.kc().parallelize(numbered, partitions).toDataset();
      const columnar = await ds.select('i', splitToRows(col('value')).as('word')).collect();
      const expected = numbered.flatMap(({ i, value }) =>
        value
          .split(/\s+/)
          .filter((w) => w !== '')
          .map((word) => ({ i, word })),
      );
      assert.deepEqual(columnar, expected);
    });
  }

  for (const minPartitions of [1, 3, 17]) {
    test(`readText reads textFile's lines, BOM and CR/CRLF/LF handled alike (minPartitions ${minPartitions})`, async () => {
      const columnar = await on.kc().readText(file, { minPartitions }).collect();
      const expected = await on.kc().textFile(file, { minPartitions }).collect();
      assert.deepEqual(
        columnar.map((r) => r['value']),
        expected,
      );
      // Not exactly lines.length: an empty line after a '\r' line end reads as part of a '\r\n'.
      assert.ok(expected.length > lines.length * 0.9, `${expected.length} lines`);
    });
  }
});
