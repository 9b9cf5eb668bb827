// The db-benchmark join questions q1–q5 (H2O.ai's, maintained by DuckDB Labs) on its J1 tables, kindling against
// DuckDB (@duckdb/node-api, a devDependency) in one run: the seeded generator of db-benchmark-join-data.ts writes
// the four CSV files once (kept in the temp dir), each engine loads them once in its own child process (own peak
// RSS), answers each question twice, and the answers' checksums are compared. nodejs-polars joins the run when it
// is installed (db-benchmark-polars.ts says how; POLARS_MAX_THREADS as the others' threads).
//
//   npm run bench:db-benchmark-join -- [rows=1e7] [--questions=q1,q5]   (writes native-bench/DB-BENCHMARK-J1_<rows>.md)
//   node dist/native-bench/db-benchmark-join.js <rows> --engine=kindling|duckdb|polars [--shuffle-memory-mib=N]
//   (one engine, one JSON line)
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { generateJoinTables, type JoinTable, writeJoinCsv } from './db-benchmark-join-data.js';
import {
  JOIN_QUESTIONS,
  JOIN_SPECS,
  joinAnswersAgree,
  type JoinCsvFiles,
  type JoinEngineResult,
  type JoinQuestion,
  type JoinTiming,
  runDuckDbJoins,
  runKindlingJoins,
} from './db-benchmark-join-questions.js';
import { runPolarsJoins } from './db-benchmark-join-polars.js';
import { loadPolars } from './db-benchmark-polars.js';

const THREADS = 2;

/** The CSV files of J1_<n>: generated into the temp dir unless already there. */
function csvFiles(n: number): JoinCsvFiles {
  const label = n.toExponential().replace('+', '');
  const pathOf = (name: string) => join(tmpdir(), `kindling-J1_${label}_${name}.csv`);
  // Made again only when a file is missing (the columns, for the schemas, are the same at any size).
  const missing = ['x', 'small', 'medium', 'big'].some((name) => !existsSync(pathOf(name)));
  const tables = generateJoinTables(missing ? n : 1000);
  const files = {} as Record<JoinTable['name'], { path: string; table: JoinTable }>;
  for (const table of Object.values(tables)) {
    const path = pathOf(table.name);
    if (!existsSync(path)) {
      writeJoinCsv(`${path}.tmp`, table);
      renameSync(`${path}.tmp`, path);
    }
    files[table.name] = { path, table };
  }
  return files;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => !a.startsWith('--')) ?? 1e7);
  const picked = args
    .find((a) => a.startsWith('--questions='))
    ?.slice(12)
    .split(',') as JoinQuestion[] | undefined;
  const questions = picked ?? [...JOIN_QUESTIONS];
  const engine = args.find((a) => a.startsWith('--engine='))?.slice(9);
  // kindling's shuffle budget (ContextOptions.shuffleMemoryBytesMax; with the runner's 8 GiB memoryBytesMax it defaults to
  // 1.8 GiB, so the joins' map outputs stay in memory; a smaller N sends the larger ones to files).
  const shuffleMiB = args.find((a) => a.startsWith('--shuffle-memory-mib='))?.slice(21);
  const context = shuffleMiB === undefined ? {} : { shuffleMemoryBytesMax: Number(shuffleMiB) * 2 ** 20 };
  if (engine !== undefined) {
    const files = csvFiles(n);
    const result =
      engine === 'kindling'
        ? await runKindlingJoins(files, THREADS, questions, { context })
        : engine === 'polars'
          ? await runPolarsJoins(files, questions)
          : await runDuckDbJoins(files, THREADS, questions);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const generated = performance.now();
  csvFiles(n);
  const generateMs = performance.now() - generated;
  const self = fileURLToPath(import.meta.url);
  const load = loadavg()
    .map((v) => v.toFixed(1))
    .join(' / ');
  const run = (name: string): JoinEngineResult => {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, self, `${n}`, `--engine=${name}`, `--questions=${questions.join(',')}`],
      {
        maxBuffer: 1 << 26,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, POLARS_MAX_THREADS: String(THREADS) },
      },
    );
    return JSON.parse(out.toString().trim().split('\n').pop()!) as JoinEngineResult;
  };
  const duck = run('duckdb');
  const ours = run('kindling');
  const polarsInstalled = await loadPolars();
  const polars = 'pl' in polarsInstalled ? run('polars') : undefined;
  const loadAfter = loadavg()
    .map((v) => v.toFixed(1))
    .join(' / ');
  const label = n.toExponential().replace('+', '');
  const lines = [
    `# db-benchmark join, J1_${label}_NA_0_0 (provisional)`,
    '',
    `- machine: ${cpus().length} cores, Node ${process.version}; load average ${load} at start, ${loadAfter} at the end (shared with other work: read ratios, not absolute times)`,
    `- date: ${new Date().toISOString()}; command: \`npm run bench:db-benchmark-join -- ${n}\`; both engines with ${THREADS} threads, each in its own process; tables generated in ${(generateMs / 1000).toFixed(1)} s (cached in the temp dir)`,
    `- CSV load of x, small, medium, big: DuckDB ${(duck.loadMs / 1000).toFixed(2)} s (read_csv into tables), kindling ${(ours.loadMs / 1000).toFixed(2)} s (read.csv, cache(), count())`,
    `- peak RSS (whole process, after load and all questions): DuckDB ${duck.peakRssMiB.toFixed(0)} MiB, kindling ${ours.peakRssMiB.toFixed(0)} MiB`,
    '- answers: DuckDB `CREATE TABLE ans AS SELECT x.*, y.… FROM x JOIN y USING (key)`, kindling `x.join(y.select(…), key, how).toArrow()`; checksum = rows, sums of v1, v2 and an int column, string bytes',
    "- between runs, untimed: DuckDB `DROP TABLE ans`; kindling drops the answer and releases the run's shuffle outputs (the next job's start collects their shared memory, as any driver's does)",
    polars === undefined
      ? `- Polars: not in this run (${'missing' in polarsInstalled ? polarsInstalled.missing : ''}); \`npm install --no-save nodejs-polars@0.26.1 nodejs-polars-linux-x64-gnu@0.26.1\` adds it`
      : `- Polars (nodejs-polars, POLARS_MAX_THREADS=${THREADS}, eager \`x.join(y, { on, how })\`): CSV load ${(polars.loadMs / 1000).toFixed(2)} s, peak RSS ${polars.peakRssMiB.toFixed(0)} MiB`,
    '',
    `| question | DuckDB 1st / 2nd | kindling 1st / 2nd | ratio (2nd runs) | rows | answers agree |${polars ? ' Polars 1st / 2nd | kindling / Polars | Polars agrees |' : ''}`,
    `|---|---:|---:|---:|---:|---|${polars ? '---:|---:|---|' : ''}`,
  ];
  const fmt = (t: JoinTiming | undefined) =>
    t === undefined ? '—' : `${t.firstMs.toFixed(0)} / ${t.secondMs.toFixed(0)} ms`;
  for (const q of questions) {
    const d = duck.timings.find((t) => t.question === q);
    const o = ours.timings.find((t) => t.question === q);
    const ratio = d !== undefined && o !== undefined ? `${(o.secondMs / d.secondMs).toFixed(2)}×` : '—';
    const agree =
      d === undefined || o === undefined
        ? 'n/a'
        : joinAnswersAgree(d, o)
          ? 'yes'
          : `NO (${o.rows}: ${o.checksum} vs ${d.rows}: ${d.checksum})`;
    const p = polars?.timings.find((t) => t.question === q);
    const polarsCells =
      polars === undefined
        ? ''
        : ` ${fmt(p)} | ${p !== undefined && o !== undefined ? `${(o.secondMs / p.secondMs).toFixed(2)}×` : '—'} | ${d !== undefined && p !== undefined && joinAnswersAgree(d, p) ? 'yes' : 'NO'} |`;
    lines.push(
      `| ${q} ${JOIN_SPECS[q].title} | ${fmt(d)} | ${fmt(o)} | ${ratio} | ${d?.rows ?? '—'} | ${agree} |${polarsCells}`,
    );
  }
  const report = `${lines.join('\n')}\n`;
  writeFileSync(join(self, '..', '..', '..', 'native-bench', `DB-BENCHMARK-J1_${label}.md`), report);
  process.stdout.write(report);
}

await main();
