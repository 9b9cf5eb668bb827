#!/usr/bin/env node
/**
 * `kindling-wordcount`: counts the words of text files with kindling. See `usageText` in parse-arguments.ts for the
 * command line, and README.md next to this file.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { col, ConsoleProgressBar, Context, OutputError, type Dataset } from '../../src/index.js';
import { formatBytes } from './byte-size.js';
import { byFrequency, countWords, countWordsColumnar, toTsvLine } from './count-words.js';
import { shownWord, wordCharsShown } from './cut-word.js';
import {
  parseWordCountArguments,
  STDIN_PATH,
  usageText,
  UsageError,
  type WordCountArguments,
} from './parse-arguments.js';
import { spoolStdin, stdinIsPipeOrFile, type StdinSpool } from './stdin-spool.js';
import { stopOnSignals } from './stop-on-signals.js';
import { writeCountsJson } from './write-json-output.js';

const NAME = 'kindling-wordcount';

/**
 * The sample corpus that ships with the package, found relative to this file: from the compiled
 * `dist/examples/word-count/cli.js` it is the source tree's `examples/word-count/sample`.
 */
const SAMPLE_DIR = fileURLToPath(new URL('../../../examples/word-count/sample', import.meta.url));

/**
 * The Context's in-memory shuffle budget (`shuffleMemoryBytesMax`) for the count: a quarter of the default. A map
 * task keeps its partial counts in memory only up to the budget over 4 × threads (1 MiB a task with 4 threads);
 * a split of a large vocabulary has MiBs of them, which then go to a spill file, and the reduce tasks read them
 * back into one reused buffer per thread. So the process holds the counters, not every task's counts: on a 1 GiB
 * corpus of 1.15 M distinct words the default budget held ~64 MiB of them (issue 11: peak RSS ≤ 200 MiB).
 */
const SHUFFLE_MEMORY_BYTES_MAX = 16 * 1024 * 1024;

/** Lines printed to stdout per write call, so a `--top 1000000` does not build one huge string. */
const LINES_PER_WRITE = 10_000;

/**
 * After SIGINT or SIGTERM during a run: resolves with the exit status (130, 143) once the Context stopped and the
 * job's temporary files are gone.
 */
let interrupted: Promise<number> | null = null;

/** Runs the command line; resolves to the exit status. Never throws. */
async function main(argv: readonly string[]): Promise<number> {
  let args: WordCountArguments;
  try {
    args = parseWordCountArguments(argv, { threads: availableParallelism() });
  } catch (error) {
    return reportError(error);
  }
  if (args.help) {
    process.stdout.write(usageText(availableParallelism()));
    return 0;
  }
  try {
    await run(args);
  } catch (error) {
    // The job was aborted by the signal: its status says so, not the abort's error.
    if (interrupted === null) return reportError(error);
  }
  return interrupted === null ? 0 : await interrupted;
}

async function run(args: WordCountArguments): Promise<void> {
  const given = args.paths.length > 0 ? args.paths : [sampleCorpus(args.quiet)];
  // Fail before counting anything: the engine would only find out when it starts writing.
  if (args.out !== null && !args.overwrite && existsSync(args.out)) {
    throw new OutputError(
      'ERR_OUTPUT_EXISTS',
      `Output path ${args.out} already exists: expected a path that does not exist. Pass --overwrite to replace it`,
    );
  }
  // The CLI draws the Context's progress bar itself, to erase it before printing the counts.
  const kc = new Context({ threads: args.threads, progress: false, shuffleMemoryBytesMax: SHUFFLE_MEMORY_BYTES_MAX });
  const progress = !args.quiet && process.stderr.isTTY ? new ConsoleProgressBar(process.stderr) : null;
  const offProgress = kc.onStageProgress((p) => progress?.update(p));
  const offBytes =
    progress === null
      ? () => {}
      : kc.onEvent((e) => {
          if (e.kind === 'task-end' && e.metrics !== null) progress.addBytesRead(e.metrics.bytesRead);
        });
  const unsubscribe = () => {
    offProgress();
    offBytes();
  };
  // Ctrl-C while stdin is being copied ends the copy too (the Context has no job yet to abort).
  const spooling = new AbortController();
  let spool: StdinSpool | null = null;
  const signals = stopOnSignals(kc, (signal) => {
    spooling.abort();
    progress?.stop();
    if (!args.quiet) process.stderr.write(`${NAME}: ${signal}: stopping the job and removing its temporary files\n`);
  });
  // Temporary folders of earlier runs that were killed (kill -9), removed by this run's jobs.
  let staleRemoved = 0;
  let notedJobId = -1;
  const noteStale = () => {
    const metrics = kc.lastJobMetrics;
    if (metrics === null || metrics.jobId === notedJobId) return;
    notedJobId = metrics.jobId;
    staleRemoved += metrics.staleTempDirsRemoved;
  };
  try {
    if (given.includes(STDIN_PATH)) spool = await spoolStdin(process.stdin, { signal: spooling.signal });
    const paths = given.map((path) => (path === STDIN_PATH ? spool!.path : path));
    const countOptions = { lower: args.lower, minLength: args.minLength, minPartitions: args.partitions };
    const columnar = args.engine === 'columnar' ? countWordsColumnar(kc, paths, countOptions) : null;
    // --out sorts and writes every count through the RDD API on either engine: only the counting differs.
    const counts =
      columnar === null
        ? countWords(kc, paths, countOptions)
        : columnar.toRDD().map((row): [string, number] => [row['word'] as string, row['count'] as number]);
    // Two actions over the same counts: keep them instead of reading and counting the input twice.
    if (args.out !== null && args.top !== null) counts.persist();
    if (args.out !== null) {
      const sorted = counts.sortBy(byFrequency);
      if (args.format === 'tsv') {
        await sorted.map(toTsvLine).saveAsTextFile(args.out, { overwrite: args.overwrite });
        noteStale();
      } else {
        // Partition by partition, the next one's job running while this one is written: the process holds two
        // partitions of the counts, not all of them (a 1 GiB corpus has ~1.15 M).
        const pairs = sorted.toLocalIterator(true);
        staleRemoved += (await writeCountsJson(args.out, pairs, { overwrite: args.overwrite })).staleDirsRemoved;
        noteStale();
      }
    }
    const top =
      args.top === null
        ? []
        : columnar === null || args.out !== null
          ? await counts.takeOrdered(args.top, byFrequency)
          : await topColumnar(columnar, args.top);
    noteStale();
    progress?.stop();
    if (staleRemoved > 0 && !args.quiet) {
      process.stderr.write(
        `${NAME}: removed ${staleRemoved} temporary folder${staleRemoved === 1 ? '' : 's'} left by interrupted runs\n`,
      );
    }
    const toTerminal = process.stdout.isTTY === true;
    const charsShown = wordCharsShown(args.truncate, toTerminal);
    for (let i = 0; i < top.length; i += LINES_PER_WRITE) {
      process.stdout.write(
        `${top
          .slice(i, i + LINES_PER_WRITE)
          .map(([word, count]) => toTsvLine([shownWord(word, charsShown, toTerminal), count]))
          .join('\n')}\n`,
      );
    }
  } finally {
    interrupted = signals.interrupted;
    signals.release();
    unsubscribe();
    progress?.stop();
    // Every job of the run has ended (unlinked, a file still open elsewhere stays readable on POSIX systems).
    spool?.remove();
    await kc.stop();
  }
}

/** The `n` most frequent words by the columnar sort: count descending, then word by UTF-16 code units. */
async function topColumnar(counts: Dataset, n: number): Promise<[string, number][]> {
  const rows = await counts.orderBy(col('count').desc(), 'word').limit(n).collect();
  return rows.map((row) => [row['word'] as string, row['count'] as number]);
}

/** The shipped sample's directory; says on stderr that it is the one being counted. */
function sampleCorpus(quiet: boolean): string {
  let files: string[];
  try {
    files = readdirSync(SAMPLE_DIR).filter((name) => !name.startsWith('.') && !name.startsWith('_'));
  } catch {
    throw new Error(`no paths given, and the sample corpus is missing at ${SAMPLE_DIR}: pass files to count`);
  }
  if (!quiet) {
    const bytes = files.reduce((sum, name) => sum + statSync(join(SAMPLE_DIR, name)).size, 0);
    process.stderr.write(
      `Counting the sample corpus shipped with kindling: ${SAMPLE_DIR} (${files.length} files, ${formatBytes(bytes)}). ` +
        'Pass files, directories or globs to count your own' +
        (stdinIsPipeOrFile() ? `, or ${STDIN_PATH} to count standard input (not read without it).\n` : '.\n'),
    );
  }
  return SAMPLE_DIR;
}

/** One line `kindling-wordcount: <message>` on stderr (plus the stack with KINDLING_DEBUG=1); returns the status. */
function reportError(error: unknown): number {
  const usage = error instanceof UsageError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${NAME}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  if (process.env['KINDLING_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return usage ? 2 : 1;
}

// A reader that goes away early (`kindling-wordcount | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
