#!/usr/bin/env node
/**
 * The out-of-core targets of issue 5, measured and checked (`npm run bench:out-of-core`; `--quick` for a small
 * run), written to native-bench/OUT-OF-CORE.md (OUT-OF-CORE-quick.md):
 *
 * - the columnar word count (the CLI's default path) over a 4 GiB corpus with `memoryBytesMax` = 256 MiB, in a
 *   child process under `/usr/bin/time -v` (peak RSS of the whole process, workers and shared memory included),
 *   checked against the native baseline's count of the same files (distinct words, total words, top 20);
 * - a `sortByKey` over twice the budget, checked by `out-of-core.js sort` against the generator's formula.
 *
 * A groupBy over twice the budget is checked exactly by `npm test` (test/spill/), at a size a test can afford.
 */
import { writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

import { countWordsNativeTable } from './baselines/word-count-native.js';
import { ensureCorpus, type CorpusSpec } from './corpus.js';
import { runWithPeakRss } from './peak-rss.js';

const MIB = 2 ** 20;
const CHILD = fileURLToPath(new URL('./out-of-core.js', import.meta.url));

interface Profile {
  readonly corpus: CorpusSpec;
  readonly budgetBytes: number;
  readonly rssLimitBytes: number;
  readonly out: string;
}

const quick = process.argv.includes('--quick');
const profile: Profile = quick
  ? {
      corpus: { bytes: 64 * MIB, files: 4, seed: 1 },
      budgetBytes: 16 * MIB,
      rssLimitBytes: 600 * MIB,
      out: 'OUT-OF-CORE-quick.md',
    }
  : {
      corpus: { bytes: 4096 * MIB, files: 32, seed: 1 },
      budgetBytes: 256 * MIB,
      rssLimitBytes: 600 * MIB,
      out: 'OUT-OF-CORE.md',
    };

type Top = [string, number][];
interface WordCountResult {
  readonly seconds: number;
  readonly spillFiles: number;
  readonly distinctWords: number;
  readonly totalWords: number;
  readonly top: Top;
}

const startedAt = new Date();
const loadAtStart = loadavg();
const corpus = ensureCorpus(profile.corpus);
process.stdout.write(`corpus ${corpus.generated ? 'generated' : 'reused'}: ${corpus.dir}\n`);

process.stdout.write(`columnar word count, memoryBytesMax ${profile.budgetBytes / MIB} MiB …\n`);
const wordCountRun = runWithPeakRss(
  [CHILD, 'word-count-columnar', String(profile.budgetBytes), ...corpus.paths],
  'out-of-core word count',
);
const engine = JSON.parse(wordCountRun.line) as WordCountResult;

process.stdout.write('native reference count …\n');
const referenceStartedMs = performance.now();
const table = countWordsNativeTable(corpus.paths);
const referenceSeconds = (performance.now() - referenceStartedMs) / 1000;
const referenceTop: Top = [...table.toMap()]
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  .slice(0, 20);
const sameTop = JSON.stringify(engine.top) === JSON.stringify(referenceTop);
const exact = engine.distinctWords === table.size && engine.totalWords === table.total && sameTop;

const sortBytes = 2 * profile.budgetBytes;
process.stdout.write(`sortByKey over ${sortBytes / MIB} MiB, memoryBytesMax ${profile.budgetBytes / MIB} MiB …\n`);
const sortRun = runWithPeakRss([CHILD, 'sort', String(profile.budgetBytes), String(sortBytes)], 'out-of-core sort');
const sort = JSON.parse(sortRun.line) as { seconds: number; spillFiles: number; records: number; exact: boolean };

const mib = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / MIB).toFixed(0)} MiB`);
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
const rss = wordCountRun.peakRssBytes;
const lines = [
  `# out-of-core results (${quick ? 'quick' : 'full'} run)`,
  '',
  `- machine: ${cpus()[0]?.model.trim() ?? 'unknown'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end)`,
  `- Node ${process.version}, ${process.platform} ${process.arch}`,
  `- date: ${startedAt.toISOString()}; load average at start ${loadAtStart.map((l) => l.toFixed(1)).join(' / ')}`,
  `- command: \`npm run bench:out-of-core${quick ? ' -- --quick' : ''}\``,
  `- corpus: ${(profile.corpus.bytes / MIB).toFixed(0)} MiB in ${profile.corpus.files} files, seed ${profile.corpus.seed}, ${corpus.dir}`,
  '',
  '| target | measured | met |',
  '|---|---|---|',
  `| columnar word count, memoryBytesMax ${mib(profile.budgetBytes)}: completes exactly | ${engine.distinctWords.toLocaleString('en')} distinct, ${engine.totalWords.toLocaleString('en')} words, top 20 ${sameTop ? 'equal' : 'different'}; native reference ${table.size.toLocaleString('en')} / ${table.total.toLocaleString('en')} | ${yes(exact)} |`,
  `| … with peak RSS ≤ ${mib(profile.rssLimitBytes)} | ${mib(rss)} (${engine.seconds} s, ${engine.spillFiles} spill files) | ${rss === null ? 'not measured' : yes(rss <= profile.rssLimitBytes)} |`,
  `| sortByKey over ${mib(sortBytes)} (twice the budget) spills and completes exactly | ${sort.records.toLocaleString('en')} records, ${sort.seconds} s, ${sort.spillFiles} spill files, peak RSS ${mib(sortRun.peakRssBytes)} | ${yes(sort.exact && sort.spillFiles > 0)} |`,
  '',
  `The word count runs two jobs over the counts (totals, then the top 20), so its time covers both. The native`,
  `reference (one thread, byte scan, no kindling code) took ${referenceSeconds.toFixed(1)} s. Peak RSS is`,
  '`/usr/bin/time -v` of the whole child process.',
  '',
];
const path = fileURLToPath(new URL(`../../native-bench/${profile.out}`, import.meta.url));
writeFileSync(path, `${lines.join('\n')}`);
process.stdout.write(`${lines.join('\n')}\nwritten to ${path}\n`);
if (!exact || !sort.exact) process.exitCode = 1;
