#!/usr/bin/env node
/**
 * Out-of-core measurements (issue 5, DESIGN.md §6); not part of `npm test`. Run each under `/usr/bin/time -v` for
 * the peak RSS of the whole process (workers are threads, so they are included):
 *
 *   node dist/native-bench/out-of-core.js word-count <memoryBytesMax> <file>...
 *   node dist/native-bench/out-of-core.js word-count-columnar <memoryBytesMax> <file>...
 *   node dist/native-bench/out-of-core.js sort <memoryBytesMax> <dataBytes>
 *
 * `word-count` counts words (RDD path; `word-count-columnar`: the CLI's default columnar path) and prints the
 * total, the distinct words and the top 20: compare with `out-of-core-reference-count.js` over the same files. `sort` runs a sortByKey over about `dataBytes` of generated
 * pairs and checks the result without collecting it: per output partition, the record count, first and last key
 * and a sum of the keys; the driver checks global order and compares count and key sum with values computed
 * independently from the generator's formula. Both print one JSON line, plus the spill files seen under `tmpDir`.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { col, count, lit, sum, Context } from '../src/index.js';
import { byFrequency, countWords, countWordsColumnar } from '../examples/word-count/count-words.js';

/** Bytes of one generated sort record in a block: an i32-sized key in f64, a 64-character payload, offsets. */
const SORT_RECORD_BYTES = 8 + 4 + 64;

/** Spill files under `dir` now. */
function spillFileCount(dir: string): number {
  let files = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.arrow')) files++;
  }
  return files;
}

async function wordCount(kc: Context, paths: readonly string[]): Promise<Record<string, unknown>> {
  const counts = countWords(kc, paths, { lower: false, minLength: 0 });
  const top = await counts.takeOrdered(20, byFrequency);
  const totals = await counts.map(([, n]): [number, number] => [1, n]).reduce((a, b) => [a[0] + b[0], a[1] + b[1]]);
  return { distinctWords: totals[0], totalWords: totals[1], top };
}

/** `wordCount` on the columnar path (the CLI's default): the same fields, from two jobs over the counts. */
async function wordCountColumnar(kc: Context, paths: readonly string[]): Promise<Record<string, unknown>> {
  const counts = countWordsColumnar(kc, paths, { lower: false, minLength: 0 });
  const [totals] = await counts
    .withColumn('all', lit(0))
    .groupBy('all')
    .agg(count().as('distinctWords'), sum('count').as('totalWords'))
    .collect();
  const top = await counts.orderBy(col('count').desc(), 'word').limit(20).collect();
  return {
    distinctWords: totals?.distinctWords ?? 0,
    totalWords: totals?.totalWords ?? 0,
    top: top.map((row) => [row.word, row.count]),
  };
}

async function sort(kc: Context, dataBytes: number): Promise<Record<string, unknown>> {
  const records = Math.ceil(dataBytes / SORT_RECORD_BYTES);
  const mapPartitions = Math.max(8, Math.ceil(dataBytes / (16 * 2 ** 20)));
  const reducePartitions = mapPartitions * 2;
  const pairs = kc.range(0, records, 1, mapPartitions).map((i) => {
    const key = Math.imul(i, 0x9e3779b1) >>> 0;
    return [key, `${i.toString(36).padStart(12, '0')}:${'x'.repeat(51)}`] as const;
  });
  const summaries = await pairs
    .sortByKey(true, reducePartitions)
    .mapPartitionsWithIndex((index, rows) => {
      let count = 0;
      let first = -1;
      let last = -1;
      let sum = 0;
      let ordered = true;
      for (const [key] of rows) {
        if (count === 0) first = key;
        else if (key < last) ordered = false;
        last = key;
        sum = (sum + key) % 2 ** 32;
        count++;
      }
      return [{ index, count, first, last, sum, ordered }];
    })
    .collect();
  summaries.sort((a, b) => a.index - b.index);
  let expectedSum = 0;
  for (let i = 0; i < records; i++) expectedSum = (expectedSum + (Math.imul(i, 0x9e3779b1) >>> 0)) % 2 ** 32;
  let ordered = summaries.every((s) => s.ordered);
  let previous = -1;
  for (const s of summaries) {
    if (s.count === 0) continue;
    if (s.first < previous) ordered = false;
    previous = s.last;
  }
  const count = summaries.reduce((n, s) => n + s.count, 0);
  const sum = summaries.reduce((n, s) => (n + s.sum) % 2 ** 32, 0);
  return {
    records,
    mapPartitions,
    reducePartitions,
    count,
    ordered,
    exact: ordered && count === records && sum === expectedSum,
  };
}

const [mode, budgetArgument, ...rest] = process.argv.slice(2);
const memoryBytesMax = Number(budgetArgument);
const modes = ['word-count', 'word-count-columnar', 'sort'];
if (mode === undefined || !modes.includes(mode) || !(memoryBytesMax >= 0) || rest.length === 0) {
  process.stderr.write(
    'usage: out-of-core.js word-count|word-count-columnar <memoryBytesMax|0> <file>... | sort <memoryBytesMax|0> <bytes>\n',
  );
  process.exit(2);
}
const tmpDir = mkdtempSync(join(tmpdir(), 'kindling-out-of-core-'));
const kc = new Context({ threads: 2, tmpDir, ...(memoryBytesMax > 0 ? { memoryBytesMax } : {}) });
let peakSpillFiles = 0;
const watch = setInterval(() => {
  peakSpillFiles = Math.max(peakSpillFiles, spillFileCount(tmpDir));
}, 1000);
const startedMs = performance.now();
try {
  const result =
    mode === 'word-count'
      ? await wordCount(kc, rest)
      : mode === 'word-count-columnar'
        ? await wordCountColumnar(kc, rest)
        : await sort(kc, Number(rest[0]));
  peakSpillFiles = Math.max(peakSpillFiles, spillFileCount(tmpDir));
  const seconds = (performance.now() - startedMs) / 1000;
  process.stdout.write(
    `${JSON.stringify({ mode, memoryBytesMax, seconds: Number(seconds.toFixed(1)), spillFiles: peakSpillFiles, ...result })}\n`,
  );
} finally {
  clearInterval(watch);
  await kc.stop();
  const left = readdirSync(tmpDir).length;
  rmSync(tmpDir, { recursive: true, force: true });
  if (left !== 0) process.stderr.write(`kc.stop() left ${left} entries in ${tmpDir}\n`);
}
