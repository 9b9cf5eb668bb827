// The native baselines of native-bench must compute exactly what plain JS computes (split, Map, Arrow's builders):
// a benchmark against a wrong baseline measures nothing. Inputs are seeded: SEED=<n> replays a run.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, test } from 'node:test';

import { seedFromEnvironment } from '../../src/common/rng.js';
import { generateCorpusFiles } from '../../examples/word-count/generate-corpus.js';
import { pairsToBatchByHand, pairsToBatchWithBuilders } from '../../native-bench/baselines/arrow-by-hand.js';
import { partitionInt32 } from '../../native-bench/baselines/hash-partition-native.js';
import { aggregateInt32 } from '../../native-bench/baselines/int-aggregate-native.js';
import { IntAggregateThreads } from '../../native-bench/baselines/int-aggregate-native-threads.js';
import { tokenizeBytes } from '../../native-bench/baselines/tokenize-native.js';
import { countWordsNativeTable } from '../../native-bench/baselines/word-count-native.js';
import { countWordsNativeThreads } from '../../native-bench/baselines/word-count-native-threads.js';
import { WordTable } from '../../native-bench/baselines/word-table.js';
import { generateNumericTable } from '../../native-bench/numeric-table.js';
import { makeTempDir } from '../support/temp-dir.js';

const seed = seedFromEnvironment();
const dir = makeTempDir('native-bench');
after(() => rmSync(dir, { recursive: true, force: true }));
const paths = generateCorpusFiles(dir, { bytes: 192 * 1024, files: 3, seed, vocabularySize: 2_000 });
const texts = paths.map((p) => readFileSync(p, 'utf8'));

function referenceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) for (const w of text.split(/\s+/)) if (w !== '') counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

test(`tokenizeBytes finds the words of text.split(/\\s+/) (SEED=${seed})`, () => {
  const bytes = new Uint8Array(readFileSync(paths[0]!));
  const tokens = tokenizeBytes(bytes, new Int32Array(bytes.length), new Int32Array(bytes.length));
  const decoder = new TextDecoder();
  const words = Array.from({ length: tokens.count }, (_, i) =>
    decoder.decode(bytes.subarray(tokens.starts[i], tokens.ends[i])),
  );
  assert.deepEqual(
    words,
    texts[0]!.split(/\s+/).filter((w) => w !== ''),
  );
});

test(`the native word count equals a Map over split words, whatever the read chunk size (SEED=${seed})`, () => {
  const expected = referenceCounts();
  // 7 bytes: most words cross a chunk boundary and some outgrow the buffer; 4 KiB: a few cross; default: none.
  for (const chunkBytes of [7, 4096, undefined]) {
    const table = countWordsNativeTable(paths, chunkBytes);
    assert.deepEqual(table.toMap(), expected, `chunkBytes ${chunkBytes ?? 'default'}`);
    assert.equal(
      table.total,
      [...expected.values()].reduce((a, b) => a + b, 0),
    );
  }
});

test(`a table split by hash range and merged back holds the same counts (SEED=${seed})`, () => {
  const counted = countWordsNativeTable(paths);
  for (const parts of [1, 2, 3]) {
    const merged = new WordTable();
    // Twice: the second pass finds every word present and adds to it.
    for (const pass of [0, 1]) {
      for (const { meta, keys } of counted.exportParts(parts)) {
        let at = 0;
        for (let w = 0; w < meta.length; w += 3) {
          merged.addCount(keys, at, at + meta[w + 1]!, meta[w]!, meta[w + 2]!);
          at += meta[w + 1]!;
        }
      }
      const expected = new Map([...counted.toMap()].map(([word, n]) => [word, n * (pass + 1)]));
      assert.deepEqual(merged.toMap(), expected, `parts ${parts}, pass ${pass}`);
      assert.equal(merged.total, counted.total * (pass + 1));
    }
  }
});

test(`the native word count on threads counts what one thread counts (SEED=${seed})`, async () => {
  const expected = referenceCounts();
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  // 4 threads for 3 files: one thread counts nothing and still merges its hash range.
  for (const threads of [2, 3, 4]) {
    assert.deepEqual(
      await countWordsNativeThreads(paths, threads),
      { distinct: expected.size, total },
      `threads ${threads}`,
    );
  }
});

test(`aggregateInt32 gives the sums, counts and means of a Map (SEED=${seed})`, () => {
  const { key, value } = generateNumericTable({ rows: 60_000, keys: 5_000, seed });
  const expected = new Map<number, { sum: number; count: number }>();
  for (let i = 0; i < key.length; i++) {
    const entry = expected.get(key[i]!) ?? { sum: 0, count: 0 };
    entry.sum += value[i]!;
    entry.count++;
    expected.set(key[i]!, entry);
  }
  const result = aggregateInt32(key, value, key.length);
  assert.equal(result.groups, expected.size);
  for (let g = 0; g < result.groups; g++) {
    const entry = expected.get(result.keys[g]!);
    assert.ok(entry !== undefined, `unexpected key ${result.keys[g]}`);
    // Values are multiples of 1/1024: sums are exact in any order.
    assert.equal(result.sums[g], entry.sum);
    assert.equal(result.counts[g], entry.count);
    assert.equal(result.means[g], entry.sum / entry.count);
  }
});

test(`the group-by on warm threads gives one thread's sums, counts and means (SEED=${seed})`, async () => {
  const { key, value } = generateNumericTable({ rows: 60_000, keys: 5_000, seed });
  const expected = aggregateInt32(key, value, key.length);
  const byKey = new Map<number, number>();
  for (let g = 0; g < expected.groups; g++) byKey.set(expected.keys[g]!, g);
  for (const threads of [2, 3]) {
    const pool = new IntAggregateThreads(key, value, threads);
    try {
      // Twice: a second job on the same warm threads starts from nothing.
      for (const job of [0, 1]) {
        assert.equal(await pool.aggregate(), expected.groups, `threads ${threads}, job ${job}`);
        const seen = new Set<number>();
        for (const part of await pool.lastGroups()) {
          for (let i = 0; i < part.keys.length; i++) {
            const g = byKey.get(part.keys[i]!);
            assert.ok(g !== undefined && !seen.has(part.keys[i]!), `key ${part.keys[i]} once, threads ${threads}`);
            seen.add(part.keys[i]!);
            // Values are multiples of 1/1024: sums are exact in any order.
            assert.equal(part.sums[i], expected.sums[g]);
            assert.equal(part.counts[i], expected.counts[g]);
            assert.equal(part.means[i], expected.means[g]);
          }
        }
        assert.equal(seen.size, expected.groups);
      }
    } finally {
      await pool.close();
    }
  }
});

test(`partitionInt32 puts every key in one partition in range, the same one for equal keys (SEED=${seed})`, () => {
  const { key } = generateNumericTable({ rows: 20_000, keys: 300, seed });
  for (const n of [1, 3, 8, 1000]) {
    const out = new Uint32Array(key.length);
    const counts = partitionInt32(key, key.length, n, out);
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      key.length,
    );
    const seen = new Map<number, number>();
    for (let i = 0; i < key.length; i++) {
      assert.ok(out[i]! < n, `partition ${out[i]} of ${n}`);
      assert.equal(seen.get(key[i]!) ?? out[i], out[i]);
      seen.set(key[i]!, out[i]!);
    }
  }
});

test(`the hand-built Arrow batch holds what apache-arrow's builders build, non-ASCII keys included (SEED=${seed})`, () => {
  const words = texts[1]!.split(/\s+/).filter((w) => w !== '');
  const pairs: [string, number][] = words.slice(0, 3_000).map((w, i) => [w, i - 1500]);
  pairs.push(['', 0], ['naïve ß 🙂 日本', 7], ['\u{10ffff}', -1]);
  const rows = (batch: ReturnType<typeof pairsToBatchByHand>) => {
    const keys = batch.getChild('key')!;
    const values = batch.getChild('value')!;
    return Array.from({ length: batch.numRows }, (_, i) => [keys.get(i), values.get(i)]);
  };
  const byHand = rows(pairsToBatchByHand(pairs));
  assert.deepEqual(byHand, pairs);
  assert.deepEqual(byHand, rows(pairsToBatchWithBuilders(pairs)));
});
