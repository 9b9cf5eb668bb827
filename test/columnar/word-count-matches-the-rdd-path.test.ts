// The word count on the columnar path (readText → splitToRows → [lower] → groupBy.count) equals the RDD closure
// path (textFile → flatMap(split(/\s+/)) → reduceByKey) on a generated Zipf corpus plus an edge-case file holding
// every JS whitespace, multi-byte and astral words, CRLF and CR line ends, a BOM and a very long line.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { generateCorpusFiles } from '../../examples/word-count/generate-corpus.js';
import { col, count, lower } from '../../src/index.js';
import { splitToRows } from '../../src/index.js';
import { onEveryBackend } from '../api/helpers.js';
import { writeEdgeCaseFile } from '../examples/word-count-fixtures.js';
import { canonical, Rng, testSeed } from './random-rows.js';
import { makeTempDir } from '../support/temp-dir.js';
import { sized } from '../support/test-scale.js';

const seed = testSeed('word-count-matches-the-rdd-path');
const dir = makeTempDir('columnar-wc');
before(() => {
  // 200 kB (600 kB at full size): 23 splits still fall mid-line, and the edge-case file holds the rare words.
  generateCorpusFiles(dir, { bytes: sized(200_000, 600_000), files: 2, seed });
  writeEdgeCaseFile(join(dir, 'part-9.txt'), new Rng(seed), 60_000);
});
after(() => rmSync(dir, { recursive: true, force: true }));

onEveryBackend('word count, columnar vs RDD', (on) => {
  for (const minPartitions of [1, 5, 23]) {
    for (const lowered of [false, true]) {
      test(`same counts (minPartitions ${minPartitions}${lowered ? ', lower-cased' : ''})`, async () => {
        let words = on
          .kc()
          .readText(dir, { minPartitions })
          .select(splitToRows(col('value')).as('word'));
        if (lowered) words = words.select(lower(col('word')).as('word'));
        const columnar = await words.groupBy('word', { numPartitions: 3 }).agg(count()).collect();
        const expected = await on
          .kc()
          .textFile(dir, { minPartitions })
          .flatMap(
            (line: string) =>
              line
                .split(/\s+/)
                .filter((w) => w !== '')
                .map((w) => (lowered ? w.toLowerCase() : w)),
            {
              lowered,
            },
          )
          .map((w: string): [string, number] => [w, 1])
          .reduceByKey((a: number, b: number) => a + b, 3)
          .map(([word, n]) => ({ word, count: n }))
          .collect();
        assert.deepEqual(canonical(columnar), canonical(expected));
        assert.ok(
          expected.some((r) => /[^\p{ASCII}]/u.test(r.word)),
          'multi-byte words are counted',
        );
      });
    }
  }
});
