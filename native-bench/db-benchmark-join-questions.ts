// db-benchmark's join questions q1–q5, kindling's Dataset form beside DuckDB's SQL (from its join-duckdb script:
// `SELECT x.*, y.<others> AS y_<other>, v2 FROM x JOIN y USING (key)`), the loading of the four CSV tables in
// each engine, and the answer checksums compared across engines (row count, sums of numbers, counts and lengths of
// strings). Each question runs twice, as db-benchmark does; kindling's answer is materialized with `toArrow()`
// (blocks in shared memory), DuckDB's with `CREATE TABLE ans AS`.
import type { Data, Table } from 'apache-arrow';

import { col, Context, type ContextOptions, type Dataset } from '../src/index.js';
import type { JoinTable } from './db-benchmark-join-data.js';
import { joinSchema } from './db-benchmark-join-data.js';

export const JOIN_QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5'] as const;
export type JoinQuestion = (typeof JOIN_QUESTIONS)[number];

interface QuestionSpec {
  readonly title: string;
  readonly y: 'small' | 'medium' | 'big';
  readonly key: string;
  readonly how: 'inner' | 'left';
  /** The y columns kept besides the key and v2, each renamed `<y>_<name>`. */
  readonly others: readonly string[];
  /** Checksum parts: `sum:<col>` (numbers, nulls skipped), `count:<col>` (non-null values), `len:<col>` (bytes). */
  readonly measures: readonly string[];
}

export const JOIN_SPECS: Record<JoinQuestion, QuestionSpec> = {
  q1: {
    title: 'small inner on int',
    y: 'small',
    key: 'id1',
    how: 'inner',
    others: ['id4'],
    measures: ['sum:v1', 'sum:v2', 'sum:id3', 'len:id6', 'len:small_id4'],
  },
  q2: {
    title: 'medium inner on int',
    y: 'medium',
    key: 'id2',
    how: 'inner',
    others: ['id1', 'id4', 'id5'],
    measures: ['sum:v1', 'sum:v2', 'sum:medium_id1', 'len:id6', 'len:medium_id4'],
  },
  q3: {
    title: 'medium outer on int',
    y: 'medium',
    key: 'id2',
    how: 'left',
    others: ['id1', 'id4', 'id5'],
    measures: ['sum:v1', 'sum:v2', 'sum:medium_id1', 'count:medium_id5', 'len:medium_id4'],
  },
  q4: {
    title: 'medium inner on factor',
    y: 'medium',
    key: 'id5',
    how: 'inner',
    others: ['id1', 'id2', 'id4'],
    measures: ['sum:v1', 'sum:v2', 'sum:medium_id2', 'len:id5', 'len:medium_id4'],
  },
  q5: {
    title: 'big inner on int',
    y: 'big',
    key: 'id3',
    how: 'inner',
    others: ['id1', 'id2', 'id4', 'id5', 'id6'],
    measures: ['sum:v1', 'sum:v2', 'sum:big_id1', 'sum:big_id2', 'len:big_id6'],
  },
};

/** The SQL DuckDB answers `q` with (as db-benchmark's join-duckdb script). */
export function duckDbJoinSql(q: JoinQuestion): string {
  const s = JOIN_SPECS[q];
  const others = s.others.map((c) => `${s.y}.${c} AS ${s.y}_${c}`).join(', ');
  return `SELECT x.*, ${others}, v2 FROM x ${s.how === 'left' ? 'LEFT JOIN' : 'JOIN'} ${s.y} USING (${s.key})`;
}

/** kindling's form of `q` over the loaded tables. */
export function kindlingJoin(tables: Record<JoinTable['name'], Dataset>, q: JoinQuestion): Dataset {
  const s = JOIN_SPECS[q];
  const y = tables[s.y].select(col(s.key), ...s.others.map((c) => col(c).as(`${s.y}_${c}`)), col('v2'));
  return tables.x.join(y, s.key, s.how);
}

/** One question's times and answer checksum in one engine. */
export interface JoinTiming {
  readonly question: JoinQuestion;
  readonly firstMs: number;
  readonly secondMs: number;
  readonly rows: number;
  readonly checksum: number[];
  /**
   * CPU time of the whole process (every thread) over the first and second runs, user + system (kindling only:
   * under a loaded machine it moves less than the wall times).
   */
  readonly cpuMs?: readonly number[];
}

export interface JoinEngineResult {
  readonly engine: 'kindling' | 'duckdb' | 'polars';
  readonly loadMs: number;
  readonly timings: JoinTiming[];
  readonly peakRssMiB: number;
}

/** CSV paths of the four tables, with the generated tables' column lists (for the schemas). */
export type JoinCsvFiles = Record<JoinTable['name'], { readonly path: string; readonly table: JoinTable }>;

/** How the kindling side runs: context options (besides threads) and runs per question (default 2). */
export interface KindlingJoinRunOptions {
  readonly context?: Omit<ContextOptions, 'threads'>;
  readonly runs?: number;
}

const TABLE_NAMES = ['x', 'small', 'medium', 'big'] as const;

/**
 * Loads the four CSV files into cached datasets and answers `questions`, each twice.
 *
 * @example
 * const result = await runKindlingJoins(files, 2, JOIN_QUESTIONS);
 */
export async function runKindlingJoins(
  files: JoinCsvFiles,
  threads: number,
  questions: readonly JoinQuestion[] = JOIN_QUESTIONS,
  options: KindlingJoinRunOptions = {},
): Promise<JoinEngineResult> {
  // The four tables take ~1.1 GB cached at 1e7, over the 1 GiB default: with it, least recently used partitions
  // were dropped and re-read from the CSV in the middle of the questions (as the groupby runner, 8 GiB).
  const kc = new Context({ memoryBytesMax: 8 * 2 ** 30, ...options.context, threads });
  const runs = options.runs ?? 2;
  try {
    const started = performance.now();
    const entries = TABLE_NAMES.map((name) => {
      const ds = kc.read.csv(files[name].path, { header: true, schema: joinSchema(files[name].table).kindling });
      return [name, ds.cache()] as const;
    });
    for (const [, ds] of entries) await ds.count();
    const tables = Object.fromEntries(entries) as Record<JoinTable['name'], Dataset>;
    const loadMs = performance.now() - started;
    const timings: JoinTiming[] = [];
    for (const q of questions) {
      const times: number[] = [];
      const cpuMs: number[] = [];
      let answer: Table | null = null;
      let checked: ReturnType<typeof arrowChecksum> | null = null;
      for (let run = 0; run < runs; run++) {
        // A fresh plan per run (as a new query): the second run must not reuse the first one's shuffle.
        const query = kindlingJoin(tables, q);
        const t = performance.now();
        const cpu = process.cpuUsage();
        answer = await query.toArrow();
        times.push(performance.now() - t);
        const used = process.cpuUsage(cpu);
        cpuMs.push((used.user + used.system) / 1000);
        if (run === runs - 1) checked = arrowChecksum(answer, q);
        // Untimed, as DuckDB's DROP TABLE ans: the answer dropped and the run's shuffle outputs released now (they
        // held shared memory and the shuffle budget through the next run); unpersist() also collects the driver's
        // garbage when enough shared memory came in since the last collection (api/context/driver-gc.ts), so the dropped
        // answer's memory goes now rather than at the next job's start.
        answer = null;
        query.unpersist({ shuffleOutputs: true });
      }
      const secondMs = times[1] ?? times[0]!;
      timings.push({ question: q, firstMs: times[0]!, secondMs, ...checked!, cpuMs });
    }
    return { engine: 'kindling', loadMs, timings, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await kc.stop();
  }
}

/** The answer's row count and checksum parts, read from its Arrow buffers. */
function arrowChecksum(table: Table, q: JoinQuestion): { rows: number; checksum: number[] } {
  const checksum = JOIN_SPECS[q].measures.map((m) => {
    const [kind, name] = m.split(':') as [string, string];
    const vector = table.getChild(name);
    if (vector === null) return NaN;
    let total = 0;
    for (const data of vector.data as Data[]) {
      const valid = (i: number) =>
        data.nullBitmap === undefined ||
        data.nullCount === 0 ||
        ((data.nullBitmap[(data.offset + i) >> 3]! >> ((data.offset + i) & 7)) & 1) === 1;
      for (let i = 0; i < data.length; i++) {
        if (!valid(i)) continue;
        if (kind === 'sum') total += Number((data.values as ArrayLike<number>)[data.offset + i]);
        else if (kind === 'count') total++;
        else {
          // A dictionary-coded string column (toArrow() keeps cached low-cardinality strings coded): its code's bytes.
          const dictionary = data.dictionary?.data[0];
          const at = dictionary === undefined ? data.offset + i : (data.values as ArrayLike<number>)[data.offset + i]!;
          const offsets = (dictionary ?? data).valueOffsets;
          total += offsets[at + 1]! - offsets[at]!;
        }
      }
    }
    return total;
  });
  return { rows: table.numRows, checksum };
}

/**
 * Loads the four CSV files into DuckDB tables (strings as VARCHAR, ints as INTEGER) and answers `questions`, each
 * twice, with `CREATE TABLE ans AS …` (the answer materialized, as db-benchmark times it).
 *
 * @example
 * const result = await runDuckDbJoins(files, 2, JOIN_QUESTIONS);
 */
export async function runDuckDbJoins(
  files: JoinCsvFiles,
  threads: number,
  questions: readonly JoinQuestion[] = JOIN_QUESTIONS,
): Promise<JoinEngineResult> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const db = await instance.connect();
  try {
    const started = performance.now();
    for (const name of TABLE_NAMES) {
      const { path, table } = files[name];
      await db.run(
        `CREATE TABLE ${name} AS SELECT * FROM read_csv('${path}', header = true, columns = ${joinSchema(table).duckdb})`,
      );
    }
    const loadMs = performance.now() - started;
    const timings: JoinTiming[] = [];
    for (const q of questions) {
      const times: number[] = [];
      for (let run = 0; run < 2; run++) {
        await db.run('DROP TABLE IF EXISTS ans');
        const t = performance.now();
        await db.run(`CREATE TABLE ans AS ${duckDbJoinSql(q)}`);
        times.push(performance.now() - t);
      }
      const parts = JOIN_SPECS[q].measures.map((m, i) => {
        const [kind, name] = m.split(':') as [string, string];
        const expr = kind === 'sum' ? `sum(${name})` : kind === 'count' ? `count(${name})` : `sum(strlen(${name}))`;
        return `coalesce(${expr}, 0)::DOUBLE AS m${i}`;
      });
      const sql = `SELECT count(*)::DOUBLE AS n, ${parts.join(', ')} FROM ans`;
      const row = (await db.runAndReadAll(sql)).getRowObjectsJS()[0]!;
      const checksum = JOIN_SPECS[q].measures.map((_, i) => row[`m${i}`] as number);
      timings.push({ question: q, firstMs: times[0]!, secondMs: times[1]!, rows: row['n'] as number, checksum });
    }
    return { engine: 'duckdb', loadMs, timings, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** Whether two engines' answers agree: same rows, checksum parts equal to 1e-9 relative (sums of doubles). */
export function joinAnswersAgree(a: JoinTiming, b: JoinTiming): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  return (
    a.rows === b.rows && a.checksum.length === b.checksum.length && a.checksum.every((v, i) => close(v, b.checksum[i]!))
  );
}
