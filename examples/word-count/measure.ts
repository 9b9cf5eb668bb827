#!/usr/bin/env node
/**
 * Measures the word count on a big generated corpus: wall time, CPU time and peak RSS of the whole CLI process
 * (worker threads included) for each thread count. Not a test: it takes minutes.
 *
 *   node dist/examples/word-count/measure.js [--bytes 1GiB] [--files 8] [--threads 1,2] [--engines columnar,rdd] [--dir DIR]
 *
 * The corpus is generated once into DIR (default: a directory in os.tmpdir() named after size and seed) and reused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { formatBytes, parseByteSize } from './byte-size.js';
import { generateCorpusFiles } from './generate-corpus.js';

const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));
const TIME = '/usr/bin/time';
const SEED = 1;
/** Written last into the corpus directory: its absence means an interrupted generation. `_` hides it from textFile. */
const COMPLETE_MARKER = '_COMPLETE';

/** What one run cost. */
interface Measurement {
  readonly engine: string;
  readonly threads: number;
  readonly wallS: number;
  readonly userS: number;
  readonly systemS: number;
  readonly peakRssBytes: number;
  readonly stdout: string;
}

function fail(message: string): never {
  process.stderr.write(`measure: ${message}\n`);
  process.exit(2);
}

function ensureCorpus(dir: string, bytes: number, files: number): void {
  if (existsSync(join(dir, COMPLETE_MARKER))) {
    process.stdout.write(`corpus: reusing ${dir}\n`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
  const startedMs = performance.now();
  generateCorpusFiles(dir, { bytes, files, seed: SEED });
  writeFileSync(join(dir, COMPLETE_MARKER), '');
  const seconds = (performance.now() - startedMs) / 1000;
  process.stdout.write(
    `corpus: generated ${formatBytes(bytes)} in ${files} files into ${dir} in ${seconds.toFixed(1)} s\n`,
  );
}

/**
 * Runs the CLI under `/usr/bin/time -v` when there is one (its peak RSS covers the whole process); otherwise
 * preloads a module that prints `process.resourceUsage()` as the process exits.
 */
function measure(dir: string, engine: string, threads: number): Measurement {
  const cliArgs = [CLI, dir, '--quiet', '--top', '10', '--threads', String(threads), '--engine', engine];
  const useTime = existsSync(TIME);
  const reporter =
    'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();' +
    'process.stderr.write(`\\nRUSAGE ${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\\n`)})';
  const [command, args] = useTime
    ? [TIME, ['-v', process.execPath, ...cliArgs]]
    : [process.execPath, ['--import', reporter, ...cliArgs]];
  const startedMs = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallS = (performance.now() - startedMs) / 1000;
  if (result.status !== 0) fail(`the CLI failed (status ${result.status}): ${result.stderr.trim()}`);
  if (useTime) {
    const field = (label: string): number => {
      const match = new RegExp(`${label}[^:]*: ([\\d.]+)`).exec(result.stderr);
      if (match === null) fail(`no '${label}' in the output of ${TIME} -v`);
      return Number(match[1]);
    };
    return {
      engine,
      threads,
      wallS,
      userS: field('User time'),
      systemS: field('System time'),
      peakRssBytes: field('Maximum resident set size') * 1024,
      stdout: result.stdout,
    };
  }
  const match = /RUSAGE (\d+) (\d+) (\d+)/.exec(result.stderr);
  if (match === null) fail('the CLI did not report its resource usage');
  return {
    engine,
    threads,
    wallS,
    userS: Number(match[2]) / 1e6,
    systemS: Number(match[3]) / 1e6,
    peakRssBytes: Number(match[1]) * 1024,
    stdout: result.stdout,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      bytes: { type: 'string', default: '1GiB' },
      files: { type: 'string', default: '8' },
      threads: { type: 'string', default: '1,2' },
      engines: { type: 'string', default: 'columnar' },
      dir: { type: 'string' },
    },
  });
  const bytes = parseByteSize(values.bytes);
  if (bytes === null || bytes < 1) fail(`--bytes expects a size like 1GiB, found '${values.bytes}'`);
  const files = Number(values.files);
  if (!Number.isSafeInteger(files) || files < 1) fail(`--files expects an integer >= 1, found '${values.files}'`);
  const threadCounts = values.threads.split(',').map(Number);
  if (threadCounts.some((t) => !Number.isSafeInteger(t) || t < 0))
    fail(`--threads expects e.g. 1,2, found '${values.threads}'`);
  const engines = values.engines.split(',');
  if (engines.some((e) => e !== 'columnar' && e !== 'rdd'))
    fail(`--engines expects e.g. columnar,rdd, found '${values.engines}'`);
  const dir = values.dir ?? join(tmpdir(), `kindling-wordcount-corpus-${bytes}-${files}-seed${SEED}`);

  ensureCorpus(dir, bytes, files);
  const results: Measurement[] = [];
  for (const engine of engines) {
    for (const threads of threadCounts) {
      process.stdout.write(`running --engine ${engine} --threads ${threads} …\n`);
      results.push(measure(dir, engine, threads));
    }
  }
  process.stdout.write(
    `\ncorpus ${formatBytes(bytes)} (${files} files), top 10 printed, ${existsSync(TIME) ? TIME + ' -v' : 'process.resourceUsage()'}\n`,
  );
  process.stdout.write('engine     threads    wall      user+sys   peak RSS\n');
  for (const r of results) {
    const cpu = `${(r.userS + r.systemS).toFixed(1)} s`;
    process.stdout.write(
      `${r.engine.padEnd(10)} ${String(r.threads).padEnd(10)} ${`${r.wallS.toFixed(1)} s`.padEnd(9)} ${cpu.padEnd(10)} ${formatBytes(r.peakRssBytes)}\n`,
    );
  }
  const outputs = new Set(results.map((r) => r.stdout));
  process.stdout.write(
    outputs.size === 1 ? '\nall runs printed the same top 10\n' : '\nWARNING: the runs printed different results\n',
  );
  process.stdout.write(`\n${results[0]?.stdout ?? ''}`);
}

main();
