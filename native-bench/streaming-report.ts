#!/usr/bin/env node
/**
 * `npm run bench:streaming`: the streaming measurements of issue 9, written to native-bench/STREAMING.md.
 *
 *   1. Throughput: the stateful streaming word count (`kindling-stream-wordcount --available-now`) against the batch
 *      word count on the same files (RDD path and default columnar path), whole processes run in turn A B C A B C,
 *      wall time and peak RSS from /usr/bin/time -v.
 *   2. Latency: a memory source fed 100 k words/s, processing-time trigger 100 ms, file sink: p50 and p99 batch time.
 *   3. Recovery: restart time of a 1 M-key state as a function of the deltas since the last snapshot, and the cost
 *      of a snapshot batch against a delta batch.
 *   4. The two-phase commit: per-batch time with the exactly-once file sink against an at-least-once foreachBatch
 *      that writes the same lines.
 *
 *   5. Event-time windows (`windows`): `reduceByKeyAndWindow` over seeded event files against the same windows
 *      counted by batch jobs (RDD and columnar paths): streaming-windows.ts.
 *
 *   6. `postgres`, `jetstream` (not in the default set: they need the test servers, see streaming-external.ts):
 *      rows/s into PostgreSQL with and without two-phase commit, and messages/s from JetStream.
 *
 *   node dist/native-bench/streaming-report.js [--corpus-mib N] [--runs N] [--latency-seconds N] [--out FILE]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context } from '../src/index.js';
import { ensureCorpus } from './corpus.js';
import { jetstreamThroughput, postgresThroughput } from './streaming-external.js';
import { windowsThroughput } from './streaming-windows.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!, process.argv[i + 1] ?? '');
const CORPUS_MIB = Number(args.get('--corpus-mib') ?? 256);
const RUNS = Number(args.get('--runs') ?? 3);
const LATENCY_SECONDS = Number(args.get('--latency-seconds') ?? 20);
const OUT = args.get('--out') ?? fileURLToPath(new URL('../../native-bench/STREAMING.md', import.meta.url));
const STREAM_CLI = fileURLToPath(new URL('../examples/stream-word-count/cli.js', import.meta.url));
const BATCH_CLI = fileURLToPath(new URL('../examples/word-count/cli.js', import.meta.url));

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const fresh = (prefix: string): string => mkdtempSync(join(tmpdir(), `kindling-bench-${prefix}-`));

/** One whole process under /usr/bin/time -v: wall ms and peak RSS in MiB. */
function timeProcess(command: readonly string[]): { wallMs: number; peakMib: number } {
  const startedMs = performance.now();
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, ...command], { encoding: 'utf8' });
  const wallMs = performance.now() - startedMs;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  return { wallMs, peakMib: rss === null ? Number.NaN : Number(rss[1]) / 1024 };
}

function throughput(lines: string[]): void {
  const corpus = ensureCorpus({ bytes: CORPUS_MIB * 1024 * 1024, files: 8, seed: 1 });
  const variants = {
    stream: (): string[] => {
      const root = fresh('stream');
      return [
        STREAM_CLI,
        corpus.dir,
        '--out',
        join(root, 'out'),
        '--checkpoint',
        join(root, 'ckpt'),
        '--available-now',
        '--threads',
        '2',
        '--quiet',
      ];
    },
    'batch rdd': (): string[] => [
      BATCH_CLI,
      corpus.dir,
      '--engine',
      'rdd',
      '--threads',
      '2',
      '--out',
      join(fresh('rdd'), 'out'),
      '--quiet',
    ],
    'batch columnar': (): string[] => [
      BATCH_CLI,
      corpus.dir,
      '--threads',
      '2',
      '--out',
      join(fresh('col'), 'out'),
      '--quiet',
    ],
  };
  const results = new Map<string, { wallMs: number; peakMib: number }[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const [name, command] of Object.entries(variants)) {
      const measured = timeProcess(command());
      results.set(name, [...(results.get(name) ?? []), measured]);
      console.log(
        `throughput run ${run} ${name}: ${Math.round(measured.wallMs)} ms, ${measured.peakMib.toFixed(0)} MiB`,
      );
    }
  }
  const words = (CORPUS_MIB * 1024 * 1024) / 6.5; // the generator's mean word + separator length is about 6.5 bytes
  const stream = median(results.get('stream')!.map((r) => r.wallMs));
  lines.push(
    `## Throughput: stateful streaming word count vs batch, ${CORPUS_MIB} MiB, 2 threads, ${RUNS} runs each in turn`,
    '',
  );
  lines.push('| job | median wall | words/s (about) | peak RSS | stream / this |', '|---|---|---|---|---|');
  for (const [name, measured] of results) {
    const wall = median(measured.map((r) => r.wallMs));
    lines.push(
      `| ${name} | ${(wall / 1000).toFixed(2)} s | ${(words / (wall / 1000) / 1e6).toFixed(1)} M | ${median(measured.map((r) => r.peakMib)).toFixed(0)} MiB | ${(stream / wall).toFixed(2)}× |`,
    );
  }
  lines.push('');
}

async function latency(lines: string[]): Promise<void> {
  const root = fresh('latency');
  const kc = new Context({ threads: 2 });
  const input = kc.readStream.memory<string>();
  const query = input
    .map((w: string) => [w, 1])
    .updateStateByKey((values: number[], n: number | undefined) => (n ?? 0) + values.length, { numPartitions: 2 })
    .writeStream.trigger({ processingTimeMs: 100 })
    .option('checkpointLocation', join(root, 'ckpt'))
    .format('jsonl')
    .start(join(root, 'out'));
  let word = 0;
  const producer = setInterval(() => {
    const words: string[] = [];
    for (let i = 0; i < 1_000; i++) words.push(`w${(word++ * 7919) % 20_000}`);
    input.addData(...words);
  }, 10); // 1,000 words every 10 ms: 100 k words/s
  await new Promise((resolve) => setTimeout(resolve, LATENCY_SECONDS * 1000));
  clearInterval(producer);
  await query.stop();
  await kc.stop();
  const batches = query.recentProgress.slice(3); // the first batches warm the pool up
  const totals = batches.map((p) => p.durationMs.total);
  const rows = batches.map((p) => p.numInputRows);
  lines.push(
    `## Latency: memory source at 100 k words/s, processingTimeMs 100, 20 k distinct keys, file sink, 2 threads`,
    '',
  );
  lines.push(
    `${batches.length} batches after 3 warm-up ones, ${Math.round(median(rows))} words per batch (median).`,
    '',
  );
  lines.push('| p50 | p90 | p99 | max |', '|---|---|---|---|');
  lines.push(
    `| ${median(totals).toFixed(1)} ms | ${percentile(totals, 90).toFixed(1)} ms | ${percentile(totals, 99).toFixed(1)} ms | ${Math.max(...totals).toFixed(1)} ms |`,
    '',
  );
  rmSync(root, { recursive: true, force: true });
}

/** Runs a stateful query over pairs until the memory source is drained; returns its progress. */
async function runPairs(
  checkpoint: string,
  out: string,
  batches: [string, number][][],
  snapshotEveryDeltas: number,
  sink: 'jsonl' | 'foreachBatch' = 'jsonl',
  maxRecordsPerTrigger?: number,
) {
  const kc = new Context({ threads: 2 });
  const input = kc.readStream.memory<[string, number]>(
    maxRecordsPerTrigger === undefined ? {} : { maxRecordsPerTrigger },
  );
  // In slices: a spread of a million arguments overflows the stack.
  for (const batch of batches)
    for (let i = 0; i < batch.length; i += 10_000) input.addData(...batch.slice(i, i + 10_000));
  const writer = input
    .updateStateByKey((values: number[], n: number | undefined) => (n ?? 0) + values.reduce((a, b) => a + b, 0), {
      numPartitions: 2,
    })
    .writeStream.trigger({ processingTimeMs: 0 })
    .option('checkpointLocation', checkpoint)
    .option('snapshotEveryDeltas', snapshotEveryDeltas);
  const query =
    sink === 'jsonl'
      ? writer.format('jsonl').start(out)
      : writer
          .foreachBatch(async (rdd, batchId) => {
            const rows = await rdd.collect();
            writeFileSync(join(out, `batch-${batchId}.jsonl`), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
          })
          .start();
  return { kc, input, query };
}

async function recovery(lines: string[]): Promise<void> {
  const keys = Number(args.get('--keys') ?? 1_000_000);
  lines.push(`## Recovery and snapshots: ${keys / 1e6} M keys in state, 2 partitions, 2 threads`, '');
  lines.push(
    'Restart time = from `start()` of a new process-like Context to the end of its first batch (1,000 updates), which rebuilds state from the newest snapshot plus the deltas after it.',
    '',
  );
  lines.push('| deltas since snapshot | restart to first batch | of which the batch |', '|---|---|---|');
  const big: [string, number][] = Array.from({ length: keys }, (_, i) => [`key-${i}`, 1]);
  const small = (seed: number): [string, number][] =>
    Array.from({ length: 1_000 }, (_, i) => [`key-${(seed * 1_000_003 + i * 7_919) % keys}`, 1]);
  for (const deltas of [0, 5, 10, 20]) {
    const root = fresh('recovery');
    const ckpt = join(root, 'ckpt');
    const out = join(root, 'out');
    // Batch 0 writes 1 M keys and a snapshot (snapshotEveryDeltas 1), then `deltas` small batches with no snapshot.
    let run = await runPairs(ckpt, out, [big], 1);
    await waitForBatches(run.query, 1);
    await run.query.stop();
    await run.kc.stop();
    run = await runPairs(
      ckpt,
      out,
      [big, ...Array.from({ length: deltas }, (_, i) => small(i))],
      1_000,
      'jsonl',
      1_000,
    );
    await waitForBatches(run.query, deltas);
    await run.query.stop();
    await run.kc.stop();
    const startedMs = performance.now();
    run = await runPairs(
      ckpt,
      out,
      [big, ...Array.from({ length: deltas }, (_, i) => small(i)), small(99)],
      1_000,
      'jsonl',
      1_000,
    );
    await waitForBatches(run.query, 1);
    const restartMs = performance.now() - startedMs;
    const batchMs = run.query.lastProgress!.durationMs.total;
    await run.query.stop();
    await run.kc.stop();
    lines.push(`| ${deltas} | ${restartMs.toFixed(0)} ms | ${batchMs.toFixed(0)} ms |`);
    rmSync(root, { recursive: true, force: true });
  }
  // Snapshot cost: 1 M keys loaded in one run, then small batches in a second run whose versions alternate between
  // delta only and delta + snapshot (snapshotEveryDeltas 2); the restart's first batch (a rebuild) is left out.
  const root = fresh('snapshot');
  const ckpt = join(root, 'ckpt');
  let run = await runPairs(ckpt, join(root, 'out'), [big], 2);
  await waitForBatches(run.query, 1);
  await run.query.stop();
  await run.kc.stop();
  const smalls = Array.from({ length: 9 }, (_, i) => small(i));
  run = await runPairs(ckpt, join(root, 'out'), [big, ...smalls], 2, 'jsonl', 1_000);
  await waitForBatches(run.query, smalls.length);
  await run.query.stop();
  await run.kc.stop();
  const later = run.query.recentProgress.slice(1);
  const withSnapshot = later.filter((p) => (p.batchId + 1) % 2 === 0).map((p) => p.durationMs.total);
  const deltaOnly = later.filter((p) => (p.batchId + 1) % 2 !== 0).map((p) => p.durationMs.total);
  lines.push(
    '',
    `A batch of 1,000 updates over ${keys / 1e6} M keys: ${median(deltaOnly).toFixed(0)} ms with a delta only, ${median(withSnapshot).toFixed(0)} ms when it also writes a snapshot (medians of ${deltaOnly.length} and ${withSnapshot.length}).`,
    '',
  );
  rmSync(root, { recursive: true, force: true });
}

async function twoPhaseCost(lines: string[]): Promise<void> {
  const batches = Array.from({ length: 30 }, (_, b) =>
    Array.from({ length: 10_000 }, (_, i): [string, number] => [`w${(b * 31 + i * 17) % 5_000}`, 1]),
  );
  const results: Record<string, number> = {};
  for (const sink of ['jsonl', 'foreachBatch', 'jsonl', 'foreachBatch'] as const) {
    const root = fresh('2pc');
    if (sink === 'foreachBatch') mkdirSync(join(root, 'out'), { recursive: true });
    const run = await runPairs(join(root, 'ckpt'), join(root, 'out'), batches, 10, sink, 10_000);
    await waitForBatches(run.query, batches.length);
    await run.query.stop();
    await run.kc.stop();
    const totals = run.query.recentProgress.slice(5).map((p) => p.durationMs.total);
    results[sink] = Math.min(results[sink] ?? Number.POSITIVE_INFINITY, median(totals));
    rmSync(root, { recursive: true, force: true });
  }
  lines.push('## The cost of the two-phase commit', '');
  lines.push('30 batches of 10,000 updates over 5,000 keys, 2 threads: median batch time (best of two runs each).', '');
  lines.push('| sink | median batch |', '|---|---|');
  lines.push(
    `| jsonl file sink (exactly-once: prepare, record handles, commit by rename, all fsynced) | ${results.jsonl!.toFixed(1)} ms |`,
  );
  lines.push(`| foreachBatch writing the same lines (at-least-once) | ${results.foreachBatch!.toFixed(1)} ms |`, '');
}

/** Resolves once the query has committed `count` more batches than when called (event-driven by its progress). */
async function waitForBatches(
  query: { recentProgress: readonly unknown[]; isActive: boolean },
  count: number,
): Promise<void> {
  const target = query.recentProgress.length + count;
  while (query.recentProgress.length < target && query.isActive) await new Promise((resolve) => setTimeout(resolve, 5));
}

const lines = [
  '# Streaming measurements',
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}. Command: \`npm run bench:streaming -- --corpus-mib ${CORPUS_MIB} --runs ${RUNS}\`. Shared, noisy machine: compare ratios within one run.`,
  '',
];
const SECTIONS = (args.get('--sections') ?? 'throughput,latency,recovery,2pc,windows').split(',');
const flush = (): void => writeFileSync(OUT, `${lines.join('\n')}\n`);
if (SECTIONS.includes('throughput')) {
  throughput(lines);
  flush();
}
if (SECTIONS.includes('latency')) {
  await latency(lines);
  flush();
}
if (SECTIONS.includes('recovery')) {
  await recovery(lines);
  flush();
}
if (SECTIONS.includes('2pc')) {
  await twoPhaseCost(lines);
  flush();
}
if (SECTIONS.includes('windows')) {
  await windowsThroughput(lines, RUNS);
  flush();
}
if (SECTIONS.includes('postgres')) {
  await postgresThroughput(lines);
  flush();
}
if (SECTIONS.includes('jetstream')) {
  await jetstreamThroughput(lines);
  flush();
}
writeFileSync(OUT, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
