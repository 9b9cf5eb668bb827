// The CSV load alone, one engine per process, so two processes can be timed side by side (A B A B) with their own
// peak RSS: kindling's `read.csv(file, { schema }).cache()` materialized by `count()` against DuckDB's `read_csv`
// into a table, both on 2 threads. Prints one JSON line: load ms, the CPU ms of all the process's threads during the
// load (steadier than wall time on a shared machine), RSS right after the load, peak RSS.
//
//   node dist/native-bench/csv-load.js --engine=kindling|duckdb [--csv=/tmp/kindling-G1_1e7_1e2_0_0.csv]
//   (default: /tmp/kindling-G1_1e7_1e2_0_0.csv, or /tmp/kindling-G1_1e7_100_0_0.csv when only that exists)
//   node dist/native-bench/csv-load.js --engine=kindling|duckdb --join=10000000   (the join runner's 4 tables)
//   node --cpu-prof --cpu-prof-dir=<dir> dist/native-bench/csv-load.js --engine=kindling   (workers profile too)
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Context } from '../src/index.js';
import { duckDbLoadSql, G1_SCHEMA } from './db-benchmark-groupby.js';
import { generateJoinTables } from './db-benchmark-join-data.js';
import { groupbyCsvPath } from './groupby-csv-path.js';
import { type JoinCsvFiles, runDuckDbJoins, runKindlingJoins } from './db-benchmark-join-questions.js';
import { warmContext } from './warm-context.js';

const THREADS = 2;

async function loadKindling(csv: string): Promise<number> {
  // The db-benchmark runner's budget: the cached table must fit.
  const kc = new Context({ threads: THREADS, memoryBytesMax: 8 * 2 ** 30 });
  // Workers started and their modules loaded before the timer, as DuckDB's instance is made before its timer.
  await warmContext(kc, csv, { header: true, schema: G1_SCHEMA });
  cpuAtStart = process.cpuUsage();
  const started = performance.now();
  const rows = await kc.read.csv(csv, { header: true, schema: G1_SCHEMA }).cache().count();
  const ms = performance.now() - started;
  report('kindling', ms, rows);
  await kc.stop();
  return ms;
}

async function loadDuckDb(csv: string): Promise<number> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(THREADS) });
  const db = await instance.connect();
  cpuAtStart = process.cpuUsage();
  const started = performance.now();
  await db.run(duckDbLoadSql(csv));
  const ms = performance.now() - started;
  const rows = Number((await db.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM x')).getRowObjectsJS()[0]!['n']);
  report('duckdb', ms, rows);
  db.closeSync();
  instance.closeSync();
  return ms;
}

let cpuAtStart = process.cpuUsage();

function report(engine: string, loadMs: number, rows: number): void {
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ engine, loadMs: Math.round(loadMs), cpuMs, rows, rssMiB, peakRssMiB }));
}

/** The join runner's load of J1_<n> (x, small, medium, big; written by `db-benchmark-join.js <n>`), no questions. */
async function loadJoinTables(engine: string, n: number): Promise<void> {
  const label = n.toExponential().replace('+', '');
  const files = {} as Record<string, { path: string; table: unknown }>;
  for (const table of Object.values(generateJoinTables(1000))) {
    const path = join(tmpdir(), `kindling-J1_${label}_${table.name}.csv`);
    if (!existsSync(path)) throw new Error(`${path} is missing: run db-benchmark-join.js ${n} once to write it`);
    files[table.name] = { path, table };
  }
  const run = engine === 'duckdb' ? runDuckDbJoins : runKindlingJoins;
  const { loadMs } = await run(files as JoinCsvFiles, THREADS, []);
  report(engine, loadMs, n);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const joinRows = arg('join');
  if (joinRows !== undefined) return loadJoinTables(arg('engine') ?? 'kindling', Number(joinRows));
  const csv = arg('csv') ?? groupbyCsvPath(1e7, 100);
  if (!existsSync(csv)) throw new Error(`${csv} is missing: run the db-benchmark runner once to write it`);
  const engine = arg('engine') ?? 'kindling';
  if (engine === 'duckdb') await loadDuckDb(csv);
  else await loadKindling(csv);
}

await main();
