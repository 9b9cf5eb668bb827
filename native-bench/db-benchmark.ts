// The db-benchmark groupby questions (H2O.ai's, maintained by DuckDB Labs) on its G1 table, kindling against
// DuckDB (@duckdb/node-api, a devDependency) in one run: a seeded generator following groupby-datagen.R, the CSV
// loaded once per engine (kindling: read.csv into a cached Dataset, Arrow blocks in shared memory; DuckDB: a table), each
// question run twice as db-benchmark does, answers checked to agree (rows and column sums). Each engine runs in
// its own child process so its peak RSS is its own. nodejs-polars joins the run when it is installed
// (db-benchmark-polars.ts says how; POLARS_MAX_THREADS=2 as the others' 2 threads).
//
//   npm run bench:db-benchmark -- [rows=1e7] [k=100]        (writes native-bench/DB-BENCHMARK-G1_<rows>.md)
//   node dist/native-bench/db-benchmark.js --engine=kindling --csv=<file> [--questions=q3,q10]   (one engine, JSON out)
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Context, count } from '../src/index.js';
import {
  duckDbLoadSql,
  generateGroupbyTable,
  G1_SCHEMA,
  GROUPBY_COLUMNS,
  GROUPBY_QUESTIONS,
  GROUPBY_SQL,
  groupbyQuestion,
} from './db-benchmark-groupby.js';
import { loadPolars, polarsLoad, polarsQuestion } from './db-benchmark-polars.js';
import { groupbyCsvPath } from './groupby-csv-path.js';
import { warmContext } from './warm-context.js';

interface Timing {
  readonly question: string;
  readonly firstMs: number;
  readonly secondMs: number;
  readonly rows: number;
  readonly checksum: number[];
}

interface EngineResult {
  readonly engine: string;
  readonly loadMs: number;
  readonly timings: Timing[];
  readonly peakRssMiB: number;
  /** RSS of the whole process right after the load. */
  readonly loadRssMiB: number;
}

/** `--questions=q1,q6` (or DB_BENCHMARK_QUESTIONS=q1,q6) runs only those (for profiling one question); default all ten. */
const QUESTIONS_ARG = process.argv.find((a) => a.startsWith('--questions='));
const QUESTIONS = GROUPBY_QUESTIONS.filter((q) =>
  (QUESTIONS_ARG?.slice('--questions='.length) ?? process.env['DB_BENCHMARK_QUESTIONS'] ?? GROUPBY_QUESTIONS.join(','))
    .split(',')
    .includes(q),
);

async function runKindling(csv: string, threads: number): Promise<EngineResult> {
  // A budget under DuckDB's default memory_limit (80% of RAM) that holds the table: cached partitions must not be
  // evicted by the questions' shuffle outputs (they count against the same budget), or a question re-reads the CSV.
  const kc = new Context({ threads, memoryBytesMax: 8 * 2 ** 30 });
  // Workers started and their modules loaded before the timer, as DuckDB's instance is made before its timer.
  await warmContext(kc, csv, { header: true, schema: G1_SCHEMA });
  const started = performance.now();
  // Loaded once into a cached Dataset: each partition's columns stay where the task that parsed them put them, in
  // shared memory (no copy to the driver); a global count materializes it.
  const x = kc.read.csv(csv, { header: true, schema: G1_SCHEMA }).cache();
  await x.agg(count()).collect();
  const loadMs = performance.now() - started;
  const loadRssMiB = process.memoryUsage().rss / 2 ** 20;
  const timings = await timeQuestions(async (q) => {
    // A fresh plan per run (as a new DataFrame query): the second run must not reuse the first one's shuffle.
    const query = groupbyQuestion(x, q);
    const t = performance.now();
    const answer = await query.toArrow();
    const ms = performance.now() - t;
    const checksum = GROUPBY_COLUMNS[q].measures.map((name) =>
      sumOf(answer.getChild(name) as Iterable<number | bigint | null> | null),
    );
    return { ms, rows: answer.numRows, checksum };
  });
  await kc.stop();
  return { engine: 'kindling', loadMs, loadRssMiB, timings, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

/** One timed run of a question: its time (answer only, not the checksum) and the answer's row count and checksum. */
interface QuestionRun {
  readonly ms: number;
  readonly rows: number;
  readonly checksum: number[];
}

/** Every question run twice, as db-benchmark does; the checksum of the second run is the one compared. */
async function timeQuestions(runOnce: (q: (typeof QUESTIONS)[number]) => Promise<QuestionRun>): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (const q of QUESTIONS) {
    const first = await runOnce(q);
    const second = await runOnce(q);
    timings.push({ question: q, firstMs: first.ms, secondMs: second.ms, rows: second.rows, checksum: second.checksum });
  }
  return timings;
}

/**
 * The sum of a column's values that are neither null nor NaN: the answer checksum. Engines differ on which of the two a
 * degenerate group gets (q9's corr of a group whose v1 is constant: DuckDB and Polars NaN, Spark and kindling null),
 * so both are left out on every side. Iterates the vector, which yields null for a null slot: `toArray()` would
 * return the raw buffer, whose null slots hold NaN for a double.
 */
function sumOf(values: Iterable<number | bigint | null> | null): number {
  if (values === null) return NaN;
  let total = 0;
  for (const value of values) {
    const number = value === null ? NaN : Number(value);
    if (!Number.isNaN(number)) total += number;
  }
  return total;
}

async function runDuckDb(csv: string, threads: number): Promise<EngineResult> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const db = await instance.connect();
  const started = performance.now();
  await db.run(duckDbLoadSql(csv));
  const loadMs = performance.now() - started;
  const loadRssMiB = process.memoryUsage().rss / 2 ** 20;
  const timings = await timeQuestions(async (q) => {
    await db.run('DROP TABLE IF EXISTS ans');
    const t = performance.now();
    await db.run(`CREATE TABLE ans AS ${GROUPBY_SQL[q]}`);
    const ms = performance.now() - t;
    const sums = GROUPBY_COLUMNS[q].measures
      .map((m) => `sum(CASE WHEN isnan(${m}::DOUBLE) THEN NULL ELSE ${m} END)::DOUBLE AS ${m}`)
      .join(', ');
    const row = (await db.runAndReadAll(`SELECT count(*)::DOUBLE AS n, ${sums} FROM ans`)).getRowObjectsJS()[0]!;
    return { ms, rows: row['n'] as number, checksum: GROUPBY_COLUMNS[q].measures.map((m) => row[m] as number) };
  });
  db.closeSync();
  instance.closeSync();
  return { engine: 'duckdb', loadMs, loadRssMiB, timings, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

async function runPolars(csv: string): Promise<EngineResult> {
  const loaded = await loadPolars();
  if ('missing' in loaded) throw new Error(`nodejs-polars is not installed: ${loaded.missing}`);
  const { pl } = loaded;
  const started = performance.now();
  const x = polarsLoad(pl, csv);
  const loadMs = performance.now() - started;
  const loadRssMiB = process.memoryUsage().rss / 2 ** 20;
  const timings = await timeQuestions(async (q) => {
    const t = performance.now();
    const answer = polarsQuestion(pl, x, q);
    const ms = performance.now() - t;
    const checksum = GROUPBY_COLUMNS[q].measures.map((m) =>
      sumOf(answer.getColumn(m) as Iterable<number | bigint | null>),
    );
    return { ms, rows: answer.height, checksum };
  });
  return { engine: 'polars', loadMs, loadRssMiB, timings, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

function agree(a: Timing | undefined, b: Timing | undefined): string {
  if (a === undefined || b === undefined) return 'n/a';
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  return a.rows === b.rows && a.checksum.every((v, i) => close(v, b.checksum[i]!))
    ? 'yes'
    : `NO (${a.checksum} vs ${b.checksum})`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const engineArg = args.find((a) => a.startsWith('--engine='));
  const threads = 2;
  if (engineArg !== undefined) {
    const csv = args.find((a) => a.startsWith('--csv='))!.slice(6);
    const result =
      engineArg === '--engine=kindling'
        ? await runKindling(csv, threads)
        : engineArg === '--engine=polars'
          ? await runPolars(csv)
          : await runDuckDb(csv, threads);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const positional = args.filter((a) => !a.startsWith('--'));
  const n = Number(positional[0] ?? 1e7);
  const k = Number(positional[1] ?? 100);
  const csv = groupbyCsvPath(n, k);
  if (!existsSync(csv)) generateGroupbyTable(csv, n, k);
  const self = fileURLToPath(import.meta.url);
  const load = loadavg()
    .map((v) => v.toFixed(1))
    .join(' / ');
  const polarsInstalled = await loadPolars();
  const engines = 'pl' in polarsInstalled ? ['duckdb', 'kindling', 'polars'] : ['duckdb', 'kindling'];
  const results = engines.map((engine) => {
    const questions = QUESTIONS_ARG === undefined ? [] : [QUESTIONS_ARG];
    const out = execFileSync(process.execPath, [self, `--engine=${engine}`, `--csv=${csv}`, ...questions], {
      maxBuffer: 1 << 26,
      env: { ...process.env, POLARS_MAX_THREADS: String(threads) },
    });
    return JSON.parse(out.toString().trim().split('\n').pop()!) as EngineResult;
  });
  const [duck, ours, polars] = results as [EngineResult, EngineResult, EngineResult | undefined];
  const lines = [
    `# db-benchmark groupby, G1_${n.toExponential()}_${k}_0_0 (provisional)`,
    '',
    `- machine: ${cpus().length} cores, Node ${process.version}; load average at start ${load} (shared with other work: read ratios, not absolute times)`,
    `- date: ${new Date().toISOString()}; command: \`npm run bench:db-benchmark -- ${n} ${k}\`; both engines with 2 threads, each in its own process`,
    `- CSV load: DuckDB ${(duck.loadMs / 1000).toFixed(2)} s (read_csv into a table), kindling ${(ours.loadMs / 1000).toFixed(2)} s (read.csv into a cached Dataset, materialized by a count; its workers warmed first by a tiny CSV job, as DuckDB's instance is made before its timer) — ratio ${(ours.loadMs / duck.loadMs).toFixed(2)}×`,
    `- RSS right after the load (whole process): DuckDB ${duck.loadRssMiB.toFixed(0)} MiB, kindling ${ours.loadRssMiB.toFixed(0)} MiB`,
    `- peak RSS (whole process, after load and all questions): DuckDB ${duck.peakRssMiB.toFixed(0)} MiB, kindling ${ours.peakRssMiB.toFixed(0)} MiB`,
    polars === undefined
      ? `- Polars: not in this run (${'missing' in polarsInstalled ? polarsInstalled.missing : ''}); \`npm install --no-save nodejs-polars@0.26.1 nodejs-polars-linux-x64-gnu@0.26.1\` adds it`
      : `- Polars (nodejs-polars, POLARS_MAX_THREADS=${threads}, eager): CSV load ${(polars.loadMs / 1000).toFixed(2)} s, RSS after the load ${polars.loadRssMiB.toFixed(0)} MiB, peak RSS ${polars.peakRssMiB.toFixed(0)} MiB`,
    '',
    `| question | DuckDB 1st / 2nd | kindling 1st / 2nd | ratio (2nd runs) | rows | answers agree |${polars ? ' Polars 1st / 2nd | kindling / Polars | Polars agrees |' : ''}`,
    `|---|---:|---:|---:|---:|---|${polars ? '---:|---:|---|' : ''}`,
  ];
  for (const q of QUESTIONS) {
    const d = duck.timings.find((t) => t.question === q);
    const o = ours.timings.find((t) => t.question === q);
    const fmt = (t: Timing | undefined) =>
      t === undefined ? '—' : `${t.firstMs.toFixed(0)} / ${t.secondMs.toFixed(0)} ms`;
    const ratio = d !== undefined && o !== undefined ? `${(o.secondMs / d.secondMs).toFixed(2)}×` : '—';
    const p = polars?.timings.find((t) => t.question === q);
    const polarsCells =
      polars === undefined
        ? ''
        : ` ${fmt(p)} | ${p !== undefined && o !== undefined ? `${(o.secondMs / p.secondMs).toFixed(2)}×` : '—'} | ${agree(d, p)} |`;
    lines.push(`| ${q} | ${fmt(d)} | ${fmt(o)} | ${ratio} | ${d?.rows ?? '—'} | ${agree(d, o)} |${polarsCells}`);
  }
  const report = `${lines.join('\n')}\n`;
  writeFileSync(
    join(
      fileURLToPath(new URL('.', import.meta.url)),
      '..',
      '..',
      'native-bench',
      `DB-BENCHMARK-G1_${n.toExponential().replace('+', '')}.md`,
    ),
    report,
  );
  process.stdout.write(report);
}

await main();
