#!/usr/bin/env node
/**
 * The native-bench suite: micro and macro benchmarks of the engine next to native single-thread baselines, printed
 * as tinybench tables and written to native-bench/RESULTS.md (`--quick`: small sizes, RESULTS-quick.md).
 *
 *   npm run bench          # 1 GiB corpus (generated once into os.tmpdir()), 20M-row group-by: many minutes
 *   npm run bench:quick    # same code, small sizes: under a minute
 *
 * Options: `--quick`, `--out FILE` (default native-bench/RESULTS.md or RESULTS-quick.md under the current directory),
 * `--only micro|macro|observability`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

import type { BenchGroup } from './bench-group.js';
import { ensureCorpus } from './corpus.js';
import { runEmptyTasksBench, runGroupByBench, runWordCountBench } from './macro.js';
import { runMicroBenches } from './micro.js';
import { runObservabilityBench } from './observability.js';
import { measurePeakRss, type PeakRss } from './peak-rss.js';
import { profileOf } from './profiles.js';
import { renderReport } from './report.js';
import type { WordCountEngine } from './word-count-jobs.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, out: { type: 'string' }, only: { type: 'string' } },
  });
  const profile = profileOf(values.quick ? 'quick' : 'full');
  const out = values.out ?? join(process.cwd(), 'native-bench', values.quick ? 'RESULTS-quick.md' : 'RESULTS.md');
  const startedAt = new Date();
  const loadAtStart = loadavg();
  // What was actually run: `npm run bench…`, or the script itself (e.g. from a private build directory).
  const event = process.env.npm_lifecycle_event;
  const command =
    event === 'bench' || event === 'bench:quick'
      ? `npm run ${event}`
      : `node ${scriptPath(process.argv[1] ?? 'run.js')} ${process.argv.slice(2).join(' ')}`.trim();

  const corpus = ensureCorpus(profile.corpus);
  const corpusNote = `${(profile.corpus.bytes / 1024 ** 2).toFixed(0)} MiB in ${profile.corpus.files} files, seed ${profile.corpus.seed}, ${corpus.dir} (${corpus.generated ? `generated in ${(corpus.generateMs / 1000).toFixed(1)} s` : 'reused'})`;
  process.stdout.write(`native-bench (${profile.name}): corpus ${corpusNote}\n`);

  const groups: BenchGroup[] = [];
  const peakRss: PeakRss[] = [];
  const selected = (name: 'micro' | 'macro' | 'observability') => values.only === undefined || values.only === name;
  if (selected('micro')) groups.push(...(await runMicroBenches(profile, corpus.paths[0]!)));
  if (selected('observability')) groups.push(await runObservabilityBench(profile, corpus.paths));
  if (selected('macro')) {
    groups.push(await runWordCountBench(profile, corpus.paths));
    groups.push(await runGroupByBench(profile));
    groups.push(await runEmptyTasksBench(profile));
    process.stdout.write('\n## word count: peak RSS (child processes)\n');
    const runs: [WordCountEngine, number][] = [
      ['native', 1],
      ['rdd', 1],
      ['rdd', 2],
      ['columnar', 1],
      ['columnar', 2],
      ['duckdb', 2],
    ];
    for (const [engine, threads] of runs) {
      try {
        const p = measurePeakRss(engine, threads, corpus.paths);
        peakRss.push(p);
        process.stdout.write(
          `${engine}, ${threads} thread(s): ${(p.peakRssBytes / 1024 ** 2).toFixed(0)} MiB peak RSS, ${(p.wallMs / 1000).toFixed(2)} s, ${p.distinct} distinct words\n`,
        );
      } catch (error) {
        process.stderr.write(`native-bench: peak RSS of ${engine}, ${threads} thread(s) failed: ${String(error)}\n`);
      }
    }
  }
  const roundTrip = groups.find((g) => g.title === 'task round-trip');
  const report = renderReport({
    profile,
    command,
    startedAt,
    loadAtStart,
    corpusNote,
    groups,
    peakRss,
    previous: existsSync(out) ? readFileSync(out, 'utf8') : null,
    roundTrip: roundTrip ? { group: roundTrip.title, task: roundTrip.pairs[0]!.engine } : null,
  });
  writeFileSync(out, report);
  process.stdout.write(`\n${report}\nwritten to ${out}\n`);
  const failed = groups.flatMap((g) => g.checks).filter((c) => !c.ok);
  if (failed.length > 0) {
    process.stderr.write(`native-bench: ${failed.length} result check(s) failed\n`);
    process.exitCode = 1;
  }
}

/** The script as the command line would name it: relative to the current directory when inside it. */
function scriptPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside.startsWith('..') ? path : inside;
}

await main();
