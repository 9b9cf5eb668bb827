#!/usr/bin/env node
/**
 * Shuffle cost against partitions, and the memory of an idle Context (issue 11), each point in a child process of
 * its own so its peak RSS is its own:
 *
 *   node dist/native-bench/scaling-report.js [--partitions 100,500,1000,2000] [--threads 2] [--out FILE]
 *
 * Shuffle point p: `kc.range(0, 1e6, 1, p).map((x) => [x % 1000, 1]).reduceByKey((a, b) => a + b, p).count()` on
 * a fresh Context (pool start-up excluded from the time, included in the peak RSS). Idle Context: the RSS of a
 * process whose Context ran one tiny job (so every worker thread is up), after a GC, with nothing else held.
 * Prints a markdown section; `--out` also writes it to FILE.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Context } from '../src/index.js';
import { runWithPeakRss } from './peak-rss.js';

const SELF = fileURLToPath(import.meta.url);
const MiB = 2 ** 20;

interface ShufflePoint {
  readonly partitions: number;
  readonly wallMs: number;
  /** CPU time of the whole process (every thread) during the job. */
  readonly cpuMs: number;
  readonly count: number;
  readonly peakRssBytes: number;
}

interface IdlePoint {
  readonly rssBytes: number;
  readonly peakRssBytes: number;
}

async function shuffleChild(partitions: number, threads: number): Promise<void> {
  const kc = new Context({ threads });
  await kc.range(0, threads, 1, threads).count(); // every worker thread up before timing
  const startedMs = performance.now();
  const cpuBefore = process.cpuUsage();
  const count = await kc
    .range(0, 1e6, 1, partitions)
    .map((x: number): [number, number] => [x % 1000, 1])
    .reduceByKey((a: number, b: number) => a + b, partitions)
    .count();
  const wallMs = performance.now() - startedMs;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await kc.stop();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ wallMs, cpuMs, count, maxRssBytes })}\n`);
}

async function idleChild(threads: number): Promise<void> {
  const kc = new Context({ threads });
  await kc.range(0, threads, 1, threads).count();
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const rssBytes = process.memoryUsage().rss;
  await kc.stop();
  process.stdout.write(`${JSON.stringify({ rssBytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

function measureShuffle(partitions: number, threads: number): ShufflePoint {
  const run = runWithPeakRss(
    [SELF, '--child', 'shuffle', String(partitions), String(threads)],
    `shuffle p=${partitions}`,
  );
  const reported = JSON.parse(run.line) as { wallMs: number; cpuMs: number; count: number; maxRssBytes: number };
  return {
    partitions,
    wallMs: reported.wallMs,
    cpuMs: reported.cpuMs,
    count: reported.count,
    peakRssBytes: run.peakRssBytes ?? reported.maxRssBytes,
  };
}

function measureIdle(threads: number): IdlePoint {
  const run = runWithPeakRss(['--expose-gc', SELF, '--child', 'idle', '0', String(threads)], 'idle Context');
  const reported = JSON.parse(run.line) as { rssBytes: number; maxRssBytes: number };
  return { rssBytes: reported.rssBytes, peakRssBytes: run.peakRssBytes ?? reported.maxRssBytes };
}

function flag(args: readonly string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const [, kind, partitions, threads] = args;
    if (kind === 'shuffle') return shuffleChild(Number(partitions), Number(threads));
    return idleChild(Number(threads));
  }
  const threads = Number(flag(args, '--threads', '2'));
  const partitionList = flag(args, '--partitions', '100,500,1000,2000').split(',').map(Number);
  const lines = [
    `## shuffle against partitions, idle Context (issue 11)`,
    '',
    `- ${new Date().toISOString()}, Node ${process.version}, ${threads} threads, load average at start ` +
      `${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}`,
    `- command: \`node dist/native-bench/scaling-report.js --partitions ${partitionList.join(',')} --threads ${threads}\``,
    '',
  ];
  const idle = measureIdle(threads);
  lines.push(
    `Idle ${threads}-thread Context (one tiny job run, then GC): RSS ${(idle.rssBytes / MiB).toFixed(0)} MiB ` +
      `(peak ${(idle.peakRssBytes / MiB).toFixed(0)} MiB)`,
    '',
    '`kc.range(0, 1e6, 1, p).map((x) => [x % 1000, 1]).reduceByKey((a, b) => a + b, p).count()`, one child per p:',
    '',
    '| p (map = reduce partitions) | wall | CPU time (all threads) | peak RSS | count |',
    '|---:|---:|---:|---:|---:|',
  );
  process.stdout.write(lines.join('\n') + '\n');
  for (const partitions of partitionList) {
    const point = measureShuffle(partitions, threads);
    if (point.count !== 1000) throw new Error(`p=${partitions}: count() is ${point.count}, expected 1000`);
    const row = `| ${partitions} | ${(point.wallMs / 1000).toFixed(2)} s | ${(point.cpuMs / 1000).toFixed(2)} s | ${(point.peakRssBytes / MiB).toFixed(0)} MiB | ${point.count} |`;
    lines.push(row);
    process.stdout.write(row + '\n');
  }
  const out = flag(args, '--out', '');
  if (out !== '') writeFileSync(out, lines.join('\n') + '\n');
}

await main();
