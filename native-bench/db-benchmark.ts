// The db-benchmark groupby questions (H2O.ai's, maintained by DuckDB Labs) on its G1 table, kindling against
// DuckDB (@duckdb/node-api, a devDependency) in one run: a seeded generator following groupby-datagen.R, the CSV
// loaded once per engine (kindling: read.csv, then held as Arrow blocks in shared memory; DuckDB: a table), each
// question run twice as db-benchmark does, answers checked to agree (rows and column sums). Each engine runs in
// its own child process so its peak RSS is its own.
//
//   npm run bench:db-benchmark -- [rows=1e7] [k=100]        (writes native-bench/DB-BENCHMARK-G1_<rows>.md)
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Rng } from '../src/common/rng.js';
import { col, Context, count, max, mean, min, sum, type Dataset } from '../src/index.js';

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
  readonly skipped: string[];
}

const QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10'] as const;

/** groupby-datagen.R for G1_<N>_<K>_0_0 (no NAs, unsorted), with our seeded generator in place of R's. */
function generate(path: string, n: number, k: number): void {
  const rng = new Rng(20240101);
  const nk = Math.max(1, Math.floor(n / k));
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  const fd = openSync(path, 'w');
  const chunk: string[] = ['id1,id2,id3,id4,id5,id6,v1,v2,v3\n'];
  for (let i = 0; i < n; i++) {
    const v3 = Math.round(rng.nextFloat() * 100 * 1e6) / 1e6;
    chunk.push(
      `id${pad(1 + rng.nextInt(k), 3)},id${pad(1 + rng.nextInt(k), 3)},id${pad(1 + rng.nextInt(nk), 10)},` +
        `${1 + rng.nextInt(k)},${1 + rng.nextInt(k)},${1 + rng.nextInt(nk)},${1 + rng.nextInt(5)},` +
        `${1 + rng.nextInt(15)},${v3}\n`,
    );
    if (chunk.length >= 100_000) {
      writeSync(fd, chunk.join(''));
      chunk.length = 0;
    }
  }
  writeSync(fd, chunk.join(''));
  closeSync(fd);
}

/** kindling's answer to each question; null where this branch lacks the operator (median, stddev, windows, corr). */
function kindlingQuestion(x: Dataset, q: (typeof QUESTIONS)[number]): Dataset | null {
  switch (q) {
    case 'q1':
      return x.groupBy('id1').agg(sum('v1').as('v1'));
    case 'q2':
      return x.groupBy('id1', 'id2').agg(sum('v1').as('v1'));
    case 'q3':
      return x.groupBy('id3').agg(sum('v1').as('v1'), mean('v3').as('v3'));
    case 'q4':
      return x.groupBy('id4').agg(mean('v1').as('v1'), mean('v2').as('v2'), mean('v3').as('v3'));
    case 'q5':
      return x.groupBy('id6').agg(sum('v1').as('v1'), sum('v2').as('v2'), sum('v3').as('v3'));
    case 'q7':
      return x
        .groupBy('id3')
        .agg(max('v1').as('max_v1'), min('v2').as('min_v2'))
        .select(col('id3'), col('max_v1').sub(col('min_v2')).as('range_v1_v2'));
    case 'q10':
      return x.groupBy('id1', 'id2', 'id3', 'id4', 'id5', 'id6').agg(sum('v3').as('v3'), count().as('count'));
    default:
      return null;
  }
}

const DUCK_SQL: Record<(typeof QUESTIONS)[number], string> = {
  q1: 'SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1',
  q2: 'SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2',
  q3: 'SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3',
  q4: 'SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4',
  q5: 'SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6',
  q6: 'SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5',
  q7: 'SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3',
  q8: 'SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2',
  q9: 'SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4',
  q10: 'SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6',
};

/** The numeric columns' sums of an answer (names not starting with `id`). */
const MEASURES: Record<string, string[]> = {
  q1: ['v1'],
  q2: ['v1'],
  q3: ['v1', 'v3'],
  q4: ['v1', 'v2', 'v3'],
  q5: ['v1', 'v2', 'v3'],
  q6: ['median_v3', 'sd_v3'],
  q7: ['range_v1_v2'],
  q8: ['largest2_v3'],
  q9: ['r2'],
  q10: ['v3', 'count'],
};

async function runKindling(csv: string, threads: number): Promise<EngineResult> {
  const kc = new Context({ threads });
  const started = performance.now();
  const schema = {
    id1: 'string',
    id2: 'string',
    id3: 'string',
    id4: 'int',
    id5: 'int',
    id6: 'int',
    v1: 'int',
    v2: 'int',
    v3: 'double',
  };
  const table = await kc.read.csv(csv, { header: true, schema }).toArrow();
  const x = kc.fromArrow(table);
  const loadMs = performance.now() - started;
  const timings: Timing[] = [];
  const skipped: string[] = [];
  for (const q of QUESTIONS) {
    if (kindlingQuestion(x, q) === null) {
      skipped.push(q);
      continue;
    }
    const times: number[] = [];
    let rows = 0;
    let checksum: number[] = [];
    for (let run = 0; run < 2; run++) {
      // A fresh plan per run (as a new DataFrame query): the second run must not reuse the first one's shuffle.
      const query = kindlingQuestion(x, q)!;
      const t = performance.now();
      const answer = await query.toArrow();
      times.push(performance.now() - t);
      rows = answer.numRows;
      checksum = MEASURES[q]!.map((name) => sumOf(answer.getChild(name)?.toArray() as ArrayLike<number | bigint>));
    }
    timings.push({ question: q, firstMs: times[0]!, secondMs: times[1]!, rows, checksum });
  }
  await kc.stop();
  return { engine: 'kindling', loadMs, timings, peakRssMiB: process.resourceUsage().maxRSS / 1024, skipped };
}

function sumOf(values: ArrayLike<number | bigint> | undefined): number {
  let total = 0;
  if (values === undefined) return NaN;
  for (let i = 0; i < values.length; i++) total += Number(values[i] ?? 0);
  return total;
}

async function runDuckDb(csv: string, threads: number): Promise<EngineResult> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const db = await instance.connect();
  const started = performance.now();
  await db.run(`CREATE TABLE x AS SELECT * FROM read_csv('${csv}', header = true,
    columns = {'id1': 'VARCHAR', 'id2': 'VARCHAR', 'id3': 'VARCHAR', 'id4': 'INT', 'id5': 'INT', 'id6': 'INT',
               'v1': 'INT', 'v2': 'INT', 'v3': 'DOUBLE'})`);
  const loadMs = performance.now() - started;
  const timings: Timing[] = [];
  for (const q of QUESTIONS) {
    const times: number[] = [];
    let rows = 0;
    let checksum: number[] = [];
    for (let run = 0; run < 2; run++) {
      await db.run('DROP TABLE IF EXISTS ans');
      const t = performance.now();
      await db.run(`CREATE TABLE ans AS ${DUCK_SQL[q]}`);
      times.push(performance.now() - t);
      const sums = MEASURES[q]!.map((m) => `sum(${m})::DOUBLE AS ${m}`).join(', ');
      const row = (await db.runAndReadAll(`SELECT count(*)::DOUBLE AS n, ${sums} FROM ans`)).getRowObjectsJS()[0]!;
      rows = row['n'] as number;
      checksum = MEASURES[q]!.map((m) => row[m] as number);
    }
    timings.push({ question: q, firstMs: times[0]!, secondMs: times[1]!, rows, checksum });
  }
  db.closeSync();
  instance.closeSync();
  return { engine: 'duckdb', loadMs, timings, peakRssMiB: process.resourceUsage().maxRSS / 1024, skipped: [] };
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
    const result = engineArg === '--engine=kindling' ? await runKindling(csv, threads) : await runDuckDb(csv, threads);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const n = Number(args[0] ?? 1e7);
  const k = Number(args[1] ?? 100);
  const csv = join(tmpdir(), `kindling-G1_${n.toExponential().replace('+', '')}_${k}_0_0.csv`);
  if (!existsSync(csv)) generate(csv, n, k);
  const self = fileURLToPath(import.meta.url);
  const load = loadavg()
    .map((v) => v.toFixed(1))
    .join(' / ');
  const results = ['duckdb', 'kindling'].map((engine) => {
    const out = execFileSync(process.execPath, [self, `--engine=${engine}`, `--csv=${csv}`], { maxBuffer: 1 << 26 });
    return JSON.parse(out.toString().trim().split('\n').pop()!) as EngineResult;
  });
  const [duck, ours] = results as [EngineResult, EngineResult];
  const lines = [
    `# db-benchmark groupby, G1_${n.toExponential()}_${k}_0_0 (provisional)`,
    '',
    `- machine: ${cpus().length} cores, Node ${process.version}; load average at start ${load} (shared with other work: read ratios, not absolute times)`,
    `- date: ${new Date().toISOString()}; command: \`npm run bench:db-benchmark -- ${n} ${k}\`; both engines with 2 threads, each in its own process`,
    `- CSV load: DuckDB ${(duck.loadMs / 1000).toFixed(2)} s (read_csv into a table), kindling ${(ours.loadMs / 1000).toFixed(2)} s (read.csv, then toArrow / fromArrow into shared memory) — ratio ${(ours.loadMs / duck.loadMs).toFixed(2)}×`,
    `- peak RSS (whole process, after load and all questions): DuckDB ${duck.peakRssMiB.toFixed(0)} MiB, kindling ${ours.peakRssMiB.toFixed(0)} MiB`,
    '',
    '| question | DuckDB 1st / 2nd | kindling 1st / 2nd | ratio (2nd runs) | rows | answers agree |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const q of QUESTIONS) {
    const d = duck.timings.find((t) => t.question === q);
    const o = ours.timings.find((t) => t.question === q);
    const fmt = (t: Timing | undefined) =>
      t === undefined ? '—' : `${t.firstMs.toFixed(0)} / ${t.secondMs.toFixed(0)} ms`;
    const ratio = d !== undefined && o !== undefined ? `${(o.secondMs / d.secondMs).toFixed(2)}×` : '—';
    lines.push(`| ${q} | ${fmt(d)} | ${fmt(o)} | ${ratio} | ${d?.rows ?? '—'} | ${agree(d, o)} |`);
  }
  if (ours.skipped.length > 0) {
    lines.push(
      '',
      `kindling skipped ${ours.skipped.join(', ')}: median / stddev, window functions and corr are not on this branch.`,
    );
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
