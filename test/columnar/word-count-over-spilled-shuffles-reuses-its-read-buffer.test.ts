// With every map output spilled, the word count's final count reads each block into the thread's lent buffer and
// gives it back once counted, so one buffer serves all its reads; a median on the same threads keeps its blocks
// (it is never given one back to reuse) and its answers stay exact. Both against plain-JS models.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { generateCorpusFiles } from '../../examples/word-count/generate-corpus.js';
import { col, count, median, splitToRows } from '../../src/index.js';
import { blockBuffersAllocated } from '../../src/storage/map-outputs/lent-block-buffer.js';
import { onEveryBackend } from '../api/helpers.js';
import { Rng, testSeed } from './random-rows.js';
import { makeTempDir } from '../support/temp-dir.js';

const seed = testSeed('word-count-over-spilled-shuffles-reuses-its-read-buffer');
const dir = makeTempDir('spilled-wc');
before(() => generateCorpusFiles(dir, { bytes: 400_000, files: 2, seed }));
after(() => rmSync(dir, { recursive: true, force: true }));

function wordCountModel(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of readdirSync(dir).filter((n) => n.startsWith('part-'))) {
    for (const word of readFileSync(join(dir, name), 'utf8').split(/\s+/)) {
      if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

const rng = new Rng(seed);
const values = Array.from({ length: 3000 }, () => ({ g: `g${rng.nextInt(7)}`, x: rng.nextInt(1000) - 500 }));

function medianModel(): Map<string, number> {
  const groups = new Map<string, number[]>();
  for (const { g, x } of values) groups.set(g, [...(groups.get(g) ?? []), x]);
  const medians = new Map<string, number>();
  for (const [g, xs] of groups) {
    xs.sort((a, b) => a - b);
    const middle = (xs.length - 1) / 2;
    medians.set(g, (xs[Math.floor(middle)]! + xs[Math.ceil(middle)]!) / 2);
  }
  return medians;
}

onEveryBackend(
  'word count and median over spilled map outputs',
  (on) => {
    test('the counts, then medians on the same threads, then the counts again, match the models', async () => {
      const words = on
        .kc()
        .readText(dir, { minPartitions: 12 })
        .select(splitToRows(col('value')).as('word'));
      const expected = wordCountModel();
      for (let round = 0; round < 2; round++) {
        const allocatedBefore = blockBuffersAllocated();
        const got = await words.groupBy('word', { numPartitions: 3 }).agg(count()).collect();
        assert.equal(got.length, expected.size, `SEED=${seed}, round ${round}`);
        for (const row of got) assert.equal(row['count'], expected.get(row['word'] as string), `SEED=${seed}`);
        if (on.backend.threads === 0) {
          // On this thread: 12 map outputs × 3 reduce partitions read into one buffer (the median's reads before,
          // which keep theirs, leave none to reuse: then one more).
          const allocated = blockBuffersAllocated() - allocatedBefore;
          assert.ok(allocated >= 1 && allocated <= 2, `SEED=${seed}: ${allocated} buffers for 36 reads`);
        }
        const medians = await on
          .kc()
          .parallelize(values, 9)
          .toDataset()
          .groupBy('g', { numPartitions: 2 })
          .agg(median('x').as('m'))
          .collect();
        const model = medianModel();
        assert.equal(medians.length, model.size);
        for (const row of medians) assert.equal(row['m'], model.get(row['g'] as string), `SEED=${seed}, median`);
      }
    });
  },
  { shuffleMemoryBytesMax: 0 },
);
